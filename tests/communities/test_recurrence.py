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
