"""光明村's gate on a 390 px phone, in Chinese, axe-checked on every page (issue 14 items 7, 8):

the station staff member on the gate logs an outside car in — its entry time typed into the form's 补录时间
field as 3 h 20 min ago, so nobody waits — then taps 离开 on the open entry; the charge page shows ¥9.00 by the
village's standard v1 (first hour free, then ¥3 an hour: 2 h 20 min charged as three hours) with its breakdown
and the version; 收现金 gives the printable receipt with its number; the posted standard (明码标价) is readable
without signing in. Then the village's committee staff open the cash report, spaces, standards, cameras and the
heads' board, and a villager registers a new-energy plate after a bad one is refused in Chinese."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community, Role, VillageGroup
from propertyservice.demo.parking import adopted_motion
from propertyservice.models import ParkingCharge
from propertyservice.services.parking import space_add, standard_create

from ..factories import CommunityFactory, make_member, serve
from .a11y import assert_accessible, visit
from .flows import follow, log_in

WIDTH = 390


@pytest.fixture
def guangming(db):
    village = CommunityFactory(name="光明村", slug="guangming", kind=Community.Kind.VILLAGE)
    serve(village, "propertyservice")
    return village


@pytest.fixture
def guard(guangming):
    staff = make_member(guangming, Role.COMMITTEE_STAFF, username="staff_guangming", name="钱伟")
    now = timezone.now()
    motion = adopted_motion(community=guangming, actor=staff, title="村民会议：临时停车收费标准",
                            motion_title="临时停车收费标准（第1版）", at=now - dt.timedelta(days=30))
    standard_create(actor=staff, community=guangming, motion=motion, effective_from=now - dt.timedelta(days=30),
                    free_minutes=60, daily_cap=Decimal("30"), bands=[{
                        "start": dt.time(0), "end": dt.time(0), "unit_minutes": 60, "unit_price": Decimal("3"),
                        "cap": None}])
    group, _ = VillageGroup.objects.get_or_create(community=guangming, name="丁钱")
    for n in (1, 2, 10):
        space_add(actor=staff, community=guangming, village_group=group, number=f"{n}号", kind="visitor")
    return make_member(guangming, Role.STATION_STAFF, username="station2", name="丁卫东")


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def test_an_outside_car_stays_3h20_and_pays_the_posted_fee(page, guangming, guard, password):
    log_in(page, "station2", password)
    visit(page, f"/property/gate/?community={guangming.slug}")
    main = page.get_by_role("main")
    expect(main.get_by_role("status").filter(has_text="空余车位 3 / 3")).to_be_visible()
    no_sideways_scroll(page)

    main.get_by_label("车牌号").fill("沪a7t261")
    main.get_by_label("走访对象").fill("丁钱组12号")
    main.get_by_label("事由").fill("探亲")
    main.get_by_text("补录时间", exact=True).click()
    entered = timezone.localtime(timezone.now() - dt.timedelta(hours=3, minutes=20))
    main.get_by_label("入场时间（不填为现在）").fill(entered.strftime("%Y-%m-%dT%H:%M"))
    follow(page, main.get_by_role("button", name="登记入场"))
    expect(page.get_by_role("status").filter(has_text="已登记入场：沪A7T261")).to_be_visible()
    expect(main.get_by_role("status").filter(has_text="空余车位 2 / 3")).to_be_visible()
    entry = main.get_by_test_id("open-entry").filter(has_text="沪A7T261")
    expect(entry).to_contain_text(f"入场 {entered:%m-%d %H:%M}")
    no_sideways_scroll(page)

    follow(page, entry.get_by_role("button", name="沪A7T261 离开"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("停车收费")
    expect(page.get_by_test_id("fee-amount")).to_have_text("¥9.00")
    expect(page.get_by_text("计费明细（收费标准第1版）")).to_be_visible()
    expect(page.get_by_test_id("fee-total")).to_have_text("¥9.00")
    no_sideways_scroll(page)

    follow(page, page.get_by_role("button", name="收现金"))
    charge = ParkingCharge.objects.get(entry__plate="沪A7T261")
    expect(page.get_by_role("heading", level=1)).to_contain_text("临时停车收费收据")
    expect(page.get_by_test_id("receipt-number")).to_have_text(charge.number)
    expect(page.get_by_role("main")).to_contain_text("沪A7T261")
    expect(page.get_by_role("main")).to_contain_text("第1版")
    expect(page.get_by_test_id("fee-total")).to_have_text("¥9.00")
    assert charge.amount == Decimal("9.00") and charge.method == "cash"
    no_sideways_scroll(page)

    follow(page, page.get_by_role("link", name="返回门岗"))
    expect(page.get_by_role("main").get_by_test_id("open-entry").filter(has_text="沪A7T261")).to_have_count(0)

    page.context.clear_cookies()
    visit(page, f"/property/parking/prices/?community={guangming.slug}")
    expect(page.get_by_role("main")).to_contain_text("入场后 60 分钟内免费")
    expect(page.get_by_role("main")).to_contain_text("第六十一条")
    no_sideways_scroll(page)


def test_the_heads_pages_and_a_villagers_plates(page, guangming, guard, password):
    from propertyservice.services.gate import charge_pay, gate_enter, gate_exit

    from ..factories import BuildingFactory, UnitFactory

    now = timezone.now()
    entry, _ = gate_enter(actor=guard, community=guangming, kind="vehicle", plate="沪BZ9030",
                          now=now - dt.timedelta(hours=2))
    charge_pay(actor=guard, charge=gate_exit(actor=guard, entry=entry, now=now), method="wechat", now=now)
    house = UnitFactory(building=BuildingFactory(community=guangming, name="丁钱12号"))
    make_member(guangming, Role.RESIDENT, username="villager", unit=house, name="丁阿婆")

    log_in(page, "staff_guangming", password)
    for url, heading in ((f"/property/gate/cash/?community={guangming.slug}", "停车收款日报"),
                         (f"/property/parking/?community={guangming.slug}", "车位与车辆"),
                         (f"/property/parking/standards/?community={guangming.slug}", "停车收费标准"),
                         (f"/property/gate/cameras/?community={guangming.slug}", "监控设备"),
                         (f"/property/board/?community={guangming.slug}", "负责人看板")):
        visit(page, url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        no_sideways_scroll(page)
    visit(page, f"/property/gate/cash/?community={guangming.slug}")
    expect(page.get_by_test_id("cash-total")).to_contain_text("¥3.00")
    page.context.clear_cookies()

    log_in(page, "villager", password)
    visit(page, f"/property/parking/mine/?community={guangming.slug}")
    main = page.get_by_role("main")
    main.get_by_label("车牌号").fill("沪AO1234")
    with page.expect_navigation(wait_until="load") as refused:
        main.get_by_role("button", name="登记").click()
    assert refused.value.status == 400
    assert_accessible(page)
    expect(main).to_contain_text("字母I和O")
    main.get_by_label("车牌号").fill("沪AD12345")
    follow(page, main.get_by_role("button", name="登记"))
    expect(page.get_by_role("status").filter(has_text="本村内停车免费")).to_be_visible()
    expect(main.get_by_role("list").first).to_contain_text("沪AD12345")
    no_sideways_scroll(page)

    # In 长辈模式 the household's plates and the posted prices stay readable without sideways scrolling.
    follow(page, page.get_by_role("contentinfo").get_by_role("button", name="长辈模式"))
    expect(page.get_by_role("main")).to_contain_text("沪AD12345")
    no_sideways_scroll(page)
    visit(page, f"/property/parking/prices/?community={guangming.slug}")
    expect(page.get_by_role("main")).to_contain_text("每天最多 ¥30")
    no_sideways_scroll(page)
