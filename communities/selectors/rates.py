"""接诉即办 三率 — the three rates, defined once.

Over a set of cases and a period [start, end):
- response rate (响应率) = cases acknowledged by their acknowledge deadline
  ÷ cases dispatched in the period;
- resolution rate (解决率) = cases verified fixed (closed)
  ÷ cases whose fix deadline fell in the period and has passed (they should be fixed by now);
- satisfaction rate (满意率) = ratings 满意 or 基本满意 ÷ ratings given in the period.
Rejected, duplicate and withdrawn cases count in none of them. A rate with nothing to divide
by is None (shown as "—"), never 0 % or 100 %.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

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


def _grouped(qs: QuerySet, group: str | None, **aggregates) -> dict:
    if group is None:
        return {None: qs.aggregate(**aggregates)}
    return {row.pop("key"): row for row in qs.values(key=F(group)).annotate(**aggregates).order_by()}


def three_rates_by(*, cases: QuerySet, start: datetime, end: datetime, now: datetime,
                   group: str | None = None) -> dict:
    """{group value: ThreeRates}; with group=None, {None: ThreeRates}. Three queries whatever the groups."""
    counted = cases.exclude(status__in=EXCLUDED)
    response = _grouped(
        counted.filter(dispatched_at__gte=start, dispatched_at__lt=end), group,
        denominator=Count("id"),
        numerator=Count("id", filter=Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at"))))
    resolution = _grouped(
        counted.filter(fix_due_at__gte=start, fix_due_at__lt=min(end, now)), group,
        denominator=Count("id"), numerator=Count("id", filter=Q(status=CaseStatus.CLOSED)))
    ratings = CaseRating.objects.filter(case__in=counted.values("id"), at__gte=start, at__lt=end)
    satisfaction = _grouped(
        ratings, f"case__{group}" if group else None,
        denominator=Count("id"),
        numerator=Count("id", filter=Q(score__in=[CaseRating.Score.SATISFIED, CaseRating.Score.BASIC])))
    result = defaultdict(ThreeRates)
    for key in set(response) | set(resolution) | set(satisfaction):
        result[key] = ThreeRates(Rate(**response.get(key, {})), Rate(**resolution.get(key, {})),
                                 Rate(**satisfaction.get(key, {})))
    return result


def three_rates(*, cases: QuerySet, start: datetime, end: datetime, now: datetime) -> ThreeRates:
    return three_rates_by(cases=cases, start=start, end=end, now=now)[None]
