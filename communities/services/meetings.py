"""Meetings (三定): series and their occurrences, moves and cancellations, RSVPs, check-ins, the agenda,
minutes, decisions and action items.

Every change locks the meeting, checks the actor through the policy, refuses a state that does not
allow it (``Meeting.ALLOWED_FROM``), appends a MeetingEvent and writes its notifications in the same
transaction (``notify`` is the outbox). Repeating a change that already happened changes nothing.
Series and their recurrence live in ``meeting_series``, topic proposals in ``meeting_topics``, the clock
(reminders, generation) in ``meeting_clock``.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import extensions, policy
from ..models import (
    ActionItem, AgendaItem, Attendance, Case, Decision, Meeting, MeetingEvent, MeetingInvite, MeetingKind, Minutes,
    TopicProposal,
)
from ..selectors.meetings import ACTION_ITEM_ORIGIN, CHECK_IN_CLOSES, CHECK_IN_OPENS
from ..selectors.rooms import MEETING_SOURCE
from ..selectors.teams import member_ids_by_team
from .errors import DomainError
from .notifications import notify
from .rooms import source_booking_sync
from .texts import deferred, stored

MAX_TEXT = 5000
# meeting_move's "leave the room as it is" (None there means: no room any more).
UNCHANGED = object()


@dataclass
class Outcome:
    obj: object
    changed: bool


# --- small helpers ----------------------------------------------------------------------------------

def meeting_url(meeting: Meeting) -> str:
    return reverse("communities:meeting_detail", args=[meeting.pk])


def when(moment: datetime) -> str:
    """A meeting time as people read it: 2026-12-01 19:00 (Asia/Shanghai)."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def lock_meeting(meeting_id: int) -> Meeting:
    meeting = (Meeting.objects.select_for_update(of=("self",)).select_related("community", "organiser")
               .filter(pk=meeting_id).first())
    if meeting is None:
        raise Meeting.DoesNotExist
    return meeting


def require(actor, action: str, obj) -> None:
    if not policy.can(actor, action, obj):
        raise PermissionDenied


def _event(meeting: Meeting, actor, action: str, at=None, **data) -> MeetingEvent:
    return MeetingEvent.objects.create(meeting=meeting, actor=actor, action=action, data=data,
                                       at=at or timezone.now())


def need(text: str, message, limit: int = MAX_TEXT) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code="required")
    if len(text) > limit:
        raise DomainError(_("内容太长了，请精简到 %(n)s 字以内。") % {"n": limit}, code="too_long")
    return text


def refuse_state(meeting: Meeting):
    return DomainError(_("这次会议%(status)s，不能进行这项操作。") % {"status": meeting.get_status_display()},
                       code="state")


def recipients(meeting: Meeting, *, skip_declined: bool = False) -> list:
    """Invitees (active users) and the organiser, each once; optionally without those who said no."""
    invites = MeetingInvite.objects.filter(meeting=meeting, user__is_active=True).select_related("user")
    if skip_declined:
        invites = invites.exclude(response=MeetingInvite.Response.NO)
    users = {invite.user_id: invite.user for invite in invites}
    users.setdefault(meeting.organiser_id, meeting.organiser)
    return list(users.values())


def tell(users, *, meeting: Meeting, title, body="", actor=None) -> int:
    # A 200-character meeting title plus "会议改期：" would overflow the notification's title: notify cuts it.
    sent = 0
    for user in users:
        if actor is not None and user.pk == actor.pk:
            continue
        notify(recipient=user, title=title, body=body, url=meeting_url(meeting))
        sent += 1
    return sent


def check_people(community, *, organiser=None, users=(), teams=()) -> None:
    """Organiser and invitees must belong to the meeting's community; agencies are town-wide."""
    for user in [organiser, *users]:
        if user is not None and not (policy.roles_in(user, community) or policy.is_town(user)):
            raise DomainError(_("%(name)s 不是本社区的人员，不能邀请或担任召集人。") % {"name": user.display_name()},
                              code="people")
    for team in teams:
        if team.community_id != community.pk:
            raise DomainError(_("只能邀请本社区的团队。"), code="people")


def invite_rows(meetings, *, users=(), teams=()) -> list[MeetingInvite]:
    """The invitation rows for ``meetings``: people directly, teams expanded to their members."""
    pairs: dict[int, int | None] = {user.pk: None for user in users if user.is_active}
    members = member_ids_by_team(team.pk for team in teams) if teams else {}
    for team in teams:
        for user_id in members.get(team.pk, ()):
            pairs.setdefault(user_id, team.pk)
    rows = []
    for meeting in meetings:
        mine = dict(pairs)
        mine.setdefault(meeting.organiser_id, None)
        rows += [MeetingInvite(meeting=meeting, user_id=uid, team_id=tid) for uid, tid in mine.items()]
    return rows


def link_invited(meetings, *, teams=(), agencies=()) -> None:
    team_links = Meeting.invited_teams.through
    agency_links = Meeting.invited_agencies.through
    team_links.objects.bulk_create([team_links(meeting_id=m.pk, team_id=t.pk) for m in meetings for t in teams],
                                   ignore_conflicts=True)
    agency_links.objects.bulk_create(
        [agency_links(meeting_id=m.pk, agency_id=a.pk) for m in meetings for a in agencies], ignore_conflicts=True)


def topic_lines(lines) -> list[str]:
    """Agenda or standing topics from lines of text: blank lines dropped, at most 20 of 300 characters."""
    return [line.strip()[:300] for line in lines if line and line.strip()][:20]


def check_kind(kind: str) -> None:
    if kind not in MeetingKind.values:
        raise DomainError(_("请选择会议类型。"), code="kind")


def _check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if starts_at is None or ends_at is None:
        raise DomainError(_("请填写会议的开始和结束时间。"), code="time")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间要晚于开始时间。"), code="time")
    if starts_at <= now:
        raise DomainError(_("会议时间不能早于现在。"), code="time")
    if ends_at - starts_at > timedelta(hours=12):
        raise DomainError(_("一次会议不能超过 12 小时。"), code="time")


def check_room(room, community) -> None:
    if room is not None and room.community_id != community.pk:
        raise DomainError(_("只能选择本社区的活动室。"), code="room")


def book_room(meeting: Meeting, actor, now) -> None:
    """Keep the meeting's room booking in step with it (a clash raises RoomClash: the change is rolled back)."""
    live = meeting.room if meeting.is_upcoming else None
    source_booking_sync(source_kind=MEETING_SOURCE, source_id=meeting.pk, room=live, starts_at=meeting.starts_at,
                        ends_at=meeting.ends_at, title=meeting.title, actor=actor, now=now)


# --- one meeting -----------------------------------------------------------------------------------

def meeting_create(*, actor, community, title: str, kind: str, venue: str, starts_at: datetime, ends_at: datetime,
                   organiser, invited_users=(), invited_teams=(), invited_agencies=(), agenda=(),
                   room=None, now=None) -> Meeting:
    """A one-off meeting (not from a series); its invitees are told at once. With a ``room``, the room is booked
    for the meeting's time, and a clash (RoomClash) saves nothing."""
    now = now or timezone.now()
    require(actor, "meeting.create", community)
    check_kind(kind)
    check_room(room, community)
    title = need(title, _("请填写会议主题。"), 200)
    venue = need(venue or (room.label() if room else ""), _("请填写开会地点。"), 200)
    _check_times(starts_at, ends_at, now)
    check_people(community, organiser=organiser, users=invited_users, teams=invited_teams)
    with transaction.atomic():
        meeting = Meeting.objects.create(community=community, kind=kind, title=title, venue=venue, room=room,
                                         starts_at=starts_at, ends_at=ends_at, organiser=organiser, created_at=now)
        if room is not None:
            book_room(meeting, actor, now)
        teams = [t for t in invited_teams]
        MeetingInvite.objects.bulk_create(invite_rows([meeting], users=invited_users, teams=teams))
        link_invited([meeting], teams=teams, agencies=invited_agencies)
        AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, order=i, title=t)
                                        for i, t in enumerate(topic_lines(agenda))])
        _event(meeting, actor, "create", at=now)
        tell(recipients(meeting), meeting=meeting, actor=actor,
             title=deferred(gettext_lazy("会议通知：%(title)s"), title=title),
             body=deferred(gettext_lazy("时间：%(when)s\n地点：%(venue)s"), when=when(starts_at), venue=venue))
    return meeting


def meeting_update(*, actor, meeting_id: int, title: str, organiser, invited_users=(), invited_teams=(),
                   invited_agencies=()) -> Outcome:
    """Rename, change the organiser, invite more people. Time and place change through ``meeting_move``."""
    title = need(title, _("请填写会议主题。"), 200)
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        if not meeting.allows("edit"):
            raise refuse_state(meeting)
        check_people(meeting.community, organiser=organiser, users=invited_users, teams=invited_teams)
        before = set(MeetingInvite.objects.filter(meeting=meeting).values_list("user_id", flat=True))
        teams = list(invited_teams)
        renamed = (title, organiser.pk) != (meeting.title, meeting.organiser_id)
        meeting.title, meeting.organiser = title, organiser
        meeting.save(update_fields=["title", "organiser"])
        if meeting.room_id:
            book_room(meeting, actor, timezone.now())  # the booking's title follows the meeting's
        MeetingInvite.objects.bulk_create(invite_rows([meeting], users=invited_users, teams=teams),
                                          ignore_conflicts=True)
        link_invited([meeting], teams=teams, agencies=invited_agencies)
        added = list(MeetingInvite.objects.filter(meeting=meeting).exclude(user_id__in=before)
                     .select_related("user"))
        if not (renamed or added):
            return Outcome(meeting, False)
        _event(meeting, actor, "edit", title=title, organiser=organiser.pk, invited=[i.user_id for i in added])
        tell([i.user for i in added], meeting=meeting, actor=actor,
             title=deferred(gettext_lazy("会议通知：%(title)s"), title=title),
             body=deferred(gettext_lazy("时间：%(when)s\n地点：%(venue)s"), when=when(meeting.starts_at),
                           venue=meeting.venue))
    return Outcome(meeting, renamed or bool(added))


def meeting_move(*, meeting_id: int, actor, starts_at: datetime, ends_at: datetime, venue: str = "",
                 reason: str = "", room=UNCHANGED, now=None) -> Outcome:
    """Move a meeting in time or place. The version goes up, so a reminder queued for the old time
    claims nothing; the reminders start again for the new time; every invitee is told. Its room booking
    moves with it (``room``: another room, or None for none); a clash (RoomClash) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        if not meeting.allows("move"):
            raise refuse_state(meeting)
        old_room = meeting.room
        room = old_room if room is UNCHANGED else room
        check_room(room, meeting.community)
        venue = (venue or "").strip()[:200] or meeting.venue
        if room is not None and old_room is not None and room.pk != old_room.pk and venue == old_room.label():
            venue = room.label()  # the venue named the old room: it names the new one
        if (starts_at, ends_at, venue, room and room.pk) == (meeting.starts_at, meeting.ends_at, meeting.venue,
                                                             meeting.room_id):
            return Outcome(meeting, False)
        _check_times(starts_at, ends_at, now)
        old_start, old_venue = meeting.starts_at, meeting.venue
        meeting.starts_at, meeting.ends_at, meeting.venue, meeting.room = starts_at, ends_at, venue, room
        meeting.status = Meeting.Status.MOVED
        meeting.version += 1
        meeting.schedule_changed_at = now
        meeting.reminded_24h_at = meeting.reminded_1h_at = None
        meeting.save(update_fields=["starts_at", "ends_at", "venue", "room", "status", "version",
                                    "schedule_changed_at", "reminded_24h_at", "reminded_1h_at"])
        book_room(meeting, actor, now)
        reason = (reason or "").strip()[:500]
        _event(meeting, actor, "move", at=now, version=meeting.version, reason=reason,
               starts_from=old_start.isoformat(), starts_to=starts_at.isoformat(), venue_from=old_venue,
               venue_to=venue)
        tell(recipients(meeting), meeting=meeting, actor=actor,
             title=deferred(gettext_lazy("会议改期：%(title)s"), title=meeting.title),
             body=deferred(gettext_lazy("新时间：%(when)s\n地点：%(venue)s\n原定：%(old)s %(old_venue)s\n%(reason)s"),
                           when=when(starts_at), venue=venue, old=when(old_start), old_venue=old_venue,
                           reason=reason))
    return Outcome(meeting, True)


def meeting_cancel(*, meeting_id: int, actor, reason: str, now=None) -> Outcome:
    now = now or timezone.now()
    reason = need(reason, _("请写明取消的原因，受邀人会看到。"), 500)
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        if meeting.status == Meeting.Status.CANCELLED:
            return Outcome(meeting, False)
        if not meeting.allows("cancel"):
            raise refuse_state(meeting)
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancel_reason = reason
        meeting.version += 1
        meeting.schedule_changed_at = now
        meeting.save(update_fields=["status", "cancel_reason", "version", "schedule_changed_at"])
        book_room(meeting, actor, now)  # the room is free again
        _event(meeting, actor, "cancel", at=now, version=meeting.version, reason=reason)
        tell(recipients(meeting), meeting=meeting, actor=actor,
             title=deferred(gettext_lazy("会议取消：%(title)s"), title=meeting.title),
             body=deferred(gettext_lazy("原定时间：%(when)s\n原因：%(reason)s"), when=when(meeting.starts_at),
                           reason=reason))
    return Outcome(meeting, True)


def meeting_room_book(*, meeting_id: int, actor, room, now=None) -> Outcome:
    """Book a room for a meeting as it stands (a series' meeting, say), or give it up (``room`` None), without
    changing its time or the venue people read: nobody is told. A clash (RoomClash) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        if not meeting.allows("edit"):
            raise refuse_state(meeting)
        check_room(room, meeting.community)
        if (room and room.pk) == meeting.room_id:
            return Outcome(meeting, False)
        if room is not None and meeting.starts_at <= now:
            raise DomainError(_("会议已经开始，不能再预约活动室。"), code="time")
        meeting.room = room
        meeting.save(update_fields=["room"])
        book_room(meeting, actor, now)
        _event(meeting, actor, "room", at=now, room=room and room.pk)
    return Outcome(meeting, True)


# --- taking part -------------------------------------------------------------------------------------

def meeting_rsvp(*, meeting_id: int, user, response: str, now=None) -> Outcome:
    """Answer yes, no or maybe. Anyone who may see the meeting may answer; answering invites them
    (so they are reminded too)."""
    now = now or timezone.now()
    if response not in (MeetingInvite.Response.YES, MeetingInvite.Response.NO, MeetingInvite.Response.MAYBE):
        raise DomainError(_("请选择参加、不参加或待定。"), code="response")
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(user, "meeting.view", meeting)
        if not meeting.is_upcoming or meeting.ends_at <= now:
            raise DomainError(_("这次会议已经结束或取消，不能再答复。"), code="state")
        invite, _created = MeetingInvite.objects.get_or_create(meeting=meeting, user=user)
        if invite.response == response:
            return Outcome(invite, False)
        invite.response, invite.responded_at = response, now
        invite.save(update_fields=["response", "responded_at"])
    return Outcome(invite, True)


def meeting_check_in(*, meeting_id: int, actor, user=None, now=None) -> Outcome:
    """Check in at the meeting: oneself from half an hour before the start until two hours after the
    end; the organiser may record anyone of the community from half an hour before the start on."""
    now = now or timezone.now()
    user = user or actor
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        if user.pk == actor.pk:
            require(actor, "meeting.view", meeting)
        else:
            require(actor, "meeting.manage", meeting)
            if not (policy.roles_in(user, meeting.community) or
                    MeetingInvite.objects.filter(meeting=meeting, user=user).exists()):
                raise DomainError(_("只能为本社区的人员或受邀人签到。"), code="people")
        if meeting.status == Meeting.Status.CANCELLED:
            raise refuse_state(meeting)
        if now < meeting.starts_at - CHECK_IN_OPENS:
            raise DomainError(_("会议开始前半小时才能签到。"), code="time")
        if user.pk == actor.pk and now > meeting.ends_at + CHECK_IN_CLOSES:
            raise DomainError(_("会议已经结束，不能再签到。"), code="time")
        attendance, created = Attendance.objects.get_or_create(
            meeting=meeting, user=user, defaults={"checked_in_at": now, "checked_in_by": actor})
        if created:
            extensions.send_on_commit(extensions.meeting_attended, Attendance, attendance=attendance, actor=actor)
    return Outcome(attendance, created)


# --- agenda, minutes, decisions, action items ------------------------------------------------------

def agenda_item_add(*, meeting_id: int, actor, title: str, proposal: TopicProposal | None = None) -> AgendaItem:
    title = need(title, _("请填写议题。"), 300)
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        if not meeting.allows("edit"):
            raise refuse_state(meeting)
        return append_agenda(meeting, actor, title, proposal)


def append_agenda(meeting, actor, title, proposal=None) -> AgendaItem:
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"]
    item = AgendaItem.objects.create(meeting=meeting, order=0 if last is None else last + 1, title=title,
                                     proposal=proposal)
    _event(meeting, actor, "agenda_add", title=title, proposal=proposal and proposal.pk)
    return item


def agenda_item_remove(*, item_id: int, actor) -> Outcome:
    """Take an item off the agenda; a proposal it came from waits for a decision again."""
    with transaction.atomic():
        item = AgendaItem.objects.filter(pk=item_id).first()
        if item is None:
            return Outcome(None, False)
        meeting = lock_meeting(item.meeting_id)
        require(actor, "meeting.manage", meeting)
        if not meeting.allows("edit"):
            raise refuse_state(meeting)
        if item.proposal_id:
            TopicProposal.objects.filter(pk=item.proposal_id).update(
                status=TopicProposal.Status.PROPOSED, decided_by=None, decided_at=None)
        item.delete()
        _event(meeting, actor, "agenda_remove", title=item.title)
    return Outcome(meeting, True)


def agenda_item_move(*, item_id: int, actor, up: bool) -> Outcome:
    with transaction.atomic():
        item = AgendaItem.objects.filter(pk=item_id).first()
        if item is None:
            return Outcome(None, False)
        meeting = lock_meeting(item.meeting_id)
        require(actor, "meeting.manage", meeting)
        if not meeting.allows("edit"):
            raise refuse_state(meeting)
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id"))
        i = next(n for n, it in enumerate(items) if it.pk == item_id)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(items):
            return Outcome(meeting, False)
        items[i], items[j] = items[j], items[i]
        for order, it in enumerate(items):
            it.order = order
        AgendaItem.objects.bulk_update(items, ["order"])
    return Outcome(meeting, True)


def minutes_file(*, meeting_id: int, actor, text: str, now=None) -> Outcome:
    """File (or correct) the minutes; the meeting counts as held from then on."""
    now = now or timezone.now()
    text = need(text, _("请填写会议纪要。"), 20000)
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        if not meeting.allows("minutes"):
            raise refuse_state(meeting)
        if meeting.starts_at > now:
            raise DomainError(_("会议开始后才能提交纪要。"), code="time")
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is not None and minutes.text == text:
            return Outcome(minutes, False)
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, text=text, filed_by=actor, filed_at=now)
        else:
            minutes.text, minutes.filed_by, minutes.filed_at = text, actor, now
            minutes.save(update_fields=["text", "filed_by", "filed_at"])
        if meeting.status != Meeting.Status.HELD:
            meeting.status = Meeting.Status.HELD
            meeting.save(update_fields=["status"])
        _event(meeting, actor, "minutes", at=now)
    return Outcome(minutes, True)


def _started(meeting: Meeting, now) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise refuse_state(meeting)
    if meeting.starts_at > now:
        raise DomainError(_("会议开始后才能记录决定和待办事项。"), code="time")


def decision_record(*, meeting_id: int, actor, text: str, now=None) -> Decision:
    now = now or timezone.now()
    text = need(text, _("请填写决定的内容。"), 2000)
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        _started(meeting, now)
        decision = Decision.objects.create(meeting=meeting, text=text, recorded_by=actor, created_at=now)
        _event(meeting, actor, "decision", at=now, decision=decision.pk)
    return decision


def action_item_create(*, meeting_id: int, actor, title: str, owner, due_on: date, decision: Decision | None = None,
                       unit=None, now=None) -> ActionItem:
    """Record an action item; ``unit``: the flat it is about (kept when it is turned into a case)."""
    now = now or timezone.now()
    title = need(title, _("请填写待办事项。"), 300)
    if owner is None:
        raise DomainError(_("请选择负责人。"), code="owner")
    if due_on is None or due_on < timezone.localdate(now):
        raise DomainError(_("完成期限不能早于今天。"), code="due_on")
    with transaction.atomic():
        meeting = lock_meeting(meeting_id)
        require(actor, "meeting.manage", meeting)
        _started(meeting, now)
        check_people(meeting.community, organiser=owner)
        if decision is not None and decision.meeting_id != meeting.pk:
            raise DomainError(_("只能关联本次会议的决定。"), code="decision")
        if unit is not None and unit.building.community_id != meeting.community_id:
            raise DomainError(_("所选房屋不在本社区。"), code="unit")
        item = ActionItem.objects.create(meeting=meeting, decision=decision, title=title, owner=owner, due_on=due_on,
                                         unit=unit, created_by=actor, created_at=now)
        _event(meeting, actor, "action_create", at=now, item=item.pk, owner=owner.pk)
        tell([owner], meeting=meeting, actor=actor,
             title=deferred(gettext_lazy("会议待办交给您：%(title)s"), title=title),
             body=deferred(gettext_lazy("来自会议：%(meeting)s\n完成期限：%(due)s"), meeting=meeting.title,
                           due=due_on.isoformat()))
    return item


def _lock_item(item_id: int) -> tuple[ActionItem, Meeting]:
    item = ActionItem.objects.select_for_update(of=("self",)).filter(pk=item_id).first()
    if item is None:
        raise ActionItem.DoesNotExist
    return item, Meeting.objects.select_related("community", "organiser").get(pk=item.meeting_id)


def action_item_complete(*, item_id: int, actor, now=None) -> Outcome:
    now = now or timezone.now()
    with transaction.atomic():
        item, meeting = _lock_item(item_id)
        if item.owner_id != actor.pk:
            require(actor, "meeting.manage", meeting)
        if item.status == ActionItem.Status.DONE:
            return Outcome(item, False)
        if item.status != ActionItem.Status.OPEN:
            raise DomainError(_("这项待办已取消，不能再标记完成。"), code="state")
        item.status, item.done_at = ActionItem.Status.DONE, now
        item.save(update_fields=["status", "done_at"])
        _event(meeting, actor, "action_done", at=now, item=item.pk)
        tell([meeting.organiser], meeting=meeting, actor=actor,
             title=deferred(gettext_lazy("会议待办已完成：%(title)s"), title=item.title))
    return Outcome(item, True)


def action_item_to_case(*, item_id: int, actor, category, description: str = "", place_text: str = "") -> Outcome:
    """Turn an open action item into a case in one step, through the case filing service; the item
    links the case. The case keeps the item's flat, is routed by the category's rules like any case
    (case_file routes on arrival) and records the channel 会议. A second request returns the case already made."""
    from .cases import case_file, case_origin_record

    with transaction.atomic():
        item, meeting = _lock_item(item_id)
        require(actor, "meeting.manage", meeting)
        if item.case_id:
            return Outcome(item, False)
        if item.status != ActionItem.Status.OPEN:
            raise DomainError(_("只有进行中的待办事项才能转为诉求。"), code="state")
        # Stored text: in the community's language, not the language of whoever clicked.
        text = (description or "").strip() or stored(deferred(
            gettext_lazy("%(title)s（来自会议：%(meeting)s，%(when)s）"), title=item.title, meeting=meeting.title,
            when=when(meeting.starts_at)))
        case = case_file(filed_by=actor, community=meeting.community, category=category, description=text,
                         place_text=place_text, unit=item.unit, channel=Case.Channel.MEETING)
        item.case = case
        item.save(update_fields=["case"])
        case_origin_record(case=case, kind=ACTION_ITEM_ORIGIN, object_id=item.pk)
        _event(meeting, actor, "action_to_case", item=item.pk, case=case.pk)
    return Outcome(item, True)
