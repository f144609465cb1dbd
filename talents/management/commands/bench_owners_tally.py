"""The owners' tally at district scale (issue 15, item 10):

    DEBUG=1 .venv/bin/python manage.py bench_owners_tally [--units 20000] [--turnout 0.7] [--rounds 5]

Builds a scratch estate of ``--units`` units (bulk_create: buildings of 100 units, an owner each, one unit in 20
co-owned, one in 50 unsold) in the configured database, opens an owners' assembly on it through the assembly
services (the core takes the roll with ``owners_roll``), casts ballots for ``--turnout`` of the owner groups in
bulk, then times the core's tally (``election_tally``) and the assembly page's reads (``assembly_page``) and
prints the median of ``--rounds`` runs and the query count of each. Everything runs in one transaction that is
rolled back: nothing is left behind. A benchmark prints figures; it is not a timed test.
"""
import datetime as dt
import random
import secrets
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from communities.models import (Ballot, Building, Community, ElectionVoter, Membership, MotionVote, Person, Residency,
                                Role, Unit, User)
from communities.services.election_count import election_tally
from talents.models import OwnersAssembly
from talents.selectors.owners_assembly import assembly_page
from talents.services import owners_assembly as svc


MOVED_IN = dt.date(2015, 6, 1)


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the owners' tally of a district-size estate (scratch data, rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=20000)
        parser.add_argument("--turnout", type=float, default=0.7)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=15)

    def handle(self, *args, **opts):
        if not 10 <= opts["units"] <= 100000 or not 0 < opts["turnout"] <= 1:
            raise CommandError("--units 10–100000, --turnout in (0, 1].")
        try:
            with transaction.atomic():
                self._run(opts)
                raise _Rollback
        except _Rollback:
            self.stdout.write("scratch estate rolled back")

    def _estate(self, n: int, rng: random.Random):
        tag = secrets.token_hex(4)
        community = Community.objects.create(slug=f"bench-owners-{tag}", name=f"基准测试小区 {tag}",
                                             kind=Community.Kind.RESIDENTIAL)
        buildings = Building.objects.bulk_create([Building(community=community, name=f"{b + 1}号楼")
                                                  for b in range((n + 99) // 100)])
        units = Unit.objects.bulk_create([
            Unit(building=buildings[i // 100], floor=(i % 100) // 4 + 1, room=f"{(i % 100) // 4 + 1}{i % 4 + 1:02d}",
                 entrance=f"{i % 4 // 2 + 1}单元", floor_area=Decimal(rng.randint(6000, 16000)) / 100)
            for i in range(n)])
        owned = [u for i, u in enumerate(units) if i % 50 != 49]  # one in 50 unsold
        persons = Person.objects.bulk_create([Person(name=f"业主{i}") for i in range(len(owned) + len(owned) // 20)])
        rows = [Residency(person=persons[i], unit=u, relation=Residency.Relation.OWNER, moved_in=MOVED_IN) for i, u in enumerate(owned)]
        rows += [Residency(person=persons[len(owned) + j], unit=owned[j * 20], relation=Residency.Relation.OWNER,
                           moved_in=MOVED_IN)
                 for j in range(len(owned) // 20)]  # co-owners
        Residency.objects.bulk_create(rows)
        staff = User.objects.create(username=f"bench-staff-{tag}")
        Membership.objects.create(user=staff, community=community, role=Role.COMMITTEE_STAFF)
        return community, staff

    def _cast(self, assembly, turnout: float, rng: random.Random) -> int:
        election = assembly.election
        motion = election.motions.get()
        voters = [v for v in ElectionVoter.objects.filter(election=election, counted=True).only("id", "weight",
                                                                                                  "share_key")
                  if rng.random() < turnout]
        ballots = Ballot.objects.bulk_create([Ballot(election=election, receipt_hash=secrets.token_hex(32),
                                                     weight=v.weight) for v in voters])
        MotionVote.objects.bulk_create([MotionVote(ballot=b, motion=motion,
                                                   choice="for" if rng.random() < 0.8 else "against")
                                        for b in ballots])
        ElectionVoter.objects.filter(election=election, pk__in=[v.pk for v in voters]).update(has_voted=True)
        keys = {v.share_key for v in voters if v.share_key}
        ElectionVoter.objects.filter(election=election, share_key__in=keys).update(has_voted=True)
        return len(voters)

    def _time(self, fn, rounds):
        times, queries = [], 0
        for _ in range(rounds):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            queries = len(ctx)
        return statistics.median(times), queries

    def _run(self, opts) -> None:
        rng = random.Random(opts["seed"])
        start = time.perf_counter()
        community, staff = self._estate(opts["units"], rng)
        now = dt.datetime(2026, 3, 10, 10, tzinfo=dt.timezone.utc)
        assembly = svc.owners_assembly_create(
            actor=staff, community=community, kind=OwnersAssembly.Kind.REGULAR, title="基准测试表决",
            motions=[("使用维修资金", 5)], opens_at=now, closes_at=now + dt.timedelta(days=10), place="会所",
            notice_sent_on=now.date(), notice_housing_office=True, notice_residents_committee=True)
        t_open = time.perf_counter()
        svc.assembly_open(actor=staff, assembly=assembly, now=now)
        t_open = time.perf_counter() - t_open
        cast = self._cast(assembly, opts["turnout"], rng)
        heads = ElectionVoter.objects.filter(election_id=assembly.election_id, counted=True).count()
        self.stdout.write(f"estate: {opts['units']} units, roll {heads} owner groups, {cast} ballots "
                          f"({100 * cast / heads:.1f} %); built in {time.perf_counter() - start:.1f} s, "
                          f"roll taken in {t_open:.2f} s")
        tally_s, tally_q = self._time(lambda: election_tally(election=assembly.election), opts["rounds"])
        tally = election_tally(election=assembly.election)
        self.stdout.write(f"tally (election_tally): median {tally_s * 1000:.0f} ms of {opts['rounds']}, "
                          f"{tally_q} queries; participation met {tally['quorum_met']}, "
                          f"motion passed {tally['motions'][0]['passed']}")
        election = assembly.election
        election.status, election.tally = "published", tally
        election.save(update_fields=["status", "tally"])
        assembly.deemed_consent = True
        assembly.save(update_fields=["deemed_consent"])
        page = OwnersAssembly.objects.select_related("election", "building", "community").get(pk=assembly.pk)
        page_s, page_q = self._time(lambda: assembly_page(assembly=page, user=staff), opts["rounds"])
        self.stdout.write(f"assembly page reads (published, deemed consent on): median {page_s * 1000:.0f} ms, "
                          f"{page_q} queries")
