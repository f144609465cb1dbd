"""Gate benchmark: the gate's entry and exit requests (and the payment) through the Django test client on
PostgreSQL, median and p95 in ms (target: median under 50 ms).

    python manage.py bench_gate --database-url postgres://postgres@127.0.0.1:5432/luodian_gatebench \
        [--cars 100] [--keep]

Creates the scratch database (marked, so it never touches one it did not make), migrates it, then in a child
process pointed at it (DEBUG off, as in production) runs propertyservice.bench.gate_bench and prints the
figures. The scratch database is dropped at the end unless --keep. A benchmark prints figures; it is not a timed
test."""
from django.core.management.base import BaseCommand, CommandError

from communities.bench.scratch_db import run_pages_bench

TOOL = "bench_gate"


class Command(BaseCommand):
    help = "Time the gate's entry and exit requests (median and p95, ms)."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/luodian_gatebench",
                            help="scratch PostgreSQL database on this machine; created, and dropped unless --keep")
        parser.add_argument("--cars", type=int, default=100, help="outside cars logged in, then out")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
        parser.add_argument("--inner", action="store_true", help=
                            "internal: run the measurement in this process (DATABASE_URL is the scratch database)")

    def handle(self, *args, **opts):
        if not 1 <= opts["cars"] <= 2000:
            raise CommandError("--cars 1–2000.")
        if opts["inner"]:
            from propertyservice.bench import gate_bench

            figures = gate_bench.run(cars=opts["cars"], write=self.stdout.write)
            median = max(figures["enter"][0], figures["exit"][0])
            self.stdout.write(f"target median < 50 ms: {'met' if median < 50 else 'NOT met'}")
            return
        run_pages_bench(tool=TOOL, database_url=opts["database_url"], keep=opts["keep"], write=self.stdout.write,
                        inner_args=["--cars", str(opts["cars"])])
