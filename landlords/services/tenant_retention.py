"""Tenant records are kept only as long as needed (TENANT_RECORD_RETENTION_MONTHS after move-out).

A person is anonymised (name → "已匿名租客", phone cleared) only when nothing else still needs them: no user
account, not a sublandlord, and no residency that is active or ended within the retention period. The
residency and registration rows stay (dates, unit) so that counts and the scorecard still add up.
"""
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communities.models import Person, Residency, Unit
from communities.services.audit import audit

from ..models import TenantRegistration
from ..models.rentals import ANONYMISED_NAME


@dataclass
class AnonymiseReport:
    cutoff: date
    registrations: int = 0
    people: int = 0
    kept: int = 0  # people whose expired registrations wait: an account, or a home they still need
    dry_run: bool = False


def retention_cutoff(*, today: date, months: int | None = None) -> date:
    """Records of tenants who moved out before this date are anonymised."""
    months = settings.TENANT_RECORD_RETENTION_MONTHS if months is None else months
    return today - relativedelta(months=months)


def _people_still_needed(cutoff: date):
    recent = Residency.objects.filter(person=OuterRef("pk")).filter(Q(moved_out__isnull=True)
                                                                     | Q(moved_out__gte=cutoff))
    return Q(user__isnull=False) | Exists(recent) | Exists(Unit.objects.filter(sublandlord=OuterRef("pk")))


def tenant_records_anonymise(*, now=None, months: int | None = None, dry_run: bool = False) -> AnonymiseReport:
    """Anonymise the tenants who moved out before the cut-off. Idempotent: anonymised rows are skipped."""
    now = now or timezone.now()
    report = AnonymiseReport(cutoff=retention_cutoff(today=timezone.localdate(now), months=months), dry_run=dry_run)
    expired = TenantRegistration.objects.filter(anonymised_at__isnull=True, moved_out__lt=report.cutoff)
    person_ids = set(expired.values_list("residency__person_id", flat=True))
    if not person_ids:
        return report
    needed = set(Person.objects.filter(pk__in=person_ids).filter(_people_still_needed(report.cutoff))
                 .values_list("pk", flat=True))
    to_clear = person_ids - needed
    report.kept = len(needed)
    if dry_run:
        report.people = len(to_clear)
        report.registrations = expired.filter(residency__person_id__in=to_clear).count()
        return report
    with transaction.atomic():
        # Conditional updates: a second run at the same moment finds nothing left to change.
        report.registrations = expired.filter(residency__person_id__in=to_clear).update(anonymised_at=now)
        report.people = Person.objects.filter(pk__in=to_clear).exclude(name=ANONYMISED_NAME, phone="") \
            .update(name=ANONYMISED_NAME, phone="")
        if report.registrations or report.people:
            audit(actor=None, action="tenants.anonymise", cutoff=report.cutoff.isoformat(),
                  registrations=report.registrations, people=report.people, kept=report.kept)
    return report
