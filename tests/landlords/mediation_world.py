"""Fixtures for the mediation room and the two groups: a mediation-room rota with shifts around now."""
import datetime as dt
import uuid

import pytest
from django.utils import timezone

from communities.models import Agency, Residency, Role, Rota, Shift, ShiftAssignment, Unit

from ..factories import BuildingFactory, CaseCategoryFactory, UnitFactory, make_member

HOUR = dt.timedelta(hours=1)


def make_shift(rota, *, starts_at, hours=2, users=()):
    shift = Shift.objects.create(rota=rota, starts_at=starts_at, ends_at=starts_at + hours * HOUR)
    for user in users:
        ShiftAssignment.objects.create(shift=shift, user=user)
    return shift


@pytest.fixture
def room(community, landlord):
    return Rota.objects.create(community=community, name="蓉治社接待室值班", kind=Rota.Kind.MEDIATION_ROOM,
                               place="蓉治社接待室", manager=landlord)


@pytest.fixture
def landlord2(community):
    return make_member(community, Role.SUBLANDLORD, username="landlord2", name="刘阿姨")


@pytest.fixture
def shift_now(room, landlord):
    """A shift that started an hour ago and ends in an hour, with ``landlord`` on duty."""
    return make_shift(room, starts_at=timezone.now() - HOUR, users=[landlord])


@pytest.fixture
def police(db):
    return Agency.objects.get_or_create(code="police", defaults={"name": "公安"})[0]


@pytest.fixture
def dispute_category(community):
    return CaseCategoryFactory(community=community, code="tenant_dispute", name="租客矛盾")


@pytest.fixture
def other_staff(other_community):
    return make_member(other_community, Role.COMMITTEE_STAFF, username="otherstaff", name="别处居委")


@pytest.fixture
def building2(community):
    return BuildingFactory(community=community, name="2号楼")


@pytest.fixture
def landlord2_let(building2, landlord2) -> Unit:
    """landlord2 lets a unit in 2号楼 only."""
    return UnitFactory(building=building2, room="201", is_let=True, sublandlord=landlord2.person)


@pytest.fixture
def moved_out_tenant(community, let_unit):
    user = make_member(community, Role.TENANT, username="oldtenant", unit=let_unit,
                       relation=Residency.Relation.TENANT, name="搬走的租客")
    Residency.objects.filter(person__user=user).update(moved_out=timezone.localdate())
    return user


def key():
    return uuid.uuid4()
