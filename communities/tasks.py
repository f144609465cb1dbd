"""Thin Celery tasks: take ids, call a service, safe to run twice."""
from celery import shared_task

from .services import delivery


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    delivery.deliver_notification_email(notification_id=notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> None:
    for notification_id in delivery.undelivered_notification_ids():
        deliver_notification.delay(notification_id)
