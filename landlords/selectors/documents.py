"""Reads for the charter and the covenant: the current version and its history, where a person stands
with it, and who has and has not acknowledged (per building for the covenant, per member for the
charter). Each report runs a fixed number of queries, whatever the size of the estate."""
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from communities import policy
from communities.models import Building, Community, Person, Residency, Team
from communities.selectors.teams import kind_member_user_ids

from ..models import DocumentAcknowledgement, DocumentVersion

Ack = DocumentAcknowledgement


def natural_key(name: str) -> list:
    """"2号楼" before "10号楼"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def person_of(user) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def document_current(*, community: Community, kind: str) -> DocumentVersion | None:
    return (DocumentVersion.objects.filter(community=community, kind=kind, status=DocumentVersion.Status.ADOPTED)
            .select_related("drafted_by", "approved_by").first())


def document_open_draft(*, community: Community, kind: str) -> DocumentVersion | None:
    return (DocumentVersion.objects.filter(community=community, kind=kind, status=DocumentVersion.Status.DRAFT)
            .select_related("drafted_by").first())


def may_see_drafts(user, *, community: Community, kind: str) -> bool:
    actions = DocumentVersion(kind=kind)
    return policy.can(user, actions.action("draft"), community) or policy.can(user, actions.action("adopt"), community)


def document_history(*, user, community: Community, kind: str) -> list[DocumentVersion]:
    """Every version, newest first; drafts and withdrawn drafts only for those who draft or adopt."""
    qs = DocumentVersion.objects.filter(community=community, kind=kind).select_related("drafted_by", "approved_by")
    if not may_see_drafts(user, community=community, kind=kind):
        qs = qs.filter(status__in=[DocumentVersion.Status.ADOPTED, DocumentVersion.Status.SUPERSEDED])
    return list(qs.order_by("-number"))


@dataclass(frozen=True)
class MyStanding:
    """Where one person stands with the current version: acknowledged it, acknowledged an older one only
    (the page asks them to read the new one), or never."""
    current: Ack | None
    older: Ack | None

    @property
    def must_reacknowledge(self) -> bool:
        return self.current is None and self.older is not None


def my_standing(*, person: Person | None, version: DocumentVersion | None) -> MyStanding:
    if person is None or version is None:
        return MyStanding(None, None)
    acks = list(Ack.objects.filter(person=person, version__community_id=version.community_id,
                                   version__kind=version.kind).select_related("version")
                .order_by("-version__number"))
    current = next((a for a in acks if a.version_id == version.pk), None)
    older = next((a for a in acks if a.version_id != version.pk), None)
    return MyStanding(current, older)


def active_tenancies(*, community: Community):
    return Residency.objects.filter(unit__building__community=community, relation=Residency.Relation.TENANT,
                                    moved_out__isnull=True)


def is_tenant(*, person: Person | None, community: Community) -> bool:
    return person is not None and active_tenancies(community=community).filter(person=person).exists()


def own_tenants(*, landlord: Person | None, community: Community, version: DocumentVersion | None):
    """The tenants living now in the sublandlord's units, with their acknowledgement of ``version``."""
    if landlord is None:
        return []
    rows = _with_ack(active_tenancies(community=community).filter(unit__sublandlord=landlord), version) \
        .select_related("person", "unit__building")
    return sorted(rows, key=lambda r: (natural_key(r.unit.building.name), natural_key(r.unit.room), r.person.name))


def _with_ack(residencies, version: DocumentVersion | None):
    acks = Ack.objects.filter(version=version, person=OuterRef("person_id"))
    return residencies.annotate(ack_method=Subquery(acks.values("method")[:1]),
                                ack_signed_on=Subquery(acks.values("signed_on")[:1]))


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
    return _with_ack(Residency.objects.filter(unit__building=building, relation=Residency.Relation.TENANT,
                                              moved_out__isnull=True), version) \
        .select_related("person", "unit").order_by("unit__floor", "unit__room", "person__name")


def team_members(*, community: Community):
    """The 蓉治社's members (communities.selectors.teams), as the people who acknowledge the charter."""
    return Person.objects.filter(user_id__in=kind_member_user_ids(community=community, kind=Team.Kind.LANDLORD_TEAM))


def charter_members(*, community: Community, version: DocumentVersion | None):
    """Each team member with their acknowledgement of the current charter (one query)."""
    acks = Ack.objects.filter(version=version, person=OuterRef("pk"))
    return (team_members(community=community)
            .annotate(ack_method=Subquery(acks.values("method")[:1]),
                      ack_signed_on=Subquery(acks.values("signed_on")[:1]))
            .order_by("name", "id"))
