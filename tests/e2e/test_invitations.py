"""Getting in without help, in the browser: a corridor QR code scanned while signed out, the community page with
the committee's phone, and 代登记 — staff print a slip, the resident opens it and sets a password."""
from playwright.sync_api import expect

from communities.models import Community
from communities.selectors.qr import landing_path

from .a11y import assert_accessible, visit
from .flows import follow, log_in, log_out

NEW_PASSWORD = "Lu0dian-garden-42"


def test_a_corridor_code_scanned_signed_out_says_what_it_is(page, community, building):
    Community.objects.filter(pk=community.pk).update(office_phone="021-5600 1234", office_hours="周一至周五")
    visit(page, landing_path(building))
    main = page.get_by_role("main")
    expect(main).to_contain_text("这是蓉庭居民区的问题反映二维码，位置：1号楼。")
    expect(main.get_by_role("link", name="021-5600 1234")).to_have_attribute("href", "tel:02156001234")
    expect(main.get_by_role("link", name="还没有账号？注册")).to_be_visible()


def test_the_community_page_shows_the_committee_contacts(page, resident, community, password):
    Community.objects.filter(pk=community.pk).update(office_phone="021-5600 1234", office_address="蓉庭路 1 号")
    log_in(page, "resident", password)
    follow(page, page.get_by_role("link", name="我的社区 居委电话、办公时间和地址"))
    expect(page.get_by_role("main")).to_contain_text("蓉庭路 1 号")


def test_staff_register_a_resident_who_then_sets_a_password(page, committee_staff, community, building, unit,
                                                             password):
    log_in(page, "staff", password)
    visit(page, "/residents/register/")
    page.get_by_label("居民姓名").fill("赵阿婆")
    page.get_by_label("手机号").fill("13900001111")
    page.get_by_label("房号").fill("301")
    follow(page, page.get_by_role("button", name="登记并打印邀请单"))
    expect(page.get_by_role("heading", name="居民邀请单", level=1)).to_be_visible()
    expect(page.locator("svg[role=img]")).to_have_count(1)
    expect(page.locator("[data-print]")).to_be_visible()
    invite_url = page.locator("[data-invitation-url]").inner_text().strip()
    assert "/invite/" in invite_url
    log_out(page)

    visit(page, invite_url)
    expect(page.get_by_role("main")).to_contain_text("赵阿婆，您好！")
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    follow(page, page.get_by_role("button", name="设置密码并登录"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好，赵阿婆")

    log_out(page)
    visit_used = page.goto(invite_url)
    assert visit_used.status == 410
    assert_accessible(page)
    expect(page.get_by_role("main")).to_contain_text("这张邀请单已经用过了")
