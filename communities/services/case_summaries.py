"""Recompute the dashboard's daily case figures (``CaseDailySummary``) and its top lists.

Run by Celery beat every minute (``refresh_case_summaries``). Recent days are recomputed whole, not
incremented, because a case keeps changing after the day it counts on (it is acknowledged, closed,
rated or rejected later); a case older than the window no longer moves the dashboard's figures.
Safe to run twice or concurrently: the rows are replaced in one transaction, under a PostgreSQL
advisory lock that makes a second concurrent run return at once.
"""
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..dates import local_midnight
from ..models import Case, CaseDailySummary, CaseDashboardTop, Community
from ..selectors.dashboard import FIELDS, TOP, period_first_day
from ..selectors.rates import rate_counts, rate_sources

# The dashboard shows 30 days; five more absorb a late refresh around midnight.
WINDOW_DAYS = 35
_LOCK_KEY = 0x1D_CA5E  # any constant shared by all refreshers


def case_summaries_refresh(*, now: datetime | None = None, window_days: int = WINDOW_DAYS) -> int | None:
    """Replace the summaries of the last ``window_days`` days and the top lists; the number of summary
    rows written, or None when another refresh holds the lock."""
    now = now or timezone.now()
    first_day = period_first_day(now, window_days)
    with transaction.atomic():
        if not _try_lock():
            return None
        days = _daily_counts(now=now, start=local_midnight(first_day))
        community_ids = list(Community.objects.values_list("id", flat=True))
        rows = [
            CaseDailySummary(community_id=cid, day=first_day + timedelta(days=i), refreshed_at=now,
                             **days.get((cid, first_day + timedelta(days=i)), {}))
            for cid in community_ids for i in range(window_days)
        ]
        CaseDailySummary.objects.filter(day__gte=first_day).delete()
        CaseDailySummary.objects.bulk_create(rows, batch_size=2000)
        CaseDashboardTop.objects.all().delete()
        CaseDashboardTop.objects.bulk_create(_tops(now=now), batch_size=2000)
    return len(rows)


def _try_lock() -> bool:
    if connection.vendor != "postgresql":  # SQLite (make run on a bare machine) serialises writers itself
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK_KEY])
        return cursor.fetchone()[0]


def _daily_counts(*, now: datetime, start: datetime) -> dict:
    """{(community id, day): {field: n}} for every day since ``start`` with anything in it."""
    tz = ZoneInfo(settings.TIME_ZONE)
    days = defaultdict(dict)
    filed = (Case.objects.filter(created_at__gte=start)
             .values(cid=F("community"), day=TruncDate("created_at", tzinfo=tz)).annotate(n=Count("id")).order_by())
    for row in filed:
        days[(row["cid"], row["day"])]["filed"] = row["n"]
    sources = rate_sources(cases=Case.objects.all(), start=start, end=now, now=now)
    for name, source in sources.items():
        numerator, denominator = FIELDS[name]
        by_day = rate_counts(source, cid=F(source.community_path), day=TruncDate(source.date_field, tzinfo=tz))
        for key, counts in by_day.items():
            days[key][numerator] = counts["numerator"]
            days[key][denominator] = counts["denominator"]
    return days


def _tops(*, now: datetime) -> list[CaseDashboardTop]:
    recent = Case.objects.filter(created_at__gte=local_midnight(period_first_day(now)))
    lists = {
        CaseDashboardTop.Kind.CATEGORY: recent.values(cid=F("community"), label=F("category__name")),
        CaseDashboardTop.Kind.BUILDING: recent.exclude(building__isnull=True)
        .values(cid=F("community"), label=F("building__name")),
    }
    tops = []
    for kind, rows in lists.items():
        ranked = defaultdict(list)
        for row in rows.annotate(n=Count("id")).order_by("cid", "-n", "label"):
            if len(ranked[row["cid"]]) < TOP:
                ranked[row["cid"]].append(row)
        tops += [CaseDashboardTop(community_id=cid, kind=kind, rank=rank, label=row["label"], count=row["n"],
                                  refreshed_at=now)
                 for cid, rows_ in ranked.items() for rank, row in enumerate(rows_, start=1)]
    return tops
