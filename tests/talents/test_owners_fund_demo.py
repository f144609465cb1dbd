"""The fund's demo (talents.demo.owners_fund) on a small 郡园: the ledger from 2008, the lifted freeze, 12号楼 below
30 % with its open warning, the two statements of 2025; a second run books nothing."""
import datetime as dt
from decimal import Decimal

import pytest

from communities.models import Community, Role
from talents.demo.owners_fund import demo_owners_fund_seed
from talents.models import FundEntry, FundFreeze, FundStatement, TopUpWarning

from ..factories import BuildingFactory, CommunityFactory, UnitFactory, make_member
from .owners_world import NOW

pytestmark = pytest.mark.django_db


def test_no_junyuan_no_demo():
    assert demo_owners_fund_seed(now=NOW) == {}


def test_the_demo_ledger_once(django_assert_max_num_queries):
    community = CommunityFactory(slug="junyuan", name="郡园居民区", kind=Community.Kind.RESIDENTIAL)
    for name in ("1号楼", "5号楼", "12号楼"):
        building = BuildingFactory(community=community, name=name)
        for room in ("101", "102"):
            UnitFactory(building=building, room=room, floor=1, floor_area=Decimal("100"))
    make_member(community, Role.COMMITTEE_STAFF, username="staff_junyuan")
    with django_assert_max_num_queries(400):  # a fixed number of bulk steps, not one per household
        report = demo_owners_fund_seed(now=NOW)
    assert report["households"] == 6 and report["statements"] == 2 and report["warning"]
    assert FundEntry.objects.filter(kind="initial").first().amount == Decimal("12000.00")  # 100 m² × 120 元
    freeze = FundFreeze.objects.get()
    assert (freeze.started_on, freeze.lifted_on) == (dt.date(2022, 6, 30), dt.date(2025, 3, 10))
    warning = TopUpWarning.objects.get()
    assert warning.building.name == "12号楼" and warning.ratio < Decimal("0.30")
    assert warning.raised_on == NOW.date() - dt.timedelta(days=30)
    assert set(FundStatement.objects.values_list("period_start", flat=True)) == {dt.date(2025, 1, 1),
                                                                                 dt.date(2025, 7, 1)}
    count = FundEntry.objects.count()
    assert demo_owners_fund_seed(now=NOW) == {}
    assert FundEntry.objects.count() == count
