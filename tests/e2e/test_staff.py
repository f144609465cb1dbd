"""Committee staff: the offcanvas menu, the registration queue and the community directory."""
import datetime as dt

from playwright.sync_api import expect

from communities.models import RegistrationRequest

from .a11y import assert_accessible
from .flows import follow, log_in, open_menu


def test_staff_opens_menu_and_reviews_registrations(page, committee_staff, unit, no_role_user, password,
                                                     artifacts_dir):
    RegistrationRequest.objects.create(user=no_role_user, unit=unit, name="李先生", phone="13900000001",
                                       relation=RegistrationRequest.Relation.OWNER, moved_in=dt.date(2024, 5, 1))
    log_in(page, "staff", password)

    menu = open_menu(page)
    expect(menu.get_by_role("heading", name="居委小张")).to_be_visible()
    assert_accessible(page)  # with the menu open
    page.screenshot(path=str(artifacts_dir / "staff-menu.png"))

    follow(page, menu.get_by_role("link", name="注册审核"))
    expect(page).to_have_url("/registrations/")
    expect(page.get_by_role("heading", name="注册审核", level=1)).to_be_visible()
    filters = page.get_by_role("navigation", name="按状态筛选")
    expect(filters.get_by_role("link", name="待审核")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="李先生")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("蓉庭居民区 1号楼 301")
    page.screenshot(path=str(artifacts_dir / "staff-registration-queue.png"), full_page=True)


def test_staff_browses_community_building_unit(page, committee_staff, resident, password, artifacts_dir):
    log_in(page, "staff", password)

    follow(page, open_menu(page).get_by_role("link", name="社区与房屋"))
    expect(page.get_by_role("heading", name="社区与房屋", level=1)).to_be_visible()

    follow(page, page.get_by_role("main").get_by_role("link", name="蓉庭居民区"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("蓉庭居民区")
    expect(page.get_by_role("navigation", name="位置")).to_be_visible()

    follow(page, page.get_by_role("link", name="1号楼", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("蓉庭居民区 1号楼")

    follow(page, page.get_by_role("link", name="301", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("301")
    expect(page.get_by_role("heading", name="在住人员")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text="王阿姨")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "staff-unit.png"), full_page=True)
