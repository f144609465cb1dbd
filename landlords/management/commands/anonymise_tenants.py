"""Anonymise tenant records past the retention period now (Celery beat does it daily)."""
from django.core.management.base import BaseCommand

from landlords.services.tenant_retention import tenant_records_anonymise


class Command(BaseCommand):
    help = ("Anonymise tenants who moved out more than TENANT_RECORD_RETENTION_MONTHS ago "
            "(also run daily by Celery beat).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be anonymised, change nothing")
        parser.add_argument("--months", type=int, default=None, help="override TENANT_RECORD_RETENTION_MONTHS")

    def handle(self, *args, dry_run, months, **options):
        report = tenant_records_anonymise(dry_run=dry_run, months=months)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} {report.registrations} tenant registrations and {report.people} people "
            f"(moved out before {report.cutoff.isoformat()}); "
            f"{report.kept} people kept (account, sublandlord, or a current or recent residency).")
