"""光明村's e-bike sheds on a 390 px phone, in Chinese, axe-checked on every page: a villager reads the sheds and the
price board, reports a flying wire with a photo and posts a suggestion; a station member does the daily check and
finds a fault; a head sees the place in the flying-wire list."""
import io
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from communities.models import Case, Role
from propertyservice.models import ChargingPort, ChargingShed, FlyingWireReport, Suggestion

from ..factories import make_member
from ..propertyservice.world import make_house, make_station, make_village
from .a11y import visit
from .flows import body_font_px, follow, log_in, log_out

WIDTH = 390


@pytest.fixture
def world(db):
    village = make_village("gm-e2e", "光明村")
    head = make_member(village, Role.STATION_STAFF, username="head", name="周国强")
    make_station(village, head)
    make_member(village, Role.STATION_STAFF, username="guard", name="丁卫东")
    make_member(village, Role.RESIDENT, username="villager", unit=make_house(village), name="丁阿婆")
    shed = ChargingShed.objects.create(community=village, name="丁钱一号棚", place="3排东侧",
                                       electricity_price=Decimal("0.6"), service_fee_per_kwh=Decimal("0.4"))
    ChargingPort.objects.bulk_create([ChargingPort(shed=shed, number=n) for n in range(1, 11)])
    return village, shed


def _jpeg() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (120, 90, 60)).save(buffer, "JPEG")
    return {"name": "wire.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def test_a_villager_reports_a_flying_wire_and_staff_check_the_shed(page, live_server, world, password,
                                                                   artifacts_dir):
    village, shed = world
    log_in(page, "villager", password)
    visit(page, f"/property/sheds/?community={village.slug}")
    expect(page.get_by_text("空闲 10 / 共 10 个端口")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "property-sheds-list.png"), full_page=True)
    follow(page, page.get_by_role("link", name="报告飞线充电"))
    normal = body_font_px(page)
    follow(page, page.get_by_role("contentinfo").get_by_role("button", name="长辈模式"))  # larger type
    assert body_font_px(page) > normal
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / "property-flying-report-elder.png"), full_page=True)
    page.get_by_label("照片（必填）").set_input_files(_jpeg())
    page.get_by_label("具体位置").fill("3排东头二楼窗口")
    follow(page, page.get_by_role("button", name="提交报告"))
    expect(page.get_by_text("第 1 次").first).to_be_visible()
    no_sideways_scroll(page)
    assert FlyingWireReport.objects.count() == 1
    visit(page, f"/property/suggestions/?community={village.slug}")
    page.get_by_label("您的意见或建议").fill("施杨棚晚上灯太暗")
    follow(page, page.get_by_role("button", name="提交意见"))
    assert Suggestion.objects.count() == 1
    log_out(page)

    log_in(page, "guard", password)
    visit(page, f"/property/sheds/{shed.pk}/check/")
    page.get_by_role("group", name="灭火器").get_by_label("故障").check()
    follow(page, page.get_by_role("button", name="提交检查结果"))
    expect(page.get_by_text("消防设施故障").first).to_be_visible()
    assert Case.objects.filter(category__code="charging_shed").count() == 1
    no_sideways_scroll(page)
    log_out(page)

    log_in(page, "head", password)
    visit(page, f"/property/flying-wires/places/?community={village.slug}")
    expect(page.get_by_role("cell", name="3排东头二楼窗口")).to_be_visible()
    visit(page, f"/property/board/?community={village.slug}")
    expect(page.get_by_text("本月发现飞线充电：1 处")).to_be_visible()
