"""Thin Celery tasks of 光明村: they call a service and are safe to run twice (beat scans the database for what
is due; no far-future ETA)."""
from celery import shared_task

IDEMPOTENT = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}


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
