"""THE parking fee function, table-driven (RULES.md "Parking fees, computed"): the village example (first hour
free, then ¥3 an hour, ¥30 a day at most) and a standard with a first block, day and night bands and band caps."""
import datetime as dt
from decimal import Decimal

import pytest

from propertyservice.parking_fee import HOURS_24, RESTART, Band, FeeError, Standard, parking_fee

from .world import SHANGHAI

D = Decimal
T = dt.time

# The RULES.md village example (浦东曹路镇众三村, 2022) as the demo's standard v1.
VILLAGE = Standard(version=1, free_minutes=60, bands=(Band(T(0), T(0), 60, D("3")),), daily_cap=D("30"),
                   grace_minutes=15)
VILLAGE_24H = Standard(version=2, free_minutes=60, bands=(Band(T(0), T(0), 60, D("3")),), daily_cap=D("30"),
                       cap_mode=HOURS_24)
# Day band 08:00–20:00 ¥2 per 30 min capped ¥20, night 20:00–08:00 ¥1 per hour capped ¥5; 15 min free; first
# hour ¥5 flat; ¥25 a day.
BANDED = Standard(version=3, free_minutes=15, first_block_minutes=60, first_block_price=D("5"),
                  bands=(Band(T(8), T(20), 30, D("2"), D("20")), Band(T(20), T(8), 60, D("1"), D("5"))),
                  daily_cap=D("25"))
NO_CAP_BANDS = Standard(version=4, bands=(Band(T(8), T(20), 30, D("2")), Band(T(20), T(8), 60, D("1"))))
RESTARTING = Standard(version=5, free_minutes=60, bands=(Band(T(0), T(0), 60, D("3")),), daily_cap=D("30"),
                      cross_day=RESTART)
ODD = Standard(version=6, bands=(Band(T(0), T(0), 45, D("1.005")),))


def t(day, hour, minute=0):
    return dt.datetime(2026, 3, 10 + day, hour, minute, tzinfo=SHANGHAI)


ROWS = [
    # (case, standard, entry, exit, class, whitelisted, paid_until, expected)
    ("within free minutes", VILLAGE, t(0, 9), t(0, 9, 40), "car", False, None, "0.00"),
    ("exactly on the free boundary", VILLAGE, t(0, 9), t(0, 10), "car", False, None, "0.00"),
    ("one minute past free", VILLAGE, t(0, 9), t(0, 10, 1), "car", False, None, "3.00"),
    ("3 h 20 min: 2 h 20 charged, 3 hours", VILLAGE, t(0, 9), t(0, 12, 20), "car", False, None, "9.00"),
    ("village daily cap", VILLAGE, t(0, 8), t(0, 23), "car", False, None, "30.00"),
    ("village calendar days: cap twice", VILLAGE, t(0, 8), t(1, 20), "car", False, None, "60.00"),
    ("calendar day: evening to morning is two days", VILLAGE, t(0, 20), t(1, 8), "car", False, None, "33.00"),
    ("24 h since entry: evening to morning is one period", VILLAGE_24H, t(0, 20), t(1, 8), "car", False, None, "30.00"),
    ("multi-day stay, 24 h periods", VILLAGE_24H, t(0, 9), t(3, 10), "car", False, None, "93.00"),
    ("first block only", BANDED, t(0, 9), t(0, 10, 15), "car", False, None, "5.00"),
    ("first block then the day band", BANDED, t(0, 9), t(0, 10, 16), "car", False, None, "7.00"),
    ("entry before the day band starts (night then day)", BANDED, t(0, 6), t(0, 9, 30), "car", False, None, "12.00"),
    ("crossing the 20:00 band boundary", BANDED, t(0, 17), t(0, 21, 30), "car", False, None, "15.00"),
    ("exit exactly on the 20:00 boundary", BANDED, t(0, 17), t(0, 20), "car", False, None, "13.00"),
    ("day band cap ¥20", BANDED, t(0, 7, 45), t(0, 19, 0), "car", False, None, "25.00"),
    ("band caps without a daily cap", NO_CAP_BANDS, t(0, 8), t(0, 20), "car", False, None, "48.00"),
    ("overnight across midnight, night band capped per day", BANDED, t(0, 21), t(1, 7), "car", False, None, "12.00"),
    ("calendar daily cap ¥25 with a band at ¥20", BANDED, t(0, 7), t(0, 23), "car", False, None, "25.00"),
    ("cross-day restart: a new free hour each day", RESTARTING, t(0, 22), t(1, 2), "car", False, None, "6.00"),
    ("exempt: police", VILLAGE, t(0, 9), t(1, 9), "police", False, None, "0.00"),
    ("exempt: fire", BANDED, t(0, 9), t(0, 18), "fire", False, None, "0.00"),
    ("exempt: ambulance and sanitation", VILLAGE, t(0, 9), t(0, 18), "sanitation", False, None, "0.00"),
    ("whitelisted villager", VILLAGE, t(0, 6), t(2, 6), "car", True, None, "0.00"),
    ("paid, leaving inside the grace", VILLAGE, t(0, 9), t(0, 12, 10), "car", False, t(0, 12), "0.00"),
    ("paid, leaving exactly at the grace's end", VILLAGE, t(0, 9), t(0, 12, 15), "car", False, t(0, 12), "0.00"),
    ("paid, staying past the grace: charged from paid-until", VILLAGE, t(0, 9), t(0, 12, 16), "car", False, t(0, 12), "3.00"),
    ("paid, two more hours", VILLAGE, t(0, 9), t(0, 14, 0), "car", False, t(0, 12), "6.00"),
    ("paid up to the day's cap, staying on that day: nothing more", VILLAGE, t(0, 8), t(0, 22), "car", False, t(0, 20), "0.00"),
    ("paid up to the day's cap, staying past midnight: the new day", VILLAGE, t(0, 8), t(1, 2), "car", False, t(0, 20), "6.00"),
    ("rounded half-up to the cent", ODD, t(0, 9), t(0, 9, 40), "car", False, None, "1.01"),
    ("zero-length stay", VILLAGE, t(0, 9), t(0, 9), "car", False, None, "0.00"),
]


@pytest.mark.parametrize("case,standard,entry,exit,vehicle_class,whitelisted,paid_until,expected", ROWS,
                         ids=[row[0] for row in ROWS])
def test_fee_table(case, standard, entry, exit, vehicle_class, whitelisted, paid_until, expected):
    fee = parking_fee(entry=entry, exit=exit, vehicle_class=vehicle_class, whitelisted=whitelisted,
                      standard=standard, paid_until=paid_until)
    assert fee.amount == Decimal(expected)
    assert fee.amount >= 0 and fee.amount.as_tuple().exponent == -2
    assert fee.version == standard.version
    assert fee.lines, "every fee explains itself"


def test_exit_before_entry_is_refused():
    with pytest.raises(FeeError, match="早于"):
        parking_fee(entry=t(0, 10), exit=t(0, 9), vehicle_class="car", whitelisted=False, standard=VILLAGE)


def test_exempt_line_cites_article_61():
    fee = parking_fee(entry=t(0, 9), exit=t(0, 18), vehicle_class="ambulance", whitelisted=False, standard=VILLAGE)
    assert "第六十一条" in fee.lines[0].label


@pytest.mark.parametrize("paid_until", [None, t(0, 12)])
def test_breakdown_sums_to_the_amount(paid_until):
    fee = parking_fee(entry=t(0, 7), exit=t(1, 9), vehicle_class="car", whitelisted=False, standard=BANDED,
                      paid_until=paid_until)
    assert sum(line.amount for line in fee.lines) == fee.amount
