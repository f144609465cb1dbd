"""Electorate providers: who is on an election's voter roll, with what weight, and who votes as one.

A provider is a function ``(election, now) -> list[ElectionVoter]`` (unsaved rows) registered under a
key; ``Election.electorate`` names it. The core registers four; an app adds its own with ``register``
from its ``AppConfig.ready()`` (the key starts with the app's label: ``talents.squad_members``).

Counting owners (Supreme People's Court interpretation on building co-ownership, arts. 8–9; RULES.md):
one vote per owned unit, co-owners of a unit vote as one, one person with several units votes once with
their areas added (a reading), all unsold developer units together vote as one. Tenants are not owners.
The two joining rules chain: owners linked by any shared unit form one group (union–find below).
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ElectionVoter, Membership, Residency, Unit

ADULT_AGE = 18


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    build: Callable
    # The roll carries exclusive floor area, so the election is counted by area too.
    counts_area: bool = False
    # Which community kind it suits (None: any); the form offers it only there.
    community_kind: str | None = None


_REGISTRY: dict[str, Provider] = {}


def register(key: str, label, build: Callable, *, counts_area: bool = False, community_kind=None) -> None:
    if key in _REGISTRY and _REGISTRY[key].build is not build:
        raise ValueError(f"electorate provider {key!r} registered twice")
    _REGISTRY[key] = Provider(key, label, build, counts_area, community_kind)


def get(key: str) -> Provider:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"no electorate provider {key!r}") from None


def choices(community=None) -> list[tuple[str, str]]:
    kind = getattr(community, "kind", None)
    return [(p.key, p.label) for p in _REGISTRY.values()
            if p.community_kind is None or kind is None or p.community_kind == kind]


# --- the core's providers ----------------------------------------------------------------------------

def by_role(election, now) -> list[ElectionVoter]:
    """The community's users with the electorate role; their weight is the floor area of the units they
    own there when the election counts area (0 otherwise)."""
    user_ids = list(Membership.objects.filter(community_id=election.community_id, role=election.electorate_role,
                                              user__is_active=True).values_list("user_id", flat=True).distinct())
    areas = {}
    if election.counts_area:
        areas = dict(Residency.objects.filter(
            person__user_id__in=user_ids, relation=Residency.Relation.OWNER, moved_out__isnull=True,
            unit__building__community_id=election.community_id,
        ).values("person__user_id").annotate(area=Sum("unit__floor_area")).values_list("person__user_id", "area"))
    return [ElectionVoter(election=election, user_id=uid, weight=areas.get(uid) or Decimal(0))
            for uid in sorted(user_ids)]


def _active_user(person):
    user = person.user
    return user if user is not None and user.is_active else None


def unit_owners(election, now) -> list[ElectionVoter]:
    return owners_roll(election, Unit.objects.filter(building__community_id=election.community_id))


def owner_groups(units: dict, owned) -> tuple[list[dict], list]:
    """The counting rules above as a pure function: ``units`` is {unit id: Unit}, ``owned`` the current owner
    ``Residency`` rows of those units (with ``person`` loaded). Returns (groups, unsold): each group is
    ``{"units": set of unit ids, "persons": {person id: Person}, "area": Decimal}`` (one head, its areas added),
    ordered by its first unit; ``unsold`` the units with no owner row (all together one head: the developer).
    No queries: the owner register (``talents``) counts its prefetched rows with it."""
    parent: dict[int, int] = {}

    def find(pid):
        while parent.setdefault(pid, pid) != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    persons, first_owner = {}, {}
    for row in owned:
        persons[row.person_id] = row.person
        find(row.person_id)
        if row.unit_id in first_owner:
            parent[find(row.person_id)] = find(first_owner[row.unit_id])
        else:
            first_owner[row.unit_id] = row.person_id
    groups: dict[int, dict] = {}
    for unit_id, pid in first_owner.items():
        group = groups.setdefault(find(pid), {"units": set(), "persons": {}})
        group["units"].add(unit_id)
    for pid in persons:
        groups[find(pid)]["persons"][pid] = persons[pid]
    ordered = sorted(groups.values(), key=lambda g: min(g["units"]))
    for group in ordered:
        group["area"] = sum((units[u].floor_area for u in group["units"]), Decimal(0))
    unsold = [u for pk, u in units.items() if pk not in first_owner]
    return ordered, unsold


def owners_roll(election, units) -> list[ElectionVoter]:
    """The owners' roll of ``units`` (a queryset or list of Unit), by the counting rules above: what
    ``unit_owners`` builds for the whole estate, and what an app builds for the owners who share a repair (one
    building, one stairwell). Two queries."""
    units = {u.pk: u for u in units}
    owned = list(Residency.objects.filter(unit_id__in=units, relation=Residency.Relation.OWNER,
                                          moved_out__isnull=True).select_related("person__user"))
    groups, unsold = owner_groups(units, owned)
    roll = []
    for group in groups:
        key = "owners:" + str(min(group["units"]))
        area = group["area"]
        for i, pid in enumerate(sorted(group["persons"])):
            person = group["persons"][pid]
            roll.append(ElectionVoter(election=election, person=person, user=_active_user(person),
                                      share_key=key if len(group["persons"]) > 1 else "",
                                      counted=i == 0, weight=area if i == 0 else Decimal(0)))
    if unsold:
        roll.append(ElectionVoter(election=election, share_key="", counted=True,
                                  label=str(_("开发商（未售房屋 %(n)s 套）") % {"n": len(unsold)}),
                                  weight=sum((u.floor_area for u in unsold), Decimal(0))))
    return roll


def adult_cutoff(now) -> datetime.date:
    """Born on or before this day: 18 or older on ``now``'s day in Shanghai (29 February → 28th)."""
    today = timezone.localdate(now)
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:
        return today.replace(year=today.year - ADULT_AGE, day=28)


def _villagers(election, now) -> list[tuple]:
    """(person, unit id) for the village's adult residents who belong there (owners and family, not
    tenants). An owner of record without a birth date is taken to be of age (a reading); anyone else
    needs a birth date."""
    cutoff = adult_cutoff(now)
    rows = (Residency.objects.filter(unit__building__community_id=election.community_id, moved_out__isnull=True,
                                     relation__in=[Residency.Relation.OWNER, Residency.Relation.FAMILY])
            .select_related("person__user").order_by("unit_id", "person_id"))
    seen, out = set(), []
    for row in rows:
        born = row.person.birth_date
        adult = born <= cutoff if born else row.relation == Residency.Relation.OWNER
        if adult and row.person_id not in seen:
            seen.add(row.person_id)
            out.append((row.person, row.unit_id))
    return out


def village_adults(election, now) -> list[ElectionVoter]:
    return [ElectionVoter(election=election, person=person, user=_active_user(person), household=str(unit_id))
            for person, unit_id in _villagers(election, now)]


def village_households(election, now) -> list[ElectionVoter]:
    """One vote per household (户): any adult of it may cast it."""
    roll, counted_units = [], set()
    for person, unit_id in _villagers(election, now):
        first = unit_id not in counted_units
        counted_units.add(unit_id)
        roll.append(ElectionVoter(election=election, person=person, user=_active_user(person),
                                  household=str(unit_id), share_key=f"unit:{unit_id}", counted=first))
    return roll


register("role", _("按身份（角色）"), by_role)
register("unit_owners", _("业主（按专有部分，一户一票）"), unit_owners, counts_area=True,
         community_kind="residential")
register("village_adults", _("本村十八周岁以上村民"), village_adults, community_kind="village")
register("village_households", _("本村住户（一户一票）"), village_households, community_kind="village")
