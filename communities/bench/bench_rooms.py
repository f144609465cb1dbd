"""The room-booking benchmark (``manage.py bench_rooms``): bursts of concurrent booking requests for overlapping
slots, through the whole page (middleware, session, form, service, database), each request on its own thread
and database connection, all released at once by a barrier.

Each round books ``slots`` separate slots of one room; ``per_slot`` people ask for each slot at the same moment,
each for an hour starting a few minutes after the one before, so every request of a slot overlaps every other of
it. Exactly one request per slot may win; the others must be told of the clash. At the end the database is
searched for two live bookings of one room that overlap: there must be none.
"""
import datetime as dt
import os
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..models import Community, Membership, Role, Room, RoomBooking, User

CLASH = "该时段已被占用"
DOUBLE_BOOKINGS_SQL = """
SELECT count(*) FROM communities_roombooking a JOIN communities_roombooking b
  ON a.room_id = b.room_id AND a.id < b.id AND a.cancelled_at IS NULL AND b.cancelled_at IS NULL
 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
"""


@dataclass
class Figures:
    requests: int = 0
    successes: int = 0
    clashes: int = 0
    errors: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    wins_per_slot: Counter = field(default_factory=Counter)
    wall: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    def lines(self, *, slots: int, double_bookings: int) -> list[str]:
        per_slot = Counter(self.wins_per_slot.values())
        lost_slots = slots - len(self.wins_per_slot)
        return [
            f"requests: {self.requests} ({self.requests / self.wall:.1f} req/s over {self.wall:.2f} s of bursts)",
            f"successes: {self.successes} for {slots} slots — slots won once: {per_slot.get(1, 0)}, "
            f"won more than once: {sum(n for k, n in per_slot.items() if k > 1)}, won by nobody: {lost_slots}",
            f"clashes (told whose booking holds the slot): {self.clashes}",
            f"other answers: {dict(self.errors) or 'none'}",
            f"latency: p50 {self.percentile(50):.1f} ms, p95 {self.percentile(95):.1f} ms, "
            f"max {max(self.latencies) * 1000:.1f} ms, mean {statistics.fmean(self.latencies) * 1000:.1f} ms",
            f"double bookings found in the database: {double_bookings}",
        ]


def world_create(*, contenders: int, slug: str = "bench-rooms") -> tuple[Room, list[int]]:
    """A community with one room and ``contenders`` talent hosts who may book it."""
    with transaction.atomic():
        community = Community.objects.create(name="活动室基准测试社区", slug=slug, kind=Community.Kind.RESIDENTIAL)
        room = Room.objects.create(community=community, name="多功能厅", where="党群服务中心 二楼", capacity=60)
        users = User.objects.bulk_create([User(username=f"{slug}-{i}", password="!") for i in range(contenders)])
        Membership.objects.bulk_create([Membership(user=u, community=community, role=Role.TALENT) for u in users])
    return room, [u.pk for u in users]


def _post(client: Client, url: str, start: dt.datetime) -> tuple[str, float]:
    end = start + dt.timedelta(hours=1)
    data = {"title": f"活动 {start:%H:%M}", "day": start.date().isoformat(), "start_time": f"{start:%H:%M}",
            "end_time": f"{end:%H:%M}"}
    began = time.monotonic()
    response = client.post(url, data, secure=True, HTTP_X_FORWARDED_PROTO="https")
    took = time.monotonic() - began
    if response.status_code == 302:
        return "success", took
    if response.status_code == 400 and CLASH in response.content.decode():
        return "clash", took
    return f"HTTP {response.status_code}", took


def burst(*, room: Room, user_ids: list[int], day: dt.date, slots: int, per_slot: int, figures: Figures) -> None:
    """One round: ``slots * per_slot`` requests, released together."""
    url = reverse("communities:room_detail", args=[room.pk])
    tz = timezone.get_default_timezone()
    step = dt.timedelta(minutes=max(1, 50 // per_slot))  # every request of a slot starts within its first 50 min
    jobs = [(s, dt.datetime.combine(day, dt.time(8), tzinfo=tz) + dt.timedelta(hours=2 * s) + j * step,
             user_ids[s * per_slot + j]) for s in range(slots) for j in range(per_slot)]
    barrier = threading.Barrier(len(jobs))
    answers, lock = [], threading.Lock()

    def attempt(slot, start, user_id):
        try:
            client = Client()
            client.force_login(User.objects.get(pk=user_id))  # session and connection ready before the barrier
            barrier.wait(timeout=60)
            outcome, took = _post(client, url, start)
        except Exception as exc:  # noqa: BLE001 - counted, the benchmark goes on
            outcome, took = f"{type(exc).__name__}", 0.0
        finally:
            connection.close()
        with lock:
            answers.append((slot, outcome, took))

    threads = [threading.Thread(target=attempt, args=job) for job in jobs]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    figures.wall += time.monotonic() - began
    for slot, outcome, took in answers:
        figures.requests += 1
        if took:
            figures.latencies.append(took)
        if outcome == "success":
            figures.successes += 1
            figures.wins_per_slot[(day, slot)] += 1
        elif outcome == "clash":
            figures.clashes += 1
        else:
            figures.errors[outcome] += 1


def double_bookings() -> int:
    with connection.cursor() as cursor:
        cursor.execute(DOUBLE_BOOKINGS_SQL)
        return cursor.fetchone()[0]


def run(*, rounds: int, slots: int, per_slot: int, write=print) -> Figures:
    room, user_ids = world_create(contenders=slots * per_slot)
    first_day = timezone.localdate() + dt.timedelta(days=2)
    figures = Figures()
    write(f"{rounds} rounds of {slots * per_slot} concurrent booking requests ({slots} slots, {per_slot} "
          f"overlapping requests each), one thread and database connection per request …")
    for r in range(rounds):
        burst(room=room, user_ids=user_ids, day=first_day + dt.timedelta(days=r), slots=slots, per_slot=per_slot,
              figures=figures)
    live = RoomBooking.objects.filter(room=room, cancelled_at__isnull=True).count()
    for line in figures.lines(slots=rounds * slots, double_bookings=double_bookings()):
        write(f"  {line}")
    write(f"  live bookings of the room: {live} (expected {rounds * slots}); load average "
          f"{os.getloadavg()[0]:.2f} (every request is a Python thread of this one process: the latency includes "
          f"waiting for the GIL and for the room's lock, which serves one booking of the room at a time)")
    return figures
