"""Demo data for 光明村's e-bike sheds: four sheds with their ports and price boards, a month of imported
sessions, the daily safety checks (one found a fault and opened a case), flying-wire reports (one place twice)
and the suggestion box (one answered, one taken to a meeting as a topic). Through the services where a rule
applies; idempotent (each part is left alone when it is already there)."""
import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from communities.models import Community, Unit, User, VillageGroup

from ..models import ChargingPort, ChargingSession, ChargingShed, FlyingWireReport, SafetyCheck, Suggestion
from ..services.flying import flying_wire_report
from ..services.sheds import SHANGHAI, fees_for, safety_check_record
from ..services.suggestions import suggestion_answer, suggestion_post, suggestion_to_topic

# name, group, place, ports, electricity, service per kWh, service per block, block hours, note
SHEDS = (
    ("丁钱一号棚", "丁钱", "丁钱村民小组 3 排东侧", 16, "0.60", "0.40", None, None, ""),
    ("丁钱二号棚", "丁钱", "丁钱村民小组 10 排北侧", 12, "0.60", "0.40", None, None, ""),
    ("施杨棚", "施杨", "施杨村民小组活动室旁", 14, "0.60", None, "1.00", 6, "服务费每 6 小时 1 元，不足 6 小时按 6 小时计。"),
    ("七图棚", "七图", "七图村民小组村口停车场", 10, "0.60", None, "1.00", 6, "服务费每 6 小时 1 元，不足 6 小时按 6 小时计。"),
)
DAYS = 30


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(buffer, "PNG")
    return SimpleUploadedFile("wire.png", buffer.getvalue(), content_type="image/png")


def _users(*names) -> list:
    found = User.objects.in_bulk(names, field_name="username")
    return [found[n] for n in names if n in found]


def demo_sheds_seed() -> None:
    community = Community.objects.filter(slug="guangming").first()
    staff = _users("station", "station2", "staff_guangming")
    if community is None or not staff:
        return
    now = timezone.now()
    sheds = _sheds(community)
    _sessions(sheds, staff[0], now)
    _checks(sheds, staff, now)
    _flying(community, now)
    _suggestions(community, now)


def _sheds(community) -> list[ChargingShed]:
    sheds = []
    for order, (name, group, place, ports, electricity, per_kwh, per_block, hours, note) in enumerate(SHEDS):
        shed = ChargingShed.objects.filter(community=community, name=name).first()
        if shed is None:
            shed = ChargingShed.objects.create(
                community=community, name=name, place=place, order=order, price_note=note,
                village_group=VillageGroup.objects.filter(community=community, name=group).first(),
                electricity_price=Decimal(electricity), service_fee_per_kwh=per_kwh and Decimal(per_kwh),
                service_fee_per_block=per_block and Decimal(per_block), block_hours=hours)
            ChargingPort.objects.bulk_create([ChargingPort(shed=shed, number=n) for n in range(1, ports + 1)])
        sheds.append(shed)
    return sheds


def _sessions(sheds, actor, now) -> None:
    """A month of vendor sessions (订单号 DEMO-…), and a few ports charging now."""
    rng = random.Random(537)
    for shed in sheds:
        if ChargingSession.objects.filter(shed=shed).exists():
            continue
        ports = list(shed.ports.all())
        rows = []
        for day in range(DAYS, 0, -1):
            date = timezone.localtime(now, SHANGHAI).date() - dt.timedelta(days=day)
            for number in range(rng.randint(3, 7)):
                port = rng.choice(ports)
                start = dt.datetime.combine(date, dt.time(rng.randint(17, 22), rng.choice((0, 15, 30, 45))),
                                            tzinfo=SHANGHAI)
                end = start + dt.timedelta(minutes=rng.randint(90, 600))
                kwh = Decimal(rng.randint(5, 25)) / 10
                electricity, service = fees_for(shed=shed, kwh=kwh, started_at=start, ended_at=end)
                rows.append(ChargingSession(shed=shed, port=port, started_at=start, ended_at=end, kwh=kwh,
                                            electricity_fee=electricity, service_fee=service, entered_by=actor,
                                            source=ChargingSession.Source.IMPORT,
                                            vendor_session_id=f"DEMO-{shed.pk}-{date:%m%d}-{number}"))
        ChargingSession.objects.bulk_create(rows, ignore_conflicts=True)
        for port in ports[4:7]:
            ChargingSession.objects.create(shed=shed, port=port, started_at=now - dt.timedelta(hours=2),
                                           entered_by=actor)
            ChargingPort.objects.filter(pk=port.pk).update(state=ChargingPort.State.CHARGING)


def _checks(sheds, staff, now) -> None:
    """A daily check of every shed for a month (七图棚 missed two days); 施杨棚's port 3 failed a week ago."""
    today = timezone.localtime(now, SHANGHAI).date()
    rows = []
    for shed in sheds:
        for day in range(DAYS, 0, -1):
            date = today - dt.timedelta(days=day)
            if (shed.name == "施杨棚" and day == 7) or (shed.name == "七图棚" and day in (12, 13)):
                continue
            rows.append(SafetyCheck(shed=shed, day=date, smoke_detector=True, sprinkler=True, camera=True,
                                    extinguisher=True, checked_by=staff[day % len(staff)],
                                    checked_at=dt.datetime.combine(date, dt.time(8, 30), tzinfo=SHANGHAI)))
    SafetyCheck.objects.bulk_create(rows, ignore_conflicts=True)
    shiyang = next(s for s in sheds if s.name == "施杨棚")
    port = shiyang.ports.filter(number=3).first()
    safety_check_record(actor=staff[0], shed_id=shiyang.pk, smoke_detector=True, sprinkler=True, camera=True,
                        extinguisher=True, fault_port_id=port.pk, note="3 号插座外壳烧焦，已停用。",
                        now=dt.datetime.combine(today - dt.timedelta(days=7), dt.time(8, 40), tzinfo=SHANGHAI))


def _flying(community, now) -> None:
    if FlyingWireReport.objects.filter(community=community).exists():
        return
    patrol = _users("station2", "station")[:1]
    villager = _users("villager")
    reporters = (patrol + villager) or patrol
    if not reporters:
        return
    dingqian = VillageGroup.objects.filter(community=community, name="丁钱").first()
    qitu = VillageGroup.objects.filter(community=community, name="七图").first()
    house = Unit.objects.filter(building__community=community, building__village_group=qitu).order_by("pk").first()
    for days, reporter, group, unit, text in (
            (40, reporters[0], dingqian, None, "3排东头二楼窗口"),
            (12, reporters[-1], dingqian, None, "3排 东头二楼窗口"),
            (5, reporters[0], qitu, house, "" if house else "5排楼道口")):
        flying_wire_report(actor=reporter, community=community, photo=_photo(), village_group=group, unit=unit,
                           place_text=text, note="电线从窗口拉到楼下电动车。", now=now - dt.timedelta(days=days))


def _suggestions(community, now) -> None:
    if Suggestion.objects.filter(community=community).exists():
        return
    villager = _users("villager")
    heads = _users("station", "staff_guangming")
    if not villager or not heads:
        return
    answered, _ = suggestion_post(actor=villager[0], community=community, now=now - dt.timedelta(days=9),
                                  text="施杨棚晚上灯太暗，停车充电看不清插座，能不能加一盏灯？")
    suggestion_answer(actor=heads[0], suggestion_id=answered.pk, now=now - dt.timedelta(days=8),
                      answer="已请电工在施杨棚加装了一盏 LED 灯，谢谢提醒。")
    topic, _ = suggestion_post(actor=villager[0], community=community, anonymous=True, now=now - dt.timedelta(days=4),
                               text="七图棚端口太少，晚上常常排队，建议村里讨论再加一个充电棚。")
    suggestion_to_topic(actor=heads[-1], suggestion_id=topic.pk, now=now - dt.timedelta(days=3))
    suggestion_post(actor=villager[0], community=community, now=now - dt.timedelta(days=1),
                    text="希望充电棚的收费公示牌字再大一点，老年人看得清。")
