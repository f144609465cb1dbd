"""接诉即办 三率 — the three rates, defined once, counting only what is due.

Over a set of cases, a period [start, end) and the moment ``now``:
- response rate (响应率) = cases acknowledged by their acknowledge deadline
  ÷ cases dispatched in the period whose acknowledge deadline has passed or that were acknowledged
  (a case dispatched a quarter of an hour ago and due tomorrow is not yet a failure);
- resolution rate (解决率) = cases verified fixed (closed)
  ÷ cases due to be fixed in the period (deadline passed by now) or fixed in it. Each case counts once, in the
  period where it first became countable: the earlier of its fix deadline and its closing (a fix verified
  before its deadline counts at once, instead of showing "—" until the deadline comes);
- satisfaction rate (满意率) = ratings 满意 or 基本满意 ÷ ratings given in the period.
Rejected, duplicate and withdrawn cases count in none of them. A rate with nothing to divide
by is None (shown as "—"), never 0 % or 100 %. The dashboard says this in its "怎么算" note.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Least

from ..models import CaseRating, CaseStatus

EXCLUDED = [CaseStatus.REJECTED, CaseStatus.DUPLICATE, CaseStatus.WITHDRAWN]


@dataclass(frozen=True)
class Rate:
    numerator: int = 0
    denominator: int = 0

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass(frozen=True)
class ThreeRates:
    response: Rate = Rate()
    resolution: Rate = Rate()
    satisfaction: Rate = Rate()


@dataclass(frozen=True)
class RateSource:
    """What one rate counts: its rows in the period, the date that places a row in the period, the path
    from a row to its community, and which rows count in the numerator."""
    rows: QuerySet
    date_field: str
    community_path: str
    numerator: Q


def rate_sources(*, cases: QuerySet, start: datetime, end: datetime, now: datetime) -> dict[str, RateSource]:
    """The three rates' definitions, used by the live figures below and the daily summaries alike."""
    counted = cases.exclude(status__in=EXCLUDED)
    # The moment a case first counts for resolution: fixed (closed) or due, whichever came first.
    countable_at = Least(Coalesce("closed_at", "fix_due_at"), Coalesce("fix_due_at", "closed_at"))
    return {
        "response": RateSource(
            counted.filter(dispatched_at__gte=start, dispatched_at__lt=end)
            .filter(Q(ack_due_at__lte=now) | Q(acknowledged_at__isnull=False)), "dispatched_at", "community",
            Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at"))),
        "resolution": RateSource(
            counted.alias(countable_at=countable_at)
            .filter(countable_at__gte=start, countable_at__lt=min(end, now))
            .filter(Q(fix_due_at__lte=now) | Q(status=CaseStatus.CLOSED)), "countable_at", "community",
            Q(status=CaseStatus.CLOSED)),
        "satisfaction": RateSource(
            CaseRating.objects.filter(case__in=counted.values("id"), at__gte=start, at__lt=end), "at",
            "case__community", Q(score__in=[CaseRating.Score.SATISFIED, CaseRating.Score.BASIC])),
    }


def rate_counts(source: RateSource, **keys) -> dict:
    """{tuple of key values: {"numerator": n, "denominator": d}} grouped by ``keys`` (name → expression)."""
    aggregates = {"denominator": Count("id"), "numerator": Count("id", filter=source.numerator)}
    if not keys:
        return {(): source.rows.aggregate(**aggregates)}
    rows = source.rows.values(**keys).annotate(**aggregates).order_by()
    return {tuple(row.pop(name) for name in keys): row for row in rows}


def three_rates_by(*, cases: QuerySet, start: datetime, end: datetime, now: datetime,
                   group: str | None = None) -> dict:
    """{group value: ThreeRates}; with group=None, {None: ThreeRates}. Three queries whatever the groups."""
    counts = {}
    for name, source in rate_sources(cases=cases, start=start, end=end, now=now).items():
        path = source.community_path.removesuffix("community") + group if group else None
        by_key = rate_counts(source, **({"key": F(path)} if path else {}))
        counts[name] = {(key[0] if key else None): row for key, row in by_key.items()}
    result = defaultdict(ThreeRates)
    for key in set().union(*counts.values()):
        result[key] = ThreeRates(*(Rate(**counts[name].get(key, {})) for name in ("response", "resolution",
                                                                                    "satisfaction")))
    return result


def three_rates(*, cases: QuerySet, start: datetime, end: datetime, now: datetime) -> ThreeRates:
    return three_rates_by(cases=cases, start=start, end=end, now=now)[None]
