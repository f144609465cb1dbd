"""Setting up a rota (managers and committee staff) and recording leave.

A change of the rota regenerates only its future shifts that nobody has checked into, swapped or
offered (communities.services.rota_generation.rota_regenerate); past shifts are history.
"""
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Leave, Membership, Rota, RotaMember, RotaSlot, User
from ..recurrence import InvalidRule, rule_clean
from .audit import audit
from .errors import DomainError
from .rota_generation import GenerationResult, rota_regenerate
from .texts import deferred

ROTA_FIELDS = ("name", "kind", "place", "required_qualification", "horizon_weeks", "active", "children_per_adult")


@dataclass(frozen=True)
class SlotSpec:
    start_time: dt.time
    end_time: dt.time
    people: int = 1
    weekdays: tuple[int, ...] = ()
    rrule: str = ""
    starts_on: dt.date | None = None
    id: int | None = None  # an existing slot of the rota, kept so its past shifts stay linked to it


def check_slots(slots: list[SlotSpec]) -> None:
    if not slots:
        raise DomainError(gettext_lazy("请至少设置一个班次时间。"), code="no_slots")
    for slot in slots:
        if not slot.weekdays and not slot.rrule:
            raise DomainError(gettext_lazy("每个班次请选择星期几，或填写重复规则。"), code="no_days")
        if slot.start_time == slot.end_time:
            raise DomainError(gettext_lazy("班次的开始和结束时间不能相同。"), code="empty_slot")
        if slot.rrule:
            try:
                rule_clean(slot.rrule)
            except InvalidRule:
                raise DomainError(deferred(gettext_lazy("重复规则“%(rule)s”无法识别。"), rule=slot.rrule),
                                  code="rrule") from None


def check_members(*, community, members) -> None:
    user_ids = [user.pk for user, _ in members]
    if len(set(user_ids)) != len(user_ids):
        raise DomainError(gettext_lazy("同一个人在成员名单里出现了两次。"), code="duplicate")
    belong = set(Membership.objects.filter(community=community, user_id__in=user_ids).values_list("user_id", flat=True))
    # Counted, not named: the one saving may not be allowed to know who these people are.
    strangers = [user for user, _ in members if user.pk not in belong]
    if strangers:
        raise DomainError(deferred(gettext_lazy("有 %(count)s 人不属于本社区，不能加入值班。"),
                                   count=len(strangers)), code="stranger")


def rota_save(*, actor, community, fields: dict, manager, members: list, slots: list[SlotSpec],
              rota: Rota | None = None, now=None) -> tuple[Rota, GenerationResult]:
    """Create or change a rota with its members [(user, group label)] and slots; regenerate its future."""
    now = now or timezone.now()
    check_slots(slots)
    check_members(community=community, members=members + ([(manager, "")] if manager else []))
    with transaction.atomic():
        if rota is None:
            rota = Rota(community=community, created_at=now)
        else:
            rota = Rota.objects.select_for_update().get(pk=rota.pk, community=community)
        if Rota.objects.filter(community=community, name=fields["name"]).exclude(pk=rota.pk).exists():
            raise DomainError(gettext_lazy("本社区已有同名的值班表。"), code="name_taken")
        # The qualification a rota requires decides who may be granted it by a manager (rota.qualify): only
        # committee staff set it, so a manager cannot first widen it and then grant anything.
        wanted = fields.get("required_qualification", rota.required_qualification)
        if getattr(wanted, "pk", None) != rota.required_qualification_id and not policy.can(
                actor, "rota.create", community):
            raise DomainError(gettext_lazy("只有居委工作人员可以设定值班表要求的资质。"), code="qualification")
        for name in ROTA_FIELDS:
            if name in fields:
                setattr(rota, name, fields[name])
        rota.manager = manager
        rota.save()
        _replace_members(rota, members)
        _replace_slots(rota, slots)
        audit(actor=actor, action="rota.save", community=community, rota=rota.pk, members=len(members),
              slots=len(slots))
        result = rota_regenerate(rota=rota, now=now)
    return rota, result


def _replace_members(rota: Rota, members) -> None:
    rota.members.all().delete()
    RotaMember.objects.bulk_create([RotaMember(rota=rota, user=user, order=i, group=group.strip())
                                    for i, (user, group) in enumerate(members)])


def _replace_slots(rota: Rota, slots: list[SlotSpec]) -> None:
    existing = {slot.pk: slot for slot in rota.slots.all()}
    keep = set()
    for spec in slots:
        slot = existing.get(spec.id) or RotaSlot(rota=rota)
        slot.start_time, slot.end_time, slot.people = spec.start_time, spec.end_time, spec.people
        slot.weekdays, slot.rrule = sorted(spec.weekdays), rule_clean(spec.rrule) if spec.rrule.strip() else ""
        slot.starts_on = spec.starts_on or slot.starts_on or timezone.localdate()
        slot.save()
        keep.add(slot.pk)
    # Shifts of a removed slot that are history keep their times; the slot link becomes empty.
    rota.slots.exclude(pk__in=keep).delete()


def rotas_lock_with_members(*, rotas, user) -> list[Rota]:
    """Lock the rotas (by id), then their members and ``user`` (by id), before changing who is free.

    The generator locks one rota, then its members by id; taking every rota before any person keeps the
    two from waiting on each other in a circle when a member is on several rotas. The person's own row is
    locked too, so two submissions of the same form are checked one after the other.
    """
    rotas = list(Rota.objects.select_for_update().filter(pk__in=[r.pk for r in rotas]).order_by("pk"))
    user_ids = set(RotaMember.objects.filter(rota__in=rotas).values_list("user_id", flat=True)) | {user.pk}
    list(User.objects.select_for_update().filter(pk__in=user_ids).order_by("pk").values_list("pk", flat=True))
    return rotas


def member_rotas(*, user):
    return Rota.objects.filter(members__user=user, active=True)


def _period(leave: Leave) -> str:
    start, end = timezone.localtime(leave.starts_at), timezone.localtime(leave.ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


def leave_record(*, user, starts_at, ends_at, reason: str = "", now=None) -> tuple[Leave, bool]:
    """Record leave and take the person off the untouched future shifts it covers.

    Shifts they already checked into, took by swap, offered or were reminded of stay theirs: the leave
    page lists those for them to offer. Recording the same period twice changes nothing.
    """
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise DomainError(gettext_lazy("请假的结束时间要晚于开始时间。"), code="leave_order")
    if ends_at <= now:
        raise DomainError(gettext_lazy("这个时段已经过去，不能再请假。"), code="leave_past")
    with transaction.atomic():
        rotas = rotas_lock_with_members(rotas=member_rotas(user=user), user=user)
        overlapping = Leave.objects.filter(user=user, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
        if overlapping is not None:
            if (overlapping.starts_at, overlapping.ends_at) == (starts_at, ends_at):
                return overlapping, False
            raise DomainError(deferred(gettext_lazy("与您已登记的请假（%(period)s）时间重叠，请先删除那条或调整时间。"),
                                       period=_period(overlapping)), code="leave_overlap")
        leave = Leave.objects.create(user=user, starts_at=starts_at, ends_at=ends_at, reason=reason.strip(),
                                     created_at=now)
        audit(actor=user, action="rota.leave_record", leave=leave.pk)
        for rota in rotas:
            rota_regenerate(rota=rota, now=now)
    return leave, True


def leave_delete(*, leave_id: int, actor, now=None) -> bool:
    """Withdraw one's own leave that has not begun; the rotas may then put the person on duty again."""
    now = now or timezone.now()
    with transaction.atomic():
        rotas = rotas_lock_with_members(rotas=member_rotas(user=actor), user=actor)
        # Only the actor's own leave is ever found: someone else's id reads as already gone.
        leave = Leave.objects.filter(pk=leave_id, user=actor).first()
        if leave is None:
            return False
        if leave.starts_at <= now:
            raise DomainError(gettext_lazy("已经开始的请假不能删除。"), code="leave_started")
        leave.delete()
        audit(actor=actor, action="rota.leave_delete", leave=leave_id)
        for rota in rotas:
            rota_regenerate(rota=rota, now=now)
    return True
