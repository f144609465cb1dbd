"""Demo rentals for 蓉庭: a registration for each tenant the core demo houses, and a declaration per let unit.

Assumes the core demo (``seed_demo``): 1,387 let units of 80 sublandlords and 2,838 tenants as core
``Residency`` rows, 12 of the units (the partitioned flats) two tenants over their capacity, so the
over-capacity flag list is never empty. Deterministic, bulk, and safe to run twice (it fills only what is
missing). Most sublandlords have no login: their registrations and declarations are recorded as entered by
the committee (``staff``), as after a door-to-door survey; those of ``landlord``…``landlord6`` by themselves.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from communities.models import Residency, Unit, User

from ..models import RentalDeclaration, TenantRegistration
from ..models.rentals import registration_is_late
from ..selectors.rentals import with_tenant_occupancy

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH_SIZE = 1000
LATE_EVERY = 10  # about one registration in ten is entered late (4–17 days after the move-in)


def _registered_at(residency_id: int, moved_in: dt.date) -> dt.datetime:
    if residency_id % LATE_EVERY == 0:
        delay = 4 + residency_id % 14
    else:
        delay = residency_id % 4  # 0–3 days: on time
    day = moved_in + dt.timedelta(days=delay)
    return dt.datetime(day.year, day.month, day.day, 9 + residency_id % 10, residency_id % 60, tzinfo=SHANGHAI)


def _rooms(unit: Unit) -> tuple[int, str]:
    if unit.over_capacity:
        return unit.capacity // 2 + 2, "客厅和阳台各隔出一间"
    return max(1, unit.capacity // 2), ""


def demo_rentals_seed() -> dict:
    """Create what is missing; return counts of what was created."""
    staff = User.objects.filter(username="staff").first()
    if staff is None:
        return {"declarations": 0, "registrations": 0, "over_capacity": 0}
    units = with_tenant_occupancy(Unit.objects.filter(building__community__slug="rongting", is_let=True,
                                                      sublandlord__isnull=False)
                                  .select_related("sublandlord"))
    entered_by = dict(User.objects.filter(person__sublet_units__building__community__slug="rongting")
                      .values_list("person__id", "pk").distinct())
    users = {u.pk: u for u in User.objects.filter(pk__in=set(entered_by.values()))}
    with transaction.atomic():
        declared = set(RentalDeclaration.objects.filter(unit__building__community__slug="rongting")
                       .values_list("unit_id", flat=True))
        declarations, over = [], 0
        unit_landlord = {}
        for unit in units:
            unit_landlord[unit.pk] = unit.sublandlord_id
            over += bool(unit.over_capacity)
            if unit.pk in declared:
                continue
            rooms, note = _rooms(unit)
            who = users.get(entered_by.get(unit.sublandlord_id), staff)
            declarations.append(RentalDeclaration(unit=unit, rooms=rooms, partitions_note=note, declared_by=who,
                                                  declared_at=dt.datetime(2026, 1, 5, 10, tzinfo=SHANGHAI)))
        RentalDeclaration.objects.bulk_create(declarations, batch_size=BATCH_SIZE)
        tenants = (Residency.objects.filter(unit_id__in=unit_landlord, relation=Residency.Relation.TENANT,
                                            moved_out__isnull=True, tenant_registration__isnull=True)
                   .values_list("pk", "unit_id", "moved_in"))
        registrations = []
        for residency_id, unit_id, moved_in in tenants:
            landlord_id = unit_landlord[unit_id]
            at = _registered_at(residency_id, moved_in)
            registrations.append(TenantRegistration(
                unit_id=unit_id, sublandlord_id=landlord_id, residency_id=residency_id, moved_in=moved_in,
                registered_at=at, registered_by=users.get(entered_by.get(landlord_id), staff),
                is_late=registration_is_late(moved_in=moved_in, registered_at=at)))
        TenantRegistration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)
    return {"declarations": len(declarations), "registrations": len(registrations), "over_capacity": over}
