"""Reading the 蓉治社 team: its members (the community's sublandlords), officers and elections."""
from django.db.models import Count, Q, QuerySet

from communities.models import Community, Election, Role, Team, User

from ..models import TeamOfficer

OFFICE_RANK = {office: i for i, office in enumerate(TeamOfficer.Office.values)}


def landlord_team(community) -> Team | None:
    return Team.objects.filter(community=community, kind=Team.Kind.LANDLORD_TEAM).order_by("pk").first()


def is_officer(user, community) -> bool:
    """Whether ``user`` is a current officer (会长, 副会长, 骨干) of ``community``'s 蓉治社."""
    if not user.is_authenticated:
        return False
    cid = community.pk if isinstance(community, Community) else community
    return TeamOfficer.objects.filter(user=user, until__isnull=True, team__community_id=cid,
                                      team__kind=Team.Kind.LANDLORD_TEAM).exists()


def officer_community_ids(user) -> list[int]:
    """The communities whose 蓉治社 has ``user`` as a current officer (the list form of ``is_officer``)."""
    if not user.is_authenticated:
        return []
    return list(TeamOfficer.objects.filter(user=user, until__isnull=True, team__kind=Team.Kind.LANDLORD_TEAM)
                .values_list("team__community_id", flat=True))


def team_members(*, community) -> QuerySet:
    """The team's members: the community's users with the sublandlord role, with how many units each lets."""
    return (User.objects.filter(memberships__community=community, memberships__role=Role.SUBLANDLORD, is_active=True)
            .select_related("person")
            .annotate(units=Count("person__sublet_units",
                                  filter=Q(person__sublet_units__building__community=community)))
            .order_by("person__name", "pk"))


def team_officers(*, team: Team) -> list[TeamOfficer]:
    officers = list(TeamOfficer.objects.filter(team=team, until__isnull=True).select_related("user__person"))
    return sorted(officers, key=lambda o: (OFFICE_RANK[o.office], o.since, o.pk))


def team_elections(*, team: Team) -> QuerySet:
    return Election.objects.filter(team=team).order_by("-created_at")
