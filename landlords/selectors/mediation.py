"""Reads of the mediation room (一室): the room's log for staff, its monthly counts, the duty landlord's shifts."""
import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from communities import policy
from communities.dates import local_midnight
from communities.models import Rota, ShiftAssignment

from ..models.mediation import LATE_WINDOW, MediationRecord

Outcome = MediationRecord.Outcome


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first day 00:00, next month's first day 00:00) in Shanghai time."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return local_midnight(first), local_midnight(following)


def _with_relations(qs: QuerySet) -> QuerySet:
    return qs.select_related("recorded_by__person", "shift__rota", "case", "agency")


def mediation_log(*, user, community, month: dt.date | None = None, outcome: str = "") -> QuerySet:
    """The room's records of one community, newest first, for staff and the Party secretary."""
    qs = policy.scope(user, "landlords.mediation.log", MediationRecord.objects.filter(community=community))
    if month is not None:
        start, end = month_bounds(month)
        qs = qs.filter(recorded_at__gte=start, recorded_at__lt=end)
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    return _with_relations(qs).order_by("-recorded_at", "-id")


def mediation_counts(*, community, month: dt.date) -> dict:
    """Disputes recorded in the month, and how many were settled there, turned into cases, referred. One query."""
    start, end = month_bounds(month)
    counts = MediationRecord.objects.filter(community=community, recorded_at__gte=start, recorded_at__lt=end) \
        .aggregate(total=Count("pk"), settled=Count("pk", filter=Q(outcome=Outcome.SETTLED)),
                   cases=Count("pk", filter=Q(outcome=Outcome.CASE)),
                   referred=Count("pk", filter=Q(outcome=Outcome.REFERRED)))
    counts["settled_pct"] = round(100 * counts["settled"] / counts["total"]) if counts["total"] else None
    return counts


def my_mediation_shifts(*, user, now=None, days_back: int = 31, days_ahead: int = 7) -> list[ShiftAssignment]:
    """The duty landlord's mediation-room shifts around today, each with its records and ``can_record``."""
    now = now or timezone.now()
    records = Prefetch("shift__mediation_records",
                       queryset=MediationRecord.objects.select_related("recorded_by__person", "case", "agency")
                       .order_by("recorded_at", "id"))
    assignments = list(
        ShiftAssignment.objects.filter(user=user, shift__rota__kind=Rota.Kind.MEDIATION_ROOM,
                                       shift__starts_at__gte=now - dt.timedelta(days=days_back),
                                       shift__starts_at__lte=now + dt.timedelta(days=days_ahead))
        .select_related("shift__rota").prefetch_related(records).order_by("-shift__starts_at"))
    for a in assignments:
        a.can_record = a.shift.starts_at <= now <= a.shift.ends_at + LATE_WINDOW
    return assignments
