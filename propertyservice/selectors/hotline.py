"""Reads of the 24-hour hotline: the hotline's clock (RULES.md "The hotline's clock", Shanghai 12345 practice), the
call log, one call, the hub and board cards and the ``hotline_answered`` metric. Each runs a fixed number of
queries; none writes.

The clock: an enquiry, a suggestion, an emergency or anything else is answered within 1 working day; a promised
call-back within 3 (督办和回访件 3 个工作日); a repair request or a complaint within 5 (求助、投诉 5 个工作日). Working
days skip weekends and the public holidays of ``HOLIDAYS`` and count the adjusted working weekends of
``WORKING_WEEKENDS`` (调休上班)."""
import datetime as dt
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from communities import policy
from communities.dates import local_midnight, month_bounds

from ..models import HotlineCall

C = HotlineCall.Category
O = HotlineCall.Outcome

# 国务院办公厅关于2026年部分节假日安排的通知 (as the station uses it; check each year's notice and add the next).
HOLIDAYS = frozenset(dt.date.fromisoformat(d) for d in (
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
    "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
))
WORKING_WEEKENDS = frozenset(dt.date.fromisoformat(d) for d in (
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
))

DAYS_TO_ANSWER = {C.ENQUIRY: 1, C.SUGGESTION: 1, C.EMERGENCY: 1, C.OTHER: 1, C.REPAIR: 5, C.COMPLAINT: 5}
CALLBACK_DAYS = 3

# The night (夜间): a call received from 22:00 to 07:00 goes at once to whoever is on the security shift.
NIGHT_HOURS = (22, 7)
# The dotted path of fn(*, call, actor) -> the Incident opened from a call (转为突发事件); "" offers no such
# outcome. ``settings.HOTLINE_INCIDENT_OPENER`` overrides it.
INCIDENT_OPENER = "propertyservice.services.incidents.incident_from_call"

PAGE_SIZE = 20


def night_hours() -> tuple[int, int]:
    return tuple(getattr(settings, "HOTLINE_NIGHT_HOURS", NIGHT_HOURS))


def incident_opener() -> str:
    return getattr(settings, "HOTLINE_INCIDENT_OPENER", INCIDENT_OPENER) or ""


def is_night(moment: dt.datetime) -> bool:
    start, end = night_hours()
    hour = timezone.localtime(moment).hour
    return hour >= start or hour < end if start > end else start <= hour < end


def is_working_day(day: dt.date) -> bool:
    if day in WORKING_WEEKENDS:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


def working_days_after(moment: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th working day after the day of ``moment`` (local midnight after it): a call at
    16:00 on a Friday with 1 working day is due by Monday's end."""
    day = timezone.localtime(moment).date()
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return local_midnight(day + dt.timedelta(days=1))


def days_to_answer(*, category: str, outcome: str) -> int:
    days = DAYS_TO_ANSWER.get(category, 1)
    return max(days, CALLBACK_DAYS) if outcome == O.CALLBACK else days


def answer_due(call: HotlineCall) -> dt.datetime:
    return working_days_after(call.received_at, days_to_answer(category=call.category, outcome=call.outcome))


def answered_in_time(call: HotlineCall) -> bool:
    return call.answered_at is not None and call.answered_at <= answer_due(call)


def outcomes_offered() -> list[tuple[str, str]]:
    """The outcomes the form offers: 转为突发事件 only once an incident opener is wired in."""
    return [(value, label) for value, label in O.choices if value != O.INCIDENT or incident_opener()]


# --- lists and pages -------------------------------------------------------------------------------------------

def calls_for(*, user, community, day: dt.date | None = None, outcome: str = "", page: int | str = 1):
    """One page of the call log of ``community`` as ``user`` may read it, newest first: 2 queries (count, rows)."""
    qs = (policy.scope(user, "propertyservice.hotline.view", HotlineCall.objects.filter(community=community))
          .select_related("logged_by", "village_group", "callback_assignee"))
    if day is not None:
        qs = qs.filter(received_at__gte=local_midnight(day), received_at__lt=local_midnight(day + dt.timedelta(days=1)))
    if outcome in O.values:
        qs = qs.filter(outcome=outcome)
    return Paginator(qs.order_by("-received_at", "-id"), PAGE_SIZE).get_page(page)


def call_for_page(*, user, pk: int) -> HotlineCall:
    return policy.get_object_or_404_for(
        user, "propertyservice.hotline.view",
        HotlineCall.objects.select_related("community", "logged_by", "village_group", "callback_assignee",
                                           "callback_done_by", "case").prefetch_related("alerted"), pk=pk)


def callbacks_due(*, now=None):
    """Call-backs due by ``now``, not done and not reminded yet (what the beat reminds)."""
    now = now or timezone.now()
    return HotlineCall.objects.filter(callback_due_at__lte=now, callback_done_at__isnull=True,
                                      callback_reminded_at__isnull=True)


# --- the cards and the metric ----------------------------------------------------------------------------------

def is_due(call: HotlineCall, *, now) -> bool:
    """Whether a call counts in the answered share at ``now``: answered, or its clock has run out. A call still
    within its time to answer is not yet late, so it counts neither for nor against the station."""
    return call.answered_at is not None or answer_due(call) <= now


@dataclass(frozen=True)
class HotlineMonth:
    calls: int
    answered: int
    in_time: int
    median_minutes: int | None
    callbacks_overdue: int
    due: int = 0  # the calls answered or past their time to answer (the share's whole)

    @property
    def not_yet_due(self) -> int:
        return self.calls - self.due

    @property
    def answered_share(self) -> int | None:
        return round(100 * self.answered / self.due) if self.due else None


def hotline_month(*, community, now=None) -> HotlineMonth:
    """The month so far (this calendar month, Shanghai): 2 queries."""
    now = now or timezone.now()
    start, end = month_bounds(timezone.localtime(now).date())
    rows = list(HotlineCall.objects.filter(community=community, received_at__gte=start, received_at__lt=end)
                .only("received_at", "answered_at", "category", "outcome"))
    waits = [(c.answered_at - c.received_at).total_seconds() / 60 for c in rows if c.answered_at]
    overdue = HotlineCall.objects.filter(community=community, callback_done_at__isnull=True,
                                         callback_due_at__lt=now).aggregate(n=Count("pk"))["n"]
    return HotlineMonth(calls=len(rows), answered=len(waits), in_time=sum(answered_in_time(c) for c in rows),
                        due=sum(is_due(c, now=now) for c in rows), callbacks_overdue=overdue,
                        median_minutes=round(statistics.median(waits)) if waits else None)


def hotline_answered_measure(*, community, start: dt.date, end: dt.date, now=None):
    """``hotline_answered``: calls answered within the hotline's clock, of the calls received in the period
    (start ≤ day < end) that are answered or past their time to answer by ``now`` (a call still within its time
    is not counted yet). One query."""
    from ..metrics import Measure

    now = now or timezone.now()
    rows = list(HotlineCall.objects.filter(community=community, received_at__gte=local_midnight(start),
                                           received_at__lt=local_midnight(end))
                .only("received_at", "answered_at", "category", "outcome"))
    rows = [c for c in rows if is_due(c, now=now)]
    met = sum(answered_in_time(c) for c in rows)
    note = gettext("%(met)s / %(all)s 个来电按时答复") % {"met": met, "all": len(rows)}
    return Measure(part=met, whole=len(rows), note=note)


def hub_card(*, request, community) -> dict:
    """The hub's 24 小时热线 card: staff log a call; villagers see the number to ring."""
    user = request.user
    if policy.can(user, "propertyservice.hotline.log", community):
        return {"can_log": True, "can_view": True, "phone": community.office_phone}
    if policy.can(user, "propertyservice.hotline.view", community):
        return {"can_view": True, "phone": community.office_phone}
    return {"phone": community.office_phone or "—"}


def board_card(*, request, community, now=None) -> dict:
    """The board's card: this month's calls, answered share, median time to answer, call-backs overdue. 2 queries
    after the policy's facts."""
    if not policy.can(request.user, "propertyservice.hotline.view", community):
        return {}
    return {"month": hotline_month(community=community, now=now)}


def open_callbacks_q() -> Q:
    return Q(callback_due_at__isnull=False, callback_done_at__isnull=True)
