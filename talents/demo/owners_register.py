"""郡园's demo data for the owners' hub's register area (issue 15): the 1,048-unit owner register and the demo
logins of the owners' hub.

The core's demo gives 郡园 24 buildings of 11 floors, 4 flats a floor (24号楼 has 36): 1,048 units, 1,008 lived in
by their owner, 40 let by their owners to tenants (no owner row yet). This adds, in bulk:

- ``Unit.entrance`` for every unit: rooms x01, x02 are 1单元, x03, x04 are 2单元;
- 8 of the let units unsold, held by the developer (no owner; their tenants rent from the developer);
- owners for the other 32 let units: 20 non-resident owners, and 12 owners who live in another flat of the
  estate (so 12 persons own two units and count once with their areas added);
- a spouse as co-owner on 149 units: every 7th owned flat (the spouse is the household's first family member,
  so the estate keeps its 2,800 residents) and every 4th flat bought by a non-resident owner;
- an ``AreaRecord`` per unit: mostly 不动产登记簿 with a certificate number, every 12th the surveyed area;
- one published roster (``RosterPublication``).

Logins (password ``settings.DEMO_PASSWORD``): ``owner`` (resident; the owner of 12号楼 1103, 2单元, top floor:
the flat that leaks), ``owner2`` (owner of a flat in 7号楼, whose facade is repaired), ``jy_tenant`` (a tenant of
a let flat in 12号楼), ``staff_junyuan2`` (second committee staff, for paper ballots confirmed by a second).

Deterministic (``random.Random`` seeded), idempotent-ish: a second run finds the area records and adds no data."""
import datetime as dt
import functools
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from communities.demo.seed import (GIVEN_NAMES, NATIONAL_SURNAMES, DemoLogin, SeedReport, active_residents,
                                   login_ensure)
from communities.models import Community, Person, Residency, Role, Unit, User
from communities.natural import natural_key

from ..models import AreaRecord, AreaSource

SLUG = "junyuan"
OWNER, TENANT, FAMILY = Residency.Relation.OWNER, Residency.Relation.TENANT, Residency.Relation.FAMILY
DEVELOPER_HELD = 8
SECOND_HOMES = 12
CO_OWNED_EVERY = 7  # 1,008 owned flats → 144 + (let flats sold to couples) ≈ 150 co-owned units
SURVEY_EVERY = 12
PHONE_FROM = 500_000  # 1392 0500000…: 郡园's demo block (2), past the core seed's ~2,800 people
STAFF2_SERIAL = 1500  # 13900001500: a demo staff phone (block 0) no other seeder uses
LEAKING_FLAT = ("12号楼", "1103")


def _entrance(room: str) -> str:
    return "1单元" if room[-2:] in ("01", "02") else "2单元"


def _ordered_units(community) -> list[Unit]:
    units = list(Unit.objects.filter(building__community=community).select_related("building"))
    units.sort(key=lambda u: (natural_key(u.building.name), u.floor, natural_key(u.room)))
    return units


def _keep_for_logins(units: list[Unit]) -> set[int]:
    """The let units that must keep a private owner or tenant for the demo logins: 1103's let neighbour if 1103 is
    let, and one let flat of 12号楼 (``jy_tenant``)."""
    twelve = [u for u in units if u.building.name == "12号楼" and u.is_let]
    return {u.pk for u in twelve[:1]}


def _developer_units(let: list[Unit], keep: set[int]) -> list[Unit]:
    candidates = [u for u in let if u.pk not in keep]
    step = len(candidates) / DEVELOPER_HELD
    return [candidates[int(i * step)] for i in range(DEVELOPER_HELD)]


def _certificate(rng, unit: Unit) -> str:
    year = 2008 + int(rng.random() * 4)
    return f"沪({year})宝字不动产权第{int(rng.random() * 900000) + 10000:06d}号"


def _populate(community, now) -> dict:
    rng = random.Random(15)

    def name(surname=None):
        return (surname or rng.choice(NATIONAL_SURNAMES)) + rng.choice(GIVEN_NAMES)

    units = _ordered_units(community)
    for unit in units:
        unit.entrance = _entrance(unit.room)
    Unit.objects.bulk_update(units, ["entrance"], batch_size=500)
    owners_of = {}
    for r in Residency.objects.filter(unit__building__community=community, relation=OWNER, moved_out__isnull=True):
        owners_of.setdefault(r.unit_id, r.person_id)
    let = [u for u in units if u.is_let and u.pk not in owners_of]
    developer = {u.pk for u in _developer_units(let, _keep_for_logins(units))}
    sold = [u for u in let if u.pk not in developer]
    resident_owner_ids = [owners_of[u.pk] for u in units if u.pk in owners_of]
    step = len(resident_owner_ids) // SECOND_HOMES
    second_home_owners = [resident_owner_ids[i * step + 3] for i in range(SECOND_HOMES)]
    today = timezone.localdate(now)
    phones = iter(range(PHONE_FROM, PHONE_FROM + 10_000))
    new_people, residencies, pending = [], [], []  # pending: (unit, person saved first, moved in)
    for i, unit in enumerate(sold):
        if i < SECOND_HOMES:
            residencies.append(Residency(person_id=second_home_owners[i], unit=unit, relation=OWNER,
                                         moved_in=dt.date(2015 + i % 8, 1 + i % 12, 1 + i % 27)))
            continue
        person = Person(name=name(), phone=f"1392{next(phones):07d}")
        new_people.append(person)
        pending.append((unit, person, dt.date(2012 + i % 10, 1 + i % 12, 1 + i % 27)))
    owned = [u for u in units if u.pk in owners_of]
    family = {}
    for r in Residency.objects.filter(unit__building__community=community, relation=FAMILY, moved_out__isnull=True
                                      ).order_by("id"):
        family.setdefault(r.unit_id, r)
    spouses = []  # the spouse already lives there as family: now on the title too (the residents stay 2,800)
    for i, unit in enumerate(owned[3::CO_OWNED_EVERY]):
        if unit.pk in family:
            family[unit.pk].relation = OWNER
            spouses.append(family[unit.pk])
            continue
        spouse = Person(name=name(), phone="" if i % 3 else f"1392{next(phones):07d}")
        new_people.append(spouse)
        pending.append((unit, spouse, dt.date(2010 + i % 10, 1 + i % 12, 1 + i % 27)))
    Residency.objects.bulk_update(spouses, ["relation"], batch_size=500)
    Person.objects.bulk_create(new_people, batch_size=500)
    residencies += [Residency(person=p, unit=u, relation=OWNER, moved_in=d) for u, p, d in pending]
    # couples among the non-resident buyers: every 4th of them co-owns with a spouse
    extra_spouses = [Person(name=name(), phone="") for _u in sold[SECOND_HOMES::4]]
    Person.objects.bulk_create(extra_spouses)
    residencies += [Residency(person=p, unit=u, relation=OWNER, moved_in=today - dt.timedelta(days=900))
                    for p, u in zip(extra_spouses, sold[SECOND_HOMES::4])]
    Residency.objects.bulk_create(residencies, batch_size=500)
    staff = User.objects.filter(username="staff_junyuan").first()
    records = [AreaRecord(unit=u, developer_held=u.pk in developer, recorded_by=staff, recorded_at=now,
                          **({"source": AreaSource.SURVEY, "document_number": ""} if i % SURVEY_EVERY == 5 else
                             {"source": AreaSource.REGISTER, "document_number": _certificate(rng, u)}))
               for i, u in enumerate(units)]
    AreaRecord.objects.bulk_create(records, batch_size=500)
    return {"units": len(units), "developer_held": len(developer), "owners_added": len(residencies) + len(spouses),
            "people_created": len(new_people) + len(extra_spouses), "area_records": len(records)}


def _owner_of(building: str, room: str):
    return lambda: Person.objects.filter(
        user__isnull=True, residencies__relation=OWNER, residencies__moved_out__isnull=True,
        residencies__unit__building__community__slug=SLUG, residencies__unit__building__name=building,
        residencies__unit__room=room).order_by("residencies__id").first()


def leaking_flat(community) -> Unit | None:
    """12号楼 1103 (2单元, top floor) if it has an owner who lives there; else the nearest owned top-floor flat of
    12号楼 2单元."""
    top = list(Unit.objects.filter(building__community=community, building__name=LEAKING_FLAT[0], entrance="2单元",
                                   is_let=False).order_by("-floor", "room"))
    top = [u for u in top if u.floor == max((t.floor for t in top), default=0)]
    return next((u for u in top if u.room == LEAKING_FLAT[1]), top[0] if top else None)


def _claim_owner2():
    return active_residents(slug=SLUG, relation=OWNER, building__name="7号楼", is_let=False).first()


def _claim_tenant():
    return active_residents(slug=SLUG, relation=TENANT, building__name="12号楼").first()


def _logins(community) -> list[DemoLogin]:
    flat = leaking_flat(community)
    return [
        DemoLogin("owner", roles=((SLUG, Role.RESIDENT),),
                  claim=_owner_of(flat.building.name, flat.room) if flat else None, name="" if flat else "郡园业主"),
        DemoLogin("owner2", roles=((SLUG, Role.RESIDENT),), claim=_claim_owner2),
        DemoLogin("jy_tenant", roles=((SLUG, Role.TENANT),), claim=_claim_tenant),
        DemoLogin("staff_junyuan2", "赵敏", roles=((SLUG, Role.COMMITTEE_STAFF),)),
    ]


def demo_owners_register_seed(now=None) -> dict:
    community = Community.objects.filter(slug=SLUG).first()
    if community is None:
        return {}
    now = now or timezone.now()
    password_hash = functools.cache(lambda: make_password(settings.DEMO_PASSWORD))
    out = {}
    with transaction.atomic():
        if not AreaRecord.objects.filter(unit__building__community=community).exists():
            out = _populate(community, now)
        report = SeedReport()
        for i, login in enumerate(_logins(community)):
            login_ensure(login=login, serial=STAFF2_SERIAL + i, password_hash=password_hash, report=report)
        out["users_created"] = report.users_created
        staff = User.objects.filter(username="staff_junyuan").first()
        if staff is not None and out.get("units"):
            from ..services.owners_register import roster_publish

            publication, _created = roster_publish(actor=staff, community=community,
                                                   note="业主名册公示（业主大会表决的业主人数和专有面积依据）", now=now)
            out["roster"] = publication.pk
    flat = leaking_flat(community)
    out["owner_flat"] = f"{flat.building.name} {flat.room}" if flat else ""
    return out
