"""Where the community apps (landlords, talents, propertyservice) plug into the core.

The core never imports an app; an app registers here from its ``AppConfig.ready``:
- its access rules: ``register_rules(app_label, rules)`` (below);
- a navigation provider: ``fn(user) -> list[NavItem]``, placed after the core's own entries;
- a demo seeder: the dotted path of ``fn() -> dict`` (``"landlords.demo.team.demo_team_seed"``), imported
  and run by ``seed_demo`` after the core demo, in the order registered (it must be idempotent). A path,
  not the function: demo code is loaded by ``seed_demo`` only, never by every web and worker process.
"""
from typing import Callable

from django.db import transaction
from django.dispatch import Signal

NAV_PROVIDERS: list[Callable] = []
DEMO_SEEDERS: list[tuple[str, str]] = []  # (name, dotted path of the seeder)


# Actions landlords declared before the door required its prefix: the needs list only, which moves to the core
# in issue 11 item 5 (where its rules become core actions). No new name may join this list.
UNPREFIXED_LEGACY = frozenset({
    "need.view", "need.manage", "need.claim", "need.deliver", "need.photo",
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
