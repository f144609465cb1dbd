"""The fund's facts every area reads: a balance, whether the fund is frozen (now or on a day), the half-year a
day falls in (one query each at most)."""
import datetime as dt
from decimal import Decimal

from django.db.models import Q

from communities.sums import DecimalSum

from ..models import FundEntry, FundFreeze

CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """A sum of amounts to the cent. SQLite sums a DecimalField as a float and Django hands the aggregate back
    with 15 significant digits (``18423628.4800000``, ``779966.610000001``); PostgreSQL already answers exact
    cents. Every aggregate of ``FundEntry.amount`` goes through here, so pages, comparisons (the 30 % line) and
    the statement agree on both databases. ``None`` (no rows) is zero."""
    return (Decimal(value) if value is not None else Decimal(0)).quantize(CENT)


def fund_balance(*, community, building_id=None, unit_ids=None, on=None) -> Decimal:
    rows = FundEntry.objects.filter(community=community)
    if building_id is not None:
        rows = rows.filter(building_id=building_id)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    if on is not None:
        rows = rows.filter(booked_on__lte=on)
    return cents(rows.aggregate(total=DecimalSum("amount"))["total"])


def open_freeze(*, community) -> FundFreeze | None:
    return FundFreeze.objects.filter(community=community, lifted_on__isnull=True).first()


def freeze_on(*, community, on: dt.date) -> FundFreeze | None:
    """The freeze in force on ``on``: started on or before it and not lifted before or on it (the day it is
    lifted the fund is free again)."""
    return (FundFreeze.objects.filter(community=community, started_on__lte=on)
            .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=on)).first())


def half_year(on: dt.date) -> tuple[dt.date, dt.date]:
    """The statement period (art. 67) ``on`` falls in: 1 Jan–30 Jun or 1 Jul–31 Dec."""
    if on.month <= 6:
        return dt.date(on.year, 1, 1), dt.date(on.year, 6, 30)
    return dt.date(on.year, 7, 1), dt.date(on.year, 12, 31)


def half_year_ended_before(on: dt.date) -> tuple[dt.date, dt.date]:
    """The last half-year that ended before ``on`` (on 1 Jul 2025: 1 Jan–30 Jun 2025)."""
    start, _end = half_year(on)
    return half_year(start - dt.timedelta(days=1))
