"""A week of 光明村's 24-hour hotline: about twenty calls through the real services (报修漏水, 停车, 飞线充电举报,
噪音 …), answered on the spot, called back, handed to the committee as cases; a 02:00 call that woke the night
guard (a 保安 rota with a 22:00–06:00 shift that night) and one call-back still pending. Times are relative to the
moment the seed runs. Idempotent: each call has a fixed form token, so a second run logs nothing new."""
import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from communities.models import (
    CaseCategory, Community, Rota, RotaMember, Shift, ShiftAssignment, User, VillageGroup,
)

from ..models import HotlineCall
from ..services.hotline import hotline_call_log, hotline_callback_done, hotline_case_file

C, O = HotlineCall.Category, HotlineCall.Outcome
NIGHT_ROTA = "服务站夜间保安值班"
GUARD = "station4"  # 丁卫东

# (days ago, hh:mm, taker, caller, phone, group, house, category, about, outcome, answer,
#  call-back (hours after, assignee, done hours after or None), case category code)
CALLS = [
    (6, "08:12", "station", "丁阿婆", "13916620001", "丁钱", "12号", C.REPAIR, "厨房顶上漏水，下雨天滴到灶台上。",
     O.CALLBACK, "", (4, "station2", 3), ""),
    (6, "09:40", "station2", "施国平", "13916620002", "施杨", "5号", C.ENQUIRY, "问村口停车场外来车辆怎么收费。",
     O.ANSWERED, "村民在自家场地停车免费；外来车辆首小时免费，之后每小时3元，每天最多30元。", None, ""),
    (6, "20:30", "station3", "杨建军", "13916620003", "七图", "", C.COMPLAINT, "七图3排有人从窗口拉电线给电瓶车飞线充电。",
     O.CASE, "", None, "flying_wire"),
    (5, "07:50", "station", "钱阿姨", "13916620004", "丁钱", "3号", C.ENQUIRY, "垃圾清运车今天几点来？",
     O.ANSWERED, "每天6:30到8:30清运，今天已经到丁钱了。", None, ""),
    (5, "10:15", "station5", "丁建华", "13916620005", "丁钱", "20号", C.REPAIR, "门口路灯不亮了。",
     O.CALLBACK, "", (24, "station6", 20), ""),
    (5, "23:10", "station4", "姚大伯", "13916620006", "施杨", "8号", C.COMPLAINT, "隔壁出租屋很晚还在打麻将，声音很大。",
     O.ANSWERED, "值班保安已上门提醒，噪音已停止。", None, ""),
    (4, "09:05", "station2", "施美华", "13916620007", "施杨", "11号", C.SUGGESTION, "建议在2号充电棚旁边加一个灭火器。",
     O.ANSWERED, "已记录，服务站本周内配齐。", None, ""),
    (4, "14:20", "station", "七图村民", "13916620008", "七图", "", C.COMPLAINT, "村道上有外来车辆长期占道停车，堵住消防通道。",
     O.CASE, "", None, "parking"),
    (4, "16:45", "station3", "杨秀英", "13916620009", "七图", "7号", C.REPAIR, "卫生间下水堵了。",
     O.CALLBACK, "", (2, "station3", 1), ""),
    (3, "02:05", "station4", "钱建国", "13916620010", "丁钱", "16号", C.EMERGENCY, "听到隔壁空房子里有人撬门的声音。",
     O.CALLBACK, "", (1, "station4", 0.5), ""),
    (3, "08:30", "station5", "丁小妹", "13916620011", "丁钱", "", C.ENQUIRY, "问村里充电棚怎么办卡。",
     O.ANSWERED, "带身份证到服务站登记，1元充6小时。", None, ""),
    (3, "11:00", "station", "施大妈", "13916620012", "施杨", "2号", C.OTHER, "想借服务站的轮椅用一个星期。",
     O.ANSWERED, "可以，下午来服务站登记领取。", None, ""),
    (2, "09:20", "station2", "杨先生", "13916620013", "七图", "15号", C.REPAIR, "楼上漏水到我家客厅，墙皮都泡了。",
     O.CASE, "", None, "leak"),
    (2, "13:10", "station6", "丁阿公", "13916620014", "丁钱", "9号", C.ENQUIRY, "问这个月村民大会什么时候开。",
     O.ANSWERED, "月底最后一个周五晚上7点，村委会大会议室。", None, ""),
    (2, "22:40", "station4", "姚女士", "13916620015", "施杨", "", C.COMPLAINT, "施杨路口有人在烧垃圾，烟很大。",
     O.ANSWERED, "值班保安已到现场熄灭，并提醒了当事人。", None, ""),
    (1, "08:05", "station", "钱师傅", "13916620016", "丁钱", "", C.REPAIR, "丁钱村口的减速带松了，车开过去哐哐响。",
     O.CALLBACK, "", (30, "station2", None), ""),
    (1, "10:30", "station3", "七图组长", "13916620017", "七图", "", C.SUGGESTION, "希望巡逻晚上多走几趟七图后排。",
     O.ANSWERED, "已转告巡逻班，晚班增加一趟七图后排。", None, ""),
    (1, "15:50", "station5", "施阿姨", "13916620018", "施杨", "6号", C.COMPLAINT, "楼道里有人把电瓶车推进屋里充电。",
     O.ANSWERED, "服务站已上门劝导，按《上海市非机动车安全管理条例》不得在室内充电，已推到充电棚。", None, ""),
    (0, "07:30", "station6", "丁大姐", "13916620019", "丁钱", "", C.ENQUIRY, "问今天停水到几点。",
     O.ANSWERED, "自来水公司检修，11点前恢复。", None, ""),
    (0, "08:40", "station", "杨大伯", "13916620020", "七图", "4号", C.EMERGENCY, "老伴在家摔倒了起不来，家里就我一个人。",
     O.ANSWERED, "已叫120，值班人员马上上门协助。", None, ""),
]


def _token(community, index) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"luodian-demo/{community.slug}/hotline/{index}")


def _night_guard(community, *, night_of: dt.date, users) -> None:
    """The 保安 rota and the shift of the night of the 02:00 call (22:00 the evening before to 06:00)."""
    guard = users.get(GUARD)
    if guard is None:
        return
    tz = timezone.get_default_timezone()
    # The station's 24-hour gate rota (门岗安保, made by the patrols' demo: 00–08, 08–16, 16–24) when there is
    # one: that night's 00:00–08:00 shift; otherwise a 保安 rota of its own, 22:00 the evening before to 06:00.
    rota = Rota.objects.filter(community=community, kind=Rota.Kind.SECURITY).order_by("pk").first()
    if rota is not None and rota.name != NIGHT_ROTA:
        starts = dt.datetime.combine(night_of, dt.time(0, 0), tzinfo=tz)
    else:
        rota, _created = Rota.objects.get_or_create(community=community, name=NIGHT_ROTA, defaults={
            "kind": Rota.Kind.SECURITY, "place": "服务站值班室", "manager": users.get("station")})
        starts = dt.datetime.combine(night_of - dt.timedelta(days=1), dt.time(22, 0), tzinfo=tz)
    RotaMember.objects.get_or_create(rota=rota, user=guard)
    shift = Shift.objects.filter(rota=rota, starts_at__lte=starts + dt.timedelta(hours=2),
                                 ends_at__gt=starts + dt.timedelta(hours=2)).first()
    if shift is None:
        shift = Shift.objects.create(rota=rota, starts_at=starts, ends_at=starts + dt.timedelta(hours=8))
    if not shift.assignments.filter(user=guard).exists():
        shift.assignments.all().delete()  # that night it was 丁卫东's turn
        ShiftAssignment.objects.create(shift=shift, user=guard)
    ShiftAssignment.objects.get_or_create(shift=shift, user=guard)


def demo_hotline_seed() -> dict:
    """Returns ``{"calls": n}``, the calls logged (nothing on a second run), as seed_demo prints."""
    community = Community.objects.filter(slug="guangming").first()
    if community is None:
        return {}
    users = {u.username: u for u in User.objects.filter(
        username__in=["station", "station2", "station3", "station4", "station5", "station6", "staff_guangming"])}
    groups = {g.name: g for g in VillageGroup.objects.filter(community=community)}
    categories = {c.code: c for c in CaseCategory.objects.filter(community=community)}
    now = timezone.now()
    today = timezone.localdate(now)
    created = 0
    with transaction.atomic():
        _night_guard(community, night_of=today - dt.timedelta(days=3), users=users)
        for index, row in enumerate(CALLS):
            (ago, hhmm, taker, caller, phone, group, house, category, about, outcome, answer, callback,
             case_code) = row
            actor = users.get(taker)
            if actor is None:
                continue
            received = dt.datetime.combine(today - dt.timedelta(days=ago), dt.time.fromisoformat(hhmm),
                                           tzinfo=timezone.get_default_timezone())
            if received > now:
                received = now - dt.timedelta(minutes=30 + index)  # the seed ran early in the day
            due = assignee = None
            if callback:
                due, assignee = received + dt.timedelta(hours=callback[0]), users.get(callback[1])
                due = due if assignee else None
            call, made = hotline_call_log(
                actor=actor, community=community, token=_token(community, index), received_at=received,
                caller_name=caller, caller_phone=phone, category=category, about=about, outcome=outcome,
                village_group=groups.get(group), house=house, answer=answer, callback_due_at=due,
                callback_assignee=assignee, now=min(now, received + dt.timedelta(minutes=2)))
            if not made:
                continue
            created += 1
            if callback and callback[2] is not None and assignee:
                done_at = received + dt.timedelta(hours=callback[2])
                if done_at < now:
                    hotline_callback_done(actor=assignee, call_id=call.pk, note="已回电说明处理情况。", now=done_at)
            staff = users.get("staff_guangming")
            if outcome == O.CASE and staff and case_code in categories and index != 12:
                hotline_case_file(actor=staff, call_id=call.pk, category=categories[case_code])
    return {"calls": created} if created else {}
