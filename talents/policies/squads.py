"""Governance squads: talents propose one, committee staff consent to it; its members (and the community's leaders)
see it; its backbones and staff run its tasks and confirm its members' hours."""
from django.db.models import Q

from communities.models import Backbone, Role, Team
from communities.policy import LEADER_ROLES, Rule, team_ids_of

from ..models import SquadTask, SquadTaskParticipant

ALL = frozenset(Role.values)
STAFF = frozenset({Role.COMMITTEE_STAFF})


def _squad_team_id(obj):
    if isinstance(obj, Team):
        return obj.pk if obj.kind == Team.Kind.SQUAD else None
    if isinstance(obj, SquadTask):
        return obj.team_id
    if isinstance(obj, SquadTaskParticipant):
        return obj.task.team_id
    return None


def _in_squad(user, obj) -> bool:
    team_id = _squad_team_id(obj)
    return bool(team_id) and team_id in team_ids_of(user)


def squad_backbone(user, obj) -> bool:
    """A backbone in office today of the squad the object belongs to."""
    team_id = _squad_team_id(obj)
    return bool(team_id) and Backbone.objects.filter(team_id=team_id, user_id=user.pk, term_end__isnull=True).exists()


def _backbone_q(prefix: str):
    return lambda user: Q(**{f"{prefix}backbones__user": user, f"{prefix}backbones__term_end": None})


RULES: dict[str, Rule] = {
    # Proposing a squad: talents (达人) of the community.
    "talents.squad.propose": Rule(frozenset({Role.TALENT}), town=False),
    # Consenting to a squad (or declining it, with a reason): committee staff.
    "talents.squad.approve": Rule(STAFF, town=False),
    # A squad's page (members, tasks, hours): its members and the community's leaders.
    "talents.squad.view": Rule(frozenset(LEADER_ROLES), extra=_in_squad, extra_roles=ALL, extra_scope={
        Team: lambda user: Q(pk__in=team_ids_of(user), kind=Team.Kind.SQUAD),
        SquadTask: lambda user: Q(team__in=team_ids_of(user))}),
    # Its tasks and its members' hours: the squad's backbones and committee staff.
    "talents.squad.manage": Rule(STAFF, town=False, extra=squad_backbone, extra_roles=ALL, extra_scope={
        Team: lambda user: _backbone_q("")(user) & Q(kind=Team.Kind.SQUAD), SquadTask: _backbone_q("team__"), SquadTaskParticipant: _backbone_q("task__team__")}),
}
