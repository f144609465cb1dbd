"""Demo data for meetings (三定: 定时定点定题): a monthly series in each demo community, made through the
real services, last month's 蓉庭 碰头会 with its minutes, a decision and an action item, and one topic
a resident has proposed.

Run from ``demo_seed`` after the logins, teams and agencies exist; a community that already has a
series is left alone.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ..models import AgendaItem, Agency, Community, Meeting, MeetingInvite, MeetingKind, MeetingSeries, Team, User
from ..recurrence import rule_starts
from ..selectors.meetings import attendance_count
from ..services import meeting_series as ser
from ..services import meetings as svc
from ..services.meeting_topics import topic_propose

# The seed's typical complaints: the standing topics of 蓉庭's landlords' check-in meeting.
RONGTING_TOPICS = ["群租/房屋隔断", "违法搭建", "噪音扰民", "楼道堆物", "垃圾分类"]
PROPERTY_COMPANY = ("property_company", "物业公司")


@dataclass(frozen=True)
class DemoSeries:
    slug: str
    title: str
    kind: str
    rrule: str
    at: tuple[int, int]
    minutes: int
    venue: str
    actor: str  # the login that sets it up (and organises it)
    teams: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    topics: list[str] = field(default_factory=list)


DEMO_SERIES = (
    DemoSeries("rongting", "蓉治社碰头会", MeetingKind.CHECK_IN, "FREQ=MONTHLY;BYDAY=1TU", (19, 0), 90, "蓉治社接待室",
               "staff", teams=("蓉治社",), topics=RONGTING_TOPICS),
    DemoSeries("rongting", "蓉庭多方联席会", MeetingKind.JOINT, "FREQ=MONTHLY;BYDAY=3TH", (14, 0), 120, "居委会议室",
               "secretary", teams=("蓉治社",), users=("staff",),
               agencies=("police", "urban_management", "property_company"),
               topics=["群租整治联合检查", "违法搭建拆除进度", "物业与二房东的协作"]),
    DemoSeries("junyuan", "郡园居民议事会", MeetingKind.DELIBERATION, "FREQ=MONTHLY;BYDAY=2SA", (9, 30), 90,
               "党群服务中心", "staff_junyuan", teams=("达人治理小分队",), users=("talent", "secretary_junyuan"),
               topics=["维修基金使用", "房屋漏水、外墙脱落", "达人工作室活动安排"]),
    DemoSeries("guangming", "光明村村民大会", MeetingKind.VILLAGERS, "FREQ=MONTHLY;BYDAY=-1FR", (19, 0), 120,
               "村委会大会议室", "staff_guangming", teams=("物业管理服务站",), users=("secretary_guangming",),
               topics=["物业服务站工作报告", "车位划分与外来车辆收费", "电动自行车集中充电"]),
    DemoSeries("meilan", "美兰花园居民议事会", MeetingKind.DELIBERATION, "FREQ=MONTHLY;BYDAY=1SA", (10, 0), 60,
               "小区大门旁活动室", "town", topics=["小区环境整治"]),
)


def demo_meetings_seed(*, now=None) -> int:
    """Returns the number of series created."""
    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        Agency.objects.get_or_create(code=PROPERTY_COMPANY[0], defaults={"name": PROPERTY_COMPANY[1]})
        users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
        for slug in dict.fromkeys(spec.slug for spec in DEMO_SERIES):
            community = Community.objects.filter(slug=slug).first()
            if community is None or MeetingSeries.objects.filter(community=community).exists():
                continue
            for spec in (s for s in DEMO_SERIES if s.slug == slug):
                if spec.actor in users:
                    _series(spec, community, users, now)
                    created += 1
            if slug == "rongting" and {"staff", "landlord", "resident"} <= users.keys():
                _rongting_history(community, users, now)
    return created


def _usernames():
    names = {"resident", "landlord"}
    for spec in DEMO_SERIES:
        names |= {spec.actor, *spec.users}
    return names


def _series(spec: DemoSeries, community, users, now) -> MeetingSeries:
    anchor = timezone.make_aware(dt.datetime(2026, 1, 1, *spec.at), timezone.get_default_timezone())
    return ser.series_create(
        actor=users[spec.actor], community=community, title=spec.title, kind=spec.kind, rrule=spec.rrule,
        first_starts_at=anchor, duration_minutes=spec.minutes, venue=spec.venue, organiser=users[spec.actor],
        standing_topics=spec.topics, invited_users=[users[u] for u in spec.users if u in users],
        invited_teams=list(Team.objects.filter(community=community, name__in=spec.teams)),
        invited_agencies=list(Agency.objects.filter(code__in=spec.agencies)), now=now)


def _rongting_history(community, users, now) -> None:
    """Last month's 碰头会 as held, and a resident's proposal waiting for the committee."""
    staff, landlord, resident = users["staff"], users["landlord"], users["resident"]
    series = MeetingSeries.objects.get(community=community, title="蓉治社碰头会")
    starts = rule_starts(rrule=series.rrule, first_starts_at=series.first_starts_at,
                         after=now - dt.timedelta(days=62), before=now - dt.timedelta(hours=3))
    start = starts[-1] if starts else None
    if start is not None and not Meeting.objects.filter(series=series, occurrence_key=start).exists():
        past = Meeting.objects.create(series=series, occurrence_key=start, community=community, kind=series.kind,
                                      title=series.title, venue=series.venue, starts_at=start,
                                      ends_at=start + dt.timedelta(minutes=series.duration_minutes), organiser=staff)
        teams = list(series.invited_teams.all())
        MeetingInvite.objects.bulk_create(svc.invite_rows([past], teams=teams))
        svc.link_invited([past], teams=teams, agencies=list(series.invited_agencies.all()))
        AgendaItem.objects.bulk_create([AgendaItem(meeting=past, order=i, title=topic)
                                        for i, topic in enumerate(series.standing_topics)])
        svc.meeting_check_in(meeting_id=past.pk, actor=staff, user=landlord, now=start)
        svc.meeting_check_in(meeting_id=past.pk, actor=staff, now=start)
        count = attendance_count(meeting=past)  # the minutes say what the page's heading says
        svc.minutes_file(meeting_id=past.pk, actor=staff, now=now, text=(
            f"受邀{count.invited}人，签到{count.checked_in}人。逐楼通报群租、隔断整改情况；3号楼楼道堆物反复出现，"
            "由该楼二房东负责督促租客清理；垃圾分类宣传由蓉治社轮流值班时发放告知书。"))
        decision = svc.decision_record(meeting_id=past.pk, actor=staff, now=now,
                                       text="各楼二房东每周五检查本楼楼道，发现堆物当天督促清理。")
        svc.action_item_create(meeting_id=past.pk, actor=staff, title="3号楼楼道堆物清理并拍照反馈", owner=landlord,
                               due_on=timezone.localdate(now) + dt.timedelta(days=7), decision=decision, now=now)
    topic_propose(actor=resident, community=community, now=now,
                  text="晚上有人把电动车推上楼道充电，很危险，希望碰头会上讨论怎么管。")
