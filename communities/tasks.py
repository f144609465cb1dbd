"""Thin Celery tasks: take ids, call a service, safe to run twice. Beat starts the fan-out tasks."""
from celery import shared_task

from .selectors import clock
from .services import case_clock, case_summaries, delivery, meeting_clock, phone_codes, photos, rota_clock, rota_generation


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    delivery.deliver_notification_email(notification_id=notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> None:
    for notification_id in clock.undelivered_notification_ids():
        deliver_notification.delay(notification_id)


@shared_task(ignore_result=True)
def start_case_escalations() -> None:
    """Hourly: one task per overdue case."""
    for case_id in clock.cases_to_escalate():
        escalate_case.delay(case_id)


@shared_task(ignore_result=True)
def escalate_case(case_id: int) -> None:
    case_clock.case_escalate(case_id=case_id)


@shared_task(ignore_result=True)
def start_rating_reminders() -> None:
    for case_id in clock.cases_to_remind_rating():
        remind_rating.delay(case_id)


@shared_task(ignore_result=True)
def remind_rating(case_id: int) -> None:
    case_clock.case_remind_rating(case_id=case_id)


@shared_task(ignore_result=True)
def refresh_case_summaries() -> None:
    """Every minute: the dashboard's daily figures. A concurrent second run returns at once."""
    case_summaries.case_summaries_refresh()


@shared_task(ignore_result=True)
def purge_pending_photos() -> None:
    """Daily: the photos kept from filing forms never sent again, once they expire. Safe to run twice."""
    photos.pending_photos_purge()


# --- meetings -----------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def start_meeting_reminders() -> None:
    """Every five minutes: one task per reminder due (24 hours and 1 hour before a meeting)."""
    for meeting_id, kind, version in clock.meetings_due_for_reminder():
        remind_meeting.delay(meeting_id, kind, version)


@shared_task(ignore_result=True)
def remind_meeting(meeting_id: int, kind: str, version: int | None = None) -> None:
    meeting_clock.meeting_remind(meeting_id=meeting_id, kind=kind, version=version)


@shared_task(ignore_result=True)
def start_minutes_reminders() -> None:
    for meeting_id in clock.meetings_due_for_minutes_reminder():
        remind_minutes.delay(meeting_id)


@shared_task(ignore_result=True)
def remind_minutes(meeting_id: int) -> None:
    meeting_clock.meeting_remind_minutes(meeting_id=meeting_id)


@shared_task(ignore_result=True)
def generate_series_meetings() -> None:
    """Every six hours: one task per active series, each keeping its occurrences generated ahead."""
    for series_id in clock.active_series_ids():
        generate_meetings_for_series.delay(series_id)


@shared_task(ignore_result=True)
def generate_meetings_for_series(series_id: int) -> None:
    meeting_clock.series_generate_meetings(series_id=series_id)


# --- duty rotas -----------------------------------------------------------------------------------
# Every rota task is idempotent (unique shift keys, conditional UPDATE claims), so a task whose worker
# died is redelivered (acks_late + reject_on_worker_lost) and running it again changes nothing.
IDEMPOTENT = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}


@shared_task(**IDEMPOTENT)
def start_shift_generation() -> None:
    """Daily: one task per active rota keeps its rolling horizon of shifts generated."""
    for rota_id in clock.active_rota_ids():
        generate_rota_shifts.delay(rota_id)


@shared_task(**IDEMPOTENT)
def generate_rota_shifts(rota_id: int) -> None:
    rota_generation.rota_keep_generated(rota_id=rota_id)


@shared_task(**IDEMPOTENT)
def start_shift_reminders() -> None:
    """Every few minutes: one task per reminder that is due (the day before, two hours before)."""
    for kind in clock.SHIFT_REMINDER_KINDS:
        for assignment_id in clock.assignments_to_remind(kind=kind):
            remind_shift.delay(assignment_id, kind)


@shared_task(**IDEMPOTENT)
def remind_shift(assignment_id: int, kind: str) -> None:
    rota_clock.shift_remind(assignment_id=assignment_id, kind=kind)


@shared_task(**IDEMPOTENT)
def mark_missed_shifts() -> None:
    rota_clock.shifts_mark_missed()


@shared_task(**IDEMPOTENT)
def alert_coverage_gaps() -> None:
    for shift_id in clock.shifts_with_gaps():
        alert_coverage_gap.delay(shift_id)


@shared_task(**IDEMPOTENT)
def alert_coverage_gap(shift_id: int) -> None:
    rota_clock.shift_alert_gap(shift_id=shift_id)


# --- sign-in codes ----------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def purge_phone_codes() -> None:
    """Daily: SMS codes older than a day are no use to anyone (idempotent: a second run finds nothing)."""
    phone_codes.phone_codes_purge()
