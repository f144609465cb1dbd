"""Calendar days as the communities live them (Asia/Shanghai, the project's TIME_ZONE)."""
from datetime import date, datetime, time

from django.utils import timezone


def local_midnight(day: date) -> datetime:
    """The aware moment a calendar day starts."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())
