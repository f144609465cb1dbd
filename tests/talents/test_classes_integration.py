"""The classes area against the other branches of issue 13, run by the merger once they are merged: the core's
volunteer hours (a 公益课 taught records the teacher's hours; a 体验课 never does), the core's room calendar
(sessions book the class's room through communities.services.rooms), the studios area's qualification gate
(talents.selectors.studios.may_offer) and its merchant referrals.

Each test spies on the other branch's function while still running it (``wraps``), so that what is asserted is
both the call this area makes and that the real service accepted it."""
import datetime as dt

import pytest

from communities.services.errors import DomainError
from talents.models import ClassSession, TalentClass
from talents.services import sessions as svc
from talents.services.enrolment import enrolment_request

from .classes_world import (  # noqa: F401
    DAY, HOUR, MONDAY, at, host, jy_staff, junyuan, make_class, own, resident, studio,
)

pytestmark = pytest.mark.django_db


def spy(monkeypatch, module, name):
    real, calls = getattr(module, name), []

    def wrapper(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def held_session(talent_class):
    svc.class_sessions_generate(talent_class=talent_class, now=MONDAY, weeks=1)
    return ClassSession.objects.get(talent_class=talent_class)


# --- volunteer hours (communities.services.hours) -------------------------------------------------------------

def test_a_free_class_taught_records_the_teachers_hours(studio, host, monkeypatch):
    from communities.services import hours

    calls = spy(monkeypatch, hours, "hours_record")
    session = held_session(make_class(studio, organiser=host))
    assert svc.attendance_close(session_id=session.pk, actor=host, now=session.ends_at + HOUR)
    assert len(calls) == 1
    call = calls[0]
    assert call["volunteer"] == host and call["source_kind"] == "talents.session" and call["source_id"] == session.pk
    assert (call["starts_at"], call["ends_at"]) == (session.starts_at, session.ends_at)  # travel/after not counted
    assert call["scheduled_minutes"] == 90 and call["team"] == studio.team
    assert not svc.attendance_close(session_id=session.pk, actor=host, now=session.ends_at + 2 * HOUR)
    assert len(calls) == 1  # closing again records nothing twice


def test_a_session_closed_early_records_only_the_time_taught(studio, host, monkeypatch):
    from communities.services import hours

    calls = spy(monkeypatch, hours, "hours_record")
    session = held_session(make_class(studio, organiser=host))
    svc.attendance_close(session_id=session.pk, actor=host, now=session.starts_at + dt.timedelta(minutes=60))
    assert calls[0]["ends_at"] == session.starts_at + dt.timedelta(minutes=60)


def test_a_trial_class_never_records_hours(studio, host, monkeypatch):
    from communities.services import hours

    calls = spy(monkeypatch, hours, "hours_record")
    trial = make_class(studio, organiser=host, kind=TalentClass.Kind.TRIAL, fee="39.00", fee_includes="材料")
    session = held_session(trial)
    assert svc.attendance_close(session_id=session.pk, actor=host, now=session.ends_at)
    assert calls == []


# --- rooms (communities.services.rooms) --------------------------------------------------------------------------

@pytest.fixture
def room(junyuan):
    from communities.models import Room

    return Room.objects.create(community=junyuan, name="二楼书画室", capacity=20)


def test_generated_sessions_book_the_class_room(studio, host, room):
    from communities.models import RoomBooking

    tc = make_class(studio, organiser=host, room_id=room.pk)
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=2)
    sessions = list(ClassSession.objects.filter(talent_class=tc))
    assert len(sessions) == 2 and all(s.room_booking_id for s in sessions)
    booking = RoomBooking.objects.get(pk=sessions[0].room_booking_id)
    assert (booking.source_kind, booking.source_id) == ("talents.session", sessions[0].pk)


def test_a_clash_leaves_the_session_without_a_booking_and_names_the_other(studio, host, room):
    from communities.services.rooms import room_book

    room_book(room=room, starts_at=at(1, 14), ends_at=at(1, 17), title="业委会碰头会", actor=host, now=MONDAY)
    tc = make_class(studio, organiser=host, room_id=room.pk)
    session = held_session(tc)
    assert session.room_booking_id is None and "业委会碰头会" in session.room_note


def test_moving_and_cancelling_a_session_move_and_cancel_its_booking(studio, host, room):
    from communities.models import RoomBooking
    from communities.services.rooms import RoomClash, room_book

    tc = make_class(studio, organiser=host, room_id=room.pk)
    session = held_session(tc)
    svc.session_move(session_id=session.pk, actor=host, starts_at=at(2, 15), ends_at=at(2, 16, 30), reason="调课",
                     now=MONDAY)
    booking = RoomBooking.objects.get(pk=session.room_booking_id)
    assert booking.starts_at == at(2, 15)
    room_book(room=room, starts_at=at(3, 9), ends_at=at(3, 12), title="党员学习", actor=host, now=MONDAY)
    with pytest.raises(RoomClash):
        svc.session_move(session_id=session.pk, actor=host, starts_at=at(3, 10), ends_at=at(3, 11), reason="再调",
                         now=MONDAY)
    session.refresh_from_db()
    assert session.starts_at == at(2, 15)  # the refused move changed nothing
    svc.session_cancel(session_id=session.pk, actor=host, reason="老师生病")
    room_book(room=room, starts_at=at(2, 15), ends_at=at(2, 16), title="接着用", actor=host, now=MONDAY)  # freed


# --- the studios area: qualifications and merchants ------------------------------------------------------------

def test_a_childrens_class_needs_the_teachers_background_check(studio, host):
    from talents.services.classes import class_create

    data = {"title": "少儿书法", "audience": TalentClass.Audience.CHILDREN, "capacity": 8,
            "rrule": "FREQ=WEEKLY;BYDAY=SA", "first_starts_at": at(5, 9), "duration_minutes": 90,
            "kind": TalentClass.Kind.FREE, "allocation": TalentClass.Allocation.FIRST_COME, "opens_at": MONDAY,
            "offer_hours": 24, "status": TalentClass.Status.OPEN}
    with pytest.raises(DomainError):
        class_create(studio=studio, actor=host, data=data, now=MONDAY)
    assert not TalentClass.objects.filter(title="少儿书法").exists()


def test_enrolling_in_a_trial_class_with_a_partner_merchant_records_a_referral(studio, host, junyuan, monkeypatch):
    from talents.models import Merchant
    from talents.services import merchants

    calls = spy(monkeypatch, merchants, "merchant_referral_record")
    merchant = Merchant.objects.create(community=junyuan, name="兰香阁香品店", address="美兰湖路 8 号",
                                       phone="13900008888", offers="香道体验课")
    trial = make_class(studio, organiser=host, kind=TalentClass.Kind.TRIAL, fee="29.90", fee_includes="香料",
                       partner_merchant_id=merchant.pk)
    user = resident(junyuan, "buyer")
    entry, _ = enrolment_request(talent_class=trial, actor=user, person_ids=own(user), now=MONDAY)
    assert calls == [{"merchant": merchant, "source_kind": "talents.enrolment", "source_id": entry.pk, "user": user}]
