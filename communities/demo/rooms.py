"""Demo data for the service centre's rooms: 郡园's 党群服务中心 with its 多功能厅, 书香工作室, 墨香书法室 and 活动室,
the 郡园居民议事会's coming meetings in the 多功能厅, and a few bookings of this week by the committee and the
talent host.

Run from ``demo_seed`` after the meetings. Running again is harmless: a community that already has rooms is
left alone. Bookings still ahead go through the service; those of this week already past (the service refuses
the past) are written as the week held them.
"""
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import Community, Meeting, Room, RoomBooking, User
from ..services import meetings as meeting_svc
from ..services import rooms as svc

ROOMS = (  # name, where, capacity, notes
    ("多功能厅", "党群服务中心 二楼", 60, "投影仪、音响、60把折叠椅；居民议事会、讲座和演出在这里。"),
    ("书香工作室", "党群服务中心 一楼", 20, "绘本和儿童读物；宝妈志愿者的绘本阅读、作业辅导。"),
    ("墨香书法室", "党群服务中心 一楼", 16, "书法桌16张，笔墨纸砚齐备；课后请洗净毛笔。"),
    ("活动室", "党群服务中心 三楼", 30, "可移动桌椅；工作室活动、小分队碰头、培训。"),
)


@dataclass(frozen=True)
class DemoBooking:
    room: str
    weekday: int  # 0 = Monday of this week
    start: tuple[int, int]
    end: tuple[int, int]
    title: str
    login: str


BOOKINGS = (  # the calligraphy classes of 墨香 book 墨香书法室 session by session (the talents demo)
    DemoBooking("书香工作室", 2, (15, 30), (17, 0), "书香工作室·绘本阅读", "talent"),
    DemoBooking("活动室", 3, (14, 0), (15, 30), "达人治理小分队碰头", "staff_junyuan"),
    DemoBooking("多功能厅", 4, (14, 0), (16, 0), "党员学习日", "secretary_junyuan"),
    DemoBooking("书香工作室", 5, (9, 30), (11, 0), "书香工作室·亲子共读", "talent"),
    DemoBooking("活动室", 6, (10, 0), (11, 30), "摄影工作室·免费证件照", "staff_junyuan"),
)
JUNYUAN_MEETINGS = "郡园居民议事会"


def demo_rooms_seed(*, now=None) -> int:
    """Returns the number of rooms created."""
    now = now or timezone.now()
    community = Community.objects.filter(slug="junyuan").first()
    if community is None or Room.objects.filter(community=community).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in={b.login for b in BOOKINGS})}
    with transaction.atomic():
        rooms = {name: Room.objects.create(community=community, name=name, where=where, capacity=capacity,
                                           notes=notes) for name, where, capacity, notes in ROOMS}
        _meetings_in_the_hall(community, rooms["多功能厅"], now)
        monday = timezone.localdate(now) - dt.timedelta(days=timezone.localdate(now).weekday())
        for spec in BOOKINGS:
            if spec.login in users:
                _book(spec, rooms[spec.room], users[spec.login], monday, now)
    return len(rooms)


def _meetings_in_the_hall(community, hall, now) -> None:
    for meeting in Meeting.objects.filter(community=community, series__title=JUNYUAN_MEETINGS,
                                          status=Meeting.Status.SCHEDULED, starts_at__gt=now).select_related(
            "organiser"):
        meeting_svc.meeting_room_book(meeting_id=meeting.pk, actor=meeting.organiser, room=hall, now=now)


def _book(spec: DemoBooking, room, user, monday, now) -> None:
    tz = timezone.get_default_timezone()
    day = monday + dt.timedelta(days=spec.weekday)
    starts = dt.datetime.combine(day, dt.time(*spec.start), tzinfo=tz)
    ends = dt.datetime.combine(day, dt.time(*spec.end), tzinfo=tz)
    if starts >= now:
        try:
            svc.room_book(room=room, starts_at=starts, ends_at=ends, title=spec.title, actor=user, now=now)
        except svc.RoomClash:
            pass  # a meeting of the 议事会 holds the hall then: it keeps it
    elif not RoomBooking.objects.filter(room=room, cancelled_at__isnull=True, starts_at__lt=ends,
                                        ends_at__gt=starts).exists():
        RoomBooking.objects.create(room=room, starts_at=starts, ends_at=ends, title=spec.title, booked_by=user,
                                   created_at=starts - dt.timedelta(days=3))
