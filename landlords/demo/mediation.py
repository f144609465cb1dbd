"""Demo data for the mediation room (一室) and the two groups (二群), after the core demo (seed_demo).

A month of duty in the 蓉治社 reception room: past shifts of the demo rota "蓉治社接待室值班" (the core
generator only makes shifts from today on) with the six demo landlords on duty, and about fifteen disputes
recorded on them through the real service (mixed outcomes; the 转为诉求 ones file real cases). Then the
team channel and one channel per 蓉庭 building, a few announcements and some reads: the ``landlord``
login is left with unread ones. A second run creates nothing.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.models import Agency, Community, Rota, Shift, ShiftAssignment, Unit, User

from ..models import Announcement, Channel, MediationRecord
from ..services.channels import announcement_mark_read, announcement_post, channels_ensure
from ..services.mediation import mediation_record_create

ROTA_NAME = "蓉治社接待室值班"
LANDLORDS = ("landlord", "landlord2", "landlord3", "landlord4", "landlord5", "landlord6")
S, C, R = MediationRecord.Outcome.SETTLED, MediationRecord.Outcome.CASE, MediationRecord.Outcome.REFERRED

# (days ago, parties, issue, agreement, outcome, agency code)
DISPUTES = (
    (29, "3号楼301室租客 vs 302室租客", "302室夜里十一点后还在用洗衣机，楼下睡不着。", "双方同意晚上十点后不用洗衣机。", S, ""),
    (27, "5号楼租客 vs 二房东", "押金退还金额有争议，租客认为墙面污损不该扣钱。", "查看入住照片后，二房东退还全部押金。", S, ""),
    (26, "7号楼601室合租租客之间", "公共厨房卫生分工谈不拢。", "排出值日表，贴在厨房门上。", S, ""),
    (24, "2号楼楼道住户 vs 403室租客", "403室在楼道堆放纸箱和电动车电池。", "", C, ""),
    (22, "9号楼租客 vs 楼下商户", "商户夜间卸货噪音大。", "已联系城管中队上门处理。", R, "urban_management"),
    (20, "4号楼202室租客 vs 二房东", "热水器坏了一周没人修。", "二房东答应三天内更换热水器。", S, ""),
    (18, "6号楼租客之间", "晾衣杆占用邻居窗外空间。", "调整晾衣位置，互相谅解。", S, ""),
    (16, "1号楼502室租客 vs 602室租客", "楼上漏水泡坏了楼下天花板。", "", C, ""),
    (14, "8号楼两户租客", "停放电动车抢车位发生口角，有推搡。", "已请公安派出所民警到场调解。", R, "police"),
    (12, "3号楼租客 vs 二房东", "隔断房间过多，租客担心消防安全。", "", C, ""),
    (10, "10号楼合租租客之间", "宠物狗夜间吠叫。", "养狗的租客夜里把狗关在室内，并加装隔音垫。", S, ""),
    (8, "5号楼租客 vs 二房东", "合同到期前被要求搬走。", "二房东同意按合同住满，到期前一个月再商量续租。", S, ""),
    (6, "7号楼楼组 vs 101室租客", "在一楼窗外私搭雨棚。", "已转交城管中队认定是否违法搭建。", R, "urban_management"),
    (4, "2号楼租客之间", "垃圾没有分类，被邻居指责。", "双方一起看了垃圾分类指引，约定按时投放。", S, ""),
    (2, "4号楼303室租客 vs 304室租客", "门口鞋柜占用楼道。", "鞋柜移回屋内。", S, ""),
)

TEAM_POSTS = (
    ("本周碰头会通知", "本周四晚七点在蓉治社接待室开碰头会，议题：楼道堆物和群租隔断整改。请各位二房东准时参加。"),
    ("租户进出登记提醒", "新租客入住请在三天内完成进出登记，逾期会被标记为迟报。"),
)
BUILDING_POSTS = (
    ("楼道堆物清理", "本周六上午统一清理楼道堆物，请各户把个人物品搬回屋内。"),
    ("电动车充电安全", "禁止飞线充电，请到非机动车棚集中充电。"),
)


def _past_shift(rota: Rota, *, day: dt.date, landlord: User) -> Shift:
    tz = timezone.get_default_timezone()
    starts = dt.datetime.combine(day, dt.time(9, 0), tzinfo=tz)
    shift, _ = Shift.objects.get_or_create(rota=rota, starts_at=starts, slot=None,
                                           defaults={"ends_at": starts + dt.timedelta(hours=2, minutes=30)})
    ShiftAssignment.objects.get_or_create(shift=shift, user=landlord, defaults={
        "checked_in_at": starts, "checked_out_at": shift.ends_at})
    return shift


def _records(community: Community, rota: Rota, now) -> int:
    if MediationRecord.objects.filter(community=community).exists():
        return 0
    landlords = User.objects.in_bulk(LANDLORDS, field_name="username")
    agencies = Agency.objects.in_bulk(field_name="code")
    made = 0
    for i, (days_ago, parties, issue, agreement, outcome, agency) in enumerate(DISPUTES):
        landlord = landlords.get(LANDLORDS[i % len(LANDLORDS)])
        if landlord is None or (agency and agency not in agencies):
            continue
        shift = _past_shift(rota, day=timezone.localdate(now) - dt.timedelta(days=days_ago), landlord=landlord)
        mediation_record_create(actor=landlord, shift=shift, parties=parties, issue=issue, agreement=agreement,
                                outcome=outcome, agency=agencies.get(agency),
                                now=shift.starts_at + dt.timedelta(hours=1))
        made += 1
    return made


def _announcements(community: Community, now) -> int:
    if Announcement.objects.filter(channel__community=community).exists():
        return 0
    staff = User.objects.filter(memberships__community=community, memberships__role="committee_staff").first()
    landlord = User.objects.filter(username="landlord").first()
    if staff is None or landlord is None:
        return 0
    team = Channel.objects.get(community=community, kind=Channel.Kind.TEAM)
    posts = [announcement_post(actor=staff, channel=team, title=t, body=b, now=now - dt.timedelta(days=3 - i))[0]
             for i, (t, b) in enumerate(TEAM_POSTS)]
    unit = Unit.objects.filter(sublandlord__user=landlord).select_related("building").first()
    if unit is not None:
        channel = Channel.objects.get(building=unit.building)
        posts.append(announcement_post(actor=staff, channel=channel, title=BUILDING_POSTS[0][0],
                                       body=BUILDING_POSTS[0][1], now=now - dt.timedelta(days=2))[0])
        posts.append(announcement_post(actor=landlord, channel=channel, title=BUILDING_POSTS[1][0],
                                       body=BUILDING_POSTS[1][1], now=now - dt.timedelta(days=1))[0])
    # Some reads: landlord2 … landlord4 have read the team posts; `landlord` has read none of them.
    for reader in User.objects.filter(username__in=LANDLORDS[1:4]):
        for announcement in posts[:len(TEAM_POSTS)]:
            announcement_mark_read(user=reader, announcement=announcement)
    return len(posts)


def demo_mediation_seed(*, now=None) -> dict:
    """Returns what it created: {"shifts_records": n, "channels": n, "announcements": n}."""
    now = now or timezone.now()
    community = Community.objects.filter(slug="rongting").first()
    rota = Rota.objects.filter(community=community, name=ROTA_NAME, kind=Rota.Kind.MEDIATION_ROOM).first()
    if community is None:
        return {"mediation_records": 0, "channels": 0, "announcements": 0}
    with transaction.atomic():
        records = _records(community, rota, now) if rota is not None else 0
        channels = channels_ensure(community=community)
        announcements = _announcements(community, now)
    return {"mediation_records": records, "channels": channels, "announcements": announcements}
