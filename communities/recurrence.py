"""Recurrence, written once: an iCal RRULE as a rota's slot and a meeting series store it, and the starts it
gives in a window. Used by ``services/rota_generation.py`` (a slot's days) and ``services/meeting_series.py``
(a series' meetings).

A rule is stored as one line without its "RRULE:" prefix and without a DTSTART: the start is the slot's or
the series' own. Starts are computed on local wall-clock time, so that 19:00 stays 19:00 whatever the UTC
offset of the day.
"""
import datetime as dt

from dateutil.rrule import rrulestr
from django.utils import timezone

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# Any fixed start will do to tell whether a rule parses; not today's date, so the answer never depends on it.
_PROBE_START = dt.datetime(2026, 1, 1, 19, 0)


class InvalidRule(ValueError):
    """The text is not a rule we keep. ``code``: "syntax" (not one RRULE line) or "frequency" (not daily,
    weekly, monthly or yearly); each caller says it in its own words."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def rule_clean(text: str) -> str:
    """The rule as stored ("FREQ=MONTHLY;BYDAY=1TU"): upper case, no "RRULE:" prefix; raises InvalidRule."""
    rule = (text or "").strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:"):]
    if not rule or "\n" in rule or "DTSTART" in rule:
        raise InvalidRule("syntax")
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    if parts.get("FREQ") not in FREQUENCIES:
        raise InvalidRule("frequency")
    try:
        rrulestr(rule, dtstart=_PROBE_START)
    except (ValueError, TypeError, KeyError):
        raise InvalidRule("syntax") from None
    return rule


def rule_parse(text: str, *, dtstart: dt.datetime):
    """The dateutil rule of a stored rule, from ``dtstart`` (naive, local). Lenient about rows saved before
    rules were cleaned: an "RRULE:" prefix or a DTSTART line of their own is ignored."""
    body = "\n".join(line for line in text.strip().splitlines() if not line.upper().startswith("DTSTART"))
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    return rrulestr(body, dtstart=dtstart)


def starts_between(rule: str, *, dtstart: dt.datetime, first: dt.datetime, last: dt.datetime) -> list[dt.datetime]:
    """The rule's starts from ``first`` to ``last`` inclusive, all naive local wall-clock times."""
    return rule_parse(rule, dtstart=dtstart).between(first, last, inc=True)


def rule_starts(*, rrule: str, first_starts_at: dt.datetime, after: dt.datetime, before: dt.datetime
                ) -> list[dt.datetime]:
    """The rule's starts in [after, before], aware, anchored on ``first_starts_at`` (aware)."""
    tz = timezone.get_default_timezone()

    def wall(moment):
        return timezone.localtime(moment, tz).replace(tzinfo=None)

    return [timezone.make_aware(start, tz)
            for start in starts_between(rrule, dtstart=wall(first_starts_at), first=wall(after), last=wall(before))]
