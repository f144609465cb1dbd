"""Thin Celery tasks of 光明村: they take ids, call a service and are safe to run twice (beat scans the database
for what is due; no far-future ETA)."""
from celery import shared_task

IDEMPOTENT = {"ignore_result": True, "acks_late": True, "reject_on_worker_lost": True}


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
