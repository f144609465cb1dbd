"""蓉庭 end to end, on a phone, in Chinese: a sublandlord registers a tenant moving in; a resident files a
noise complaint about that flat; the sublandlord handles it; committee staff verify it on site; the
sublandlord's scorecard shows it; the sublandlord votes in the team's election and checks the receipt.
Every page is axe-checked (visit()/follow())."""
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import (
    Case, CaseStatus, Notification, Role, Team,
)
from communities.services import elections as election_svc
from landlords.models import TenantRegistration

from ..factories import TeamFactory, make_member, serve, team_join
from .flows import do_action, follow, log_in, log_out, open_menu, seed_case_routing

NOISE = "302 室新来的租客夜里一点还在打游戏大声喊叫，整栋楼都能听见。"


@pytest.fixture
def rongting(community, let_unit, landlord, committee_staff, party_secretary, resident):
    seed_case_routing(community)
    team = TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    serve(community)
    team_join(team, landlord)
    return team


@pytest.fixture
def election(community, rongting, committee_staff, landlord):
    """An open 增补骨干 election with two candidates; the team's sublandlords are the voters."""
    candidates = [make_member(community, Role.SUBLANDLORD, username=f"cand{i}", name=name)
                  for i, name in enumerate(["周师傅", "吴阿姨"])]
    election = election_svc.election_create(
        actor=committee_staff, community=community, posts=[("增补骨干", 1)],
        fields={"title": "蓉治社增补骨干选举", "electorate_role": Role.SUBLANDLORD, "team": rongting})
    post = election.posts.get()
    for user in candidates:
        election_svc.election_candidate_add(actor=committee_staff, election=election, post=post, user=user)
    election_svc.election_open(election=election, actor=committee_staff)
    return election


def switch_user(page, username, password):
    log_out(page)
    log_in(page, username, password)


def open_hub(page):
    follow(page, open_menu(page).get_by_role("link", name=re.compile("^蓉治社")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("蓉治社")


def test_rongting_from_tenant_registration_to_scorecard_and_vote(page, rongting, election, password, outbox,
                                                                  artifacts_dir, let_unit, landlord,
                                                                  committee_staff, resident):
    flat = f"{let_unit.building.name} {let_unit.room}"

    # --- the sublandlord registers a tenant moving in, from the phone ------------------------------
    log_in(page, "landlord", password)
    open_hub(page)
    follow(page, page.get_by_role("link", name="我的出租房屋 · 租客进出登记"))
    follow(page, page.get_by_role("main").get_by_role("link", name=flat))
    follow(page, page.get_by_role("link", name="登记租客入住"))
    page.get_by_role("textbox", name="租客姓名").fill("刘小军")
    page.get_by_role("textbox", name="手机号码").fill("139 1234 5678")
    page.get_by_label("入住日期").fill(timezone.localdate().isoformat())
    follow(page, page.get_by_role("button", name="登记入住"))
    expect(page.get_by_role("status").filter(has_text="已登记 刘小军 入住，居委已收到通知。")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("刘小军")
    registration = TenantRegistration.objects.get(unit=let_unit)
    assert not registration.is_late and registration.residency.person.phone == "13912345678"
    assert Notification.objects.filter(recipient=committee_staff, body__contains="刘小军").exists() or \
        Notification.objects.filter(recipient=committee_staff, title__contains="入住").exists()

    # --- a neighbour files a noise complaint about that flat -----------------------------------------
    switch_user(page, "resident", password)
    follow(page, open_menu(page).get_by_role("link", name="反映问题"))
    page.get_by_label("问题类别").select_option(label="噪音扰民")
    page.get_by_label("某一户(填楼栋和房号)").check()
    page.get_by_label("楼栋", exact=True).select_option(label=let_unit.building.name)
    page.get_by_role("textbox", name="房号").fill(let_unit.room)
    page.get_by_role("textbox", name="情况描述").fill(NOISE)
    follow(page, page.get_by_role("button", name="提交", exact=True))
    case = Case.objects.get(reporter=resident)
    expect(page).to_have_url(f"/cases/{case.pk}/")
    assert case.handler_user == landlord  # routed to the flat's sublandlord

    # --- the sublandlord handles it -------------------------------------------------------------------
    switch_user(page, "landlord", password)
    follow(page, open_menu(page).get_by_role("link", name="待我处理"))
    follow(page, page.get_by_role("main").get_by_role("link", name=f"#{case.pk} 噪音扰民"))
    do_action(page, "接单处理")
    do_action(page, "报告已解决", note="已约谈租客，晚上十点后保持安静，已签租户公约。")

    # --- committee staff verify on site ----------------------------------------------------------------
    switch_user(page, "staff", password)
    follow(page, open_menu(page).get_by_role("link", name="诉求管理"))
    follow(page, page.get_by_role("main").get_by_role("link", name=f"#{case.pk} 噪音扰民"))
    do_action(page, "上门验收通过", note="夜间回访，已无噪音。")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    # --- the sublandlord's scorecard shows it ---------------------------------------------------------
    switch_user(page, "landlord", password)
    open_hub(page)
    follow(page, page.get_by_role("link", name="查看积分卡"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("二房东履职积分卡")
    # On the phone: one card per sublandlord, its figures as a description list (the table is for desktops).
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("陈师傅")))
    figures = card.get_by_role("definition")
    expect(figures.nth(0)).to_have_text(re.compile(r"· 1$"))    # cases on the flat
    expect(figures.nth(3)).to_have_text("100.0%")               # verification passed 1/1
    expect(figures.nth(5)).to_have_text("100.0%")               # the registration was on time
    page.screenshot(path=str(artifacts_dir / "landlord-scorecard.png"), full_page=True)

    # --- a vote in the team's election, and its receipt checked ---------------------------------------
    open_hub(page)
    follow(page, page.get_by_role("link", name=re.compile("^团队选举")))
    follow(page, page.get_by_role("link", name="蓉治社增补骨干选举"))
    page.get_by_label("吴阿姨").check()
    follow(page, page.get_by_role("button", name="提交选票"))
    expect(page.get_by_role("heading", name="投票成功")).to_be_visible()
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){2}", receipt), receipt
    follow(page, page.get_by_role("link", name="核验回执"))
    page.get_by_role("textbox", name="回执码").fill(receipt.lower().replace("-", " "))
    follow(page, page.get_by_role("button", name="核验", exact=True))
    found = page.get_by_role("region", name="找到这张选票，记录的选择如下：")
    expect(found).to_contain_text("增补骨干")
    expect(found).to_contain_text("吴阿姨")
    page.screenshot(path=str(artifacts_dir / "landlord-receipt.png"), full_page=True)
    assert election.voters.filter(user=landlord, has_voted=True).exists()
