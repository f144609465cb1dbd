"""A shift's life in the member's hands: swap offers, taking a swap, check-in and check-out.

Each service locks what it changes, refuses with a Chinese reason (DomainError) and changes nothing
then, returns whether it changed anything (a double-clicked button changes nothing the second time),
writes an audit row, and writes its notifications into the outbox in the same transaction.
"""
import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import extensions
from ..models import Leave, MemberQualification, Role, RotaMember, ShiftAssignment, SwapOffer, User
from ..selectors.places import users_with_role
from ..selectors.rotas import check_in_window
from .audit import audit
from .errors import DomainError
from .hours import shift_hours_record
from .notifications import notify
from .texts import deferred

# Check-in: selectors.rotas.check_in_window (the shift page uses the same); check-out closes this long after it.
CHECK_OUT_GRACE = dt.timedelta(hours=2)


def local(moment) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}"


def shift_label(shift) -> str:
    end = timezone.localtime(shift.ends_at)
    return f"{shift.rota.name} {local(shift.starts_at)}–{end:%H:%M}"


def shift_url(shift) -> str:
    return reverse("communities:shift_detail", args=[shift.pk])


def rota_managers(rota) -> list:
    """Who hears about a rota's problems: its manager, or the community's committee staff without one."""
    if rota.manager_id:
        return [rota.manager]
    return list(users_with_role(community_id=rota.community_id, role=Role.COMMITTEE_STAFF))


def tell(users, *, shift, title, body="") -> int:
    seen = set()
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            notify(recipient=user, title=title, body=body, url=shift_url(shift))
    return len(seen)


def _locked_assignment(assignment_id: int) -> ShiftAssignment:
    assignment = (ShiftAssignment.objects.select_for_update(of=("self",))
                  .select_related("shift__rota__manager", "user").filter(pk=assignment_id).first())
    if assignment is None:
        raise DomainError(gettext_lazy("该值班安排已不存在。"), code="gone")
    return assignment


# --- swaps ----------------------------------------------------------------------------------------

def swap_offer(*, assignment_id: int, actor, reason: str = "", now=None) -> tuple[SwapOffer, bool]:
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked_assignment(assignment_id)
        if assignment.user_id != actor.pk:
            raise DomainError(gettext_lazy("只能换出自己的班次。"), code="not_yours")
        if assignment.shift.starts_at <= now or assignment.checked_in_at:
            raise DomainError(gettext_lazy("班次已开始，不能再换班。"), code="started")
        open_offer = assignment.swap_offers.filter(status=SwapOffer.Status.OPEN).first()
        if open_offer is not None:
            return open_offer, False
        offer = SwapOffer.objects.create(assignment=assignment, offered_by=actor, reason=reason.strip(), created_at=now)
        audit(actor=actor, action="rota.swap_offer", community=assignment.shift.rota.community,
              offer=offer.pk, assignment=assignment.pk)
    return offer, True


def swap_withdraw(*, offer_id: int, actor, now=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        offer = SwapOffer.objects.select_for_update(of=("self",)).select_related("assignment__shift__rota").filter(
            pk=offer_id).first()
        if offer is None or offer.offered_by_id != actor.pk:
            raise DomainError(gettext_lazy("只能撤回自己发起的换班。"), code="not_yours")
        if offer.status == SwapOffer.Status.WITHDRAWN:
            return False
        if offer.status != SwapOffer.Status.OPEN:
            raise DomainError(gettext_lazy("已有人接班，不能撤回。"), code="taken")
        offer.status, offer.decided_at = SwapOffer.Status.WITHDRAWN, now
        offer.save(update_fields=["status", "decided_at"])
        audit(actor=actor, action="rota.swap_withdraw", community=offer.assignment.shift.rota.community,
              offer=offer.pk)
    return True


def take_refusal(*, shift, user):
    """Why ``user`` may not take ``shift`` (a Chinese reason), or None."""
    rota = shift.rota
    if not RotaMember.objects.filter(rota=rota, user=user).exists():
        return deferred(gettext_lazy("您不是“%(rota)s”的值班成员，不能接这个班。"), rota=rota.name)
    if rota.required_qualification_id:
        held = MemberQualification.objects.filter(user=user, qualification_id=rota.required_qualification_id).first()
        day = timezone.localdate(shift.starts_at)
        if held is None:
            return deferred(gettext_lazy("接这个班需要“%(qualification)s”资质，您还没有。"),
                            qualification=rota.required_qualification.name)
        if not held.valid_on(day):
            return deferred(gettext_lazy("接这个班需要“%(qualification)s”资质，您的资质已于 %(date)s 过期。"),
                            qualification=rota.required_qualification.name, date=held.expires_on.isoformat())
    clash = (ShiftAssignment.objects.select_related("shift__rota")
             .filter(user=user, shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at).first())
    if clash is not None:
        return deferred(gettext_lazy("您在这个时段已有值班（%(shift)s），时间冲突。"), shift=shift_label(clash.shift))
    if Leave.objects.filter(user=user, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at).exists():
        return gettext_lazy("您在这个时段已登记请假。")
    return None


def swap_take(*, offer_id: int, actor, now=None) -> tuple[SwapOffer, bool]:
    now = now or timezone.now()
    with transaction.atomic():
        # The taker's user row is locked as the generator locks it: no shift lands on them meanwhile.
        User.objects.select_for_update().filter(pk=actor.pk).exists()
        offer = SwapOffer.objects.select_for_update(of=("self",)).select_related("offered_by").filter(
            pk=offer_id).first()
        if offer is None:
            raise DomainError(gettext_lazy("该换班已不存在。"), code="gone")
        if offer.status == SwapOffer.Status.TAKEN and offer.taken_by_id == actor.pk:
            return offer, False
        if offer.status != SwapOffer.Status.OPEN:
            raise DomainError(gettext_lazy("该换班已被他人接走或已撤回。"), code="closed")
        if offer.offered_by_id == actor.pk:
            raise DomainError(gettext_lazy("不能接自己换出的班。"), code="own")
        assignment = _locked_assignment(offer.assignment_id)
        shift = assignment.shift
        if shift.starts_at <= now:
            raise DomainError(gettext_lazy("班次已开始，不能再接班。"), code="started")
        reason = take_refusal(shift=shift, user=actor)
        if reason is not None:
            raise DomainError(reason, code="refused")
        assignment.user, assignment.swapped = actor, True
        # Reminders belong to whoever is on duty: the taker gets their own.
        assignment.reminded_day_before_at = assignment.reminded_2h_at = None
        assignment.save(update_fields=["user", "swapped", "reminded_day_before_at", "reminded_2h_at"])
        offer.status, offer.taken_by, offer.decided_at = SwapOffer.Status.TAKEN, actor, now
        offer.save(update_fields=["status", "taken_by", "decided_at"])
        audit(actor=actor, action="rota.swap_take", community=shift.rota.community, offer=offer.pk,
              assignment=assignment.pk, from_user=offer.offered_by_id)
        label = shift_label(shift)
        tell([offer.offered_by], shift=shift, title=deferred(
            gettext_lazy("%(name)s 接了您的班：%(shift)s"), name=actor.display_name(), shift=label))
        tell([actor], shift=shift, title=deferred(gettext_lazy("您已接班：%(shift)s"), shift=label))
        tell([m for m in rota_managers(shift.rota) if m.pk not in (actor.pk, offer.offered_by_id)], shift=shift,
             title=deferred(gettext_lazy("换班：%(shift)s 由 %(from)s 换给 %(to)s"), shift=label,
                            **{"from": offer.offered_by.display_name(), "to": actor.display_name()}))
        # The ratio of children to adults is checked again after every change of who is on duty.
        from .rota_ratio import shift_ratio_check  # rota_ratio builds on this module

        shift_ratio_check(shift_id=shift.pk, now=now)
    return offer, True


# --- check-in and check-out --------------------------------------------------------------------------

def shift_check_in(*, assignment_id: int, actor, now=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked_assignment(assignment_id)
        shift = assignment.shift
        if assignment.user_id != actor.pk:
            raise DomainError(gettext_lazy("只有值班人本人可以签到。"), code="not_yours")
        if assignment.checked_in_at:
            return False
        window = check_in_window(shift)
        if window.state(now) == "early":
            raise DomainError(deferred(gettext_lazy("还没到签到时间：班次开始前 30 分钟（%(time)s）起可以签到。"),
                                       time=local(window.opens_at)), code="early")
        if window.state(now) == "closed":
            raise DomainError(gettext_lazy("班次已结束，不能再签到。"), code="late")
        assignment.checked_in_at = now
        assignment.save(update_fields=["checked_in_at"])
        audit(actor=actor, action="rota.check_in", community=shift.rota.community, assignment=assignment.pk)
        extensions.send_on_commit(extensions.shift_checked_in, ShiftAssignment, assignment=assignment, actor=actor)
    return True


def shift_check_out(*, assignment_id: int, actor, now=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked_assignment(assignment_id)
        shift = assignment.shift
        if assignment.user_id != actor.pk:
            raise DomainError(gettext_lazy("只有值班人本人可以签退。"), code="not_yours")
        if assignment.checked_out_at:
            return False
        if not assignment.checked_in_at:
            raise DomainError(gettext_lazy("请先签到，再签退。"), code="not_in")
        if now > shift.ends_at + CHECK_OUT_GRACE:
            raise DomainError(gettext_lazy("班次结束已超过 2 小时，不能再签退。"), code="late")
        assignment.checked_out_at = max(now, assignment.checked_in_at)
        assignment.save(update_fields=["checked_out_at"])
        audit(actor=actor, action="rota.check_out", community=shift.rota.community, assignment=assignment.pk)
        # A volunteering rota's shift becomes a volunteer-hours entry (平台记录): check-in to check-out, in the
        # same transaction, once per shift and person (communities.services.hours.VOLUNTEER_ROTA_KINDS).
        shift_hours_record(assignment=assignment, now=now)
    return True
