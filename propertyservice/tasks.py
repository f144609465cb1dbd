"""The station's Celery tasks: thin, idempotent, driven by beat (luodian/settings.py CELERY_BEAT_SCHEDULE)."""
from celery import shared_task


# --- evaluation -------------------------------------------------------------------------------------------
@shared_task
def close_last_month_evaluations() -> int:
    """On the 2nd: freeze last month's evaluation of every served village (a closed month is left as it is)."""
    from .services.evaluation import close_last_month

    return close_last_month()
