"""The seat-taking benchmark (``manage.py bench_seats``): bursts of concurrent enrolment requests for one class,
through the whole page (middleware, session, form, policy, service, database), each request on its own thread and
database connection, all released at once by a barrier.

Each round opens a new first-come class of ``seats`` seats and has ``contenders`` residents ask for it at the same
moment; every other resident asks for themself and a grandchild (two seats), so an entry that does not fit whole
waits even while a seat is free. The service locks the class row: the enrolled entries' seats never exceed the
class's, and everyone else is on the waitlist, in order. At the end the database is searched for a class whose
enrolled seats exceed its capacity, or a person enrolled twice in one class: there must be none.
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

from communities.models import Community, CommunityApp, Membership, Person, Role, Team, User

from ..models import Enrolment, Studio, TalentClass
from ..services.children import child_add

OVER_ALLOCATION_SQL = """
SELECT coalesce(sum(GREATEST(taken - capacity, 0)), 0) FROM (
  SELECT c.id, c.capacity, coalesce(sum(e.seats), 0) AS taken
    FROM talents_talentclass c LEFT JOIN talents_enrolment e ON e.talent_class_id = c.id AND e.status = 'enrolled'
   WHERE c.studio_id = %s GROUP BY c.id, c.capacity) per_class
"""
TWICE_SQL = """
SELECT count(*) FROM (
  SELECT e.talent_class_id, p.person_id FROM talents_enrolmentperson p JOIN talents_enrolment e ON e.id = p.enrolment_id
   WHERE e.status IN ('enrolled', 'offered', 'waiting') GROUP BY e.talent_class_id, p.person_id HAVING count(*) > 1) d
"""


@dataclass
class Figures:
    requests: int = 0
    seats: int = 0
    enrolled_entries: int = 0
    enrolled_seats: int = 0
    waitlisted_entries: int = 0
    waitlisted_seats: int = 0
    answers: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    wall: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    def lines(self, *, over_allocated: int, twice: int) -> list[str]:
        return [
            f"requests: {self.requests} ({self.requests / self.wall:.1f} req/s over {self.wall:.2f} s of bursts)",
            f"seats offered: {self.seats}",
            f"enrolled: {self.enrolled_entries} entries, {self.enrolled_seats} seats",
            f"waitlisted: {self.waitlisted_entries} entries, {self.waitlisted_seats} seats",
            f"answers: {dict(self.answers)}",
            f"latency: p50 {self.percentile(50):.1f} ms, p95 {self.percentile(95):.1f} ms, "
            f"max {max(self.latencies) * 1000:.1f} ms, mean {statistics.fmean(self.latencies) * 1000:.1f} ms",
            f"over-allocated seats found in the database: {over_allocated}",
            f"people in two open entries of one class: {twice}",
        ]


def world_create(*, contenders: int, slug: str = "bench-seats", now: dt.datetime) -> tuple[Studio, list[tuple]]:
    """A community served by 郡园 with one studio, and ``contenders`` residents; every other one a grandparent with
    a grandchild of six. Returns the studio and each resident's (user id, person ids to enrol)."""
    with transaction.atomic():
        community = Community.objects.create(name="报名基准测试社区", slug=slug, kind=Community.Kind.RESIDENTIAL)
        CommunityApp.objects.create(community=community, app_label="talents")
        host = User.objects.create(username=f"{slug}-host", password="!")
        Membership.objects.create(user=host, community=community, role=Role.TALENT)
        team = Team.objects.create(community=community, name="墨香工作室", kind=Team.Kind.STUDIO)
        studio = Studio.objects.create(team=team, slug=slug, talent_kind=Studio.TalentKind.CALLIGRAPHY)
        users = User.objects.bulk_create([User(username=f"{slug}-{i}", password="!") for i in range(contenders)])
        Membership.objects.bulk_create([Membership(user=u, community=community, role=Role.RESIDENT) for u in users])
        people = Person.objects.bulk_create([Person(name=f"居民{i}", user=u) for i, u in enumerate(users)])
        entrants = []
        for i, (user, person) in enumerate(zip(users, people)):
            ids = [person.pk]
            if i % 2:
                ids.append(child_add(guardian=user, community=community, name=f"孙辈{i}", birth_year=now.year - 6,
                                     birth_month=1, relation="grandparent", pickup_phone=f"1390000{i:04d}",
                                     consent=True, now=now).child_id)
            entrants.append((user.pk, ids))
    studio.bench_host = host
    return studio, entrants


def class_open(*, studio: Studio, seats: int, round_no: int, now: dt.datetime) -> TalentClass:
    return TalentClass.objects.create(
        studio=studio, title=f"书法班 第{round_no + 1}期", capacity=seats, rrule="FREQ=WEEKLY;BYDAY=SA",
        first_starts_at=now + dt.timedelta(days=7), organiser=studio.bench_host, status=TalentClass.Status.OPEN,
        opens_at=now - dt.timedelta(hours=1))


def _post(client: Client, url: str, person_ids: list[int]) -> tuple[str, float]:
    began = time.monotonic()
    response = client.post(url, {"people": person_ids}, secure=True, HTTP_X_FORWARDED_PROTO="https")
    took = time.monotonic() - began
    return ("answered" if response.status_code == 302 else f"HTTP {response.status_code}"), took


def burst(*, talent_class: TalentClass, entrants: list[tuple], figures: Figures) -> None:
    """One round: one request per resident, released together."""
    url = reverse("talents:class_enrol", args=[talent_class.pk])
    barrier = threading.Barrier(len(entrants))
    answers, lock = [], threading.Lock()

    def attempt(user_id, person_ids):
        try:
            client = Client()
            client.force_login(User.objects.get(pk=user_id))  # session and connection ready before the barrier
            barrier.wait(timeout=60)
            outcome, took = _post(client, url, person_ids)
        except Exception as exc:  # noqa: BLE001 - counted, the benchmark goes on
            outcome, took = f"{type(exc).__name__}", 0.0
        finally:
            connection.close()
        with lock:
            answers.append((outcome, took))

    threads = [threading.Thread(target=attempt, args=entrant) for entrant in entrants]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    figures.wall += time.monotonic() - began
    for outcome, took in answers:
        figures.requests += 1
        figures.answers[outcome] += 1
        if took:
            figures.latencies.append(took)
    figures.seats += talent_class.capacity
    for entry in Enrolment.objects.filter(talent_class=talent_class):
        if entry.status == Enrolment.Status.ENROLLED:
            figures.enrolled_entries += 1
            figures.enrolled_seats += entry.seats
        elif entry.status == Enrolment.Status.WAITING:
            figures.waitlisted_entries += 1
            figures.waitlisted_seats += entry.seats
        else:
            figures.answers[f"entry {entry.status}"] += 1


def over_allocated(studio: Studio) -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVER_ALLOCATION_SQL, [studio.pk])
        return cursor.fetchone()[0]


def twice() -> int:
    with connection.cursor() as cursor:
        cursor.execute(TWICE_SQL)
        return cursor.fetchone()[0]


def run(*, rounds: int, contenders: int, seats: int, write=print) -> tuple[Figures, int, int]:
    now = timezone.now()
    studio, entrants = world_create(contenders=contenders, now=now)
    figures = Figures()
    write(f"{rounds} rounds of {contenders} concurrent enrolment requests for a class of {seats} seats (every other "
          f"request for two people), one thread and database connection per request …")
    for r in range(rounds):
        burst(talent_class=class_open(studio=studio, seats=seats, round_no=r, now=now), entrants=entrants,
              figures=figures)
    over, dup = over_allocated(studio), twice()
    for line in figures.lines(over_allocated=over, twice=dup):
        write(f"  {line}")
    write(f"  load average {os.getloadavg()[0]:.2f} (every request is a Python thread of this one process: the "
          f"latency includes waiting for the GIL and for the class's row lock, which seats one entry at a time)")
    return figures, over, dup
