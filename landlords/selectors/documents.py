"""蓉庭's reads on its two documents (the core's versioned documents, communities.selectors.documents): who is
bound by the covenant (the community's tenants living there now), a sublandlord's own tenants, and who has
and has not acknowledged (per building for the covenant, per member for the charter). Each report runs a
fixed number of queries, whatever the size of the estate."""
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from communities.models import Building, Community, DocumentAcknowledgement, DocumentVersion, Person, Residency, Team
from communities.selectors.documents import with_acknowledgement
from communities.selectors.teams import kind_member_user_ids
from communities.natural import natural_key

Ack = DocumentAcknowledgement


def active_tenancies(*, community: Community):
    return Residency.objects.filter(unit__building__community=community, relation=Residency.Relation.TENANT,
                                    moved_out__isnull=True)


def is_tenant(*, person: Person | None, community: Community) -> bool:
    return person is not None and active_tenancies(community=community).filter(person=person).exists()


def own_tenant_people(*, actor, community: Community):
    """The people living now as tenants in the units ``actor`` (a sublandlord) lets: whose paper signature of
    the covenant they may record."""
    return Person.objects.filter(pk__in=active_tenancies(community=community)
                                 .filter(unit__sublandlord__user=actor).values("person_id"))


def own_tenants(*, landlord: Person | None, community: Community, version: DocumentVersion | None):
    """The tenants living now in the sublandlord's units, with their acknowledgement of ``version``."""
    if landlord is None:
        return []
    rows = with_acknowledgement(active_tenancies(community=community).filter(unit__sublandlord=landlord), version) \
        .select_related("person", "unit__building")
    return sorted(rows, key=lambda r: (natural_key(r.unit.building.name), natural_key(r.unit.room), r.person.name))


@dataclass(frozen=True)
class BuildingRow:
    building: Building
    tenants: int
    in_app: int
    on_paper: int

    @property
    def missing(self) -> int:
        return self.tenants - self.in_app - self.on_paper


def covenant_by_building(*, community: Community, version: DocumentVersion | None) -> list[BuildingRow]:
    """Per building: tenants living there now, how many acknowledged ``version`` in the app, on paper, not
    yet. Two queries: the buildings, and one grouped count."""
    buildings = sorted(Building.objects.filter(community=community), key=lambda b: natural_key(b.name))
    acks = Ack.objects.filter(version=version, person=OuterRef("person_id"))
    counts = (active_tenancies(community=community)
              .annotate(in_app=Exists(acks.filter(method=Ack.Method.APP)),
                        on_paper=Exists(acks.filter(method=Ack.Method.PAPER)))
              .values("unit__building_id")
              .annotate(tenants=Count("person_id", distinct=True),
                        app=Count("person_id", distinct=True, filter=Q(in_app=True)),
                        paper=Count("person_id", distinct=True, filter=Q(on_paper=True))))
    by_building = {row["unit__building_id"]: row for row in counts}
    rows = []
    for building in buildings:
        row = by_building.get(building.pk)
        if row:
            rows.append(BuildingRow(building, row["tenants"], row["app"], row["paper"]))
    return rows


def covenant_building_tenants(*, building: Building, version: DocumentVersion | None):
    """The tenants of one building with their status (one query)."""
    return with_acknowledgement(Residency.objects.filter(unit__building=building, relation=Residency.Relation.TENANT,
                                                         moved_out__isnull=True), version) \
        .select_related("person", "unit").order_by("unit__floor", "unit__room", "person__name")


def team_members(*, community: Community):
    """The 蓉治社's members (communities.selectors.teams), as the people who acknowledge the charter."""
    return Person.objects.filter(user_id__in=kind_member_user_ids(community=community, kind=Team.Kind.LANDLORD_TEAM))


def charter_members(*, community: Community, version: DocumentVersion | None):
    """Each team member with their acknowledgement of the current charter (one query)."""
    return with_acknowledgement(team_members(community=community), version, person="pk").order_by("name", "id")
