"""The fund's pages (issue 15, item 6): who sees what (owner, tenant, staff, another estate), masked names, the
freeze shown with its ways out, bad input refused with a 400 and nothing written, a double submission, constant
query counts."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Unit
from talents.models import FundEntry, FundFreeze, FundStatement, TopUpWarning
from talents.services import owners_fund as svc

from ..factories import BuildingFactory, UnitFactory
from .owners_world import NOW, estate, frozen, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ledger(estate, staff):
    svc.fund_collect_initial(actor=staff, community=estate.community, on=dt.date(2025, 3, 1), rate=D("100"))
    return estate


def _page(client, user, estate, url="/talents/owners/fund/"):
    client.force_login(user)
    return client.get(f"{url}?community={estate.community.slug}")


def test_an_owner_sees_the_estate_and_their_own_households_in_full(client, ledger, owners, frozen):
    page = _page(client, owners["a"], ledger)
    html = page.content.decode()
    assert page.status_code == 200
    assert "我家的维修资金" in html
    mine = [row for row in html.split('data-testid="fund-mine-row"')[1:]]
    assert len(mine) == 2 and "1号楼 101" in mine[0] + mine[1] and "1号楼 201" in mine[0] + mine[1]
    assert "110000.00" in html and html.index("1号楼") < html.index("2号楼")


def test_a_tenant_sees_the_public_figures_and_statement_but_no_household(client, ledger, staff, tenant, frozen):
    html = _page(client, tenant, ledger).content.decode()
    assert "110000.00" in html and "我家的维修资金" not in html
    statement, _ = svc.fund_statement_publish(actor=staff, community=ledger.community,
                                              period_start=dt.date(2025, 1, 1), now=NOW)
    page = client.get(f"/talents/owners/fund/statements/{statement.pk}/")
    assert page.status_code == 200 and "110000.00" in page.content.decode()
    assert "data-print" in page.content.decode()
    listing = _page(client, tenant, ledger, "/talents/owners/fund/statements/").content.decode()
    assert "fund-statement-link" in listing and "生成并公示" not in listing


def test_the_building_page_masks_owner_names(client, ledger, owners, tenant, frozen):
    client.force_login(tenant)
    page = client.get(f"/talents/owners/fund/buildings/{ledger.buildings['1号楼'].pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "甲*" in html and "甲业主" not in html and "乙*、丙*" in html
    assert html.count('data-testid="fund-household-row"') == 8


def test_another_estate_gets_404_everywhere(client, ledger, staff, outsider, frozen):
    statement, _ = svc.fund_statement_publish(actor=staff, community=ledger.community,
                                              period_start=dt.date(2025, 1, 1), now=NOW)
    freeze = svc.fund_freeze(actor=staff, community=ledger.community, reason="换届", conditions="备案",
                             on=dt.date(2026, 3, 1))
    client.force_login(outsider)
    for url in (f"/talents/owners/fund/?community={ledger.community.slug}",
                f"/talents/owners/fund/buildings/{ledger.buildings['1号楼'].pk}/",
                f"/talents/owners/fund/statements/{statement.pk}/",
                f"/talents/owners/fund/statements/?community={ledger.community.slug}"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/talents/owners/fund/freeze/{freeze.pk}/lift/").status_code == 403  # not staff anywhere


def test_an_owner_may_not_book_freeze_or_publish(client, ledger, owners, frozen):
    client.force_login(owners["a"])
    slug = ledger.community.slug
    assert client.get(f"/talents/owners/fund/book/?community={slug}").status_code == 403
    assert client.post("/talents/owners/fund/freeze/", {"community": slug, "started_on": "2026-03-01",
                                                        "reason": "x", "conditions": "y"}).status_code == 403
    assert client.post("/talents/owners/fund/statements/publish/",
                       {"community": slug, "period_start": "2025-07-01"}).status_code == 403
    assert not FundFreeze.objects.exists() and not FundStatement.objects.exists()


def test_staff_book_a_top_up_once_even_when_the_form_is_sent_twice(client, ledger, staff, frozen):
    client.force_login(staff)
    data = {"community": ledger.community.slug, "kind": "topup", "booked_on": "2026-03-09",
            "lines": "1号楼 101 500.00\n2号楼 102 250.50", "note": "续筹", "batch": "abc123"}
    assert client.post("/talents/owners/fund/book/", data).status_code == 302
    assert client.post("/talents/owners/fund/book/", data).status_code == 302
    assert sorted(FundEntry.objects.filter(kind="topup").values_list("amount", flat=True)) == [D("250.50"), D("500.00")]


@pytest.mark.parametrize("data,message", [
    ({"kind": "topup", "booked_on": "2026-03-09", "lines": "1号楼 999 500"}, "本小区没有"),
    ({"kind": "topup", "booked_on": "2026-03-09", "lines": "1号楼 101 -5"}, "必须大于零"),
    ({"kind": "initial", "booked_on": "2026-03-09", "rate": "120"}, "已经首期归集过"),
    ({"kind": "interest", "booked_on": "2026-03-09", "total": "0"}, "必须大于零"),
    ({"kind": "refund", "booked_on": "2026-03-09", "lines": "1号楼 101 1\n1号楼 102 1"}, "只记一户"),
])
def test_bad_bookings_answer_400_and_write_nothing(client, ledger, staff, frozen, data, message):
    client.force_login(staff)
    before = FundEntry.objects.count()
    page = client.post("/talents/owners/fund/book/", {"community": ledger.community.slug, "batch": "x", **data})
    assert page.status_code == 400 and message in page.content.decode()
    assert FundEntry.objects.count() == before


def test_the_freeze_is_shown_with_its_ways_out_and_lifting_needs_a_note(client, ledger, staff, tenant, frozen):
    client.force_login(staff)
    slug = ledger.community.slug
    assert client.post("/talents/owners/fund/freeze/", {"community": slug, "started_on": "2026-03-01",
                                                        "reason": "换届期间资料、印章移交",
                                                        "conditions": "新一届业委会备案"}).status_code == 302
    freeze = FundFreeze.objects.get()
    html = _page(client, tenant, ledger).content.decode()
    assert "维修资金冻结中" in html and "新一届业委会备案" in html and "第七十三条" in html and "第二十条" in html
    client.force_login(staff)
    page = client.post(f"/talents/owners/fund/freeze/{freeze.pk}/lift/", {"lifted_on": "2026-03-09", "note": ""})
    assert page.status_code == 400 and "解冻须写明" in page.content.decode()
    page = client.post(f"/talents/owners/fund/freeze/{freeze.pk}/lift/",
                       {"lifted_on": "2026-03-09", "note": "第三届业委会已备案，资料印章已移交"})
    assert page.status_code == 302
    html = _page(client, tenant, ledger).content.decode()
    assert "维修资金冻结中" not in html and 'data-testid="fund-freeze-history"' in html and "资料印章已移交" in html


def test_the_warning_shows_both_clocks_on_the_page(client, ledger, staff, frozen):
    TopUpWarning.objects.create(community=ledger.community, building=ledger.buildings["2号楼"],
                                raised_on=dt.date(2025, 11, 30), balance=D("8000"), first_collection=D("30000"),
                                ratio=D("0.2667"))
    html = _page(client, staff, ledger).content.decode()
    assert "期限 2026-02-28，已逾期 10 天" in html and "第六十五条" in html and "余额为首期归集的 26.7%" in html
    warning = TopUpWarning.objects.get()
    assert client.post(f"/talents/owners/fund/warnings/{warning.pk}/notices/", {"on": "2026-01-31"}).status_code == 302
    assert "期限 2026-05-01，还剩 52 天" in _page(client, staff, ledger).content.decode()
    assert client.post(f"/talents/owners/fund/warnings/{warning.pk}/other/", {"on": "2026-01-31"}).status_code == 404


def test_the_hub_card_shows_balance_freeze_and_statement(client, ledger, staff, owners, frozen):
    svc.fund_statement_publish(actor=staff, community=ledger.community, period_start=dt.date(2025, 1, 1), now=NOW)
    html = _page(client, owners["a"], ledger, "/talents/owners/").content.decode()
    assert 'data-testid="hub-fund-balance">110000.00' in html and "未冻结" in html and "最近公示" in html


def _more_households(estate, staff, n):
    building = BuildingFactory(community=estate.community, name="10号楼")
    units = [UnitFactory(building=building, room=f"{i + 1:02d}01", floor=i + 1, floor_area=D("88")) for i in range(n)]
    svc.fund_top_up(actor=staff, community=estate.community, on=dt.date(2025, 4, 1),
                    amounts=[(u, D("100")) for u in units])


@pytest.mark.parametrize("url", ["/talents/owners/fund/", "building"])
def test_the_pages_run_a_constant_number_of_queries(client, ledger, staff, owners, frozen, url):
    def count():
        client.force_login(owners["a"])
        target = (f"/talents/owners/fund/buildings/{Unit.objects.order_by('-pk').first().building_id}/"
                  if url == "building" else f"{url}?community={ledger.community.slug}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        return len(ctx.captured_queries)

    _more_households(ledger, staff, 3)
    few = count()
    _more_households_more(ledger, staff, 40)
    assert count() == few


def _more_households_more(estate, staff, n):
    building = estate.community.buildings.get(name="10号楼")
    units = [UnitFactory(building=building, room=f"{i + 1:02d}02", floor=i + 1, floor_area=D("90")) for i in range(n)]
    svc.fund_top_up(actor=staff, community=estate.community, on=dt.date(2025, 4, 2),
                    amounts=[(u, D("100")) for u in units])


def test_the_fund_page_query_count(client, ledger, owners, frozen, django_assert_max_num_queries):
    client.force_login(owners["a"])
    client.get(f"/talents/owners/fund/?community={ledger.community.slug}")  # warm the session
    with django_assert_max_num_queries(20):
        assert client.get(f"/talents/owners/fund/?community={ledger.community.slug}").status_code == 200


def test_the_statement_is_computed_and_shown_in_a_constant_number_of_queries(client, ledger, staff, owners, frozen):
    """Issue 15 item 10: the estate's fund statement in a fixed number of queries, whatever the households."""
    from talents.selectors.owners_fund import statement_figures

    def figures_queries():
        with CaptureQueriesContext(connection) as ctx:
            figures = statement_figures(community=ledger.community, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30))
        return len(ctx.captured_queries), figures

    _more_households(ledger, staff, 3)
    few, small = figures_queries()
    _more_households_more(ledger, staff, 40)
    many, large = figures_queries()
    assert many == few
    assert large != small  # the 40 households' top-ups are in the figures: the count was taken on real work
    statement, _ = svc.fund_statement_publish(actor=staff, community=ledger.community,
                                              period_start=dt.date(2025, 1, 1), now=NOW)
    client.force_login(owners["a"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/talents/owners/fund/statements/{statement.pk}/").status_code == 200
    assert len(ctx.captured_queries) <= 12  # the page reads the frozen snapshot, not the ledger
