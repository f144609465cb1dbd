"""Reads of rentals, each scoped to what the viewer may see before it is filtered."""
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from communities import policy
from communities.models import Case, Community, Person, Residency, Role, Unit
from communities.models.cases import OPEN_STATUSES
from communities.selectors.personal_data import Subject
from communities.natural import Natural

from ..models import TenantRegistration

PARTITION_CATEGORY = "partitioned_flat"  # 房屋隔断 (communities.services.routing.DEFAULT_CATEGORIES)
ACTIVE_TENANT = Q(residencies__moved_out__isnull=True, residencies__relation=Residency.Relation.TENANT)


def with_tenant_occupancy(queryset: QuerySet) -> QuerySet:
    """Annotate units with their active tenants and whether these exceed the approved capacity."""
    return queryset.annotate(active_tenants=Count("residencies", filter=ACTIVE_TENANT)).annotate(
        over_capacity=Q(active_tenants__gt=F("capacity")))


def units_of_sublandlord(person: Person) -> QuerySet:
    """The units ``person`` lets now, with rooms declared, capacity and active tenants."""
    units = Unit.objects.filter(sublandlord=person, is_let=True).select_related("building", "rental_declaration")
    return with_tenant_occupancy(units).order_by(Natural("building__name"), "floor", Natural("room"))


def _registrations() -> QuerySet:
    return TenantRegistration.objects.select_related("unit__building", "residency__person", "sublandlord")


def registrations_for_sublandlord(person: Person) -> QuerySet:
    """The registrations ``person`` made as sublandlord, and the active ones of the units they let now."""
    return _registrations().filter(Q(sublandlord=person) | Q(unit__sublandlord=person, moved_out__isnull=True))


def registrations_of_tenant(*, user) -> QuerySet:
    person_id = policy.person_id_of(user)
    if person_id is None:
        return TenantRegistration.objects.none()
    return _registrations().filter(residency__person_id=person_id)


@dataclass(frozen=True)
class RegistrationFilters:
    building: int | None = None
    late: bool | None = None
    active: bool | None = None  # True: living there now; False: moved out
    q: str = ""


def registrations_for_staff(*, user, community: Community, filters: RegistrationFilters = RegistrationFilters()
                            ) -> QuerySet:
    """A community's registrations for committee staff and the Party secretary."""
    qs = policy.scope(user, "landlords.tenant_registration.list", _registrations())
    qs = qs.filter(unit__building__community=community)
    if filters.building:
        qs = qs.filter(unit__building_id=filters.building)
    if filters.late is not None:
        qs = qs.filter(is_late=filters.late)
    if filters.active is not None:
        qs = qs.filter(moved_out__isnull=filters.active)
    if filters.q:
        qs = qs.filter(Q(residency__person__name__icontains=filters.q) | Q(unit__room=filters.q))
    return qs.order_by("-registered_at", "-id")


def units_flagged(*, community: Community) -> QuerySet:
    """Let units whose active tenants exceed their capacity (疑似群租/隔断), each with its open case if any."""
    open_case = Case.objects.filter(unit=OuterRef("pk"), category__code=PARTITION_CATEGORY,
                                    status__in=OPEN_STATUSES).order_by("-created_at").values("pk")[:1]
    units = Unit.objects.filter(building__community=community, is_let=True) \
        .select_related("building", "sublandlord", "rental_declaration")
    return with_tenant_occupancy(units).filter(active_tenants__gt=F("capacity")) \
        .annotate(open_case_id=Subquery(open_case)).order_by(Natural("building__name"), "floor", Natural("room"))


REVEAL_PHONE = "landlords.tenant_registration.reveal_phone"


def registration_subjects(registrations, *, per_flat: bool = False) -> list[Subject]:
    """The tenants' phones of ``registrations``, keyed by registration id, for the core's personal-data path.

    By default decided once per community: masked (``masked_values``), or revealed with a purpose to those who
    may (committee staff, ``communities.services.personal_data.reveal_values`` with ``REVEAL_PHONE``).
    ``per_flat``: only tenants living there now, decided per flat by ``TENANT_PHONE`` (the sublandlord who lets
    it sees them whole, each view logged); former tenants are never subjects then, their numbers stay masked."""
    return [Subject(key=r.pk, person=r.residency.person, value=r.residency.person.phone,
                    community_id=r.unit.building.community_id,
                    target=r.unit if per_flat else r.unit.building,
                    decided_by=("unit", r.unit_id) if per_flat else ("community", r.unit.building.community_id))
            for r in registrations if not per_flat or r.moved_out is None]


# The core's rule for a flat's residents' phones: committee staff, and the sublandlord who lets the flat now.
TENANT_PHONE = "person.view_phone"


def hub_rentals_context(*, user) -> dict:
    """What the 蓉治社 hub shows of rentals for ``user`` (templates/landlords/fragments/hub_rentals.html)."""
    return {"hub_rentals": {
        "units": policy.can(user, "landlords.rental.manage"),
        # Every member may open the page, but only tenants have something there.
        "mine": policy.can(user, "landlords.tenant_registration.mine") and Role.TENANT in policy.all_roles(user),
        "staff": policy.can(user, "landlords.tenant_registration.list"),
    }}
