"""Calendar days as the communities live them (Asia/Shanghai, the project's TIME_ZONE)."""
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def local_midnight(day: date) -> datetime:
    """The aware moment a calendar day starts."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def month_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of the calendar month containing ``day``, as aware moments (Asia/Shanghai)."""
    first = day.replace(day=1)
    return local_midnight(first), local_midnight((first.replace(day=28) + timedelta(days=4)).replace(day=1))


# The range of days a page may be asked about: far enough back for any record, a few years ahead for plans.
# Anything outside (``?week=9999-12-31``, ``date_from=0001-01-01``) is refused with a message, never a 500.
EARLIEST_DAY = date(2000, 1, 1)
YEARS_AHEAD = 10


def latest_day(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def in_range(day: date, today: date | None = None) -> bool:
    return EARLIEST_DAY <= day <= latest_day(today)


def parse_day(value: str, today: date | None = None) -> date | None:
    """``YYYY-MM-DD`` within the range, or None (empty, malformed or out of range)."""
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if in_range(day, today) else None


def parse_month(value: str, today: date | None = None) -> date | None:
    """``YYYY-MM`` as the month's first day within the range, or None."""
    try:
        year, month = (int(part) for part in (value or "").strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    return first if in_range(first, today) else None
