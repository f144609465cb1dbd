"""Reads for the gate: the open entries (who is still in), today's log, one entry with its charges, cameras."""
import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from ..models import Camera, GateEntry, ParkingCharge


def open_entries(*, community) -> list[GateEntry]:
    """Everyone and every outside vehicle still in, earliest first, with an unpaid charge if one waits."""
    unpaid = Prefetch("charges", queryset=ParkingCharge.objects.filter(paid_at__isnull=True), to_attr="unpaid")
    return list(GateEntry.objects.filter(community=community, exited_at__isnull=True)
                .prefetch_related(unpaid).order_by("entered_at", "id"))


def log_of_day(*, community, day: dt.date) -> list[GateEntry]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return list(GateEntry.objects.filter(community=community, entered_at__gte=start,
                                         entered_at__lt=start + dt.timedelta(days=1))
                .select_related("logged_by__person").order_by("-entered_at", "-id"))


def entry_with_charges(*, entry: GateEntry) -> list[ParkingCharge]:
    return list(entry.charges.select_related("received_by__person").order_by("computed_at", "id"))


def cameras(*, community) -> list[Camera]:
    return list(Camera.objects.filter(community=community).order_by("place", "id"))
