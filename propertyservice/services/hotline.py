"""Writes of the 24-hour hotline: log a call (once per form token), alert the night guard (or the heads), hand a
case to the committee or file it, record a call-back as done, remind the call-backs that are due, note that a
call's case was answered, reveal a caller's number (logged)."""
import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.models import Backbone, Case, Role, Rota, Team, User, VillageGroup, normalize_phone
from communities.selectors.personal_data import Subject
from communities.selectors.rotas import on_duty_now
from communities.services.cases import case_file, case_origin_record
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.personal_data import reveal_value
from communities.services.texts import bounded_text, deferred

from ..models import HotlineCall
from ..selectors import hotline as sel

O = HotlineCall.Outcome
CASE_ORIGIN = "propertyservice.hotline_call"
# A call may be logged a while after it came in (the phone first, the form after), never ahead of the clock.
CLOCK_SLACK = dt.timedelta(minutes=5)
MAX_BACKDATE = dt.timedelta(days=7)


def _url(call) -> str:
    return reverse("propertyservice:hotline_detail", args=[call.pk])


def _check_input(*, actor, community, received_at, caller_name, caller_phone, village_group, category, about,
                 outcome, answer, callback_due_at, callback_assignee, now) -> dict:
    """The typed fields, cleaned; a ``DomainError`` (in Chinese) for the first that is wrong."""
    if received_at > now + CLOCK_SLACK:
        raise DomainError(_("来电时间不能晚于现在。"), code="received_at")
    if received_at < now - MAX_BACKDATE:
        raise DomainError(_("只能登记 7 天内的来电。"), code="received_at")
    name = bounded_text(caller_name, limit=40, required=_("请填写来电人姓名（不愿透露可写“匿名”）。"))
    if not (caller_phone or "").strip():
        raise DomainError(_("请填写来电号码。"), code="phone")
    try:
        phone = normalize_phone(caller_phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="phone") from None
    about = bounded_text(about, limit=2000, required=_("请填写来电内容。"))
    if category not in HotlineCall.Category.values:
        raise DomainError(_("请选择来电类别。"), code="category")
    if outcome not in dict(sel.outcomes_offered()):
        raise DomainError(_("请选择处理结果。"), code="outcome")
    answer = bounded_text(answer, limit=2000)
    if outcome == O.ANSWERED and not answer:
        raise DomainError(_("当场答复请填写答复内容。"), code="answer")
    if village_group is not None and village_group.community_id != community.pk:
        raise DomainError(_("所选村民小组不在本村。"), code="village_group")
    if (callback_due_at is None) != (callback_assignee is None):
        raise DomainError(_("承诺回电请同时填写回电期限和回电人。"), code="callback")
    if outcome == O.CALLBACK and callback_due_at is None:
        raise DomainError(_("稍后回电请填写回电期限和回电人。"), code="callback")
    if callback_due_at is not None:
        if callback_due_at <= received_at:
            raise DomainError(_("回电期限要晚于来电时间。"), code="callback")
        if not policy.can(callback_assignee, "propertyservice.hotline.log", community):
            raise DomainError(_("回电人须是本村服务站的工作人员。"), code="callback")
    return {"caller_name": name, "caller_phone": phone, "about": about, "answer": answer}


def hotline_call_log(*, actor, community, token: uuid.UUID, received_at: dt.datetime, caller_name: str,
                     caller_phone: str, category: str, about: str, outcome: str,
                     village_group: VillageGroup | None = None, house: str = "", urgent: bool = False,
                     answer: str = "", case_category=None,
                     callback_due_at: dt.datetime | None = None, callback_assignee: User | None = None,
                     now=None) -> tuple[HotlineCall, bool]:
    """Log one call. Returns (the call, created): the same ``token`` again (a double submission) returns the call
    already logged and changes nothing. At night or when urgent the guard on the security shift is alerted."""
    now = now or timezone.now()
    if not policy.can(actor, "propertyservice.hotline.log", community):
        raise PermissionDenied
    existing = HotlineCall.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    clean = _check_input(actor=actor, community=community, received_at=received_at, caller_name=caller_name,
                         caller_phone=caller_phone, village_group=village_group, category=category, about=about,
                         outcome=outcome, answer=answer, callback_due_at=callback_due_at,
                         callback_assignee=callback_assignee, now=now)
    try:
        with transaction.atomic():
            call = HotlineCall.objects.create(
                community=community, token=token, received_at=received_at, logged_by=actor, logged_at=now,
                village_group=village_group, house=(house or "").strip()[:100], category=category, urgent=urgent,
                outcome=outcome, answered_at=received_at if outcome == O.ANSWERED else None,
                callback_due_at=callback_due_at, callback_assignee=callback_assignee, **clean)
            if outcome == O.CASE:
                _case_on_log(call=call, actor=actor, category=case_category, now=now)
            elif outcome == O.INCIDENT:
                incident = import_string(sel.incident_opener())(call=call, actor=actor)
                call.incident = incident
                call.save(update_fields=["incident"])
            if urgent or sel.is_night(received_at):
                _alert_on_duty(call=call, now=now)
            if callback_assignee is not None and callback_assignee != actor:
                notify(recipient=callback_assignee, url=_url(call),
                       title=deferred(_("请回电：%(name)s"), name=call.caller_name),
                       body=deferred(_("%(due)s 前回电。来电内容：%(about)s"),
                                     due=timezone.localtime(callback_due_at).strftime("%m-%d %H:%M"), about=call.about))
    except IntegrityError:
        existing = HotlineCall.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False  # the other submission of the same form won the race
    return call, True


def _case_on_log(*, call, actor, category, now) -> None:
    """File the case at once when the one logging may file on behalf (core ``case.file_on_behalf``) and chose a
    category; otherwise hand it to the village committee's staff, who file it from the call's page."""
    if category is not None and policy.can(actor, "case.file_on_behalf", call.community):
        _file(call=call, actor=actor, category=category)
        return
    call.case_handed_at = now
    call.save(update_fields=["case_handed_at"])
    for staff in User.objects.filter(memberships__community=call.community, memberships__role=Role.COMMITTEE_STAFF,
                                     is_active=True).distinct():
        notify(recipient=staff, url=_url(call), title=deferred(_("热线来电待立案：%(name)s"), name=call.caller_name),
               body=call.about)


def _file(*, call, actor, category) -> Case:
    place = " ".join(p for p in (call.village_group.name if call.village_group else "", call.house) if p)
    case = case_file(filed_by=actor, community=call.community, category=category, description=call.about,
                     channel=Case.Channel.HOTLINE, reporter_name=call.caller_name, reporter_phone=call.caller_phone,
                     place_text=place)
    case_origin_record(case=case, kind=CASE_ORIGIN, object_id=call.pk)
    call.case = case
    call.save(update_fields=["case"])
    return case


def hotline_case_file(*, actor, call_id: int, category) -> tuple[Case, bool]:
    """The committee's staff file the case of a call handed to them (热线渠道, on the caller's behalf). Returns
    (the case, created); a second press returns the case already filed."""
    with transaction.atomic():
        call = (HotlineCall.objects.select_for_update(of=("self",)).select_related("community", "village_group")
                .get(pk=call_id))
        if not policy.can(actor, "propertyservice.hotline.file_case", call):
            raise PermissionDenied
        if call.case_id:
            return call.case, False
        if call.outcome != O.CASE:
            raise DomainError(_("这个来电不需要立案。"), code="outcome")
        if category is None:
            raise DomainError(_("请选择诉求类别。"), code="category")
        return _file(call=call, actor=actor, category=category), True


def _heads(community) -> list[User]:
    return list(User.objects.filter(
        backbone_terms__office=Backbone.Office.STATION_HEAD, backbone_terms__term_end__isnull=True,
        backbone_terms__team__kind=Team.Kind.STATION, backbone_terms__team__community=community,
        is_active=True).distinct())


def _alert_on_duty(*, call, now) -> None:
    """Whoever is on the security shift when the call came in is told at once; nobody on duty: the heads."""
    on_duty = list(dict.fromkeys(d.user for d in on_duty_now(community=call.community, kinds=[Rota.Kind.SECURITY],
                                                           at=call.received_at)))
    call.alert = HotlineCall.Alert.GUARD if on_duty else HotlineCall.Alert.HEADS
    recipients = on_duty or _heads(call.community)
    title = (deferred(_("夜间热线来电：%(category)s"), category=call.get_category_display())
             if sel.is_night(call.received_at)
             else deferred(_("紧急热线来电：%(category)s"), category=call.get_category_display()))
    where = " ".join(p for p in (call.village_group.name if call.village_group else "", call.house) if p)
    body = deferred(_("%(time)s %(name)s（%(phone)s）%(where)s：%(about)s"),
                    time=timezone.localtime(call.received_at).strftime("%H:%M"), name=call.caller_name,
                    phone=call.masked_phone, where=where, about=call.about)
    if not on_duty:
        body = deferred(_("现在没有人在保安班上。%(details)s"), details=body)
    for user in recipients:
        notify(recipient=user, title=title, body=body, url=_url(call))
    call.alerted_at = now
    call.save(update_fields=["alert", "alerted_at"])
    call.alerted.set(recipients)


def hotline_callback_done(*, actor, call_id: int, note: str = "", now=None) -> bool:
    """The promised call-back was made. False (and nothing changes) when it was already recorded."""
    now = now or timezone.now()
    note = bounded_text(note, limit=300)
    with transaction.atomic():
        call = HotlineCall.objects.select_for_update().get(pk=call_id)
        if not policy.can(actor, "propertyservice.hotline.log", call):
            raise PermissionDenied
        if call.callback_due_at is None:
            raise DomainError(_("这个来电没有承诺回电。"), code="callback")
        if call.callback_done_at is not None:
            return False
        call.callback_done_at, call.callback_done_by, call.callback_note = now, actor, note
        fields = ["callback_done_at", "callback_done_by", "callback_note"]
        if call.answered_at is None:
            call.answered_at = max(now, call.received_at)
            fields.append("answered_at")
        call.save(update_fields=fields)
    return True


def hotline_callbacks_remind(*, now=None) -> int:
    """Remind each assignee of a call-back that is due, once (``callback_reminded_at``, claimed by a conditional
    update, so a repeated or doubled run reminds nobody twice). Returns how many were reminded."""
    now = now or timezone.now()
    sent = 0
    for call in sel.callbacks_due(now=now).select_related("callback_assignee"):
        with transaction.atomic():
            claimed = HotlineCall.objects.filter(pk=call.pk, callback_reminded_at__isnull=True,
                                                 callback_done_at__isnull=True).update(callback_reminded_at=now)
            if claimed != 1:
                continue
            notify(recipient=call.callback_assignee, url=_url(call),
                   title=deferred(_("回电到期：%(name)s"), name=call.caller_name),
                   body=deferred(_("承诺 %(due)s 前回电，还没有记录回电。来电内容：%(about)s"),
                                 due=timezone.localtime(call.callback_due_at).strftime("%m-%d %H:%M"),
                                 about=call.about))
            sent += 1
    return sent


def hotline_case_answered(*, case, now=None) -> int:
    """A call's case was closed: the call is answered then (unless a call-back answered it first)."""
    now = now or timezone.now()
    return (HotlineCall.objects.filter(case=case, answered_at__isnull=True, received_at__lte=now)
            .update(answered_at=now))


def hotline_phone_reveal(*, viewer, call) -> str:
    """The caller's number in full for a call-back, the access logged (``PersonalDataAccess``); masked when the
    rule does not allow it."""
    subject = Subject(key=call.pk, person=None, value=call.caller_phone, community_id=call.community_id,
                      target=call, decided_by=("community", call.community_id))
    return reveal_value(viewer=viewer, subject=subject, action="propertyservice.hotline.reveal_phone",
                        purpose=_("热线来电回电"))
