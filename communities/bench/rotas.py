"""Data for the bench_rotas benchmark: one community, rotas with their own members, three shifts a day."""
import datetime as dt
import os
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..models import Community, Membership, Role, Rota, RotaMember, RotaSlot, Shift, ShiftAssignment, User

# Round the clock: a day, an evening and a night shift (the night one ends the next morning).
SHIFTS = ((dt.time(8), dt.time(16)), (dt.time(16), dt.time(0)), (dt.time(0), dt.time(8)))


def rotas_create(*, rotas: int, members: int, slug: str = "bench-rotas", name: str = "基准测试社区") -> list[Rota]:
    """``rotas`` rotas of ``members`` members each (nobody on two rotas) in a new community ``slug``."""
    with transaction.atomic():
        community = Community.objects.create(name=name, slug=slug, kind=Community.Kind.VILLAGE)
        users = User.objects.bulk_create([User(username=f"{slug}-{i}", password="!")
                                          for i in range(rotas * members)])
        Membership.objects.bulk_create([Membership(user=u, community=community, role=Role.STATION_STAFF)
                                        for u in users])
        created = Rota.objects.bulk_create([Rota(community=community, name=f"值班表{i}", kind=Rota.Kind.SECURITY)
                                            for i in range(rotas)])
        RotaMember.objects.bulk_create([RotaMember(rota=rota, user=users[r * members + m], order=m)
                                        for r, rota in enumerate(created) for m in range(members)])
        today = timezone.localdate()
        RotaSlot.objects.bulk_create([RotaSlot(rota=rota, weekdays=list(range(7)), starts_on=today, start_time=start,
                                               end_time=end) for rota in created for start, end in SHIFTS])
    return created


# --- measuring ------------------------------------------------------------------------------------------

@dataclass
class Split:
    """Where a measured run's time went: wall clock, this process's CPU (Python, the COPY producer thread
    included) and the PostgreSQL backend's CPU (read from /proc: None when the server is not on this machine
    or not readable), and the number of queries (each COPY counted as one)."""

    wall: float = 0.0
    python_cpu: float = 0.0
    backend_cpu: float | None = 0.0
    queries: int = 0

    def add(self, other: "Split") -> None:
        self.python_cpu += other.python_cpu
        self.backend_cpu = None if None in (self.backend_cpu, other.backend_cpu) else self.backend_cpu + other.backend_cpu
        self.queries += other.queries

    def describe(self) -> str:
        backend = "n/a" if self.backend_cpu is None else f"{self.backend_cpu:.2f} s"
        return (f"CPU: Python {self.python_cpu:.2f} s, PostgreSQL backend {backend}; "
                f"{self.queries} queries; load average {os.getloadavg()[0]:.2f}")


def _backend_cpu(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(work) -> Split:
    """Run ``work()`` on this process's connection and measure it (see Split)."""
    count = [0]

    # Counted by an execute wrapper, not CaptureQueriesContext: that one formats every statement with its
    # parameters (arrays of thousands of values here), which would be measured as generation time.
    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    backend, cpu, started = _backend_cpu(pid), time.process_time(), time.monotonic()
    with connection.execute_wrapper(counter):
        work()
    wall, cpu = time.monotonic() - started, time.process_time() - cpu
    after = _backend_cpu(pid)
    return Split(wall=wall, python_cpu=cpu, backend_cpu=None if None in (backend, after) else after - backend,
                 queries=count[0])


def year_generate(chunk) -> Split:
    """Generate the shifts of some rotas from ``now`` to ``until`` (in this process or a forked worker)."""
    from ..services.rota_generation import rota_generate_shifts

    rota_ids, now, until = chunk
    connection.close()  # a forked worker must not share the parent's connection
    rotas = list(Rota.objects.filter(pk__in=rota_ids).order_by("pk"))
    split = measured(lambda: [rota_generate_shifts(rota=rota, until=until, now=now) for rota in rotas])
    connection.close()
    return split


def tick_prepare(*, rotas: int, members: int, now) -> list[int]:
    """A town's rotas with their rolling horizon generated as of ``now`` (not measured), and the planner's
    statistics brought up to date, as autovacuum does in production long before the next day's tick."""
    from ..services.rota_generation import rota_keep_generated

    ids = [rota.pk for rota in rotas_create(rotas=rotas, members=members, slug="bench-town", name="基准测试镇")]
    for rota_id in ids:
        rota_keep_generated(rota_id=rota_id, now=now)
    # Without it the first tick after the year's bulk load plans the calendar and history reads as scans of
    # every assignment: 5.5 s of PostgreSQL CPU for the 260 rotas instead of 1.8 s.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Shift._meta.db_table}, {ShiftAssignment._meta.db_table}")
    return ids


def tick_run(*, rota_ids: list[int], now) -> Split:
    """What beat's daily fan-out then does, one task after another in one worker: each rota one day further."""
    from ..services.rota_generation import rota_keep_generated

    return measured(lambda: [rota_keep_generated(rota_id=rota_id, now=now) for rota_id in rota_ids])
