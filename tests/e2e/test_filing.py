"""An older resident files from 我家 on a 390 px phone, in Chinese (issue 12 item 3): 我家 and her flat are chosen
already; she attaches a photo but forgets the description, and the page that comes back still shows the photo;
she writes it and files; 撤回 is a secondary button, not an open form; once fixed she rates 不满意 and is asked
why. Every page is checked with axe and the contrast check (a11y.assert_accessible)."""
import pytest
from PIL import Image
from playwright.sync_api import expect

from communities.models import Case, CasePhoto, CaseRating, PendingPhoto
from communities.services import case_workflow as wf

from .a11y import assert_accessible, visit
from .flows import follow, log_in, seed_case_routing

LEAK = "卫生间天花板一直在滴水，楼上好像漏水了。"


@pytest.fixture
def categories(community):
    seed_case_routing(community)


def submit_expecting_error(page):
    with page.expect_navigation(wait_until="load") as navigation:
        page.get_by_role("button", name="提交", exact=True).click()
    assert navigation.value.status == 400
    assert_accessible(page)


def test_filing_from_my_home_keeps_the_photo_and_rates_with_a_reason(page, categories, resident, unit, landlord,
                                                                      committee_staff, password, tmp_path,
                                                                      media_root, outbox):
    photo = tmp_path / "IMG_0001.jpg"
    Image.new("RGB", (640, 480), (90, 120, 160)).save(photo, "JPEG")
    log_in(page, "resident", password)
    visit(page, "/cases/new/")

    # 我家 is chosen, with her one flat; the building and public-place fields are not asked.
    expect(page.get_by_label("我家", exact=True)).to_be_checked()
    expect(page.get_by_label("我家房屋")).to_have_value(str(unit.pk))
    expect(page.get_by_label("楼栋", exact=True)).to_be_hidden()
    page.get_by_label("问题类别").select_option(label="房屋漏水")
    page.get_by_label("照片(最多6张)").set_input_files(str(photo))
    submit_expecting_error(page)

    # The description is missing: said next to it, and the photo is still there, as a thumbnail.
    expect(page.get_by_role("textbox", name="情况描述")).to_have_attribute("aria-invalid", "true")
    thumb = page.locator("img.photo-thumb")
    expect(thumb).to_have_count(1)
    expect(thumb).to_be_visible()
    # The thumbnail is served (not a broken image): wait until it has loaded, it may still be on its way.
    page.wait_for_function("() => { const img = document.querySelector('img.photo-thumb');"
                           " return img && img.complete && img.naturalWidth > 0; }")
    expect(page.get_by_text("您选的 1 张照片已经保存，不用重新选择")).to_be_visible()
    expect(page.get_by_label("我家", exact=True)).to_be_checked()
    assert PendingPhoto.objects.count() == 1

    page.get_by_role("textbox", name="情况描述").fill(LEAK)
    follow(page, page.get_by_role("button", name="提交", exact=True))
    case = Case.objects.get(reporter=resident)
    expect(page).to_have_url(f"/cases/{case.pk}/")
    assert case.unit == unit and CasePhoto.objects.filter(case=case).count() == 1
    assert not PendingPhoto.objects.exists()
    main = page.get_by_role("main")
    expect(main.locator(".ld-status-submitted")).to_have_text("已提交")
    expect(main.get_by_role("img")).to_have_count(1)  # the photo, in the timeline

    # 撤回 is a secondary button: its form is closed until asked for.
    withdraw = main.locator("details[data-danger-action='withdraw']")
    expect(withdraw).not_to_have_attribute("open", "")
    summary = withdraw.locator("summary")
    expect(summary).to_have_class("btn btn-outline-secondary")
    expect(withdraw.get_by_role("button", name="确认撤回")).to_be_hidden()
    summary.click()
    expect(withdraw.get_by_role("button", name="确认撤回")).to_be_visible()
    assert_accessible(page)

    # Fixed and verified; she rates it.
    wf.case_dispatch(case_id=case.pk, actor=committee_staff, handler_user=landlord)
    wf.case_acknowledge(case_id=case.pk, actor=landlord)
    wf.case_report_fixed(case_id=case.pk, actor=landlord, note="已修好")
    wf.case_verify_pass(case_id=case.pk, actor=committee_staff, note="上门看过")
    visit(page, f"/cases/{case.pk}/")
    rating = page.get_by_role("region", name="回访评价：您对处理结果满意吗？")
    reasons = rating.get_by_label("速度")
    expect(reasons).to_be_hidden()
    rating.get_by_label("满意", exact=True).check()
    expect(reasons).to_be_hidden()
    rating.get_by_label("不满意", exact=True).check()
    expect(reasons).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation(wait_until="load") as navigation:
        rating.get_by_role("button", name="提交评价").click()
    assert navigation.value.status == 400  # 不满意 needs a reason
    assert_accessible(page)
    rating = page.get_by_role("region", name="回访评价：您对处理结果满意吗？")
    expect(rating.get_by_text("请选择哪里还不够好(至少一项)。")).to_be_visible()
    rating.get_by_label("速度").check()
    rating.get_by_label("结果").check()
    follow(page, rating.get_by_role("button", name="提交评价"))
    expect(page.get_by_role("main").locator("[data-rating]")).to_contain_text("不满意 · 不够好的方面：速度、结果")
    assert CaseRating.objects.get(case=case).reasons == ["speed", "result"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
