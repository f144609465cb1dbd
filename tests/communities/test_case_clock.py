"""The clock: overdue cases escalate to the committee, then to the Party secretary, once each; reporters are
reminded to rate once. Time moves by passing ``now=`` to communities.services.case_clock, never by sleeping;
the Celery tasks (communities.tasks) run eagerly and must change nothing when run a second time."""
import datetime as dt

import pytest
from django.utils import timezone

from communities import tasks
from communities.models import Case, CaseEvent, CaseRating, CaseStatus, Notification
from communities.selectors.clock import RATING_REMINDER_AFTER, cases_to_escalate, cases_to_remind_rating
from communities.services import case_clock
from communities.services import case_workflow as wf

from .case_world import make_world, reload

S = CaseStatus
H = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
LEVEL_1, LEVEL_2, RATE_PLEASE = "超时督办", "请书记督办", "请为已办结的诉求评价"


@pytest.fixture
def world(community, building, unit, resident, landlord, committee_staff, party_secretary, outsider, town_secretary):
    w = make_world(community, building, reporter=resident, handler=landlord, staff=committee_staff,
                   secretary=party_secretary, outsider=outsider, town_secretary=town_secretary)
    assert (w.category.ack_hours, w.category.fix_hours) == (24, 72)
    return w




def levels(case) -> list[int]:
    return [e.data["level"] for e in CaseEvent.objects.filter(case_id=case.pk, action="escalate").order_by("at", "id")]


def told(user, text) -> int:
    return Notification.objects.filter(recipient=user, title__contains=text).count()


def escalate(case, now) -> bool:
    return case_clock.case_escalate(case_id=case.pk, now=now)


def listed(case, now) -> bool:
    return case.pk in cases_to_escalate(now=now)


# --- escalation, level by level -----------------------------------------------------------------------------------

def test_an_unacknowledged_case_is_escalated_to_the_committee_once(world):
    case = world.at(S.DISPATCHED)
    before_deadline, late = case.ack_due_at - MINUTE, case.ack_due_at + MINUTE

    assert not listed(case, before_deadline)
    assert escalate(case, before_deadline) is False
    assert listed(case, late)
    assert escalate(case, late) is True

    case.refresh_from_db()
    assert case.escalation_level == 1 and case.status == S.DISPATCHED
    event = CaseEvent.objects.get(case=case, action="escalate")
    assert (event.actor, event.from_status, event.to_status, event.at, event.data) == (
        None, S.DISPATCHED, S.DISPATCHED, late, {"level": 1})
    assert told(world.staff, LEVEL_1) == 1
    assert told(world.secretary, LEVEL_1) + told(world.secretary, LEVEL_2) == 0

    # Running again — now, or any time before SECRETARY_AFTER has passed — does nothing.
    for later in (late, late + H, late + case_clock.SECRETARY_AFTER - MINUTE):
        assert not listed(case, later)
        assert escalate(case, later) is False
    assert levels(case) == [1]
    assert told(world.staff, LEVEL_1) == 1


def test_still_overdue_after_secretary_after_it_goes_to_the_party_secretary_once(world):
    case = world.at(S.DISPATCHED)
    first = case.ack_due_at + MINUTE
    assert escalate(case, first)
    second = first + case_clock.SECRETARY_AFTER

    assert listed(case, second)
    assert escalate(case, second) is True

    assert reload(case).escalation_level == 2
    assert levels(case) == [1, 2]
    assert told(world.secretary, LEVEL_2) == 1
    assert told(world.staff, LEVEL_1) == 1 and told(world.staff, LEVEL_2) == 0
    # There is no third level, however long it stays overdue.
    for later in (second, second + H, second + 30 * case_clock.SECRETARY_AFTER):
        assert not listed(case, later)
        assert escalate(case, later) is False
    assert levels(case) == [1, 2]
    assert told(world.secretary, LEVEL_2) == 1


def test_a_case_nobody_dispatched_in_time_is_escalated_too(world):
    case = world.at(S.SUBMITTED)
    assert escalate(case, case.ack_due_at + MINUTE)
    assert told(world.staff, LEVEL_1) == 1


def test_a_case_acknowledged_in_time_but_not_fixed_by_its_deadline_is_escalated(world):
    case = world.at(S.IN_PROGRESS)
    assert case.acknowledged_at <= case.ack_due_at
    for on_time in (case.ack_due_at + H, case.fix_due_at - MINUTE):
        assert not listed(case, on_time)
        assert escalate(case, on_time) is False

    late = case.fix_due_at + MINUTE
    assert listed(case, late)
    assert escalate(case, late) is True
    assert levels(case) == [1]
    assert told(world.staff, LEVEL_1) == 1


def test_a_case_acknowledged_in_time_is_not_escalated_for_its_acknowledge_deadline(world):
    case = world.at(S.IN_PROGRESS)
    assert escalate(case, case.ack_due_at + 10 * H) is False
    assert reload(case).escalation_level == 0


@pytest.mark.parametrize("status", [S.CLOSED, S.REJECTED, S.DUPLICATE, S.WITHDRAWN])
def test_finished_cases_are_never_escalated(world, status):
    case = world.at(status)
    for much_later in (case.ack_due_at + MINUTE, case.fix_due_at + MINUTE, case.fix_due_at + 1000 * H):
        assert not listed(case, much_later)
        assert escalate(case, much_later) is False
    assert reload(case).escalation_level == 0
    assert levels(case) == []
    assert told(world.staff, LEVEL_1) == 0


def test_a_case_closed_after_escalation_is_not_escalated_further(world):
    case = world.at(S.DISPATCHED)
    first = case.ack_due_at + MINUTE
    assert escalate(case, first)
    wf.case_acknowledge(case_id=case.pk, actor=world.handler)
    wf.case_report_fixed(case_id=case.pk, actor=world.handler, note="清走了")
    wf.case_verify_pass(case_id=case.pk, actor=world.staff, note="看过了")
    assert escalate(case, first + case_clock.SECRETARY_AFTER + H) is False
    assert levels(case) == [1]
    assert told(world.secretary, LEVEL_2) == 0


def test_after_a_reopen_the_secretary_waits_secretary_after_from_the_new_level_1(world):
    case = world.at(S.DISPATCHED)
    first = case.ack_due_at + MINUTE
    assert escalate(case, first)
    assert escalate(case, first + case_clock.SECRETARY_AFTER)
    wf.case_acknowledge(case_id=case.pk, actor=world.handler)
    wf.case_report_fixed(case_id=case.pk, actor=world.handler, note="清走了")
    wf.case_verify_pass(case_id=case.pk, actor=world.staff, note="看过了")
    wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)
    wf.case_reopen(case_id=case.pk, actor=world.reporter, reason="又堆上了")
    case.refresh_from_db()
    assert case.escalation_level == 0

    new_deadline = case.fix_due_at
    assert escalate(case, new_deadline + MINUTE)              # the committee hears first
    assert told(world.staff, LEVEL_1) == 2
    an_hour_later = new_deadline + H
    assert not listed(case, an_hour_later)
    assert escalate(case, an_hour_later) is False              # the secretary only after SECRETARY_AFTER


# --- the Celery tasks: thin, idempotent -----------------------------------------------------------------------------

def overdue_since(case, *, hours):
    """Move a case's clock: filed ``hours + 24`` hours ago, its acknowledge deadline ``hours`` ago."""
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(created_at=now - (hours + 24) * H, ack_due_at=now - hours * H,
                                           fix_due_at=now + 48 * H)
    return reload(case)


def test_the_escalation_tasks_run_twice_escalate_once(world, eager):
    case = overdue_since(world.at(S.DISPATCHED), hours=6)
    calm = world.at(S.DISPATCHED)  # not yet due

    tasks.start_case_escalations()
    tasks.start_case_escalations()
    tasks.escalate_case(case.pk)
    tasks.escalate_case.delay(case.pk)

    assert reload(case).escalation_level == 1
    assert levels(case) == [1]
    assert told(world.staff, LEVEL_1) == 1
    assert reload(calm).escalation_level == 0 and levels(calm) == []


def test_the_escalation_tasks_reach_the_secretary_once(world, eager):
    case = overdue_since(world.at(S.DISPATCHED), hours=36)
    assert escalate(case, timezone.now() - 25 * H)           # level 1 was yesterday

    tasks.start_case_escalations()
    tasks.start_case_escalations()
    tasks.escalate_case(case.pk)

    assert reload(case).escalation_level == 2
    assert levels(case) == [1, 2]
    assert told(world.secretary, LEVEL_2) == 1


def test_the_escalation_task_ignores_a_closed_or_missing_case(world, eager):
    closed = world.at(S.CLOSED)
    Case.objects.filter(pk=closed.pk).update(ack_due_at=timezone.now() - 100 * H,
                                             fix_due_at=timezone.now() - 50 * H)
    tasks.start_case_escalations()
    assert tasks.escalate_case(closed.pk) is None
    assert tasks.escalate_case(987654321) is None
    assert reload(closed).escalation_level == 0
    assert not CaseEvent.objects.filter(action="escalate").exists()


# --- rating reminders --------------------------------------------------------------------------------------------------

def remind_listed(case, now) -> bool:
    return case.pk in cases_to_remind_rating(now=now)


def test_the_reporter_is_reminded_to_rate_once_seven_days_after_closing(world):
    case = world.at(S.CLOSED)
    week = case.closed_at + RATING_REMINDER_AFTER

    assert not remind_listed(case, week - MINUTE)
    assert remind_listed(case, week + MINUTE)
    assert case_clock.case_remind_rating(case_id=case.pk, now=week + MINUTE) is True
    assert reload(case).rating_reminded_at == week + MINUTE
    assert told(world.reporter, RATE_PLEASE) == 1
    notice = Notification.objects.get(recipient=world.reporter, title__contains=RATE_PLEASE)
    assert notice.url.endswith(f"/cases/{case.pk}/")

    for later in (week + MINUTE, week + 30 * 24 * H):
        assert not remind_listed(case, later)
        assert case_clock.case_remind_rating(case_id=case.pk, now=later) is False
    assert told(world.reporter, RATE_PLEASE) == 1


@pytest.mark.parametrize("score", [CaseRating.Score.SATISFIED, CaseRating.Score.UNSATISFIED])
def test_a_rated_case_is_never_reminded(world, score):
    case = world.at(S.CLOSED)
    wf.case_rate(case_id=case.pk, actor=world.reporter, score=score)
    later = case.closed_at + RATING_REMINDER_AFTER + H
    assert not remind_listed(case, later)
    assert case_clock.case_remind_rating(case_id=case.pk, now=later) is False
    assert told(world.reporter, RATE_PLEASE) == 0


def test_open_or_unrateable_cases_are_not_reminded(world, community, committee_staff):
    open_case = world.at(S.AWAITING_VERIFICATION)
    walk_in = world.file(reporter=committee_staff, channel=Case.Channel.WALK_IN, reporter_name="赵大爷")
    # A walk-in caller has no account to remind, even once the case is long closed.
    Case.objects.filter(pk=walk_in.pk).update(status=S.CLOSED, closed_at=timezone.now() - dt.timedelta(days=8))
    later = timezone.now() + 30 * 24 * H
    assert not remind_listed(open_case, later)
    assert case_clock.case_remind_rating(case_id=open_case.pk, now=later) is False
    assert not remind_listed(walk_in, later)
    assert told(world.reporter, RATE_PLEASE) == 0


def test_the_rating_reminder_tasks_run_twice_remind_once(world, eager):
    due = world.at(S.CLOSED)
    rated = world.at(S.CLOSED)
    wf.case_rate(case_id=rated.pk, actor=world.reporter, score=CaseRating.Score.BASIC)
    recent = world.at(S.CLOSED)
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    Case.objects.filter(pk__in=[due.pk, rated.pk]).update(closed_at=eight_days_ago)

    tasks.start_rating_reminders()
    tasks.start_rating_reminders()
    tasks.remind_rating(due.pk)
    tasks.remind_rating(rated.pk)
    tasks.remind_rating(987654321)

    reminders = Notification.objects.filter(recipient=world.reporter, title__contains=RATE_PLEASE)
    assert reminders.count() == 1
    assert reminders.get().url.endswith(f"/cases/{due.pk}/")
    assert reload(due).rating_reminded_at is not None
    assert reload(recent).rating_reminded_at is None
