"""Reads of the two groups (二群): who belongs to a channel, my channels with unread counts, receipts.

Membership is computed from the core's tables (see landlords.models.channels):
- the team channel: the members of the community's 蓉治社 (communities.selectors.teams), committee staff and
  the Party secretary;
- a building channel: committee staff, plus anyone with a role in the community who lives in the building
  now (owners, family, tenants) or lets a unit in it.
``_conditions`` states these rules once; the per-user filter (``member_q``) and the per-channel member
list (``channel_members``) are both built from it, so they cannot drift apart.
"""
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from communities.models import Membership, Residency, Role, Team, Unit, User
from communities.selectors.teams import kind_member_q
from communities.natural import Natural

from ..models import Announcement, AnnouncementRead, Channel
from .team import is_officer, officer_community_ids

# Who reads the team channel besides the team's members.
TEAM_LEADER_ROLES = (Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY)


def _conditions(*, user, community, building) -> tuple[Q, Q]:
    """(team condition, building condition); each argument is a value or an OuterRef."""
    team = (kind_member_q(user, community_ref=community, kind=Team.Kind.LANDLORD_TEAM)
            | Q(Exists(Membership.objects.filter(user_id=user, community_id=community, role__in=TEAM_LEADER_ROLES))))
    staff = Exists(Membership.objects.filter(user_id=user, community_id=community, role=Role.COMMITTEE_STAFF))
    in_community = Exists(Membership.objects.filter(user_id=user, community_id=community))
    lives = Exists(Residency.objects.filter(person__user_id=user, moved_out__isnull=True, unit__building_id=building))
    lets = Exists(Unit.objects.filter(sublandlord__user_id=user, is_let=True, building_id=building))
    return team, Q(staff) | (Q(in_community) & (Q(lives) | Q(lets)))


def member_q(user, prefix: str = "") -> Q:
    """Filter over Channel (prefix "") or Announcement (prefix "channel__"): the channels ``user`` belongs to."""
    team, building = _conditions(user=user.pk, community=OuterRef(f"{prefix}community_id"),
                                 building=OuterRef(f"{prefix}building_id"))
    is_team = Q(**{f"{prefix}kind": Channel.Kind.TEAM})
    is_building = Q(**{f"{prefix}kind": Channel.Kind.BUILDING})
    return (is_team & team) | (is_building & building)


def is_member(user, channel: Channel) -> bool:
    if not user.is_authenticated:
        return False
    return Channel.objects.filter(pk=channel.pk).filter(member_q(user)).exists()


def may_post(user, channel: Channel) -> bool:
    """Beyond committee staff (the policy's role): officers to the team channel, the building's sublandlords
    (a let unit in that building) to its channel."""
    if channel.kind == Channel.Kind.TEAM:
        return bool(is_officer(user, channel.community))
    return Unit.objects.filter(building_id=channel.building_id, is_let=True, sublandlord__user=user).exists()


def may_post_q(user) -> Q:
    """Filter over Channel: the list form of ``may_post``."""
    building_ids = Unit.objects.filter(is_let=True, sublandlord__user=user).values("building_id")
    return (Q(kind=Channel.Kind.TEAM, community_id__in=officer_community_ids(user))
            | Q(kind=Channel.Kind.BUILDING, building_id__in=building_ids))


def channel_members(channel: Channel) -> QuerySet:
    """The users who should read the channel's announcements (应读), with their person for names."""
    team, building = _conditions(user=OuterRef("pk"), community=channel.community_id, building=channel.building_id)
    cond = team if channel.kind == Channel.Kind.TEAM else building
    return User.objects.filter(cond, is_active=True).select_related("person").order_by("person__name", "username")


def _read_by(user, ref: str = "pk") -> Exists:
    return Exists(AnnouncementRead.objects.filter(user_id=user.pk, announcement_id=OuterRef(ref)))


def unread_count(user) -> int:
    """How many announcements of the user's channels they have not opened: ONE query (the nav badge)."""
    if not user.is_authenticated:
        return 0
    return Announcement.objects.filter(member_q(user, "channel__")).exclude(_read_by(user)).count()


def channels_for(*, user) -> QuerySet:
    """My channels, each annotated with ``unread`` and ``announcement_count``: one query for the list."""
    if not user.is_authenticated:
        return Channel.objects.none()
    unread = (Announcement.objects.filter(channel_id=OuterRef("pk")).exclude(_read_by(user))
              .order_by().values("channel_id").annotate(n=Count("pk")).values("n"))
    return (Channel.objects.filter(member_q(user)).select_related("community", "building")
            .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
                      announcement_count=Count("announcements"))
            .order_by("community__name", "kind", Natural("name")))


def channel_announcements(*, user, channel: Channel) -> QuerySet:
    """The channel's announcements, newest first, each with ``is_read`` for ``user`` (constant queries)."""
    return (channel.announcements.select_related("posted_by__person")
            .annotate(is_read=_read_by(user), read_count=Count("reads")).order_by("-posted_at", "-id"))


def announcement_receipts(*, announcement: Announcement) -> dict:
    """已读 N / 应读 M and the names of who has not read yet. Readers who are no longer members do not count."""
    members = list(channel_members(announcement.channel))
    read_ids = set(announcement.reads.values_list("user_id", flat=True))
    unread = [u.display_name() for u in members if u.pk not in read_ids]
    return {"expected": len(members), "read": len(members) - len(unread), "unread_names": unread}


def building_announcements_latest(*, user, limit: int = 3) -> list[Announcement]:
    """The newest announcements of the building channels ``user`` belongs to (where they live or let), each with
    ``is_read``: the 楼组公告 card on the home page. One query."""
    if not user.is_authenticated:
        return []
    return list(Announcement.objects.filter(member_q(user, "channel__"), channel__kind=Channel.Kind.BUILDING)
                .select_related("channel").annotate(is_read=_read_by(user))
                .order_by("-posted_at", "-id")[:limit])
