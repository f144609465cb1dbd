"""The state-machine engine: one way to declare a workflow and one way to take a step in it.

Cases, the co-building needs list and (next) elections, repair stages, incidents, recruitment, enrolment and
hotline calls all have the same shape: an object with a state, a table of allowed steps, people who stand in
some relation to the object (its reporter, its handler, the community's staff …), and a timeline row appended
for every step. This module holds that shape once.

The table is data
-----------------
A ``Transition`` says: from ``source``, the ``action`` leads to ``target``, and any of the relations in ``who``
may take it. Optional flags tell the page how to offer it: ``danger`` (shown in red, asks to confirm), ``form``
(the dotted path of the form that collects its input; "" when the action needs none) and ``service`` (the dotted
path of the service that performs it, with ``arguments`` renaming form fields to the service's keywords). Paths
are strings so that the table, which services import, imports neither forms nor services.

A ``StateMachine`` wraps the table and knows how to lock the object, which relations a user has to it
(``relations(user, obj) -> set[str]``) and where its timeline goes (an event model with a foreign key to the
object, normally a ``communities.models.TimelineEvent`` subclass).

Taking a step
-------------
Every service of a transition does the same three things inside ``transaction.atomic()``:

1. ``step = machine.begin(obj_id, actor, action)`` locks the row (``SELECT … FOR UPDATE``), works out the
   actor's relations and checks the state:

   * the action is allowed from the current state and the actor has one of its relations → ``step.transition``
     is set, carry on;
   * the action is allowed but the actor has none of its relations → ``PermissionDenied``;
   * the object is already in a target of this action *because of this action* (its last event is this
     action) → a repeat, e.g. a double-clicked button or two staff pressing at once: ``step.repeat`` is true,
     nothing is written, and the service returns "already done" (if the actor could not have taken the action
     at all, ``PermissionDenied`` instead: a repeat tells nothing to outsiders);
   * otherwise → ``DomainError(code="state")`` naming the current state.

   An actor with no relation at all who may not even see the object gets ``PermissionDenied`` first.

2. The service checks its own input against the locked object and sets the fields the step changes.

3. ``event = machine.apply(step, actor, note=…, fields=[…], data={…}, on_commit=[…])`` moves the state to the
   target, saves with ``update_fields`` (the state plus ``fields``), appends the event row, and queues each
   ``on_commit`` callable with ``transaction.on_commit`` (signals, tasks, anything that must not run for a
   step that is rolled back). Outbox rows (``notify``) are plain writes and go in the transaction itself.

Because the row is locked before the state is read, two concurrent submissions of the same step serialise:
the second one waits, then finds the first one's event and is a repeat. Exactly one event is written.

A worked example
----------------
A parcel locker: a resident books a locker, staff hand the parcel over; the resident may cancel a booking::

    # lockers/workflow.py — the table, beside the model
    from communities.statemachine import StateMachine, Transition, transitions

    RESIDENT, STAFF = "resident", "staff"

    def locker_relations(user, booking):
        relations = set()
        if booking.booked_by_id == user.pk:
            relations.add(RESIDENT)
        if policy.can(user, "lockers.manage", booking):
            relations.add(STAFF)
        return relations

    LOCKERS = StateMachine(
        name="lockers", model=LockerBooking, event_model=LockerEvent, subject="booking",
        relations=locker_relations, may_see=lambda user, b: policy.can(user, "lockers.view", b),
        transitions=[
            *transitions("hand_over", ["booked"], "collected", {STAFF}, _("交付"),
                         form="lockers.forms.NoteForm", service="lockers.services.booking_hand_over"),
            *transitions("cancel", ["booked"], "cancelled", {RESIDENT}, _("取消预约"), danger=True,
                         form="lockers.forms.OptionalNoteForm", service="lockers.services.booking_cancel",
                         arguments={"note": "reason"}),
        ],
    )

    # lockers/services.py — one service per transition
    def booking_cancel(*, booking_id, actor, reason=""):
        with transaction.atomic():
            step = LOCKERS.begin(booking_id, actor, "cancel")
            if step.repeat:
                return Outcome(step.obj, False)
            step.obj.cancelled_at = timezone.now()
            event = LOCKERS.apply(step, actor, note=reason, fields=["cancelled_at"],
                                  on_commit=[lambda: booking_cancelled.send(sender=None, booking=step.obj)])
        return Outcome(step.obj, True, event)

    # lockers/views.py — the action wiring comes from the table
    form_class = LOCKERS.form_class("cancel")
    form = form_class(request.POST)
    if form.is_valid():
        outcome = LOCKERS.run("cancel", obj_id=booking.pk, actor=request.user, data=form.cleaned_data)

``machine.actions_for(state, relations)`` lists what the page may offer; ``machine.DANGER`` (``danger_actions``)
and ``machine.form_class`` / ``machine.run`` replace per-view dictionaries and if-chains, so adding a
transition touches the table and its service only.

Hooks for workflows with a rule of their own: ``lock`` (a queryset to lock from, e.g. with
``select_related``), ``repeat_rule`` (decide a repeat, or raise a more precise ``DomainError``, such as "already
claimed by someone else"), ``repeat_by_same_actor`` (whoever took the step may repeat it even after losing the
relation), ``refusal`` (the message for a wrong state) and ``record``/``last_event`` for a workflow whose
timeline is not an event model of its own (elections write ``AuditEvent`` rows).
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .services.errors import DomainError


@dataclass(frozen=True)
class Transition:
    """(source, action) → target, who may take it, and how the page offers it."""

    action: str
    source: str
    target: str
    who: frozenset
    label: str
    danger: bool = False
    form: str = ""  # dotted path of the form class; "" = the action takes no input
    service: str = ""  # dotted path of the service function
    arguments: tuple = ()  # (form field, service keyword) renames

    @property
    def needs_form(self) -> bool:
        return bool(self.form)


def transitions(action: str, sources: Iterable[str], target: str, who: Iterable[str], label, **flags) \
        -> list[Transition]:
    """One ``Transition`` per source state, for tables where an action has several sources."""
    arguments = tuple(sorted(flags.pop("arguments", {}).items()))
    return [Transition(action, source, target, frozenset(who), label, arguments=arguments, **flags)
            for source in sources]


@dataclass
class Step:
    """What ``begin`` found: the locked object, the actor's relations, and the transition (None on a repeat)."""

    obj: Any
    transition: Transition | None
    relations: set = field(default_factory=set)
    from_state: str = ""

    @property
    def repeat(self) -> bool:
        return self.transition is None


class StateMachine:
    def __init__(self, *, name: str, model, transitions: list[Transition],
                 relations: Callable[[Any, Any], set[str]], event_model=None, subject: str = "",
                 state_field: str = "status", may_see: Callable[[Any, Any], bool] | None = None,
                 lock: Callable[[], Any] | None = None, repeat_rule: Callable | None = None,
                 repeat_by_same_actor: bool = False, refusal: Callable[[Any], DomainError] | None = None,
                 record: Callable | None = None, last_event: Callable | None = None,
                 id_argument: str = ""):
        self.name, self.model, self.state_field = name, model, state_field
        self.transitions = list(transitions)
        self.relations = relations
        self.event_model, self.subject = event_model, subject
        self.may_see = may_see
        self._lock = lock
        self.repeat_rule = repeat_rule
        self.repeat_by_same_actor = repeat_by_same_actor
        self._refusal = refusal
        self._record = record
        self._last_event = last_event
        self.id_argument = id_argument or f"{model._meta.model_name}_id"
        self._table = {}
        for t in self.transitions:
            if (t.source, t.action) in self._table:
                raise ImproperlyConfigured(f"{name}: {t.action!r} from {t.source!r} is declared twice")
            self._table[(t.source, t.action)] = t
        for action in self.actions:
            shapes = {(t.danger, t.form, t.service, t.arguments) for t in self.transitions if t.action == action}
            if len(shapes) > 1:
                raise ImproperlyConfigured(f"{name}: {action!r} has different flags in different states")
        if record is None and (event_model is None or not subject):
            raise ImproperlyConfigured(f"{name}: give event_model and subject, or record")

    # --- reading the table ----------------------------------------------------------------------------

    @cached_property
    def actions(self) -> list[str]:
        return sorted({t.action for t in self.transitions})

    def transition_for(self, state: str, action: str) -> Transition | None:
        return self._table.get((state, action))

    def targets_of(self, action: str) -> set[str]:
        """Every state ``action`` can lead to (for recognising a repeat)."""
        return {t.target for t in self.transitions if t.action == action}

    def who_may(self, action: str) -> frozenset:
        """Every relation that may take ``action`` in some state."""
        return frozenset().union(*(t.who for t in self.transitions if t.action == action))

    def actions_for(self, state: str, relations: set[str]) -> list[Transition]:
        """The transitions a page may offer someone with ``relations`` to an object in ``state``."""
        return [t for t in self.transitions if t.source == state and t.who & relations]

    def first(self, action: str) -> Transition:
        """The action's first row: its label and flags (the same in every source state)."""
        for t in self.transitions:
            if t.action == action:
                return t
        raise KeyError(action)

    def label(self, action: str) -> str:
        return str(self.first(action).label)

    @cached_property
    def danger_actions(self) -> list[str]:
        return [a for a in self.actions if self.first(a).danger]

    def form_class(self, action: str):
        path = self.first(action).form
        return import_string(path) if path else None

    def service(self, action: str) -> Callable:
        path = self.first(action).service
        if not path:
            raise ImproperlyConfigured(f"{self.name}: {action!r} names no service")
        return import_string(path)

    def run(self, action: str, *, obj_id: int, actor, data: dict | None = None):
        """Call the action's service with a form's cleaned data (renamed by the table's ``arguments``)."""
        renames = dict(self.first(action).arguments)
        kwargs = {renames.get(key, key): value for key, value in (data or {}).items()}
        return self.service(action)(**{self.id_argument: obj_id, "actor": actor}, **kwargs)

    # --- taking a step ---------------------------------------------------------------------------------

    def lock(self, obj_id: int):
        """The object, locked until the end of the transaction (the caller's ``transaction.atomic``)."""
        queryset = self._lock() if self._lock else self.model.objects.all()
        return queryset.select_for_update(of=("self",)).get(pk=obj_id)

    def last_event(self, obj):
        if self._last_event is not None:
            return self._last_event(obj)
        return self.event_model.objects.filter(**{self.subject: obj}).order_by("-at", "-id").first()

    def refusal(self, obj) -> DomainError:
        if self._refusal is not None:
            return self._refusal(obj)
        state = getattr(obj, f"get_{self.state_field}_display")()
        return DomainError(_("现在是“%(status)s”，不能进行这项操作。") % {"status": state}, code="state")

    def begin(self, obj_id: int, actor, action: str) -> Step:
        """Lock the object and check actor and state. Must run inside ``transaction.atomic()``."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{self.name}.begin() outside transaction.atomic(): the lock would not hold")
        obj = self.lock(obj_id)
        relations = set(self.relations(actor, obj))
        if not relations and not (self.may_see and self.may_see(actor, obj)):
            raise PermissionDenied
        state = getattr(obj, self.state_field)
        transition = self.transition_for(state, action)
        if transition is None:
            if self._is_repeat(obj, action, actor, relations):
                return Step(obj, None, relations, state)
            raise self.refusal(obj)
        if not transition.who & relations:
            raise PermissionDenied
        return Step(obj, transition, relations, state)

    def _is_repeat(self, obj, action: str, actor, relations: set) -> bool:
        decided = self.repeat_rule(obj, action, actor, relations) if self.repeat_rule else None
        if decided is not None:
            return decided
        if getattr(obj, self.state_field) not in self.targets_of(action):
            return False
        last = self.last_event(obj)
        if last is None or last.action != action:
            return False
        if relations & self.who_may(action):
            return True
        if self.repeat_by_same_actor and last.actor_id == getattr(actor, "pk", None):
            return True
        raise PermissionDenied  # a repeat, but not for this actor to know about

    def apply(self, step: Step, actor, *, note: str = "", fields: Iterable[str] = (), data: dict | None = None,
              at=None, on_commit: Iterable[Callable[[], Any]] = ()):
        """Move to the target state, save, append the event row and queue the side effects."""
        if step.transition is None:
            raise RuntimeError("apply() on a repeat: the service should have returned")
        obj, t = step.obj, step.transition
        setattr(obj, self.state_field, t.target)
        obj.save(update_fields=[self.state_field, *fields])
        at = at or timezone.now()
        if self._record is not None:
            event = self._record(obj=obj, transition=t, actor=actor, from_state=step.from_state, note=note,
                                 data=data or {}, at=at)
        else:
            event = self.event_model.objects.create(**{self.subject: obj}, actor=actor, action=t.action,
                                                    from_status=step.from_state, to_status=t.target, note=note,
                                                    data=data or {}, at=at)
        for callback in on_commit:
            transaction.on_commit(callback)
        return event

    def __repr__(self):
        return f"<StateMachine {self.name}: {len(self.transitions)} transitions>"
