"""The case workflow's services (communities.services.case_workflow).

Every transition of communities.workflow.TRANSITIONS: it succeeds from each allowed source state by the
actor the table names, it is refused from every other state (nothing changes, no event) and for every
wrong actor, and repeating it (a double click) changes nothing; the timeline is append-only. Filing,
routing, merging, rating and reopening are in test_case_filing.py.
"""
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from communities import workflow
from communities.models import (
    Case,
    CaseEvent,
    CaseRating,
    CaseStatus,
    Notification,
)
from communities.selectors.teams import active_members
from communities.services import case_workflow as wf
from communities.services.errors import DomainError

from ..factories import (
    CommunityFactory,
    TeamFactory,
)
from .case_world import World, footprint, make_world, reload, world  # noqa: F401 - fixtures

S = CaseStatus
CHINESE = re.compile(r"[\u4e00-\u9fff]")
STATE_REFUSAL = "不能进行这项操作"


def act(world, action, case, actor, **extra):
    """Call the service for ``action`` with ordinary, valid input."""
    cid = case.pk
    if action == "dispatch":
        return wf.case_dispatch(case_id=cid, actor=actor, **(extra or {"handler_user": world.handler}))
    if action == "refer":
        return wf.case_refer(case_id=cid, actor=actor, agency=world.agency, note="转城管中队处理")
    if action == "acknowledge":
        return wf.case_acknowledge(case_id=cid, actor=actor)
    if action == "report_fixed":
        return wf.case_report_fixed(case_id=cid, actor=actor, note="已经清理干净")
    if action == "verify_pass":
        return wf.case_verify_pass(case_id=cid, actor=actor, note="上门看过，确已解决")
    if action == "verify_fail":
        return wf.case_verify_fail(case_id=cid, actor=actor, note="还有两箱没清走")
    if action == "reject":
        return wf.case_reject(case_id=cid, actor=actor, reason="不属于居委管辖")
    if action == "merge":
        return wf.case_merge(case_id=cid, actor=actor, into_id=world.original.pk)
    if action == "withdraw":
        return wf.case_withdraw(case_id=cid, actor=actor, reason="已经自行解决")
    if action == "reopen":
        return wf.case_reopen(case_id=cid, actor=actor, reason="过了两天又堆上了")
    raise AssertionError(f"no service call for {action}")


@pytest.fixture
def omni_world(community, building, committee_staff, party_secretary, outsider, town_secretary):
    # One person who is reporter, handler and staff of every case at once: whatever the table refuses to
    # them is refused because of the state, never because of who asks.
    return make_world(community, building, reporter=committee_staff, handler=committee_staff,
                      staff=committee_staff, secretary=party_secretary, outsider=outsider,
                      town_secretary=town_secretary)


# --- every transition: allowed source states, by the allowed actor ------------------------------------------

def actor_for(world, transition):
    for relation in ("staff", "handler", "reporter"):
        if relation in transition.who:
            return world.persona(relation)
    raise AssertionError(transition)


def prepare(world, transition) -> Case:
    case = world.at(transition.source)
    if transition.action == "reopen":
        wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)
    return case


def transition_id(t):
    return f"{t.action}-from-{t.source}"


@pytest.mark.parametrize("t", workflow.TRANSITIONS, ids=transition_id)
def test_each_transition_succeeds_from_each_allowed_state_and_appends_one_event(world, t):
    case = prepare(world, t)
    actor = actor_for(world, t)
    # Dispatching an already dispatched case means re-dispatching it elsewhere.
    extra = {"handler_team": world.team} if (t.action, t.source) == ("dispatch", S.DISPATCHED) else {}
    before = set(CaseEvent.objects.filter(case=case).values_list("id", flat=True))

    outcome = act(world, t.action, case, actor, **extra)

    case.refresh_from_db()
    assert outcome.changed is True
    assert case.status == t.target
    new = CaseEvent.objects.filter(case=case).exclude(id__in=before)
    assert new.count() == 1
    event = new.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (t.action, t.source, t.target, actor)
    assert outcome.event == event


def test_table_covers_what_the_design_names():
    """The design card's state machine, as the test reads it (a guard against the table drifting)."""
    pairs = {(t.source, t.action): (t.target, t.who) for t in workflow.TRANSITIONS}
    assert pairs[(S.SUBMITTED, "withdraw")] == (S.WITHDRAWN, frozenset({"reporter"}))
    assert pairs[(S.DISPATCHED, "acknowledge")] == (S.IN_PROGRESS, frozenset({"handler"}))
    assert pairs[(S.AWAITING_VERIFICATION, "verify_pass")] == (S.CLOSED, frozenset({"staff"}))
    assert pairs[(S.AWAITING_VERIFICATION, "verify_fail")] == (S.IN_PROGRESS, frozenset({"staff"}))
    assert (S.DISPATCHED, "withdraw") not in pairs


# --- every transition: refused from every other state --------------------------------------------------------

# How World.at() reaches each state: the last action on the way. Asking for that same action again is a
# double click (see test_repeating_...), not a refusal, unless the state is reached another way.
LAST_ACTION = {S.SUBMITTED: "file", S.DISPATCHED: "dispatch", S.IN_PROGRESS: "acknowledge",
               S.AWAITING_VERIFICATION: "report_fixed", S.CLOSED: "verify_pass", S.REJECTED: "reject",
               S.DUPLICATE: "merge", S.WITHDRAWN: "withdraw"}


def refused_pairs():
    for action in workflow.ACTIONS:
        for state in S.values:
            if workflow.transition_for(state, action) is not None:
                continue
            via = None
            if LAST_ACTION[state] == action:
                if state != S.IN_PROGRESS:
                    continue
                via = "refer"
            yield pytest.param(action, state, via, id=f"{action}-from-{state}" + (f"-via-{via}" if via else ""))


@pytest.mark.parametrize("action,state,via", list(refused_pairs()))
def test_each_transition_is_refused_from_every_other_state(omni_world, action, state, via):
    w = omni_world
    case = w.at(state, via=via)
    before = footprint(case)

    with pytest.raises(DomainError) as refused:
        act(w, action, case, w.staff)

    assert CHINESE.search(str(refused.value.message))
    assert STATE_REFUSAL in str(refused.value.message)
    assert footprint(case) == before


def test_the_handler_cannot_report_fixed_before_taking_the_case(world):
    case = world.at(S.DISPATCHED)
    before = footprint(case)
    with pytest.raises(DomainError, match="已派单"):
        wf.case_report_fixed(case_id=case.pk, actor=world.handler, note="已解决")
    assert footprint(case) == before


def test_the_reporter_cannot_withdraw_once_a_handler_has_it(world):
    case = world.at(S.IN_PROGRESS)
    before = footprint(case)
    with pytest.raises(DomainError, match="处理中"):
        wf.case_withdraw(case_id=case.pk, actor=world.reporter)
    assert footprint(case) == before


# --- every transition: refused for a wrong actor ----------------------------------------------------------------

PERSONAS = ["reporter", "handler", "staff", "secretary", "neighbour", "other_landlord", "outsider", "town_secretary"]


def wrong_actor_cases():
    for t in workflow.TRANSITIONS:
        for persona in PERSONAS:
            if persona in t.who:
                continue
            yield pytest.param(t, persona, id=f"{transition_id(t)}-by-{persona}")


@pytest.mark.parametrize("t,persona", list(wrong_actor_cases()))
def test_each_transition_is_refused_for_a_wrong_actor(world, t, persona):
    case = prepare(world, t)
    actor = world.persona(persona)
    extra = {"handler_team": world.team} if (t.action, t.source) == ("dispatch", S.DISPATCHED) else {}
    before = footprint(case)

    with pytest.raises(PermissionDenied):
        act(world, t.action, case, actor, **extra)

    assert footprint(case) == before


def test_a_landlord_who_is_not_the_handler_cannot_acknowledge(world):
    case = world.at(S.DISPATCHED)
    with pytest.raises(PermissionDenied):
        wf.case_acknowledge(case_id=case.pk, actor=world.other_landlord)
    assert reload(case).status == S.DISPATCHED


def test_a_resident_cannot_verify(world):
    case = world.at(S.AWAITING_VERIFICATION)
    with pytest.raises(PermissionDenied):
        wf.case_verify_pass(case_id=case.pk, actor=world.reporter, note="我看过了，好了")
    assert reload(case).status == S.AWAITING_VERIFICATION


def test_a_wrong_actor_repeating_someone_elses_transition_is_refused_not_told_it_is_done(world):
    case = world.at(S.CLOSED)
    with pytest.raises(PermissionDenied):
        wf.case_verify_pass(case_id=case.pk, actor=world.reporter, note="我看过了，好了")


# --- repeating a transition that already happened (a double click) -------------------------------------------

FIRST_OF_EACH_ACTION = list({t.action: t for t in reversed(workflow.TRANSITIONS)}.values())


@pytest.mark.parametrize("t", FIRST_OF_EACH_ACTION, ids=lambda t: t.action)
def test_repeating_a_transition_changes_nothing_and_says_so(world, t):
    case = prepare(world, t)
    actor = actor_for(world, t)
    assert act(world, t.action, case, actor).changed is True
    before = footprint(case)

    again = act(world, t.action, case, actor)

    assert again.changed is False
    assert again.event is None
    assert footprint(case) == before


def test_dispatching_again_to_someone_else_is_a_change_not_a_repeat(world):
    case = world.at(S.DISPATCHED)
    outcome = wf.case_dispatch(case_id=case.pk, actor=world.staff, handler_team=world.team)
    assert outcome.changed
    case.refresh_from_db()
    assert (case.handler_user, case.handler_team) == (None, world.team)
    volunteer = active_members(world.team).get()
    assert Notification.objects.filter(recipient=volunteer, title__contains="新诉求派给您处理").count() == 1


# --- dispatch, refer, reject: refusals of their own ---------------------------------------------------------------

def test_dispatch_refuses_a_team_or_person_of_another_community(world):
    case = world.at(S.SUBMITTED)
    elsewhere = CommunityFactory(slug="elsewhere")
    before = footprint(case)
    with pytest.raises(DomainError, match="本社区的团队"):
        wf.case_dispatch(case_id=case.pk, actor=world.staff, handler_team=TeamFactory(community=elsewhere))
    with pytest.raises(DomainError, match="本社区的人员"):
        wf.case_dispatch(case_id=case.pk, actor=world.staff, handler_user=world.outsider)
    with pytest.raises(DomainError, match="一位处理人或一个团队"):
        wf.case_dispatch(case_id=case.pk, actor=world.staff)
    after = footprint(case)
    assert after["case"] == before["case"] and after["events"] == before["events"]


@pytest.mark.parametrize("call", [
    lambda w, c: wf.case_refer(case_id=c.pk, actor=w.staff, agency=w.agency, note="  "),
    lambda w, c: wf.case_reject(case_id=c.pk, actor=w.staff, reason=""),
], ids=["refer-without-note", "reject-without-reason"])
def test_refer_and_reject_need_a_reason_in_chinese(world, call):
    case = world.at(S.SUBMITTED)
    before = footprint(case)
    with pytest.raises(DomainError) as refused:
        call(world, case)
    assert CHINESE.search(refused.value.message)
    assert footprint(case) == before


def test_refer_records_the_agency_and_makes_the_staff_member_the_handler(world):
    case = world.at(S.SUBMITTED)
    wf.case_refer(case_id=case.pk, actor=world.staff, agency=world.agency, note="转城管中队处理")
    case.refresh_from_db()
    assert case.handler_user == world.staff
    assert case.acknowledged_at is not None
    assert case.referrals.get().agency == world.agency
    assert Notification.objects.filter(recipient=world.reporter, title__contains="转交职能部门").exists()


def test_verify_pass_refuses_a_visit_in_the_future(world):
    case = world.at(S.AWAITING_VERIFICATION)
    before = footprint(case)
    with pytest.raises(DomainError, match="验收时间"):
        wf.case_verify_pass(case_id=case.pk, actor=world.staff, note="看过了",
                            visited_at=timezone.now() + timedelta(days=1))
    assert footprint(case) == before


# --- the timeline is append-only ---------------------------------------------------------------------------------

def test_case_events_cannot_be_edited_or_deleted(world):
    case = world.at(S.DISPATCHED)
    event = case.events.get(action="dispatch")
    event.note = "改一下记录"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.note == ""
    assert list(case.events.values_list("action", flat=True)) == ["file", "dispatch"]


def test_the_whole_path_leaves_one_event_per_step_with_from_and_to(world):
    case = world.at(S.CLOSED)
    steps = list(case.events.order_by("at", "id").values_list("action", "from_status", "to_status"))
    assert steps == [
        ("file", "", S.SUBMITTED),
        ("dispatch", S.SUBMITTED, S.DISPATCHED),
        ("acknowledge", S.DISPATCHED, S.IN_PROGRESS),
        ("report_fixed", S.IN_PROGRESS, S.AWAITING_VERIFICATION),
        ("verify_pass", S.AWAITING_VERIFICATION, S.CLOSED),
    ]
