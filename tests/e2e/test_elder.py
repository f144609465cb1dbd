"""长辈模式 on a 390 px phone: a simpler home page, and filing one question per screen (category → place →
description → photo → confirm) with big 上一步/下一步 buttons. Every page and every step is checked with axe and
the non-text contrast check (a11y.assert_accessible)."""
import pytest
from PIL import Image
from playwright.sync_api import expect

from communities.models import Case, CaseCategory, CaseStatus

from .a11y import assert_accessible, control_contrast_failures, visit
from .flows import body_font_px, follow, log_in, seed_case_routing

LEAK = "卫生间天花板一直在滴水，楼上好像漏水了。"
CASE_NEW = "/cases/new/"


@pytest.fixture
def categories(community):
    seed_case_routing(community)


def font_px(locator):
    return locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def switch_elder_mode(page):
    follow(page, page.get_by_role("contentinfo").get_by_role("button", name="长辈模式"))


def assert_checks_aligned_with_labels(page):
    """Each visible radio or checkbox is centred on the first line of its label (within 2 px)."""
    offsets = page.evaluate("""() => Array.from(document.querySelectorAll('.form-check-input'))
      .filter(el => el.checkVisibility())
      .map(el => {
        const label = document.querySelector(`label[for="${el.id}"]`);
        const range = document.createRange();
        range.selectNodeContents(label);
        const line = range.getClientRects()[0], box = el.getBoundingClientRect();
        return {name: el.id, offset: Math.abs((box.top + box.height / 2) - (line.top + line.height / 2)),
                gap: line.left - box.right};
      })""")
    assert offsets, "no radio or checkbox on the page"
    for check in offsets:
        assert check["offset"] <= 2, f"{check['name']} is {check['offset']:.1f}px off its label's first line"
        assert 0 <= check["gap"] <= 24, f"{check['name']} is {check['gap']:.1f}px away from its label"


def visible_steps(page):
    return page.locator("form[data-case-form] fieldset[data-step]:visible")


def expect_step(page, number, question):
    expect(page.locator("[data-step-progress]")).to_have_text(f"第 {number} 步，共 5 步")
    expect(visible_steps(page)).to_have_count(1)
    legend = visible_steps(page).locator("legend").first
    expect(legend).to_have_text(question)
    expect(legend).to_be_focused()
    assert_accessible(page)


def press(page, label):
    page.get_by_role("button", name=label, exact=True).click()


def test_elder_home_is_three_big_cards_with_headings_that_grow(page, resident, password):
    log_in(page, "resident", password)
    normal_h1 = font_px(page.get_by_role("heading", level=1))
    switch_elder_mode(page)
    tiles = page.locator(".ld-tiles a.card")
    expect(tiles).to_have_count(3)
    for tile, label in zip(tiles.all(), ["反映问题", "我反映的问题", "消息"]):
        expect(tile).to_contain_text(label)
        assert tile.bounding_box()["width"] >= 300  # one card per row on the phone
    expect(page.get_by_role("main")).to_contain_text("其他功能请点右上角的“菜单”。")
    body = body_font_px(page)
    h1, h2 = font_px(page.get_by_role("heading", level=1)), font_px(page.get_by_role("heading", name="我能做的事"))
    assert h1 > normal_h1 and h1 >= 1.3 * body and h2 > body
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_elder_files_a_case_one_question_per_screen(page, resident, unit, categories, password, tmp_path,
                                                   media_root, outbox, artifacts_dir):
    photo = tmp_path / "ceiling.jpg"
    Image.new("RGB", (320, 240), (200, 190, 170)).save(photo, "JPEG")
    log_in(page, "resident", password)
    switch_elder_mode(page)
    follow(page, page.locator(".ld-tiles a.card", has_text="反映问题"))

    # 1 category: nothing chosen yet, 下一步 says so and stays.
    expect(page.locator("[data-step-progress]")).to_have_text("第 1 步，共 5 步")
    expect(visible_steps(page)).to_have_count(1)
    expect(page.get_by_role("button", name="提交")).to_be_hidden()
    expect(page.get_by_role("button", name="上一步")).to_be_hidden()
    assert page.get_by_role("button", name="下一步").bounding_box()["height"] >= 48
    press(page, "下一步")
    expect(page.get_by_text("请先填写这一项，再按“下一步”。")).to_be_visible()
    expect(page.get_by_label("问题类别")).to_be_focused()
    expect(page.get_by_label("问题类别")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("问题类别").select_option(label="房屋漏水")
    press(page, "下一步")

    # 2 place: for a one-flat resident 我家 and her flat are chosen already; without the flat 我家 cannot go on;
    # back keeps the answer of step 1.
    expect_step(page, 2, "问题在哪里？")
    assert_checks_aligned_with_labels(page)
    page.screenshot(path=str(artifacts_dir / "elder-filing-place.png"), full_page=True)
    expect(page.get_by_label("我家", exact=True)).to_be_checked()
    expect(page.get_by_label("我家房屋")).to_have_value(str(unit.pk))
    page.get_by_label("我家房屋").select_option(value="")
    press(page, "下一步")
    expect(page.get_by_label("我家房屋")).to_be_focused()
    expect(page.get_by_text("请先填写这一项，再按“下一步”。")).to_have_count(1)
    press(page, "上一步")
    expect_step(page, 1, "是什么问题？")
    expect(page.get_by_label("问题类别")).to_have_value(str(CaseCategory.objects.get(name="房屋漏水").pk))
    press(page, "下一步")
    expect_step(page, 2, "问题在哪里？")
    page.get_by_label("我家房屋").select_option(index=1)
    page.get_by_role("textbox", name="具体位置").fill("卫生间")
    page.get_by_role("textbox", name="具体位置").press("Enter")  # Enter means 下一步, not 提交

    # 3 description, 4 photo, 5 confirm.
    expect_step(page, 3, "请说说情况")
    assert_checks_aligned_with_labels(page)  # the 匿名 checkbox at elder-mode size
    press(page, "下一步")
    expect(page.get_by_role("textbox", name="情况描述")).to_be_focused()
    page.get_by_role("textbox", name="情况描述").fill(LEAK)
    press(page, "下一步")
    expect_step(page, 4, "拍张照片(可以不拍)")
    page.get_by_label("照片(最多6张)").set_input_files(str(photo))
    press(page, "下一步")
    expect_step(page, 5, "请核对后提交")
    summary = page.locator("[data-step-summary]")
    for term, answer in [("问题类别", "房屋漏水"), ("发生地点", "我家"), ("我家房屋", str(unit)), ("具体位置", "卫生间"),
                         ("情况描述", LEAK), ("照片(最多6张)", "ceiling.jpg")]:
        expect(summary.locator("dt", has_text=term).first.locator("xpath=following-sibling::dd[1]")).to_have_text(answer)
    expect(page.get_by_role("button", name="下一步")).to_be_hidden()
    page.screenshot(path=str(artifacts_dir / "elder-filing-confirm.png"), full_page=True)
    follow(page, page.get_by_role("button", name="提交", exact=True))

    case = Case.objects.get(reporter=resident)
    expect(page).to_have_url(f"/cases/{case.pk}/")
    expect(page.get_by_role("status").filter(has_text=f"已提交，编号 #{case.pk}")).to_be_visible()
    assert (case.category.name, case.unit, case.place_text, case.description) == ("房屋漏水", unit, "卫生间", LEAK)
    assert case.status == CaseStatus.SUBMITTED
    assert case.photos.count() == 1


def test_a_server_side_error_opens_the_wizard_at_its_step(page, resident, building, categories, password):
    log_in(page, "resident", password)
    switch_elder_mode(page)
    visit(page, CASE_NEW)
    page.get_by_label("问题类别").select_option(label="噪音扰民")
    press(page, "下一步")
    page.get_by_label("某一户(填楼栋和房号)").check()
    page.get_by_label("楼栋", exact=True).select_option(label=building.name)
    page.get_by_role("textbox", name="房号").fill("999")
    press(page, "下一步")
    page.get_by_role("textbox", name="情况描述").fill("楼上太吵")
    press(page, "下一步")
    press(page, "下一步")
    with page.expect_navigation(wait_until="load") as navigation:
        page.get_by_role("button", name="提交", exact=True).click()
    assert navigation.value.status == 400  # the room does not exist
    expect_step(page, 2, "问题在哪里？")
    expect(page.get_by_text("1号楼 没有房号 999，请核对。")).to_be_visible()
    assert not Case.objects.exists()


def test_without_elder_mode_the_form_stays_one_page(page, resident, unit, categories, password):
    log_in(page, "resident", password)
    visit(page, CASE_NEW)
    expect(page.locator("[data-step-progress]")).to_be_hidden()
    expect(page.get_by_role("button", name="下一步")).to_be_hidden()
    expect(visible_steps(page)).to_have_count(4)  # every question; no confirm screen
    expect(page.get_by_role("button", name="提交", exact=True)).to_be_visible()
    assert_checks_aligned_with_labels(page)


# Form-heavy pages of the core, opened by committee staff (who may open the most of them).
TOUR = ["/", "/cases/new/", "/cases/", "/cases/queue/", "/dashboard/", "/meetings/", "/meetings/new/",
        "/meetings/series/new/", "/communities/", "/registrations/", "/imports/residents/", "/notifications/",
        "/elections/", "/needs/", "/needs/new/", "/rotas/", "/accounts/profile/", "/accounts/password/"]


@pytest.mark.parametrize("elder_mode", [False, True], ids=["normal", "elder"])
def test_form_controls_keep_3_to_1_contrast_on_every_page_in_both_modes(page, committee_staff, resident, categories,
                                                                       password, elder_mode):
    visit(page, "/accounts/register/")  # before signing in
    if elder_mode:
        switch_elder_mode(page)
    log_in(page, "staff", password)
    checked_alignment = []
    for url in TOUR:
        visit(page, url)  # axe and the non-text contrast check
        expect(page.locator("body")).to_have_class("elder-mode" if elder_mode else "")
        if page.locator(".form-check-input:visible").count():
            checked_alignment.append(url)
            assert_checks_aligned_with_labels(page)
    assert {"/meetings/series/new/", "/accounts/profile/"} <= set(checked_alignment), checked_alignment


def test_the_contrast_check_reports_faint_control_boundaries(page):
    """The check itself: Bootstrap's default border and a pale borderless fill fail; text-only buttons, a
    strong border and a dark fill pass; a control on a coloured background is measured against that colour
    (a white field on it stands out by its fill)."""
    page.set_content("""<main style="background:#fff">
      <input id="faint" style="border:1px solid #dee2e6">
      <input id="strong" style="border:1px solid #767676">
      <button id="pale-fill" style="border:0;background:#ffc107">保存</button>
      <button id="dark-fill" style="border:0;background:#0a58ca;color:#fff">提交</button>
      <button id="text-only" style="border:0;background:none">取消</button>
      <input id="hidden-one" hidden style="border:1px solid #eee">
      <div style="background:#6b1414"><input id="on-red" style="border:1px solid #767676;background:none"></div>
      <div style="background:#6b1414"><input id="white-on-red" style="border:1px solid #767676"></div>
    </main>""")
    failures = {f["element"].split("#")[1].split("[")[0].split(" ")[0]: f for f in control_contrast_failures(page)}
    assert set(failures) == {"faint", "pale-fill", "on-red"}
    assert failures["faint"]["ratio"] == 1.3 and failures["faint"]["what"] == "border"
    assert failures["on-red"]["background"] == "#6b1414"
