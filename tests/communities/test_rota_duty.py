"""A shift's life: swap offers and takes (with the reasons a taker is refused), check-in and check-out
windows, missed shifts, coverage gaps, reminders exactly once, and the private iCal feed."""
import datetime as dt

import pytest
from icalendar import Calendar

from communities import tasks
from communities.models import AuditEvent, MemberQualification, Notification, Rota, ShiftAssignment, SwapOffer
from communities.selectors.clock import assignments_to_remind, shifts_with_gaps
from communities.selectors.rota_feed import feed_render, feed_user
from communities.services import rota_clock
from communities.services.errors import DomainError
from communities.services.rota_duty import shift_check_in, shift_check_out, swap_offer, swap_take, swap_withdraw
from communities.services.rota_ical import feed_token_renew, feed_token_revoke

from ..factories import make_member
from .rota_helpers import HOUR, MONDAY, at, generate, make_rota, members, qualify

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def manager(community):
    return make_member(community, "committee_staff", username="rota_manager", name="值班负责人")


@pytest.fixture
def rota(community, manager):
    rota = make_rota(community, members(community, 3), manager=manager)
    generate(rota, days=7)
    return rota


def assignment(rota, day, hour=9):
    return ShiftAssignment.objects.select_related("shift", "user").get(shift__rota=rota, shift__starts_at=at(day, hour))


def told(user, text) -> int:
    return Notification.objects.filter(recipient=user, title__contains=text).count()


# --- swaps --------------------------------------------------------------------------------------------

def test_swap_offer_and_take_tells_both_and_the_manager(rota, manager):
    mine = assignment(rota, 2)  # Wednesday: duty2
    giver, taker = mine.user, next(m.user for m in rota.members.all() if m.user_id != mine.user_id)
    offer, created = swap_offer(assignment_id=mine.pk, actor=giver, reason="家里有事", now=MONDAY)
    assert created and offer.status == SwapOffer.Status.OPEN
    assert swap_offer(assignment_id=mine.pk, actor=giver, now=MONDAY) == (offer, False)  # a double click

    # duty0 is on duty Monday and Thursday, not Wednesday: free to take it.
    taker = rota.members.get(order=0).user
    offer, changed = swap_take(offer_id=offer.pk, actor=taker, now=MONDAY + HOUR)
    assert changed
    mine.refresh_from_db()
    assert (mine.user_id, mine.swapped) == (taker.pk, True)
    assert told(giver, "接了您的班") == 1
    assert told(taker, "您已接班") == 1
    assert told(manager, "换班") == 1
    assert swap_take(offer_id=offer.pk, actor=taker, now=MONDAY + HOUR)[1] is False
    assert AuditEvent.objects.filter(action="rota.swap_take").count() == 1


def test_only_the_assignee_may_offer(rota):
    mine = assignment(rota, 2)
    other = rota.members.get(order=0).user
    with pytest.raises(DomainError, match="只能换出自己的班次"):
        swap_offer(assignment_id=mine.pk, actor=other, now=MONDAY)
    assert not SwapOffer.objects.exists()


def test_taker_on_duty_then_is_refused(community, rota):
    mine = assignment(rota, 2)
    taker = rota.members.get(order=0).user
    other = make_rota(community, [taker], name="巡逻", slots=((10, 11, 1),))
    generate(other, days=7)
    offer, _ = swap_offer(assignment_id=mine.pk, actor=mine.user, now=MONDAY)
    with pytest.raises(DomainError, match="时间冲突"):
        swap_take(offer_id=offer.pk, actor=taker, now=MONDAY)
    offer.refresh_from_db()
    mine.refresh_from_db()
    assert offer.status == SwapOffer.Status.OPEN and mine.user_id != taker.pk and not mine.swapped


def test_taker_without_the_qualification_is_refused(community, manager):
    users = members(community, 3)
    qualification = qualify(community, users[:2], name="消防培训")
    MemberQualification.objects.create(user=users[2], qualification=qualification, expires_on=at(1, 0).date())
    untrained = make_member(community, "sublandlord", username="untrained")
    rota = make_rota(community, users + [untrained], qualification=qualification, manager=manager)
    generate(rota, days=4)
    thursday = assignment(rota, 3)
    assert thursday.user_id in {users[0].pk, users[1].pk}
    offer, _ = swap_offer(assignment_id=thursday.pk, actor=thursday.user, now=MONDAY)
    with pytest.raises(DomainError, match="资质已于 2026-03-03 过期"):
        swap_take(offer_id=offer.pk, actor=users[2], now=MONDAY)
    with pytest.raises(DomainError, match="需要“消防培训”资质，您还没有"):
        swap_take(offer_id=offer.pk, actor=untrained, now=MONDAY)
    thursday.refresh_from_db()
    assert not thursday.swapped


def test_non_member_and_own_offer_and_started_shift_are_refused(community, rota):
    mine = assignment(rota, 2)
    offer, _ = swap_offer(assignment_id=mine.pk, actor=mine.user, now=MONDAY)
    stranger = make_member(community, "sublandlord", username="stranger")
    with pytest.raises(DomainError, match="不是“调解室值班”的值班成员"):
        swap_take(offer_id=offer.pk, actor=stranger, now=MONDAY)
    with pytest.raises(DomainError, match="不能接自己换出的班"):
        swap_take(offer_id=offer.pk, actor=mine.user, now=MONDAY)
    with pytest.raises(DomainError, match="班次已开始"):
        swap_take(offer_id=offer.pk, actor=rota.members.get(order=0).user, now=at(2, 9, 1))


def test_withdraw(rota):
    mine = assignment(rota, 2)
    offer, _ = swap_offer(assignment_id=mine.pk, actor=mine.user, now=MONDAY)
    assert swap_withdraw(offer_id=offer.pk, actor=mine.user, now=MONDAY)
    assert not swap_withdraw(offer_id=offer.pk, actor=mine.user, now=MONDAY)
    with pytest.raises(DomainError, match="已被他人接走或已撤回"):
        swap_take(offer_id=offer.pk, actor=rota.members.get(order=0).user, now=MONDAY)


# --- check-in and check-out ---------------------------------------------------------------------------

def test_check_in_window(rota):
    mine = assignment(rota, 1)  # Tuesday 09:00–12:00
    with pytest.raises(DomainError, match="还没到签到时间"):
        shift_check_in(assignment_id=mine.pk, actor=mine.user, now=at(1, 8, 29))
    with pytest.raises(DomainError, match="只有值班人本人可以签到"):
        shift_check_in(assignment_id=mine.pk, actor=rota.members.get(order=0).user, now=at(1, 8, 30))
    assert shift_check_in(assignment_id=mine.pk, actor=mine.user, now=at(1, 8, 30))
    assert not shift_check_in(assignment_id=mine.pk, actor=mine.user, now=at(1, 8, 31))
    mine.refresh_from_db()
    assert mine.checked_in_at == at(1, 8, 30)


def test_one_check_in_window_for_the_service_and_the_page(rota):
    from communities.selectors.rotas import check_in_window

    mine = assignment(rota, 1)  # Tuesday 09:00–12:00
    window = check_in_window(mine.shift)
    assert (window.opens_at, window.closes_at) == (at(1, 8, 30), at(1, 12))
    assert [window.state(t) for t in (at(1, 8, 29), at(1, 8, 30), at(1, 12), at(1, 12, 1))] == [
        "early", "open", "open", "closed"]
    with pytest.raises(DomainError, match="08:30"):
        shift_check_in(assignment_id=mine.pk, actor=mine.user, now=window.opens_at - dt.timedelta(seconds=1))
    assert shift_check_in(assignment_id=mine.pk, actor=mine.user, now=window.closes_at)


def test_check_in_after_the_end_is_refused(rota):
    mine = assignment(rota, 1)
    with pytest.raises(DomainError, match="班次已结束"):
        shift_check_in(assignment_id=mine.pk, actor=mine.user, now=at(1, 12, 1))


def test_check_out_needs_check_in_and_closes_two_hours_after(rota):
    mine = assignment(rota, 1)
    with pytest.raises(DomainError, match="请先签到"):
        shift_check_out(assignment_id=mine.pk, actor=mine.user, now=at(1, 12))
    shift_check_in(assignment_id=mine.pk, actor=mine.user, now=at(1, 9))
    with pytest.raises(DomainError, match="超过 2 小时"):
        shift_check_out(assignment_id=mine.pk, actor=mine.user, now=at(1, 14, 1))
    assert shift_check_out(assignment_id=mine.pk, actor=mine.user, now=at(1, 12, 5))
    assert not shift_check_out(assignment_id=mine.pk, actor=mine.user, now=at(1, 12, 6))


# --- the clock ------------------------------------------------------------------------------------------

def test_missed_when_no_check_in_by_the_end(rota):
    monday, tuesday = assignment(rota, 0), assignment(rota, 1)
    shift_check_in(assignment_id=tuesday.pk, actor=tuesday.user, now=at(1, 9))
    assert rota_clock.shifts_mark_missed(now=at(0, 11, 59)) == 0
    assert rota_clock.shifts_mark_missed(now=at(2, 0)) == 1
    assert rota_clock.shifts_mark_missed(now=at(2, 1)) == 0
    monday.refresh_from_db()
    tuesday.refresh_from_db()
    assert monday.missed_at == at(2, 0) and tuesday.missed_at is None


def test_coverage_gap_alerts_the_manager_once(community, manager):
    lonely = members(community, 1)
    rota = make_rota(community, lonely, name="夜间巡逻", slots=((9, 12, 2),), manager=manager)
    generate(rota, days=3)
    assert len(shifts_with_gaps(now=MONDAY)) == 2  # within 48 hours: Monday and Tuesday
    for shift_id in shifts_with_gaps(now=MONDAY):
        assert rota_clock.shift_alert_gap(shift_id=shift_id, now=MONDAY)
        assert not rota_clock.shift_alert_gap(shift_id=shift_id, now=MONDAY)
    assert shifts_with_gaps(now=MONDAY) == []
    assert told(manager, "缺岗提醒") == 2
    assert told(manager, "还差 1 人") == 2


def test_full_shifts_raise_no_gap(rota, manager):
    assert shifts_with_gaps(now=MONDAY) == []


def test_gap_without_manager_goes_to_committee_staff(community, committee_staff):
    rota = make_rota(community, [], name="空表", slots=((9, 12, 1),))
    generate(rota, days=1)
    (shift_id,) = shifts_with_gaps(now=MONDAY)
    rota_clock.shift_alert_gap(shift_id=shift_id, now=MONDAY)
    assert told(committee_staff, "缺岗提醒") == 1


def test_reminders_the_day_before_and_two_hours_before_each_once(rota):
    mine = assignment(rota, 1)  # Tuesday 09:00
    day_before = at(0, 9, 5)
    assert mine.pk not in assignments_to_remind(kind="day_before", now=at(0, 8, 59))
    assert mine.pk in assignments_to_remind(kind="day_before", now=day_before)
    assert rota_clock.shift_remind(assignment_id=mine.pk, kind="day_before", now=day_before)
    assert not rota_clock.shift_remind(assignment_id=mine.pk, kind="day_before", now=day_before)
    assert mine.pk not in assignments_to_remind(kind="day_before", now=day_before + MINUTE)
    assert not rota_clock.shift_remind(assignment_id=mine.pk, kind="2h", now=at(1, 6, 59))  # not yet due
    assert rota_clock.shift_remind(assignment_id=mine.pk, kind="2h", now=at(1, 7, 5))
    assert not rota_clock.shift_remind(assignment_id=mine.pk, kind="2h", now=at(1, 7, 6))
    assert told(mine.user, "值班提醒：明天") == 1
    assert told(mine.user, "值班提醒：2 小时后") == 1


def test_a_late_day_before_reminder_is_left_to_the_two_hour_one(rota):
    mine = assignment(rota, 1)
    assert not rota_clock.shift_remind(assignment_id=mine.pk, kind="day_before", now=at(1, 7, 30))
    assert rota_clock.shift_remind(assignment_id=mine.pk, kind="2h", now=at(1, 7, 30))
    assert mine.pk not in assignments_to_remind(kind="day_before", now=at(1, 7, 31))
    assert Notification.objects.filter(recipient=mine.user).count() == 1




def test_reminder_task_run_twice_sends_once(rota, eager, monkeypatch):
    monkeypatch.setattr(rota_clock.timezone, "now", lambda: at(1, 7, 30))
    mine = assignment(rota, 1)
    tasks.start_shift_reminders.delay()
    tasks.remind_shift.delay(mine.pk, "2h")
    tasks.start_shift_reminders.delay()
    assert told(mine.user, "值班提醒") == 1


def test_swap_taker_gets_their_own_reminder(rota):
    mine = assignment(rota, 2)
    giver = mine.user
    rota_clock.shift_remind(assignment_id=mine.pk, kind="day_before", now=at(1, 9, 5))
    offer, _ = swap_offer(assignment_id=mine.pk, actor=giver, now=at(1, 10))
    taker = rota.members.get(order=0).user
    swap_take(offer_id=offer.pk, actor=taker, now=at(1, 11))
    assert mine.pk in assignments_to_remind(kind="day_before", now=at(1, 11, 5))
    assert rota_clock.shift_remind(assignment_id=mine.pk, kind="day_before", now=at(1, 11, 5))
    assert told(giver, "值班提醒") == 1 and told(taker, "值班提醒") == 1


# --- iCal -------------------------------------------------------------------------------------------------

def test_ical_feed_lists_my_shifts(rota):
    user = assignment(rota, 0).user
    token = feed_token_renew(user=user, now=MONDAY)
    assert feed_user(token=token.token) == user
    text = feed_render(user=user, now=MONDAY)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    mine = ShiftAssignment.objects.filter(user=user).count()
    assert mine == 3 and text.count("BEGIN:VEVENT") == mine
    assert "DTSTART:20260302T010000Z" in text  # 09:00 in Shanghai
    assert "SUMMARY:调解室值班：调解室值班" in text
    assert "LOCATION:蓉治社接待室" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_ical_feed_escapes_and_folds_long_chinese_text(rota):
    """Commas, semicolons and line breaks in a name survive a calendar app reading the feed, and long lines
    are folded (the feed decodes as UTF-8, so no character is split)."""
    place = "蓉治社接待室，二楼；左手第一间\n（请走东门）" + "很长的地点说明" * 8
    Rota.objects.filter(pk=rota.pk).update(name="夜间巡逻, 第一组; 备用", place=place)
    user = assignment(rota, 0).user
    text = feed_render(user=user, now=MONDAY)
    assert "LOCATION:蓉治社接待室，二楼；左手第一间\\n" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    (event, *_rest) = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["LOCATION"]) == place
    assert str(event["SUMMARY"]) == "调解室值班：夜间巡逻, 第一组; 备用"


def test_ical_token_revoke_and_renew(rota):
    user = assignment(rota, 0).user
    first = feed_token_renew(user=user, now=MONDAY)
    second = feed_token_renew(user=user, now=MONDAY)
    assert feed_user(token=first.token) is None and feed_user(token=second.token) == user
    assert feed_token_revoke(user=user)
    assert feed_user(token=second.token) is None
    assert not feed_token_revoke(user=user)
