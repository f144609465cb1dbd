"""A private iCal feed of one person's shifts (RFC 5545, written by hand: no extra dependency).

The URL carries a secret token; revoking it makes the old URL answer 404 at once, renewing gives a new
one. The feed shows shifts from 30 days back to everything generated ahead.
"""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from ..models import CalendarFeedToken, ShiftAssignment
from .audit import audit

FEED_PAST = dt.timedelta(days=30)
PRODID = "-//Luodian community governance//rotas//ZH"
FEED_NAME = gettext_lazy("我的值班")


def feed_token_live(*, user) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_token_renew(*, user, now=None) -> CalendarFeedToken:
    """Revoke the live token (if any) and issue a new one."""
    now = now or timezone.now()
    with transaction.atomic():
        CalendarFeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        token = CalendarFeedToken.objects.create(user=user, created_at=now)
        audit(actor=user, action="rota.feed_renew")
    return token


def feed_token_revoke(*, user, now=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        revoked = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        if revoked:
            audit(actor=user, action="rota.feed_revoke")
    return bool(revoked)


def feed_user(*, token: str):
    row = CalendarFeedToken.objects.select_related("user").filter(token=token, revoked_at__isnull=True).first()
    return row.user if row is not None and row.user.is_active else None


def _escape(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _utc(moment) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def feed_render(*, user, now=None, host: str = "luodian") -> str:
    # The feed has no session: it speaks the community's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _render(user=user, now=now or timezone.now(), host=host)


def _render(*, user, now, host: str) -> str:
    assignments = (ShiftAssignment.objects.filter(user=user, shift__ends_at__gte=now - FEED_PAST)
                   .select_related("shift__rota").order_by("shift__starts_at"))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape(FEED_NAME)}", "X-WR-TIMEZONE:Asia/Shanghai"]
    for assignment in assignments:
        shift, rota = assignment.shift, assignment.shift.rota
        lines += ["BEGIN:VEVENT", f"UID:shift-{shift.pk}-user-{user.pk}@{host}", f"DTSTAMP:{_utc(now)}",
                  f"DTSTART:{_utc(shift.starts_at)}", f"DTEND:{_utc(shift.ends_at)}",
                  f"SUMMARY:{_escape(f'{rota.get_kind_display()}：{rota.name}')}"]
        if rota.place:
            lines.append(f"LOCATION:{_escape(rota.place)}")
        lines += ["END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
