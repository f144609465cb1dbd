"""Building blocks for the rota tests: a rota with members and a weekly pattern, and a fixed clock.

Time moves by passing ``now=`` to the services (communities.services.rota_*), never by sleeping.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from communities.models import MemberQualification, Qualification, Role, Rota, RotaMember, RotaSlot, Shift
from communities.services.rota_generation import rota_generate_shifts

from ..factories import make_member

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday, 08:00 in Shanghai: the tests' "now".
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Local time ``day`` days after MONDAY's date, at hour:minute."""
    return dt.datetime.combine(MONDAY.date() + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=SHANGHAI)


def members(community, n: int, prefix: str = "duty", role=Role.SUBLANDLORD) -> list:
    return [make_member(community, role, username=f"{prefix}{i}", name=f"{prefix}{i}") for i in range(n)]


def make_rota(community, users, *, name="调解室值班", kind=Rota.Kind.MEDIATION_ROOM, slots=((9, 12, 1),),
              weekdays=EVERY_DAY, groups=None, manager=None, qualification=None, rrule="") -> Rota:
    rota = Rota.objects.create(community=community, name=name, kind=kind, place="蓉治社接待室", manager=manager,
                               required_qualification=qualification)
    for i, user in enumerate(users):
        RotaMember.objects.create(rota=rota, user=user, order=i, group=(groups[i] if groups else ""))
    for start, end, people in slots:
        RotaSlot.objects.create(rota=rota, weekdays=list(weekdays), rrule=rrule, starts_on=MONDAY.date(),
                                start_time=dt.time(start), end_time=dt.time(end), people=people)
    return rota


def qualify(community, users, *, name="安保培训", expires_on=None) -> Qualification:
    qualification, _ = Qualification.objects.get_or_create(community=community, name=name)
    for user in users:
        MemberQualification.objects.create(user=user, qualification=qualification, expires_on=expires_on)
    return qualification


def generate(rota, *, days=7, now=MONDAY):
    return rota_generate_shifts(rota=rota, until=now + dt.timedelta(days=days), now=now)


def duty(rota) -> list[tuple[dt.datetime, list[str]]]:
    """[(starts_at, [usernames on duty])] in time order."""
    shifts = Shift.objects.filter(rota=rota).prefetch_related("assignments__user").order_by("starts_at", "slot_id")
    return [(s.starts_at, sorted(a.user.username for a in s.assignments.all())) for s in shifts]
