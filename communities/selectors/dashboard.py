"""The Party-branch dashboard: the three rates, open and overdue cases, where problems gather.

A constant number of queries whatever the number of communities (the town sees all 52 side by side).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .. import policy
from ..models import OPEN_STATUSES, Case, Community
from ..services.case_clock import overdue_q
from .rates import ThreeRates, three_rates_by

PERIOD_DAYS = 30
TOP = 5


@dataclass
class CommunityDashboard:
    community: Community
    rates: ThreeRates
    open: int = 0
    overdue: int = 0
    filed: int = 0
    top_categories: list = field(default_factory=list)
    top_buildings: list = field(default_factory=list)


def dashboard_for(*, user, now=None, days: int = PERIOD_DAYS) -> list[CommunityDashboard]:
    now = now or timezone.now()
    start = now - timedelta(days=days)
    communities = list(policy.communities_for(user, "case.dashboard").order_by("name"))
    cases = Case.objects.filter(community__in=communities)
    rates = three_rates_by(cases=cases, start=start, end=now, now=now, group="community")
    counts = {row["community"]: row for row in cases.values("community").annotate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=overdue_q(now)),
        filed=Count("id", filter=Q(created_at__gte=start)),
    ).order_by()}
    recent = cases.filter(created_at__gte=start)
    categories = _top(recent.values("community", "category__name").annotate(n=Count("id")), "category__name")
    buildings = _top(recent.exclude(building__isnull=True).values("community", "building__name")
                     .annotate(n=Count("id")), "building__name")
    return [
        CommunityDashboard(
            community=c, rates=rates.get(c.pk, ThreeRates()),
            open=counts.get(c.pk, {}).get("open", 0), overdue=counts.get(c.pk, {}).get("overdue", 0),
            filed=counts.get(c.pk, {}).get("filed", 0),
            top_categories=categories.get(c.pk, []), top_buildings=buildings.get(c.pk, []),
        )
        for c in communities
    ]


def _top(rows, label: str) -> dict:
    grouped = defaultdict(list)
    for row in rows.order_by("community", "-n"):
        if len(grouped[row["community"]]) < TOP:
            grouped[row["community"]].append((row[label], row["n"]))
    return grouped
