"""Who is on duty now (communities.selectors.rotas.on_duty_now): the station's hotline asks it at night."""
import datetime as dt

import pytest

from communities.models import Rota, Role, ShiftAssignment
from communities.selectors.rotas import on_duty_now
from communities.services.rota_duty import shift_check_in

from ..factories import CommunityFactory
from .rota_helpers import MONDAY, at, generate, make_rota, members

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    community = CommunityFactory(slug="village-duty")
    guards = members(community, 2, prefix="guard", role=Role.STATION_STAFF)
    night = make_rota(community, guards, name="夜班安保", kind=Rota.Kind.SECURITY, slots=((22, 6, 1),))
    cleaners = members(community, 1, prefix="clean", role=Role.STATION_STAFF)
    day = make_rota(community, cleaners, name="绿化保洁", kind=Rota.Kind.GREENING, slots=((7, 11, 1),))
    generate(night)
    generate(day)
    return community, night, day


def test_the_night_guard_is_on_duty_at_two_in_the_morning(village):
    community, night, day = village
    duty = on_duty_now(community=community, kinds=[Rota.Kind.SECURITY], at=at(1, 2))
    assert len(duty) == 1
    assert duty[0].shift.rota == night
    assert duty[0].shift.starts_at <= at(1, 2) < duty[0].shift.ends_at
    # the cleaner's morning shift does not cover 02:00, and 15:00 is covered by no one
    assert on_duty_now(community=community, at=at(1, 2)) == duty
    assert on_duty_now(community=community, at=at(1, 15)) == []
    assert [d.shift.rota for d in on_duty_now(community=community, at=at(1, 8))] == [day]


def test_someone_marked_absent_or_gone_home_is_not_on_duty(village):
    community, night, _day = village
    moment = at(1, 2)
    duty = on_duty_now(community=community, kinds=[Rota.Kind.SECURITY], at=moment)
    ShiftAssignment.objects.filter(shift=duty[0].shift).update(missed_at=moment)
    assert on_duty_now(community=community, kinds=[Rota.Kind.SECURITY], at=moment) == []


def test_checked_in_come_first_and_another_village_is_not_asked(village):
    community, night, _day = village
    other = CommunityFactory(slug="village-other")
    assert on_duty_now(community=other, at=at(1, 2)) == []
    shift = night.shifts.get(starts_at__lte=at(2, 2), ends_at__gt=at(2, 2))
    first = shift.assignments.get()
    relief = members(community, 1, prefix="relief", role=Role.STATION_STAFF)[0]
    second = ShiftAssignment.objects.create(shift=shift, user=relief)
    shift_check_in(assignment_id=second.pk, actor=relief, now=shift.starts_at + dt.timedelta(minutes=5))
    duty = on_duty_now(community=community, at=at(2, 2))
    assert [(d.user, d.checked_in) for d in duty] == [(relief, True), (first.user, False)]


def test_one_query(village, django_assert_num_queries):
    community, *_ = village
    with django_assert_num_queries(1):
        on_duty_now(community=community, kinds=[Rota.Kind.SECURITY], rota_ids=[], at=MONDAY)
