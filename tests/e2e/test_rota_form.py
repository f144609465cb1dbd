"""The rota form on a 390 px phone, in Chinese (issue 12 item 9): 居委小张 creates a patrol rota, picking the
weekdays with toggle buttons and a member by name from the searchable list (two 王芳 told apart by building),
then opens it again to see the rule in plain words. No page scrolls sideways; every page is axe-checked."""
import pytest
from playwright.sync_api import expect

from communities.models import Building, Role, Rota, Unit

from ..factories import make_member
from .a11y import assert_accessible, visit
from .flows import follow, log_in



def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"


@pytest.fixture
def two_wang_fang(community):
    """Two people called 王芳 in 蓉庭, one living in 3号楼: the picker must tell them apart."""
    building = Building.objects.create(community=community, name="3号楼")
    unit = Unit.objects.create(building=building, floor=1, room="101", floor_area=60, capacity=2)
    lives = make_member(community, Role.VOLUNTEER, username="wangfang3", name="王芳", unit=unit)
    other = make_member(community, Role.VOLUNTEER, username="wangfang_other", name="王芳")
    return lives, other


def test_staff_creates_a_rota_with_weekday_buttons_and_a_member_by_name(page, live_server, password, community,
                                                                         committee_staff, two_wang_fang):
    lives, other = two_wang_fang
    log_in(page, committee_staff.username, password)
    visit(page, "/rotas/new/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("新建值班表")
    no_sideways_scroll(page)

    page.get_by_label("名称").fill("夜间巡逻")
    page.get_by_label("地点").fill("东门")
    slot = page.locator("fieldset").filter(has=page.locator("legend", has_text="班次 1"))
    # The weekdays are a row of buttons, side by side, not a one-character column.
    tuesday, thursday = slot.locator("label", has_text="周二"), slot.locator("label", has_text="周四")
    box_t, box_th = tuesday.bounding_box(), thursday.bounding_box()
    assert box_t["width"] >= 44 and abs(box_t["y"] - box_th["y"]) < 5
    tuesday.click()
    thursday.click()
    expect(slot.get_by_label("周二")).to_be_checked()
    # The RRULE is hidden under 高级 until asked for; the monthly choices only when picked.
    expect(slot.get_by_label("自定义重复规则(iCal RRULE)")).to_be_hidden()
    expect(slot.get_by_label("每月的第几个")).to_be_hidden()
    slot.get_by_label("开始时间").fill("19:00")
    slot.get_by_label("结束时间").fill("21:00")

    # The member is found by typing a name; the two 王芳 are told apart by building.
    search = page.get_by_label("值班成员")
    search.fill("王芳")
    rows = page.locator(".people-picker-row:visible")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="3号楼")).to_have_count(1)
    page.get_by_role("checkbox", name="王芳 · 3号楼 · 志愿者", exact=True).check()
    page.get_by_role("textbox", name="王芳 · 3号楼 · 志愿者 的组名(可不填)").fill("甲组")
    assert_accessible(page)
    no_sideways_scroll(page)
    follow(page, page.get_by_role("button", name="保存并排班"))

    rota = Rota.objects.get(name="夜间巡逻")
    assert [(m.user, m.group) for m in rota.members.all()] == [(lives, "甲组")]
    assert list(rota.slots.values_list("weekdays", "rrule")) == [([1, 3], "")]
    expect(page.get_by_text("每周二、周四 19:00–21:00")).to_be_visible()
    no_sideways_scroll(page)

    # Editing shows the names and the rule as chosen; 每月第一个周二 is picked in words too.
    visit(page, f"/rotas/{rota.pk}/edit/")
    expect(page.get_by_role("checkbox", name="王芳 · 3号楼 · 志愿者", exact=True)).to_be_checked()
    slot = page.locator("fieldset").filter(has=page.locator("legend", has_text="班次 1"))
    expect(slot.get_by_label("周四")).to_be_checked()
    slot.get_by_label("重复", exact=True).select_option(label="每月第几个星期几")
    expect(slot.get_by_label("每月的第几个")).to_be_visible()
    slot.get_by_label("星期几", exact=True).select_option(label="周二")
    assert_accessible(page)
    no_sideways_scroll(page)
    follow(page, page.get_by_role("button", name="保存并排班"))
    expect(page.get_by_text("每月第一个周二 19:00–21:00")).to_be_visible()
    assert list(rota.slots.values_list("rrule", flat=True)) == ["FREQ=MONTHLY;BYDAY=1TU"]


def test_staff_sets_up_a_meeting_series_in_plain_words(page, live_server, password, community, committee_staff,
                                                       two_wang_fang):
    from communities.models import MeetingSeries

    lives, _other = two_wang_fang
    log_in(page, committee_staff.username, password)
    visit(page, "/meetings/series/new/")
    no_sideways_scroll(page)
    page.get_by_label("例会名称").fill("楼组长碰头会")
    expect(page.get_by_label("每月的第几个")).to_be_visible()  # a series starts as 每月第几个星期几
    expect(page.get_by_label("自定义重复规则(iCal RRULE)")).to_be_hidden()
    page.get_by_label("星期几", exact=True).select_option(label="周二")
    page.get_by_label("从哪天起").fill("2026-01-06")
    page.get_by_label("地点").fill("蓉治社接待室")
    page.get_by_label("邀请人员").fill("3号楼")
    page.get_by_role("checkbox", name="王芳 · 3号楼 · 志愿者", exact=True).check()
    assert_accessible(page)
    no_sideways_scroll(page)
    follow(page, page.get_by_role("button", name="保存", exact=True))
    series = MeetingSeries.objects.get(title="楼组长碰头会")
    assert series.rrule == "FREQ=MONTHLY;BYDAY=1TU" and list(series.invited_users.all()) == [lives]
    visit(page, f"/meetings/series/{series.pk}/edit/")
    expect(page.get_by_text("每月第一个周二 19:00")).to_be_visible()
    no_sideways_scroll(page)
