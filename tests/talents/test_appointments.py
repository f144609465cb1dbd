"""Services by appointment (预约服务): a host opens the photographer's free ID-photo slots, residents book them, the
host confirms, a reminder goes out once, and a no-show is recorded only after the slot began. Unhappy paths: a full
slot, a double booking, a host of another studio, another community."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from communities import policy
from communities.models import Notification, Role
from communities.services.errors import DomainError
from talents.models import BookingStatus, ServiceBooking, ServiceSlot, StudioService
from talents.selectors.appointments import bookings_due_reminder
from talents.services.appointments import (
    booking_cancel, booking_confirm, booking_make, booking_outcome, booking_remind, service_save, slots_open,
)

from ..factories import make_member
from .services_world import NOW, SHANGHAI, TUESDAY, id_photos, junyuan, people, studio_with_host

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def world(db):
    community = junyuan()
    host = make_member(community, Role.TALENT, username="photographer", name="摄影达人")
    studio = studio_with_host(community, host)
    service = id_photos(studio, host)
    return {"community": community, "host": host, "studio": studio, "service": service,
            "residents": people(community, 3), "staff": make_member(community, Role.COMMITTEE_STAFF,
                                                                    username="staff_jy", name="居委小李")}


def slot(world, *, hour=9, capacity=1):
    made = slots_open(actor=world["host"], service=world["service"], day=TUESDAY, first=dt.time(hour), count=1,
                      capacity=capacity, now=NOW)
    return made[0] if made else ServiceSlot.objects.get(service=world["service"],
                                                       starts_at=dt.datetime.combine(TUESDAY, dt.time(hour), SHANGHAI))


def test_a_host_opens_a_day_of_slots_once(world):
    made = slots_open(actor=world["host"], service=world["service"], day=TUESDAY, first=dt.time(9), count=8,
                      gap_minutes=5, now=NOW)
    assert len(made) == 8
    times = [s.starts_at.astimezone(SHANGHAI).strftime("%H:%M") for s in made]
    assert times[:3] == ["09:00", "09:20", "09:40"] and made[0].ends_at - made[0].starts_at == dt.timedelta(minutes=15)
    again = slots_open(actor=world["host"], service=world["service"], day=TUESDAY, first=dt.time(9), count=8,
                       gap_minutes=5, now=NOW)
    assert again == [] and ServiceSlot.objects.count() == 8  # a double submit doubles nothing


def test_slots_in_the_past_and_for_a_paused_service_are_refused(world):
    with pytest.raises(DomainError, match="尚未开始"):
        slots_open(actor=world["host"], service=world["service"], day=NOW.date(), first=dt.time(7), count=1, now=NOW)
    StudioService.objects.filter(pk=world["service"].pk).update(active=False)
    world["service"].refresh_from_db()
    with pytest.raises(DomainError, match="暂停"):
        slots_open(actor=world["host"], service=world["service"], day=TUESDAY, first=dt.time(9), count=1, now=NOW)
    assert not ServiceSlot.objects.exists()


def test_a_service_is_free_by_rule_and_by_the_database(world):
    with pytest.raises(IntegrityError):
        StudioService.objects.filter(pk=world["service"].pk).update(free=False)


def test_only_the_studios_own_hosts_and_staff_manage_it(world):
    other_host = make_member(world["community"], Role.TALENT, username="calligrapher")
    studio_with_host(world["community"], other_host, slug="moxiang", name="墨香工作室")
    resident = world["residents"][0]
    for user in (other_host, resident):
        assert not policy.can(user, "talents.service.manage", world["service"])
        with pytest.raises(PermissionDenied):
            slots_open(actor=user, service=world["service"], day=TUESDAY, first=dt.time(9), count=1, now=NOW)
        with pytest.raises(PermissionDenied):
            service_save(actor=user, studio=world["studio"], title="免费修图")
    assert policy.can(world["staff"], "talents.service.manage", world["service"])
    assert policy.can(world["host"], "talents.service.manage", world["service"])
    assert set(policy.scope(other_host, "talents.service.manage", StudioService.objects.all())) == set()


def test_booking_confirm_and_the_resident_is_told(world):
    resident = world["residents"][0]
    the_slot = slot(world)
    outcome = booking_make(actor=resident, slot_id=the_slot.pk, note="要一寸照", now=NOW)
    assert outcome.changed and outcome.booking.status == BookingStatus.REQUESTED
    assert Notification.objects.filter(recipient=world["host"], title__startswith="新预约").count() == 1
    assert booking_confirm(actor=world["host"], booking_id=outcome.booking.pk, now=NOW)
    assert not booking_confirm(actor=world["host"], booking_id=outcome.booking.pk, now=NOW)  # double click
    assert Notification.objects.filter(recipient=resident, title__startswith="预约已确认").count() == 1
    with pytest.raises(PermissionDenied):
        booking_confirm(actor=world["residents"][1], booking_id=outcome.booking.pk, now=NOW)


def test_a_full_slot_is_refused_with_a_message(world):
    first, second = world["residents"][:2]
    the_slot = slot(world)
    booking_make(actor=first, slot_id=the_slot.pk, now=NOW)
    with pytest.raises(DomainError, match="名额已满"):
        booking_make(actor=second, slot_id=the_slot.pk, now=NOW)
    assert ServiceBooking.objects.filter(slot=the_slot).count() == 1


def test_a_second_booking_of_the_same_slot_changes_nothing_and_the_database_refuses_one(world):
    resident = world["residents"][0]
    the_slot = slot(world, capacity=3)
    first = booking_make(actor=resident, slot_id=the_slot.pk, now=NOW)
    again = booking_make(actor=resident, slot_id=the_slot.pk, now=NOW)
    assert not again.changed and again.booking.pk == first.booking.pk
    with pytest.raises(IntegrityError):
        ServiceBooking.objects.create(slot=the_slot, user=resident)


def test_a_cancelled_place_is_free_again(world):
    first, second = world["residents"][:2]
    the_slot = slot(world)
    booking = booking_make(actor=first, slot_id=the_slot.pk, now=NOW).booking
    with pytest.raises(PermissionDenied):
        booking_cancel(actor=second, booking_id=booking.pk, now=NOW)
    assert booking_cancel(actor=first, booking_id=booking.pk, now=NOW)
    assert not booking_cancel(actor=first, booking_id=booking.pk, now=NOW)
    assert booking_make(actor=second, slot_id=the_slot.pk, now=NOW).changed
    with pytest.raises(DomainError, match="名额已满"):  # the place went to the neighbour
        booking_make(actor=first, slot_id=the_slot.pk, now=NOW)


def test_a_slot_that_began_can_no_longer_be_booked_or_cancelled(world):
    resident, late = world["residents"][:2]
    the_slot = slot(world, capacity=2)
    booking = booking_make(actor=resident, slot_id=the_slot.pk, now=NOW).booking
    started = the_slot.starts_at + dt.timedelta(minutes=1)
    with pytest.raises(DomainError, match="已经开始"):
        booking_make(actor=late, slot_id=the_slot.pk, now=started)
    with pytest.raises(DomainError, match="已经开始"):
        booking_cancel(actor=resident, booking_id=booking.pk, now=started)


def test_a_no_show_is_recorded_only_after_the_slot_started(world):
    resident = world["residents"][0]
    the_slot = slot(world)
    booking = booking_make(actor=resident, slot_id=the_slot.pk, now=NOW).booking
    with pytest.raises(DomainError, match="开始后才能记录"):
        booking_outcome(actor=world["host"], booking_id=booking.pk, came=False, now=the_slot.starts_at - HOUR)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert booking_outcome(actor=world["host"], booking_id=booking.pk, came=False,
                           now=the_slot.starts_at + dt.timedelta(minutes=20))
    booking.refresh_from_db()
    assert (booking.status, booking.outcome_by) == (BookingStatus.NO_SHOW, world["host"])
    with pytest.raises(DomainError):  # a no-show cannot be turned into a cancellation
        booking_cancel(actor=resident, booking_id=booking.pk, now=NOW)
    with pytest.raises(PermissionDenied):
        booking_outcome(actor=resident, booking_id=booking.pk, came=True, now=the_slot.starts_at + HOUR)


def test_the_reminder_goes_out_once_the_day_before(world):
    resident = world["residents"][0]
    the_slot = slot(world, hour=10)  # Tuesday 10:00
    booking = booking_make(actor=resident, slot_id=the_slot.pk, now=NOW)  # Monday 08:00: 26 hours ahead
    assert bookings_due_reminder(now=NOW) == []
    evening = dt.datetime(2026, 3, 2, 19, 0, tzinfo=SHANGHAI)
    assert bookings_due_reminder(now=evening) == [booking.booking.pk]
    assert booking_remind(booking_id=booking.booking.pk, now=evening)
    assert not booking_remind(booking_id=booking.booking.pk, now=evening + HOUR)  # a second run sends nothing
    assert bookings_due_reminder(now=evening + HOUR) == []
    reminders = Notification.objects.filter(recipient=resident, title__startswith="预约提醒")
    assert reminders.count() == 1 and "03-03 10:00" in reminders.get().title


def test_no_reminder_for_a_cancelled_booking_or_one_made_just_before(world):
    first, second = world["residents"][:2]
    early, soon = slot(world, hour=10, capacity=2), slot(world, hour=11)
    cancelled = booking_make(actor=first, slot_id=early.pk, now=NOW).booking
    booking_cancel(actor=first, booking_id=cancelled.pk, now=NOW)
    last_minute = booking_make(actor=second, slot_id=soon.pk, now=soon.starts_at - HOUR).booking
    assert not booking_remind(booking_id=cancelled.pk, now=early.starts_at - 3 * HOUR)
    assert not booking_remind(booking_id=last_minute.pk, now=soon.starts_at - dt.timedelta(minutes=30))
    assert not Notification.objects.filter(title__startswith="预约提醒").exists()


def test_the_beat_task_fans_out_one_reminder_per_due_booking(world, monkeypatch, settings):
    from talents import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = True
    sent = []
    monkeypatch.setattr(tasks.remind_appointment, "delay", lambda booking_id: sent.append(booking_id))
    monkeypatch.setattr(tasks, "bookings_due_reminder", lambda: [7, 9])
    tasks.start_appointment_reminders()
    assert sent == [7, 9]
    assert "talents.tasks.start_appointment_reminders" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def test_a_member_of_another_community_cannot_book(world, other_community):
    outsider = make_member(other_community, Role.RESIDENT, username="outsider_b")
    the_slot = slot(world)
    with pytest.raises(PermissionDenied):
        booking_make(actor=outsider, slot_id=the_slot.pk, now=NOW)
