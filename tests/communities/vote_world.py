"""Set-up for the decision engine's tests: owners of units with areas, villagers with birth dates, a draft
election with motions, and a fixed clock (every service here takes ``now``)."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from communities.models import Residency, Role
from communities.services import elections as svc
from tests.factories import PersonFactory, ResidencyFactory, UnitFactory, make_member

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)  # a Monday morning in Shanghai


def unit(building, area, room=None):
    return UnitFactory(building=building, floor_area=Decimal(area), **({"room": room} if room else {}))


def owner_of(community, *units, username, name=None, relation=Residency.Relation.OWNER, born=None):
    """A member with a user account who holds ``units`` (owner by default)."""
    user = make_member(community, Role.RESIDENT, username=username, name=name or username)
    person = user.person
    if born is not None:
        person.birth_date = born
        person.save(update_fields=["birth_date"])
    for u in units:
        ResidencyFactory(person=person, unit=u, relation=relation)
    return user


def person_in(u, *, name, relation=Residency.Relation.OWNER, born=None):
    """Someone registered in a unit without an account (votes on paper)."""
    person = PersonFactory(name=name, birth_date=born)
    ResidencyFactory(person=person, unit=u, relation=relation)
    return person


def decision(staff, community, *, motions=(), posts=(), **fields):
    fields = {"title": "业主大会表决", "electorate": "unit_owners", "rule": "owners", **fields}
    election = svc.election_create(actor=staff, community=community, fields=fields, posts=list(posts))
    made = [svc.election_motion_add(actor=staff, election=election, title=title, matter=matter)
            for title, matter in motions]
    return election, made


def run_to_published(staff, election, votes, now=NOW):
    """Open, cast ``votes`` [(user, {motion: choice}, choices)], close, publish; return the tally."""
    svc.election_open(election=election, actor=staff, now=now)
    for user, motion_answers, choices in votes:
        svc.ballot_cast(election=election, actor=user, choices=choices or {},
                        motions={str(m.pk): c for m, c in motion_answers.items()}, now=now)
    svc.election_close(election=election, actor=staff, now=now)
    svc.election_publish(election=election, actor=staff, now=now)
    election.refresh_from_db()
    return election.tally
