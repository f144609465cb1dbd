"""Review fixes (rev1) of the owners' hub, as a resident uses it."""
from decimal import Decimal

import pytest

from talents.selectors import owners_fund as fund_sel
from talents.selectors.owners_fund_core import cents

from .owners_world import NOW, estate, frozen, owners, staff, tenant  # noqa: F401

D = Decimal


@pytest.mark.parametrize("raw, shown", [
    (D("18423628.4800000"), "18423628.48"),  # the demo's balance as SQLite sums it (15 significant digits)
    (D("2611.31000000000"), "2611.31"),  # a stairwell's area, likewise
    (D("81472.9099999996"), "81472.91"),
    (None, "0.00"),
])
def test_a_summed_amount_is_shown_in_cents(raw, shown):
    assert str(cents(raw)) == shown


def test_the_ledger_figures_are_in_cents_whatever_the_database_returns():
    row = {"initial": D("14742704.400000000"), "payment": D("-1043518.00000000000"), "balance": D("18423628.4800000")}
    figures = fund_sel._clean(row)
    assert str(figures["initial"]) == "14742704.40"
    assert str(figures["payment"]) == "-1043518.00"
    assert str(figures["balance"]) == "18423628.48"
    assert str(figures["topup"]) == "0.00"


def test_the_survey_trend_names_its_quarters_under_the_axis():
    import datetime as dt

    from django.template import Context, Template

    rows = [{"label": "2026Q2", "v": D("0.775")}, {"label": "2026Q3", "v": D("0.804")}]
    html = Template('{% load charts %}{% trend_chart rows "label" "v" max=1 unit="score" month=False %}').render(
        Context({"rows": rows}))
    assert 'class="ld-chart-label">2026Q2</text>' in html and 'class="ld-chart-label">2026Q3</text>' in html
    assert "月份" not in html and "期间" in html
    months = Template('{% load charts %}{% trend_chart rows "m" "v" %}').render(
        Context({"rows": [{"m": dt.date(2026, 3, 1), "v": 1}, {"m": dt.date(2026, 4, 1), "v": 2}]}))
    assert 'class="ld-chart-label">03</text>' in months and "月份" in months


UNSERVED_PAGES = ("/talents/owners/company/", "/talents/owners/company/window/", "/talents/owners/register/roster/",
                  "/talents/owners/assembly/", "/talents/owners/assembly/requests/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", UNSERVED_PAGES)
def test_an_estate_the_app_does_not_serve_has_no_owners_pages_as_the_hub_has_none(client, url):
    from communities.models import Role
    from tests.factories import make_member

    from .owners_world import make_estate

    unserved = make_estate("mlhy", "美兰花园", served=False)
    client.force_login(make_member(unserved.community, Role.RESIDENT, username="ml_owner", name="外小区业主",
                                   unit=unserved.unit("1号楼", "101")))
    assert client.get("/talents/owners/").status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_staff_of_two_estates_land_on_the_served_one(client):
    from communities.models import Membership, Role
    from tests.factories import make_member

    from .owners_world import make_estate

    served, unserved = make_estate(), make_estate("mlhy", "一个不用业主之家的小区", served=False)
    staff = make_member(served.community, Role.COMMITTEE_STAFF, username="two_estates", name="居委甲")
    Membership.objects.create(user=staff, community=unserved.community, role=Role.COMMITTEE_STAFF)
    client.force_login(staff)
    for url in ("/talents/owners/company/", "/talents/owners/assembly/"):
        page = client.get(url)
        assert page.status_code == 200 and served.community.name in page.content.decode(), url


# The site's CSP is default-src 'self': an inline handler or style attribute is dropped by the browser.

@pytest.mark.django_db
def test_the_roster_prints_without_an_inline_handler(client, estate, owners, staff, tenant, frozen):
    from talents.services.owners_register import roster_publish

    roster_publish(actor=staff, community=estate.community, note="第四届选举", now=NOW)
    client.force_login(tenant)
    html = client.get(f"/talents/owners/register/roster/?community={estate.community.slug}").content.decode()
    assert "data-print" in html and "onclick=" not in html


@pytest.mark.django_db
def test_the_requests_count_toward_20_percent_on_a_bar_the_csp_lets_draw(client, estate, owners, frozen):
    url = f"/talents/owners/assembly/requests/?community={estate.community.slug}"
    client.force_login(owners["a"])
    client.post(url, {"matter": "更换物业服务企业"})
    html = client.get(url).content.decode()
    assert '<progress class="w-100 mb-3" id="request-progress"' in html and 'max="2" value="1"' in html
    assert 'style="' not in html


@pytest.mark.django_db
def test_the_demo_facade_approval_is_signed_by_the_serving_director():
    from talents.demo.owners_repairs import _director_name
    from tests.factories import PersonFactory, UserFactory

    PersonFactory(user=UserFactory(username="jy_director"), name="潘晓明")
    assert _director_name() == "潘晓明"  # the committee page's 第三届 director, not 陈建国 who is on no term


def test_the_election_participation_shows_areas_to_the_cent():
    from talents.selectors.owners_election import plain_checks

    tally = {"quorum": [{"label": "人数", "part": "763", "whole": "1029", "need": "2/3", "met": True},
                        {"label": "面积", "part": "99885.7000000000", "whole": "122855.870000000", "need": "2/3",
                         "met": True}]}
    heads, area = plain_checks(tally)
    assert heads["text"].startswith("763 / 1029")
    assert area["text"].startswith("99885.70 / 122855.87")


@pytest.mark.django_db
def test_an_emergency_project_does_not_say_its_owners_vote_on_it(client, estate, staff, owners, frozen):
    from talents.services import owners_repairs as svc

    from .owners_world import at
    from .repairs_world import certified, plan

    project = certified(estate, staff, submitted_day=0)
    plan(project, staff, estate)
    svc.repair_emergency_approve(project_id=project.pk, actor=staff, approved_by="张主任", approved_at=at(2, 10))
    svc.repair_emergency_proceed(project_id=project.pk, actor=staff)
    client.force_login(owners["a"])
    html = client.get(f"/talents/owners/repairs/{project.pk}/").content.decode()
    assert "紧急维修经业委会同意使用，不经业主表决" in html and "由分摊费用的业主表决" not in html


@pytest.mark.django_db
def test_where_the_money_comes_from_shows_the_owners_own_share(client, estate, staff, owners, tenant, frozen):
    """Done when: a resident who filed a leak case sees where the money comes from, down to their household."""
    from talents.selectors.owners_repairs import project_share

    from .repairs_world import new_project, plan

    project = new_project(estate, staff)
    plan(project, staff, estate)  # 1号楼, budget 4000.00
    project.refresh_from_db()
    a_units = [estate.unit("1号楼", "101"), estate.unit("1号楼", "201")]  # 甲 owns both
    area = sum(u.floor_area for u in a_units)
    total = sum(u.floor_area for u in project.scope_units())
    share = project_share(project=project, user=owners["a"])
    assert share["area"] == area and share["basis"] == "budget"
    assert share["share"] == (D("4000.00") * area / total).quantize(D("0.01"))
    assert project_share(project=project, user=owners["h"]) is None  # 2号楼: not in the scope
    assert project_share(project=project, user=tenant) is None  # a tenant shares no cost
    client.force_login(owners["a"])
    html = client.get(f"/talents/owners/repairs/{project.pk}/").content.decode()
    assert 'data-testid="repair-my-share"' in html and f"{share['share']} 元" in html and "查看我家的维修资金" in html
    client.force_login(tenant)
    assert "repair-my-share" not in client.get(f"/talents/owners/repairs/{project.pk}/").content.decode()
