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


# --- patrols ---------------------------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def start_patrol_runs_close() -> None:
    """Every ten minutes: one task per (ended shift, route) whose run is not closed yet."""
    from .services.patrols import patrol_runs_due_close

    for shift_id, route_id in patrol_runs_due_close():
        close_patrol_run.delay(shift_id, route_id)


@shared_task(**IDEMPOTENT)
def close_patrol_run(shift_id: int, route_id: int) -> None:
    """Close one run (count what was missed, flag it); a run already closed is left as it is."""
    from .services.patrols import patrol_run_close

    patrol_run_close(shift_id=shift_id, route_id=route_id)


# --- incidents ---------------------------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def advance_incident_escalations(now=None) -> int:
    """Every minute (beat): calls not acknowledged in time pass to the next member of the chain. The service acts
    only on calls still open and due, under the incident's lock, so a doubled or late run calls nobody twice.
    ``now`` (a datetime or its ISO text) is for tests and for replaying a stopped beat; the beat passes none."""
    import datetime as dt

    from .services.incidents import escalations_advance

    if isinstance(now, str):
        now = dt.datetime.fromisoformat(now)
    return escalations_advance(now=now)


# --- evaluation ------------------------------------------------------------------------------------------------

@shared_task(**IDEMPOTENT)
def close_last_month_evaluations() -> int:
    """On the 2nd: freeze last month's evaluation of every served village (a closed month is left as it is)."""
    from .services.evaluation import close_last_month

    return close_last_month()
