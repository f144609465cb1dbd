"""The volunteer-hours record (平台记录) and the certificates (证明): the core mechanism the apps use.

RULES.md "Volunteers and their hours" (《志愿服务条例》 arts. 19–21, 《志愿服务记录与证明出具办法（试行）》 arts. 3–4):
- ``hours_record``: the one way an attended shift, a class session taught or another organised activity becomes
  an entry. Idempotent per source (source_kind, source_id, volunteer). Actual service minutes, travel excluded,
  confirmed by the organiser or the person served (``confirmed_how`` is required). Paid activities (a trial class
  at a fee, 体验课) are not volunteer service: ``paid=True`` is refused and records nothing.
- An entry over 1.5× its scheduled slot or over 6 hours waits for review (待审核) by committee staff.
- ``hours_enter_manual``: staff type an entry in; it waits for a SECOND person to confirm it (待确认), never the one
  who entered it nor the volunteer.
- ``hours_correct``: a correction is a new row with a reason; the replaced row is kept as superseded (已更正).
  Totals count current recorded rows only. A volunteer asks with ``hours_correction_request``.
- Certificates: ``certificate_propose`` starts the notice inside the unit (at least 7 days), ``certificate_issue``
  gives the next number of the community's register for the year (under a row lock: no gaps, no doubles) and is
  refused before the 7 days have passed, ``certificate_void`` keeps the row and its number with a reason.

Attended shifts: ``shift_hours_record`` is called by ``communities.services.rota_duty.shift_check_out`` in the
check-out's transaction, for rotas that are volunteer service (``VOLUNTEER_ROTA_KINDS``, see there).
"""
import datetime as dt
from collections import Counter

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import (
    CertificateCounter, Community, HoursCorrectionRequest, Role, Rota, VolunteerCertificate, VolunteerHours,
    VolunteerHoursEvent,
)
from ..models.hours import SOURCE_CORRECTION, SOURCE_MANUAL, SOURCE_SHIFT
from ..selectors.places import users_with_role
from .audit import audit
from .errors import DomainError
from .notifications import notify
from .texts import deferred

Status = VolunteerHours.Status
How = VolunteerHours.How

# Over these an entry waits for review: 1.5× the scheduled slot (exactly 1.5× passes), or 6 hours.
REVIEW_FACTOR_NUM, REVIEW_FACTOR_DEN = 3, 2
REVIEW_MAX_MINUTES = 6 * 60
NOTICE_DAYS = 7
# The town's short name at the head of a certificate number: 罗店郡园〔2026〕第001号.
TOWN_SHORT = "罗店"
COMMUNITY_SUFFIXES = ("居民区", "居委会", "村委会")

# Rota kinds whose shifts are volunteer service, and so earn hours at check-out:
# - 志愿授课 (teaching: 宝妈轮流, free classes) always;
# - 调解室值班 (蓉治社's landlords on duty in the reception room): unpaid service the committee organises;
# - 巡逻 (patrol) only by volunteers: a station worker patrolling is doing a paid job (光明村's 值班巡逻), not
#   volunteering, so a holder of the station-staff role gets no hours from it.
# 垃圾清运, 绿化保洁, 24小时安保 are the station's paid work and 其他 is too vague to guess: no automatic hours
# (staff enter such service by hand, and a second person confirms it).
VOLUNTEER_ROTA_KINDS = frozenset({Rota.Kind.TEACHING, Rota.Kind.MEDIATION_ROOM, Rota.Kind.PATROL})
PAID_WORK_ROLES = {Rota.Kind.PATROL: Role.STATION_STAFF}


def needs_review(*, minutes: int, scheduled_minutes: int | None) -> bool:
    if minutes > REVIEW_MAX_MINUTES:
        return True
    return bool(scheduled_minutes) and minutes * REVIEW_FACTOR_DEN > scheduled_minutes * REVIEW_FACTOR_NUM


def _span_minutes(starts_at, ends_at) -> int:
    return int((ends_at - starts_at).total_seconds() // 60)


def _check_times(*, starts_at, ends_at, minutes, now) -> int:
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise DomainError(gettext_lazy("服务结束时间要晚于开始时间。"), code="order")
    if ends_at > now:
        raise DomainError(gettext_lazy("服务还没有结束，结束后再记录时长。"), code="future")
    span = _span_minutes(starts_at, ends_at)
    minutes = span if minutes is None else int(minutes)
    if minutes <= 0:
        raise DomainError(gettext_lazy("服务时长要大于 0 分钟。"), code="minutes")
    if minutes > span:
        raise DomainError(deferred(gettext_lazy("服务时长（%(minutes)s 分钟）不能超过开始到结束的时间（%(span)s 分钟）。"),
                                   minutes=minutes, span=span), code="minutes")
    return minutes


def _event(entry, *, actor, action, from_status="", note="", at, **data) -> VolunteerHoursEvent:
    return VolunteerHoursEvent.objects.create(entry=entry, actor=actor, action=action, from_status=from_status,
                                              to_status=entry.status, note=note, data=data, at=at)


def _move(entry, *, to, actor, action, note="", now, fields=(), **data) -> None:
    before = entry.status
    entry.status = to
    entry.save(update_fields=["status", *fields])
    _event(entry, actor=actor, action=action, from_status=before, note=note, at=now, **data)


def _locked(entry) -> VolunteerHours:
    return VolunteerHours.objects.select_for_update(of=("self",)).select_related("community").get(pk=entry.pk)


# --- recording ----------------------------------------------------------------------------------------

def hours_record(*, volunteer, community, team=None, activity: str, place: str = "", starts_at, ends_at,
                 minutes: int | None = None, scheduled_minutes: int | None = None, source_kind: str,
                 source_id: int | None, confirmed_by=None, confirmed_how: str = "", paid: bool = False,
                 now=None) -> tuple[VolunteerHours, bool]:
    """Record the service of an organised activity once per source; returns (entry, created).

    ``community``/``team``: the organiser (谁组织谁记录). ``minutes``: actual service minutes (default: start to
    end). ``confirmed_how``: one of ``VolunteerHours.How`` (who confirmed the service and how). ``paid``: the
    activity was paid (a trial class at a fee): refused, nothing recorded. Status 已记录, or 待审核 when the
    minutes exceed 1.5× ``scheduled_minutes`` or 6 hours. Recording the same source again returns the first entry.
    """
    now = now or timezone.now()
    if paid:
        raise DomainError(gettext_lazy("有偿活动（如收费的体验课）不是志愿服务，不计志愿时长。"), code="paid")
    if source_kind in (SOURCE_MANUAL, SOURCE_CORRECTION) or not source_kind or source_id is None:
        raise DomainError(gettext_lazy("自动记录需要写明来源；手工录入请用“录入志愿时长”。"), code="source")
    if confirmed_how not in How.values:
        raise DomainError(gettext_lazy("请写明服务由谁、以什么方式确认。"), code="how")
    if team is not None and team.community_id != community.pk:
        raise DomainError(gettext_lazy("组织队伍不属于这个社区。"), code="team")
    key = {"source_kind": source_kind, "source_id": source_id, "volunteer": volunteer, "corrects__isnull": True}
    existing = VolunteerHours.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    minutes = _check_times(starts_at=starts_at, ends_at=ends_at, minutes=minutes, now=now)
    status = Status.AWAITING_REVIEW if needs_review(minutes=minutes, scheduled_minutes=scheduled_minutes) \
        else Status.RECORDED
    try:
        with transaction.atomic():
            entry = VolunteerHours.objects.create(
                volunteer=volunteer, community=community, team=team, activity=activity.strip()[:200],
                place=place.strip()[:200], starts_at=starts_at, ends_at=ends_at, minutes=minutes,
                scheduled_minutes=scheduled_minutes, source_kind=source_kind, source_id=source_id, status=status,
                confirmed_by=confirmed_by, confirmed_how=confirmed_how, confirmed_at=now, created_at=now)
            _event(entry, actor=confirmed_by, action="record", at=now, source=source_kind, minutes=minutes)
            audit(actor=confirmed_by, action="hours.record", community=community, entry=entry.pk,
                  source=source_kind, source_id=source_id)
    except IntegrityError:
        # The same source recorded at the same moment by another process: theirs stands.
        existing = VolunteerHours.objects.filter(**key).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


def shift_hours_record(*, assignment, now=None) -> tuple[VolunteerHours | None, bool]:
    """The hours of an attended shift: check-in to check-out, for rotas of a volunteering kind (see
    ``VOLUNTEER_ROTA_KINDS``). Returns (None, False) when the shift earns no hours."""
    shift = assignment.shift
    rota = shift.rota
    if rota.kind not in VOLUNTEER_ROTA_KINDS or not (assignment.checked_in_at and assignment.checked_out_at):
        return None, False
    paid_role = PAID_WORK_ROLES.get(rota.kind)
    if paid_role and paid_role in policy.roles_in(assignment.user, rota.community_id):
        return None, False
    if _span_minutes(assignment.checked_in_at, assignment.checked_out_at) <= 0:
        return None, False
    return hours_record(volunteer=assignment.user, community=rota.community, activity=rota.name,
                        place=rota.place, starts_at=assignment.checked_in_at, ends_at=assignment.checked_out_at,
                        scheduled_minutes=_span_minutes(shift.starts_at, shift.ends_at),
                        source_kind=SOURCE_SHIFT, source_id=shift.pk, confirmed_how=How.CHECK_IN_OUT, now=now)


def hours_enter_manual(*, actor, volunteer, community, team=None, activity: str, place: str = "", starts_at,
                       ends_at, minutes: int | None = None, scheduled_minutes: int | None = None,
                       now=None) -> VolunteerHours:
    """Staff type in a service (a one-off event, a squad's task): it waits for a second person to confirm."""
    now = now or timezone.now()
    if not policy.can(actor, "hours.manage", community):
        raise DomainError(gettext_lazy("只有居委工作人员可以录入志愿时长。"), code="forbidden")
    if not policy.roles_in(volunteer, community):
        raise DomainError(gettext_lazy("这位志愿者不属于本社区。"), code="stranger")
    if team is not None and team.community_id != community.pk:
        raise DomainError(gettext_lazy("组织队伍不属于这个社区。"), code="team")
    if not activity.strip():
        raise DomainError(gettext_lazy("请填写服务项目。"), code="activity")
    minutes = _check_times(starts_at=starts_at, ends_at=ends_at, minutes=minutes, now=now)
    with transaction.atomic():
        entry = VolunteerHours.objects.create(
            volunteer=volunteer, community=community, team=team, activity=activity.strip()[:200],
            place=place.strip()[:200], starts_at=starts_at, ends_at=ends_at, minutes=minutes,
            scheduled_minutes=scheduled_minutes, source_kind=SOURCE_MANUAL, status=Status.AWAITING_CONFIRMATION,
            entered_by=actor, created_at=now)
        _event(entry, actor=actor, action="enter", at=now, minutes=minutes)
        audit(actor=actor, action="hours.enter_manual", community=community, entry=entry.pk, volunteer=volunteer.pk)
    return entry


# --- confirming and reviewing ------------------------------------------------------------------------------

def hours_confirm(*, entry, actor, how: str, now=None) -> bool:
    """The second person confirms a manual entry. Then it is recorded, or waits for review when over-long."""
    now = now or timezone.now()
    if how not in (How.ORGANISER, How.SERVED, How.TEACHER):
        raise DomainError(gettext_lazy("请选择确认方式。"), code="how")
    with transaction.atomic():
        entry = _locked(entry)
        if not policy.can(actor, "hours.confirm", entry):
            raise DomainError(gettext_lazy("您不能确认这条志愿时长。"), code="forbidden")
        if entry.status != Status.AWAITING_CONFIRMATION:
            if entry.confirmed_by_id == actor.pk and entry.status in (Status.RECORDED, Status.AWAITING_REVIEW):
                return False
            raise DomainError(deferred(gettext_lazy("这条记录现在是“%(status)s”，不需要确认。"),
                                       status=entry.get_status_display()), code="state")
        if actor.pk in (entry.entered_by_id, entry.volunteer_id):
            raise DomainError(gettext_lazy("手工录入的时长要由另一个人确认：录入人和志愿者本人都不能确认。"), code="same_person")
        entry.confirmed_by, entry.confirmed_how, entry.confirmed_at = actor, how, now
        to = Status.AWAITING_REVIEW if needs_review(minutes=entry.minutes, scheduled_minutes=entry.scheduled_minutes) \
            else Status.RECORDED
        _move(entry, to=to, actor=actor, action="confirm", now=now,
              fields=("confirmed_by", "confirmed_how", "confirmed_at"), how=how)
        audit(actor=actor, action="hours.confirm", community=entry.community, entry=entry.pk)
    return True


def hours_review(*, entry, actor, approve: bool, note: str = "", now=None) -> bool:
    """Staff approve an entry waiting for review, or reject one waiting for review or confirmation (with a note)."""
    now = now or timezone.now()
    note = note.strip()
    with transaction.atomic():
        entry = _locked(entry)
        if not policy.can(actor, "hours.manage", entry):
            raise DomainError(gettext_lazy("只有居委工作人员可以审核志愿时长。"), code="forbidden")
        wanted = Status.RECORDED if approve else Status.REJECTED
        if entry.status == wanted:
            return False
        allowed = (Status.AWAITING_REVIEW,) if approve else (Status.AWAITING_REVIEW, Status.AWAITING_CONFIRMATION)
        if entry.status not in allowed:
            raise DomainError(deferred(gettext_lazy("这条记录现在是“%(status)s”，不能这样审核。"),
                                       status=entry.get_status_display()), code="state")
        if actor.pk == entry.volunteer_id:
            raise DomainError(gettext_lazy("不能审核自己的志愿时长。"), code="own")
        if not approve and not note:
            raise DomainError(gettext_lazy("不通过时请写明原因，志愿者会看到。"), code="note")
        _move(entry, to=wanted, actor=actor, action="approve" if approve else "reject", note=note, now=now)
        audit(actor=actor, action="hours.review", community=entry.community, entry=entry.pk, approve=approve)
        if not approve:
            notify(recipient=entry.volunteer, url=reverse("communities:hours_mine"), title=deferred(
                gettext_lazy("您的志愿时长“%(activity)s”未通过审核"), activity=entry.activity), body=note)
    return True


# --- corrections -------------------------------------------------------------------------------------------

def hours_correct(*, entry, actor, reason: str, minutes: int | None = None, starts_at=None, ends_at=None,
                  activity: str | None = None, place: str | None = None, request=None,
                  now=None) -> VolunteerHours:
    """Replace an entry by a new row (the old one is kept, superseded). The new row keeps the source and the
    confirmation of the service; it waits for a second person again if the old one did, and for review when it is
    over-long or the old one had been rejected. ``request``: the volunteer's correction request it answers."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise DomainError(gettext_lazy("请写明更正原因：原记录会保留，原因随更正一起存档。"), code="reason")
    with transaction.atomic():
        old = _locked(entry)
        if not policy.can(actor, "hours.manage", old):
            raise DomainError(gettext_lazy("只有居委工作人员可以更正志愿时长。"), code="forbidden")
        if old.status == Status.SUPERSEDED:
            raise DomainError(gettext_lazy("这条记录已经更正过，请在最新的那条上更正。"), code="superseded")
        starts_at = starts_at or old.starts_at
        ends_at = ends_at or old.ends_at
        if minutes is None and (starts_at, ends_at) == (old.starts_at, old.ends_at):
            minutes = old.minutes
        minutes = _check_times(starts_at=starts_at, ends_at=ends_at, minutes=minutes, now=now)
        if old.status == Status.AWAITING_CONFIRMATION:
            status = Status.AWAITING_CONFIRMATION
        elif old.status == Status.REJECTED or needs_review(minutes=minutes, scheduled_minutes=old.scheduled_minutes):
            status = Status.AWAITING_REVIEW
        else:
            status = Status.RECORDED
        new = VolunteerHours.objects.create(
            volunteer=old.volunteer, community=old.community, team=old.team,
            activity=(old.activity if activity is None else activity.strip()[:200]) or old.activity,
            place=old.place if place is None else place.strip()[:200], starts_at=starts_at, ends_at=ends_at,
            minutes=minutes, scheduled_minutes=old.scheduled_minutes, source_kind=old.source_kind,
            source_id=old.source_id, status=status, confirmed_by=old.confirmed_by, confirmed_how=old.confirmed_how,
            confirmed_at=old.confirmed_at, entered_by=actor, corrects=old, reason=reason, created_at=now)
        _move(old, to=Status.SUPERSEDED, actor=actor, action="superseded", note=reason, now=now, by=new.pk)
        _event(new, actor=actor, action="correct", note=reason, at=now, corrects=old.pk,
               minutes_before=old.minutes, minutes=minutes)
        audit(actor=actor, action="hours.correct", community=old.community, entry=new.pk, corrects=old.pk)
        _close_requests(old, actor=actor, status=HoursCorrectionRequest.Status.CORRECTED, note=reason, now=now,
                        only=request)
    return new


def _close_requests(entry, *, actor, status, note, now, only=None) -> None:
    requests = HoursCorrectionRequest.objects.select_for_update().filter(
        entry=entry, status=HoursCorrectionRequest.Status.OPEN)
    for req in requests:
        req.status, req.handled_by, req.handled_note, req.handled_at = status, actor, note, now
        req.save(update_fields=["status", "handled_by", "handled_note", "handled_at"])
        notify(recipient=req.requested_by, url=reverse("communities:hours_mine"), body=note, title=deferred(
            gettext_lazy("您对“%(activity)s”的更正申请已处理：%(outcome)s"), activity=entry.activity,
            outcome=req.get_status_display()))


def hours_correction_request(*, entry, actor, message: str, now=None) -> tuple[HoursCorrectionRequest, bool]:
    """The volunteer asks to correct one of their entries; committee staff are told. A repeat while one is open
    returns it."""
    now = now or timezone.now()
    message = message.strip()
    if not message:
        raise DomainError(gettext_lazy("请写明哪里有误、应当是多少。"), code="message")
    with transaction.atomic():
        entry = _locked(entry)
        if entry.volunteer_id != actor.pk:
            raise DomainError(gettext_lazy("只能为自己的记录申请更正。"), code="not_yours")
        if entry.status == Status.SUPERSEDED:
            raise DomainError(gettext_lazy("这条记录已经更正过，请在最新的那条上申请。"), code="superseded")
        open_request = entry.correction_requests.filter(status=HoursCorrectionRequest.Status.OPEN).first()
        if open_request is not None:
            return open_request, False
        req = HoursCorrectionRequest.objects.create(entry=entry, requested_by=actor, message=message[:1000],
                                                    created_at=now)
        _event(entry, actor=actor, action="correction_request", note=message[:1000], at=now, request=req.pk)
        audit(actor=actor, action="hours.correction_request", community=entry.community, entry=entry.pk)
        for staff in users_with_role(community_id=entry.community_id):
            notify(recipient=staff, url=reverse("communities:hours_review"), body=message, title=deferred(
                gettext_lazy("%(name)s 申请更正志愿时长：%(activity)s"), name=actor.display_name(),
                activity=entry.activity))
    return req, True


def hours_correction_decline(*, request, actor, note: str, now=None) -> bool:
    """Staff answer a correction request without changing the entry (with a note the volunteer reads)."""
    now = now or timezone.now()
    note = note.strip()
    if not note:
        raise DomainError(gettext_lazy("请写明不更正的理由，志愿者会看到。"), code="note")
    with transaction.atomic():
        req = HoursCorrectionRequest.objects.select_for_update().select_related("entry__community").get(pk=request.pk)
        if not policy.can(actor, "hours.manage", req.entry):
            raise DomainError(gettext_lazy("只有居委工作人员可以处理更正申请。"), code="forbidden")
        if req.status != HoursCorrectionRequest.Status.OPEN:
            return False
        _close_requests(req.entry, actor=actor, status=HoursCorrectionRequest.Status.DECLINED, note=note, now=now)
        _event(req.entry, actor=actor, action="correction_declined", note=note, at=now, request=req.pk)
        audit(actor=actor, action="hours.correction_decline", community=req.entry.community, request=req.pk)
    return True


# --- certificates (证明) -------------------------------------------------------------------------------------

def _period_bounds(period_from: dt.date, period_to: dt.date):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def certified_entries(*, community, volunteer, period_from, period_to):
    """The entries a certificate covers: current recorded entries the community organised in the period."""
    start, end = _period_bounds(period_from, period_to)
    return VolunteerHours.objects.counted().filter(community=community, volunteer=volunteer, starts_at__gte=start,
                                                   starts_at__lt=end)


def _content(entries) -> str:
    counts = Counter()
    minutes = Counter()
    for entry in entries:
        counts[entry.activity] += 1
        minutes[entry.activity] += entry.minutes
    return "；".join(str(deferred(gettext_lazy("%(activity)s %(times)s 次，%(hours)s 小时"), activity=activity,
                                  times=counts[activity], hours=_hours_text(minutes[activity])))
                     for activity in sorted(counts, key=lambda a: (-minutes[a], a)))


def _hours_text(minutes: int) -> str:
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".")


def certificate_propose(*, actor, community, volunteer, period_from: dt.date, period_to: dt.date,
                        person_in_charge: str, contact_phone: str = "", content: str = "",
                        now=None) -> VolunteerCertificate:
    """Start a certificate's notice inside the unit (today, for at least 7 days): the total and the content come
    from the current recorded entries the community organised in the period."""
    now = now or timezone.now()
    if not policy.can(actor, "hours.manage", community):
        raise DomainError(gettext_lazy("只有居委工作人员可以出具志愿服务证明。"), code="forbidden")
    if period_to < period_from:
        raise DomainError(gettext_lazy("服务期间的结束日期不能早于开始日期。"), code="period")
    if period_to > timezone.localdate(now):
        raise DomainError(gettext_lazy("服务期间不能包括今后的日子。"), code="period")
    if not person_in_charge.strip():
        raise DomainError(gettext_lazy("请填写出具单位的负责人。"), code="person_in_charge")
    contact_phone = (contact_phone or community.office_phone).strip()
    if not contact_phone:
        raise DomainError(gettext_lazy("请填写出具单位的联系电话。"), code="contact")
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).exists()
        if VolunteerCertificate.objects.filter(community=community, volunteer=volunteer,
                                               status=VolunteerCertificate.Status.NOTICE).exists():
            raise DomainError(gettext_lazy("这位志愿者已有一份证明正在公示，请等公示结束出具或作废后再申请。"), code="in_notice")
        entries = list(certified_entries(community=community, volunteer=volunteer, period_from=period_from,
                                         period_to=period_to))
        if not entries:
            raise DomainError(gettext_lazy("这段期间本社区没有这位志愿者已记录的时长，不能出具证明。"), code="empty")
        certificate = VolunteerCertificate.objects.create(
            community=community, volunteer=volunteer, volunteer_name=volunteer.display_name(),
            period_from=period_from, period_to=period_to, total_minutes=sum(e.minutes for e in entries),
            content=(content.strip() or _content(entries))[:2000], issuer_name=community.name,
            person_in_charge=person_in_charge.strip()[:50], handler=actor, handler_name=actor.display_name()[:50],
            contact_phone=contact_phone[:30], notice_starts_on=timezone.localdate(now), created_at=now)
        audit(actor=actor, action="hours.certificate_propose", community=community, certificate=certificate.pk,
              volunteer=volunteer.pk, minutes=certificate.total_minutes)
    return certificate


def notice_ends_on(certificate) -> dt.date:
    """The first day the certificate may be issued: 7 full days after its notice began."""
    return certificate.notice_starts_on + dt.timedelta(days=NOTICE_DAYS)


def certificate_number(community, year: int, serial: int) -> str:
    name = community.name
    for suffix in COMMUNITY_SUFFIXES:
        name = name.removesuffix(suffix)
    return f"{TOWN_SHORT}{name}〔{year}〕第{serial:03d}号"


def _next_serial(community, year: int) -> int:
    CertificateCounter.objects.get_or_create(community=community, year=year)
    counter = CertificateCounter.objects.select_for_update().get(community=community, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def certificate_issue(*, certificate, actor, now=None) -> bool:
    """Issue a certificate whose 7-day notice is over, with the next number of the register."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        cert = VolunteerCertificate.objects.select_for_update(of=("self",)).select_related("community").get(
            pk=certificate.pk)
        if not policy.can(actor, "hours.manage", cert):
            raise DomainError(gettext_lazy("只有居委工作人员可以出具志愿服务证明。"), code="forbidden")
        if cert.status == VolunteerCertificate.Status.ISSUED:
            return False
        if cert.status != VolunteerCertificate.Status.NOTICE:
            raise DomainError(gettext_lazy("这份证明已作废，不能出具。"), code="void")
        if today < notice_ends_on(cert):
            raise DomainError(deferred(gettext_lazy("公示不少于 7 天：%(date)s 起才能出具。"),
                                       date=notice_ends_on(cert).isoformat()), code="notice")
        total = sum(certified_entries(community=cert.community, volunteer=cert.volunteer,
                                      period_from=cert.period_from, period_to=cert.period_to)
                    .values_list("minutes", flat=True))
        if total != cert.total_minutes:
            raise DomainError(gettext_lazy("公示期间这段时间的记录有了变动，与公示的时长不一致：请作废后重新公示。"),
                              code="changed")
        cert.year = today.year
        cert.serial = _next_serial(cert.community, today.year)
        cert.number = certificate_number(cert.community, cert.year, cert.serial)
        cert.issued_on, cert.status = today, VolunteerCertificate.Status.ISSUED
        cert.save(update_fields=["year", "serial", "number", "issued_on", "status"])
        audit(actor=actor, action="hours.certificate_issue", community=cert.community, certificate=cert.pk,
              number=cert.number)
        notify(recipient=cert.volunteer, url=reverse("communities:hours_mine"), title=deferred(
            gettext_lazy("您的志愿服务证明已出具：%(number)s"), number=cert.number))
    certificate.refresh_from_db()
    return True


def certificate_void(*, certificate, actor, reason: str, now=None) -> bool:
    """Void a certificate (in notice or issued); the row and its number stay in the register with the reason."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise DomainError(gettext_lazy("请写明作废原因。"), code="reason")
    with transaction.atomic():
        cert = VolunteerCertificate.objects.select_for_update(of=("self",)).select_related("community").get(
            pk=certificate.pk)
        if not policy.can(actor, "hours.manage", cert):
            raise DomainError(gettext_lazy("只有居委工作人员可以作废志愿服务证明。"), code="forbidden")
        if cert.status == VolunteerCertificate.Status.VOID:
            return False
        cert.status, cert.void_reason, cert.voided_by, cert.voided_at = (
            VolunteerCertificate.Status.VOID, reason[:1000], actor, now)
        cert.save(update_fields=["status", "void_reason", "voided_by", "voided_at"])
        audit(actor=actor, action="hours.certificate_void", community=cert.community, certificate=cert.pk,
              number=cert.number)
    certificate.refresh_from_db()
    return True
