"""Demo data for the gate and parking in 光明村: spaces per village group (丁钱, 施杨, 七图), villagers' plates
(new-energy ones too), exempt service vehicles, the fee standard v1 (the RULES.md village example: first hour
free, then ¥3 an hour, ¥30 a day at most) adopted by a published villagers' meeting, a month of gate entries
(visitors, outside cars with their fees, paid in cash or WeChat) and the cameras. Idempotent: each part is found
by its natural key and left alone when there."""
import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from communities.models import Community, Election, Motion, Unit, User, VillageGroup

from ..models import Camera, FeeStandard, GateEntry, ParkingSpace, Vehicle, VehicleClass
from ..services.gate import charge_pay, gate_enter, gate_exit
from ..services.parking import camera_save, exempt_vehicle_register, space_add, standard_create, vehicle_register

GROUPS = ("丁钱", "施杨", "七图")
MEETING = "2026年光明村村民会议：临时停车收费标准"
MOTION = "光明村临时停车收费标准（第1版）"
VILLAGER_PLATES = ("沪A5K372", "沪BD12345", "沪C20871", "沪AFK2188", "沪D66E08", "苏E7Q551")
EXEMPT = (("沪A0110警", VehicleClass.POLICE, "罗店派出所"), ("沪A11911", VehicleClass.FIRE, "罗店消防站"),
          ("沪A12010", VehicleClass.AMBULANCE, "宝山区急救中心"), ("沪B35H66", VehicleClass.SANITATION, "罗店环卫所"))
CAMERAS = (("村口北门岗", "宝山安防（维保合同）"), ("丁钱组停车场", "宝山安防（维保合同）"),
           ("施杨组河边路口", "村委会 钱伟"), ("七图组垃圾分类点", "村委会 钱伟"))
OUTSIDE = ("沪A7T261", "沪BZ9030", "沪C3P882", "浙F5E716", "沪AD66101", "沪E1N557", "苏A8K219", "沪G20K76")


def adopted_motion(*, community, actor, title: str, motion_title: str, at, passed: bool = True) -> Motion:
    """A villagers' meeting (村民会议, rule villagers) already published with ``motion_title`` passed (or not):
    the rows ``motion_adopted`` reads, as the core's election services leave them."""
    election, _ = Election.objects.get_or_create(
        community=community, title=title,
        defaults={"rule": Election.Rule.VILLAGERS, "status": Election.Status.PUBLISHED, "created_by": actor,
                  "electorate_role": "resident", "opens_at": at - dt.timedelta(hours=3),
                  "closes_at": at - dt.timedelta(hours=1), "published_at": at})
    motion, _ = Motion.objects.get_or_create(election=election, title=motion_title)
    if not election.tally.get("motions"):
        election.tally = {"motions": [{"id": motion.pk, "title": motion_title, "passed": passed,
                                       "for": 412 if passed else 120, "against": 31, "abstain": 9}]}
        election.save(update_fields=["tally"])
    return motion


def _spaces(community, actor) -> None:
    for g, name in enumerate(GROUPS):
        group, _ = VillageGroup.objects.get_or_create(community=community, name=name)
        for n in range(1, 13):
            kind = (ParkingSpace.Kind.VISITOR if n > 10 else ParkingSpace.Kind.PUBLIC if n > 7
                    else ParkingSpace.Kind.VILLAGER)
            space_add(actor=actor, community=community, village_group=group, number=f"{n}号", kind=kind)


def _standard(community, actor, now) -> FeeStandard:
    existing = FeeStandard.objects.filter(community=community, version=1).first()
    if existing:
        return existing
    at = now - dt.timedelta(days=45)
    motion = adopted_motion(community=community, actor=actor, title=MEETING, motion_title=MOTION, at=at)
    return standard_create(
        actor=actor, community=community, motion=motion, effective_from=at, title="临时停车收费标准",
        free_minutes=60, daily_cap=Decimal("30"), grace_minutes=15, plates_per_household=2,
        bands=[{"start": dt.time(0), "end": dt.time(0), "unit_minutes": 60, "unit_price": Decimal("3"), "cap": None}])


def _vehicles(community, actor) -> None:
    units = list(Unit.objects.filter(building__community=community).order_by("pk")[:len(VILLAGER_PLATES)])
    for unit, plate in zip(units, VILLAGER_PLATES):
        if not Vehicle.objects.filter(community=community, plate=plate).exists():
            vehicle_register(actor=actor, unit=unit, plate=plate)
    for plate, vehicle_class, note in EXEMPT:
        exempt_vehicle_register(actor=actor, community=community, plate=plate, vehicle_class=vehicle_class, note=note)


def _cameras(community, actor, today) -> None:
    for i, (place, maintainer) in enumerate(CAMERAS):
        if not Camera.objects.filter(community=community, place=place).exists():
            camera_save(actor=actor, community=community, place=place, maintainer=maintainer,
                        last_checked_on=today - dt.timedelta(days=20 + 10 * i),
                        next_check_due=today + dt.timedelta(days=70 - 10 * i) if i < 3 else today - dt.timedelta(days=3))


def _month_of_gate(community, guards, now) -> None:
    if GateEntry.objects.filter(community=community).exists():
        return
    rng = random.Random(7)
    for day in range(30, 0, -1):
        base = timezone.localtime(now - dt.timedelta(days=day)).replace(hour=8, minute=0, second=0, microsecond=0)
        for k in range(rng.randint(2, 4)):
            guard = guards[(day + k) % len(guards)]
            enter = base + dt.timedelta(minutes=rng.randint(0, 600))
            if k == 0:
                entry, _ = gate_enter(actor=guard, community=community, kind=GateEntry.Kind.VISITOR,
                                      visiting=f"{GROUPS[day % 3]}组{rng.randint(1, 30)}号", reason="探亲", now=enter)
                gate_exit(actor=guard, entry=entry, now=enter + dt.timedelta(minutes=rng.randint(20, 180)))
                continue
            plate = OUTSIDE[(day * 3 + k) % len(OUTSIDE)]
            entry, _ = gate_enter(actor=guard, community=community, kind=GateEntry.Kind.VEHICLE, plate=plate,
                                  vehicle_class=VehicleClass.CAR, visiting=f"{GROUPS[k % 3]}组",
                                  reason=rng.choice(["送货", "探亲", "装修", "看病人"]), now=enter)
            charge = gate_exit(actor=guard, entry=entry, now=enter + dt.timedelta(minutes=rng.randint(30, 400)))
            if charge is not None:
                charge_pay(actor=guard, charge=charge, method=rng.choice(["cash", "wechat"]),
                           now=charge.charged_until + dt.timedelta(minutes=1))
    # Two cars in now, so the gate page has something to let out.
    for plate in OUTSIDE[:2]:
        gate_enter(actor=guards[0], community=community, kind=GateEntry.Kind.VEHICLE, plate=plate,
                   vehicle_class=VehicleClass.CAR, visiting="丁钱组", reason="探亲",
                   now=now - dt.timedelta(hours=2))


def demo_parking_seed() -> None:
    community = Community.objects.filter(slug="guangming").first()
    if community is None:
        return
    users = User.objects.in_bulk(["station", "station2", "station3", "staff_guangming"], field_name="username")
    actor = users.get("staff_guangming") or users.get("station")
    guards = [users[n] for n in ("station", "station2", "station3") if n in users] or [actor]
    if actor is None:
        return
    now = timezone.now()
    seed_parking(community=community, actor=actor, guards=guards, now=now)


def seed_parking(*, community, actor, guards, now) -> None:
    _spaces(community, actor)
    _standard(community, actor, now)
    _vehicles(community, actor)
    _cameras(community, actor, timezone.localdate(now))
    _month_of_gate(community, guards, now)
