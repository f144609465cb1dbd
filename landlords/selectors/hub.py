"""Which 蓉治社 a user sees, and what its hub page shows."""
from django.db.models import QuerySet
from django.utils import timezone

from communities import extensions, policy
from communities.models import Meeting, MeetingKind, MeetingSeries, Rota

# The "three fixed" (三定) meetings of the team: its own check-in meeting and the joint meeting with
# the police, urban management and the property company.
TEAM_MEETING_KINDS = (MeetingKind.CHECK_IN, MeetingKind.JOINT)


APP_LABEL = "landlords"


def team_communities(*, user, action: str = "landlords.hub") -> QuerySet:
    """The communities this app serves (``CommunityApp``, set by staff) in which ``user`` may do ``action``."""
    communities = policy.communities_for(user, action)
    return communities.filter(apps__app_label=APP_LABEL).order_by("name")


def served_for(*, user, action: str = "landlords.hub") -> bool:
    """``team_communities(...).exists()`` for every page's menu, without a query of its own: from the facts
    loaded once per request (``communities.extensions.served_community_ids``)."""
    served = extensions.served_community_ids(APP_LABEL, user=user)
    allowed = policy.community_ids_for(user, action)
    return bool(served) if allowed is None else not served.isdisjoint(allowed)


def team_meetings(*, user, community, now=None, limit: int = 4) -> dict:
    """The team's recurring meetings with their standing topics, and the next ones the user may see."""
    now = now or timezone.now()
    series = list(MeetingSeries.objects.filter(community=community, kind__in=TEAM_MEETING_KINDS, active=True)
                  .order_by("kind", "title"))
    upcoming = policy.scope(user, "meeting.view", Meeting.objects.filter(
        community=community, kind__in=TEAM_MEETING_KINDS, status__in=Meeting.UPCOMING, ends_at__gte=now))
    return {"series": series, "upcoming": list(upcoming.order_by("starts_at")[:limit])}


def duty_rota(*, community) -> Rota | None:
    """The mediation room's duty rota (一室: 租客矛盾调解室 / 蓉治社接待室)."""
    return Rota.objects.filter(community=community, kind=Rota.Kind.MEDIATION_ROOM, active=True).order_by("id").first()
