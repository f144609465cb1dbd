"""What the clock does to shifts: reminders, missed shifts, coverage gaps.

Run by Celery beat (communities.tasks). Beat scans the database for what is due, so a restart or a
Redis flush loses nothing, and each step is claimed with a conditional UPDATE on the row's own column
(``reminded_2h_at IS NULL``) that must change exactly one row: a task run twice, or by two workers at
once, acts once.
"""
import datetime as dt

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Shift, ShiftAssignment
from ..selectors.clock import (
    DAY_BEFORE, SHIFT_REMINDER_KINDS, SHIFT_REMINDER_STAMP, TWO_HOURS, shift_reminder_window,
)
from .rota_duty import local, rota_managers, shift_label, tell
from .texts import deferred

MISSED_LOOKBACK = dt.timedelta(days=7)


def shift_remind(*, assignment_id: int, kind: str, now=None) -> bool:
    """Send one reminder of one assignment; True if this call sent it."""
    if kind not in SHIFT_REMINDER_KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    now = now or timezone.now()
    with transaction.atomic():
        assignment = (ShiftAssignment.objects.select_related("shift__rota", "user")
                      .filter(pk=assignment_id).first())
        if assignment is None:
            return False
        lo, hi = shift_reminder_window(kind, now)
        # A day-before reminder that comes too late (taken 1 h before) is left to the 2-hour one.
        if not (lo < assignment.shift.starts_at <= hi):
            return False
        stamps = {SHIFT_REMINDER_STAMP[kind]: now}
        if kind == TWO_HOURS:
            stamps[SHIFT_REMINDER_STAMP[DAY_BEFORE]] = Coalesce(F(SHIFT_REMINDER_STAMP[DAY_BEFORE]), now)
        # Filter on the row's own columns only, so a second worker waiting on the row lock re-checks them.
        claimed = ShiftAssignment.objects.filter(pk=assignment_id, user_id=assignment.user_id,
                                                 **{f"{SHIFT_REMINDER_STAMP[kind]}__isnull": True}).update(**stamps)
        if claimed != 1:
            return False
        shift = assignment.shift
        if kind == DAY_BEFORE:
            title = deferred(gettext_lazy("值班提醒：明天 %(shift)s"), shift=shift_label(shift))
        else:
            title = deferred(gettext_lazy("值班提醒：2 小时后 %(shift)s"), shift=shift_label(shift))
        body = deferred(gettext_lazy("地点：%(place)s。到岗后请在班次页面签到。"), place=shift.rota.place or "-")
        tell([assignment.user], shift=shift, title=title, body=body)
    return True


def shifts_mark_missed(*, now=None) -> int:
    """Mark every assignment whose shift ended without a check-in; returns how many were marked now."""
    now = now or timezone.now()
    # A bounded window on starts_at (indexed): the beat runs every 15 minutes, a week covers any outage.
    due = ShiftAssignment.objects.filter(checked_in_at__isnull=True, missed_at__isnull=True, shift__ends_at__lte=now,
                                         shift__starts_at__gte=now - MISSED_LOOKBACK)
    ids = list(due.values_list("pk", flat=True))
    # Re-checked on the row itself: a check-in that commits meanwhile is not overwritten.
    return ShiftAssignment.objects.filter(pk__in=ids, checked_in_at__isnull=True,
                                          missed_at__isnull=True).update(missed_at=now)


def shift_alert_gap(*, shift_id: int, now=None) -> bool:
    """Tell the rota's manager about one unfilled shift, once."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = (Shift.objects.select_related("rota__manager").annotate(staffed=Count("assignments"))
                 .filter(pk=shift_id, starts_at__gt=now).first())
        if shift is None or shift.staffed >= shift.people:
            return False
        if Shift.objects.filter(pk=shift_id, gap_alerted_at__isnull=True).update(gap_alerted_at=now) != 1:
            return False
        tell(rota_managers(shift.rota), shift=shift,
             title=deferred(gettext_lazy("缺岗提醒：%(shift)s 还差 %(missing)s 人"), shift=shift_label(shift),
                            missing=shift.people - shift.staffed),
             body=deferred(gettext_lazy("班次 %(time)s 开始，请安排人员。"), time=local(shift.starts_at)))
    return True
