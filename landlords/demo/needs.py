"""Demo data for the co-building needs list (共建需求清单) and community titles, after the core demo
(``manage.py seed_demo``): 蓉庭's six donated benches (the seed: "为小区无偿提供6个爱心座椅"), each given by a
sublandlord and confirmed by the committee; a few open and claimed needs; and the title 社区监督员 for two
sublandlords (the seed: "让其成为社区监督员"), one of them the ``landlord`` login.

Rows are written directly with their events, backdated, without notifications (a demo should not fill the
staff inbox with old news). Idempotent: a need that exists by title is left alone, a title held is kept.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.models import Community, CommunityNeed, CommunityTitle, NeedEvent, NeedStatus, Team, User
from communities.selectors.teams import teams_of

LANDLORDS = ("landlord", "landlord2", "landlord3", "landlord4", "landlord5", "landlord6")
BENCH_SPOTS = ("中心花园东侧", "中心花园西侧", "3号楼前健身点", "7号楼与8号楼之间", "小区南门等候区", "蓉治社接待室门口")
# (title, quantity, description, status, giver login or "", days ago posted)
OTHER_NEEDS = (
    ("楼道灯维修", "12号楼 3 盏", "12号楼2至4层楼道灯不亮，夜里上下楼看不清，租客反映多次。", NeedStatus.OPEN, "", 5),
    ("垃圾分类宣传牌", "6 块", "在各垃圾箱房旁立双语宣传牌，提醒新租客定时定点投放。", NeedStatus.OPEN, "", 9),
    ("调解室饮水机", "1 台", "蓉治社接待室（租客矛盾调解室）调解时需要给来访的租客倒水。", NeedStatus.CLAIMED,
     "landlord2", 12),
    ("楼道堆物清理推车", "2 辆", "清理楼道堆物时用来搬运旧家具、纸箱。", NeedStatus.CLAIMED, "landlord3", 20),
)
SUPERVISORS = ("landlord", "landlord2")


def _event(need, actor, action, from_status, to_status, at, note=""):
    NeedEvent.objects.create(need=need, actor=actor, action=action, from_status=from_status, to_status=to_status,
                             note=note, at=at)


def _giver_team(community, user):
    return teams_of(user, community=community, kind=Team.Kind.LANDLORD_TEAM).first()


def _need(*, community, staff, title, quantity, description, status, giver, posted_at) -> bool:
    if CommunityNeed.objects.filter(community=community, title=title).exists():
        return False
    need = CommunityNeed.objects.create(community=community, title=title, quantity=quantity,
                                        description=description, posted_by=staff, posted_at=posted_at)
    _event(need, staff, "post", "", NeedStatus.OPEN, posted_at)
    if giver is None:
        return True
    need.claimed_by, need.team = giver, _giver_team(community, giver)
    need.claimed_at = posted_at + dt.timedelta(days=1)
    need.status = NeedStatus.CLAIMED
    _event(need, giver, "claim", NeedStatus.OPEN, NeedStatus.CLAIMED, need.claimed_at)
    if status == NeedStatus.CONFIRMED:
        need.delivered_at = need.claimed_at + dt.timedelta(days=6)
        _event(need, giver, "deliver", NeedStatus.CLAIMED, NeedStatus.DELIVERED, need.delivered_at,
               note="长椅已安装固定。")
        need.confirmed_at = need.delivered_at + dt.timedelta(days=1)
        _event(need, staff, "confirm", NeedStatus.DELIVERED, NeedStatus.CONFIRMED, need.confirmed_at,
               note="居委上门查看，长椅牢固，感谢二房东的爱心。")
        need.status = NeedStatus.CONFIRMED
    need.save()
    return True


def demo_needs_seed(*, now=None) -> dict:
    """Returns what it created: {"needs": n, "titles": n}."""
    now = now or timezone.now()
    community = Community.objects.filter(slug="rongting").first()
    staff = User.objects.filter(username="staff").first()
    if community is None or staff is None:
        return {"needs": 0, "titles": 0}
    users = {u.username: u for u in User.objects.filter(username__in=LANDLORDS).select_related("person")}
    created = {"needs": 0, "titles": 0}
    with transaction.atomic():
        for i, spot in enumerate(BENCH_SPOTS):
            giver = users.get(LANDLORDS[i])
            created["needs"] += _need(
                community=community, staff=staff, title=f"爱心座椅（{spot}）", quantity="长椅 1 张",
                description="居民反映小区里缺少休息的地方，老人散步走累了没处坐。",
                status=NeedStatus.CONFIRMED if giver else NeedStatus.OPEN, giver=giver,
                posted_at=now - dt.timedelta(days=70 - i))
        for title, quantity, description, status, login, days in OTHER_NEEDS:
            created["needs"] += _need(community=community, staff=staff, title=title, quantity=quantity,
                                      description=description, status=status, giver=users.get(login),
                                      posted_at=now - dt.timedelta(days=days))
        for login in SUPERVISORS:
            person = getattr(users.get(login), "person", None)
            if person is None:
                continue
            _title, made = CommunityTitle.objects.get_or_create(
                person=person, community=community, kind=CommunityTitle.Kind.SUPERVISOR, revoked_at__isnull=True,
                defaults={"awarded_by": staff, "awarded_at": now - dt.timedelta(days=30)})
            created["titles"] += made
    return created
