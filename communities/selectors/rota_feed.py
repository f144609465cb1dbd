"""A private iCal feed of one person's shifts (RFC 5545), read by a calendar app with the feed's secret URL.

Written with the ``icalendar`` library, which escapes and folds the lines. The feed shows shifts from 30 days
back to everything generated ahead, in UTC (no VTIMEZONE block needed). Issuing and revoking the URL's token
are services (``communities.services.rota_ical``).
"""
import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from ..models import CalendarFeedToken, ShiftAssignment

FEED_PAST = dt.timedelta(days=30)
PRODID = "-//Luodian community governance//rotas//ZH"
FEED_NAME = gettext_lazy("我的值班")


def feed_token_live(*, user) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_user(*, token: str):
    row = CalendarFeedToken.objects.select_related("user").filter(token=token, revoked_at__isnull=True).first()
    return row.user if row is not None and row.user.is_active else None


def _utc(moment) -> dt.datetime:
    # In UTC, so that the feed needs no VTIMEZONE block and every calendar app shows the right local time.
    return moment.astimezone(dt.timezone.utc)


def feed_render(*, user, now=None, host: str = "luodian") -> str:
    # The feed has no session: it speaks the community's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _render(user=user, now=now or timezone.now(), host=host)


def _render(*, user, now, host: str) -> str:
    assignments = (ShiftAssignment.objects.filter(user=user, shift__ends_at__gte=now - FEED_PAST)
                   .select_related("shift__rota").order_by("shift__starts_at"))
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(FEED_NAME))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for assignment in assignments:
        shift, rota = assignment.shift, assignment.shift.rota
        event = Event()
        event.add("uid", f"shift-{shift.pk}-user-{user.pk}@{host}")
        event.add("dtstamp", _utc(now))
        event.add("dtstart", _utc(shift.starts_at))
        event.add("dtend", _utc(shift.ends_at))
        event.add("summary", f"{rota.get_kind_display()}：{rota.name}")
        if rota.place:
            event.add("location", rota.place)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
