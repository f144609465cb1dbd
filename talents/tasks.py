"""Thin Celery tasks of the 郡园 app: they call a service and are safe to run twice."""
from celery import shared_task

from .selectors.appointments import bookings_due_reminder
from .services.appointments import booking_remind

IDEMPOTENT = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}


@shared_task(**IDEMPOTENT)
def start_appointment_reminders() -> None:
    """Every few minutes (beat): one task per appointment whose day-before reminder is due."""
    for booking_id in bookings_due_reminder():
        remind_appointment.delay(booking_id)


@shared_task(**IDEMPOTENT)
def remind_appointment(booking_id: int) -> None:
    booking_remind(booking_id=booking_id)
