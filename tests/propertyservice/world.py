"""Building blocks for the 光明村 tests: a village the app serves, with its station team (two heads), station
staff, a villager and the village's committee staff; another village for the 404s; and a fixed clock.

Time moves by passing ``now=`` to the services, never by sleeping; no test reads today's date."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from communities.models import Backbone, Community, Role, Team, VillageGroup

from ..clock import frozen_at
from ..factories import BuildingFactory, CommunityFactory, UnitFactory, make_member, serve

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday, 10:00 in Shanghai: the tests' "now" (not a month's end, not a holiday).
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Local time ``day`` days after NOW's date, at hour:minute."""
    return dt.datetime.combine(NOW.date() + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=SHANGHAI)


def make_village(slug="gm-test", name="光明村（测试）", *, served=True) -> Community:
    village = CommunityFactory(slug=slug, name=name, kind=Community.Kind.VILLAGE)
    if served:
        serve(village, "propertyservice")
    return village


def make_station(village, *heads) -> Team:
    station = Team.objects.create(community=village, name="物业管理服务站", kind=Team.Kind.STATION)
    for head in heads:
        Backbone.objects.create(team=station, user=head, office=Backbone.Office.STATION_HEAD, source="appointed",
                                term_start=NOW.date() - 365 * DAY)
    return station


def make_house(village, group="丁钱", number="1号"):
    village_group, _ = VillageGroup.objects.get_or_create(community=village, name=group)
    building = BuildingFactory(community=village, name=f"{group}{number}", village_group=village_group)
    return UnitFactory(building=building)


frozen = frozen_at(NOW)


@pytest.fixture
def village():
    return make_village()


@pytest.fixture
def other_village():
    other = make_village("gm-other", "另一个村")
    make_station(other, make_member(other, Role.STATION_STAFF, username="other-station"))
    return other


@pytest.fixture
def head(village):
    return make_member(village, Role.STATION_STAFF, username="head", name="周国强")


@pytest.fixture
def head2(village):
    return make_member(village, Role.STATION_STAFF, username="head2", name="施建华")


@pytest.fixture
def station(village, head, head2):
    return make_station(village, head, head2)


@pytest.fixture
def staff_member(village, station):
    return make_member(village, Role.STATION_STAFF, username="guard", name="丁卫东")


@pytest.fixture
def committee(village):
    return make_member(village, Role.COMMITTEE_STAFF, username="cunwei", name="钱伟")


@pytest.fixture
def villager(village):
    return make_member(village, Role.RESIDENT, username="villager", unit=make_house(village), name="丁阿婆")
