"""Building blocks for the owners' hub tests (issue 15): a small estate the talents app serves whose owners'
roll can be counted by hand, its committee staff (two, for paper ballots entered and confirmed), a tenant, and
another estate for the 404s; and a fixed clock.

The estate (``estate``):

- 1号楼, 1单元: 101 (100 m², 业主甲 ``owner_a``), 102 (80 m², 业主乙 ``owner_b`` and 丙, co-owners: one vote),
  201 (120 m², 业主甲 again: 甲 votes once with 220 m²), 202 (100 m², 丁 ``owner_d``);
- 1号楼, 2单元: 103 (90 m², 戊 ``owner_e``), 104 (110 m², unsold: the developer), 203 (95 m², 己, no login),
  204 (105 m², 庚 ``owner_g``; let to ``tenant``);
- 2号楼, 1单元: 101 (150 m², 辛 ``owner_h``), 102 (150 m², unsold: the developer).

Whole estate (``owners`` fixture): 10 units, 1,100 m²; the owners' roll is 甲 (220), 乙+丙 (80), 丁 (100), 戊 (90),
己 (95), 庚 (105), 辛 (150) and the developer (1号楼104 + 2号楼102 = 260): 8 heads, 1,100 m². 1号楼 alone: 甲, 乙丙,
丁, 戊, 己, 庚 and the developer (104): 7 heads, 800 m². 1号楼1单元: 甲, 乙丙, 丁: 3 heads, 400 m².

Time moves by passing ``now=`` to the services, never by sleeping; no test reads today's date."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from communities.models import Community, Residency, Role

from ..factories import (BuildingFactory, CommunityFactory, PersonFactory, ResidencyFactory, UnitFactory,
                         make_member, serve)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday, 10:00 in Shanghai: the tests' "now" (not a month's end, not a holiday).
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
OWNER = Residency.Relation.OWNER

UNITS = {  # (building, entrance, room): area
    ("1号楼", "1单元", "101"): "100", ("1号楼", "1单元", "102"): "80", ("1号楼", "1单元", "201"): "120",
    ("1号楼", "1单元", "202"): "100", ("1号楼", "2单元", "103"): "90", ("1号楼", "2单元", "104"): "110",
    ("1号楼", "2单元", "203"): "95", ("1号楼", "2单元", "204"): "105",
    ("2号楼", "1单元", "101"): "150", ("2号楼", "1单元", "102"): "150",
}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Local time ``day`` days after NOW's date, at hour:minute."""
    return dt.datetime.combine(NOW.date() + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=SHANGHAI)


class Estate:
    """The estate's rows by name: ``estate.unit("1号楼", "101")``, ``estate.buildings["1号楼"]``."""

    def __init__(self, community):
        self.community = community
        self.buildings, self.units = {}, {}
        for (building, entrance, room), area in UNITS.items():
            if building not in self.buildings:
                self.buildings[building] = BuildingFactory(community=community, name=building)
            self.units[(building, room)] = UnitFactory(building=self.buildings[building], room=room,
                                                       floor=int(room[0]), entrance=entrance,
                                                       floor_area=Decimal(area))

    def unit(self, building, room):
        return self.units[(building, room)]


def make_estate(slug="jy-test", name="郡园（测试）", *, served=True) -> Estate:
    community = CommunityFactory(slug=slug, name=name, kind=Community.Kind.RESIDENTIAL)
    if served:
        serve(community, "talents")
    return Estate(community)


@pytest.fixture
def frozen(monkeypatch):
    """The pages read the clock (``timezone.now``): it says NOW, whatever the real date and time."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def estate():
    return make_estate()


@pytest.fixture
def community(estate):
    return estate.community


@pytest.fixture
def owners(estate):
    """The owners with logins, by letter; 丙 (co-owner of 102) and 己 (203) have none."""
    c = estate.community
    a = make_member(c, Role.RESIDENT, username="owner_a", name="甲业主", unit=estate.unit("1号楼", "101"))
    ResidencyFactory(person=a.person, unit=estate.unit("1号楼", "201"), relation=OWNER)
    b = make_member(c, Role.RESIDENT, username="owner_b", name="乙业主", unit=estate.unit("1号楼", "102"))
    ResidencyFactory(person=PersonFactory(name="丙业主"), unit=estate.unit("1号楼", "102"), relation=OWNER)
    d = make_member(c, Role.RESIDENT, username="owner_d", name="丁业主", unit=estate.unit("1号楼", "202"))
    e = make_member(c, Role.RESIDENT, username="owner_e", name="戊业主", unit=estate.unit("1号楼", "103"))
    ResidencyFactory(person=PersonFactory(name="己业主"), unit=estate.unit("1号楼", "203"), relation=OWNER)
    g = make_member(c, Role.RESIDENT, username="owner_g", name="庚业主", unit=estate.unit("1号楼", "204"))
    h = make_member(c, Role.RESIDENT, username="owner_h", name="辛业主", unit=estate.unit("2号楼", "101"))
    return {"a": a, "b": b, "d": d, "e": e, "g": g, "h": h}


@pytest.fixture
def tenant(estate):
    unit = estate.unit("1号楼", "204")
    unit.is_let = True
    unit.save(update_fields=["is_let"])
    return make_member(estate.community, Role.TENANT, username="jy_tenant", name="租客", unit=unit,
                       relation=Residency.Relation.TENANT)


@pytest.fixture
def staff(estate):
    return make_member(estate.community, Role.COMMITTEE_STAFF, username="jy_staff", name="居委甲")


@pytest.fixture
def staff2(estate):
    return make_member(estate.community, Role.COMMITTEE_STAFF, username="jy_staff2", name="居委乙")


@pytest.fixture
def secretary(estate):
    return make_member(estate.community, Role.PARTY_SECRETARY, username="jy_secretary", name="书记")


@pytest.fixture
def other_estate():
    return make_estate("jy-other", "另一个小区")


@pytest.fixture
def outsider(other_estate):
    return make_member(other_estate.community, Role.RESIDENT, username="jy_outsider", name="外小区业主",
                       unit=other_estate.unit("1号楼", "101"))
