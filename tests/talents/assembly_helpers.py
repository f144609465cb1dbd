"""Helpers of the assembly area's tests (issue 15): open a vote on the test world, cast online and paper ballots,
publish."""
from communities.models import ElectionVoter
from communities.services import elections as core
from communities.services.paper_ballots import paper_ballot_confirm, paper_ballot_enter
from talents.models import OwnersAssembly, Scope
from talents.services import owners_assembly as svc

from .owners_world import NOW, at


def make_assembly(estate, staff, *, scope=Scope.ESTATE, building=None, entrance="", motions=(("使用维修资金维修外墙", 5),),
                  kind=OwnersAssembly.Kind.REGULAR, title="业主大会", open_it=True):
    assembly = svc.owners_assembly_create(
        actor=staff, community=estate.community, kind=kind, title=title, motions=list(motions), scope=scope,
        building=estate.buildings.get(building) if building else None, entrance=entrance, opens_at=at(0, 9),
        closes_at=at(10, 18), place="小区会所", notice_sent_on=NOW.date(), notice_housing_office=True,
        notice_residents_committee=True)
    if open_it:
        svc.assembly_open(actor=staff, assembly=assembly, now=NOW)
    assembly.refresh_from_db()
    return assembly


def answers(assembly, *choices):
    motions = list(assembly.election.motions.order_by("order", "id"))
    return {str(m.pk): c for m, c in zip(motions, choices)}


def vote(assembly, user, *choices):
    return svc.assembly_ballot_cast(assembly=assembly, actor=user, answers=answers(assembly, *choices), now=NOW)


def roll_row(assembly, name):
    """The counted roll row of the owner named ``name`` (a person's name) or the developer (``"开发商"``)."""
    rows = ElectionVoter.objects.filter(election_id=assembly.election_id, counted=True).select_related("person")
    for row in rows:
        if (row.person and row.person.name == name) or (name == "开发商" and row.label.startswith("开发商")):
            return row
    raise LookupError(name)


def paper(assembly, staff, staff2, name, *choices):
    """A paper ballot typed by ``staff`` and confirmed by ``staff2``: it counts."""
    row = roll_row(assembly, name)
    p = paper_ballot_enter(actor=staff, election=assembly.election, voter_id=row.pk, choices={},
                           motions=answers(assembly, *choices), now=NOW)
    paper_ballot_confirm(actor=staff2, paper_id=p.pk, now=NOW)


def publish(assembly, staff):
    core.election_close(election=assembly.election, actor=staff, now=at(11, 9))
    core.election_publish(election=assembly.election, actor=staff, now=at(11, 10))
    assembly.refresh_from_db()
    assembly.election.refresh_from_db()
    return assembly.election.tally
