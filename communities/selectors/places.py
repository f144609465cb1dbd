from django.db.models import Count, F, Q, QuerySet

from .. import policy
from ..models import Building, Community, Residency, Role, Unit, User
from ..natural import Natural

ACTIVE = Q(residencies__moved_out__isnull=True)


def communities_visible(*, user, action: str = "community.view") -> QuerySet:
    return policy.communities_for(user, action).annotate(
        building_count=Count("buildings", distinct=True),
    ).order_by("name")


def community_figures(*, community: Community) -> dict:
    """Households, let units, residents, tenants and sublandlords of one community (3 queries)."""
    units = Unit.objects.filter(building__community=community).aggregate(
        households=Count("id"), let=Count("id", filter=Q(is_let=True)),
        sublandlords=Count("sublandlord", distinct=True),
    )
    people = Residency.objects.filter(unit__building__community=community, moved_out__isnull=True).aggregate(
        residents=Count("person", distinct=True),
        tenants=Count("person", filter=Q(relation=Residency.Relation.TENANT), distinct=True),
    )
    over = units_over_capacity(community=community).count()
    return {**units, **people, "over_capacity": over}


def with_occupancy(queryset: QuerySet) -> QuerySet:
    """Annotate units with their active residents and whether they exceed capacity."""
    return queryset.annotate(active_residents=Count("residencies", filter=ACTIVE)).annotate(
        over_capacity=Q(active_residents__gt=F("capacity"))
    )


def units_over_capacity(*, community: Community) -> QuerySet:
    return with_occupancy(Unit.objects.filter(building__community=community)).filter(
        active_residents__gt=F("capacity")
    )


def buildings_of(*, community: Community) -> QuerySet:
    return (
        Building.objects.filter(community=community)
        .select_related("village_group")
        .annotate(
            unit_count=Count("units", distinct=True),
            resident_count=Count("units__residencies", filter=Q(units__residencies__moved_out__isnull=True)),
        )
        .order_by("village_group__name", "name")
    )


def units_of(*, user, building: Building) -> QuerySet:
    qs = Unit.objects.filter(building=building).select_related("building", "sublandlord")
    return with_occupancy(policy.scope(user, "unit.view", qs)).order_by("floor", Natural("room"))


def residents_of(*, unit: Unit) -> QuerySet:
    return (
        Residency.objects.filter(unit=unit, moved_out__isnull=True)
        .select_related("person")
        .order_by("relation", "person__name")
    )


def my_units(*, user) -> QuerySet:
    person = getattr(user, "person", None)
    if person is None:
        return Unit.objects.none()
    return with_occupancy(
        Unit.objects.filter(Q(residencies__person=person, residencies__moved_out__isnull=True) | Q(sublandlord=person))
        .select_related("building__community")
        .distinct()
    )


def users_with_role(*, community_id: int, role: str = Role.COMMITTEE_STAFF) -> QuerySet:
    """Active users holding ``role`` in a community (committee staff by default)."""
    return User.objects.filter(memberships__community_id=community_id, memberships__role=role,
                               is_active=True).distinct()
