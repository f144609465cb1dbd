"""Thin Celery tasks of the 郡园 app: they call a service and are safe to run twice."""
from celery import shared_task

from .services.studios import background_check_reminders_send


@shared_task(ignore_result=True)
def remind_background_checks() -> None:
    """Daily (beat): tell committee staff about hosts' background checks that lapsed or lapse within 30 days,
    once per check (``HostQualification.reminded_at``)."""
    background_check_reminders_send()
