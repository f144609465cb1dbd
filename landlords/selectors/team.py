"""Reading the 蓉治社 team: its members, officers and elections. Who is a member or an officer is the core's
answer (communities.selectors.teams); this module only adds what 蓉庭 shows with it (the units each lets)."""
from django.db.models import Count, Q, QuerySet

from communities.models import Backbone, Election, Team, User
from communities.selectors import teams as core

KIND = Team.Kind.LANDLORD_TEAM


def landlord_team(community) -> Team | None:
    return core.team_of_kind(community, KIND)


def is_officer(user, community) -> bool:
    """Whether ``user`` is a current officer (会长, 副会长, 骨干) of ``community``'s 蓉治社."""
    return core.is_backbone(user, community=community, kind=KIND)


def officer_community_ids(user) -> list[int]:
    """The communities whose 蓉治社 has ``user`` as a current officer (the list form of ``is_officer``)."""
    return core.backbone_community_ids(user, kind=KIND)


def team_members(*, community) -> QuerySet:
    """The team's members (communities.selectors.teams), with how many of the community's units each lets."""
    return (User.objects.filter(pk__in=core.kind_member_user_ids(community=community, kind=KIND))
            .select_related("person")
            .annotate(units=Count("person__sublet_units",
                                  filter=Q(person__sublet_units__building__community=community)))
            .order_by("person__name", "pk"))


def team_officers(*, team: Team) -> list[Backbone]:
    return core.current_backbones(team)


def team_elections(*, team: Team) -> QuerySet:
    return Election.objects.filter(team=team).order_by("-created_at")
