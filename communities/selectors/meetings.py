"""Reads of meetings: what a user may see, the calendar, one meeting's page, the proposals queue.
Query counts do not grow with the rows shown."""
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import policy
from ..models import (
    ActionItem, AgendaItem, Attendance, Meeting, MeetingEvent, MeetingInvite, Minutes, TopicProposal, User,
)

# Self check-in opens this long before the start and closes this long after the end.
CHECK_IN_OPENS = timedelta(minutes=30)
CHECK_IN_CLOSES = timedelta(hours=2)
LIST_RELATED = ("community", "organiser__person", "series")
EVENT_LABELS = {
    "generate": _("按例会生成"), "create": _("创建"), "edit": _("修改主题或邀请"), "move": _("改期"),
    "cancel": _("取消"), "agenda_add": _("加入议程"), "agenda_remove": _("移出议程"), "minutes": _("提交纪要"),
    "decision": _("记录决定"), "action_create": _("新增待办"), "action_done": _("待办完成"),
    "action_to_case": _("待办转为诉求"), "remind_24h": _("发送会前24小时提醒"), "remind_1h": _("发送会前1小时提醒"),
    "remind_minutes": _("提醒提交纪要"),
}
CALENDAR_UPCOMING = 60
CALENDAR_PAST = 30
ACTION_ITEM_ORIGIN = "communities.action_item"  # the case origin of a case made from a meeting's action item


def meetings_visible(*, user, action: str = "meeting.view") -> QuerySet:
    return policy.scope(user, action, Meeting.objects.all())


def meeting_calendar(*, user, community=None, now=None) -> dict:
    """Upcoming meetings (cancelled ones shown as such) and recent past ones, with the user's own answer."""
    now = now or timezone.now()
    qs = meetings_visible(user=user)
    if community is not None:
        qs = qs.filter(community=community)
    my_response = MeetingInvite.objects.filter(meeting=OuterRef("pk"), user=user).values("response")[:1]
    qs = qs.select_related(*LIST_RELATED).annotate(my_response=Subquery(my_response))
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at", "id")[:CALENDAR_UPCOMING])
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")[:CALENDAR_PAST])
    return {"upcoming": upcoming, "past": past}


def meeting_for(*, user, meeting_id: int, action: str = "meeting.view") -> Meeting:
    """One meeting for ``action``: 404 outside the user's communities, 403 inside without the right."""
    return policy.get_object_or_404_for(
        user, action, Meeting.objects.select_related("community", "organiser__person", "series"), pk=meeting_id)


@dataclass(frozen=True)
class AttendanceCount:
    invited: int
    checked_in: int


def attendance_count(*, meeting: Meeting, invites=None, attendance=None) -> AttendanceCount:
    """受邀 / 已签到, the one count the meeting page's heading and its minutes both show (and the demo's minutes
    text says): invited = the meeting's invitations, checked in = its check-ins (an uninvited person the
    organiser checked in counts, as they were there). Pass the rows already loaded to save the queries."""
    invited = len(invites) if invites is not None else MeetingInvite.objects.filter(meeting=meeting).count()
    checked_in = (len(attendance) if attendance is not None
                  else Attendance.objects.filter(meeting=meeting).count())
    return AttendanceCount(invited=invited, checked_in=checked_in)


def meeting_page(*, user, meeting: Meeting, now=None) -> dict:
    now = now or timezone.now()
    may_manage = policy.can(user, "meeting.manage", meeting)
    invites = list(meeting.invites.select_related("user__person", "team").order_by("team_id", "id"))
    attendance = list(Attendance.objects.filter(meeting=meeting).select_related("user__person"))
    minutes = Minutes.objects.filter(meeting=meeting).select_related("filed_by__person").first()
    actions = list(ActionItem.objects.filter(meeting=meeting).select_related("owner__person", "case", "decision"))
    my_invite = next((i for i in invites if i.user_id == user.pk), None)
    checked_in = {a.user_id for a in attendance}
    check_in_open = (meeting.status != Meeting.Status.CANCELLED
                     and meeting.starts_at - CHECK_IN_OPENS <= now <= meeting.ends_at + CHECK_IN_CLOSES)
    context = {
        "meeting": meeting,
        "agenda": list(AgendaItem.objects.filter(meeting=meeting).select_related("proposal__proposed_by__person")),
        "invites": invites,
        "teams": list(meeting.invited_teams.all()),
        "agencies": list(meeting.invited_agencies.all()),
        "attendance": attendance,
        "attendance_count": attendance_count(meeting=meeting, invites=invites, attendance=attendance),
        "not_checked_in": [i for i in invites if i.user_id not in checked_in],
        "minutes": minutes,
        "decisions": list(meeting.decisions.all()),
        "actions": actions,
        "my_invite": my_invite,
        "my_response": my_invite.response if my_invite else "",
        "checked_in": user.pk in checked_in,
        "may_manage": may_manage,
        "may_rsvp": meeting.is_upcoming and meeting.ends_at > now,
        "may_check_in": check_in_open,
        "may_edit": may_manage and meeting.allows("edit"),
        "may_record": may_manage and meeting.status != Meeting.Status.CANCELLED and meeting.starts_at <= now,
        "may_file_minutes": may_manage and meeting.allows("minutes") and meeting.starts_at <= now,
        "may_file_case": may_manage and policy.can(user, "case.file", meeting.community),
        "may_propose": policy.can(user, "meeting.propose", meeting.community),
        "counts": {r: sum(1 for i in invites if i.response == r) for r in ("yes", "no", "maybe")},
    }
    if may_manage:
        context["proposals"] = list(meeting.proposals.filter(status=TopicProposal.Status.PROPOSED)
                                    .select_related("proposed_by__person"))
        context["events"] = list(MeetingEvent.objects.filter(meeting=meeting).select_related("actor__person")
                                 .order_by("-at", "-id")[:20])
        for event in context["events"]:
            event.label = EVENT_LABELS.get(event.action, event.action)
    return context


def proposals_to_review(*, user) -> QuerySet:
    return (policy.scope(user, "meeting.review", TopicProposal.objects.filter(status=TopicProposal.Status.PROPOSED))
            .select_related("community", "proposed_by__person", "meeting").order_by("created_at"))


def my_proposals(*, user) -> QuerySet:
    return (TopicProposal.objects.filter(proposed_by=user).select_related("meeting", "community")
            .order_by("-created_at"))


def meetings_to_manage(*, user, community, now=None) -> QuerySet:
    """Upcoming meetings of ``community`` the user may put topics on (for the accept form)."""
    now = now or timezone.now()
    return (policy.scope(user, "meeting.manage", Meeting.objects.filter(community=community))
            .filter(status__in=Meeting.UPCOMING, starts_at__gt=now).order_by("starts_at"))


def upcoming_visible(*, user, community, now=None) -> QuerySet:
    now = now or timezone.now()
    return (meetings_visible(user=user).filter(community=community, status__in=Meeting.UPCOMING, starts_at__gt=now)
            .order_by("starts_at"))


def community_people(*, community) -> QuerySet:
    """Users with any role in ``community``: organisers, invitees, action owners are chosen from them."""
    return (User.objects.filter(memberships__community=community, is_active=True).distinct()
            .select_related("person").order_by("person__name", "username"))


def action_item_origin(*, user, object_id: int):
    """The case page's link back to the meeting whose action item became the case (a case origin resolver,
    registered in ``CommunitiesConfig.ready``)."""
    from django.urls import reverse

    from ..extensions import OriginLink

    item = ActionItem.objects.select_related("meeting").filter(pk=object_id).first()
    if item is None:
        return None
    label = _("会议待办：%(title)s（%(meeting)s）") % {"title": item.title, "meeting": item.meeting.title}
    url = reverse("communities:meeting_detail", args=[item.meeting_id])
    return OriginLink(str(label), url if policy.can(user, "meeting.view", item.meeting) else "")
