"""Seat-taking benchmark: bursts of 20 concurrent enrolment requests for the seats of one class, on PostgreSQL.

    python manage.py bench_seats --database-url postgres://postgres@127.0.0.1:5432/luodian_seatbench \
        [--rounds 10] [--contenders 20] [--seats 8] [--keep]

Creates the scratch database (marked, so it never touches one it did not make), migrates it, then in a child
process pointed at it (DEBUG off, as in production) fires the bursts of talents.bench.bench_seats through the
class page's enrol form and prints the requests, seats, entries enrolled and waitlisted, p50/p95 latency and the
over-allocated seats found in the database (none). The scratch database is dropped at the end unless --keep.
Give each user of the machine their own --database-url. A benchmark prints figures; it is not a timed test.
"""
from django.core.management.base import BaseCommand, CommandError

from communities.bench.scratch_db import run_pages_bench

TOOL = "bench_seats"


class Command(BaseCommand):
    help = "Fire concurrent enrolment requests at one class's seats and check no seat is given twice."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/luodian_seatbench",
                            help="scratch PostgreSQL database on this machine; created, and dropped unless --keep")
        parser.add_argument("--rounds", type=int, default=10, help="bursts, each for a new class")
        parser.add_argument("--contenders", type=int, default=20, help="concurrent requests in each burst")
        parser.add_argument("--seats", type=int, default=8, help="seats of each class")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
        parser.add_argument("--inner", action="store_true", help=
                            "internal: run the measurement in this process (DATABASE_URL is the scratch database)")

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._measure(opts)
        if not 2 <= opts["contenders"] <= 100 or not 1 <= opts["seats"] <= 200:
            raise CommandError("--contenders 2–100 and --seats 1–200.")
        run_pages_bench(tool=TOOL, database_url=opts["database_url"], keep=opts["keep"], write=self.stdout.write,
                        inner_args=["--rounds", str(opts["rounds"]), "--contenders",
                                    str(opts["contenders"]), "--seats", str(opts["seats"])])

    def _measure(self, opts) -> None:
        from talents.bench import bench_seats

        figures, over, twice = bench_seats.run(rounds=opts["rounds"], contenders=opts["contenders"],
                                               seats=opts["seats"], write=self.stdout.write)
        unanswered = sum(n for answer, n in figures.answers.items() if answer != "answered")
        if over or twice or unanswered:
            raise CommandError("A seat was given twice, a person entered twice, or a request went unanswered: "
                               "see above.")
