"""The owners' survey of the property company (issue 15 item 7, 沪物业规定 art. 45) on the core evaluation engine:
owners only (not tenants), once per owner and household per quarter, results by criterion, closed after the
quarter; the hub card."""
import datetime as dt

import pytest

from communities.models import Evaluation, ResidentScore
from communities.services.errors import DomainError
from talents.selectors import owners_company as sel
from talents.services import owners_company as svc

from .owners_world import NOW, SHANGHAI, estate, frozen, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db


def _answers(survey, label="满意", **by_name):
    return {c.pk: by_name.get(c.name, label) for c in survey.standard.criteria.all()}


@pytest.fixture
def survey(estate, staff):
    return svc.survey_open(actor=staff, community=estate.community, now=NOW)


def test_a_survey_is_the_quarters_and_opened_by_staff_once(estate, staff, owners, survey):
    assert survey.month == dt.date(2026, 1, 1) and survey.subject == "talents.company"
    assert svc.survey_open(actor=staff, community=estate.community, now=NOW).pk == survey.pk
    assert [c.name for c in survey.standard.criteria.all()] == ["保洁", "绿化", "秩序维护", "设施维修", "服务态度"]
    with pytest.raises(DomainError):
        svc.survey_open(actor=owners["a"], community=estate.community, now=NOW)


def test_owners_rate_once_per_quarter_and_tenants_not_at_all(estate, owners, tenant, outsider, survey):
    assert svc.survey_rate(actor=owners["a"], community=estate.community, answers=_answers(survey), now=NOW) == 5
    with pytest.raises(DomainError) as exc:  # 甲 owns two units: still once
        svc.survey_rate(actor=owners["a"], community=estate.community, answers=_answers(survey, "一般"), now=NOW)
    assert exc.value.code == "done"
    for user in (tenant, outsider):
        with pytest.raises(DomainError) as exc:
            svc.survey_rate(actor=user, community=estate.community, answers=_answers(survey), now=NOW)
        assert exc.value.code == "forbidden"
    assert ResidentScore.objects.count() == 5
    assert set(ResidentScore.objects.values_list("unit__room", flat=True)) == {"101"}


def test_no_survey_open_is_refused(estate, owners):
    with pytest.raises(DomainError) as exc:
        svc.survey_rate(actor=owners["a"], community=estate.community, answers={}, now=NOW)
    assert exc.value.code == "no_survey"


def test_results_by_criterion_and_the_quarter_closes_after_its_end(estate, owners, staff, survey):
    svc.survey_rate(actor=owners["a"], community=estate.community, answers=_answers(survey), now=NOW)
    svc.survey_rate(actor=owners["b"], community=estate.community, answers=_answers(survey, 保洁="不满意"), now=NOW)
    svc.survey_rate(actor=owners["d"], community=estate.community, answers=_answers(survey, 保洁="一般"), now=NOW)
    figures = sel.survey_latest(community=estate.community, on=NOW.date())
    by_name = {f.criterion.name: f.value for f in figures.criteria}
    assert str(by_name["保洁"]) == "0.5333"  # (1 + 0 + 0.6) / 3
    assert str(by_name["绿化"]) == "1.0000"
    assert svc.surveys_close_due(now=NOW) == 0  # the quarter runs to 2026-03-31
    april = dt.datetime(2026, 4, 1, 1, 0, tzinfo=SHANGHAI)
    assert svc.surveys_close_due(now=april) == 1
    assert svc.surveys_close_due(now=april) == 0
    survey.refresh_from_db()
    assert survey.status == Evaluation.Status.CLOSED
    assert str(survey.overall) == "0.9067"  # (0.5333 + 1 + 1 + 1 + 1) / 5
    assert sel.survey_trend(community=estate.community) == [
        {"quarter": dt.date(2026, 1, 1), "label": "2026Q1", "overall": survey.overall}]
    with pytest.raises(DomainError):  # the next quarter's survey is not open yet
        svc.survey_rate(actor=owners["e"], community=estate.community, answers=_answers(survey), now=april)


def test_the_survey_page_for_owners_only(client, estate, owners, tenant, outsider, survey, frozen):
    url = f"/talents/owners/company/survey/?community={estate.community.slug}"
    client.force_login(tenant)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(owners["e"])
    page = client.get(url)
    assert page.status_code == 200 and "第四十五条" in page.content.decode()
    data = {f"c{pk}": label for pk, label in _answers(survey).items()}
    assert client.post(url, {**data, f"c{survey.standard.criteria.first().pk}": "很好"}).status_code == 400
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400 and "每季度评一次" in again.content.decode()
    company = client.get(f"/talents/owners/company/?community={estate.community.slug}").content.decode()
    assert "保洁" in company and "ld-chart" in company


def test_the_hub_card(client, estate, staff, owners, tenant, survey, frozen):
    from decimal import Decimal

    client.force_login(tenant)
    assert "物业服务企业" not in client.get(f"/talents/owners/?community={estate.community.slug}").content.decode()
    svc.contract_create(actor=staff, community=estate.community, company_name="上海美兰物业服务有限公司",
                        starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2026, 7, 8), fee_residential=Decimal("2.30"))
    text = client.get(f"/talents/owners/?community={estate.community.slug}").content.decode()
    assert "上海美兰物业服务有限公司" in text and "还有 120 天" in text


def test_the_owners_rule_can_and_scope_agree(estate, other_estate, owners, tenant, outsider, staff):
    """``talents.company.rate`` grants by ``is_owner``; its list filter ``owner_q`` lists the same objects."""
    from decimal import Decimal

    from communities import policy
    from talents.models import PropertyContract

    contracts = [svc.contract_create(actor=staff, community=estate.community, company_name="美兰",
                                     starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2026, 7, 8),
                                     fee_residential=Decimal("2.30"))]
    contracts.append(PropertyContract.objects.create(
        community=other_estate.community, company_name="别家", starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2026, 7, 8), fee_residential=Decimal("2"), created_by=staff))
    for user in (owners["a"], owners["g"], tenant, outsider, staff):
        listed = set(policy.scope(user, "talents.company.rate", PropertyContract.objects.all()))
        assert {c for c in contracts if policy.can(user, "talents.company.rate", c)} == listed, user.username
    assert policy.can(owners["a"], "talents.company.rate", estate.community)
    assert not policy.can(tenant, "talents.company.rate", estate.community)
    assert not policy.can(outsider, "talents.company.rate", estate.community)
