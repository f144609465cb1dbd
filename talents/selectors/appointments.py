"""Reads for the appointment pages: scoped by the policy first, a fixed number of queries however many rows."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from communities import policy

from ..models import HOLDING, BookingStatus, ServiceBooking, ServiceSlot, Studio, StudioService

AHEAD = dt.timedelta(days=21)
# The reminder goes out in the 24 hours before the slot; a booking made this close to it gets none.
REMINDER_AHEAD = dt.timedelta(hours=24)
NO_REMINDER_WITHIN = dt.timedelta(hours=2)


def _held():
    return Count("bookings", filter=Q(bookings__status__in=HOLDING))


def service_for_page(*, user, pk: int) -> StudioService:
    return policy.get_object_or_404_for(user, "talents.service.view", StudioService.objects.select_related(
        "studio__team__community"), pk=pk)


@dataclass
class SlotRow:
    slot: ServiceSlot
    taken: int
    mine: ServiceBooking | None

    @property
    def left(self) -> int:
        return max(0, self.slot.capacity - self.taken)


def service_slots(*, service: StudioService, user, now=None) -> list[SlotRow]:
    """The coming slots of ``service`` with the places taken and the user's own booking (two queries)."""
    now = now or timezone.now()
    slots = list(service.slots.filter(ends_at__gt=now, starts_at__lte=now + AHEAD).annotate(taken=_held())
                 .order_by("starts_at"))
    mine = {b.slot_id: b for b in ServiceBooking.objects.filter(
        slot__in=[s.pk for s in slots], user_id=user.pk, status__in=HOLDING)}
    return [SlotRow(s, s.taken, mine.get(s.pk)) for s in slots]


def studio_for_manage(*, user, slug: str) -> Studio:
    return policy.get_object_or_404_for(user, "talents.service.manage", Studio.objects.select_related(
        "team__community"), slug=slug)


def studio_services(*, studio: Studio) -> list[StudioService]:
    return list(studio.services.order_by("title"))


def studio_bookings(*, studio: Studio, now=None, days_back: int = 7) -> list[ServiceBooking]:
    """The bookings of the studio's slots from a week ago on, for the host to confirm and record."""
    now = now or timezone.now()
    return list(ServiceBooking.objects.filter(slot__service__studio=studio,
                                              slot__starts_at__gte=now - dt.timedelta(days=days_back))
                .exclude(status=BookingStatus.CANCELLED)
                .select_related("slot__service", "user__person").order_by("slot__starts_at", "id"))


def my_bookings(*, user, now=None) -> dict:
    now = now or timezone.now()
    rows = (policy.scope(user, "talents.appointment.mine", ServiceBooking.objects.filter(user=user))
            .select_related("slot__service__studio__team").order_by("-slot__starts_at", "-id"))
    coming = [b for b in rows if b.slot.ends_at > now and b.status in HOLDING]
    return {"coming": sorted(coming, key=lambda b: b.slot.starts_at), "past": [b for b in rows if b not in coming]}


def bookings_due_reminder(*, now=None) -> list[int]:
    """Bookings whose slot starts in the next 24 hours and whose resident was not reminded yet."""
    now = now or timezone.now()
    return list(ServiceBooking.objects.filter(reminded_at__isnull=True, status__in=HOLDING,
                                              slot__starts_at__gt=now, slot__starts_at__lte=now + REMINDER_AHEAD)
                .order_by("slot__starts_at").values_list("pk", flat=True))
