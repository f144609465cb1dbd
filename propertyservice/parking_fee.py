"""THE parking fee: one pure function of entry, exit, vehicle class, whitelist status and the fee standard version
in force at entry (RULES.md "Parking fees, computed"). No database access: the standard comes in as the frozen
``Standard`` built from the model (``FeeStandard.as_standard()``).

How a stay is charged, in order:

1. exit before entry is refused (``FeeError``);
2. an exempt class (警车, 消防, 救护, 环卫 — 《上海市住宅物业管理规定》第六十一条) or a villager's whitelisted vehicle:
   ¥0;
3. after a payment: leaving by ``paid_until`` + the grace minutes costs nothing more; later, the time after
   ``paid_until`` is charged: the whole stay's fee less the fee due up to ``paid_until`` (what was paid), so free
   minutes and the first block are not given twice and a day already paid to its cap costs nothing more;
4. the first ``free_minutes`` after entry are free (a stay of exactly the free minutes is free), then the first
   block (``first_block_minutes`` for a flat ``first_block_price``), then each time band: per band and per day
   ceil(minutes in the band / unit) × unit price, at most the band's cap; time outside every band is free;
5. each day at most ``daily_cap``: days are calendar days (local midnight) or 24 h periods from the entry
   (``cap_mode``); with the cross-day rule ``restart`` every new day is charged as a new stay (free minutes and
   first block again), with ``continue`` the charge simply runs on;
6. the sum rounded to ¥0.01 half-up, never negative.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0")
SHANGHAI = ZoneInfo("Asia/Shanghai")

EXEMPT_CLASSES = frozenset({"police", "fire", "ambulance", "sanitation"})
CALENDAR, HOURS_24 = "calendar", "24h"
CONTINUE, RESTART = "continue", "restart"


class FeeError(ValueError):
    """A stay that cannot be charged (exit before entry)."""


@dataclass(frozen=True)
class Band:
    start: dt.time
    end: dt.time            # end <= start: the band runs past midnight (20:00–08:00)
    unit_minutes: int
    unit_price: Decimal
    cap: Decimal | None = None  # at most this much per band per day

    def occurrences(self, a: dt.datetime, b: dt.datetime, tz) -> list[tuple[dt.datetime, dt.datetime]]:
        """The band's stretches of local time that overlap [a, b), clipped to it."""
        out = []
        day = a.astimezone(tz).date() - dt.timedelta(days=1)
        last = b.astimezone(tz).date()
        while day <= last:
            start = dt.datetime.combine(day, self.start, tzinfo=tz)
            end_day = day if self.end > self.start else day + dt.timedelta(days=1)
            end = dt.datetime.combine(end_day, self.end, tzinfo=tz)
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                out.append((lo, hi))
            day += dt.timedelta(days=1)
        return out


@dataclass(frozen=True)
class Standard:
    version: int
    free_minutes: int = 0
    first_block_minutes: int = 0
    first_block_price: Decimal = ZERO
    bands: tuple[Band, ...] = ()
    daily_cap: Decimal | None = None
    cap_mode: str = CALENDAR
    cross_day: str = CONTINUE
    grace_minutes: int = 15
    tz: ZoneInfo = SHANGHAI


@dataclass(frozen=True)
class FeeLine:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    version: int
    lines: tuple[FeeLine, ...] = field(default_factory=tuple)


def _money(value: Decimal) -> Decimal:
    return max(ZERO, Decimal(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _periods(entry, a, b, standard) -> list[tuple[dt.datetime, dt.datetime]]:
    """The days of [a, b): calendar days, or 24 h periods counted from the entry."""
    tz = standard.tz
    out = []
    if standard.cap_mode == HOURS_24:
        k = int((a - entry) // dt.timedelta(hours=24))
        start = entry + dt.timedelta(hours=24 * k)
    else:
        start = dt.datetime.combine(a.astimezone(tz).date(), dt.time(0), tzinfo=tz)
    while start < b:
        if standard.cap_mode == HOURS_24:
            end = start + dt.timedelta(hours=24)
        else:
            end = dt.datetime.combine(start.astimezone(tz).date() + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            out.append((lo, hi))
        start = end
    return out


def _hm(moment, tz) -> str:
    return f"{moment.astimezone(tz):%m-%d %H:%M}"


def _bands(a, b, standard) -> list[tuple[Decimal, FeeLine]]:
    lines = []
    tz = standard.tz
    for band in standard.bands:
        for lo, hi in band.occurrences(a, b, tz):
            minutes = math.ceil((hi - lo).total_seconds() / 60)
            units = math.ceil(minutes / band.unit_minutes)
            amount = units * band.unit_price
            label = _("%(lo)s–%(hi)s %(units)s×%(unit)s分钟×¥%(price)s") % {
                "lo": _hm(lo, tz), "hi": _hm(hi, tz), "units": units, "unit": band.unit_minutes,
                "price": band.unit_price}
            if band.cap is not None and amount > band.cap:
                amount = band.cap
                label += _("（本时段封顶¥%(cap)s）") % {"cap": band.cap}
            lines.append((lo, amount, FeeLine(label, _money(amount))))
    return [(amount, line) for _lo, amount, line in sorted(lines, key=lambda row: row[0])]


def _day(a, b, standard) -> tuple[Decimal, list[FeeLine]]:
    """Cross-day rule ``restart``: one day's charge over [a, b), the free minutes and first block from ``a``."""
    lines: list[FeeLine] = []
    total = ZERO
    start = a
    if standard.free_minutes:
        free_end = min(b, a + dt.timedelta(minutes=standard.free_minutes))
        lines.append(FeeLine(_("免费%(m)s分钟（至%(t)s）") % {"m": standard.free_minutes, "t": _hm(free_end, standard.tz)},
                             ZERO))
        start = free_end
    if standard.first_block_minutes and start < b:
        total += standard.first_block_price
        lines.append(FeeLine(_("首段%(m)s分钟") % {"m": standard.first_block_minutes},
                             _money(standard.first_block_price)))
        start = min(b, start + dt.timedelta(minutes=standard.first_block_minutes))
    if start < b:
        for amount, line in _bands(start, b, standard):
            total += amount
            lines.append(line)
    return total, lines


def parking_fee(*, entry: dt.datetime, exit: dt.datetime, vehicle_class: str, whitelisted: bool,
                standard: Standard, paid_until: dt.datetime | None = None) -> Fee:
    """The fee for a stay from ``entry`` to ``exit`` under ``standard`` (the version in force at entry)."""
    if exit < entry:
        raise FeeError(_("离场时间早于入场时间。"))
    if vehicle_class in EXEMPT_CLASSES:
        return Fee(ZERO.quantize(CENT), standard.version,
                   (FeeLine(_("执行任务的警车、消防车、救护车、环卫车免费（《上海市住宅物业管理规定》第六十一条）"), ZERO),))
    if whitelisted:
        return Fee(ZERO.quantize(CENT), standard.version, (FeeLine(_("本村村民登记车辆免费"), ZERO),))
    if paid_until is not None:
        if exit <= paid_until + dt.timedelta(minutes=standard.grace_minutes):
            return Fee(ZERO.quantize(CENT), standard.version,
                       (FeeLine(_("已付费，%(m)s分钟宽限期内离场") % {"m": standard.grace_minutes}, ZERO),))
        # Charged for the time after paid_until: the whole stay's fee less what was due up to paid_until, so
        # a day already paid up to its cap costs nothing more that day (the fee never falls as the stay grows).
        total, lines = _stay(entry, exit, standard)
        paid, _lines = _stay(entry, max(entry, paid_until), standard)
        lines.append(FeeLine(_("已付（至%(t)s）") % {"t": _hm(paid_until, standard.tz)},
                             -_money(paid)))
        return _finish(standard, total - _money(paid), lines)
    total, lines = _stay(entry, exit, standard)
    return _finish(standard, total, lines)


def _stay(entry, exit, standard) -> tuple[Decimal, list[FeeLine]]:
    if standard.cross_day == CONTINUE:
        return _continue(entry, entry, exit, standard)
    lines: list[FeeLine] = []
    total = ZERO
    for a, b in _periods(entry, entry, exit, standard):
        day_total, day_lines = _day(a, b, standard)
        total += _capped(day_total, day_lines, standard)
        lines.extend(day_lines)
    return total, lines


def _capped(day_total: Decimal, day_lines: list[FeeLine], standard: Standard) -> Decimal:
    if standard.daily_cap is not None and day_total > standard.daily_cap:
        day_lines.append(FeeLine(_("当日封顶¥%(cap)s（原%(sum)s）") % {"cap": standard.daily_cap, "sum": _money(day_total)},
                                 (standard.daily_cap - day_total).quantize(CENT, rounding=ROUND_HALF_UP)))
        return standard.daily_cap
    return day_total


def _continue(entry, a, exit, standard) -> tuple[Decimal, list[FeeLine]]:
    """Cross-day rule ``continue``: free minutes and the first block once from entry, then the bands; each day's
    part capped by the daily cap. The first block is counted in the day it starts."""
    tz = standard.tz
    start = a
    total = ZERO
    lines: list[FeeLine] = []
    if standard.free_minutes:
        free_end = min(exit, a + dt.timedelta(minutes=standard.free_minutes))
        lines.append(FeeLine(_("免费%(m)s分钟（至%(t)s）") % {"m": standard.free_minutes, "t": _hm(free_end, tz)}, ZERO))
        start = free_end
    head: tuple[dt.datetime, Decimal] | None = None
    if standard.first_block_minutes and start < exit:
        head = (start, standard.first_block_price)
        block_end = min(exit, start + dt.timedelta(minutes=standard.first_block_minutes))
    else:
        block_end = start
    for lo, hi in _periods(entry, a, exit, standard):
        day_lines: list[FeeLine] = []
        day_total = ZERO
        if head and lo <= head[0] < hi:
            day_total += head[1]
            day_lines.append(FeeLine(_("首段%(m)s分钟") % {"m": standard.first_block_minutes}, _money(head[1])))
        b_lo = max(lo, block_end)
        if b_lo < hi:
            for amount, line in _bands(b_lo, hi, standard):
                day_total += amount
                day_lines.append(line)
        total += _capped(day_total, day_lines, standard)
        lines.extend(day_lines)
    return total, lines


def _finish(standard: Standard, total: Decimal, lines: list[FeeLine]) -> Fee:
    return Fee(_money(total), standard.version, tuple(lines))
