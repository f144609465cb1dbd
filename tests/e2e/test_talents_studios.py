"""郡园's studio pages on a 390 px phone, in Chinese, axe-checked: a resident opens the hub, follows a studio
through its host's share link; the host edits the tagline and sees who invited the follower; staff open the
qualification list and a merchant's page. Nothing scrolls sideways."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from communities.models import Community, Role, TeamMember
from talents.selectors.studios import invite_code
from talents.services.merchants import merchant_save
from talents.services.studios import qualification_record, studio_create

from ..factories import CommunityFactory, make_member, serve
from .a11y import visit
from .flows import follow, log_in


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


@pytest.fixture
def junyuan_world(db):
    junyuan = CommunityFactory(name="郡园居民区", slug="junyuan", kind=Community.Kind.RESIDENTIAL)
    serve(junyuan, "talents")
    staff = make_member(junyuan, Role.COMMITTEE_STAFF, username="staff_junyuan", name="李倩")
    host = make_member(junyuan, Role.TALENT, username="talent", name="书法达人")
    resident = make_member(junyuan, Role.RESIDENT, username="j_resident", name="郡园王阿姨")
    studio = studio_create(actor=staff, community=junyuan, name="墨香工作室", slug="moxiang", talent_kind="calligraphy",
                           tagline="免费书法课", description="长者班和少儿班", hosts=[host], today=dt.date.today())
    studio_create(actor=staff, community=junyuan, name="空手道工作室", slug="kongshoudao", talent_kind="karate",
                  today=dt.date.today())
    qualification_record(actor=staff, studio=studio, host=host, kind="background",
                         checked_on=dt.date.today() - dt.timedelta(days=350), number="沪宝罗核字2025-088")
    merchant = merchant_save(actor=staff, community=junyuan, name="美兰湖茶饮", address="美兰湖路", phone="13955550202",
                             offers="体验课场地和茶饮", active=True)[0]
    return {"studio": studio, "host": host, "resident": resident, "merchant": merchant}


def test_a_resident_follows_through_the_share_link_and_the_host_sees_it(page, junyuan_world, password):
    studio, host = junyuan_world["studio"], junyuan_world["host"]
    log_in(page, "j_resident", password)
    visit(page, "/talents/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("郡园达人")
    no_sideways_scroll(page)
    visit(page, f"/talents/studios/moxiang/?invited_by={invite_code(studio=studio, host=host)}")
    expect(page.get_by_text("书法达人 邀请您关注")).to_be_visible()
    follow(page, page.get_by_role("button", name="关注", exact=True))
    expect(page.get_by_text("已关注墨香工作室")).to_be_visible()
    no_sideways_scroll(page)
    assert TeamMember.objects.get(team=studio.team, user=junyuan_world["resident"]).invited_by == host
    visit(page, "/talents/studios/kongshoudao/")
    expect(page.get_by_text("安全提示")).to_be_visible()
    visit(page, f"/talents/merchants/{junyuan_world['merchant'].pk}/")
    expect(page.get_by_text("本平台不出售任何商品或课程")).to_be_visible()
    no_sideways_scroll(page)


def test_the_host_edits_the_page_and_staff_see_the_lapsing_check(page, junyuan_world, password):
    log_in(page, "talent", password)
    visit(page, "/talents/studios/moxiang/edit/")
    no_sideways_scroll(page)
    page.get_by_label("一句话介绍").fill("周二、周六免费书法课")
    follow(page, page.get_by_role("button", name="保存"))
    expect(page.get_by_text("已保存。")).to_be_visible()
    visit(page, "/talents/studios/moxiang/followers/")
    no_sideways_scroll(page)
    page.context.clear_cookies()
    log_in(page, "staff_junyuan", password)
    visit(page, "/talents/qualifications/")
    expect(page.get_by_text("沪宝罗核字2025-088")).to_be_visible()
    no_sideways_scroll(page)
    visit(page, "/talents/qualifications/new/")
    visit(page, "/talents/studios/new/")
    visit(page, "/talents/merchants/")
    no_sideways_scroll(page)
