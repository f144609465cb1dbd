"""Services by appointment (预约服务): hosts open free services and their slots, residents book a place, hosts
confirm and, once the slot has begun, record who came; a reminder goes out the day before (talents.tasks).

Taking a place locks the slot row, so two residents taking the last place at once cannot both get it; the
partial unique key (one live booking per person per slot) refuses a double booking even from two tabs."""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from communities import policy
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.texts import bounded_text, deferred

from ..models import HOLDING, BookingStatus, ServiceBooking, ServiceSlot, Studio, StudioService
from ..selectors.appointments import NO_REMINDER_WITHIN, REMINDER_AHEAD

MAX_SLOTS_PER_DAY = 40


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}"


def _service_url(service) -> str:
    return reverse("talents:service_detail", args=[service.pk])


# --- services and slots (hosts) ---------------------------------------------------------------------------

def service_save(*, actor, studio: Studio, title: str, description: str = "", duration_minutes: int = 15,
                 place: str = "", needs_qualification: str = "", active: bool = True,
                 service: StudioService | None = None) -> StudioService:
    """A host opens (or changes) one of their studio's free services."""
    if not policy.can(actor, "talents.service.manage", studio):
        raise PermissionDenied
    title = bounded_text(title, limit=60, required=gettext_lazy("请填写服务名称。"))
    if needs_qualification not in StudioService.Qualification.values:
        raise DomainError(gettext_lazy("请选择所需资质。"), code="qualification")
    if not 5 <= int(duration_minutes) <= 240:
        raise DomainError(gettext_lazy("每次时长应在 5 到 240 分钟之间。"), code="duration")
    with transaction.atomic():
        if StudioService.objects.filter(studio=studio, title=title).exclude(pk=getattr(service, "pk", None)).exists():
            raise DomainError(gettext_lazy("本工作室已有同名的服务。"), code="title_taken")
        service = service or StudioService(studio=studio, created_by=actor)
        service.title, service.description = title, bounded_text(description, limit=1000)
        service.duration_minutes, service.place = int(duration_minutes), bounded_text(place, limit=100)
        service.needs_qualification, service.active = needs_qualification, active
        service.save()
        audit(actor=actor, action="talents.service_save", community=studio.team.community, service=service.pk)
    return service


def service_offer_refusal(*, service: StudioService, on: dt.date):
    """Why ``service`` may not be offered on ``on`` (a Chinese reason), or None. A service that needs a
    qualification (a consultation, 针灸 treatment) is offered only while the studio's recorded qualification
    allows it (《中医药法》第十五条、《医师法》第五十九条)."""
    if not service.needs_qualification:
        return None
    from ..selectors.studios import may_offer  # the studios' qualifications: decided in one place

    # A health consultation (中医养生咨询) is medical advice as much as 针灸 is treatment: both need the host's
    # recorded physician's qualification, which may_offer checks under "treatment".
    allowed, reason = may_offer(studio=service.studio, offer="treatment", on=on)
    if allowed:
        return None
    return reason or gettext_lazy("本工作室没有登记提供这项服务所需的资质，不能开放预约。")


def slots_open(*, actor, service: StudioService, day: dt.date, first: dt.time, count: int, capacity: int = 1,
               gap_minutes: int = 0, now=None) -> list[ServiceSlot]:
    """A batch of ``count`` slots on ``day`` from ``first``, each the service's length (plus ``gap_minutes``
    between); slots that exist already are kept, not doubled. Returns the slots created."""
    now = now or timezone.now()
    if not policy.can(actor, "talents.service.manage", service):
        raise PermissionDenied
    if not 1 <= count <= MAX_SLOTS_PER_DAY:
        raise DomainError(deferred(gettext_lazy("一次最多开放 %(max)s 个时段。"), max=MAX_SLOTS_PER_DAY), code="count")
    if not 1 <= capacity <= 50:
        raise DomainError(gettext_lazy("每个时段的名额应在 1 到 50 之间。"), code="capacity")
    if not service.active:
        raise DomainError(gettext_lazy("这项服务已暂停预约，请先开放。"), code="inactive")
    refusal = service_offer_refusal(service=service, on=day)
    if refusal is not None:
        raise DomainError(refusal, code="not_qualified")
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, first), tz)
    if start <= now:
        raise DomainError(gettext_lazy("只能开放尚未开始的时段。"), code="past")
    length, step = dt.timedelta(minutes=service.duration_minutes), dt.timedelta(
        minutes=service.duration_minutes + max(0, gap_minutes))
    wanted = [start + i * step for i in range(count)]
    with transaction.atomic():
        StudioService.objects.select_for_update().filter(pk=service.pk).first()
        existing = set(service.slots.filter(starts_at__in=wanted).values_list("starts_at", flat=True))
        created = ServiceSlot.objects.bulk_create([
            ServiceSlot(service=service, starts_at=s, ends_at=s + length, capacity=capacity)
            for s in wanted if s not in existing])
        if created:  # a repeat that opens nothing new leaves no trace
            audit(actor=actor, action="talents.slots_open", community=service.studio.team.community,
                  service=service.pk, created=len(created), day=day.isoformat())
    return created


# --- booking (residents) -------------------------------------------------------------------------------

@dataclass
class BookingOutcome:
    booking: ServiceBooking
    changed: bool


def booking_make(*, actor, slot_id: int, note: str = "", now=None) -> BookingOutcome:
    """A resident takes a place in a slot; a repeat of their own booking changes nothing."""
    now = now or timezone.now()
    note = bounded_text(note, limit=200)
    with transaction.atomic():
        # The slot row is the lock every booking of it waits on: the count below cannot go stale.
        slot = (ServiceSlot.objects.select_for_update(of=("self",)).select_related("service__studio__team__community")
                .filter(pk=slot_id).first())
        if slot is None:
            raise DomainError(gettext_lazy("该时段已不存在。"), code="gone")
        if not policy.can(actor, "talents.service.book", slot):
            raise PermissionDenied
        mine = slot.bookings.filter(user=actor, status__in=HOLDING).first()
        if mine is not None:
            return BookingOutcome(mine, False)
        if slot.starts_at <= now:
            raise DomainError(gettext_lazy("这个时段已经开始，不能再预约。"), code="started")
        if not slot.service.active:
            raise DomainError(gettext_lazy("这项服务已暂停预约。"), code="inactive")
        if slot.bookings.filter(status__in=HOLDING).count() >= slot.capacity:
            raise DomainError(deferred(gettext_lazy("%(time)s 的名额已满，请选择其他时段。"), time=_local(slot.starts_at)),
                              code="full")
        try:
            with transaction.atomic():
                booking = ServiceBooking.objects.create(slot=slot, user=actor, note=note, created_at=now)
        except IntegrityError:  # the person's own booking, made in another tab a moment ago
            return BookingOutcome(slot.bookings.get(user=actor, status__in=HOLDING), False)
        audit(actor=actor, action="talents.booking_make", community=slot.service.studio.team.community,
              booking=booking.pk, slot=slot.pk)
        for host in _hosts(slot.service.studio):
            notify(recipient=host, title=deferred(gettext_lazy("新预约：%(service)s %(time)s，%(name)s"),
                                                  service=slot.service.title, time=_local(slot.starts_at),
                                                  name=actor.display_name()),
                   url=reverse("talents:studio_services_manage", args=[slot.service.studio.slug]))
    return BookingOutcome(booking, True)


def _hosts(studio: Studio) -> list:
    from communities.models import Backbone

    return [b.user for b in Backbone.objects.filter(team_id=studio.team_id, term_end__isnull=True,
                                                     office=Backbone.Office.STUDIO_HOST).select_related("user")]


def _locked_booking(booking_id: int) -> ServiceBooking:
    booking = (ServiceBooking.objects.select_for_update(of=("self",))
               .select_related("slot__service__studio__team__community", "user").filter(pk=booking_id).first())
    if booking is None:
        raise DomainError(gettext_lazy("该预约已不存在。"), code="gone")
    return booking


def booking_cancel(*, actor, booking_id: int, now=None) -> bool:
    """The resident cancels their own booking before the slot begins; False if it was cancelled already."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking_id)
        if not policy.can(actor, "talents.appointment.cancel", booking):
            raise PermissionDenied
        if booking.status == BookingStatus.CANCELLED:
            return False
        if booking.status not in HOLDING:
            raise DomainError(gettext_lazy("这个预约已有到场记录，不能取消。"), code="state")
        if booking.slot.starts_at <= now:
            raise DomainError(gettext_lazy("时段已经开始，不能再取消。"), code="started")
        booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
        booking.save(update_fields=["status", "cancelled_at"])
        audit(actor=actor, action="talents.booking_cancel", community=booking.slot.service.studio.team.community,
              booking=booking.pk)
        for host in _hosts(booking.slot.service.studio):
            notify(recipient=host, title=deferred(gettext_lazy("预约已取消：%(service)s %(time)s，%(name)s"),
                                                  service=booking.slot.service.title,
                                                  time=_local(booking.slot.starts_at), name=actor.display_name()),
                   url=reverse("talents:studio_services_manage", args=[booking.slot.service.studio.slug]))
    return True


def booking_confirm(*, actor, booking_id: int, now=None) -> bool:
    """The host confirms a requested booking; the resident is told. False when it was confirmed already."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking_id)
        if not policy.can(actor, "talents.service.manage", booking):
            raise PermissionDenied
        if booking.status == BookingStatus.CONFIRMED:
            return False
        if booking.status != BookingStatus.REQUESTED:
            raise DomainError(deferred(gettext_lazy("这个预约现在是“%(status)s”，不能确认。"),
                                       status=booking.get_status_display()), code="state")
        booking.status, booking.confirmed_at, booking.confirmed_by = BookingStatus.CONFIRMED, now, actor
        booking.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        audit(actor=actor, action="talents.booking_confirm", community=booking.slot.service.studio.team.community,
              booking=booking.pk)
        notify(recipient=booking.user, title=deferred(gettext_lazy("预约已确认：%(service)s %(time)s"),
                                                      service=booking.slot.service.title,
                                                      time=_local(booking.slot.starts_at)),
               body=deferred(gettext_lazy("地点：%(place)s。"), place=booking.slot.service.place or "-"),
               url=reverse("talents:my_appointments"))
    return True


def booking_outcome(*, actor, booking_id: int, came: bool, now=None) -> bool:
    """After the slot has begun, the host records that the resident came (done) or did not (no-show)."""
    now = now or timezone.now()
    target = BookingStatus.DONE if came else BookingStatus.NO_SHOW
    with transaction.atomic():
        booking = _locked_booking(booking_id)
        if not policy.can(actor, "talents.service.manage", booking):
            raise PermissionDenied
        if booking.status == target:
            return False
        if booking.status not in HOLDING:
            raise DomainError(deferred(gettext_lazy("这个预约现在是“%(status)s”，不能再记录。"),
                                       status=booking.get_status_display()), code="state")
        if booking.slot.starts_at > now:
            raise DomainError(deferred(gettext_lazy("时段 %(time)s 开始后才能记录是否到场。"),
                                       time=_local(booking.slot.starts_at)), code="early")
        booking.status, booking.outcome_at, booking.outcome_by = target, now, actor
        booking.save(update_fields=["status", "outcome_at", "outcome_by"])
        audit(actor=actor, action="talents.booking_outcome", community=booking.slot.service.studio.team.community,
              booking=booking.pk, status=target)
    return True


# --- the reminder (talents.tasks) ----------------------------------------------------------------------

def booking_remind(*, booking_id: int, now=None) -> bool:
    """Remind one resident of their appointment the day before; True if this call sent it (at most once)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = ServiceBooking.objects.select_related("slot__service", "user").filter(pk=booking_id).first()
        if booking is None or booking.status not in HOLDING:
            return False
        starts = booking.slot.starts_at
        if not (now < starts <= now + REMINDER_AHEAD) or booking.created_at >= starts - NO_REMINDER_WITHIN:
            return False
        # Claimed on the row's own columns: a second run, or a second worker, changes no row and sends nothing.
        if ServiceBooking.objects.filter(pk=booking_id, reminded_at__isnull=True, status__in=HOLDING).update(
                reminded_at=now) != 1:
            return False
        notify(recipient=booking.user, title=deferred(gettext_lazy("预约提醒：%(time)s %(service)s"),
                                                      time=_local(starts), service=booking.slot.service.title),
               body=deferred(gettext_lazy("地点：%(place)s。不能来请在“我的预约”里取消，把名额留给邻居。"),
                             place=booking.slot.service.place or "-"),
               url=reverse("talents:my_appointments"))
    return True
