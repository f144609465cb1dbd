"""Building blocks for the volunteer-hours tests: a volunteer, a second staff member, a fixed clock and entries.

Time moves by passing ``now=`` to the services (communities.services.hours), never by sleeping.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from communities.models import Role
from communities.services.hours import hours_record

from ..factories import make_member

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday, noon in Shanghai: the tests' "now".
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def volunteer_in(community, username="mum", name="王芳", phone=None):
    user = make_member(community, Role.VOLUNTEER, username=username, name=name)
    if phone:
        user.person.phone = phone
        user.person.save(update_fields=["phone"])
    return user


def record(volunteer, community, *, source_id=1, starts=None, minutes=90, scheduled=90, kind="talents.session",
           now=NOW, **extra):
    starts = starts or at(3, 3, 16, 30)
    return hours_record(volunteer=volunteer, community=community, activity=extra.pop("activity", "阅读与作业辅导"),
                        place="书香工作室", starts_at=starts, ends_at=starts + dt.timedelta(minutes=minutes),
                        minutes=minutes, scheduled_minutes=scheduled, source_kind=kind, source_id=source_id,
                        confirmed_how=extra.pop("how", "organiser"), now=now, **extra)
