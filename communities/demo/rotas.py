"""Demo data for the duty rotas, after the seed (GLOSSARY.md):

蓉庭: the 蓉治社 landlords take turns on duty in the mediation room (定期轮流值班), managed by the
    ``landlord`` login; five more sublandlords get logins (landlord2 … landlord6) so a swap can be shown.
光明村: the property service station's patrol (trained staff only, 值班巡逻), garbage collection and
    greening & cleaning rotas, managed by the ``station`` login, with five more station staff.
郡园: volunteer mothers teach reading and homework in pairs (宝妈轮流), managed by the ``talent`` login.

Run from ``demo_seed`` after the logins exist; a community that already has rotas is left alone, so a
second run creates nothing. Shifts are generated for each rota's horizon by the real generator.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import (
    Community, Membership, MemberQualification, Person, Qualification, Role, Rota, RotaMember, RotaSlot, User,
)
from ..services.rota_generation import horizon_end, rota_generate_shifts

EMAIL_DOMAIN = "demo.luodian.local"
# Phones 1390 + 0300…: the block of demo staff (seed.STAFF_PHONE_BLOCK), past the serials seed.py uses.
PHONE_SERIAL_FROM = 300
EVERY_DAY, MON_TO_SAT = (0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Slot:
    start: str
    end: str
    weekdays: tuple[int, ...] = EVERY_DAY
    people: int = 1


@dataclass(frozen=True)
class DemoRota:
    slug: str
    name: str
    kind: str
    place: str
    manager: str
    members: tuple[str, ...]
    slots: tuple[Slot, ...]
    groups: tuple[str, ...] = ()
    qualification: str = ""


# (username, name or "" to claim a sublandlord of 蓉庭, community slug, role)
EXTRA_LOGINS = (
    *((f"landlord{i}", "", "rongting", Role.SUBLANDLORD) for i in range(2, 7)),
    ("station2", "施建华", "guangming", Role.STATION_STAFF),
    ("station3", "杨桂英", "guangming", Role.STATION_STAFF),
    ("station4", "丁卫东", "guangming", Role.STATION_STAFF),
    ("station5", "钱秀兰", "guangming", Role.STATION_STAFF),
    ("station6", "姚根宝", "guangming", Role.STATION_STAFF),
    ("mum1", "王芳", "junyuan", Role.VOLUNTEER),
    ("mum2", "李静", "junyuan", Role.VOLUNTEER),
    ("mum3", "张婷", "junyuan", Role.VOLUNTEER),
    ("mum4", "刘洁", "junyuan", Role.VOLUNTEER),
    ("mum5", "陈雪", "junyuan", Role.VOLUNTEER),
    ("mum6", "杨欣", "junyuan", Role.VOLUNTEER),
)
LANDLORDS = ("landlord", "landlord2", "landlord3", "landlord4", "landlord5", "landlord6")
STATION = ("station", "station2", "station3", "station4", "station5", "station6")
TRAINING = "物业服务岗位培训"

DEMO_ROTAS = (
    DemoRota("rongting", "蓉治社接待室值班", Rota.Kind.MEDIATION_ROOM, "蓉治社接待室（租客矛盾调解室）", "landlord",
             LANDLORDS, (Slot("09:00", "11:30", MON_TO_SAT), Slot("18:30", "20:30", MON_TO_SAT))),
    DemoRota("guangming", "服务站值班巡逻", Rota.Kind.PATROL, "丁钱、施杨、七图各排及村口停车场", "station",
             STATION, (Slot("19:00", "22:00", people=2),), qualification=TRAINING),
    DemoRota("guangming", "垃圾清运", Rota.Kind.GARBAGE, "各排垃圾箱房", "station", STATION[1:],
             (Slot("06:30", "08:30"),)),
    DemoRota("guangming", "绿化保洁", Rota.Kind.GREENING, "公共绿地和主干道", "station", STATION[1:],
             (Slot("09:00", "11:00", (0, 2, 4), people=2), Slot("09:00", "12:00", (5,), people=2))),
    DemoRota("junyuan", "宝妈志愿授课（阅读与作业辅导）", Rota.Kind.TEACHING, "党群服务中心 书香工作室", "talent",
             ("mum1", "mum2", "mum3", "mum4", "mum5", "mum6"),
             (Slot("16:30", "18:00", (1, 3), people=2), Slot("09:30", "11:00", (5,), people=2)),
             groups=("第一组", "第一组", "第二组", "第二组", "第三组", "第三组")),
)


def _claim_sublandlord() -> Person | None:
    return Person.objects.filter(user__isnull=True, sublet_units__building__community__slug="rongting") \
        .order_by("id").first()


def _login_ensure(*, serial: int, username: str, name: str, slug: str, role: str,
                  password_hash: Callable[[], str], created: list[str]) -> None:
    user, made = User.objects.get_or_create(username=username, defaults={
        "email": f"{username}@{EMAIL_DOMAIN}", "password": password_hash()})
    if made:
        created.append(username)
    if not Person.objects.filter(user=user).exists():
        person = _claim_sublandlord() if not name else None
        if person is None:
            person, _ = Person.objects.get_or_create(phone=f"1390{PHONE_SERIAL_FROM + serial:07d}",
                                                     defaults={"name": name or username})
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
    Membership.objects.get_or_create(user=user, community=Community.objects.get(slug=slug), role=role)


def _qualify(community: Community, now) -> Qualification:
    training, _ = Qualification.objects.get_or_create(community=community, name=TRAINING)
    today = timezone.localdate(now)
    for i, username in enumerate(STATION):
        # One worker's training runs out next week: the generator stops putting them on patrol then.
        expires = today + dt.timedelta(days=7 if i == len(STATION) - 1 else 365)
        MemberQualification.objects.get_or_create(user=User.objects.get(username=username), qualification=training,
                                                  defaults={"expires_on": expires})
    return training


def _rota_create(spec: DemoRota, *, community: Community, now) -> Rota:
    qualification = _qualify(community, now) if spec.qualification else None
    rota = Rota.objects.create(community=community, name=spec.name, kind=spec.kind, place=spec.place,
                               manager=User.objects.get(username=spec.manager), required_qualification=qualification)
    users = User.objects.in_bulk(spec.members, field_name="username")
    RotaMember.objects.bulk_create([
        RotaMember(rota=rota, user=users[username], order=i, group=spec.groups[i] if spec.groups else "")
        for i, username in enumerate(spec.members)])
    RotaSlot.objects.bulk_create([
        RotaSlot(rota=rota, weekdays=list(slot.weekdays), starts_on=timezone.localdate(now), people=slot.people,
                 start_time=dt.time.fromisoformat(slot.start), end_time=dt.time.fromisoformat(slot.end))
        for slot in spec.slots])
    return rota


def demo_rotas_seed(*, password_hash: Callable[[], str], users_created: list[str], now=None) -> int:
    """Returns the number of shifts generated."""
    now = now or timezone.now()
    shifts = 0
    with transaction.atomic():
        for serial, (username, name, slug, role) in enumerate(EXTRA_LOGINS):
            _login_ensure(serial=serial, username=username, name=name, slug=slug, role=role,
                          password_hash=password_hash, created=users_created)
        untouched = {slug for slug in {spec.slug for spec in DEMO_ROTAS}
                     if not Rota.objects.filter(community__slug=slug).exists()}
        for spec in DEMO_ROTAS:
            if spec.slug in untouched:
                rota = _rota_create(spec, community=Community.objects.get(slug=spec.slug), now=now)
                shifts += rota_generate_shifts(rota=rota, until=horizon_end(rota=rota, now=now), now=now).created
    return shifts
