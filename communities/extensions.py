"""Where the community apps (landlords, talents, propertyservice) plug into the core.

The core never imports an app; an app registers here from its ``AppConfig.ready``:
- its access rules: ``register_rules(app_label, rules)`` (below);
- a navigation provider: ``fn(user) -> list[NavItem]``, placed after the core's own entries;
- a kind of versioned document (its charter, its covenant …): ``register_document_kind(DocumentKindSpec(…))``;
- a demo seeder: the dotted path of ``fn() -> dict`` (``"landlords.demo.team.demo_team_seed"``), imported
  and run by ``seed_demo`` after the core demo, in the order registered (it must be idempotent). A path,
  not the function: demo code is loaded by ``seed_demo`` only, never by every web and worker process.
"""
from dataclasses import dataclass
from typing import Callable

from django.db import transaction
from django.dispatch import Signal

NAV_PROVIDERS: list[Callable] = []
DEMO_SEEDERS: list[tuple[str, str]] = []  # (name, dotted path of the seeder)


# Actions an app declared before the door required its prefix. They keep their names until renamed; no new
# name may join this list. (The needs list's need.* and the documents' document.* are core actions now;
# charter.* and covenant.* are the actions of 蓉庭's two document kinds.)
UNPREFIXED_LEGACY = frozenset({
    "team.view",
    "charter.draft", "charter.adopt", "charter.acknowledge",
    "charter.report", "covenant.draft", "covenant.approve", "covenant.acknowledge", "covenant.record_paper",
    "covenant.report",
    "rental.manage", "rental.flag_case", "tenant_registration.move_out", "tenant_registration.view",
    "tenant_registration.mine", "tenant_registration.list", "tenant_registration.reveal_phone",
    "tenant_registration.export",
    "mediation.record", "mediation.correct", "mediation.log", "mediation.mine", "mediation.view",
    "channel.list", "channel.view", "channel.post", "announcement.receipts", "channel.manage",
})


def register_rules(app_label: str, rules: dict) -> None:
    """Add an app's access rules to the core policy table (``communities.policy.RULES``).

    Called once from the app's ``AppConfig.ready``. ``rules`` maps action names to
    ``communities.policy.Rule``; every action starts with ``"<app_label>."``. A rule whose extra grant has
    no list filter is already refused when the ``Rule`` is built. Raises ``ImproperlyConfigured`` at
    start-up when an action lacks the prefix or clashes with an action already defined. Returns nothing.
    Example::

        extensions.register_rules("talents", {
            "talents.class.enrol": Rule(frozenset({Role.TALENT}), town=False),
        })
    """
    from django.core.exceptions import ImproperlyConfigured

    from . import policy

    for action, rule in rules.items():
        if not action.startswith(f"{app_label}.") and action not in UNPREFIXED_LEGACY:
            raise ImproperlyConfigured(f"{app_label}: action {action!r} must start with {app_label!r}.")
        if action in policy.RULES and policy.RULES[action] is not rule:
            raise ImproperlyConfigured(f"{app_label}: action {action!r} is already defined")
    policy.RULES.update(rules)


def register_nav(provider: Callable) -> None:
    if provider not in NAV_PROVIDERS:
        NAV_PROVIDERS.append(provider)


def register_demo_seeder(name: str, seeder: str) -> None:
    if not isinstance(seeder, str):
        raise TypeError(f"demo seeder {name!r}: register its dotted path, not the function, so that only "
                        f"seed_demo imports demo code")
    if all(existing != name for existing, _ in DEMO_SEEDERS):
        DEMO_SEEDERS.append((name, seeder))


# --- kinds of versioned documents (communities.models.documents) --------------------------------------

@dataclass(frozen=True)
class DocumentKindSpec:
    """One kind of versioned document an app brings (蓉庭's charter and covenant; 郡园's rules of procedure …).

    ``kind``: the slug stored on each version (at most 10 characters) and used in URLs; ``label``: its name.
    ``actions``: the policy action of each step, keys ``draft``, ``adopt``, ``acknowledge``, ``report`` and,
    when paper signatures are recorded, ``record_paper`` (the app registers these rules itself).
    ``adoption_dated``: whoever adopts gives the date it was adopted (a charter voted at a meeting); otherwise
    a version is adopted on the day it is approved. ``bound``: ``fn(person, community) -> bool``, who must
    acknowledge it in the app beyond holding the acknowledge role (None: everyone holding it), with
    ``unbound_message`` the refusal shown to the others. ``paper_signers``: ``fn(actor, community) -> QuerySet
    of Person``, whose paper signature ``actor`` may record (None: no paper signatures for this kind).
    ``url``: ``fn(version) -> str``, the app's page of the kind (linked from notifications).
    """

    kind: str
    label: object
    actions: dict
    adoption_dated: bool = False
    bound: Callable | None = None
    unbound_message: object = ""
    paper_signers: Callable | None = None
    url: Callable | None = None


DOCUMENT_KINDS: dict[str, DocumentKindSpec] = {}


def register_document_kind(spec: DocumentKindSpec) -> None:
    """Add a kind of versioned document; its actions must be rules the app registered. Example::

        extensions.register_document_kind(DocumentKindSpec(
            kind="procedure", label=_("业主大会议事规则"),
            actions={"draft": "owners.procedure.draft", "adopt": "owners.procedure.adopt",
                     "acknowledge": "owners.procedure.acknowledge", "report": "owners.procedure.report"},
            adoption_dated=True))

    Raises ``ImproperlyConfigured`` when the kind is registered twice with a different spec or misses a step.
    """
    from django.core.exceptions import ImproperlyConfigured

    if len(spec.kind) > 10:
        raise ImproperlyConfigured(f"document kind {spec.kind!r}: at most 10 characters")
    missing = {"draft", "adopt", "acknowledge", "report"} - set(spec.actions)
    if missing:
        raise ImproperlyConfigured(f"document kind {spec.kind!r}: no action for {sorted(missing)}")
    if spec.paper_signers is not None and "record_paper" not in spec.actions:
        raise ImproperlyConfigured(f"document kind {spec.kind!r}: paper signatures need a record_paper action")
    if DOCUMENT_KINDS.get(spec.kind, spec) != spec:
        raise ImproperlyConfigured(f"document kind {spec.kind!r} is already registered")
    DOCUMENT_KINDS[spec.kind] = spec


def document_kind(kind: str) -> DocumentKindSpec | None:
    return DOCUMENT_KINDS.get(kind)


# --- domain signals, sent after the transaction commits ----------------------------------------------
# An app listens with ``signal.connect(receiver, dispatch_uid="<app>.<what>")`` in its ``AppConfig.ready``.
# The core sends them through ``transaction.on_commit``: a receiver runs once, only when the change is
# stored (never on a rollback), outside the core's transaction, so it may queue tasks or write rows of its
# own. (``election_published``, in communities.services.elections, is the exception: it is sent inside
# the publishing transaction so that the officers change with the result.)

case_closed = Signal()
"""A case reached 已办结 (closed).

Sent with ``sender=Case``, ``case`` (the closed case, saved) and ``actor`` (who closed it).
Return value ignored. Example::

    def count_closed(sender, case, actor, **kwargs):
        record_figure(...)

    case_closed.connect(count_closed, dispatch_uid="landlords.count_closed")
"""

shift_checked_in = Signal()
"""A member checked in at their shift (the first check-in only; a repeat sends nothing).

Sent with ``sender=ShiftAssignment``, ``assignment`` and ``actor``. Return value ignored. Example::

    shift_checked_in.connect(lambda sender, assignment, **kw: ..., dispatch_uid="talents.hours")
"""

meeting_attended = Signal()
"""Someone's attendance at a meeting was recorded (the first time only).

Sent with ``sender=Attendance``, ``attendance`` (meeting, user, checked_in_at) and ``actor`` (who recorded
it: the attendee or the organiser). Return value ignored. Example::

    meeting_attended.connect(lambda sender, attendance, **kw: ..., dispatch_uid="landlords.attendance")
"""


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    """Send ``signal`` once the current transaction commits (at once when there is none)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
