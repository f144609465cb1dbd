"""Room-booking benchmark: bursts of 20 concurrent booking requests for overlapping slots, on PostgreSQL.

    python manage.py bench_rooms --database-url postgres://postgres@127.0.0.1:5432/luodian_roombench \
        [--rounds 10] [--slots 4] [--per-slot 5] [--keep]

Creates the scratch database (marked, so it never touches one it did not make), migrates it, then in a child
process pointed at it (DEBUG off, as in production) fires the bursts of communities.bench.bench_rooms through
the booking page and prints the requests, successes (one per slot), clashes, p50/p95 latency and the double
bookings found in the database (none). The scratch database is dropped at the end unless --keep. Give each user
of the machine their own --database-url. A benchmark prints figures; it is not a timed test.
"""
from django.core.management.base import BaseCommand, CommandError

from communities.bench.scratch_db import run_pages_bench

TOOL = "bench_rooms"


class Command(BaseCommand):
    help = "Fire concurrent booking requests for overlapping slots at one room and check nothing is double booked."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/luodian_roombench",
                            help="scratch PostgreSQL database on this machine; created, and dropped unless --keep")
        parser.add_argument("--rounds", type=int, default=10, help="bursts, each on another day")
        parser.add_argument("--slots", type=int, default=4, help="separate slots asked for in each burst")
        parser.add_argument("--per-slot", type=int, default=5, help="overlapping requests for each slot")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
        parser.add_argument("--inner", action="store_true", help=
                            "internal: run the measurement in this process (DATABASE_URL is the scratch database)")

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._measure(opts)
        if not 1 <= opts["slots"] <= 7 or not 1 <= opts["per_slot"] <= 50:
            raise CommandError("--slots 1–7 (two hours apart from 08:00, within one day) and --per-slot 1–50.")
        run_pages_bench(tool=TOOL, database_url=opts["database_url"], keep=opts["keep"], write=self.stdout.write,
                        inner_args=["--rounds", str(opts["rounds"]), "--slots", str(opts["slots"]),
                                    "--per-slot", str(opts["per_slot"])])

    def _measure(self, opts) -> None:
        import logging

        from communities.bench import bench_rooms

        logging.getLogger("django.request").setLevel(logging.ERROR)  # each clash is a 400 "Bad Request" line

        figures = bench_rooms.run(rounds=opts["rounds"], slots=opts["slots"], per_slot=opts["per_slot"],
                                  write=self.stdout.write)
        if figures.errors or any(n != 1 for n in figures.wins_per_slot.values()) or \
                bench_rooms.double_bookings():
            raise CommandError("Something other than one win per slot and clashes for the rest: see above.")
