"""The three rates on hand-computed examples (DESIGN.md: 接诉即办 三率)."""
import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Case, CaseRating, CaseStatus
from communities.selectors.rates import three_rates, three_rates_by

from ..factories import CaseFactory, CaseRatingFactory, CommunityFactory

NOW = timezone.make_aware(dt.datetime(2026, 11, 27, 12, 0))
START = NOW - dt.timedelta(days=30)
H = dt.timedelta(hours=1)


def case(community, *, created, status=CaseStatus.CLOSED, dispatched=None, acked=None, ack_due=None, fix_due=None):
    return CaseFactory(community=community, created_at=created, status=status, dispatched_at=dispatched,
                       acknowledged_at=acked, ack_due_at=ack_due or created + 24 * H,
                       fix_due_at=fix_due or created + 72 * H)


@pytest.fixture
def c(db):
    return CommunityFactory(slug="rates")


def rates(community):
    return three_rates(cases=Case.objects.filter(community=community), start=START, end=NOW, now=NOW)


def test_response_rate_counts_acknowledged_within_deadline_over_dispatched(c):
    t = NOW - dt.timedelta(days=10)
    case(c, created=t, dispatched=t, acked=t + 2 * H)            # on time
    case(c, created=t, dispatched=t, acked=t + 24 * H)           # exactly at the deadline: on time
    case(c, created=t, dispatched=t, acked=t + 25 * H)           # late
    case(c, created=t, dispatched=t, acked=None, status=CaseStatus.DISPATCHED)  # not yet
    case(c, created=t, status=CaseStatus.SUBMITTED)              # never dispatched: not counted
    old = NOW - dt.timedelta(days=40)
    case(c, created=old, dispatched=old, acked=old + H)          # dispatched before the period
    r = rates(c).response
    assert (r.numerator, r.denominator) == (2, 4)
    assert r.percent == "50.0%"


def test_resolution_rate_counts_closed_over_due_by_now(c):
    t = NOW - dt.timedelta(days=10)
    case(c, created=t, fix_due=t + 72 * H)                                    # due, closed
    case(c, created=t, fix_due=t + 72 * H, status=CaseStatus.IN_PROGRESS)     # due, still open
    case(c, created=t, fix_due=t + 72 * H, status=CaseStatus.AWAITING_VERIFICATION)  # due, not verified
    case(c, created=NOW - H, fix_due=NOW + 71 * H, status=CaseStatus.DISPATCHED)  # not due yet
    case(c, created=t, fix_due=t + 72 * H, status=CaseStatus.REJECTED)        # rejected: not counted
    case(c, created=t, fix_due=t + 72 * H, status=CaseStatus.WITHDRAWN)       # withdrawn: not counted
    r = rates(c).resolution
    assert (r.numerator, r.denominator) == (1, 3)


def test_satisfaction_rate_counts_satisfied_and_basic_over_rated(c):
    t = NOW - dt.timedelta(days=5)
    for score in ["satisfied", "satisfied", "basic", "unsatisfied"]:
        CaseRatingFactory(case=case(c, created=t - 4 * 24 * H), score=score, at=t)
    CaseRatingFactory(case=case(c, created=START - 10 * 24 * H), score="unsatisfied", at=START - H)  # before
    r = rates(c).satisfaction
    assert (r.numerator, r.denominator) == (3, 4)
    assert r.percent == "75.0%"


def test_nothing_to_divide_by_is_not_a_rate(c):
    r = rates(c)
    assert r.response.value is None and r.response.percent == "—"
    assert r.resolution.value is None and r.satisfaction.value is None


def test_rates_by_community_match_rates_of_each(c, db):
    other = CommunityFactory(slug="rates-2")
    t = NOW - dt.timedelta(days=3)
    case(c, created=t, dispatched=t, acked=t + H)
    case(other, created=t, dispatched=t, acked=t + 30 * H)
    case(other, created=t, dispatched=t, acked=t + H)
    by = three_rates_by(cases=Case.objects.all(), start=START, end=NOW, now=NOW, group="community")
    assert by[c.pk].response == rates(c).response
    assert (by[other.pk].response.numerator, by[other.pk].response.denominator) == (1, 2)


def test_three_rates_take_three_queries(c, django_assert_num_queries):
    t = NOW - dt.timedelta(days=3)
    for _ in range(5):
        CaseRatingFactory(case=case(c, created=t, dispatched=t, acked=t + H), score=CaseRating.Score.BASIC, at=t)
    with django_assert_num_queries(3):
        rates(c)


# --- only what is due counts (issue 12, item 1) ---------------------------------------------------------

def test_a_case_dispatched_a_quarter_of_an_hour_ago_and_due_tomorrow_is_no_response_failure(c):
    """光明村 showed 0.0 % (0/1) for a case dispatched minutes before: it is not due, so there is no rate yet."""
    t = NOW - dt.timedelta(minutes=15)
    case(c, created=t, dispatched=t, acked=None, ack_due=NOW + 23 * H, status=CaseStatus.DISPATCHED)
    assert rates(c).response.denominator == 0 and rates(c).response.percent == "—"


def test_response_counts_what_was_acknowledged_or_is_past_its_deadline(c):
    """蓉庭's example: 3 of 4 on time, and one more dispatched an hour ago with nothing overdue stays 75 %."""
    t = NOW - dt.timedelta(days=5)
    for acked in (2 * H, 3 * H, 4 * H, 30 * H):                    # three on time, one late: 3/4
        case(c, created=t, dispatched=t, acked=t + acked)
    fresh = NOW - H
    case(c, created=fresh, dispatched=fresh, acked=None, ack_due=fresh + 24 * H, status=CaseStatus.DISPATCHED)
    case(c, created=fresh, dispatched=fresh, acked=fresh + 10 * 60 * dt.timedelta(seconds=1),
         ack_due=fresh + 24 * H, status=CaseStatus.IN_PROGRESS)  # acknowledged early, not yet due: on time
    overdue = NOW - 30 * H
    case(c, created=overdue, dispatched=overdue, acked=None, ack_due=overdue + 24 * H,
         status=CaseStatus.DISPATCHED)                           # past its deadline, never acknowledged
    r = rates(c).response
    assert (r.numerator, r.denominator) == (4, 6)


def test_a_fix_verified_before_its_deadline_counts_at_once(c):
    """解决率 showed "—" after a verified fix whose deadline had not come."""
    t = NOW - 2 * H
    CaseFactory(community=c, created_at=t, status=CaseStatus.CLOSED, dispatched_at=t, acknowledged_at=t,
                ack_due_at=t + 24 * H, fix_due_at=NOW + 70 * H, closed_at=NOW - H)
    r = rates(c).resolution
    assert (r.numerator, r.denominator) == (1, 1) and r.percent == "100.0%"


def test_resolution_counts_each_case_once_where_it_first_became_due_or_fixed(c):
    """A case due in one period and fixed late in the next counts in the first only; an open case not yet due
    counts nowhere; an overdue open case counts as unresolved."""
    early, late = NOW - dt.timedelta(days=40), NOW - dt.timedelta(days=5)
    CaseFactory(community=c, created_at=early, status=CaseStatus.CLOSED, fix_due_at=early + 72 * H,
                closed_at=late)                                          # due before the period: not here
    CaseFactory(community=c, created_at=late, status=CaseStatus.CLOSED, fix_due_at=late + 72 * H,
                closed_at=late + 80 * H)                                 # due in the period, fixed late: 1/1
    CaseFactory(community=c, created_at=late, status=CaseStatus.IN_PROGRESS, fix_due_at=late + 72 * H)  # 0/1
    CaseFactory(community=c, created_at=NOW - H, status=CaseStatus.IN_PROGRESS, fix_due_at=NOW + 71 * H)
    r = rates(c).resolution
    assert (r.numerator, r.denominator) == (1, 2)
    before = three_rates(cases=Case.objects.filter(community=c), start=START - dt.timedelta(days=30), end=START,
                         now=NOW).resolution
    assert (before.numerator, before.denominator) == (1, 1)
