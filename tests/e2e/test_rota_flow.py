"""One mediation-room duty swapped and checked into, on a phone, in Chinese (issue 4, item 10, first half).

陈师傅(二房东)在「我的值班」里看到明天的调解室值班 → 换出这个班 → 刘师傅在「换班广场」里接班 → 换出人、
接班人和负责人(居委小张)都收到站内消息 → 值班当天(时钟拨到班次开始后 10 分钟)刘师傅打开班次页面签到。
Every page is axe-checked (visit()/follow()).

The browser cannot pass ``now=`` to the services as the rota unit tests do, so the day of the shift is
reached by patching ``django.utils.timezone.now`` for the whole process (the live server's thread included).
The app reads the clock only as ``timezone.now()`` (nothing imports ``now`` by name), so that one patch
covers the views, selectors and services.
"""
import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Notification, Role, Shift, ShiftAssignment, SwapOffer
from communities.services.rota_generation import rota_generate_shifts

from ..communities.rota_helpers import make_rota
from ..factories import make_member
from .a11y import assert_accessible
from .flows import follow, log_in, log_out, open_menu

ROTA = "调解室值班"
REASON = "明天上午要陪老母亲去医院复查。"


@pytest.fixture
def landlord2(community):
    return make_member(community, Role.SUBLANDLORD, username="landlord2", name="刘师傅")


@pytest.fixture
def tomorrows_shift(outbox, community, landlord, landlord2, committee_staff):
    """蓉庭's 调解室值班 (managed by 居委小张) with 陈师傅 and 刘师傅 on it, one 09:00–12:00 shift a week, on
    tomorrow's weekday: generated from now, its only shift is tomorrow's, and it is 陈师傅's (first in order)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    rota = make_rota(community, [landlord, landlord2], name=ROTA, manager=committee_staff,
                     weekdays=[tomorrow.weekday()], slots=((9, 12, 1),))
    now = timezone.now()
    rota_generate_shifts(rota=rota, until=now + dt.timedelta(days=2), now=now)
    shift = Shift.objects.get(rota=rota)
    assert timezone.localtime(shift.starts_at) == timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9)))
    assert list(shift.assignments.values_list("user__username", flat=True)) == ["landlord"]
    return shift


def switch_user(page, username, password):
    log_out(page)
    log_in(page, username, password)


def open_my_shifts(page):
    follow(page, open_menu(page).get_by_role("link", name="我的值班", exact=True))
    expect(page.get_by_role("heading", name="我的值班", level=1)).to_be_visible()


def section(page, title):
    """The list under one of the 我的值班 page's headings (今天, 接下来两周, 我发起的换班, 我可以接的班)."""
    return page.get_by_role("main").locator(f"h2:text-is('{title}') + ul").get_by_role("listitem")


def test_duty_swapped_in_the_market_and_checked_into_on_the_day(page, tomorrows_shift, password, outbox,
                                                               artifacts_dir, landlord, landlord2,
                                                               committee_staff):
    shift = tomorrows_shift
    assignment = shift.assignments.get()
    start = timezone.localtime(shift.starts_at)
    when = f"{start:%m-%d}"  # as the lists show it: "11-28 周六 09:00–12:00"
    label = f"{ROTA} {start:%m-%d %H:%M}–12:00"  # rota_duty.shift_label, as the notifications name the shift

    # --- 陈师傅 sees tomorrow's duty and offers it for a swap ----------------------------------------------
    log_in(page, "landlord", password)
    open_my_shifts(page)
    expect(section(page, "今天")).to_have_text(["今天没有您的班。"])
    upcoming = section(page, "接下来两周")
    expect(upcoming).to_have_count(1)
    expect(upcoming).to_contain_text(ROTA)
    expect(upcoming).to_contain_text(re.compile(rf"{when} \S+ 09:00–12:00"))
    expect(upcoming).to_contain_text("蓉治社接待室")
    follow(page, upcoming.get_by_role("link", name=ROTA, exact=True))
    expect(page).to_have_url(f"/shifts/{shift.pk}/")
    expect(page.get_by_role("heading", name=ROTA, level=1)).to_be_visible()
    expect(page.get_by_role("main").locator("dd").filter(has_text="陈师傅")).to_be_visible()
    page.get_by_role("textbox", name="换班原因(可选)").fill(REASON)
    assert_accessible(page)  # the filled-in form
    follow(page, page.get_by_role("button", name="换出这个班", exact=True))
    expect(page).to_have_url(f"/shifts/{shift.pk}/")
    expect(page.get_by_role("status").filter(has_text="已发起换班，等待其他成员接班。")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("这个班正在换班中，等待其他成员接班。")
    expect(page.get_by_role("button", name="撤回换班", exact=True)).to_be_visible()
    offer = SwapOffer.objects.get(assignment=assignment)
    assert offer.status == SwapOffer.Status.OPEN and offer.offered_by == landlord and offer.reason == REASON

    open_my_shifts(page)
    expect(section(page, "接下来两周")).to_contain_text("换班中")
    expect(section(page, "我发起的换班")).to_contain_text(f"陈师傅 换出：{REASON}")

    # --- 刘师傅 finds it in the swap market and takes it ------------------------------------------------------
    switch_user(page, "landlord2", password)
    open_my_shifts(page)
    expect(section(page, "接下来两周")).to_have_text(["接下来两周没有排到您。"])
    follow(page, page.get_by_role("main").get_by_role("link", name="换班广场", exact=True))
    expect(page.get_by_role("heading", name="换班广场", level=1)).to_be_visible()
    market = page.get_by_role("main").get_by_role("listitem")
    expect(market).to_have_count(1)
    expect(market).to_contain_text(ROTA)
    expect(market).to_contain_text(re.compile(rf"{when} \S+ 09:00–12:00"))
    expect(market).to_contain_text(f"陈师傅 换出：{REASON}")
    page.screenshot(path=str(artifacts_dir / "rota-swap-market.png"), full_page=True)
    follow(page, market.get_by_role("button", name="我来接班", exact=True))
    expect(page).to_have_url(f"/shifts/{shift.pk}/")
    expect(page.get_by_role("status").filter(has_text="接班成功，已通知对方和负责人。")).to_be_visible()
    on_duty = page.get_by_role("main").locator("dd").filter(has_text="刘师傅")
    expect(on_duty).to_be_visible()
    expect(on_duty).not_to_contain_text("陈师傅")
    expect(page.get_by_role("button", name="签到", exact=True)).to_be_visible()  # hers now (it opens on the day)

    offer.refresh_from_db()
    assignment.refresh_from_db()
    assert offer.status == SwapOffer.Status.TAKEN and offer.taken_by == landlord2
    assert assignment.user == landlord2 and assignment.swapped and assignment.checked_in_at is None

    # --- the giver, the taker and the manager are told ---------------------------------------------------------
    told = {note.recipient.username: note for note in Notification.objects.select_related("recipient")}
    assert sorted(told) == ["landlord", "landlord2", "staff"]
    assert told["landlord"].title == f"刘师傅 接了您的班：{label}"
    assert told["landlord2"].title == f"您已接班：{label}"
    assert told["staff"].title == f"换班：{label} 由 陈师傅 换给 刘师傅"
    assert {note.url for note in told.values()} == {f"/shifts/{shift.pk}/"}
    # Every notification went through the outbox (written, then queued after commit).
    assert sorted(outbox) == sorted(note.pk for note in told.values())

    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name=re.compile("^消息")))
    expect(page.get_by_role("heading", name="消息", level=1)).to_be_visible()
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text=f"您已接班：{label}")).to_have_count(1)

    switch_user(page, "landlord", password)  # the giver's inbox; the shift is off his list
    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name=re.compile("^消息")))
    expect(page.get_by_role("main").get_by_role("listitem").filter(
        has_text=f"刘师傅 接了您的班：{label}")).to_have_count(1)
    open_my_shifts(page)
    expect(section(page, "接下来两周")).to_have_text(["接下来两周没有排到您。"])
    expect(section(page, "我发起的换班")).to_have_text(["没有进行中的换班。"])
    # Signed out before the clock moves: a session is good for 12 hours, and tomorrow 09:10 may be further away.
    log_out(page)

    # --- on the day, ten minutes into the shift, 刘师傅 checks in ---------------------------------------------
    checked_in_at = shift.starts_at + dt.timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=checked_in_at):
        log_in(page, "landlord2", password)
        open_my_shifts(page)
        today = section(page, "今天")  # the live server sees the moved clock: the shift is today's now
        expect(today).to_have_count(1)
        expect(today).to_contain_text(ROTA)
        follow(page, today.get_by_role("link", name=ROTA, exact=True))
        expect(page).to_have_url(f"/shifts/{shift.pk}/")
        follow(page, page.get_by_role("button", name="签到", exact=True))
        expect(page).to_have_url(f"/shifts/{shift.pk}/")
        expect(page.get_by_role("status").filter(has_text="已签到。")).to_be_visible()
        expect(page.get_by_role("main").locator("dd").filter(has_text="刘师傅")).to_contain_text("刘师傅 · 签到 09:10")
        expect(page.get_by_role("button", name="签退", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="签到", exact=True)).to_have_count(0)
        page.screenshot(path=str(artifacts_dir / "rota-checked-in.png"), full_page=True)
        open_my_shifts(page)
        expect(section(page, "今天")).to_contain_text("值班中")

    assignment.refresh_from_db()
    assert assignment.user == landlord2 and assignment.checked_in_at == checked_in_at
    assert assignment.checked_out_at is None and assignment.missed_at is None
    assert list(shift.assignments.values_list("user__username", flat=True)) == ["landlord2"]
    assert not ShiftAssignment.objects.filter(user=landlord).exists()
