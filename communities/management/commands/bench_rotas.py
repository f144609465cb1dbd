"""Shift-generation benchmark: one year of shifts for 200 rotas with three shifts a day, on PostgreSQL.

    python manage.py bench_rotas --database-url postgres://postgres@127.0.0.1:5432/luodian_rotabench \
        [--rotas 200] [--members 6] [--days 365] [--workers 1] [--tick-rotas 260] [--keep]

Creates the scratch database (marked, so it never touches one it did not make), migrates it, then in a
child process pointed at it creates the rotas and times ``rota_generate_shifts`` for each, printing the
elapsed seconds, the number of queries and where the time went (Python's CPU, the PostgreSQL backend's
CPU). Then the daily rolling tick of a town: its rotas' four-week horizons generated, then each one day
further, as beat's daily fan-out does. The scratch database is dropped at the end unless --keep.
Give each user of the machine their own --database-url. A benchmark prints figures; it is not a timed test.
"""
import datetime as dt
import multiprocessing
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from communities.bench.scratch_db import parse_scratch_url, scratch_create, scratch_drop

TOOL = "bench_rotas"
TARGET_SECONDS = 10.0


class Command(BaseCommand):
    help = "Time one year of shift generation for 200 rotas (three shifts a day) on a scratch PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/luodian_rotabench",
                            help="scratch PostgreSQL database on this machine; created, and dropped unless --keep")
        parser.add_argument("--rotas", type=int, default=200)
        parser.add_argument("--members", type=int, default=6, help="members per rota")
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--workers", type=int, default=1,
                            help="processes generating at once, as Celery workers take beat's one-task-per-rota "
                                 "fan-out (default 1: the whole year in one process)")
        parser.add_argument("--tick-rotas", type=int, default=260,
                            help="rotas of a town for the daily rolling tick, measured after the year (0: skip)")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
        parser.add_argument("--inner", action="store_true", help=
                            "internal: run the measurement in this process (DATABASE_URL is the scratch database)")

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._measure(opts)
        db = parse_scratch_url(opts["database_url"], tool=TOOL)
        scratch_create(db, tool=TOOL)
        try:
            env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
            env.update({"DATABASE_URL": opts["database_url"], "DEBUG": "0", "CONN_MAX_AGE": "0",
                        "SECRET_KEY": env.get("SECRET_KEY") or "bench-rotas-scratch-only",
                        "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"})
            manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
            self.stdout.write(f"Created {db['NAME']!r}; migrating …")
            subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=settings.BASE_DIR, check=True,
                           timeout=900)
            subprocess.run([*manage, "bench_rotas", "--inner", "--rotas", str(opts["rotas"]), "--members",
                            str(opts["members"]), "--days", str(opts["days"]), "--workers", str(opts["workers"]),
                            "--tick-rotas", str(opts["tick_rotas"])],
                           env=env, cwd=settings.BASE_DIR, check=True, timeout=900)
        finally:
            if not opts["keep"] and scratch_drop(db, tool=TOOL):
                self.stdout.write(f"Dropped {db['NAME']!r}.")

    # --- the measurement (child process) ------------------------------------------------------------

    def _measure(self, opts) -> None:
        from django.db import connection
        from django.utils import timezone

        from communities.bench import rotas as bench
        from communities.models import Shift, ShiftAssignment

        rota_ids = [rota.pk for rota in bench.rotas_create(rotas=opts["rotas"], members=opts["members"])]
        now = timezone.now()
        until = now + dt.timedelta(days=opts["days"])
        workers = max(1, opts["workers"])
        self.stdout.write(f"Generating {opts['days']} days of shifts for {len(rota_ids)} rotas "
                          f"({opts['members']} members each, three shifts a day) in {workers} process(es) …")
        connection.close()  # forked workers must not share the parent's connection
        chunks = [(rota_ids[i::workers], now, until) for i in range(workers)]
        started = time.monotonic()
        if workers == 1:
            splits = [bench.year_generate(chunks[0])]
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                splits = pool.map(bench.year_generate, chunks)
        elapsed = time.monotonic() - started
        split = bench.Split(wall=elapsed)
        for part in splits:
            split.add(part)
        shifts, assignments = Shift.objects.count(), ShiftAssignment.objects.count()
        verdict = "within" if elapsed < TARGET_SECONDS else "OVER"
        self.stdout.write(f"{shifts:,} shifts, {assignments:,} assignments in {elapsed:.2f} s "
                          f"({verdict} the {TARGET_SECONDS:.0f} s target); {split.queries} queries "
                          f"({split.queries / len(rota_ids):.1f} per rota, independent of the number of shifts).")
        self.stdout.write(f"  {split.describe()}")
        if opts["tick_rotas"]:
            self._tick(opts, now=now)

    def _tick(self, opts, *, now) -> None:
        from communities.bench import rotas as bench

        rota_ids = bench.tick_prepare(rotas=opts["tick_rotas"], members=opts["members"], now=now)
        split = bench.tick_run(rota_ids=rota_ids, now=now + dt.timedelta(days=1))
        self.stdout.write(f"Daily tick (what beat runs): {len(rota_ids)} rotas, one more day each, one after "
                          f"another in one worker: {split.wall:.2f} s ({split.wall / len(rota_ids) * 1000:.1f} ms "
                          f"per rota).")
        self.stdout.write(f"  {split.describe()}")
