"""Demo data: four communities with their buildings, households and people, and one login per persona.

For development only (``seed_demo`` refuses to run with DEBUG off): every demo login has the
password ``settings.DEMO_PASSWORD``. The figures of 蓉庭 and 郡园 are the seed's
(shared/seed/000_35759fd73393a432.txt); the others are chosen to look like the seed's places.

蓉庭居民区 (rongting, residential; relocation housing for local farmers)
    36 buildings "1号楼"…"36号楼" of 6 floors, 10 flats a floor, filled in order (36号楼 has 52):
    2,152 units of 55–130 m². 1,387 are let, spread over the estate, each through one of
    80 sublandlords (17–18 units each). 2,838 tenants fill the let units up to their capacity,
    except 12 partitioned flats (every 115th let unit) that hold two more than their capacity.
    Of the 765 units not let, 560 are lived in by their owner (120 of them with one family
    member) and 205 stand empty, so tenants are 80.7% of the 3,518 residents ("80%以上").
郡园居民区 (junyuan, residential; a mature estate by 美兰湖)
    24 buildings of 11 floors, 4 flats a floor (24号楼 has 36): 1,048 units of 75–160 m².
    1,008 are lived in by their owner with 1,712 family members; 40 are let by their owners
    (no sublandlord) to 2 tenants each: 2,800 residents.
光明村 (guangming, village; row houses since the recent renovation)
    Village groups 丁钱 (14 rows), 施杨 (12) and 七图 (10); one Building per row ("丁钱3排") of six
    houses: 216 houses of 120–200 m². 120 are lived in by villagers (an owner and 1–2 family
    members: 290 villagers, mostly with their group's surnames); 96 are let to 4 tenants from
    outside each (384): as the seed says, fewer locals than outsiders.
美兰花园 (meilan, residential; small, for the ``outsider`` login)
    2 buildings of 5 floors, 2 flats a floor: 20 units, each with its owner; 25 family members.

Everything is deterministic: names, areas and dates come from ``random.Random`` seeded per
community (only ``random()``, whose sequence Python keeps stable across versions), and phones
are 139 + one digit per community (0 for demo staff) + a 7-digit counter, so they never collide.
Running again is harmless: a community that already has units is left alone, and users,
people, memberships and registrations are looked up before anything is created.
"""
import datetime as dt
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from ..models import (
    Building, Community, Membership, Person, RegistrationRequest, Residency, Role, Unit, User, VillageGroup,
)
from .. import extensions
from ..selectors.places import with_occupancy
from ..services.case_summaries import case_summaries_refresh
from .cases import demo_cases_seed
from .hours import demo_hours_seed
from .meetings import demo_meetings_seed
from .rooms import demo_rooms_seed
from .rotas import demo_rotas_seed

BATCH_SIZE = 1000
CENT = Decimal("0.01")
OWNER, FAMILY, TENANT = Residency.Relation.OWNER, Residency.Relation.FAMILY, Residency.Relation.TENANT
EMAIL_DOMAIN = "demo.luodian.local"
STAFF_PHONE_BLOCK = 0

# Surnames common among Baoshan's old local families: 蓉庭's owners and sublandlords are relocated
# farmers, 光明村's villagers have lived there for generations.
LOCAL_SURNAMES = "陈朱王张顾陆沈徐钱施杨丁姚瞿黄周吴唐金蔡"
# The commonest surnames nationwide, for tenants who come from all over China.
NATIONAL_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任姚卢"
# Real given names, one or two characters, across generations (建国 and 桂英 for elders, 子涵 for children).
GIVEN_NAMES = (
    "伟 芳 敏 静 丽 强 磊 军 勇 艳 杰 娟 涛 超 霞 平 刚 斌 鹏 浩 婷 雪 琳 欣 宇 洁 建国 建华 国强 国平 志强 志明 "
    "秀英 桂英 桂兰 玉兰 秀兰 凤英 丽华 丽娟 海燕 红梅 雪梅 春燕 晓燕 晓明 晓东 俊杰 文华 文军 家豪 建军 卫东 "
    "永刚 金宝 根宝 阿毛 小妹 美玲 慧敏 佳怡 子涵 梓轩 浩然 雨桐 欣怡 一鸣 思远 诗涵 宇轩 梦洁 晨曦 嘉怡 志刚 明华"
).split()

DESCRIPTIONS = {
    "rongting": (
        "蓉庭居民区是本地农民动迁房小区,总户数2152户,其中出租房1387户,有“二房东”近80人;租客共2838人,"
        "占小区总人口的80%以上。小区人员流动性极大,房屋隔断、违法搭建、噪音扰民等问题突出。"
        "居民区党支部组建蓉治社“二房东”自治团队,搭建“一室二群三定”团队基础运行机制。"
    ),
    "junyuan": (
        "郡园居民区是地处美兰湖的成熟住宅小区,共有居民1048户,常住人口约2800人。"
        "居民区党总支充分挖掘小区达人,设立了香荟、墨香、书香、针灸、空手道、直播、摄影等多个达人工作室,"
        "由达人担任主理人自主管理。"
    ),
    "guangming": (
        "光明村在上世纪80年代完成了农村集中居住改造。近年来,丁钱、施杨、七图等村民小组已完成新一轮改造,"
        "变成了乡村联排别墅小区。村里不引入物业公司,成立由本村村民参与的“农民集中居住小区物业管理服务站”。"
    ),
    "meilan": (
        "地处美兰湖板块的住宅小区(演示用)。罗店镇集合了生态湖区、产业园区、大型居住社区、古镇、乡村等多重元素,"
        "不同形态的板块有不同的特色和矛盾。"
    ),
}


@dataclass
class CommunitySeed:
    name: str
    buildings: int = 0
    units: int = 0
    let: int = 0
    people: int = 0
    residencies: int = 0
    skipped: bool = False


@dataclass
class SeedReport:
    communities: list[CommunitySeed] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    memberships_created: int = 0
    registrations_created: int = 0
    cases: int = 0
    shifts: int = 0
    volunteer_hours: int = 0
    rooms: int = 0
    # What each app's demo seeder created, by seeder name.
    extensions: dict = field(default_factory=dict)


def demo_phone(*, block: int, serial: int) -> str:
    """A valid mainland mobile number, unique per (block, serial): 139 + block + 7 digits."""
    return f"139{block}{serial:07d}"


def spread(total: int, slots: int) -> list[int]:
    """Share ``total`` over ``slots`` as evenly as integers allow (Bresenham), in slot order."""
    return [(i + 1) * total // slots - i * total // slots for i in range(slots)]


def fill(capacities: list[int], total: int) -> list[int]:
    """Share ``total`` people over units, evenly, never above a unit's capacity."""
    counts = [0] * len(capacities)
    while total:
        open_units = [i for i, capacity in enumerate(capacities) if counts[i] < capacity]
        if not open_units:
            raise ValueError("demo: more people than the units can hold")
        for i, extra in zip(open_units, spread(min(total, len(open_units)), len(open_units))):
            counts[i] += extra
        total -= min(total, len(open_units))
    return counts


def capacity_for(floor_area: Decimal) -> int:
    """One resident per 20 m², at least two: a demo rule, not a regulation."""
    return max(2, int(floor_area // 20))


class People:
    """Deterministic names, phones, areas and dates for one community, and the rows to write."""

    def __init__(self, *, seed: int, phone_block: int):
        self.rng = random.Random(seed)
        self.phone_block = phone_block
        self.serial = count()
        self.persons: list[Person] = []
        self.residencies: list[Residency] = []

    def pick(self, choices):
        return choices[int(self.rng.random() * len(choices))]

    def name(self, surnames: str = NATIONAL_SURNAMES) -> str:
        return self.pick(surnames) + self.pick(GIVEN_NAMES)

    def relative_name(self, of: Person) -> str:
        # Children share the owner's surname; spouses mostly do not.
        return self.name(of.name[0] if self.rng.random() < 0.5 else NATIONAL_SURNAMES)

    def day(self, first_year: int, last_year: int) -> dt.date:
        start = dt.date(first_year, 1, 1)
        days = (dt.date(last_year, 12, 31) - start).days
        return start + dt.timedelta(days=int(self.rng.random() * days))

    def area(self, low: int, high: int) -> Decimal:
        return (Decimal(low) + Decimal(self.rng.random() * (high - low))).quantize(CENT)

    def person(self, name: str) -> Person:
        person = Person(name=name, phone=demo_phone(block=self.phone_block, serial=next(self.serial)))
        self.persons.append(person)
        return person

    def live(self, *, unit: Unit, relation: str, name: str, years: tuple[int, int]) -> Person:
        person = self.person(name)
        self.residencies.append(Residency(person=person, unit=unit, relation=relation, moved_in=self.day(*years)))
        return person


# --- places ---------------------------------------------------------------------


def flats(*, total: int, floors: int, per_floor: int):
    """(building number, floor, room) of ``total`` flats, filling buildings in order: room 304 = floor 3."""
    per_building = floors * per_floor
    for i in range(total):
        number, slot = divmod(i, per_building)
        floor, flat = divmod(slot, per_floor)
        yield number + 1, floor + 1, f"{floor + 1}{flat + 1:02d}"


def estate_plan(*, community: Community, people: People, total: int, floors: int, per_floor: int,
                area: tuple[int, int]) -> tuple[list[Building], list[Unit]]:
    buildings: dict[int, Building] = {}
    units = []
    for number, floor, room in flats(total=total, floors=floors, per_floor=per_floor):
        if number not in buildings:
            buildings[number] = Building(community=community, name=f"{number}号楼")
        floor_area = people.area(*area)
        units.append(Unit(building=buildings[number], floor=floor, room=room, floor_area=floor_area,
                          capacity=capacity_for(floor_area)))
    return list(buildings.values()), units


def write(*, people: People, buildings: list[Building], units: list[Unit]) -> None:
    # Parents first: bulk_create fills in primary keys (PostgreSQL, SQLite ≥ 3.35), and the
    # children's foreign keys are read from their saved parents at their own bulk_create.
    Person.objects.bulk_create(people.persons, batch_size=BATCH_SIZE)
    Building.objects.bulk_create(buildings, batch_size=BATCH_SIZE)
    Unit.objects.bulk_create(units, batch_size=BATCH_SIZE)
    Residency.objects.bulk_create(people.residencies, batch_size=BATCH_SIZE)


def summary(*, community: Community, people: People, buildings: list[Building], units: list[Unit]) -> CommunitySeed:
    return CommunitySeed(name=community.name, buildings=len(buildings), units=len(units),
                         let=sum(unit.is_let for unit in units), people=len(people.persons),
                         residencies=len(people.residencies))


# --- households -------------------------------------------------------------------


def split_let(*, units: list[Unit], let: int) -> tuple[list[Unit], list[Unit]]:
    """Mark ``let`` units, spread over the estate, as let; return (let, not let)."""
    for unit, flag in zip(units, spread(let, len(units))):
        unit.is_let = bool(flag)
    return [u for u in units if u.is_let], [u for u in units if not u.is_let]


def house_owners(*, people: People, units: list[Unit], occupied: int, family: int,
                 surnames: Callable[[Unit], str], years: tuple[int, int]) -> None:
    """``occupied`` of ``units`` get their owner, and ``family`` members are spread over those."""
    homes = [unit for unit, flag in zip(units, spread(occupied, len(units))) if flag]
    for unit, relatives in zip(homes, spread(family, len(homes))):
        owner = people.live(unit=unit, relation=OWNER, name=people.name(surnames(unit)), years=years)
        for _ in range(relatives):
            people.live(unit=unit, relation=FAMILY, name=people.relative_name(owner), years=years)


def house_tenants(*, people: People, units: list[Unit], total: int, years: tuple[int, int],
                  crowded: int = 0) -> None:
    """``total`` tenants in ``units``; ``crowded`` of them, evenly spaced, are partitioned flats."""
    step = len(units) // crowded if crowded else 0
    crowded_at = set(range(0, step * crowded, step)) if crowded else set()
    # A partitioned flat holds two more people than it is approved for: the flag the staff look for.
    counts = {i: units[i].capacity + 2 for i in crowded_at}
    others = [i for i in range(len(units)) if i not in crowded_at]
    counts.update(zip(others, fill([units[i].capacity for i in others], total - sum(counts.values()))))
    for i, unit in enumerate(units):
        for _ in range(counts[i]):
            people.live(unit=unit, relation=TENANT, name=people.name(), years=years)


def assign_sublandlords(*, people: People, units: list[Unit], sublandlords: int) -> None:
    landlords = [people.person(people.name(LOCAL_SURNAMES)) for _ in range(sublandlords)]
    for i, unit in enumerate(units):
        unit.sublandlord = landlords[i % sublandlords]


# --- the four communities ---------------------------------------------------------------


def rongting_populate(*, community: Community) -> CommunitySeed:
    people = People(seed=2152, phone_block=1)
    buildings, units = estate_plan(community=community, people=people, total=2152, floors=6, per_floor=10,
                                   area=(55, 130))
    let_units, owned = split_let(units=units, let=1387)
    assign_sublandlords(people=people, units=let_units, sublandlords=80)
    house_tenants(people=people, units=let_units, total=2838, crowded=12, years=(2022, 2025))
    house_owners(people=people, units=owned, occupied=560, family=120, surnames=lambda unit: LOCAL_SURNAMES,
                 years=(2012, 2016))
    write(people=people, buildings=buildings, units=units)
    return summary(community=community, people=people, buildings=buildings, units=units)


def junyuan_populate(*, community: Community) -> CommunitySeed:
    people = People(seed=1048, phone_block=2)
    buildings, units = estate_plan(community=community, people=people, total=1048, floors=11, per_floor=4,
                                   area=(75, 160))
    let_units, owned = split_let(units=units, let=40)
    house_tenants(people=people, units=let_units, total=80, years=(2023, 2025))
    house_owners(people=people, units=owned, occupied=len(owned), family=1712,
                 surnames=lambda unit: NATIONAL_SURNAMES, years=(2008, 2020))
    write(people=people, buildings=buildings, units=units)
    return summary(community=community, people=people, buildings=buildings, units=units)


# (group, rows of six houses, surname pool: the group names are the old families' surnames).
VILLAGE_GROUPS = (("丁钱", 14, "丁丁丁钱钱钱顾陆"), ("施杨", 12, "施施施杨杨杨沈朱"), ("七图", 10, LOCAL_SURNAMES))


def village_plan(*, community: Community, people: People) -> tuple[list[Building], list[Unit]]:
    buildings, units = [], []
    for group_name, rows, _surnames in VILLAGE_GROUPS:
        group, _ = VillageGroup.objects.get_or_create(community=community, name=group_name)
        for row in range(1, rows + 1):
            building = Building(community=community, village_group=group, name=f"{group_name}{row}排",
                                address=f"光明村{group_name}村民小组")
            buildings.append(building)
            for house in range(1, 7):
                floor_area = people.area(120, 200)
                units.append(Unit(building=building, floor=1, room=f"{house}号", floor_area=floor_area,
                                  capacity=capacity_for(floor_area)))
    return buildings, units


def guangming_populate(*, community: Community) -> CommunitySeed:
    people = People(seed=1980, phone_block=3)
    buildings, units = village_plan(community=community, people=people)
    let_units, owned = split_let(units=units, let=96)
    surnames = {name: pool for name, _rows, pool in VILLAGE_GROUPS}
    house_owners(people=people, units=owned, occupied=len(owned), family=170,
                 surnames=lambda unit: surnames[unit.building.village_group.name], years=(2019, 2021))
    house_tenants(people=people, units=let_units, total=384, years=(2022, 2025))
    write(people=people, buildings=buildings, units=units)
    return summary(community=community, people=people, buildings=buildings, units=units)


def meilan_populate(*, community: Community) -> CommunitySeed:
    people = People(seed=20, phone_block=4)
    buildings, units = estate_plan(community=community, people=people, total=20, floors=5, per_floor=2,
                                   area=(70, 120))
    house_owners(people=people, units=units, occupied=20, family=25, surnames=lambda unit: NATIONAL_SURNAMES,
                 years=(2010, 2020))
    write(people=people, buildings=buildings, units=units)
    return summary(community=community, people=people, buildings=buildings, units=units)


@dataclass(frozen=True)
class DemoCommunity:
    slug: str
    name: str
    kind: str
    populate: Callable[..., CommunitySeed]


DEMO_COMMUNITIES = (
    DemoCommunity("rongting", "蓉庭居民区", Community.Kind.RESIDENTIAL, rongting_populate),
    DemoCommunity("junyuan", "郡园居民区", Community.Kind.RESIDENTIAL, junyuan_populate),
    DemoCommunity("guangming", "光明村", Community.Kind.VILLAGE, guangming_populate),
    DemoCommunity("meilan", "美兰花园", Community.Kind.RESIDENTIAL, meilan_populate),
)


# Made-up contacts for the demo (the 021-5555 range is not in use), so the community page and the QR landing
# page have something to show.
DEMO_CONTACTS = {
    "rongting": ("021-5555 0101", "周一至周五 8:30–17:00，周六上午值班", "罗店镇蓉庭居民区居委会(3号楼底楼)"),
    "junyuan": ("021-5555 0202", "周一至周五 8:30–17:00", "罗店镇郡园居民区居委会(会所二楼)"),
    "guangming": ("021-5555 0303", "每天 8:00–17:00，物业服务站 24 小时热线", "罗店镇光明村村委会"),
    "meilan": ("021-5555 0404", "周一至周五 8:30–17:00", "罗店镇美兰花园居委会"),
}


def community_seed(*, spec: DemoCommunity) -> CommunitySeed:
    """Create the community and, unless it already has units, its buildings and people."""
    phone, hours, address = DEMO_CONTACTS[spec.slug]
    community, _ = Community.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "kind": spec.kind, "description": DESCRIPTIONS[spec.slug],
                                  "office_phone": phone, "office_hours": hours, "office_address": address},
    )
    # Per community, so that a second run (or a community added by hand) is left as it is.
    if Unit.objects.filter(building__community=community).exists():
        return CommunitySeed(name=community.name, skipped=True)
    return spec.populate(community=community)


# --- demo logins --------------------------------------------------------------------


def active_residents(*, slug: str, relation: str, **unit_lookups):
    """People without a login living in ``slug`` as ``relation``, in units matching ``unit_lookups``."""
    # One filter() call, so that every condition applies to the same residency.
    return Person.objects.filter(
        user__isnull=True, residencies__relation=relation, residencies__moved_out__isnull=True,
        residencies__unit__building__community__slug=slug,
        **{f"residencies__unit__{lookup}": value for lookup, value in unit_lookups.items()},
    ).order_by("id")


def claim_owner(slug: str) -> Callable[[], Person | None]:
    return lambda: active_residents(slug=slug, relation=OWNER, is_let=False).first()


def claim_sublandlord() -> Person | None:
    return Person.objects.filter(user__isnull=True, sublet_units__building__community__slug="rongting") \
        .order_by("id").first()


def claim_tenant_of_landlord() -> Person | None:
    """A tenant of the ``landlord`` login, in one of their flats that is not over capacity."""
    flats_ok = with_occupancy(Unit.objects.filter(sublandlord__user__username="landlord")) \
        .filter(active_residents__lte=F("capacity")).values_list("pk", flat=True)
    return active_residents(slug="rongting", relation=TENANT, pk__in=list(flats_ok)).first()


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str = ""  # for a login that gets a new person record rather than claiming a seeded one
    roles: tuple[tuple[str, str], ...] = ()  # (community slug, role)
    town_role: str = ""
    claim: Callable[[], Person | None] | None = None


# The landlord comes before the tenant, who is claimed among the landlord's tenants.
DEMO_LOGINS = (
    DemoLogin("resident", roles=(("rongting", Role.RESIDENT),), claim=claim_owner("rongting")),
    DemoLogin("landlord", roles=(("rongting", Role.SUBLANDLORD),), claim=claim_sublandlord),
    DemoLogin("tenant", roles=(("rongting", Role.TENANT),), claim=claim_tenant_of_landlord),
    DemoLogin("staff", "张丽华", roles=(("rongting", Role.COMMITTEE_STAFF),)),
    DemoLogin("secretary", "陈建国", roles=(("rongting", Role.PARTY_SECRETARY),)),
    DemoLogin("station", "周国强", roles=(("guangming", Role.STATION_STAFF),)),
    DemoLogin("talent", roles=(("junyuan", Role.TALENT), ("junyuan", Role.RESIDENT)), claim=claim_owner("junyuan")),
    DemoLogin("town", "徐静", town_role=User.TownRole.TOWN_STAFF),
    DemoLogin("outsider", roles=(("meilan", Role.RESIDENT),), claim=claim_owner("meilan")),
    DemoLogin("staff_junyuan", "李倩", roles=(("junyuan", Role.COMMITTEE_STAFF),)),
    DemoLogin("secretary_junyuan", "王立新", roles=(("junyuan", Role.PARTY_SECRETARY),)),
    DemoLogin("staff_guangming", "钱伟", roles=(("guangming", Role.COMMITTEE_STAFF),)),
    DemoLogin("secretary_guangming", "丁志明", roles=(("guangming", Role.PARTY_SECRETARY),)),
    DemoLogin("villager", roles=(("guangming", Role.RESIDENT),), claim=claim_owner("guangming")),
)


def user_ensure(*, username: str, town_role: str = "", password_hash: Callable[[], str]) -> tuple[User, bool]:
    # An existing user is left as it is, password included.
    return User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@{EMAIL_DOMAIN}", "town_role": town_role, "password": password_hash},
    )


def person_link(*, user: User, login: DemoLogin, serial: int) -> None:
    if Person.objects.filter(user=user).exists():
        return
    person = login.claim() if login.claim else None
    if person is None:
        person, _ = Person.objects.get_or_create(phone=demo_phone(block=STAFF_PHONE_BLOCK, serial=serial),
                                                 defaults={"name": login.name or login.username})
    if person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])


def login_ensure(*, login: DemoLogin, serial: int, password_hash: Callable[[], str], report: SeedReport) -> None:
    user, created = user_ensure(username=login.username, town_role=login.town_role, password_hash=password_hash)
    if created:
        report.users_created.append(login.username)
    person_link(user=user, login=login, serial=serial)
    for slug, role in login.roles:
        community = Community.objects.get(slug=slug)
        _, created = Membership.objects.get_or_create(user=user, community=community, role=role)
        report.memberships_created += created


# --- registrations waiting for 蓉庭's committee staff -------------------------------------


def let_flat_with_room() -> Unit | None:
    return with_occupancy(Unit.objects.filter(building__community__slug="rongting", is_let=True)) \
        .filter(active_residents__lt=F("capacity")).order_by("id").first()


def empty_flat() -> Unit | None:
    return with_occupancy(Unit.objects.filter(building__community__slug="rongting", is_let=False)) \
        .filter(active_residents=0).order_by("id").first()


# (username, name, relation, unit): a tenant who just moved into a let flat, and an owner
# moving back into an empty one. They have no person record yet: approval creates it.
APPLICANTS = (
    ("applicant1", "赵磊", RegistrationRequest.Relation.TENANT, let_flat_with_room),
    ("applicant2", "孙晓燕", RegistrationRequest.Relation.OWNER, empty_flat),
)


def applicant_ensure(*, index: int, password_hash: Callable[[], str], report: SeedReport) -> None:
    username, name, relation, find_unit = APPLICANTS[index]
    user, created = user_ensure(username=username, password_hash=password_hash)
    if created:
        report.users_created.append(username)
    unit = find_unit()
    if unit is None or RegistrationRequest.objects.filter(user=user).exists():
        return
    RegistrationRequest.objects.create(
        user=user, unit=unit, name=name, relation=relation,
        phone=demo_phone(block=STAFF_PHONE_BLOCK, serial=100 + index),
        moved_in=timezone.localdate() - dt.timedelta(days=3 + index),
    )
    report.registrations_created += 1


# --- entry point ---------------------------------------------------------------------


def demo_seed(*, password: str) -> SeedReport:
    """Create what is missing of the demo data, all in one transaction; return what was created."""
    # One hash for every demo login, computed only if a login is created: PBKDF2 is slow on
    # purpose, and the demo logins share their password anyway.
    password_hash = functools.cache(lambda: make_password(password))
    report = SeedReport()
    with transaction.atomic():
        for spec in DEMO_COMMUNITIES:
            report.communities.append(community_seed(spec=spec))
        for serial, login in enumerate(DEMO_LOGINS):
            login_ensure(login=login, serial=serial, password_hash=password_hash, report=report)
        for index in range(len(APPLICANTS)):
            applicant_ensure(index=index, password_hash=password_hash, report=report)
        report.cases = demo_cases_seed()
        demo_meetings_seed()
        report.rooms = demo_rooms_seed()
        report.shifts = demo_rotas_seed(password_hash=password_hash, users_created=report.users_created)
        report.volunteer_hours = demo_hours_seed()
    # The community apps' demo data (蓉治社, …) builds on the core's: see communities.extensions.
    for name, seeder in extensions.DEMO_SEEDERS:
        with transaction.atomic():
            report.extensions[name] = import_string(seeder)() or {}  # what it created, {} when nothing
    # The dashboard reads the daily summaries; beat refreshes them every minute, but the first look
    # right after seeding should not be empty.
    case_summaries_refresh()
    return report
