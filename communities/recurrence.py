"""Recurrence, written once: an iCal RRULE as a rota's slot and a meeting series store it, and the starts it
gives in a window. Used by ``services/rota_generation.py`` (a slot's days) and ``services/meeting_series.py``
(a series' meetings).

A rule is stored as one line without its "RRULE:" prefix and without a DTSTART: the start is the slot's or
the series' own. Starts are computed on local wall-clock time, so that 19:00 stays 19:00 whatever the UTC
offset of the day.
"""
import datetime as dt
import re
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


# --- the rule in plain words -------------------------------------------------------------------------------
# The choices a form offers instead of RRULE text: 每天 / 每周 on chosen weekdays / 每月第 N 个周X / 每月 N 日.
# The time of day is not part of a stored rule (a rota slot and a series hold their own start), so ``build``
# leaves it out and ``describe`` takes it as an argument.

DAILY, WEEKLY, MONTHLY_NTH, MONTHLY_DAY = "daily", "weekly", "monthly_nth", "monthly_day"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Monday = 0, as Python's weekday() and a rota slot
NTH_VALUES = (1, 2, 3, 4, -1)                            # -1: the last one of the month
_DAY_NAMES = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
_NTH_NAMES = {1: pgettext_lazy("recurrence", "第一个"), 2: pgettext_lazy("recurrence", "第二个"),
              3: pgettext_lazy("recurrence", "第三个"), 4: pgettext_lazy("recurrence", "第四个"),
              -1: pgettext_lazy("recurrence", "最后一个")}


@dataclass(frozen=True)
class Plain:
    """A rule as a person picks it. ``weekdays``: 0–6 (每周); ``nth`` and ``weekday`` (每月第 N 个周X);
    ``monthday``: 1–31 (每月 N 日)."""
    kind: str
    weekdays: tuple = ()
    nth: int | None = None
    weekday: int | None = None
    monthday: int | None = None


def build(plain: Plain) -> str:
    """The stored rule of plain choices (as ``rule_clean`` keeps it); ValueError when a choice is missing."""
    if plain.kind == DAILY:
        return "FREQ=DAILY"
    if plain.kind == WEEKLY:
        days = sorted(set(plain.weekdays))
        if not days or not all(0 <= d <= 6 for d in days):
            raise ValueError("weekdays")
        return "FREQ=WEEKLY;BYDAY=" + ",".join(DAY_CODES[d] for d in days)
    if plain.kind == MONTHLY_NTH:
        if plain.nth not in NTH_VALUES or plain.weekday not in range(7):
            raise ValueError("nth")
        return f"FREQ=MONTHLY;BYDAY={plain.nth}{DAY_CODES[plain.weekday]}"
    if plain.kind == MONTHLY_DAY:
        if plain.monthday not in range(1, 32):
            raise ValueError("monthday")
        return f"FREQ=MONTHLY;BYMONTHDAY={plain.monthday}"
    raise ValueError("kind")


_NTH_DAY = re.compile(r"^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$")


def plain(rule: str) -> Plain | None:
    """The plain choices a rule means, or None when it says more than they can (an interval, a count, an end
    date, several months…): such a rule is kept as text, under 高级."""
    try:
        text = rule_clean(rule)
    except InvalidRule:
        return None
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    if len(parts) != len(text.split(";")) or parts.pop("INTERVAL", "1") != "1":
        return None
    freq = parts.pop("FREQ")
    if freq == "DAILY" and not parts:
        return Plain(DAILY)
    if freq == "WEEKLY" and set(parts) <= {"BYDAY"}:
        codes = parts.get("BYDAY", "").split(",") if parts else []
        if not codes or not all(c in DAY_CODES for c in codes):
            return None
        found = Plain(WEEKLY, weekdays=tuple(sorted({DAY_CODES.index(c) for c in codes})))
        return Plain(DAILY) if len(found.weekdays) == 7 else found
    if freq == "MONTHLY" and set(parts) == {"BYDAY"}:
        match = _NTH_DAY.match(parts["BYDAY"])
        if match:
            return Plain(MONTHLY_NTH, nth=int(match.group(1)), weekday=DAY_CODES.index(match.group(2)))
    if freq == "MONTHLY" and set(parts) == {"BYMONTHDAY"} and parts["BYMONTHDAY"].isdigit():
        day = int(parts["BYMONTHDAY"])
        if 1 <= day <= 31:
            return Plain(MONTHLY_DAY, monthday=day)
    return None


def _anchored(rule: str, start: dt.date) -> str:
    """A weekly rule without BYDAY meets on its start's weekday, a monthly one without BYDAY or BYMONTHDAY on its
    start's day of the month (RFC 5545: what the rule leaves out comes from DTSTART): the rule with that part
    written out, when the plain words can then say it; otherwise the rule as it is."""
    try:
        text = rule_clean(rule)
    except InvalidRule:
        return rule
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    if parts.get("FREQ") == "WEEKLY" and "BYDAY" not in parts:
        written = f"{text};BYDAY={DAY_CODES[start.weekday()]}"
    elif parts.get("FREQ") == "MONTHLY" and not {"BYDAY", "BYMONTHDAY"} & set(parts):
        written = f"{text};BYMONTHDAY={start.day}"
    else:
        return rule
    return written if plain(written) is not None else rule


def describe(rule: str, *, at: dt.time | None = None, start: dt.date | None = None) -> str:
    """The rule as a sentence in the reader's language ("每周二 19:00", "每月第一个周二 19:00"); a rule the plain
    words cannot say is named as a custom rule with its text. ``start``: the (local) day of the first start, which
    says the day of a bare "FREQ=WEEKLY" or "FREQ=MONTHLY"."""
    if rule and start is not None:
        rule = _anchored(rule, start)
    choice = plain(rule) if rule else None
    if choice is None:
        words = gettext("自定义规则 %(rule)s") % {"rule": (rule or "").strip()}
    elif choice.kind == DAILY:
        words = gettext("每天")
    elif choice.kind == WEEKLY:
        words = gettext("每%(days)s") % {"days": gettext("、").join(str(_DAY_NAMES[d]) for d in choice.weekdays)}
    elif choice.kind == MONTHLY_NTH:
        words = gettext("每月%(nth)s%(day)s") % {"nth": _NTH_NAMES[choice.nth], "day": _DAY_NAMES[choice.weekday]}
    else:
        words = gettext("每月%(day)s日") % {"day": choice.monthday}
    return f"{words} {at:%H:%M}" if at else words


def describe_weekdays(weekdays, *, at: dt.time | None = None) -> str:
    """A rota slot kept as weekdays (no rule), said the same way."""
    days = tuple(sorted(set(weekdays)))
    if not days:
        return ""
    return describe("FREQ=DAILY" if len(days) == 7 else build(Plain(WEEKLY, weekdays=days)), at=at)
