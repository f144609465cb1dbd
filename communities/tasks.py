"""Thin Celery tasks: take ids, call a service, safe to run twice. Beat starts the fan-out tasks."""
from celery import shared_task

from .services import case_clock, case_summaries, delivery, meeting_clock


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    delivery.deliver_notification_email(notification_id=notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> None:
    for notification_id in delivery.undelivered_notification_ids():
        deliver_notification.delay(notification_id)


@shared_task(ignore_result=True)
def start_case_escalations() -> None:
    """Hourly: one task per overdue case."""
    for case_id in case_clock.cases_to_escalate():
        escalate_case.delay(case_id)


@shared_task(ignore_result=True)
def escalate_case(case_id: int) -> None:
    case_clock.case_escalate(case_id=case_id)


@shared_task(ignore_result=True)
def start_rating_reminders() -> None:
    for case_id in case_clock.cases_to_remind_rating():
        remind_rating.delay(case_id)


@shared_task(ignore_result=True)
def remind_rating(case_id: int) -> None:
    case_clock.case_remind_rating(case_id=case_id)


@shared_task(ignore_result=True)
def refresh_case_summaries() -> None:
    """Every minute: the dashboard's daily figures. A concurrent second run returns at once."""
    case_summaries.case_summaries_refresh()
# --- meetings -----------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def start_meeting_reminders() -> None:
    """Every five minutes: one task per reminder due (24 hours and 1 hour before a meeting)."""
    for meeting_id, kind, version in meeting_clock.meetings_due_for_reminder():
        remind_meeting.delay(meeting_id, kind, version)


@shared_task(ignore_result=True)
def remind_meeting(meeting_id: int, kind: str, version: int | None = None) -> None:
    meeting_clock.meeting_remind(meeting_id=meeting_id, kind=kind, version=version)


@shared_task(ignore_result=True)
def start_minutes_reminders() -> None:
    for meeting_id in meeting_clock.meetings_due_for_minutes_reminder():
        remind_minutes.delay(meeting_id)


@shared_task(ignore_result=True)
def remind_minutes(meeting_id: int) -> None:
    meeting_clock.meeting_remind_minutes(meeting_id=meeting_id)


@shared_task(ignore_result=True)
def generate_series_meetings() -> None:
    """Every six hours: one task per active series, each keeping its occurrences generated ahead."""
    for series_id in meeting_clock.active_series_ids():
        generate_meetings_for_series.delay(series_id)


@shared_task(ignore_result=True)
def generate_meetings_for_series(series_id: int) -> None:
    meeting_clock.series_generate_meetings(series_id=series_id)
