"""Thin Celery tasks of 光明村: they take ids, call a service and are safe to run twice (beat scans the database
for what is due; no far-future ETA). One block per area."""
from celery import shared_task

IDEMPOTENT = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}


# --- hotline ---------------------------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def remind_hotline_callbacks() -> None:
    """Every five minutes (beat): remind the assignee of each promised call-back that fell due, once
    (``HotlineCall.callback_reminded_at``)."""
    from .services.hotline import hotline_callbacks_remind

    hotline_callbacks_remind()


# --- the station and its people -------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def start_certificate_alerts() -> None:
    """Daily (beat): one task per certificate lapsing within 30 days that the heads have not heard of."""
    from .services.station import certificate_alerts_due

    for certificate_id in certificate_alerts_due():
        alert_certificate.delay(certificate_id)


@shared_task(**IDEMPOTENT)
def alert_certificate(certificate_id: int) -> None:
    """Once per certificate per expiry: the conditional update in the service claims it."""
    from .services.station import certificate_alert

    certificate_alert(certificate_id=certificate_id)
