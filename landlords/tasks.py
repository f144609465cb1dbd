"""Thin Celery tasks of the 蓉庭 app: they call a service and are safe to run twice."""
from celery import shared_task

from .services.tenant_retention import tenant_records_anonymise


@shared_task(ignore_result=True)
def anonymise_tenant_records() -> None:
    """Daily (beat): anonymise tenant records past TENANT_RECORD_RETENTION_MONTHS after move-out."""
    tenant_records_anonymise()
