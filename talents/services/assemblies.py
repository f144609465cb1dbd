"""Owners' votes (业主共同决定) on the core decision engine: an ``OwnersAssembly`` wraps a core ``Election`` with the
owners' rule (Civil Code art. 278, ``communities.decisions``) and the electorate ``talents.owners``: the owners of
the units in the assembly's scope, counted by the rules of the Supreme People's Court interpretation on building
co-ownership, arts. 8–9 (``communities.electorates.owners_roll``).

``assembly_create`` is the one way the areas of the owners' hub open a vote: the committee election, a recall, a
repair's use of the fund (voted by the owners who share its cost), an ordinary or extraordinary assembly. The
assembly area adds the rest (which threshold and why, requests for an extraordinary assembly, deemed consent).
"""
from django.db import transaction
from django.utils.translation import gettext as _

from communities.models import Election, Motion
from communities.services import elections as core
from communities.services.errors import DomainError

from ..models import OwnersAssembly, Scope

ELECTORATE = "talents.owners"


def owners_electorate(election, now) -> list:
    """The roll of an owners' vote: the owners of the units in its assembly's scope (all the estate's units for
    an election without one)."""
    from communities.electorates import owners_roll
    from communities.models import Unit

    assembly = OwnersAssembly.objects.filter(election_id=election.pk).select_related("building").first()
    units = (assembly.scope_units() if assembly is not None
             else Unit.objects.filter(building__community_id=election.community_id))
    return owners_roll(election, units)


def check_scope(community, scope, building, entrance) -> None:
    if scope not in Scope.values:
        raise DomainError(_("表决范围无效。"), code="scope")
    if scope in (Scope.BUILDING, Scope.ENTRANCE):
        if building is None or building.community_id != community.pk:
            raise DomainError(_("请选择本小区的楼栋。"), code="building")
    if scope == Scope.ENTRANCE and not (entrance or "").strip():
        raise DomainError(_("请填写单元。"), code="entrance")


def assembly_create(*, actor, community, kind: str, title: str, motions: list[tuple[str, str]] = (),
                    posts: list[tuple[str, int]] = (), scope: str = Scope.ESTATE, building=None, entrance: str = "",
                    description: str = "", opens_at=None, closes_at=None, notice_days: int = 0) -> OwnersAssembly:
    """A draft owners' vote with its motions [(title, Motion.Matter)] and, for a committee election, its posts
    [(name, seats)]. Checks the actor may manage elections in ``community`` (the core's ``election.manage``)."""
    if kind not in OwnersAssembly.Kind.values:
        raise DomainError(_("会议类型无效。"), code="kind")
    check_scope(community, scope, building, entrance)
    fields = {"title": title, "description": description, "electorate": ELECTORATE, "rule": Election.Rule.OWNERS,
              "opens_at": opens_at, "closes_at": closes_at, "notice_days": notice_days,
              "tie_rule": Election.TieRule.LOT}
    with transaction.atomic():
        election = core.election_create(actor=actor, community=community, fields=fields, posts=list(posts))
        for motion_title, matter in motions:
            core.election_motion_add(actor=actor, election=election, title=motion_title,
                                     matter=matter or Motion.Matter.ORDINARY)
        return OwnersAssembly.objects.create(
            community=community, election=election, kind=kind, scope=scope,
            building=building if scope != Scope.ESTATE else None,
            entrance=(entrance or "").strip() if scope == Scope.ENTRANCE else "", created_by=actor)
