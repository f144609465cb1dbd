"""The dashboard's daily summaries: the same three rates as the live definition, over calendar days in
Shanghai, recomputed by Celery beat; safe to run twice or at once; the page says how fresh they are."""
import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from communities import tasks
from communities.models import Case, CaseDailySummary, CaseDashboardTop, CaseStatus as S
from communities.selectors.dashboard import dashboard_for
from communities.selectors.rates import three_rates
from communities.dates import local_midnight
from communities.services.case_summaries import WINDOW_DAYS, case_summaries_refresh

from ..factories import BuildingFactory, CaseCategoryFactory, CaseFactory, CaseRatingFactory

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=SH)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def board_of(user, community, now=NOW):
    return next(b for b in dashboard_for(user=user, now=now) if b.community == community)


def case(community, *, at, status=S.CLOSED, acked_after=2 * H, fix_due=None, score=None, **extra):
    c = CaseFactory(community=community, created_at=at, dispatched_at=at, status=status,
                    acknowledged_at=at + acked_after if acked_after is not None else None,
                    ack_due_at=at + 24 * H, fix_due_at=fix_due or at + 72 * H, **extra)
    if score:
        CaseRatingFactory(case=c, score=score, at=at + 80 * H)
    return c


@pytest.fixture
def mixed(community):
    """Cases across the last 40 days: on time and late, closed and open, excluded statuses, ratings."""
    for days_ago in range(0, 40, 3):
        at = NOW - days_ago * D - 5 * H
        case(community, at=at, score="satisfied")
        case(community, at=at, acked_after=30 * H, status=S.IN_PROGRESS)
        case(community, at=at, status=S.REJECTED, score="unsatisfied")
        case(community, at=at, acked_after=None, status=S.DISPATCHED)
        case(community, at=at, score="unsatisfied" if days_ago % 2 else "basic")
    return community


def test_summaries_give_the_live_three_rates_over_the_same_calendar_days(mixed, committee_staff):
    case_summaries_refresh(now=NOW)
    board = board_of(committee_staff, mixed)
    start = local_midnight(NOW.date() - 29 * D)  # 30 calendar days, today included
    live = three_rates(cases=Case.objects.filter(community=mixed), start=start, end=NOW, now=NOW)
    assert board.rates == live
    assert board.rates.response.denominator > 0 and board.rates.resolution.denominator > 0
    assert board.filed == Case.objects.filter(community=mixed, created_at__gte=start).count()


def test_a_hand_computed_day(community, committee_staff):
    at = NOW - 4 * D  # fixes due 3 days later, rated 80 hours later: both before NOW
    case(community, at=at, score="satisfied")                          # on time, closed, satisfied
    case(community, at=at, acked_after=25 * H, status=S.IN_PROGRESS)   # late, due and not fixed
    case(community, at=at, score="unsatisfied")                        # on time, closed, unsatisfied
    case(community, at=at, status=S.WITHDRAWN)                         # counts in no rate
    case_summaries_refresh(now=NOW)
    day = CaseDailySummary.objects.get(community=community, day=at.date())
    assert (day.filed, day.dispatched, day.acknowledged_on_time) == (4, 3, 2)
    fix_day = CaseDailySummary.objects.get(community=community, day=(at + 72 * H).date())
    assert (fix_day.due, fix_day.resolved) == (3, 2)
    rate_day = CaseDailySummary.objects.get(community=community, day=(at + 80 * H).date())
    assert (rate_day.rated, rate_day.satisfied) == (2, 1)
    rates = board_of(committee_staff, community).rates
    assert (rates.response.percent, rates.resolution.percent, rates.satisfaction.percent) == ("66.7%", "66.7%", "50.0%")


def test_days_are_calendar_days_in_shanghai(community):
    late_evening = dt.datetime(2026, 11, 20, 23, 30, tzinfo=SH)   # 15:30 UTC the same day
    after_midnight = dt.datetime(2026, 11, 21, 0, 30, tzinfo=SH)  # 16:30 UTC on the 20th
    case(community, at=late_evening)
    case(community, at=after_midnight)
    case_summaries_refresh(now=NOW)
    filed = dict(CaseDailySummary.objects.filter(community=community, filed__gt=0).values_list("day", "filed"))
    assert filed == {dt.date(2026, 11, 20): 1, dt.date(2026, 11, 21): 1}


def test_the_window_is_thirty_days_with_today(community, committee_staff):
    case(community, at=local_midnight(NOW.date() - 29 * D) + H)   # first day of the window
    case(community, at=local_midnight(NOW.date() - 29 * D) - H)   # the evening before: outside
    case_summaries_refresh(now=NOW)
    assert board_of(committee_staff, community).rates.response.denominator == 1


def test_refresh_is_idempotent_dense_and_keeps_older_history(community, other_community):
    case(community, at=NOW - 2 * D)
    first = case_summaries_refresh(now=NOW)
    rows = list(CaseDailySummary.objects.values_list("community", "day", "filed", "dispatched"))
    assert first == len(rows) == 2 * WINDOW_DAYS  # every day of every community, zeros included
    assert case_summaries_refresh(now=NOW) == first
    assert list(CaseDailySummary.objects.values_list("community", "day", "filed", "dispatched")) == rows
    # A week later the window has moved: the days that left it stay as history, unchanged.
    case_summaries_refresh(now=NOW + 7 * D)
    old = NOW.date() - (WINDOW_DAYS - 1) * D
    assert CaseDailySummary.objects.filter(community=community, day=old).exists()
    assert CaseDailySummary.objects.filter(community=community).count() == WINDOW_DAYS + 7


def test_a_case_closed_later_counts_after_the_next_refresh(community, committee_staff, monkeypatch):
    c = case(community, at=NOW - 5 * D, status=S.AWAITING_VERIFICATION)
    case_summaries_refresh(now=NOW)
    assert board_of(committee_staff, community).rates.resolution.numerator == 0
    Case.objects.filter(pk=c.pk).update(status=S.CLOSED, closed_at=NOW)
    assert board_of(committee_staff, community).rates.resolution.numerator == 0  # until the next minute
    monkeypatch.setattr(timezone, "now", lambda: NOW + dt.timedelta(minutes=1))  # the task reads the clock
    tasks.refresh_case_summaries.apply()  # the beat task
    assert board_of(committee_staff, community, now=timezone.now()).rates.resolution.numerator == 1


def test_open_and_overdue_are_live(community, committee_staff):
    case_summaries_refresh(now=NOW)
    case(community, at=NOW - 2 * D, acked_after=None, status=S.DISPATCHED)  # acknowledge deadline passed
    case(community, at=NOW - H, acked_after=None, status=S.DISPATCHED)      # still in time
    board = board_of(committee_staff, community)
    assert (board.open, board.overdue) == (2, 1)


def test_top_categories_and_buildings(community, committee_staff):
    noise, leak = (CaseCategoryFactory(community=community, code=c, name=n) for c, n in
                   (("noise", "噪音扰民"), ("leak", "房屋漏水")))
    b1, b2 = BuildingFactory(community=community, name="1号楼"), BuildingFactory(community=community, name="2号楼")
    for category, building, n in ((noise, b2, 3), (leak, b1, 1)):
        for _ in range(n):
            case(community, at=NOW - 2 * D, category=category, building=building)
    case(community, at=NOW - 40 * D, category=leak, building=b1)  # outside the period
    case_summaries_refresh(now=NOW)
    board = board_of(committee_staff, community)
    assert board.top_categories == [("噪音扰民", 3), ("房屋漏水", 1)]
    assert board.top_buildings == [("2号楼", 3), ("1号楼", 1)]
    assert CaseDashboardTop.objects.count() == 4


def test_the_page_says_when_figures_were_computed_or_that_they_are_not_yet(client, community, committee_staff):
    client.force_login(committee_staff)
    html = client.get(reverse("communities:dashboard")).content.decode()
    assert "三率统计尚未生成" in html
    case_summaries_refresh()
    html = client.get(reverse("communities:dashboard")).content.decode()
    assert "三率统计于" in html and "三率统计尚未生成" not in html


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_refresh_returns_at_once_and_changes_nothing(community):
    case(community, at=NOW - 2 * D)
    case_summaries_refresh(now=NOW)
    holding, release, result = threading.Event(), threading.Event(), {}

    def first_refresher():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:  # the lock a running refresh holds
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x1D_CA5E])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_refresher)
    thread.start()
    try:
        assert holding.wait(10)
        result["second"] = case_summaries_refresh(now=NOW + D)
    finally:
        release.set()
        thread.join()
    assert result["second"] is None
    assert not CaseDailySummary.objects.filter(day=(NOW + D).date()).exists()


def test_the_daily_summaries_count_only_what_is_due_like_the_live_rates(community, committee_staff):
    """A fresh case not yet due is in neither rate; an early verified fix counts at once (issue 12)."""
    fresh = NOW - 15 * 60 * dt.timedelta(seconds=1)
    case(community, at=fresh, acked_after=None, status=S.DISPATCHED)               # due tomorrow: not counted
    case(community, at=NOW - 3 * H, acked_after=H, fix_due=NOW + 69 * H, closed_at=NOW - H)  # fixed early
    case_summaries_refresh(now=NOW)
    board = board_of(committee_staff, community)
    assert (board.rates.response.numerator, board.rates.response.denominator) == (1, 1)
    assert (board.rates.resolution.numerator, board.rates.resolution.denominator) == (1, 1)
    start = local_midnight(NOW.date() - 29 * D)
    assert board.rates == three_rates(cases=Case.objects.filter(community=community), start=start, end=NOW, now=NOW)


def test_the_dashboard_says_how_the_rates_are_counted(client, committee_staff):
    client.force_login(committee_staff)
    page = client.get(reverse("communities:dashboard")).content.decode()
    assert "怎么算" in page
    assert "还没到期限的不算没响应" in page and "每条诉求只算一次" in page
