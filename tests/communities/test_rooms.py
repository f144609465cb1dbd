"""Room bookings: two live bookings of one room never overlap — refused by the services with a message naming the
other booking, and by the database itself when something writes past the services (PostgreSQL here; the SQLite
triggers of ``make run`` below) — adjacent bookings fit, cancelled ones free their time, and the rules say who
may book, move, cancel and manage rooms."""
import datetime as dt
import importlib
import sqlite3

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from communities import policy
from communities.models import AuditEvent, Notification, Room, RoomBooking
from communities.selectors import rooms as sel
from communities.services import rooms as svc
from communities.services.errors import DomainError

from .room_world import NOW, at, book, foreign_room, hall, studio_room, talent, volunteer  # noqa: F401 - fixtures


# --- the database's rule ------------------------------------------------------------------------------------

def test_an_overlapping_insert_that_bypasses_the_services_is_refused_by_the_database(hall, committee_staff):
    RoomBooking.objects.create(room=hall, starts_at=at(5, 14), ends_at=at(5, 15, 30), title="绘本阅读",
                               booked_by=committee_staff)
    with pytest.raises(IntegrityError, match="roombooking_no_overlap"), transaction.atomic():
        RoomBooking.objects.create(room=hall, starts_at=at(5, 15), ends_at=at(5, 16), title="书法课",
                                   booked_by=committee_staff)
    with pytest.raises(IntegrityError, match="roombooking_no_overlap"), transaction.atomic():
        RoomBooking.objects.bulk_create([RoomBooking(room=hall, starts_at=at(5, 13), ends_at=at(5, 17), title="x",
                                                     booked_by=committee_staff)])
    assert RoomBooking.objects.count() == 1


def test_the_database_refuses_moving_a_booking_onto_another(hall, committee_staff):
    RoomBooking.objects.create(room=hall, starts_at=at(5, 14), ends_at=at(5, 15), title="a", booked_by=committee_staff)
    later = RoomBooking.objects.create(room=hall, starts_at=at(5, 15), ends_at=at(5, 16), title="b",
                                       booked_by=committee_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.filter(pk=later.pk).update(starts_at=at(5, 14, 30))


def test_other_rooms_and_cancelled_bookings_do_not_count_for_the_database(hall, studio_room, committee_staff):
    first = RoomBooking.objects.create(room=hall, starts_at=at(5, 14), ends_at=at(5, 15), title="a",
                                       booked_by=committee_staff)
    RoomBooking.objects.create(room=studio_room, starts_at=at(5, 14), ends_at=at(5, 15), title="b",
                               booked_by=committee_staff)
    RoomBooking.objects.filter(pk=first.pk).update(cancelled_at=NOW)
    RoomBooking.objects.create(room=hall, starts_at=at(5, 14), ends_at=at(5, 15), title="c", booked_by=committee_staff)
    assert RoomBooking.objects.filter(room=hall, cancelled_at__isnull=True).count() == 1


def test_a_booking_must_end_after_it_starts_in_the_database(hall, committee_staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.create(room=hall, starts_at=at(5, 14), ends_at=at(5, 14), title="a",
                                   booked_by=committee_staff)


# --- the SQLite triggers (make run's database) -------------------------------------------------------------

@pytest.fixture
def sqlite_bookings():
    """An SQLite table of bookings with the triggers exactly as migration 0026 creates them."""
    migration = importlib.import_module("communities.migrations.0026_rooms")
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE communities_roombooking (id integer PRIMARY KEY AUTOINCREMENT, room_id integer, "
                 "starts_at datetime, ends_at datetime, cancelled_at datetime NULL)")
    for sql in migration.SQLITE_ADD:
        conn.execute(sql)
    yield conn
    conn.close()


def _insert(conn, room, starts, ends):
    # Django writes SQLite datetimes as UTC text, with microseconds only when there are some.
    conn.execute("INSERT INTO communities_roombooking (room_id, starts_at, ends_at) VALUES (?, ?, ?)",
                 (room, starts, ends))


def test_the_sqlite_triggers_refuse_an_overlap_and_allow_adjacent_and_cancelled(sqlite_bookings):
    conn = sqlite_bookings
    _insert(conn, 1, "2026-12-05 06:00:00", "2026-12-05 07:30:00")
    with pytest.raises(sqlite3.IntegrityError, match="roombooking_no_overlap"):
        _insert(conn, 1, "2026-12-05 07:00:00", "2026-12-05 08:00:00")
    with pytest.raises(sqlite3.IntegrityError):
        _insert(conn, 1, "2026-12-05 07:29:59.500000", "2026-12-05 08:00:00")  # half a second in
    _insert(conn, 1, "2026-12-05 07:30:00", "2026-12-05 08:00:00")  # adjacent
    _insert(conn, 2, "2026-12-05 06:00:00", "2026-12-05 07:30:00")  # another room
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE communities_roombooking SET starts_at = '2026-12-05 07:00:00' WHERE id = 2")
    conn.execute("UPDATE communities_roombooking SET cancelled_at = '2026-12-01 00:00:00' WHERE id = 1")
    _insert(conn, 1, "2026-12-05 06:00:00", "2026-12-05 07:00:00")
    conn.execute("UPDATE communities_roombooking SET ends_at = '2026-12-05 07:15:00' WHERE id = 4")  # itself
    assert conn.execute("SELECT count(*) FROM communities_roombooking WHERE cancelled_at IS NULL").fetchone() == (3,)


# --- booking through the service -------------------------------------------------------------------------------

def test_adjacent_bookings_both_fit(hall, committee_staff, talent):
    book(hall, committee_staff, at(5, 10), at(5, 11), title="居委例会")
    book(hall, talent, at(5, 11), at(5, 12))
    book(hall, talent, at(5, 9), at(5, 10), title="晨练")
    assert RoomBooking.objects.filter(room=hall).count() == 3


def test_a_clash_is_refused_with_a_message_naming_the_other_booking(hall, committee_staff, talent):
    other = book(hall, talent, at(5, 14), at(5, 15, 30))
    with pytest.raises(svc.RoomClash) as refused:
        book(hall, committee_staff, at(5, 15), at(5, 16), title="居委例会")
    assert refused.value.other == other
    assert refused.value.message == "该时段已被占用：书香工作室·绘本阅读（多功能厅，12月5日 14:00–15:30），请换个时间或房间。"
    assert isinstance(refused.value, DomainError)
    assert RoomBooking.objects.count() == 1


def test_a_booking_inside_or_around_another_is_refused_too(hall, committee_staff, talent):
    book(hall, talent, at(5, 14), at(5, 16))
    for start, end in ((at(5, 14, 30), at(5, 15)), (at(5, 13), at(5, 17)), (at(5, 14), at(5, 16))):
        with pytest.raises(svc.RoomClash):
            book(hall, committee_staff, start, end, title="居委例会")


def test_a_cancelled_booking_frees_its_time(hall, committee_staff, talent):
    first = book(hall, talent, at(5, 14), at(5, 15))
    svc.room_booking_cancel(booking=first, actor=talent, now=NOW)
    again = book(hall, committee_staff, at(5, 14), at(5, 15), title="居委例会")
    assert again.pk != first.pk and sel.overlapping(room_id=hall.pk, starts_at=at(5, 14),
                                                    ends_at=at(5, 15)).get() == again


def test_a_double_tapped_booking_is_made_once(hall, talent):
    first = book(hall, talent, at(5, 14), at(5, 15))
    assert book(hall, talent, at(5, 14), at(5, 15)) == first
    assert RoomBooking.objects.count() == 1
    assert AuditEvent.objects.filter(action="room.book").count() == 1


@pytest.mark.parametrize("starts,ends,message", [
    (at(5, 15), at(5, 14), "结束时间要晚于开始时间。"),
    (at(5, 15), at(5, 15), "结束时间要晚于开始时间。"),
    (dt.datetime(2026, 11, 29, 14, tzinfo=NOW.tzinfo), dt.datetime(2026, 11, 29, 15, tzinfo=NOW.tzinfo),
     "不能预约已经过去的时间。"),
    (at(5, 8), at(5, 21), "一次预约不能超过 12 小时。"),
])
def test_bad_times_are_refused_in_chinese_and_nothing_is_booked(hall, talent, starts, ends, message):
    with pytest.raises(DomainError, match=message):
        book(hall, talent, starts, ends)
    assert not RoomBooking.objects.exists()


def test_an_empty_title_is_refused(hall, talent):
    with pytest.raises(DomainError, match="请写明用途"):
        book(hall, talent, at(5, 14), at(5, 15), title="  ")


def test_a_closed_room_takes_no_bookings(hall, talent):
    Room.objects.filter(pk=hall.pk).update(active=False)
    with pytest.raises(DomainError, match="暂停预约"):
        book(hall, talent, at(5, 14), at(5, 15))


def test_another_communitys_room_is_refused_in_words(foreign_room, committee_staff):
    with pytest.raises(DomainError, match="只能预约本社区的活动室"):
        book(foreign_room, committee_staff, at(5, 14), at(5, 15))
    assert not RoomBooking.objects.exists()


def test_the_integrity_error_of_a_race_that_slipped_past_the_check_becomes_the_same_clash(
        hall, committee_staff, talent, monkeypatch):
    other = book(hall, talent, at(5, 14), at(5, 15, 30))
    calls = []
    real = svc.overlapping

    def blind_first_time(**kwargs):  # the check before the insert misses it, as a racing writer would
        calls.append(kwargs)
        return real(**kwargs) if len(calls) > 1 else RoomBooking.objects.none()

    monkeypatch.setattr(svc, "overlapping", blind_first_time)
    with pytest.raises(svc.RoomClash) as refused:
        book(hall, committee_staff, at(5, 15), at(5, 16), title="居委例会")
    assert refused.value.other == other and "书香工作室·绘本阅读" in refused.value.message
    assert RoomBooking.objects.count() == 1


# --- who may --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona,allowed", [
    ("committee_staff", True), ("party_secretary", True), ("talent", True),
    ("resident", False), ("volunteer", False), ("landlord", False),
])
def test_who_may_book(request, hall, persona, allowed):
    user = request.getfixturevalue(persona)
    assert policy.can(user, "room.view", hall)
    if allowed:
        assert book(hall, user, at(5, 14), at(5, 15)).booked_by == user
    else:
        with pytest.raises(PermissionDenied):
            book(hall, user, at(5, 14), at(5, 15))
        assert not RoomBooking.objects.exists()


def test_only_the_booker_or_staff_may_cancel_and_staff_tell_the_booker(hall, talent, committee_staff,
                                                                         party_secretary):
    booking = book(hall, talent, at(5, 14), at(5, 15))
    with pytest.raises(PermissionDenied):
        svc.room_booking_cancel(booking=booking, actor=party_secretary, now=NOW)
    assert svc.room_booking_cancel(booking=booking, actor=committee_staff, now=NOW).changed
    assert not svc.room_booking_cancel(booking=booking, actor=committee_staff, now=NOW).changed  # idempotent
    booking.refresh_from_db()
    assert booking.cancelled_by == committee_staff and booking.cancelled_at == NOW
    assert Notification.objects.filter(recipient=talent, title__contains="活动室预约已取消").count() == 1
    assert AuditEvent.objects.filter(action="room.booking.cancel").count() == 1


def test_the_booker_moves_a_booking_and_a_clash_leaves_it_where_it_was(hall, studio_room, talent, committee_staff):
    mine = book(hall, talent, at(5, 14), at(5, 15))
    book(hall, committee_staff, at(5, 16), at(5, 17), title="居委例会")
    assert svc.room_booking_move(booking=mine, starts_at=at(5, 15), ends_at=at(5, 16), actor=talent, now=NOW).changed
    with pytest.raises(svc.RoomClash, match="居委例会"):
        svc.room_booking_move(booking=mine, starts_at=at(5, 15, 30), ends_at=at(5, 16, 30), actor=talent, now=NOW)
    mine.refresh_from_db()
    assert (mine.starts_at, mine.ends_at) == (at(5, 15), at(5, 16))
    svc.room_booking_move(booking=mine, starts_at=at(5, 16), ends_at=at(5, 17), room=studio_room, actor=talent,
                          now=NOW)
    mine.refresh_from_db()
    assert mine.room == studio_room
    assert not svc.room_booking_move(booking=mine, starts_at=at(5, 16), ends_at=at(5, 17), actor=talent,
                                     now=NOW).changed


def test_a_resident_may_not_move_someone_elses_booking(hall, talent, resident):
    booking = book(hall, talent, at(5, 14), at(5, 15))
    with pytest.raises(PermissionDenied):
        svc.room_booking_move(booking=booking, starts_at=at(5, 16), ends_at=at(5, 17), actor=resident, now=NOW)


def test_scope_lists_only_ones_own_bookings_for_cancelling(hall, talent, committee_staff, resident):
    mine = book(hall, talent, at(5, 14), at(5, 15))
    book(hall, committee_staff, at(5, 16), at(5, 17), title="居委例会")
    assert list(policy.scope(talent, "room.booking.cancel", RoomBooking.objects.all())) == [mine]
    assert policy.scope(committee_staff, "room.booking.cancel", RoomBooking.objects.all()).count() == 2
    assert not policy.scope(resident, "room.booking.cancel", RoomBooking.objects.all()).exists()


def test_staff_create_and_edit_rooms_others_may_not(community, committee_staff, talent):
    room = svc.room_create(actor=committee_staff, community=community, name="墨香书法室", where="党群服务中心 一楼",
                           capacity=16)
    with pytest.raises(DomainError, match="同名"):
        svc.room_create(actor=committee_staff, community=community, name="墨香书法室", capacity=10)
    with pytest.raises(PermissionDenied):
        svc.room_create(actor=talent, community=community, name="香荟工作室", capacity=10)
    outcome = svc.room_update(actor=committee_staff, room=room, name="墨香书法室", where="党群服务中心 一楼",
                              capacity=18, active=False)
    assert outcome.changed and Room.objects.get(pk=room.pk).capacity == 18
    assert not svc.room_update(actor=committee_staff, room=room, name="墨香书法室", where="党群服务中心 一楼",
                               capacity=18, active=False).changed
    assert AuditEvent.objects.filter(action__in=["room.create", "room.edit"]).count() == 2


# --- sources and the week ---------------------------------------------------------------------------------------

def test_an_apps_object_books_through_the_same_service_and_is_found_by_its_source(hall, talent):
    booking = book(hall, talent, at(5, 14), at(5, 15), source_kind="talents.session", source_id=7)
    assert sel.room_booking_for(source_kind="talents.session", source_id=7) == booking
    assert sel.room_booking_for(source_kind="talents.session", source_id=8) is None
    assert sel.bookings_of_sources(source_kind="talents.session", source_ids=[7, 8]) == {7: booking}
    with pytest.raises(ValueError):
        book(hall, talent, at(5, 16), at(5, 17), source_kind="Talents session", source_id=7)


def test_the_week_groups_bookings_by_day_in_one_query(hall, talent, django_assert_num_queries):
    book(hall, talent, at(1, 14), at(1, 15))
    book(hall, talent, at(3, 9), at(3, 10), title="晨读")
    book(hall, talent, at(3, 19), at(3, 20), title="夜读")
    cancelled = book(hall, talent, at(4, 9), at(4, 10), title="取消了")
    svc.room_booking_cancel(booking=cancelled, actor=talent, now=NOW)
    book(hall, talent, at(8, 9), at(8, 10), title="下周")
    with django_assert_num_queries(1):
        days = sel.room_week(room=hall, week_start=dt.date(2026, 11, 30))
    assert [d.date.day for d in days] == [30, 1, 2, 3, 4, 5, 6]
    assert [[b.title for b in d.bookings] for d in days] == [[], ["书香工作室·绘本阅读"], [], ["晨读", "夜读"], [], [], []]
