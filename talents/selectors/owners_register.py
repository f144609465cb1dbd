"""Reads of the owners' hub's register area (issue 15): the owner register of an estate, its counting summary by
the law (the core's ``owner_groups``), the published rosters and the hub card."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch

from communities import policy
from communities.models import mask_name  # noqa: F401 - the core's, used here and by callers
from communities.electorates import owner_groups
from communities.models import Building, Residency, Unit
from communities.natural import Natural
from communities.sums import DecimalSum

from ..models import RosterPublication
from .owners_fund_core import cents

OWNER = Residency.Relation.OWNER


@dataclass
class RegisterRow:
    unit: Unit
    owners: list  # current owner Residency rows, person loaded
    record: object | None  # AreaRecord or None

    @property
    def source_label(self) -> str:
        return self.record.get_source_display() if self.record else ""

    @property
    def developer_held(self) -> bool:
        return bool(self.record and self.record.developer_held)

    @property
    def problem(self) -> str:
        """What staff should check on this row ('' when nothing)."""
        from django.utils.translation import gettext as _

        if self.record is None:
            return _("面积来源未登记")
        if self.owners and self.record.developer_held:
            return _("已有业主，却标为开发商未售")
        if not self.owners and not self.record.developer_held:
            return _("没有业主登记：表决时按开发商未售计")
        return ""


@dataclass
class Summary:
    """The counting by the law of a set of units (SPC interpretation on building co-ownership, arts. 8–9)."""
    units: int = 0
    owned_units: int = 0
    owner_persons: int = 0
    heads: int = 0
    area: Decimal = Decimal(0)
    developer_units: int = 0
    developer_area: Decimal = Decimal(0)
    co_owned_units: int = 0
    multi_unit_heads: int = 0
    groups: list = field(default_factory=list, repr=False)


def register_units(*, community, building=None):
    """The units of ``community`` (or of one ``building``) with their current owners and area record, buildings in
    natural order (2号楼 before 10号楼): two queries whatever the number of units."""
    units = (Unit.objects.filter(building__community=community).select_related("building", "area_record")
             .prefetch_related(Prefetch("residencies", to_attr="owner_rows", queryset=Residency.objects.filter(
                 relation=OWNER, moved_out__isnull=True).select_related("person").order_by("id")))
             .order_by(Natural("building__name"), "floor", Natural("room")))
    if building is not None:
        units = units.filter(building=building)
    return units


def _record(unit):
    try:
        return unit.area_record
    except Unit.area_record.RelatedObjectDoesNotExist:
        return None


def register_rows(*, community, building=None) -> list[RegisterRow]:
    return [RegisterRow(unit=u, owners=u.owner_rows, record=_record(u))
            for u in register_units(community=community, building=building)]


def register_summary(rows: list[RegisterRow]) -> Summary:
    """Heads and area of ``rows`` by the core's counting rules: co-owners of a unit one head, one person with
    several units once with the areas added, all unsold developer units together one. No queries."""
    units = {r.unit.pk: r.unit for r in rows}
    owned = [o for r in rows for o in r.owners]
    groups, unsold = owner_groups(units, owned)
    return Summary(
        units=len(units), owned_units=len(units) - len(unsold), owner_persons=len({o.person_id for o in owned}),
        heads=len(groups) + (1 if unsold else 0),
        area=sum((u.floor_area for u in units.values()), Decimal(0)),
        developer_units=len(unsold), developer_area=sum((u.floor_area for u in unsold), Decimal(0)),
        co_owned_units=sum(1 for r in rows if len(r.owners) > 1),
        multi_unit_heads=sum(1 for g in groups if len(g["units"]) > 1), groups=groups)


def register_buildings(*, community):
    return Building.objects.filter(community=community).order_by(Natural("name"))


def roster_snapshot(rows: list[RegisterRow]) -> dict:
    """The masked roster of the statutory notice, as JSON: what a ``RosterPublication`` freezes."""
    summary = register_summary(rows)
    return {
        "rows": [{"building": r.unit.building.name, "entrance": r.unit.entrance, "room": r.unit.room,
                  "owners": [mask_name(o.person.name) for o in r.owners], "area": str(r.unit.floor_area),
                  "source": r.source_label, "developer": not r.owners} for r in rows],
        "totals": {"units": summary.units, "owned_units": summary.owned_units, "heads": summary.heads,
                   "area": str(summary.area), "developer_units": summary.developer_units,
                   "developer_area": str(summary.developer_area)},
    }


def latest_roster(*, community) -> RosterPublication | None:
    """The roster published last (the election area links to it); None before the first."""
    return RosterPublication.objects.filter(community=community).order_by("-published_at", "-id").first()


def roster_publications(*, community):
    return RosterPublication.objects.filter(community=community).defer("snapshot").order_by("-published_at", "-id")


def register_counts(*, community) -> dict:
    """Units, owned units, owners and area of the estate now: three queries."""
    units = Unit.objects.filter(building__community=community).aggregate(units=Count("pk"), area=DecimalSum("floor_area"))
    current = Residency.objects.filter(unit__building__community=community, relation=OWNER, moved_out__isnull=True)
    return {"units": units["units"], "area": cents(units["area"]),
            "owned_units": current.values("unit_id").distinct().count(),
            "owners": current.values("person_id").distinct().count()}


def hub_card(*, request, community) -> dict:
    """The register card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it. Staff: the register,
    the import and the live counts (three queries); everyone of the estate: the latest roster (one query)."""
    user = request.user
    if not policy.can(user, "talents.owners.view", community):
        return {}
    card = {"community": community, "roster": latest_roster(community=community),
            "can_manage": policy.can(user, "talents.register.manage", community)}
    if card["can_manage"]:
        card["counts"] = register_counts(community=community)
    return card

