"""Reads of the service centre's rooms: the rooms of a community, a room's week, the bookings that clash with a
time, and the booking an app's object (a meeting, a class session) holds."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from .. import policy
from ..dates import local_midnight
from ..models import Room, RoomBooking

# The booking a meeting holds (communities.services.meetings keeps it in step with the meeting).
MEETING_SOURCE = "communities.meeting"


def rooms_of(*, community, active_only: bool = False) -> QuerySet:
    rooms = Room.objects.filter(community=community)
    return rooms.filter(active=True) if active_only else rooms


def rooms_visible(*, user, community) -> QuerySet:
    """The rooms of ``community`` that ``user`` may see (every member of it, town roles)."""
    return policy.scope(user, "room.view", rooms_of(community=community))


def room_for(*, user, room_id: int, action: str = "room.view") -> Room:
    """One room: 404 outside the user's communities, 403 inside without ``action``."""
    return policy.get_object_or_404_for(user, action, Room.objects.select_related("community"), pk=room_id)


def booking_for(*, user, booking_id: int, action: str = "room.booking.cancel") -> RoomBooking:
    return policy.get_object_or_404_for(user, action, RoomBooking.objects.select_related("room__community"),
                                        pk=booking_id)


def live_q() -> Q:
    return Q(cancelled_at__isnull=True)


def overlapping(*, room_id: int, starts_at: dt.datetime, ends_at: dt.datetime, exclude_id: int | None = None
                ) -> QuerySet:
    """Live bookings of the room that share a moment with [starts_at, ends_at): the database's no-overlap rule,
    as a query (the end of one may be the start of the next)."""
    clashes = RoomBooking.objects.filter(live_q(), room_id=room_id, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_id is not None:
        clashes = clashes.exclude(pk=exclude_id)
    return clashes.select_related("room").order_by("starts_at", "id")


def room_booking_for(*, source_kind: str, source_id: int) -> RoomBooking | None:
    """The live booking an app's object holds ("communities.meeting", 12), or None."""
    return (RoomBooking.objects.filter(live_q(), source_kind=source_kind, source_id=source_id)
            .select_related("room").first())


def bookings_of_sources(*, source_kind: str, source_ids) -> dict[int, RoomBooking]:
    """{source id: its live booking} for a list of objects of one kind, in one query."""
    bookings = (RoomBooking.objects.filter(live_q(), source_kind=source_kind, source_id__in=list(source_ids))
                .select_related("room"))
    return {booking.source_id: booking for booking in bookings}


def week_start_for(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class Day:
    date: dt.date
    bookings: list = field(default_factory=list)


def room_week(*, room: Room, week_start: dt.date) -> list[Day]:
    """The seven days from ``week_start`` with the room's live bookings, each under the day it starts on (one
    query, whatever the number of bookings). A booking begun the evening before shows on its first day only."""
    start, end = local_midnight(week_start), local_midnight(week_start + dt.timedelta(days=7))
    bookings = (RoomBooking.objects.filter(live_q(), room=room, starts_at__lt=end, ends_at__gt=start)
                .select_related("booked_by__person").order_by("starts_at", "id"))
    days = [Day(week_start + dt.timedelta(days=i)) for i in range(7)]
    for booking in bookings:
        index = (timezone.localtime(booking.starts_at).date() - week_start).days
        days[max(index, 0)].bookings.append(booking)
    return days


def my_upcoming_bookings(*, user, community, now=None) -> QuerySet:
    """The user's own live bookings in ``community`` from now on (the list page's "我的预约")."""
    now = now or timezone.now()
    return (RoomBooking.objects.filter(live_q(), booked_by=user, room__community=community, ends_at__gt=now)
            .select_related("room").order_by("starts_at", "id"))
