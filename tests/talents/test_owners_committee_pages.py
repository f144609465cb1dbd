"""The owners' committee pages (issue 15 item 2): who sees what, the staff forms (400 on bad input, nothing
written), another estate's 404, the hub card, constant query counts, and the demo seeder."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Backbone, Role
from talents.models import CommitteeDecision, CommitteeFiling, CommitteeRecall, CommitteeTerm
from talents.services import owners_committee as svc
from talents.services.committee_terms import committee_term_start

from ..factories import PersonFactory, ResidencyFactory, make_member
from .owners_world import (NOW, community, estate, frozen, make_estate, other_estate, outsider, owners,  # noqa: F401
                           staff, tenant)

pytestmark = pytest.mark.django_db
O = Backbone.Office
D = dt.date
PAGE = "/talents/owners/committee/"


@pytest.fixture
def term(estate, owners, staff):
    members = [(owners["a"], O.DIRECTOR), (owners["b"], O.DEPUTY_DIRECTOR), (owners["d"], O.COMMITTEE_MEMBER)]
    return committee_term_start(actor=staff, community=estate.community, members=members,
                                started_on=D(2025, 1, 18), ends_on=D(2030, 1, 17))


def _decision(estate, actor, title="续聘物业", decided_on=D(2026, 3, 5), publish_at=None):
    d = svc.committee_decision_record(actor=actor, community=estate.community, title=title, text="内容",
                                      decided_on=decided_on, now=NOW)
    if publish_at:
        svc.committee_decision_publish(actor=actor, decision_id=d.pk, now=publish_at)
    return d


def test_the_tenant_reads_published_decisions_only_and_has_no_staff_buttons(client, estate, term, owners, tenant,
                                                                              frozen):
    _decision(estate, owners["a"], "已公告的决定", publish_at=NOW)
    _decision(estate, owners["a"], "未公告的决定", decided_on=D(2026, 3, 2))
    client.force_login(tenant)
    page = client.get(PAGE)
    body = page.content.decode()
    assert page.status_code == 200
    assert "已公告的决定" in body and "未公告的决定" not in body
    assert "甲业主" in body and "第1届业主委员会" in body and "登记决定" not in body
    client.force_login(owners["a"])  # the director sees the decision still due, and how late it is
    body = client.get(PAGE).content.decode()
    assert "未公告的决定" in body and "已逾期 5 天" in body  # decided 2 March, due 5 March, today 10 March


def test_the_tenant_cannot_record_or_publish(client, estate, term, owners, tenant, frozen):
    decision = _decision(estate, owners["a"])
    client.force_login(tenant)
    assert client.get(f"{PAGE}decisions/new/").status_code == 403
    assert client.post(f"{PAGE}decisions/{decision.pk}/publish/").status_code == 403
    assert client.get(f"{PAGE}filings/new/").status_code == 403
    decision.refresh_from_db()
    assert decision.published_at is None


def test_another_estate_gets_404(client, estate, term, owners, outsider, frozen):
    decision = _decision(estate, owners["a"], publish_at=NOW)
    client.force_login(outsider)
    assert client.get(f"{PAGE}?community={estate.community.slug}").status_code == 404
    assert client.get(f"{PAGE}1/?community={estate.community.slug}").status_code == 404
    assert client.post(f"{PAGE}decisions/{decision.pk}/publish/").status_code == 404
    assert client.get(f"{PAGE}decisions/{decision.pk}/notice/").status_code == 404


def test_a_member_records_and_publishes_through_the_pages_and_a_double_click_is_harmless(client, estate, term,
                                                                                          owners, frozen):
    client.force_login(owners["b"])
    url = f"{PAGE}decisions/new/?community={estate.community.slug}"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": "x", "text": "y", "decided_on": "2026-03-11"})  # tomorrow
    assert bad.status_code == 400 and not CommitteeDecision.objects.exists()
    ok = client.post(url, {"title": "续聘物业", "text": "续聘一年", "decided_on": "2026-03-09"})
    assert ok.status_code == 302
    decision = CommitteeDecision.objects.get()
    for _ in range(2):
        assert client.post(f"{PAGE}decisions/{decision.pk}/publish/").status_code == 302
    decision.refresh_from_db()
    assert decision.published_at == NOW
    notice = client.post(f"{PAGE}decisions/{decision.pk}/notice/", {"notice": "已书面告知居委会"})
    assert notice.status_code == 302
    assert "在三日内" in client.get(PAGE).content.decode()


def test_staff_record_a_filing_and_a_recall_through_the_pages(client, estate, term, staff, frozen):
    client.force_login(staff)
    slug = estate.community.slug
    pdf = SimpleUploadedFile("cert.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    page = client.post(f"{PAGE}filings/new/?community={slug}", {
        "term": term.pk, "kind": "seal", "number": "罗店业章〔2025〕第003号", "issued_on": "2025-02-17",
        "issued_by": "罗店镇人民政府", "file": pdf})
    assert page.status_code == 302
    filing = CommitteeFiling.objects.get()
    got = client.get(f"{PAGE}filings/{filing.pk}/file/")
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert "印章届别：第1届" in client.get(PAGE).content.decode()
    bad = client.post(f"{PAGE}recalls/new/?community={slug}", {"term": term.pk, "decided_on": "2026-03-01",
                                                               "grounds": "pledge"})
    assert bad.status_code == 400 and not CommitteeRecall.objects.exists()  # no vote and no result text
    ok = client.post(f"{PAGE}recalls/new/?community={slug}", {"term": term.pk, "decided_on": "2026-03-01",
                                                              "grounds": "pledge", "result_text": "书面表决通过"})
    assert ok.status_code == 302
    term.refresh_from_db()
    assert term.end_reason == CommitteeTerm.End.RECALLED
    body = client.get(f"{PAGE}1/").content.decode()
    assert "被业主罢免" in body and "书面表决通过" in body


def test_an_owner_who_is_not_a_member_cannot_open_the_staff_forms(client, estate, term, owners, frozen):
    client.force_login(owners["e"])
    assert client.get(f"{PAGE}decisions/new/").status_code == 403
    assert client.get(f"{PAGE}recalls/new/").status_code == 403


def test_the_committee_page_and_the_hub_run_a_constant_number_of_queries(client, estate, term, owners, staff,
                                                                         frozen, django_assert_max_num_queries):
    client.force_login(owners["e"])
    for i in range(3):
        _decision(estate, owners["a"], f"决定{i}", publish_at=NOW)
    with django_assert_max_num_queries(30) as few:
        client.get(PAGE)
    for i in range(3, 20):
        _decision(estate, owners["a"], f"决定{i}", publish_at=NOW)
    for kind in ("filing", "seal"):
        svc.committee_filing_record(actor=staff, term=term, kind=kind, number=f"号{kind}", issued_on=D(2025, 2, 1),
                                    now=NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)
    body = client.get("/talents/owners/").content.decode()
    assert "今年已公告 20 项决定" in body and "业委会主任" in body


def test_the_hub_card_warns_the_committee_of_a_decision_past_its_three_days(client, estate, term, owners, frozen):
    _decision(estate, owners["a"], "迟迟未公告", decided_on=D(2026, 3, 2))
    client.force_login(owners["a"])
    assert "已超过三日未公告" in client.get("/talents/owners/").content.decode()


def test_the_demo_seeds_three_terms_two_recalls_and_is_idempotent():
    from talents.demo.owners_committee import demo_owners_committee_seed

    assert demo_owners_committee_seed() == {}  # no 郡园
    jy = make_estate(slug="junyuan", name="郡园居民区")
    make_member(jy.community, Role.COMMITTEE_STAFF, username="staff_junyuan", name="李倩")
    for i in range(15):
        unit = list(jy.units.values())[i % len(jy.units)]
        ResidencyFactory(person=PersonFactory(name=f"业主{i}"), unit=unit, relation="owner")
    first = demo_owners_committee_seed(now=NOW)
    assert first == {"terms": 3, "recalls": 2, "filings": 2, "decisions": 3}
    assert demo_owners_committee_seed(now=NOW) == {"terms": 0, "recalls": 0, "filings": 0, "decisions": 0}
    terms = {t.number: t for t in CommitteeTerm.objects.filter(community=jy.community)}
    assert [terms[n].end_reason for n in (1, 2, 3)] == ["recalled", "recalled", ""]
    late = CommitteeDecision.objects.get(title="电梯维保合同续签")
    from talents.selectors.owners_committee import publication_of
    assert (publication_of(late, today=NOW.date()).state, publication_of(late, today=NOW.date()).days) == ("late", 1)
    assert terms[3].team.backbones.get(office=O.DIRECTOR).user.username == "jy_director"
