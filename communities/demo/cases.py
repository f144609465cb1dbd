"""Demo data for the case workflow: categories, teams, agencies, public places, routing rules and a
few cases walked through the real services, so the demo shows every stage of the workflow.

Run from ``demo_seed`` after the logins exist; a community that already has cases is left alone.
"""
from django.db import transaction
from django.utils import timezone

from ..models import Agency, Backbone, Case, CaseCategory, Community, PublicPlace, RoutingRule, Team, Unit, User
from ..services import case_workflow as wf
from ..services.cases import case_file
from ..services.routing import DEFAULT_CATEGORIES
from ..services.teams import backbone_appoint, team_member_join

AGENCIES = [("police", "公安派出所"), ("urban_management", "城管中队"), ("fire", "消防救援站"),
            ("market_regulation", "市场监管所"), ("housing", "房管办")]
PUBLIC_PLACES = {
    "rongting": ["东门", "中心广场", "非机动车棚"],
    "junyuan": ["党群服务中心", "地下车库", "美兰湖步道入口"],
    "guangming": ["村口停车场", "1号充电棚", "2号充电棚", "3号充电棚", "4号充电棚"],
    "meilan": ["小区大门"],
}
# (name, kind, members, backbones as (username, office, appointed by)). 蓉治社's members are the community's
# sublandlords (communities.services.teams keeps them in step) and its officers come from its election
# (landlords.demo.team).
TEAMS = {
    "rongting": [("蓉治社", Team.Kind.LANDLORD_TEAM, [], [])],
    "junyuan": [("达人治理小分队", Team.Kind.SQUAD, ["talent"],
                 [("talent", Backbone.Office.STUDIO_HOST, "staff_junyuan")])],
    "guangming": [("物业管理服务站", Team.Kind.STATION, ["station"],
                   [("station", Backbone.Office.STATION_HEAD, "staff_guangming")]),
                  ("物业服务志愿队", Team.Kind.VOLUNTEER_TEAM, ["station"], [])],
}


def demo_cases_seed() -> int:
    """Returns the number of demo cases created."""
    created = 0
    with transaction.atomic():
        for code, name in AGENCIES:
            Agency.objects.get_or_create(code=code, defaults={"name": name})
        for community in Community.objects.all():
            _structure(community)
            if not Case.objects.filter(community=community).exists():
                created += _cases(community)
    return created


def _structure(community: Community) -> None:
    for order, (code, name, ack, fix) in enumerate(DEFAULT_CATEGORIES):
        CaseCategory.objects.get_or_create(community=community, code=code,
                                           defaults={"name": name, "ack_hours": ack, "fix_hours": fix,
                                                     "order": order})
    for name in PUBLIC_PLACES.get(community.slug, []):
        PublicPlace.objects.get_or_create(community=community, name=name)
    for name, kind, members, backbones in TEAMS.get(community.slug, []):
        team, _created = Team.objects.get_or_create(community=community, name=name, defaults={"kind": kind})
        for user in User.objects.filter(username__in=members).order_by("pk"):
            team_member_join(team=team, user=user)
        for username, office, appointer in backbones:
            user = User.objects.filter(username=username).first()
            staff = User.objects.filter(username=appointer).first()
            if user and staff and not Backbone.objects.filter(team=team, user=user).exists():
                backbone_appoint(actor=staff, team=team, user=user, office=office, term_start=timezone.localdate())
    if RoutingRule.objects.filter(community=community).exists():
        return
    if community.kind == Community.Kind.VILLAGE:
        station = Team.objects.get(community=community, kind=Team.Kind.STATION)
        RoutingRule.objects.create(community=community, target=RoutingRule.Target.TEAM, team=station, priority=10)
    else:
        # 居民反映投诉 → 二房东回应落实: a case about a let flat goes to its sublandlord.
        RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD,
                                   only_let_units=True, priority=10)
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.COMMITTEE, priority=100)


def _cases(community: Community) -> int:
    users = {u.username: u for u in User.objects.filter(username__in=[
        "resident", "tenant", "landlord", "staff", "station", "talent", "staff_junyuan", "staff_guangming"])}
    category = {c.code: c for c in CaseCategory.objects.filter(community=community)}
    if community.slug == "rongting" and {"resident", "landlord", "staff"} <= users.keys():
        return _rongting(community, users, category)
    if community.slug == "guangming" and {"station", "staff_guangming"} <= users.keys():
        staff = users["staff_guangming"]
        shed = PublicPlace.objects.get(community=community, name="2号充电棚")
        case_file(filed_by=staff, community=community, category=category["flying_wire"], channel=Case.Channel.PATROL,
                  reporter_name="巡查员", public_place=shed, description="3排有住户从二楼窗口拉电线给电动车充电。")
        return 1
    return 0


def _rongting(community, users, category) -> int:
    resident, landlord, staff = users["resident"], users["landlord"], users["staff"]
    let_unit = Unit.objects.filter(sublandlord__user=landlord).order_by("pk").first()
    # 1. Noise about a let flat: routed to its sublandlord, acknowledged, fixed, verified, rated.
    noise = case_file(filed_by=resident, community=community, category=category["noise"], unit=let_unit,
                      description=f"{let_unit.room}室每天夜里12点以后还很吵，影响休息。")
    _walk_noise(noise, resident, landlord, staff)
    # 2. Corridor clutter waiting for the committee to dispatch.
    case_file(filed_by=resident, community=community, category=category["corridor_clutter"],
              building=let_unit.building, place_text="3楼楼道", description="楼道里堆了很多纸箱和旧家具，有消防隐患。")
    # 3. A suspected partitioned flat, filed anonymously: routed to the sublandlord, who has taken it up.
    other_flat = Unit.objects.filter(sublandlord__user=landlord).order_by("pk")[1]
    partition = case_file(filed_by=resident, community=community, category=category["partitioned_flat"],
                          unit=other_flat, anonymous=True, description="这户好像隔成了好几间出租，进出人很多。")
    wf.case_acknowledge(case_id=partition.pk, actor=landlord, note="本周内上门核查。")
    return 3


def _walk_noise(case, resident, landlord, staff) -> None:
    wf.case_acknowledge(case_id=case.pk, actor=landlord, note="已联系租客，今晚上门提醒。")
    wf.case_report_fixed(case_id=case.pk, actor=landlord, note="已和租客谈过，签了安静承诺，晚上10点后不再打扰。")
    wf.case_verify_pass(case_id=case.pk, actor=staff, note="晚上10点半上门查看，已安静。")
    wf.case_rate(case_id=case.pk, actor=resident, score="satisfied", reasons=["speed", "result"],
                 comment="谢谢二房东和居委。")
