"""Where the community apps (landlords, talents, propertyservice) plug into the core.

The core never imports an app; an app registers here from its ``AppConfig.ready``:
- a navigation provider: ``fn(user) -> list[NavItem]``, placed after the core's own entries;
- a demo seeder: ``fn() -> dict`` run by ``seed_demo`` after the core demo (it must be idempotent).
"""
from typing import Callable

NAV_PROVIDERS: list[Callable] = []
DEMO_SEEDERS: list[tuple[str, Callable[[], dict]]] = []


def register_nav(provider: Callable) -> None:
    if provider not in NAV_PROVIDERS:
        NAV_PROVIDERS.append(provider)


def register_demo_seeder(name: str, seeder: Callable[[], dict]) -> None:
    if all(existing != name for existing, _ in DEMO_SEEDERS):
        DEMO_SEEDERS.append((name, seeder))


# --- domain signals, sent after the transaction commits ----------------------------------------------
# An app listens with ``signal.connect(receiver, dispatch_uid="<app>.<what>")`` in its ``AppConfig.ready``.
# The core sends them through ``transaction.on_commit``: a receiver runs once, only when the change is
# stored (never on a rollback), outside the core's transaction, so it may queue tasks or write rows of its
# own. (``election_published``, in communities.services.elections, is the exception: it is sent inside
# the publishing transaction so that the officers change with the result.)
from django.db import transaction  # noqa: E402
from django.dispatch import Signal  # noqa: E402

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
