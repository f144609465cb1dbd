"""One noise complaint from filing to the Party secretary's dashboard, on a phone, in Chinese.

居民反映 (with a photo) → auto-routed to the flat's sublandlord → 接单处理 → 报告已解决 → 居委上门验收通过
→ the resident rates 满意 → 治理看板 counts it. Every page is axe-checked (visit()/follow()).
"""
import io
import re

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect

from communities.models import Case, CaseCategory, CasePhoto, CaseStatus, Notification
from communities.services.case_summaries import case_summaries_refresh

from ..factories import CaseFactory
from .a11y import assert_accessible, visit
from .flows import do_action, follow, log_in, log_out, open_menu, seed_case_routing

NOISE = "楼上 302 室每天夜里十一点以后还在装修，电钻声很响，孩子睡不着。"


@pytest.fixture
def flow_data(community, let_unit, landlord, committee_staff, party_secretary, resident):
    seed_case_routing(community)
    return let_unit


def phone_photo(path):
    """A JPEG as a phone writes it: with the GPS position of where it was taken in its EXIF block."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Model] = "Camera 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 24.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 21.0, 36.0)
    Image.new("RGB", (640, 480), (90, 120, 160)).save(path, "JPEG", exif=exif)
    assert b"Exif\x00\x00" in path.read_bytes() and b"Camera 12" in path.read_bytes()
    return path


def switch_user(page, username, password):
    log_out(page)
    log_in(page, username, password)


def open_case_from_list(page, case):
    follow(page, page.get_by_role("main").get_by_role("link", name=f"#{case.pk} 噪音扰民"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"#{case.pk} 噪音扰民")


def status_badge(page):
    return page.get_by_role("main").locator(".badge.fs-6")


def test_noise_case_from_filing_to_dashboard(page, flow_data, password, tmp_path, media_root, outbox,
                                             artifacts_dir, landlord, resident):
    let_unit = flow_data
    photo = phone_photo(tmp_path / "IMG_0420.jpg")

    # --- the resident files it --------------------------------------------------------------------
    log_in(page, "resident", password)
    follow(page, open_menu(page).get_by_role("link", name="反映问题"))
    expect(page.get_by_role("heading", name="反映问题", level=1)).to_be_visible()
    page.get_by_label("问题类别").select_option(label="噪音扰民")
    page.get_by_label("某一户(填楼栋和房号)").check()
    page.get_by_label("楼栋", exact=True).select_option(label=let_unit.building.name)
    page.get_by_role("textbox", name="房号").fill(let_unit.room)
    page.get_by_role("textbox", name="情况描述").fill(NOISE)
    page.get_by_label("照片(最多6张)").set_input_files(str(photo))
    assert_accessible(page)  # the filled-in form
    follow(page, page.get_by_role("button", name="提交", exact=True))

    case = Case.objects.get(reporter=resident)
    expect(page).to_have_url(f"/cases/{case.pk}/")
    expect(page.get_by_role("status").filter(has_text=f"已提交，编号 #{case.pk}")).to_be_visible()
    expect(status_badge(page)).to_have_text("已派单")
    main = page.get_by_role("main")
    expect(main).to_contain_text(NOISE)
    expect(main).to_contain_text(f"{let_unit.building.name} {let_unit.room}")
    expect(main.locator("dd").filter(has_text="陈师傅")).to_be_visible()  # auto-routed to the sublandlord
    expect(main.get_by_role("listitem").filter(has_text="自动派单")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "case-filed.png"), full_page=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.handler_user == landlord and case.unit == let_unit

    # --- the sublandlord takes it and fixes it; the photo is there for him, without its EXIF ----------
    switch_user(page, "landlord", password)
    follow(page, open_menu(page).get_by_role("link", name="待我处理"))
    expect(page.get_by_role("heading", name="待我处理", level=1)).to_be_visible()
    photo_responses = []
    page.on("response", lambda r: photo_responses.append(r) if "/photos/" in r.url else None)
    open_case_from_list(page, case)

    img = page.get_by_role("img", name="照片 1")
    img.scroll_into_view_if_needed()
    expect(img).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert img.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [640, 480]
    assert photo_responses and all(r.status == 200 for r in photo_responses), \
        [(r.url, r.status) for r in photo_responses]
    served = page.request.get(img.get_attribute("src"))
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    body = served.body()
    assert b"Exif" not in body and b"Camera 12" not in body and b"Phone" not in body
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG" and len(image.getexif()) == 0 and "exif" not in image.info
    assert CasePhoto.objects.filter(case=case).count() == 1

    do_action(page, "接单处理")
    expect(status_badge(page)).to_have_text("处理中")
    do_action(page, "报告已解决", note="已上门和租客沟通，装修改在白天，晚上八点后停工。")
    expect(status_badge(page)).to_have_text("待验收")

    # --- committee staff verify it on site -------------------------------------------------------------
    switch_user(page, "staff", password)
    follow(page, open_menu(page).get_by_role("link", name="诉求管理"))
    expect(page.get_by_role("heading", name="诉求管理", level=1)).to_be_visible()
    open_case_from_list(page, case)
    expect(status_badge(page)).to_have_text("待验收")
    do_action(page, "上门验收通过", note="晚上九点上门查看，已无施工噪音。")
    expect(status_badge(page)).to_have_text("已办结")

    # --- the resident is asked to rate it (回访) ---------------------------------------------------------
    switch_user(page, "resident", password)
    expect(page.get_by_role("main")).to_contain_text("1 个已办结的问题等您评价")
    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name=re.compile("^消息")))
    follow(page, page.get_by_role("main").get_by_role("link", name=re.compile("请评价")))
    expect(page).to_have_url(f"/cases/{case.pk}/")
    rating = page.get_by_role("region", name="回访评价：您对处理结果满意吗？")
    expect(rating).to_be_visible()
    rating.get_by_label("满意", exact=True).check()
    follow(page, rating.get_by_role("button", name="提交评价"))
    expect(page.get_by_role("status").filter(has_text="谢谢您的评价。")).to_be_visible()
    expect(page.get_by_role("main").locator(".alert-light")).to_have_text("评价：满意")
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text="回访评价：满意")).to_be_visible()

    # --- the Party secretary's dashboard counts it -----------------------------------------------------
    # Celery beat recomputes the dashboard's daily summaries every minute; the live server has no
    # beat, so the test runs that minute's work itself.
    case_summaries_refresh()
    switch_user(page, "secretary", password)
    follow(page, open_menu(page).get_by_role("link", name="治理看板"))
    expect(page.get_by_role("heading", name="治理看板", level=1)).to_be_visible()
    board = page.get_by_role("region", name="蓉庭居民区")
    tile = board.locator(".col-4")
    expect(tile.filter(has_text="响应率")).to_contain_text("100.0%")
    expect(tile.filter(has_text="响应率")).to_contain_text("1/1")
    expect(tile.filter(has_text="满意率")).to_contain_text("100.0%")
    expect(tile.filter(has_text="满意率")).to_contain_text("1/1")
    # Verified fixed before its fix deadline (72 h): it counts at once (issue 12: it used to show "—").
    expect(tile.filter(has_text="解决率")).to_contain_text("100.0%")
    expect(tile.filter(has_text="解决率")).to_contain_text("1/1")
    expect(board).to_contain_text("新增 1 · 未办结 0")
    expect(board).to_contain_text("三率统计于")
    expect(board.get_by_role("listitem").filter(has_text="噪音扰民 1")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "case-dashboard.png"), full_page=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.rating.score == "satisfied"
    assert list(case.events.values_list("action", flat=True)) == [
        "file", "dispatch", "acknowledge", "report_fixed", "verify_pass", "rate"]
    # Every notification went through the outbox (written, then queued after commit).
    assert sorted(outbox) == sorted(Notification.objects.values_list("pk", flat=True))



def test_each_action_form_on_the_case_page_labels_its_own_note(page, flow_data, password, community, resident,
                                                               landlord, committee_staff):
    case = CaseFactory(community=community, category=CaseCategory.objects.get(community=community, code="noise"),
                       reporter=resident, handler_user=landlord, status=CaseStatus.AWAITING_VERIFICATION)
    log_in(page, "staff", password)
    visit(page, f"/cases/{case.pk}/")
    panels = page.locator("details").filter(has=page.locator("textarea[name=note]"))
    expect(panels).to_have_count(2)
    for summary in panels.locator("summary").all():
        summary.click()
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    names = [ta.evaluate("e => [...e.labels].map(l => l.textContent.trim()).join(' | ')")
             for ta in panels.locator("textarea[name=note]").all()]
    assert not duplicates and all(re.fullmatch(r"说明\*?", n) for n in names), (duplicates, names)
    for panel in panels.all():
        expect(panel.locator("textarea[name=note]")).to_have_accessible_name(re.compile(r"^说明\*?$"))
