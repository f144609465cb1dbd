"""Shared fixtures of the rentals tests: a second sublandlord, a clock to move, a registration helper."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from communities.models import Role
from landlords.services.rentals import tenant_register
from tests.factories import UnitFactory, make_member

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """Time travel: ``timezone.now()`` (and so ``localdate()``) return ``self.now``."""

    def __init__(self, monkeypatch, now):
        self.now = now
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, *args):
        self.now = dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def landlord2(community):
    return make_member(community, Role.SUBLANDLORD, username="landlord2", name="李老板")


@pytest.fixture
def let_unit2(building, landlord2):
    return UnitFactory(building=building, room="502", capacity=2, is_let=True, sublandlord=landlord2.person)


_phones = iter(range(10_000))


def register(landlord, unit, *, name="张三", phone=None, moved_in=None):
    phone = phone or f"1370000{next(_phones):04d}"
    moved_in = moved_in or timezone.localdate()
    return tenant_register(actor=landlord, unit=unit, name=name, phone=phone, moved_in=moved_in)
