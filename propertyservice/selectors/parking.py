"""Reads for parking: the fee standard in force, spaces, registered vehicles, how full the car park is, the
cash report and the board card. Each a fixed number of queries."""
import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from communities.selectors.elections import motion_adopted

from ..models import FeeStandard, GateEntry, ParkingCharge, ParkingSpace, Vehicle
from ..models.gate import EXEMPT

DEFAULT_PLATES_PER_HOUSEHOLD = 2


def _adopted(standard: FeeStandard) -> bool:
    return standard.motion_id is not None and motion_adopted(motion=standard.motion)


def standards(*, community) -> list[FeeStandard]:
    """Every version, newest first, each with ``adopted`` (its motion passed at a villagers' meeting). Two
    queries."""
    rows = list(FeeStandard.objects.filter(community=community).select_related("motion__election")
                .prefetch_related("bands").order_by("-version"))
    for row in rows:
        row.adopted = _adopted(row)
    return rows


def standard_in_force(*, community, at=None) -> FeeStandard | None:
    """The newest adopted version whose ``effective_from`` is not after ``at`` (the gate uses the one in force
    at a car's entry); a draft or a version whose motion failed never applies. Two queries."""
    at = at or timezone.now()
    candidates = (FeeStandard.objects.filter(community=community, effective_from__lte=at, motion__isnull=False)
                  .select_related("motion__election").prefetch_related("bands")
                  .order_by("-effective_from", "-version"))
    return next((row for row in candidates if _adopted(row)), None)


def standard_upcoming(*, community, at=None) -> FeeStandard | None:
    """The next adopted version, already decided but not yet in force (posted ahead). Two queries."""
    at = at or timezone.now()
    candidates = (FeeStandard.objects.filter(community=community, effective_from__gt=at, motion__isnull=False)
                  .select_related("motion__election").prefetch_related("bands").order_by("effective_from", "version"))
    return next((row for row in candidates if _adopted(row)), None)


def plates_per_household(*, community, at=None) -> int:
    standard = standard_in_force(community=community, at=at)
    return standard.plates_per_household if standard else DEFAULT_PLATES_PER_HOUSEHOLD


def spaces(*, community) -> list[ParkingSpace]:
    """Every space, by group, numbers in natural order (2号 before 10号)."""
    return list(ParkingSpace.objects.filter(community=community).select_related("village_group")
                .order_by("village_group__name", "sort_key", "number"))


def household_vehicles(*, units) -> list[Vehicle]:
    return list(Vehicle.objects.filter(unit__in=units).select_related("unit__building").order_by("plate"))


def community_vehicles(*, community) -> list[Vehicle]:
    return list(Vehicle.objects.filter(community=community).select_related("unit__building")
                .order_by("unit__building__name", "plate"))


def whitelisted(*, community, plate: str) -> Vehicle | None:
    return Vehicle.objects.filter(community=community, plate=plate).first()


def paying_cars_in_q() -> Q:
    """Outside vehicles still in that occupy a visitor or public space (not villagers', not exempt)."""
    return Q(kind=GateEntry.Kind.VEHICLE, exited_at__isnull=True, whitelisted=False) & ~Q(vehicle_class__in=EXEMPT)


def occupancy(*, community) -> dict:
    """Visitor and public spaces, the outside cars in, the spaces free and whether the car park is full. Two
    queries."""
    total = ParkingSpace.objects.filter(community=community, kind__in=[ParkingSpace.Kind.VISITOR,
                                                                       ParkingSpace.Kind.PUBLIC]).count()
    cars_in = GateEntry.objects.filter(paying_cars_in_q(), community=community).count()
    free = max(0, total - cars_in)
    # A village that has not recorded its spaces yet has no count to be full against.
    return {"total": total, "cars_in": cars_in, "free": free, "full": bool(total) and free == 0}


def _day_bounds(day: dt.date):
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def cash_report(*, community, day: dt.date) -> dict:
    """The day's payments by method and by gate staff, with totals. One query, whatever the number of rows."""
    start, end = _day_bounds(day)
    rows = list(ParkingCharge.objects.filter(entry__community=community, paid_at__gte=start, paid_at__lt=end)
                .values("received_by", "received_by__username", "received_by__person__name", "method")
                .annotate(count=Count("id"), total=Sum("amount")).order_by("received_by__username", "method"))
    by_method: dict[str, dict] = {}
    by_staff: dict[int, dict] = {}
    labels = dict(ParkingCharge.Method.choices)
    for row in rows:
        method = by_method.setdefault(row["method"], {"label": labels.get(row["method"], row["method"]),
                                                      "count": 0, "total": Decimal("0")})
        method["count"] += row["count"]
        method["total"] += row["total"]
        staff = by_staff.setdefault(row["received_by"], {
            "name": row["received_by__person__name"] or row["received_by__username"], "methods": [],
            "count": 0, "total": Decimal("0")})
        staff["methods"].append({"label": labels.get(row["method"], row["method"]), "count": row["count"],
                                 "total": row["total"]})
        staff["count"] += row["count"]
        staff["total"] += row["total"]
    return {"day": day, "by_method": list(by_method.values()), "by_staff": list(by_staff.values()),
            "count": sum(r["count"] for r in rows), "total": sum((r["total"] for r in rows), Decimal("0"))}


def board_figures(*, community, now=None) -> dict:
    """Today's cars in, this month's revenue, spaces free. Four queries."""
    now = timezone.localtime(now or timezone.now())
    start, _end = _day_bounds(now.date())
    month_start = start.replace(day=1)
    cars_today = GateEntry.objects.filter(community=community, kind=GateEntry.Kind.VEHICLE,
                                          entered_at__gte=start).count()
    revenue = (ParkingCharge.objects.filter(entry__community=community, paid_at__gte=month_start)
               .aggregate(total=Sum("amount"))["total"]) or Decimal("0")
    return {"cars_today": cars_today, "revenue": revenue, **occupancy(community=community)}


def hub_card(*, request, community) -> dict:
    """门岗与停车 on the hub: the links the user's role opens here (empty: no card)."""
    from communities import policy

    user = request.user
    card = {"gate": policy.can(user, "propertyservice.gate.operate", community),
            "manage": policy.can(user, "propertyservice.parking.manage", community),
            "mine": policy.can(user, "propertyservice.parking.register", community)}
    if not any(card.values()):
        return {}
    return {**card, "prices": True}


def board_card(*, request, community) -> dict:
    from communities import policy

    if not policy.can(request.user, "propertyservice.parking.manage", community):
        return {}
    return {**board_figures(community=community), "shown": True}
