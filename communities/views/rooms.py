"""The service centre's rooms: the list of my community's rooms, a room's week with the booking form, staff
adding and editing rooms, cancelling a booking. Thin: a selector or a service per view; a refused booking
comes back on the form, kept as typed, with the message naming the booking that holds the time."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..dates import parse_day
from ..forms.rooms import BookingForm, RoomForm
from ..picker import community_for
from ..policy import guard
from ..selectors import rooms as sel
from ..services import rooms as svc
from ..services.errors import DomainError


def _week(request) -> dt.date:
    asked = request.GET.get("week", "")
    day = parse_day(asked)
    if day is None:
        if asked:
            messages.warning(request, _("日期无效或超出范围，已显示本周。"))
        day = timezone.localdate()
    return sel.week_start_for(day)


def _room_url(room_id, day: dt.date | None = None) -> str:
    url = reverse("communities:room_detail", args=[room_id])
    return f"{url}?week={sel.week_start_for(day):%Y-%m-%d}" if day else url


@guard("room.view")
def room_list(request):
    picked = community_for(request, "room.view")
    community, user = picked.community, request.user
    return render(request, "communities/rooms/room_list.html", {
        "community": community, "communities": picked.choices,
        "rooms": sel.rooms_visible(user=user, community=community),
        "mine": sel.my_upcoming_bookings(user=user, community=community)[:20],
        "may_manage": policy.can(user, "room.manage", community),
        "may_book": policy.can(user, "room.book", community)})


@guard("room.view")
def room_detail(request, pk):
    room = sel.room_for(user=request.user, room_id=pk)
    user = request.user
    may_book = room.active and policy.can(user, "room.book", room)
    form = BookingForm(request.POST or None, initial={"day": timezone.localdate()}) if may_book else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied  # no right to book here, or the room is closed for bookings
        if form.is_valid():
            d = form.cleaned_data
            try:
                booking = svc.room_book(room=room, starts_at=d["starts_at"], ends_at=d["ends_at"], title=d["title"],
                                        actor=user)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已预约：%(title)s（%(when)s）。") % {
                    "title": booking.title, "when": svc.when_text(booking.starts_at, booking.ends_at)})
                return redirect(_room_url(room.pk, timezone.localtime(booking.starts_at).date()))
        week = sel.week_start_for(form.cleaned_data["day"]) if form.cleaned_data.get("day") else _week(request)
    else:
        week = _week(request)
    return render(request, "communities/rooms/room_detail.html", {
        "room": room, "days": sel.room_week(room=room, week_start=week), "week": week,
        "previous": week - dt.timedelta(days=7), "next": week + dt.timedelta(days=7),
        "today": timezone.localdate(), "now": timezone.now(), "form": form,
        "is_staff": policy.can(user, "room.manage", room),
        "meeting_source": sel.MEETING_SOURCE,
    }, status=400 if request.method == "POST" else 200)


@guard("room.manage")
def room_new(request):
    picked = community_for(request, "room.manage")
    community = picked.community
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = svc.room_create(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("活动室已添加。"))
            return redirect("communities:room_detail", pk=room.pk)
    return render(request, "communities/rooms/room_form.html", {
        "form": form, "community": community, "communities": picked.choices, "room": None,
    }, status=400 if request.method == "POST" else 200)


@guard("room.manage")
def room_edit(request, pk):
    room = sel.room_for(user=request.user, room_id=pk, action="room.manage")
    initial = {f: getattr(room, f) for f in svc.ROOM_FIELDS}
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = svc.room_update(actor=request.user, room=room, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("活动室已保存。") if outcome.changed else _("没有改动，无需保存。"))
            return redirect("communities:room_detail", pk=room.pk)
    return render(request, "communities/rooms/room_form.html", {
        "form": form, "community": room.community, "communities": [], "room": room,
    }, status=400 if request.method == "POST" else 200)


@guard("room.booking.cancel")
@require_POST
def booking_cancel(request, pk):
    booking = sel.booking_for(user=request.user, booking_id=pk)
    back = _room_url(booking.room_id, timezone.localtime(booking.starts_at).date())
    if booking.source_kind:
        # A meeting's (or a class session's) booking follows its meeting: changed there, never behind its back.
        messages.error(request, _("这个预约属于会议或课程，请在会议或课程页面改期或取消。"))
        return redirect(back)
    outcome = svc.room_booking_cancel(booking=booking, actor=request.user)
    if outcome.changed:
        messages.success(request, _("预约已取消，这段时间其他人可以预约了。"))
    else:
        messages.info(request, _("这次预约已经取消了。"))
    return redirect(back)
