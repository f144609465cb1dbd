"""A team's members and backbones: the one definition, read by the core and by every app.

A member is a user with an open ``TeamMember`` row (``left_at`` empty) whose account is active. Nothing
else makes someone a member of a team: not a role, not letting a unit, not an old many-to-many. The
sublandlords' team (蓉治社) is kept in step with the sublandlord role by communities.services.teams.
Each function returns a lazy queryset where it can, so a caller can use it as a subquery without a
query of its own.
"""
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Backbone, Community, Team, TeamMember, User


def _community_id(community) -> int:
    return community.pk if isinstance(community, Community) else community


def open_memberships(team: Team | None = None) -> QuerySet:
    """The open ``TeamMember`` rows of active accounts (of ``team`` if given)."""
    qs = TeamMember.objects.filter(left_at__isnull=True, user__is_active=True)
    return qs if team is None else qs.filter(team=team)


def active_members(team: Team) -> QuerySet:
    """The team's members (users), with their person for names."""
    return (User.objects.filter(Exists(open_memberships(team).filter(user_id=OuterRef("pk"))))
            .select_related("person").order_by("person__name", "username"))


def member_user_ids(team: Team | None) -> QuerySet:
    """The ids of the team's members, as a values queryset (a subquery when used in a filter)."""
    if team is None:
        return TeamMember.objects.none().values("user_id")
    return open_memberships(team).values("user_id")


def kind_member_user_ids(*, community, kind: str) -> QuerySet:
    """The ids of the members of ``community``'s teams of ``kind`` (e.g. its 蓉治社), as a subquery."""
    return (open_memberships().filter(team__community_id=_community_id(community), team__kind=kind)
            .values("user_id"))


def is_member(team: Team | None, user) -> bool:
    if team is None or not user.is_authenticated:
        return False
    return open_memberships(team).filter(user_id=user.pk).exists()


def kind_member_q(user_ref, *, community_ref, kind: str) -> Q:
    """A condition: ``user_ref`` (a value or an OuterRef) is a member of a team of ``kind`` in the community
    ``community_ref``."""
    return Q(Exists(open_memberships().filter(user_id=user_ref, team__community_id=community_ref, team__kind=kind)))


def team_ids_of(user) -> list[int]:
    """The teams ``user`` belongs to (their ids), in one query."""
    if not user.is_authenticated:
        return []
    return list(open_memberships().filter(user_id=user.pk).values_list("team_id", flat=True))


def teams_of(user, *, community=None, kind: str | None = None) -> QuerySet:
    """The teams ``user`` belongs to, in ``community`` and of ``kind`` when given."""
    if not user.is_authenticated:
        return Team.objects.none()
    qs = Team.objects.filter(Exists(open_memberships().filter(user_id=user.pk, team_id=OuterRef("pk"))))
    if community is not None:
        qs = qs.filter(community_id=_community_id(community))
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def member_ids_by_team(team_ids) -> dict[int, list[int]]:
    """{team id: [member user ids]} for several teams in one query (meeting invitations)."""
    by_team: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in (open_memberships().filter(team_id__in=list(team_ids))
                             .order_by("team_id", "joined_at", "id").values_list("team_id", "user_id")):
        by_team[team_id].append(user_id)
    return by_team


def team_of_kind(community, kind: str) -> Team | None:
    """The community's team of ``kind`` (its 蓉治社, its station), the oldest if there are several."""
    return Team.objects.filter(community_id=_community_id(community), kind=kind).order_by("pk").first()


# --- backbones ---------------------------------------------------------------------------------------

OFFICE_RANK = {office: i for i, office in enumerate(Backbone.Office.values)}


def current_backbones(team: Team) -> list[Backbone]:
    """The team's backbones in office today, 会长 first."""
    rows = list(Backbone.objects.filter(team=team, term_end__isnull=True).select_related("user__person"))
    return sorted(rows, key=lambda b: (OFFICE_RANK[b.office], b.term_start, b.pk))


def is_backbone(user, *, community, kind: str) -> bool:
    """Whether ``user`` holds an office today in a team of ``kind`` of ``community``."""
    if not user.is_authenticated:
        return False
    return Backbone.objects.filter(user_id=user.pk, term_end__isnull=True, team__kind=kind,
                                   team__community_id=_community_id(community)).exists()


def backbone_community_ids(user, *, kind: str) -> list[int]:
    """The communities where ``user`` holds an office today in a team of ``kind`` (the list form)."""
    if not user.is_authenticated:
        return []
    return list(Backbone.objects.filter(user_id=user.pk, term_end__isnull=True, team__kind=kind)
                .values_list("team__community_id", flat=True))
