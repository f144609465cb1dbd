"""Thin Celery tasks of the 蓉庭 app: they call a service and are safe to run twice."""
from celery import shared_task

from .services.figures import landlords_figures_record
from .services.tenant_retention import tenant_records_anonymise


@shared_task(ignore_result=True)
def anonymise_tenant_records() -> None:
    """Daily (beat): anonymise tenant records past TENANT_RECORD_RETENTION_MONTHS after move-out."""
    tenant_records_anonymise()


@shared_task(ignore_result=True)
def record_landlords_figures() -> None:
    """Daily (beat): today's figures of every community this app serves, for the Party dashboards."""
    landlords_figures_record()
