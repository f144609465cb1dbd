"""A resident on a phone: signing in, the Chinese home page, 长辈模式 and keyboard-only use."""
import re

from playwright.sync_api import expect

from .a11y import assert_accessible, visit
from .flows import HOME, LOGIN, body_font_px, follow, log_in, log_out


def test_resident_logs_in_on_phone_and_sees_chinese_home(page, resident, password, artifacts_dir):
    visit(page, LOGIN)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="登录", level=1)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "resident-login.png"), full_page=True)

    page.get_by_label("用户名").fill("resident")
    page.get_by_label("密码").fill(password)
    follow(page, page.get_by_role("button", name="登录", exact=True))
    expect(page).to_have_url(HOME)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，王阿姨")
    expect(page.get_by_role("link", name="罗店社区治理")).to_be_visible()
    expect(page).to_have_title("首页 · 罗店社区治理")
    expect(page.get_by_role("heading", name="我的房屋")).to_be_visible()
    expect(page.get_by_role("link", name="蓉庭居民区 1号楼 301")).to_be_visible()
    # Phone layout: nothing wider than the 390 px viewport.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "resident-home.png"), full_page=True)


def test_elder_mode_persists_across_reload_and_sign_in(page, context, resident, password, artifacts_dir):
    log_in(page, "resident", password)
    body = page.locator("body")
    expect(body).not_to_have_class("elder-mode")
    normal_px = body_font_px(page)

    toggle = page.get_by_role("contentinfo").get_by_role("button", name="长辈模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    follow(page, toggle)
    expect(body).to_have_class("elder-mode")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert body_font_px(page) >= 20 > normal_px
    page.screenshot(path=str(artifacts_dir / "resident-home-elder-mode.png"), full_page=True)

    page.reload()
    page.wait_for_load_state("load")
    expect(body).to_have_class("elder-mode")
    assert_accessible(page)

    log_out(page)
    # Forget this browser's elder-mode cookie: after signing in again the setting must come from the account.
    context.clear_cookies()
    visit(page, LOGIN)
    expect(body).not_to_have_class("elder-mode")
    log_in(page, "resident", password)
    expect(body).to_have_class("elder-mode")
    assert body_font_px(page) >= 20
    resident.refresh_from_db()
    assert resident.elder_mode is True

    # And it switches off again.
    follow(page, page.get_by_role("contentinfo").get_by_role("button", name="长辈模式"))
    expect(body).not_to_have_class("elder-mode")
    assert body_font_px(page) == normal_px


def test_elder_mode_before_signing_in_is_kept_by_the_browser(page, db):
    visit(page, LOGIN)
    follow(page, page.get_by_role("button", name="长辈模式"))
    expect(page).to_have_url(LOGIN)
    expect(page.locator("body")).to_have_class("elder-mode")
    assert body_font_px(page) >= 20
    page.reload()
    expect(page.locator("body")).to_have_class("elder-mode")
    assert_accessible(page)


def _tab_to(page, locator, max_presses=12):
    """Press Tab (only if needed) until ``locator`` has the keyboard focus."""
    for _ in range(max_presses):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def test_skip_link_is_first_tab_stop_and_focuses_main(page, resident, password):
    log_in(page, "resident", password)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # off-screen until focused
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_login_with_keyboard_only(page, resident, password):
    visit(page, LOGIN)
    _tab_to(page, page.get_by_label("用户名"))
    page.keyboard.type("resident")
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_focused()
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，王阿姨")
    assert_accessible(page)


def test_login_page_skip_link_then_keyboard_login(page, resident, password):
    visit(page, LOGIN)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused(timeout=1_000)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("用户名")).to_be_focused()
    page.keyboard.type("resident")
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    # The browser keeps the skip link's #main fragment across the redirect: still the home page.
    expect(page).to_have_url(re.compile(r"^https?://[^/]+" + re.escape(HOME) + "(#main)?$"))
    assert_accessible(page)
