"""Recurrence, once (communities/recurrence.py): the rule as stored, and the starts it gives in a window, the
same for a rota's slot and a meeting series."""
import datetime as dt

import pytest

from communities.recurrence import InvalidRule, rule_clean, rule_starts, starts_between
from communities.services.rotas import SlotSpec, check_slots
from communities.services.errors import DomainError


def test_rule_is_stored_in_one_form():
    assert rule_clean(" rrule:freq=weekly;byday=mo,we ") == "FREQ=WEEKLY;BYDAY=MO,WE"


@pytest.mark.parametrize(("rule", "code"), [("", "syntax"), ("FREQ=HOURLY", "frequency"), ("BYDAY=1TU", "frequency"),
                                            ("FREQ=MONTHLY;BYDAY=XX", "syntax"),
                                            ("DTSTART:20260101T190000\nRRULE:FREQ=DAILY", "syntax")])
def test_a_bad_rule_says_why(rule, code):
    with pytest.raises(InvalidRule) as err:
        rule_clean(rule)
    assert err.value.code == code


def test_starts_in_a_window_are_inclusive_wall_clock_times():
    first_tuesdays = starts_between("FREQ=MONTHLY;BYDAY=1TU", dtstart=dt.datetime(2026, 1, 6, 19, 0),
                                    first=dt.datetime(2026, 12, 1, 19, 0), last=dt.datetime(2027, 1, 5, 19, 0))
    assert first_tuesdays == [dt.datetime(2026, 12, 1, 19, 0), dt.datetime(2027, 1, 5, 19, 0)]


def test_a_rule_saved_before_cleaning_still_generates():
    stored = "DTSTART:20200101T000000\nRRULE:FREQ=WEEKLY;BYDAY=MO"
    mondays = starts_between(stored, dtstart=dt.datetime(2026, 3, 2, 9, 0), first=dt.datetime(2026, 3, 2),
                             last=dt.datetime(2026, 3, 16, 23, 59))
    assert [d.date() for d in mondays] == [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)]


def test_meeting_starts_are_aware_and_keep_their_local_hour(settings):
    from django.utils import timezone
    tz = timezone.get_default_timezone()
    starts = rule_starts(rrule="FREQ=WEEKLY", first_starts_at=dt.datetime(2026, 3, 2, 19, 0, tzinfo=tz),
                         after=dt.datetime(2026, 3, 8, tzinfo=tz), before=dt.datetime(2026, 3, 17, tzinfo=tz))
    assert [timezone.localtime(s, tz).hour for s in starts] == [19, 19] and all(s.tzinfo for s in starts)


def test_a_rota_slot_is_refused_with_the_same_rule_check():
    slot = SlotSpec(start_time=dt.time(9), end_time=dt.time(12), rrule="FREQ=HOURLY")
    with pytest.raises(DomainError) as err:
        check_slots([slot])
    assert "无法识别" in str(err.value.message)


# --- the rule in plain words (issue 12, item 9) ---------------------------------------------------------------

from communities.recurrence import (  # noqa: E402
    DAILY,
    MONTHLY_DAY,
    MONTHLY_NTH,
    WEEKLY,
    Plain,
    build,
    describe,
    describe_weekdays,
    plain,
)


@pytest.mark.parametrize(("choice", "rule", "words"), [
    (Plain(DAILY), "FREQ=DAILY", "每天 19:00"),
    (Plain(WEEKLY, weekdays=(1,)), "FREQ=WEEKLY;BYDAY=TU", "每周二 19:00"),
    (Plain(WEEKLY, weekdays=(4, 0, 2)), "FREQ=WEEKLY;BYDAY=MO,WE,FR", "每周一、周三、周五 19:00"),
    (Plain(MONTHLY_NTH, nth=1, weekday=1), "FREQ=MONTHLY;BYDAY=1TU", "每月第一个周二 19:00"),
    (Plain(MONTHLY_NTH, nth=-1, weekday=4), "FREQ=MONTHLY;BYDAY=-1FR", "每月最后一个周五 19:00"),
    (Plain(MONTHLY_DAY, monthday=15), "FREQ=MONTHLY;BYMONTHDAY=15", "每月15日 19:00"),
])
def test_plain_choices_make_a_rule_and_the_rule_says_them_back(choice, rule, words):
    assert build(choice) == rule == rule_clean(rule)
    back = plain(rule)
    assert back == Plain(choice.kind, weekdays=tuple(sorted(choice.weekdays)), nth=choice.nth,
                         weekday=choice.weekday, monthday=choice.monthday)
    assert build(back) == rule
    assert describe(rule, at=dt.time(19, 0)) == words


def test_the_first_tuesday_rule_gives_first_tuesdays():
    rule = build(Plain(MONTHLY_NTH, nth=1, weekday=1))
    starts = starts_between(rule, dtstart=dt.datetime(2026, 1, 1, 19, 0), first=dt.datetime(2026, 1, 1),
                            last=dt.datetime(2026, 3, 31))
    assert [d.date() for d in starts] == [dt.date(2026, 1, 6), dt.date(2026, 2, 3), dt.date(2026, 3, 3)]
    last_fridays = starts_between(build(Plain(MONTHLY_NTH, nth=-1, weekday=4)),
                                  dtstart=dt.datetime(2026, 1, 1, 9, 0), first=dt.datetime(2026, 1, 1),
                                  last=dt.datetime(2026, 2, 28))
    assert [d.date() for d in last_fridays] == [dt.date(2026, 1, 30), dt.date(2026, 2, 27)]


def test_lower_case_and_prefix_are_understood_and_seven_weekdays_are_every_day():
    assert plain("rrule:freq=monthly;byday=1tu") == Plain(MONTHLY_NTH, nth=1, weekday=1)
    assert plain("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO") == Plain(WEEKLY, weekdays=(0,))
    assert plain("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU") == Plain(DAILY)
    assert describe_weekdays([6, 5], at=dt.time(8, 30)) == "每周六、周日 08:30"
    assert describe_weekdays(range(7)) == "每天"


@pytest.mark.parametrize("rule", [
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH",        # every quarter
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",          # every other week
    "FREQ=WEEKLY;BYDAY=TU;COUNT=5",
    "FREQ=MONTHLY;BYDAY=1TU,3TU",
    "FREQ=MONTHLY;BYDAY=TU",                    # every Tuesday of the month
    "FREQ=YEARLY;BYMONTH=3",
    "FREQ=DAILY;UNTIL=20261231T000000",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "not a rule", "",
])
def test_a_rule_the_plain_words_cannot_say_stays_a_rule(rule):
    assert plain(rule) is None
    if rule.startswith("FREQ"):
        assert describe(rule, at=dt.time(19, 0)) == f"自定义规则 {rule} 19:00"


@pytest.mark.parametrize("choice", [Plain(WEEKLY), Plain(WEEKLY, weekdays=(7,)), Plain(MONTHLY_NTH, nth=5, weekday=1),
                                    Plain(MONTHLY_NTH, nth=1), Plain(MONTHLY_DAY, monthday=32), Plain("hourly")])
def test_incomplete_choices_make_no_rule(choice):
    with pytest.raises(ValueError):
        build(choice)


def test_the_description_is_in_the_readers_language():
    from django.utils import translation
    with translation.override("en"):
        assert describe("FREQ=MONTHLY;BYDAY=1TU", at=dt.time(19, 0)) == "Every month on the first Tuesday 19:00"
        assert describe("FREQ=WEEKLY;BYDAY=TU,TH") == "Every Tuesday, Thursday"
        assert describe("FREQ=DAILY") == "Every day"
        assert describe("FREQ=MONTHLY;BYMONTHDAY=15") == "Every month on day 15"


@pytest.mark.parametrize("rule, start, words", [
    ("FREQ=WEEKLY", dt.date(2026, 3, 6), "每周五 19:00"),       # weekly on the first start's weekday (a Friday)
    ("RRULE:freq=weekly", dt.date(2026, 3, 2), "每周一 19:00"),
    ("FREQ=MONTHLY", dt.date(2026, 3, 15), "每月15日 19:00"),    # monthly on the first start's day
    ("FREQ=WEEKLY;BYDAY=TU", dt.date(2026, 3, 6), "每周二 19:00"),  # a rule that names its days keeps them
    ("FREQ=WEEKLY;INTERVAL=2", dt.date(2026, 3, 6), "自定义规则 FREQ=WEEKLY;INTERVAL=2 19:00"),
])
def test_a_bare_weekly_or_monthly_rule_is_said_from_its_first_start(rule, start, words):
    assert describe(rule, at=dt.time(19, 0), start=start) == words


def test_without_its_start_a_bare_weekly_rule_stays_a_rule():
    assert describe("FREQ=WEEKLY", at=dt.time(19, 0)) == "自定义规则 FREQ=WEEKLY 19:00"
