"""The state-machine engine itself (communities.statemachine), on a toy table over the Case rows.

The toy table is not the case workflow: it has its own actions and relations, so that these tests check
the engine (lock, actor, state, repeat, event, on-commit) and nothing of the cases' rules.
"""
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection, transaction

from communities.models import Case, CaseEvent, CaseStatus, User
from communities.services.errors import DomainError
from communities.statemachine import StateMachine, Transition, transitions

from ..factories import CaseFactory, UserFactory

S = CaseStatus
BOSS, CLERK, WATCHER = "boss", "clerk", "watcher"

# Who stands how to which case: filled per test, read by the machine's relations function.
RELATIONS: dict[int, set] = {}
SEEN_BY: set[int] = set()


def toy_relations(user, case):
    return RELATIONS.get(user.pk, set())


def make_machine(**extra):
    return StateMachine(
        name="toy", model=Case, event_model=CaseEvent, subject="case", relations=toy_relations,
        may_see=lambda user, case: user.pk in SEEN_BY,
        transitions=[
            *transitions("start", [S.SUBMITTED], S.IN_PROGRESS, {BOSS, CLERK}, "开始",
                         form="communities.forms.OptionalNoteForm",
                         service="tests.communities.test_statemachine.toy_start"),
            *transitions("drop", [S.SUBMITTED, S.IN_PROGRESS], S.WITHDRAWN, {BOSS}, "放弃", danger=True,
                         form="communities.forms.NoteForm",
                         service="tests.communities.test_statemachine.toy_drop", arguments={"note": "reason"}),
        ],
        **extra,
    )


TOY = make_machine()
calls = []


def toy_start(*, case_id, actor, note=""):
    with transaction.atomic():
        step = TOY.begin(case_id, actor, "start")
        if step.repeat:
            return False, None
        event = TOY.apply(step, actor, note=note, on_commit=[lambda: calls.append(("started", case_id))])
    return True, event


def toy_drop(*, case_id, actor, reason):
    with transaction.atomic():
        step = TOY.begin(case_id, actor, "drop")
        if step.repeat:
            return False, None
        step.obj.closed_at = step.obj.created_at
        event = TOY.apply(step, actor, note=reason, fields=["closed_at"], data={"why": reason})
    return True, event


@pytest.fixture(autouse=True)
def _fresh_relations():
    RELATIONS.clear()
    SEEN_BY.clear()
    calls.clear()
    yield
    RELATIONS.clear()
    SEEN_BY.clear()


@pytest.fixture
def case(db):
    return CaseFactory()


def person(*relations, sees=False):
    user = UserFactory()
    RELATIONS[user.pk] = set(relations)
    if sees:
        SEEN_BY.add(user.pk)
    return user


def events(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", "from_status", "to_status", "actor_id"))


# --- the table -------------------------------------------------------------------------------------------

def test_the_table_reads_back():
    assert TOY.actions == ["drop", "start"]
    assert TOY.transition_for(S.SUBMITTED, "start").target == S.IN_PROGRESS
    assert TOY.transition_for(S.IN_PROGRESS, "start") is None
    assert TOY.targets_of("drop") == {S.WITHDRAWN}
    assert TOY.who_may("start") == {BOSS, CLERK}
    assert [t.action for t in TOY.actions_for(S.SUBMITTED, {CLERK})] == ["start"]
    assert [t.action for t in TOY.actions_for(S.IN_PROGRESS, {BOSS, WATCHER})] == ["drop"]
    assert TOY.actions_for(S.SUBMITTED, {WATCHER}) == []
    assert TOY.danger_actions == ["drop"]
    assert TOY.label("drop") == "放弃"
    assert TOY.first("start").needs_form


def test_a_table_declaring_one_step_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        StateMachine(name="bad", model=Case, event_model=CaseEvent, subject="case", relations=toy_relations,
                     transitions=[Transition("go", "a", "b", frozenset({BOSS}), "走"),
                                  Transition("go", "a", "c", frozenset({BOSS}), "走")])


def test_an_action_with_different_flags_in_two_states_is_refused():
    with pytest.raises(ImproperlyConfigured, match="different flags"):
        StateMachine(name="bad", model=Case, event_model=CaseEvent, subject="case", relations=toy_relations,
                     transitions=[Transition("go", "a", "b", frozenset({BOSS}), "走"),
                                  Transition("go", "b", "c", frozenset({BOSS}), "走", danger=True)])


def test_a_machine_without_a_timeline_is_refused():
    with pytest.raises(ImproperlyConfigured, match="event_model"):
        StateMachine(name="bad", model=Case, relations=toy_relations, transitions=[])


# --- taking a step -----------------------------------------------------------------------------------------

def test_an_allowed_actor_moves_the_state_writes_one_event_and_queues_the_side_effect(
        case, django_capture_on_commit_callbacks):
    clerk = person(CLERK)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        changed, event = toy_start(case_id=case.pk, actor=clerk, note="开始办")

    case.refresh_from_db()
    assert changed and case.status == S.IN_PROGRESS
    assert events(case) == [("start", S.SUBMITTED, S.IN_PROGRESS, clerk.pk)]
    assert (event.note, event.data) == ("开始办", {})
    assert len(queued) == 1 and calls == [("started", case.pk)]


def test_the_side_effect_does_not_run_when_the_step_is_rolled_back(case, django_capture_on_commit_callbacks):
    clerk = person(CLERK)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            toy_start(case_id=case.pk, actor=clerk)
            1 / 0  # noqa: B018 - something later in the same transaction fails
    case.refresh_from_db()
    assert case.status == S.SUBMITTED and events(case) == []
    assert queued == [] and calls == []


def test_apply_saves_the_extra_fields_and_data(case):
    boss = person(BOSS)
    changed, event = toy_drop(case_id=case.pk, actor=boss, reason="不办了")
    case.refresh_from_db()
    assert changed and case.status == S.WITHDRAWN and case.closed_at == case.created_at
    assert (event.note, event.data) == ("不办了", {"why": "不办了"})


@pytest.mark.parametrize("relations", [{WATCHER}, {CLERK}])
def test_an_actor_without_the_relation_is_refused_and_nothing_changes(case, relations):
    user = person(*relations)
    with pytest.raises(PermissionDenied):
        toy_drop(case_id=case.pk, actor=user, reason="不办了")
    case.refresh_from_db()
    assert case.status == S.SUBMITTED and events(case) == []


def test_an_unrelated_user_who_may_not_see_the_object_is_refused_even_in_a_wrong_state(case):
    Case.objects.filter(pk=case.pk).update(status=S.CLOSED)
    stranger = person()
    with pytest.raises(PermissionDenied):
        toy_start(case_id=case.pk, actor=stranger)


def test_the_wrong_state_is_refused_with_the_state_named(case):
    Case.objects.filter(pk=case.pk).update(status=S.CLOSED)
    boss = person(BOSS)
    with pytest.raises(DomainError) as refused:
        toy_start(case_id=case.pk, actor=boss)
    assert refused.value.code == "state"
    assert "已办结" in str(refused.value.message)
    assert events(case) == []


def test_a_custom_refusal_message(case):
    machine = make_machine(refusal=lambda obj: DomainError("换个时候再来", code="state"))
    boss = person(BOSS)
    Case.objects.filter(pk=case.pk).update(status=S.CLOSED)
    with pytest.raises(DomainError, match="换个时候再来"), transaction.atomic():
        machine.begin(case.pk, boss, "start")


def test_a_repeat_is_a_harmless_no_op_that_says_so(case):
    first, second = person(CLERK), person(BOSS)
    assert toy_start(case_id=case.pk, actor=first)[0] is True
    assert toy_start(case_id=case.pk, actor=second) == (False, None)
    assert toy_start(case_id=case.pk, actor=first) == (False, None)
    assert events(case) == [("start", S.SUBMITTED, S.IN_PROGRESS, first.pk)]


def test_a_repeat_is_refused_to_someone_who_could_not_take_the_action(case):
    toy_start(case_id=case.pk, actor=person(CLERK))
    with pytest.raises(PermissionDenied):
        toy_start(case_id=case.pk, actor=person(WATCHER, sees=True))


def test_the_target_state_reached_by_another_action_is_not_a_repeat(case):
    Case.objects.filter(pk=case.pk).update(status=S.IN_PROGRESS)  # no "start" event: reached some other way
    with pytest.raises(DomainError):
        toy_start(case_id=case.pk, actor=person(BOSS))


def test_repeat_by_same_actor_lets_the_one_who_did_it_repeat_after_losing_the_relation(case):
    machine = make_machine(repeat_by_same_actor=True)
    clerk = person(CLERK)
    toy_start(case_id=case.pk, actor=clerk)
    RELATIONS[clerk.pk] = set()
    SEEN_BY.add(clerk.pk)
    with transaction.atomic():
        assert machine.begin(case.pk, clerk, "start").repeat
    with pytest.raises(PermissionDenied), transaction.atomic():
        TOY.begin(case.pk, clerk, "start")


def test_a_repeat_rule_may_decide_or_raise_its_own_error(case):
    def rule(obj, action, actor, relations):
        if actor.pk in SEEN_BY:
            raise DomainError("已被别人抢先", code="taken")
        return True

    machine = make_machine(repeat_rule=rule)
    Case.objects.filter(pk=case.pk).update(status=S.CLOSED)
    with transaction.atomic():
        assert machine.begin(case.pk, person(BOSS), "start").repeat
    with pytest.raises(DomainError, match="抢先"), transaction.atomic():
        machine.begin(case.pk, person(BOSS, sees=True), "start")


def test_apply_on_a_repeat_is_a_programming_error(case):
    clerk = person(CLERK)
    toy_start(case_id=case.pk, actor=clerk)
    with pytest.raises(RuntimeError), transaction.atomic():
        TOY.apply(TOY.begin(case.pk, clerk, "start"), clerk)


def test_record_replaces_the_event_model(case):
    written = []
    machine = StateMachine(
        name="audited", model=Case, relations=toy_relations, transitions=TOY.transitions,
        record=lambda **kw: written.append((kw["transition"].action, kw["from_state"], kw["note"])) or "row",
        last_event=lambda obj: None,
    )
    boss = person(BOSS)
    with transaction.atomic():
        assert machine.apply(machine.begin(case.pk, boss, "start"), boss, note="记下") == "row"
    assert written == [("start", S.SUBMITTED, "记下")] and events(case) == []


# --- the view's wiring from the table -----------------------------------------------------------------------

def test_form_class_and_run_come_from_the_table(case):
    from communities.forms import NoteForm

    boss = person(BOSS)
    assert TOY.form_class("drop") is NoteForm
    changed, event = TOY.run("drop", obj_id=case.pk, actor=boss, data={"note": "不办了"})
    assert changed and event.note == "不办了"  # the form's "note" reached the service as "reason"


# --- two submissions at the same moment -----------------------------------------------------------------------

@pytest.mark.parametrize("round_no", range(3))
def test_two_concurrent_submissions_end_with_one_event(transactional_db, round_no):
    case = CaseFactory()
    actors = [person(BOSS), person(CLERK)]
    barrier = threading.Barrier(2)
    results, errors = {}, {}

    def submit(user_pk):
        try:
            actor = User.objects.get(pk=user_pk)  # each thread: its own connection
            barrier.wait(timeout=10)
            results[user_pk] = toy_start(case_id=case.pk, actor=actor)[0]
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors[user_pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a.pk,)) for a in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert errors == {}
    assert sorted(results.values()) == [False, True]  # one did it, the other was told it was done
    assert CaseEvent.objects.filter(case=case, action="start").count() == 1
    assert Case.objects.get(pk=case.pk).status == S.IN_PROGRESS
