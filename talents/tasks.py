"""Thin Celery tasks of 郡园: they take ids, call a service and are safe to run twice (beat scans the database
for what is due; no far-future ETA)."""
from celery import shared_task
from django.utils import timezone

from .selectors.appointments import bookings_due_reminder
from .services.appointments import booking_remind
from .services.studios import background_check_reminders_send

IDEMPOTENT = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}


# --- studios ---------------------------------------------------------------------------------------------------

@shared_task(ignore_result=True)
def remind_background_checks() -> None:
    """Daily (beat): tell committee staff about hosts' background checks that lapsed or lapse within 30 days,
    once per check (``HostQualification.reminded_at``)."""
    background_check_reminders_send()


# --- classes ---------------------------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def start_class_sessions_generation() -> None:
    """Hourly: one task per class that is not closed keeps its rolling horizon of sessions (unique slot keys)."""
    from .models import TalentClass

    for class_id in TalentClass.objects.exclude(status=TalentClass.Status.CLOSED).values_list("pk", flat=True):
        generate_class_sessions.delay(class_id)


@shared_task(**IDEMPOTENT)
def generate_class_sessions(talent_class_id: int) -> None:
    from .services.sessions import class_keep_generated

    class_keep_generated(talent_class_id=talent_class_id)


@shared_task(**IDEMPOTENT)
def start_offer_expiry() -> None:
    """Every five minutes: one task per class with an offer past its deadline (it passes on)."""
    from .models import Enrolment

    due = (Enrolment.objects.filter(status=Enrolment.Status.OFFERED, offer_expires_at__lt=timezone.now())
           .values_list("talent_class_id", flat=True).distinct())
    for class_id in due:
        expire_class_offers.delay(class_id)


@shared_task(**IDEMPOTENT)
def expire_class_offers(talent_class_id: int) -> None:
    from .services.enrolment import class_offers_expire

    class_offers_expire(talent_class_id=talent_class_id)


@shared_task(**IDEMPOTENT)
def start_lottery_draws() -> None:
    """Every five minutes: the lottery classes whose opening time came and that were not drawn yet."""
    from .models import TalentClass

    due = TalentClass.objects.filter(allocation=TalentClass.Allocation.LOTTERY, status=TalentClass.Status.OPEN,
                                     opens_at__lte=timezone.now(), lottery_drawn_at__isnull=True)
    for class_id in due.values_list("pk", flat=True):
        draw_lottery.delay(class_id)


@shared_task(**IDEMPOTENT)
def draw_lottery(talent_class_id: int) -> None:
    from .services.enrolment import class_lottery_draw

    class_lottery_draw(talent_class_id=talent_class_id)  # a second run finds it drawn and does nothing


@shared_task(**IDEMPOTENT)
def start_session_reminders() -> None:
    """Every five minutes: the sessions starting within 24 h, reminded once per start (a moved one again)."""
    from .services.sessions import sessions_due_for_reminder

    for session_id, starts_at in sessions_due_for_reminder(now=timezone.now()):
        remind_session.delay(session_id, starts_at.isoformat())


@shared_task(**IDEMPOTENT)
def remind_session(session_id: int, starts_at: str) -> None:
    import datetime as dt

    from .services.sessions import session_remind

    session_remind(session_id=session_id, starts_at=dt.datetime.fromisoformat(starts_at))


# --- services by appointment ----------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def start_appointment_reminders() -> None:
    """Every few minutes (beat): one task per appointment whose day-before reminder is due."""
    for booking_id in bookings_due_reminder():
        remind_appointment.delay(booking_id)


@shared_task(**IDEMPOTENT)
def remind_appointment(booking_id: int) -> None:
    booking_remind(booking_id=booking_id)


# --- owners' hub: repair projects (issue 15) -------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def start_repair_emergency_clocks() -> None:
    """Hourly (beat): one task per emergency repair whose 7 days (沪物业规定第七十三条) ran out without the owners'
    committee's approval and whose staff were not told yet (the ``emergency_overdue_notified_at`` guard)."""
    from .models import RepairProject
    from .selectors.owners_repairs import emergency_overdue_q

    due = RepairProject.objects.filter(emergency_overdue_q(on=timezone.localdate()),
                                       emergency_overdue_notified_at__isnull=True)
    for project_id in due.values_list("pk", flat=True):
        mark_repair_emergency_overdue.delay(project_id)


@shared_task(**IDEMPOTENT)
def mark_repair_emergency_overdue(project_id: int) -> None:
    from .models import RepairProject
    from .services.owners_repairs import repair_emergency_overdue_mark

    try:
        repair_emergency_overdue_mark(project_id=project_id)
    except RepairProject.DoesNotExist:
        return


# --- the owners' maintenance fund (issue 15) -------------------------------------------------------------------
@shared_task(**IDEMPOTENT)
def fund_daily() -> None:
    """Daily (beat): top-up warnings for buildings below 30 % of their first collection (one open per building,
    沪物业规定 art. 65), and the half-yearly statement of the half-year just ended (art. 67; due on 1 Jan and 1 Jul,
    published once: a later run finds it)."""
    from .services.owners_fund import fund_statements_publish_due, fund_warnings_raise
    now = timezone.now()
    fund_warnings_raise(on=timezone.localdate(now))
    fund_statements_publish_due(now=now)


# --- the property company (owners' hub) ------------------------------------------------------------------------
@shared_task(**IDEMPOTENT)
def start_company_contract_reminders() -> None:
    """Daily (beat): one task per contract within 120 days of its end; the quarter's ended surveys closed."""
    from .selectors.owners_company import contracts_due_reminder
    from .services.owners_company import surveys_close_due
    for contract_id in contracts_due_reminder(on=timezone.localdate()):
        remind_company_contract.delay(contract_id)
    surveys_close_due(now=timezone.now())


@shared_task(**IDEMPOTENT)
def remind_company_contract(contract_id: int) -> None:
    """The reminder due today (120, 90 or 60 days before the end), once: a ``ContractReminder`` row per day."""
    from .services.owners_company import contract_remind
    contract_remind(contract_id=contract_id, now=timezone.now())
