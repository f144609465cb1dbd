"""Demo of incidents for 光明村: the 物业服务志愿队's members with their emergency profiles (station staff and
villagers, the craftsmen among them), and three incidents walked through the real services with realistic
minutes between steps: a burst pipe in 丁钱 (the first plumber called does not answer, the next does; a
follow-up case), a shed roof torn by a storm (reported by a villager), and a fire drill (marked as drill).

Idempotent: the team and profiles are kept in step; the incidents are made once (a village that has incidents
is left alone). Times are relative to when it runs."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.models import CaseCategory, Community, Membership, Person, Role, Team, User, VillageGroup
from communities.services.teams import team_member_join

from ..models import Incident, IncidentWarning, ResponderProfile, Skill
from ..models.incidents import EMERGENCY_TEAM_NAME
from ..services import incidents as svc

# (username, name if a villager login is to be made, skills, hours, on-call order, note)
RESPONDERS = [
    ("station4", "", [Skill.ELECTRICIAN, Skill.FIRST_AID], "all", 1, "持电工特种作业操作证"),
    ("gm_shiyongfu", "施永福", [Skill.PLUMBER, Skill.ELECTRICIAN], "all", 2, "老工匠，住施杨"),
    ("station2", "", [Skill.PLUMBER], "all", 3, ""),
    ("gm_dingjianguo", "丁建国", [Skill.MASON], "all", 4, "泥瓦匠，住丁钱"),
    ("station3", "", [Skill.FIRST_AID], "day", 5, "红十字救护员证"),
    ("villager", "", [Skill.OTHER], "day", 6, ""),
    ("station5", "", [Skill.FIRST_AID], "night", 7, ""),
]


def demo_incidents_seed() -> None:
    community = Community.objects.filter(slug="guangming").first()
    if community is None:
        return
    with transaction.atomic():
        team, _created = Team.objects.get_or_create(community=community, name=EMERGENCY_TEAM_NAME,
                                                    defaults={"kind": Team.Kind.VOLUNTEER_TEAM})
        for username, name, skills, hours, order, note in RESPONDERS:
            user = _user(community, username, name)
            if user is None:
                continue
            member, _joined = team_member_join(team=team, user=user)
            ResponderProfile.objects.update_or_create(member=member, defaults={
                "skills": list(skills), "hours": hours, "on_call_order": order, "note": note})
        if not Incident.objects.filter(community=community).exists():
            _incidents(community)


def _user(community, username, name) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is not None or not name:
        return user
    user = User.objects.create_user(username=username)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    # A phone the team can be called on (a block no other demo person uses: 177 0210 01xx).
    phone = f"1770210{100 + sum(map(ord, username)) % 100:04d}"
    while Person.objects.filter(phone=phone).exists():
        phone = f"{int(phone) + 1}"
    Person.objects.create(name=name, user=user, phone=phone)
    Membership.objects.get_or_create(user=user, community=community, role=Role.RESIDENT)
    return user


def _users(*names):
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return [found.get(n) for n in names]


def _at(days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone())


def _incidents(community) -> None:
    head, staff, villager, plumber2, mason, electrician = _users(
        "station", "staff_guangming", "villager", "station2", "gm_dingjianguo", "station4")
    if not (head and staff):
        return
    groups = {g.name: g for g in VillageGroup.objects.filter(community=community)}

    # 1. A burst pipe in 丁钱 at dawn: patrol finds it, the group is warned, the first plumber does not answer in
    # time, the second does; a follow-up case for the repair of the road surface.
    t = _at(3, 6, 40)
    pipe = svc.incident_detect(actor=head, community=community, kind=Incident.Kind.BURST_PIPE, how="patrol",
                               place="丁钱村民小组 12 号门前", description="主水管爆裂，路面积水约 20 厘米，附近 8 户停水。",
                               now=t + dt.timedelta(minutes=2), detected_at=t)
    group = groups.get("丁钱")
    svc.incident_warn(incident_id=pipe.pk, actor=head, level=IncidentWarning.Level.YELLOW,
                      audience="group" if group else "all", village_group=group, channels=["wechat", "broadcast"],
                      message="丁钱组主水管爆裂，预计停水 2 小时，请勿靠近积水处。", now=t + dt.timedelta(minutes=4))
    svc.incident_dispatch(incident_id=pipe.pk, actor=head, skill=Skill.PLUMBER, now=t + dt.timedelta(minutes=6))
    svc.escalations_advance(now=t + dt.timedelta(minutes=11, seconds=30))
    plumber2 = _ack(pipe, plumber2, t + dt.timedelta(minutes=13)) or head
    svc.incident_arrive(incident_id=pipe.pk, actor=plumber2, now=t + dt.timedelta(minutes=19))
    svc.incident_handle(incident_id=pipe.pk, actor=plumber2, now=t + dt.timedelta(minutes=78),
                        action_taken="关闭总阀，更换爆裂管段 1.2 米，恢复供水；路面有塌陷，需修补。")
    category = (CaseCategory.objects.filter(community=community, code="other").first()
                or CaseCategory.objects.filter(community=community).first())
    svc.incident_close(incident_id=pipe.pk, actor=staff, now=t + dt.timedelta(minutes=95), note="供水已恢复。",
                       open_case=category is not None, category=category,
                       case_description="丁钱组 12 号门前爆管后路面塌陷约 2 平方米，请安排修补。")

    # 2. A storm tears a shed roof in 七图: a villager reports it, everyone is warned, a mason goes.
    t = _at(9, 15, 5)
    shed = svc.incident_detect(actor=villager or head, community=community, kind=Incident.Kind.STORM,
                               how="resident" if villager else "patrol", place="七图村民小组 3 号棚屋",
                               description="台风把棚屋屋顶的彩钢板掀开一半，随时可能被刮落。", now=t, detected_at=t)
    svc.incident_warn(incident_id=shed.pk, actor=head, level=IncidentWarning.Level.ORANGE, audience="all",
                      channels=["broadcast", "wechat", "door"], message="台风橙色预警：请收好晾晒物品，远离棚屋和广告牌。",
                      now=t + dt.timedelta(minutes=3))
    svc.incident_dispatch(incident_id=shed.pk, actor=head, skill=Skill.MASON, now=t + dt.timedelta(minutes=5))
    mason = _ack(shed, mason, t + dt.timedelta(minutes=7)) or head
    svc.incident_arrive(incident_id=shed.pk, actor=mason, now=t + dt.timedelta(minutes=18))
    svc.incident_handle(incident_id=shed.pk, actor=mason, now=t + dt.timedelta(minutes=65),
                        action_taken="拆下松动的彩钢板，用沙袋压住其余部分，拉警戒线。")
    svc.incident_close(incident_id=shed.pk, actor=head, now=t + dt.timedelta(minutes=80))

    # 3. A fire drill in 施杨 (演练, counted apart).
    t = _at(16, 14, 0)
    drill = svc.incident_detect(actor=head, community=community, kind=Incident.Kind.FIRE_HAZARD, how="other",
                                place="施杨村民小组 老年活动室", description="消防演练：模拟电动车充电起火。", drill=True,
                                now=t, detected_at=t)
    svc.incident_warn(incident_id=drill.pk, actor=head, level=IncidentWarning.Level.RED, audience="all",
                      channels=["broadcast"], message="（演练）活动室起火，请按路线疏散。", now=t + dt.timedelta(minutes=1))
    svc.incident_dispatch(incident_id=drill.pk, actor=head, skill=Skill.ELECTRICIAN, now=t + dt.timedelta(minutes=2))
    electrician = _ack(drill, electrician, t + dt.timedelta(minutes=3)) or head
    svc.incident_arrive(incident_id=drill.pk, actor=electrician, now=t + dt.timedelta(minutes=6))
    svc.incident_handle(incident_id=drill.pk, actor=electrician, now=t + dt.timedelta(minutes=20),
                        action_taken="切断电源，用干粉灭火器扑救，疏散 23 人，用时 4 分钟。")
    svc.incident_close(incident_id=drill.pk, actor=head, now=t + dt.timedelta(minutes=30), note="演练总结已存档。")


def _ack(incident, user, at) -> User | None:
    """The called member answers; when the demo's member is not the one called, whoever is called answers."""
    from ..models import IncidentDispatch

    called = IncidentDispatch.objects.filter(incident=incident, status=IncidentDispatch.Status.CALLED)
    dispatch = called.filter(user=user).first() if user else None
    dispatch = dispatch or called.order_by("position").first()
    if dispatch is None:
        return None
    svc.dispatch_acknowledge(dispatch_id=dispatch.pk, actor=dispatch.user, now=at)
    return dispatch.user
