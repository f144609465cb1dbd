"""Steps several browser tests share: signing in and out, opening the menu. Each page is axe-checked."""
import re

from playwright.sync_api import expect

from communities.models import CaseCategory, RoutingRule
from communities.services.routing import DEFAULT_CATEGORIES

from .a11y import assert_accessible, visit

LOGIN = "/accounts/login/"
HOME = "/"


def follow(page, locator):
    """Click a link or submit button, wait until the page it leads to has loaded, and axe-check that page."""
    with page.expect_navigation(wait_until="load") as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.ok, f"{page.url} -> {response.status if response else 'no response'}"
    assert_accessible(page)
    return response


def log_in(page, username, password):
    """Sign in through the login form and land on the home page."""
    visit(page, LOGIN)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    follow(page, page.get_by_role("button", name="登录", exact=True))
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")


def open_menu(page):
    """Open the offcanvas menu from the navbar and return it (a dialog once shown)."""
    page.get_by_role("button", name="菜单").click()
    menu = page.get_by_role("dialog")
    expect(menu).to_be_visible()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    # Wait until Bootstrap's slide-in transition has finished before checking or clicking inside.
    page.wait_for_function("() => !document.querySelector('.offcanvas.showing')")
    return menu


def log_out(page):
    follow(page, open_menu(page).get_by_role("button", name="退出登录"))
    expect(page).to_have_url(LOGIN)


def body_font_px(page):
    return page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")


def seed_case_routing(community):
    """The seed's case categories with their deadlines, and routing as in 蓉庭: a let flat's case goes to its
    sublandlord, anything else waits for committee staff."""
    for order, (code, name, ack_hours, fix_hours) in enumerate(DEFAULT_CATEGORIES):
        CaseCategory.objects.create(community=community, code=code, name=name, ack_hours=ack_hours,
                                    fix_hours=fix_hours, order=order)
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD,
                               only_let_units=True, priority=10)
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.COMMITTEE, priority=100)


def do_action(page, label, note=None):
    """Open the action's panel on the case page (if closed), write the note, press its button."""
    panel = page.locator("details").filter(has=page.locator("summary", has_text=label))
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    if note is not None:
        panel.get_by_role("textbox", name="说明").fill(note)
    # A danger action's button says 确认… (fragments/state_actions.html).
    follow(page, panel.get_by_role("button", name=re.compile(rf"^(确认)?{re.escape(label)}$")))
    expect(page.get_by_role("status").filter(has_text=f"已完成：{label}。")).to_be_visible()
