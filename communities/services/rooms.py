"""Booking the service centre's rooms without clashes; adding and editing rooms.

Each booking change locks the room row first (``select_for_update``), so two requests for one room are served
one after the other: the second sees the first's booking and is told whose it is (``RoomClash``). The
database's no-overlap rule (communities.models.rooms) stands behind the lock: a write that slipped past it (a
path that does not lock, a bug) fails with an IntegrityError that is turned into the same RoomClash.

Two doors:
- ``room_book`` / ``room_booking_move`` / ``room_booking_cancel``: a person booking in person, checked by the
  room rules (``room.book``, ``room.booking.cancel``). An app may book this way for its own object too, with
  ``source_kind="<app>.<what>"`` and ``source_id``.
- ``source_booking_sync``: a service that keeps a booking in step with its own object (a meeting, a class
  session) after checking its own rule on that object (``meeting.manage``): it books, moves or cancels the
  object's one live booking.
"""
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Room, RoomBooking
from ..models.rooms import NO_OVERLAP
from ..selectors.rooms import overlapping, room_booking_for
from .audit import audit
from .errors import DomainError
from .notifications import notify
from .texts import deferred

LONGEST = dt.timedelta(hours=12)
SOURCE_KIND = re.compile(r"^[a-z_]+\.[a-z_]+$")


@dataclass
class Outcome:
    obj: object
    changed: bool


def when_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """"12月5日 14:00–15:30" (Asia/Shanghai); a booking past midnight names both days."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = _("%(month)s月%(day)s日") % {"month": start.month, "day": start.day}
    if end.date() == start.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    end_day = _("%(month)s月%(day)s日") % {"month": end.month, "day": end.day}
    return f"{day} {start:%H:%M}–{end_day} {end:%H:%M}"


class RoomClash(DomainError):
    """The time asked for is taken; ``other`` is the booking holding it (None if it could not be read back)."""

    def __init__(self, other: RoomBooking | None):
        self.other = other
        if other is None:
            message = _("该时段已被占用，请换个时间或房间。")
        else:
            message = _("该时段已被占用：%(title)s（%(room)s，%(when)s），请换个时间或房间。") % {
                "title": other.title, "room": other.room.name, "when": when_text(other.starts_at, other.ends_at)}
        super().__init__(message, code="clash")


# --- checks -------------------------------------------------------------------------------------------------

def _check_times(starts_at, ends_at, now) -> None:
    if starts_at is None or ends_at is None:
        raise DomainError(_("请填写开始和结束时间。"), code="time")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间要晚于开始时间。"), code="time")
    if starts_at < now:
        raise DomainError(_("不能预约已经过去的时间。"), code="time")
    if ends_at - starts_at > LONGEST:
        raise DomainError(_("一次预约不能超过 12 小时。"), code="time")


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请写明用途，例如 书香工作室·绘本阅读。"), code="title")
    if len(title) > 200:
        raise DomainError(_("用途太长了，请精简到 200 字以内。"), code="title")
    return title


def _check_source(source_kind: str, source_id) -> str:
    source_kind = (source_kind or "").strip()
    if (source_kind or source_id is not None) and not (SOURCE_KIND.match(source_kind) and source_id is not None):
        raise ValueError(f"rooms: a source needs a kind like 'talents.session' and an id, got {source_kind!r}")
    return source_kind


def _check_member(actor, room: Room) -> None:
    """Another community's room is not the actor's to book: told in words, not as a bare 403."""
    if not (policy.is_town(actor) or policy.roles_in(actor, room.community_id)):
        raise DomainError(_("只能预约本社区的活动室。"), code="community")


def _open(room: Room) -> None:
    if not room.active:
        raise DomainError(_("这间活动室暂停预约。"), code="closed")


# --- locking and writing -----------------------------------------------------------------------------------

def _lock_rooms(*room_ids: int) -> dict[int, Room]:
    """Lock the rooms in id order (two moves between the same two rooms never deadlock)."""
    ids = sorted(set(room_ids))
    rooms = {room.pk: room for room in
             Room.objects.select_for_update(of=("self",)).select_related("community").filter(pk__in=ids)
             .order_by("pk")}
    if len(rooms) != len(ids):
        raise Room.DoesNotExist
    return rooms


def _lock_booking(booking_id: int) -> RoomBooking:
    booking = RoomBooking.objects.select_for_update(of=("self",)).filter(pk=booking_id).first()
    if booking is None:
        raise RoomBooking.DoesNotExist
    return booking


def _refuse_clash(room_id, starts_at, ends_at, exclude_id=None) -> None:
    other = overlapping(room_id=room_id, starts_at=starts_at, ends_at=ends_at, exclude_id=exclude_id).first()
    if other is not None:
        raise RoomClash(other)


def _save(booking: RoomBooking, **kwargs) -> None:
    """Save in a savepoint; the database's no-overlap rule refusing it becomes a RoomClash naming the other."""
    try:
        with transaction.atomic():
            booking.save(**kwargs)
    except IntegrityError as exc:
        if NO_OVERLAP not in str(exc):
            raise
        raise RoomClash(overlapping(room_id=booking.room_id, starts_at=booking.starts_at, ends_at=booking.ends_at,
                                    exclude_id=booking.pk).first()) from None


def _audit(action: str, booking: RoomBooking, actor, room: Room, **detail) -> None:
    audit(actor=actor, action=action, community=room.community, booking=booking.pk, room=room.pk,
          starts_at=booking.starts_at.isoformat(), ends_at=booking.ends_at.isoformat(), title=booking.title,
          source=booking.source_kind, source_id=booking.source_id, **detail)


def _create(*, room: Room, starts_at, ends_at, title, actor, source_kind, source_id, now) -> RoomBooking:
    _refuse_clash(room.pk, starts_at, ends_at)
    booking = RoomBooking(room=room, starts_at=starts_at, ends_at=ends_at, title=title, booked_by=actor,
                          source_kind=source_kind, source_id=source_id, created_at=now)
    _save(booking)
    _audit("room.book", booking, actor, room)
    return booking


def _move(booking: RoomBooking, *, room: Room, starts_at, ends_at, title, actor) -> bool:
    if (booking.room_id, booking.starts_at, booking.ends_at, booking.title) == (room.pk, starts_at, ends_at, title):
        return False
    before = {"room_from": booking.room_id, "starts_from": booking.starts_at.isoformat(),
              "ends_from": booking.ends_at.isoformat()}
    _refuse_clash(room.pk, starts_at, ends_at, exclude_id=booking.pk)
    booking.room, booking.starts_at, booking.ends_at, booking.title = room, starts_at, ends_at, title
    _save(booking, update_fields=["room", "starts_at", "ends_at", "title"])
    _audit("room.booking.move", booking, actor, room, **before)
    return True


def _cancel(booking: RoomBooking, *, actor, now) -> bool:
    if booking.cancelled_at is not None:
        return False
    booking.cancelled_at, booking.cancelled_by = now, actor
    booking.save(update_fields=["cancelled_at", "cancelled_by"])
    _audit("room.booking.cancel", booking, actor, Room.objects.select_related("community").get(pk=booking.room_id))
    return True


# --- a person booking ----------------------------------------------------------------------------------------

def room_book(*, room: Room, starts_at: dt.datetime, ends_at: dt.datetime, title: str, actor, source_kind: str = "",
              source_id: int | None = None, now=None) -> RoomBooking:
    """Book ``room`` for [starts_at, ends_at). A repeat of the same request (a double-tapped button) returns the
    booking it made; a time someone else holds raises RoomClash naming their booking."""
    now = now or timezone.now()
    _check_member(actor, room)
    if not policy.can(actor, "room.book", room):
        raise PermissionDenied
    title = _check_title(title)
    source_kind = _check_source(source_kind, source_id)
    _check_times(starts_at, ends_at, now)
    with transaction.atomic():
        room = _lock_rooms(room.pk)[room.pk]
        _open(room)
        same = RoomBooking.objects.filter(room=room, starts_at=starts_at, ends_at=ends_at, title=title,
                                          booked_by=actor, source_kind=source_kind, source_id=source_id,
                                          cancelled_at__isnull=True).first()
        if same is not None:
            return same
        return _create(room=room, starts_at=starts_at, ends_at=ends_at, title=title, actor=actor,
                       source_kind=source_kind, source_id=source_id, now=now)


def room_booking_move(*, booking: RoomBooking, starts_at: dt.datetime, ends_at: dt.datetime, actor,
                      room: Room | None = None, now=None) -> Outcome:
    """Move a booking to another time (and room, of the same community); its booker or committee staff."""
    now = now or timezone.now()
    _check_times(starts_at, ends_at, now)
    with transaction.atomic():
        target = room or booking.room
        rooms = _lock_rooms(booking.room_id, target.pk)
        booking = _lock_booking(booking.pk)
        if not policy.can(actor, "room.booking.cancel", booking):
            raise PermissionDenied
        if booking.cancelled_at is not None:
            raise DomainError(_("这次预约已经取消，不能再改。"), code="state")
        target = rooms[target.pk]
        if target.community_id != rooms[booking.room_id].community_id:
            raise DomainError(_("只能换到本社区的活动室。"), code="community")
        if target.pk != booking.room_id:
            _open(target)
        changed = _move(booking, room=target, starts_at=starts_at, ends_at=ends_at, title=booking.title,
                        actor=actor)
    return Outcome(booking, changed)


def room_booking_cancel(*, booking: RoomBooking, actor, now=None) -> Outcome:
    """Cancel a booking (its booker or committee staff); the time is free at once. Cancelling twice changes
    nothing. Staff cancelling someone else's booking tell them."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock_booking(booking.pk)
        if not policy.can(actor, "room.booking.cancel", booking):
            raise PermissionDenied
        changed = _cancel(booking, actor=actor, now=now)
        if changed and booking.booked_by_id != actor.pk:
            notify(recipient=booking.booked_by, url=reverse("communities:room_detail", args=[booking.room_id]),
                   title=deferred(gettext_lazy("活动室预约已取消：%(title)s"), title=booking.title),
                   body=deferred(gettext_lazy("%(room)s，%(when)s。取消人：%(who)s。如有疑问请联系居委。"),
                                 room=booking.room.name, when=when_text(booking.starts_at, booking.ends_at),
                                 who=actor.display_name()))
    return Outcome(booking, changed)


# --- an object keeping its booking in step -----------------------------------------------------------------------

def source_booking_sync(*, source_kind: str, source_id: int, room: Room | None, starts_at: dt.datetime,
                        ends_at: dt.datetime, title: str, actor, now=None) -> RoomBooking | None:
    """Make the object's one live booking say ``room`` at [starts_at, ends_at): book it, move it, or (``room`` is
    None) cancel it. The caller has checked its own rule on the object and that ``room`` is of the object's
    community, inside its own transaction: a RoomClash rolls the whole change back."""
    now = now or timezone.now()
    source_kind = _check_source(source_kind, source_id)
    with transaction.atomic():
        current = room_booking_for(source_kind=source_kind, source_id=source_id)
        if room is None:
            if current is not None:
                _cancel(_lock_booking(current.pk), actor=actor, now=now)
            return None
        title = _check_title(title)[:200]
        rooms = _lock_rooms(room.pk, *([current.room_id] if current else []))
        if current is None:
            _open(rooms[room.pk])
            _check_times(starts_at, ends_at, now)
            return _create(room=rooms[room.pk], starts_at=starts_at, ends_at=ends_at, title=title, actor=actor,
                           source_kind=source_kind, source_id=source_id, now=now)
        booking = _lock_booking(current.pk)
        if (booking.room_id, booking.starts_at, booking.ends_at) != (room.pk, starts_at, ends_at):
            _check_times(starts_at, ends_at, now)
            if booking.room_id != room.pk:
                _open(rooms[room.pk])
        _move(booking, room=rooms[room.pk], starts_at=starts_at, ends_at=ends_at, title=title, actor=actor)
        return booking


# --- rooms ---------------------------------------------------------------------------------------------------------

ROOM_FIELDS = ("name", "where", "capacity", "notes", "active")


def _room_values(name: str, where: str, capacity: int, notes: str) -> dict:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写活动室名称。"), code="name")
    if not capacity or capacity < 1:
        raise DomainError(_("可容纳人数至少为 1。"), code="capacity")
    return {"name": name[:100], "where": (where or "").strip()[:200], "capacity": capacity,
            "notes": (notes or "").strip()[:5000]}


def _name_taken(community_id: int, name: str, exclude_id=None) -> bool:
    rooms = Room.objects.filter(community_id=community_id, name=name)
    return rooms.exclude(pk=exclude_id).exists() if exclude_id else rooms.exists()


def room_create(*, actor, community, name: str, where: str = "", capacity: int = 20, notes: str = "",
                active: bool = True) -> Room:
    if not policy.can(actor, "room.manage", community):
        raise PermissionDenied
    values = _room_values(name, where, capacity, notes)
    with transaction.atomic():
        if _name_taken(community.pk, values["name"]):
            raise DomainError(_("本社区已有同名的活动室。"), code="name")
        room = Room.objects.create(community=community, active=active, **values)
        audit(actor=actor, action="room.create", community=community, room=room.pk, name=room.name)
    return room


def room_update(*, actor, room: Room, name: str, where: str = "", capacity: int = 20, notes: str = "",
                active: bool = True) -> Outcome:
    """Edit a room. Closing it (``active`` off) stops new bookings; those made stay."""
    values = {**_room_values(name, where, capacity, notes), "active": active}
    with transaction.atomic():
        room = _lock_rooms(room.pk)[room.pk]
        if not policy.can(actor, "room.manage", room):
            raise PermissionDenied
        if _name_taken(room.community_id, values["name"], exclude_id=room.pk):
            raise DomainError(_("本社区已有同名的活动室。"), code="name")
        before = {f: getattr(room, f) for f in ROOM_FIELDS}
        if before == values:
            return Outcome(room, False)
        for name_, value in values.items():
            setattr(room, name_, value)
        room.save(update_fields=list(ROOM_FIELDS))
        audit(actor=actor, action="room.edit", community=room.community, room=room.pk,
              changed=[f for f in ROOM_FIELDS if before[f] != values[f]])
    return Outcome(room, True)
