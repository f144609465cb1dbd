"""Pages anyone can open: resident registration and the language switch."""
import re

from playwright.sync_api import expect

from .a11y import assert_accessible, visit
from .flows import LOGIN, follow

REGISTER = "/accounts/register/"


def test_register_empty_form_shows_chinese_errors(page, db, artifacts_dir):
    visit(page, REGISTER)
    expect(page.get_by_role("heading", name="居民注册", level=1)).to_be_visible()

    response = follow(page, page.get_by_role("button", name="获取验证码"))
    assert response.status == 200  # the phone step again, with its error: no server error, no redirect
    expect(page).to_have_url(REGISTER)

    main = page.get_by_role("main")
    expect(main).to_contain_text("这个字段是必填项")
    expect(page.get_by_label("手机号")).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=str(artifacts_dir / "register-errors.png"), full_page=True)


def _switch_language(page, language):
    select = page.get_by_role("combobox", name=re.compile(r"^(语言|Language)$"))
    select.select_option(label=language)
    follow(page, page.get_by_role("contentinfo").locator("form", has=select).get_by_role("button"))


def test_language_switch_to_english_and_back(page, db):
    visit(page, LOGIN)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")

    _switch_language(page, "English")
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(LOGIN)
    page.reload()
    expect(html).to_have_attribute("lang", "en")
    assert_accessible(page)

    _switch_language(page, "简体中文")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="登录", level=1)).to_be_visible()
