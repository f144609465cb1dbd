"""Thin Celery tasks of 光明村: they call a service and are safe to run twice (beat scans the database for what is
due; no far-future ETA). One block per area."""
from celery import shared_task

IDEMPOTENT = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}


# --- hotline ---------------------------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def remind_hotline_callbacks() -> None:
    """Every five minutes (beat): remind the assignee of each promised call-back that fell due, once
    (``HotlineCall.callback_reminded_at``)."""
    from .services.hotline import hotline_callbacks_remind

    hotline_callbacks_remind()
