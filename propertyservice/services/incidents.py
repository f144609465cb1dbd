"""Incidents (突发事件) and the emergency team's escalation chain (issue 14 item 3).

The steps of an incident run on ``INCIDENTS`` (``propertyservice.incidents_workflow``): each service locks the
incident, checks actor and state, keeps the step's moment on the row and appends an ``IncidentEvent``; a
double-clicked button is a repeat that changes nothing (``Outcome.changed`` is False).

The escalation chain: ``incident_dispatch`` lists the team's available members with the needed skill in on-call
order (值守顺序) as ``IncidentDispatch`` rows and calls the first (a notification with a link to acknowledge).
``escalations_advance`` (beat, every minute) times out each call not acknowledged within ``ack_minutes()`` and
calls the next; an acknowledgement stands the rest down. Both lock the incident row first, so a late
acknowledgement and the beat never both win.

Public for the other areas (the hotline): ``incident_detect``. The team and the members who can be called now
are read by ``propertyservice.selectors.incidents`` (``emergency_team``, ``dispatch_candidates``).
"""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Backbone, Building, Case, CaseCategory, Team, TeamMember, User, VillageGroup
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.texts import deferred

from ..incidents_workflow import INCIDENTS
from ..models import Incident, IncidentDispatch, IncidentEvent, IncidentWarning, ResponderProfile, Skill
from ..models.incidents import ack_minutes
from ..selectors.incidents import dispatch_candidates

S = Incident.Status
D = IncidentDispatch.Status
CASE_ORIGIN = "propertyservice.incident"

DEFAULT_URGENCY = {Incident.Kind.FALL: Incident.Urgency.LIFE, Incident.Kind.FIRE_HAZARD: Incident.Urgency.LIFE,
                   Incident.Kind.OTHER: Incident.Urgency.ORDINARY}
DEFAULT_SKILL = {Incident.Kind.BURST_PIPE: Skill.PLUMBER, Incident.Kind.POWER_CUT: Skill.ELECTRICIAN,
                 Incident.Kind.FIRE_HAZARD: Skill.ELECTRICIAN, Incident.Kind.STORM: Skill.MASON,
                 Incident.Kind.FALL: Skill.FIRST_AID}


@dataclass
class Outcome:
    obj: object
    changed: bool


def _url(incident) -> str:
    return reverse("propertyservice:incident_detail", args=[incident.pk])


def _event(incident, action: str, actor, *, at, note: str = "", data=None) -> IncidentEvent:
    """A timeline row that does not change the incident's state (a call, an acknowledgement, a time-out)."""
    return IncidentEvent.objects.create(incident=incident, actor=actor, action=action, from_status=incident.status,
                                        to_status=incident.status, note=note, data=data or {}, at=at)


def _tell_reporter(incident, title) -> None:
    """A villager who reported it follows its progress in the inbox (the page shows the rest)."""
    if incident.how == Incident.How.RESIDENT:
        notify(recipient=incident.detected_by, url=_url(incident),
               title=deferred(title, kind=str(incident.get_kind_display()), place=incident.place))


def _heads(community_id: int):
    return User.objects.filter(backbone_terms__office=Backbone.Office.STATION_HEAD,
                               backbone_terms__term_end__isnull=True, backbone_terms__team__kind=Team.Kind.STATION,
                               backbone_terms__team__community_id=community_id).distinct().order_by("pk")


def _choice(value, choices, code: str, message) -> str:
    if value not in choices.values:
        raise DomainError(message, code=code)
    return value


# --- detection --------------------------------------------------------------------------------------------------

def incident_detect(*, actor, community, kind: str, how: str, place: str, description: str,
                    detected_at: dt.datetime | None = None, drill: bool = False, now: dt.datetime | None = None,
                    urgency: str = "") -> Incident:
    """Record an incident as found (发现): ``how`` is one of ``Incident.How`` (patrol, camera, hotline, resident,
    other). Station staff and committee staff record any; a villager only reports one (``how="resident"``).
    ``detected_at`` (default ``now``) is when it was found, which may be a little before it is typed in; never in
    the future. ``urgency`` defaults by kind (a fall or a fire hazard: life-threatening). The station's heads are
    told of a villager's report. The hotline calls this with ``how="hotline"``.

    Raises ``PermissionDenied`` for someone who may not, ``DomainError`` for bad input (nothing written)."""
    now = now or timezone.now()
    manager = policy.can(actor, "propertyservice.incident.manage", community)
    if not (manager or (how == Incident.How.RESIDENT and policy.can(actor, "propertyservice.incident.report",
                                                                       community))):
        raise PermissionDenied
    _choice(kind, Incident.Kind, "kind", gettext_lazy("请选择事件类型。"))
    _choice(how, Incident.How, "how", gettext_lazy("请选择发现方式。"))
    urgency = urgency or DEFAULT_URGENCY.get(kind, Incident.Urgency.URGENT)
    _choice(urgency, Incident.Urgency, "urgency", gettext_lazy("请选择紧急程度。"))
    place, description = (place or "").strip(), (description or "").strip()
    if not place:
        raise DomainError(gettext_lazy("请填写地点。"), code="place")
    if not description:
        raise DomainError(gettext_lazy("请描述一下情况。"), code="description")
    detected_at = detected_at or now
    if detected_at > now + dt.timedelta(minutes=1):
        raise DomainError(gettext_lazy("发现时间不能晚于现在。"), code="detected_at")
    if drill and not manager:
        raise PermissionDenied
    with transaction.atomic():
        incident = Incident.objects.create(
            community=community, kind=kind, how=how, urgency=urgency, drill=drill, detected_by=actor,
            place=place[:200], description=description[:2000], detected_at=detected_at,
            needed_skill=DEFAULT_SKILL.get(kind, ""))
        _event(incident, "detect", actor, at=detected_at, data={"how": how, "drill": drill})
        if how == Incident.How.RESIDENT:
            for head in _heads(community.pk):
                notify(recipient=head, url=_url(incident),
                       title=deferred(gettext_lazy("村民报告突发事件：%(kind)s"), kind=str(incident.get_kind_display())),
                       body=deferred(gettext_lazy("地点：%(place)s。%(description)s"), place=incident.place,
                                     description=incident.description))
    return incident


# --- the steps --------------------------------------------------------------------------------------------------

def incident_warn(*, incident_id: int, actor, level: str, audience: str, channels, village_group=None,
                  building=None, message: str = "", now: dt.datetime | None = None) -> Outcome:
    """Issue the warning (发布预警): one of the four national levels, to all households, one village group or one
    building, on one or more channels (广播/微信群/电话/上门), a row per channel."""
    now = now or timezone.now()
    _choice(level, IncidentWarning.Level, "level", gettext_lazy("请选择预警级别。"))
    _choice(audience, IncidentWarning.Audience, "audience", gettext_lazy("请选择发布范围。"))
    channels = sorted(set(channels or []))
    if not channels:
        raise DomainError(gettext_lazy("请至少选择一个发布渠道。"), code="channels")
    for channel in channels:
        _choice(channel, IncidentWarning.Channel, "channels", gettext_lazy("请选择发布渠道。"))
    with transaction.atomic():
        step = INCIDENTS.begin(incident_id, actor, "warn")
        if step.repeat:
            return Outcome(step.obj, False)
        incident = step.obj
        group, house = _audience(incident, audience, village_group, building)
        for channel in channels:
            IncidentWarning.objects.create(incident=incident, level=level, audience=audience, village_group=group,
                                           building=house, channel=channel, message=(message or "").strip(),
                                           issued_by=actor, issued_at=now)
        incident.warned_at = now
        INCIDENTS.apply(step, actor, at=now, fields=["warned_at"], note=(message or "").strip(),
                        data={"level": level, "audience": audience, "channels": channels})
    return Outcome(incident, True)


def incident_from_call(*, call, actor, now=None) -> Incident:
    """A hotline call that is an emergency becomes an incident (转为突发事件): found by the hotline when the call
    came in, at the place the caller named, described as the call was. A call marked urgent is life-threatening
    until someone on the spot says otherwise; the kind is "other" until the station sets it on the incident's
    page. Checks and errors as ``incident_detect``."""
    place = " ".join(p for p in (call.village_group.name if call.village_group_id else "", call.house) if p)
    return incident_detect(actor=actor, community=call.community, kind=Incident.Kind.OTHER, how=Incident.How.HOTLINE,
                           place=place or gettext_lazy("热线来电（地点待确认）"), description=call.about,
                           detected_at=call.received_at, now=now,
                           urgency=Incident.Urgency.LIFE if call.urgent else Incident.Urgency.URGENT)


def _audience(incident, audience, village_group, building):
    if audience == IncidentWarning.Audience.GROUP:
        if village_group is None or not VillageGroup.objects.filter(pk=getattr(village_group, "pk", village_group),
                                                                    community_id=incident.community_id).exists():
            raise DomainError(gettext_lazy("请选择本村的村民小组。"), code="village_group")
        return VillageGroup.objects.get(pk=getattr(village_group, "pk", village_group)), None
    if audience == IncidentWarning.Audience.BUILDING:
        if building is None or not Building.objects.filter(pk=getattr(building, "pk", building),
                                                           community_id=incident.community_id).exists():
            raise DomainError(gettext_lazy("请选择本村的房屋。"), code="building")
        return None, Building.objects.get(pk=getattr(building, "pk", building))
    return None, None


def incident_dispatch(*, incident_id: int, actor, skill: str = "", now: dt.datetime | None = None) -> Outcome:
    """Dispatch (派遣): the chain of available members with ``skill`` in on-call order, the first one called."""
    now = now or timezone.now()
    if skill:
        _choice(skill, Skill, "skill", gettext_lazy("请选择所需技能。"))
    with transaction.atomic():
        step = INCIDENTS.begin(incident_id, actor, "dispatch")
        if step.repeat:
            return Outcome(step.obj, False)
        incident = step.obj
        chain = dispatch_candidates(community=incident.community, skill=skill, now=now)
        if not chain:
            raise DomainError(gettext_lazy("现在没有具备这项技能、正在值守的队员。请换一项技能，或直接电话联系。"),
                              code="no_responder")
        rows = [IncidentDispatch.objects.create(incident=incident, member=p.member, user=p.member.user,
                                                position=i) for i, p in enumerate(chain, start=1)]
        incident.dispatched_at, incident.needed_skill = now, skill
        INCIDENTS.apply(step, actor, at=now, fields=["dispatched_at", "needed_skill"],
                        data={"skill": skill, "chain": [r.user_id for r in rows]})
        _call(incident, rows[0], now)
        _tell_reporter(incident, gettext_lazy("您报告的%(kind)s（%(place)s）：服务站已派遣队员"))
    return Outcome(incident, True)


def incident_recall(*, incident_id: int, actor, skill: str = "", now: dt.datetime | None = None) -> Outcome:
    """再次呼叫: when nobody answered the whole chain, call the available members with ``skill`` (any when empty)
    who were not called yet, in on-call order, the same way. Refused while someone is being called or has
    answered (a repeat then changes nothing) and when there is nobody new to call."""
    now = now or timezone.now()
    if skill:
        _choice(skill, Skill, "skill", gettext_lazy("请选择所需技能。"))
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if not policy.can(actor, "propertyservice.incident.manage", incident):
            raise PermissionDenied
        if incident.status != S.DISPATCHED:
            raise INCIDENTS.refusal(incident)
        chain = list(IncidentDispatch.objects.filter(incident=incident).order_by("position"))
        if any(d.status in (D.CALLED, D.QUEUED, D.ACKNOWLEDGED) for d in chain):
            return Outcome(incident, False)
        called = {d.user_id for d in chain}
        fresh = [p for p in dispatch_candidates(community=incident.community, skill=skill, now=now)
                 if p.member.user_id not in called]
        if not fresh:
            raise DomainError(gettext_lazy("没有还没呼叫过、正在值守的队员了，请直接电话联系。"), code="no_responder")
        last = chain[-1].position if chain else 0
        rows = [IncidentDispatch.objects.create(incident=incident, member=p.member, user=p.member.user,
                                                position=last + i) for i, p in enumerate(fresh, start=1)]
        _event(incident, "recall", actor, at=now, data={"skill": skill, "chain": [r.user_id for r in rows]})
        _call(incident, rows[0], now)
    return Outcome(incident, True)


def _call(incident, dispatch: IncidentDispatch, now) -> None:
    dispatch.status, dispatch.called_at = D.CALLED, now
    dispatch.ack_due_at = now + dt.timedelta(minutes=ack_minutes())
    dispatch.save(update_fields=["status", "called_at", "ack_due_at"])
    _event(incident, "call", None, at=now, data={"dispatch": dispatch.pk, "user": dispatch.user_id,
                                                   "position": dispatch.position})
    title = gettext_lazy("演练：%(kind)s，请确认能否前往") if incident.drill \
        else gettext_lazy("突发事件：%(kind)s，请确认能否前往")
    notify(recipient=dispatch.user, url=reverse("propertyservice:incident_ack", args=[dispatch.pk]),
           title=deferred(title, kind=str(incident.get_kind_display())),
           body=deferred(gettext_lazy("地点：%(place)s。%(description)s 请在 %(minutes)s 分钟内点链接确认，"
                                      "否则将呼叫下一位队员。"), place=incident.place,
                         description=incident.description, minutes=ack_minutes()))


def dispatch_acknowledge(*, dispatch_id: int, actor, now: dt.datetime | None = None) -> Outcome:
    """The called member answers "我去" (from the link in their notification). A late answer after a time-out
    is still taken while nobody else has answered. The rest of the chain is stood down."""
    now = now or timezone.now()
    with transaction.atomic():
        incident_id = IncidentDispatch.objects.values_list("incident_id", flat=True).get(pk=dispatch_id)
        incident = Incident.objects.select_for_update().get(pk=incident_id)  # the beat takes the same lock
        dispatch = IncidentDispatch.objects.select_for_update().get(pk=dispatch_id)
        if dispatch.user_id != actor.pk:
            raise PermissionDenied
        if dispatch.status == D.ACKNOWLEDGED:
            return Outcome(dispatch, False)
        answered = IncidentDispatch.objects.filter(incident=incident, status=D.ACKNOWLEDGED).exists()
        if dispatch.status == D.STOOD_DOWN or incident.status != S.DISPATCHED or answered:
            raise DomainError(gettext_lazy("已有其他队员响应，或事件已处理，无需前往。"), code="stood_down")
        if dispatch.status == D.QUEUED:
            raise DomainError(gettext_lazy("还没有轮到呼叫您。"), code="queued")
        dispatch.status, dispatch.acknowledged_at = D.ACKNOWLEDGED, now
        dispatch.save(update_fields=["status", "acknowledged_at"])
        others = list(IncidentDispatch.objects.filter(incident=incident, status__in=[D.QUEUED, D.CALLED])
                      .exclude(pk=dispatch.pk).select_for_update())
        for other in others:
            if other.status == D.CALLED:
                notify(recipient=other.user, url=_url(incident),
                       title=deferred(gettext_lazy("已有队员响应：%(kind)s，您无需前往"),
                                      kind=str(incident.get_kind_display())))
        IncidentDispatch.objects.filter(pk__in=[o.pk for o in others]).update(status=D.STOOD_DOWN)
        _event(incident, "acknowledge", actor, at=now, data={"dispatch": dispatch.pk,
                                                             "minutes": _minutes(dispatch.called_at, now)})
    return Outcome(dispatch, True)


def escalations_advance(*, now: dt.datetime | None = None) -> int:
    """The beat's clock (every minute): each call not acknowledged by its deadline times out and the next
    member in the chain is called; when the chain runs out the heads are told, once. Returns the number of
    calls timed out. Safe to run twice or late: it acts only on calls still open and due, under the lock."""
    now = now or timezone.now()
    due = (IncidentDispatch.objects.filter(status=D.CALLED, ack_due_at__lte=now)
           .values_list("incident_id", flat=True).distinct())
    return sum(_escalate(incident_id, now) for incident_id in sorted(set(due)))


def _escalate(incident_id: int, now) -> int:
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        due = list(IncidentDispatch.objects.select_for_update().filter(incident=incident, status=D.CALLED,
                                                                        ack_due_at__lte=now).order_by("position"))
        if not due:
            return 0
        if incident.status != S.DISPATCHED:  # arrived or closed meanwhile: nobody more to call
            IncidentDispatch.objects.filter(incident=incident, status__in=[D.QUEUED, D.CALLED]) \
                .update(status=D.STOOD_DOWN)
            return 0
        for dispatch in due:
            dispatch.status, dispatch.timed_out_at = D.TIMED_OUT, now
            dispatch.save(update_fields=["status", "timed_out_at"])
            _event(incident, "time_out", None, at=now, data={"dispatch": dispatch.pk, "user": dispatch.user_id})
        if IncidentDispatch.objects.filter(incident=incident, status=D.CALLED).exists():
            return len(due)
        following = IncidentDispatch.objects.filter(incident=incident, status=D.QUEUED).order_by("position").first()
        if following is not None:
            _call(incident, following, now)
        else:
            _event(incident, "chain_exhausted", None, at=now)
            for head in _heads(incident.community_id):
                notify(recipient=head, url=_url(incident),
                       title=deferred(gettext_lazy("突发事件无人响应：%(kind)s"), kind=str(incident.get_kind_display())),
                       body=deferred(gettext_lazy("值守名单上的队员都没有在时限内确认，请电话联系。地点：%(place)s"),
                                     place=incident.place))
    return len(due)


def incident_arrive(*, incident_id: int, actor, now: dt.datetime | None = None) -> Outcome:
    """On site (到场)."""
    now = now or timezone.now()
    with transaction.atomic():
        step = INCIDENTS.begin(incident_id, actor, "arrive")
        if step.repeat:
            return Outcome(step.obj, False)
        incident = step.obj
        incident.arrived_at = now
        met = _minutes(incident.detected_at, now) <= incident.target_minutes()
        INCIDENTS.apply(step, actor, at=now, fields=["arrived_at"], data={"met_target": met})
        IncidentDispatch.objects.filter(incident=incident, status__in=[D.QUEUED, D.CALLED]) \
            .update(status=D.STOOD_DOWN)
    return Outcome(incident, True)


def incident_handle(*, incident_id: int, actor, action_taken: str, now: dt.datetime | None = None) -> Outcome:
    """Handled (处置完毕): what was done."""
    now = now or timezone.now()
    action_taken = (action_taken or "").strip()
    if not action_taken:
        raise DomainError(gettext_lazy("请写明做了哪些处置。"), code="action_taken")
    with transaction.atomic():
        step = INCIDENTS.begin(incident_id, actor, "handle")
        if step.repeat:
            return Outcome(step.obj, False)
        incident = step.obj
        incident.handled_at, incident.action_taken = now, action_taken[:2000]
        INCIDENTS.apply(step, actor, at=now, fields=["handled_at", "action_taken"], note=action_taken[:2000])
    return Outcome(incident, True)


def incident_close(*, incident_id: int, actor, note: str = "", open_case: bool = False, category=None,
                   case_description: str = "", now: dt.datetime | None = None) -> Outcome:
    """Close (关闭), optionally opening a follow-up case for the repair (station or committee staff file it)."""
    now = now or timezone.now()
    with transaction.atomic():
        step = INCIDENTS.begin(incident_id, actor, "close")
        if step.repeat:
            return Outcome(step.obj, False)
        incident = step.obj
        incident.closed_at = now
        INCIDENTS.apply(step, actor, at=now, fields=["closed_at"], note=(note or "").strip())
        _tell_reporter(incident, gettext_lazy("您报告的%(kind)s（%(place)s）已处置完毕"))
        if open_case:
            _file_case(incident, actor, category, case_description, now)
    return Outcome(incident, True)


def incident_case_open(*, incident_id: int, actor, category, description: str = "",
                       now: dt.datetime | None = None) -> Outcome:
    """Open the follow-up case of a handled or closed incident later (e.g. committee staff, after the station
    closed it). A second one is refused: the incident keeps one case."""
    now = now or timezone.now()
    with transaction.atomic():
        incident = policy.get_object_or_404_for(actor, "propertyservice.incident.manage",
                                                Incident.objects.select_for_update(), pk=incident_id)
        if incident.case_id:
            return Outcome(incident, False)
        if incident.status not in (S.HANDLED, S.CLOSED):
            raise DomainError(gettext_lazy("事件处置完毕后才能开立后续案件。"), code="state")
        _file_case(incident, actor, category, description, now)
    return Outcome(incident, True)


def _file_case(incident, actor, category, description, now) -> Case:
    from communities.services.cases import case_file, case_origin_record

    if not policy.can(actor, "case.file_on_behalf", incident.community):
        raise DomainError(gettext_lazy("后续维修案件由服务站或村委工作人员开立。"), code="case_role")
    if not isinstance(category, CaseCategory) or category.community_id != incident.community_id:
        raise DomainError(gettext_lazy("请选择案件类别。"), code="category")
    channel = Case.Channel.HOTLINE if incident.how in (Incident.How.HOTLINE, Incident.How.RESIDENT) \
        else Case.Channel.PATROL
    text = (description or "").strip() or _("突发事件后续维修：%(kind)s。%(done)s") % {
        "kind": incident.get_kind_display(), "done": incident.action_taken}
    case = case_file(filed_by=actor, community=incident.community, category=category, description=text,
                     reporter=incident.detected_by, place_text=incident.place, channel=channel)
    case_origin_record(case=case, kind=CASE_ORIGIN, object_id=incident.pk)
    incident.case = case
    incident.save(update_fields=["case"])
    _event(incident, "open_case", actor, at=now, data={"case": case.pk})
    return case


def _minutes(start, end) -> int:
    return round((end - start).total_seconds() / 60)


# --- the team's emergency profiles --------------------------------------------------------------------------------

def responder_profile_save(*, actor, member: TeamMember, skills, hours: str = ResponderProfile.Hours.ALL,
                           away_until: dt.datetime | None = None, on_call_order: int = 100,
                           note: str = "") -> ResponderProfile:
    """Keep a member's emergency profile (skills, hours, away until, on-call order); an audit row each time."""
    if not policy.can(actor, "propertyservice.incident.manage", member.team):
        raise PermissionDenied
    if member.team.kind != Team.Kind.VOLUNTEER_TEAM or member.left_at is not None:
        raise DomainError(gettext_lazy("只能为志愿队的在队成员登记应急档案。"), code="member")
    skills = sorted(set(skills or []))
    for skill in skills:
        _choice(skill, Skill, "skills", gettext_lazy("请选择技能。"))
    _choice(hours, ResponderProfile.Hours, "hours", gettext_lazy("请选择值守时段。"))
    with transaction.atomic():
        profile, _created = ResponderProfile.objects.select_for_update().get_or_create(member=member)
        profile.skills, profile.hours, profile.away_until = skills, hours, away_until
        profile.on_call_order, profile.note = on_call_order, (note or "").strip()[:100]
        profile.save()
        audit(actor=actor, action="propertyservice.responder_profile", community=member.team.community,
              profile=profile.pk, user=member.user_id, skills=skills, hours=hours, order=on_call_order)
    return profile


def emergency_member_add(*, actor, team: Team, user: User) -> tuple[TeamMember, bool]:
    """Add a member of the village to the 物业服务志愿队 (the core membership); (row, False) if already in."""
    from communities.models import Membership
    from communities.services.teams import team_member_join

    if not policy.can(actor, "propertyservice.incident.manage", team):
        raise PermissionDenied
    if team.kind != Team.Kind.VOLUNTEER_TEAM:
        raise DomainError(gettext_lazy("只能为志愿队的在队成员登记应急档案。"), code="member")
    if not Membership.objects.filter(user=user, community_id=team.community_id).exists():
        raise DomainError(gettext_lazy("只能添加本村的人。"), code="member")
    row, joined = team_member_join(team=team, user=user)
    if joined:
        audit(actor=actor, action="propertyservice.emergency_member_add", community=team.community,
              team=team.pk, user=user.pk)
    return row, joined
