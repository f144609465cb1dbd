import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from communities.demo.seed import DEMO_LOGINS, demo_seed


class Command(BaseCommand):
    help = "Load the demo communities, their residents and one login per persona (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Run even with DEBUG off. Only for a throwaway database: the demo logins share a known password.",
        )

    def handle(self, *args, force=False, **options):
        # The demo logins all have settings.DEMO_PASSWORD: they must never reach a real deployment.
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates logins with a published password. "
                "Set DEBUG=1 for development, or pass --force on a throwaway database."
            )
        started = time.monotonic()
        report = demo_seed(password=settings.DEMO_PASSWORD)
        for seed in report.communities:
            self.stdout.write(self._community_line(seed))
        self._write_logins(report)
        for name, created in report.extensions.items():
            figures = ", ".join(f"{key} {value}" for key, value in created.items()) or "nothing new"
            self.stdout.write(f"{name}: {figures}.")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _community_line(self, seed) -> str:
        if seed.skipped:
            return f"{seed.name}: already has units, left as it is."
        return (f"{seed.name}: {seed.buildings} buildings, {seed.units} units ({seed.let} let), "
                f"{seed.people} people, {seed.residencies} residencies.")

    def _write_logins(self, report) -> None:
        created = ", ".join(report.users_created) or "none"
        self.stdout.write(f"Demo logins created: {created}.")
        self.stdout.write(f"Memberships created: {report.memberships_created}; "
                          f"pending registrations created: {report.registrations_created}.")
        if report.users_created:
            usernames = ", ".join(login.username for login in DEMO_LOGINS)
            self.stdout.write(f"Sign in as {usernames} with the password {settings.DEMO_PASSWORD!r}.")
