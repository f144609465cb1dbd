"""光明村's 24-hour hotline on a 390 px phone, in Chinese, axe-checked on every page (issue 14 item 4):

1. 周国强 (a head of the station) opens the hub, taps 登记来电, switches to 长辈模式 and logs a call
   received at 02:00 (听到有人撬门, 紧急);
2. the call's page says the guard on the night shift was told, the caller's number masked;
3. 丁卫东, on the 保安 rota's 22:00–06:00 shift that night, signs in and finds the call in his inbox, and opens it.

The data is built with the models and services; times are relative to ``timezone.now()``: the 02:00 is the latest
02:00 that has passed (so the form's time is never ahead of the clock)."""
import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community, Role, Rota, RotaMember, Shift, ShiftAssignment, VillageGroup
from propertyservice.models import HotlineCall

from ..factories import CommunityFactory, make_member, serve
from ..propertyservice.world import make_station
from .a11y import visit
from .flows import follow, log_in, log_out

WIDTH = 390


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def last_two_am():
    now = timezone.localtime()
    two = now.replace(hour=2, minute=0, second=0, microsecond=0)
    return two if two <= now - dt.timedelta(minutes=1) else two - dt.timedelta(days=1)


@pytest.fixture
def guangming(db):
    village = CommunityFactory(name="光明村", slug="guangming", kind=Community.Kind.VILLAGE,
                               office_phone="021-5555 0303")
    serve(village, "propertyservice")
    VillageGroup.objects.create(community=village, name="丁钱")
    return village


@pytest.fixture
def people(guangming):
    head = make_member(guangming, Role.STATION_STAFF, username="station", name="周国强")
    guard = make_member(guangming, Role.STATION_STAFF, username="station4", name="丁卫东")
    make_station(guangming, head)
    two = last_two_am()
    rota = Rota.objects.create(community=guangming, name="服务站夜间保安值班", kind=Rota.Kind.SECURITY, manager=head)
    RotaMember.objects.create(rota=rota, user=guard)
    shift = Shift.objects.create(rota=rota, starts_at=two - dt.timedelta(hours=4), ends_at=two + dt.timedelta(hours=4))
    ShiftAssignment.objects.create(shift=shift, user=guard)
    return {"head": head, "guard": guard, "two": two}


def test_a_call_at_two_in_the_morning_reaches_the_guard_on_the_night_shift(page, guangming, people, password,
                                                                           outbox):
    log_in(page, "station", password)
    visit(page, "/property/")
    follow(page, page.get_by_role("link", name="登记来电"))
    expect(page.get_by_label("来电人")).to_be_focused()
    no_sideways_scroll(page)
    # The night guard's eyes at 02:00: the same form in 长辈模式 (bigger type), still one column on the phone.
    follow(page, page.get_by_role("contentinfo").get_by_role("button", name="长辈模式"))
    expect(page.locator("body")).to_have_class(re.compile(r"\belder-mode\b"))
    expect(page.get_by_label("来电人")).to_be_focused()
    no_sideways_scroll(page)
    page.get_by_label("来电时间").fill(f"{people['two']:%Y-%m-%dT%H:%M}")
    page.get_by_label("来电人").fill("钱建国")
    page.get_by_label("来电号码").fill("13916620010")
    page.get_by_label("紧急", exact=True).check()
    page.get_by_label("来电内容").fill("听到隔壁空房子里有人撬门的声音。")
    page.get_by_label("村民小组").select_option(label="丁钱")
    page.get_by_label("门牌或地点").fill("16号")
    page.get_by_label("稍后回电").check()
    page.get_by_label("承诺回电期限").fill(f"{people['two'] + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    page.get_by_label("回电人").select_option(label="丁卫东")
    follow(page, page.get_by_role("button", name="登记", exact=True))
    main = page.get_by_role("main")
    expect(main.get_by_role("status").filter(has_text="已通知值班保安")).to_contain_text("丁卫东")
    expect(main).to_contain_text("139****0010")
    expect(main).not_to_contain_text("13916620010")
    call = HotlineCall.objects.get()
    assert call.alert == HotlineCall.Alert.GUARD and list(call.alerted.all()) == [people["guard"]]
    no_sideways_scroll(page)
    log_out(page)

    log_in(page, "station4", password)
    visit(page, "/notifications/")
    note = page.get_by_role("main").get_by_text("夜间热线来电：紧急").first
    expect(note).to_be_visible()
    follow(page, page.get_by_role("main").get_by_role("link", name="夜间热线来电：紧急").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("热线来电")
    expect(page.get_by_role("main")).to_contain_text("撬门")
    no_sideways_scroll(page)
