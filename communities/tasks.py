"""Thin Celery tasks: take ids, call a service, safe to run twice. Beat starts the fan-out tasks."""
from celery import shared_task

from .services import case_clock, case_summaries, delivery


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
