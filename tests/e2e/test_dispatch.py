"""Committee staff at a desktop (1280 px) dispatch: the main navigation is in the bar; the picker is searched,
the flat's sublandlord is suggested first (推荐) and namesakes are told apart by building and role; two cases
are dispatched at once from the list's table. Every page is axe-checked (visit()/follow()/assert_accessible())."""
import pytest
from playwright.sync_api import expect

from communities.models import Case, CaseStatus, Role
from communities.services.cases import case_file

from ..factories import BuildingFactory, CaseCategoryFactory, UnitFactory, make_member
from .a11y import assert_accessible, visit
from .flows import follow, log_in

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def context(browser, live_server):
    """A desktop browser profile (the package's default is a phone)."""
    ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP, reduced_motion="reduce", base_url=live_server.url)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def desk(community, building, let_unit, landlord, committee_staff, resident, tenant):
    category = CaseCategoryFactory(community=community, code="noise", name="噪音扰民")
    wang = make_member(community, Role.SUBLANDLORD, username="wang1", name="王芳")
    UnitFactory(building=BuildingFactory(community=community, name="2号楼"), room="101", is_let=True,
                sublandlord=wang.person)
    make_member(community, Role.VOLUNTEER, username="wang2", name="王芳",
                unit=UnitFactory(building=building, room="601"))
    cases = [case_file(filed_by=resident, community=community, category=category, unit=let_unit,
                       description=f"302 室夜里很吵，第{n}次") for n in range(3)]
    assert all(c.status == CaseStatus.SUBMITTED for c in cases)  # no routing rule: they wait for staff
    return cases, wang


def handler_select(page):
    return page.locator("#id_dispatch_handler_user")


def test_staff_search_the_picker_dispatch_to_the_suggested_sublandlord_and_bulk_dispatch(page, desk, password,
                                                                                         landlord):
    (first, second, third), wang = desk
    log_in(page, "staff", password)

    # The main links are in the bar; 菜单 is for phones.
    bar = page.get_by_role("navigation", name="主导航")
    expect(bar.get_by_role("link", name="诉求管理")).to_be_visible()
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()

    # --- one case: search the picker, the sublandlord comes first ---------------------------------
    visit(page, f"/cases/{first.pk}/")
    panel = page.locator("details").filter(has=page.locator("summary", has_text="派单"))
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(handler_select(page).locator("optgroup").first).to_have_attribute("label", "推荐：这套房屋的二房东")
    page.get_by_role("searchbox", name="查找人员").fill("王芳")
    page.get_by_role("searchbox", name="查找人员").press("Enter")  # searches; does not submit the dispatch
    expect(handler_select(page).locator("option", has_text="王芳 · 2号楼 · 二房东")).to_have_count(1)
    expect(handler_select(page).locator("option", has_text="王芳 · 1号楼 · 志愿者")).to_have_count(1)
    expect(handler_select(page).locator("option", has_text="陈师傅")).to_have_count(0)
    expect(page.get_by_text("请选择一位处理人或一个团队(二选一)。")).to_have_count(0)
    assert_accessible(page)  # the narrowed picker
    page.get_by_role("searchbox", name="查找人员").fill("陈")
    suggested = handler_select(page).locator("optgroup").first
    expect(suggested).to_have_attribute("label", "推荐：这套房屋的二房东")
    expect(suggested.locator("option")).to_have_text(["陈师傅 · 1号楼 · 二房东 · 推荐"])
    handler_select(page).select_option(label="陈师傅 · 1号楼 · 二房东 · 推荐")
    follow(page, panel.get_by_role("button", name="派单", exact=True))
    expect(page.get_by_role("status").filter(has_text="已完成：派单。")).to_be_visible()
    assert Case.objects.get(pk=first.pk).handler_user == landlord

    # --- two cases at once from the desktop table -----------------------------------------------
    visit(page, "/cases/")
    table = page.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="经办人")).to_be_visible()
    expect(table.get_by_role("row").filter(has_text=f"#{first.pk}")).to_contain_text("陈师傅")
    page.get_by_label(f"选择 #{second.pk}").check()
    page.get_by_label(f"选择 #{third.pk}").check()
    bulk = page.get_by_role("group", name="批量派单：把勾选的诉求派给同一处理人")
    bulk.get_by_label("派给人员").select_option(label="王芳 · 2号楼 · 二房东")
    follow(page, bulk.get_by_role("button", name="批量派单"))
    expect(page.get_by_role("status").filter(has_text=f"已派单 2 件：#{second.pk}、#{third.pk}。")).to_be_visible()
    assert set(Case.objects.filter(pk__in=[second.pk, third.pk]).values_list("handler_user", flat=True)) == {wang.pk}

    # --- on a phone the same list is cards, and the links are behind 菜单 --------------------------
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("table")).to_be_hidden()
    expect(page.get_by_role("main").get_by_role("link", name=f"#{second.pk} 噪音扰民")).to_be_visible()
    expect(page.get_by_role("button", name="菜单")).to_be_visible()
    expect(bar.get_by_role("link", name="诉求管理")).to_be_hidden()
    assert_accessible(page)
