"""Starting a term (届) of an estate's owners' committee, the one writer of ``CommitteeTerm`` rows: the election
area calls it when an election's result is published, the committee area's demo for the past terms.

沪物业规定 (RULES.md, owners' committee in Shanghai): a committee of 5 or more members, an odd number (3 allowed for
an estate of at most 10,000 m² of exclusive area), a term of 3 to 5 years. Members are users (they sign in to
publish decisions); offices are the core's ``Backbone`` (业委会主任, 副主任, 委员) on a core ``Team`` of kind
owners' committee, taken from the election (``source=election``) when there is one.
"""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max, Sum, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from communities import policy
from communities.dates import local_midnight
from communities.models import Backbone, Team, TeamMember, Unit
from communities.services.errors import DomainError
from communities.services.teams import team_member_join

from ..models import CommitteeTerm

SMALL_ESTATE_AREA = Decimal("10000")
OFFICES = {Backbone.Office.DIRECTOR, Backbone.Office.DEPUTY_DIRECTOR, Backbone.Office.COMMITTEE_MEMBER}


def _years_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


def check_committee(*, community, members: list[tuple], started_on: dt.date, ends_on: dt.date) -> None:
    """The size and term the law allows; raises ``DomainError`` naming the rule."""
    size = len({user.pk for user, _office in members})
    area = Unit.objects.filter(building__community=community).aggregate(a=Sum("floor_area"))["a"] or Decimal(0)
    least = 3 if area <= SMALL_ESTATE_AREA else 5
    if size < least or size % 2 == 0:
        raise DomainError(_("业主委员会由 %(least)s 名以上单数委员组成（本小区专有面积 %(area)s 平方米），现为 %(size)s 名"
                            "（《上海市住宅物业管理规定》）。") % {"least": least, "area": area, "size": size},
                          code="size")
    if not 3 <= _years_between(started_on, ends_on) <= 5.01:
        raise DomainError(_("业主委员会每届任期三至五年（《上海市住宅物业管理规定》）。"), code="term")
    if sum(1 for _u, office in members if office == Backbone.Office.DIRECTOR) != 1:
        raise DomainError(_("业主委员会应有一名主任。"), code="director")
    if any(office not in OFFICES for _u, office in members):
        raise DomainError(_("职务无效。"), code="office")


def committee_term_close(*, term: CommitteeTerm, on: dt.date, reason: str) -> None:
    """End ``term`` on ``on`` for ``reason``, with its members' offices (``Backbone.term_end``) and team
    memberships, so that the team's history stays readable and nobody of an ended term keeps acting for it.
    The caller holds the lock and has checked the actor."""
    term.ended_on = on
    term.end_reason = reason
    term.save(update_fields=["ended_on", "end_reason"])
    Backbone.objects.filter(team_id=term.team_id, term_end__isnull=True).update(
        term_end=Greatest(F("term_start"), Value(on)))
    left = local_midnight(on + dt.timedelta(days=1))
    TeamMember.objects.filter(team_id=term.team_id, left_at__isnull=True).update(
        left_at=Greatest(F("joined_at"), Value(left)))


def committee_term_start(*, actor, community, members: list[tuple], started_on: dt.date, ends_on: dt.date,
                         elected_by=None, number: int | None = None) -> CommitteeTerm:
    """A new term with its members [(user, Backbone.Office)]: the next number unless ``number`` is given; the
    term still serving (if any) ends the day before with reason expired unless it ended already."""
    if not policy.can(actor, "team.appoint", community):
        raise DomainError(_("只有居委工作人员可以登记业主委员会届别。"), code="forbidden")
    check_committee(community=community, members=members, started_on=started_on, ends_on=ends_on)
    with transaction.atomic():
        last = CommitteeTerm.objects.select_for_update().filter(community=community).aggregate(n=Max("number"))["n"]
        number = number or (last or 0) + 1
        if CommitteeTerm.objects.filter(community=community, number=number).exists():
            raise DomainError(_("第%(n)s届业主委员会已经登记。") % {"n": number}, code="duplicate")
        for serving in CommitteeTerm.objects.filter(community=community, ended_on__isnull=True):
            committee_term_close(term=serving, on=started_on - dt.timedelta(days=1), reason=CommitteeTerm.End.EXPIRED)
        team = Team.objects.create(community=community, kind=Team.Kind.OWNERS_COMMITTEE,
                                   name=str(_("第%(n)s届业主委员会") % {"n": number}))
        source = Backbone.Source.ELECTION if elected_by is not None else Backbone.Source.APPOINTED
        for user, office in members:
            team_member_join(team=team, user=user, at=local_midnight(started_on))
            Backbone.objects.create(team=team, user=user, office=office, term_start=started_on, source=source,
                                    election=elected_by.election if elected_by is not None else None,
                                    appointed_by=None if elected_by is not None else actor)
        return CommitteeTerm.objects.create(community=community, number=number, team=team, started_on=started_on,
                                            ends_on=ends_on, elected_by=elected_by)
