"""What the clock finds due now: the read predicates and the lists that beat's fan-out tasks scan
(``communities.tasks``) and that the clock's services claim from (``services/case_clock.py``,
``services/meeting_clock.py``, ``services/rota_clock.py``).

A predicate here is the one definition of "due": the fan-out lists it, and the service's conditional UPDATE
re-checks it on the row it claims, so the two can never disagree.
"""
import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from ..models import Case, CaseStatus, Meeting, MeetingSeries, Notification, Rota, Shift, ShiftAssignment
from .cases import overdue_q

# --- cases ----------------------------------------------------------------------------------------
# Level 1 (committee staff) as soon as a deadline passes; level 2 (Party secretary) when the case
# is still overdue this long after level 1.
SECRETARY_AFTER = dt.timedelta(hours=24)
RATING_REMINDER_AFTER = dt.timedelta(days=7)


def cases_to_escalate(*, now=None) -> list[int]:
    now = now or timezone.now()
    overdue = Case.objects.filter(overdue_q(now))
    level_1 = overdue.filter(escalation_level=0)
    level_2 = overdue.filter(escalation_level=1, escalated_at__lte=now - SECRETARY_AFTER)
    return sorted(set(level_1.values_list("id", flat=True)) | set(level_2.values_list("id", flat=True)))


def cases_to_remind_rating(*, now=None) -> list[int]:
    now = now or timezone.now()
    return list(Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lte=now - RATING_REMINDER_AFTER,
                                    rating_reminded_at__isnull=True, reporter__isnull=False, rating__isnull=True)
                .values_list("id", flat=True))


# --- meetings -------------------------------------------------------------------------------------
HOUR = dt.timedelta(hours=1)
# kind -> (how long before the start, the column that records it was sent)
MEETING_REMINDERS = {"24h": (dt.timedelta(hours=24), "reminded_24h_at"), "1h": (HOUR, "reminded_1h_at")}
MINUTES_AFTER = dt.timedelta(days=1)
# After a long outage, do not nag organisers about meetings from months ago.
MINUTES_LOOKBACK = dt.timedelta(days=14)


def meeting_reminder_due_q(kind: str, now) -> Q:
    lead, field = MEETING_REMINDERS[kind]
    q = Q(status__in=Meeting.UPCOMING, starts_at__gt=now, starts_at__lte=now + lead, **{f"{field}__isnull": True})
    if kind == "24h":
        # Within the last hour the 1-hour reminder covers it: one message, not two at once.
        q &= Q(starts_at__gt=now + HOUR)
    return q


def meetings_due_for_reminder(*, now=None) -> list[tuple[int, str, int]]:
    """(meeting id, kind, version) of every reminder due now."""
    now = now or timezone.now()
    due = []
    for kind in MEETING_REMINDERS:
        due += [(pk, kind, version) for pk, version in
                Meeting.objects.filter(meeting_reminder_due_q(kind, now)).values_list("pk", "version")
                .order_by("starts_at")]
    return due


def minutes_reminder_due_q(now) -> Q:
    # No join in here: the claim in meeting_remind_minutes must be a plain UPDATE … WHERE on the meeting row,
    # so that a second worker blocked on the row re-checks minutes_reminded_at after the first one commits.
    return Q(status__in=[Meeting.Status.SCHEDULED, Meeting.Status.MOVED, Meeting.Status.HELD],
             ends_at__lte=now - MINUTES_AFTER, ends_at__gt=now - MINUTES_AFTER - MINUTES_LOOKBACK,
             minutes_reminded_at__isnull=True)


def meetings_due_for_minutes_reminder(*, now=None) -> list[int]:
    now = now or timezone.now()
    return list(Meeting.objects.filter(minutes_reminder_due_q(now), minutes__isnull=True)
                .values_list("pk", flat=True).order_by("ends_at"))


def active_series_ids() -> list[int]:
    return list(MeetingSeries.objects.filter(active=True).values_list("pk", flat=True))


# --- shifts ---------------------------------------------------------------------------------------
DAY_BEFORE, TWO_HOURS = "day_before", "2h"
SHIFT_REMINDER_KINDS = (DAY_BEFORE, TWO_HOURS)
TWO_HOURS_AHEAD = dt.timedelta(hours=2)
DAY_AHEAD = dt.timedelta(hours=24)
GAP_AHEAD = dt.timedelta(hours=48)
SHIFT_REMINDER_STAMP = {DAY_BEFORE: "reminded_day_before_at", TWO_HOURS: "reminded_2h_at"}


def shift_reminder_window(kind: str, now) -> tuple[dt.datetime, dt.datetime]:
    """(after, up to) the start of the shifts whose ``kind`` reminder is due."""
    # The day-before reminder covers 24 h down to 2 h before; inside 2 h only the 2-hour one is sent.
    if kind == DAY_BEFORE:
        return now + TWO_HOURS_AHEAD, now + DAY_AHEAD
    return now, now + TWO_HOURS_AHEAD


def assignments_to_remind(*, kind: str, now=None) -> list[int]:
    now = now or timezone.now()
    lo, hi = shift_reminder_window(kind, now)
    return list(ShiftAssignment.objects.filter(
        **{f"{SHIFT_REMINDER_STAMP[kind]}__isnull": True}, shift__starts_at__gt=lo, shift__starts_at__lte=hi,
        shift__rota__active=True).order_by("shift__starts_at").values_list("pk", flat=True))


def understaffed_q() -> Q:
    """On shifts annotated with ``staffed`` (the number of assignments)."""
    return Q(staffed__lt=F("people"))


def shifts_with_gaps(*, now=None) -> list[int]:
    """Shifts in the next 48 hours with fewer people than they need, not yet alerted."""
    now = now or timezone.now()
    return list(Shift.objects.filter(starts_at__gt=now, starts_at__lte=now + GAP_AHEAD, gap_alerted_at__isnull=True,
                                     rota__active=True)
                .annotate(staffed=Count("assignments")).filter(understaffed_q()).order_by("starts_at")
                .values_list("pk", flat=True))


def active_rota_ids() -> list[int]:
    return list(Rota.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))


# --- notifications --------------------------------------------------------------------------------

def undelivered_notification_ids(*, older_than: dt.timedelta = dt.timedelta(minutes=1), limit: int = 500
                                 ) -> list[int]:
    """Notifications whose e-mail is still to be sent, oldest first: what the sweep queues again."""
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(emailed_at__isnull=True, email_failed=False, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )
