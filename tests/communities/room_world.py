"""Shared fixtures of the room tests: the service centre's rooms of the persona community, a talent host of it,
and times: fixed ones for the services (which take ``now=``), and for the pages (whose services read the real
clock) a week safely ahead of whenever the test runs."""
import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Role, Room
from communities.services import rooms as svc

from ..factories import make_member

TZ = timezone.get_default_timezone()
# The services' clock in these tests: Monday 2026-11-30 09:00, Shanghai.
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=TZ)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    """A moment of December 2026 (after NOW), Shanghai time."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def ahead(hour: int, minute: int = 0, days: int = 0) -> dt.datetime:
    """A moment of the Monday after next (+ ``days``), whatever today is: always in the future for the pages."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=14 + days)
    return dt.datetime.combine(monday, dt.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def talent(community):
    return make_member(community, Role.TALENT, username="host", name="书香主理人")


@pytest.fixture
def volunteer(community):
    return make_member(community, Role.VOLUNTEER, username="volunteer", name="宝妈小林")


@pytest.fixture
def hall(community):
    return Room.objects.create(community=community, name="多功能厅", where="党群服务中心 二楼", capacity=60)


@pytest.fixture
def studio_room(community):
    return Room.objects.create(community=community, name="书香工作室", where="党群服务中心 一楼", capacity=20)


@pytest.fixture
def foreign_room(other_community):
    return Room.objects.create(community=other_community, name="活动室", capacity=30)


def book(room, actor, starts_at, ends_at, title="书香工作室·绘本阅读", now=NOW, **kwargs):
    return svc.room_book(room=room, starts_at=starts_at, ends_at=ends_at, title=title, actor=actor, now=now,
                         **kwargs)
