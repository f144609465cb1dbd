"""The election area's demo on a small 郡园: it runs through the services, elects five (the
committee area's members when they are seeded: they stand first), and runs twice harmlessly."""
import datetime as dt
from decimal import Decimal

import pytest

from communities.models import Community, Election, Residency, Role
from talents.demo.owners_election import demo_owners_election_seed
from talents.models import CandidateCheck, CommitteeElection, ElectionStep
from talents.selectors.owners_election import timeline

from ..factories import BuildingFactory, CommunityFactory, PersonFactory, ResidencyFactory, UnitFactory, make_member, serve

pytestmark = pytest.mark.django_db


def test_the_demo_elects_the_third_committee_with_the_handover_late():
    assert demo_owners_election_seed() == {}  # no 郡园
    community = CommunityFactory(slug="junyuan", name="郡园居民区", kind=Community.Kind.RESIDENTIAL)
    serve(community, "talents")
    building = BuildingFactory(community=community, name="1号楼")
    for i in range(30):
        unit = UnitFactory(building=building, room=f"{100 + i}", floor=1, floor_area=Decimal("400"))
        ResidencyFactory(person=PersonFactory(name=f"业主{i}"), unit=unit, relation=Residency.Relation.OWNER)
    make_member(community, Role.COMMITTEE_STAFF, username="staff_junyuan", name="李倩")
    director = make_member(community, Role.RESIDENT, username="jy_director", name="潘晓明",
                           unit=UnitFactory(building=building, room="201", floor=2, floor_area=Decimal("400")))
    report = demo_owners_election_seed()
    assert report["committee_elections"] == 1 and report["ballots"] >= 20
    election = CommitteeElection.objects.get(community=community, term_number=3)
    vote = Election.objects.get(pk=election.assembly.election_id)
    assert vote.status == Election.Status.PUBLISHED and vote.tally["quorum_met"]
    elected = [row for row in vote.tally["posts"][0]["candidates"] if row["elected"]]
    assert len(elected) == 5
    assert director.pk in {row["user_id"] for row in elected}  # the committee's director stood and was elected
    assert CandidateCheck.objects.filter(election=election, result="failed", reason="fees").count() == 1
    assert election.group.count() == 7 and election.group_formed_on == dt.date(2024, 9, 20)
    rows = {r.kind: r for r in timeline(election=election, today=dt.date(2026, 3, 10))}
    assert rows[ElectionStep.Kind.HANDOVER].done_late
    assert [k for k, r in rows.items() if r.late or r.done_late] == [ElectionStep.Kind.HANDOVER]
    assert rows[ElectionStep.Kind.RESULT].done_on == dt.date(2025, 1, 18)
    assert demo_owners_election_seed() == {"committee_elections": 1}  # again: left alone
