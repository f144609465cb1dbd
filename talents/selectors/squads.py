"""Reads for the squad pages: scoped by the policy first, a fixed number of queries however many rows."""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from communities import policy
from communities.models import CommunityNeed, NeedStatus, Team, TeamMember

from ..models import SquadProposal, SquadTask, SquadTaskParticipant


def squads_visible(*, user, community):
    """The community's squads the user may open, with their member counts (one query)."""
    return (policy.scope(user, "talents.squad.view", Team.objects.filter(community=community, kind=Team.Kind.SQUAD))
            .annotate(members=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True))
            .order_by("name"))


def proposals_for(*, user, community) -> list[SquadProposal]:
    """Staff see every proposal of the community; a talent their own."""
    qs = SquadProposal.objects.filter(community=community).select_related("proposed_by__person", "decided_by__person")
    if not policy.can(user, "talents.squad.approve", community):
        qs = qs.filter(proposed_by=user)
    return list(qs.prefetch_related("founding_members__person").order_by("-created_at", "-id")[:50])


def squad_for_page(*, user, team_id: int, action: str = "talents.squad.view") -> Team:
    return policy.get_object_or_404_for(user, action, Team.objects.filter(kind=Team.Kind.SQUAD)
                                        .select_related("community"), pk=team_id)


@dataclass
class MemberHours:
    membership: TeamMember
    minutes: int = 0
    tasks: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class SquadPage:
    members: list
    backbones: list
    tasks: list
    open_needs: list = field(default_factory=list)
    total_minutes: int = 0


def squad_page(*, team: Team, with_needs: bool = False, task_limit: int = 50) -> SquadPage:
    """Members (with who invited them and the time each gave, 平台记录 from confirmed task hours), backbones,
    the latest tasks with their participants, and the open needs the squad could claim."""
    memberships = list(team.memberships.filter(left_at__isnull=True, user__is_active=True)
                       .select_related("user__person", "invited_by__person").order_by("joined_at", "id"))
    given = defaultdict(lambda: [0, 0])
    for row in (SquadTaskParticipant.objects.filter(task__team=team, hours_recorded_at__isnull=False)
                .values("user_id", "started_at", "ended_at")):
        given[row["user_id"]][0] += int((row["ended_at"] - row["started_at"]).total_seconds() // 60)
        given[row["user_id"]][1] += 1
    members = [MemberHours(m, *given.get(m.user_id, (0, 0))) for m in memberships]
    backbones = list(team.backbones.filter(term_end__isnull=True).select_related("user__person"))
    tasks = list(team.squad_tasks.select_related("need", "completed_by__person").prefetch_related(
        Prefetch("participants", queryset=SquadTaskParticipant.objects.select_related(
            "user__person", "hours_confirmed_by__person").order_by("id"))).order_by("-starts_at", "-id")[:task_limit])
    needs = (list(CommunityNeed.objects.filter(community_id=team.community_id, status=NeedStatus.OPEN)
                  .order_by("-posted_at")[:50]) if with_needs else [])
    return SquadPage(members=members, backbones=backbones, tasks=tasks, open_needs=needs,
                     total_minutes=sum(v[0] for v in given.values()))
