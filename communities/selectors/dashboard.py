"""The Party-branch dashboard: the three rates, open and overdue cases, where problems gather.

The rates, the number filed and the top lists come from the daily summaries (``CaseDailySummary``,
refreshed by Celery every minute, see ``services/case_summaries.py``); open and overdue counts are
live. The apps' figures (tenant registrations, …) are the latest ``CommunityFigure`` row of each in the period,
pushed by the apps (``services.figures.record_figure``): reading a dashboard runs no app code. A constant number
of queries whatever the number of communities (the town sees all 52 side by side) or of cases.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone

from .. import policy
from ..models import OPEN_STATUSES, Case, CaseDailySummary, CaseDashboardTop, Community, CommunityFigure
from .cases import overdue_q
from .rates import Rate, ThreeRates

DASHBOARD_DAYS = 30
PERIOD_DAYS = DASHBOARD_DAYS
TOP = 5
# Each rate of a summary row: its numerator and denominator fields (written by services/case_summaries.py).
FIELDS = {"response": ("acknowledged_on_time", "dispatched"), "resolution": ("resolved", "due"),
          "satisfaction": ("satisfied", "rated")}


def period_first_day(now: datetime, days: int = DASHBOARD_DAYS):
    """The first calendar day (Asia/Shanghai) of a period of ``days`` days ending today."""
    return timezone.localdate(now, ZoneInfo(settings.TIME_ZONE)) - timedelta(days=days - 1)


@dataclass
class CommunityDashboard:
    community: Community
    rates: ThreeRates
    refreshed_at: datetime | None = None
    open: int = 0
    overdue: int = 0
    filed: int = 0
    top_categories: list = field(default_factory=list)
    top_buildings: list = field(default_factory=list)
    figures: list = field(default_factory=list)  # [AppFigure], the apps' numbers


@dataclass(frozen=True)
class AppFigure:
    app_label: str
    key: str
    label: str  # untranslated (the app's msgid): the template translates it
    value: int
    day: object


def dashboard_for(*, user, now=None, slug: str = "", top: int = TOP) -> list[CommunityDashboard]:
    """The boards of the communities ``user`` may see (only ``slug``'s if given), with ``top`` entries
    of each top list (the town's overview table shows the first only)."""
    now = now or timezone.now()
    communities = policy.communities_for(user, "case.dashboard").order_by("name")
    communities = list(communities.filter(slug=slug) if slug else communities)
    summed = _summed(communities, first_day=period_first_day(now))
    live = {row["community"]: row for row in Case.objects.filter(community__in=communities, status__in=OPEN_STATUSES)
            .values("community").annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(now))).order_by()}
    tops = defaultdict(lambda: defaultdict(list))
    for cid, kind, label, count in (CaseDashboardTop.objects.filter(community__in=communities, rank__lte=top)
                                    .order_by("community", "kind", "rank")
                                    .values_list("community", "kind", "label", "count")):
        tops[cid][kind].append((label, count))
    figures = app_figures(communities, first_day=period_first_day(now), last_day=timezone.localdate(now))
    boards = []
    for c in communities:
        s = summed.get(c.pk, {})
        boards.append(CommunityDashboard(
            community=c, rates=_rates(s), refreshed_at=s.get("refreshed_at"), filed=s.get("filed") or 0,
            open=live.get(c.pk, {}).get("open", 0), overdue=live.get(c.pk, {}).get("overdue", 0),
            top_categories=tops[c.pk][CaseDashboardTop.Kind.CATEGORY],
            top_buildings=tops[c.pk][CaseDashboardTop.Kind.BUILDING], figures=figures.get(c.pk, []),
        ))
    return boards


def app_figures(communities, *, first_day, last_day) -> dict[int, list[AppFigure]]:
    """{community id: the latest figure of each (app, key) recorded between ``first_day`` and ``last_day``}, in
    one query of CommunityFigure rows only (at most a period's days per figure)."""
    latest: dict[int, dict[tuple[str, str], AppFigure]] = defaultdict(dict)
    rows = (CommunityFigure.objects.filter(community__in=communities, day__gte=first_day, day__lte=last_day)
            .order_by("community", "app_label", "key", "-day")
            .values_list("community", "app_label", "key", "label", "value", "day"))
    for cid, app_label, key, label, value, day in rows:
        latest[cid].setdefault((app_label, key), AppFigure(app_label, key, label, value, day))
    return {cid: list(by_key.values()) for cid, by_key in latest.items()}


def _summed(communities, *, first_day) -> dict:
    columns = ["filed"] + [name for pair in FIELDS.values() for name in pair]
    rows = (CaseDailySummary.objects.filter(community__in=communities, day__gte=first_day).values("community")
            .annotate(refreshed_at=Max("refreshed_at"), **{name: Sum(name) for name in columns}).order_by())
    return {row["community"]: row for row in rows}


def _rates(summed: dict) -> ThreeRates:
    if not summed:
        return ThreeRates()
    return ThreeRates(*(Rate(numerator=summed[num], denominator=summed[den])
                        for num, den in (FIELDS[name] for name in ("response", "resolution", "satisfaction"))))
