"""Recompute the dashboard's daily case figures now (Celery beat does it every minute)."""
import time

from django.core.management.base import BaseCommand

from communities.services.case_summaries import WINDOW_DAYS, case_summaries_refresh


class Command(BaseCommand):
    help = "Recompute the dashboard's daily case summaries for the recent days (also run by Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=WINDOW_DAYS, help="how many recent days to recompute")

    def handle(self, *args, days, **options):
        started = time.monotonic()
        rows = case_summaries_refresh(window_days=days)
        if rows is None:
            self.stdout.write("Another refresh is running; nothing done.")
            return
        self.stdout.write(f"{rows} daily summary rows recomputed in {time.monotonic() - started:.2f} s.")
