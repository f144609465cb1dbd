"""The issue's browser test (issue 15, item 11), on a 390 px phone, in Chinese, axe-checked on every page:

owners vote on a facade repair shared by one building (1号楼 of ``owners_world``: 7 heads, 800 m²):

1. 乙, 丁, 戊 and 庚 vote online (4 heads, 375 m²); 居委甲 types in 己's paper ballot (95 m²): until 居委乙 confirms
   it, the vote page counts 4 voters, afterwards 5;
2. 5 of 7 heads is two thirds, but 470 of 800 m² is not: published, the vote page says participation failed, and
   the project page sends the plan back;
3. a second vote: 甲 (220 m²) votes in the browser too, 6 heads and 690 m² take part, all for: it passes both
   majorities and the project moves on to the cost audit (待审价).

The data is built with the services (assembly_create through repair_vote_open); the vote and its result are the
core's election pages (the assembly area's page is built in parallel)."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Ballot, Election, MotionVote
from communities.services import elections as core
from communities.services import paper_ballots
from talents.models import RepairProject
from talents.services import owners_repairs as svc

from ..talents.owners_world import estate, owners, staff, staff2  # noqa: F401
from .a11y import visit
from .flows import follow, log_in, log_out

WIDTH = 390
pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def _cast(election, owners, letters):
    motion = election.motions.get()
    for letter in letters:
        core.ballot_cast(election=election, actor=owners[letter], choices={}, motions={motion.pk: MotionVote.Choice.FOR})


def _election(project):
    return Election.objects.get(pk=RepairProject.objects.get(pk=project.pk).assembly.election_id)


@pytest.fixture
def project(estate, staff):
    project = svc.repair_project_create(actor=staff, community=estate.community, title="1号楼外墙面砖修复",
                                        kind="facade", scope="building", building=estate.buildings["1号楼"])
    svc.repair_plan(project_id=project.pk, actor=staff, items=[("外墙面砖修复", "52000.00")], scope="building",
                    building=estate.buildings["1号楼"])
    svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=timezone.now() + dt.timedelta(days=3))
    return project


def test_owners_vote_on_a_facade_repair_and_the_project_moves_to_the_audit(page, estate, owners, staff, staff2,
                                                                            project, password, artifacts_dir):
    election = _election(project)
    _cast(election, owners, "bdeg")

    # 1. The paper ballot of 己 (no login): typed in by 居委甲, not counted until 居委乙 confirms it.
    log_in(page, "jy_staff", password)
    visit(page, f"/elections/{election.pk}/paper/")
    page.get_by_label("选民").select_option(label="己业主")
    page.get_by_text("同意", exact=True).click()
    follow(page, page.get_by_role("button", name="录入（待复核）"))
    expect(page.get_by_role("main")).to_contain_text("待复核 1 张 · 已复核 0 张")
    assert Ballot.objects.filter(election=election).count() == 4  # typed in, not counted
    log_out(page)

    log_in(page, "jy_staff2", password)
    visit(page, f"/elections/{election.pk}/paper/confirm/")
    follow(page, page.get_by_role("button", name="复核通过"))
    visit(page, f"/elections/{election.pk}/paper/")
    expect(page.get_by_role("main")).to_contain_text("待复核 0 张 · 已复核 1 张")
    assert Ballot.objects.filter(election=election).count() == 5  # confirmed by a second person: counted

    # 2. Enough owners (5 of 7) but not enough area (470 of 800 m²): participation fails, and the page says so.
    core.election_close(election=election, actor=staff2)
    visit(page, f"/elections/{election.pk}/")
    follow(page, page.get_by_role("button", name="公布结果"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("参与表决的人数或面积未达到法定要求，本次表决不产生决定。")
    expect(main).to_contain_text("投票 5 人 / 选民 7 人")
    expect(main).to_contain_text("投票面积 470.00 / 总面积 800.00 平方米")
    no_sideways_scroll(page)
    visit(page, f"/talents/owners/repairs/{project.pk}/")
    expect(page.get_by_role("main")).to_contain_text("参与表决的业主人数或专有面积未达到三分之二")
    follow(page, page.get_by_role("button", name="登记表决结果"))
    expect(page.get_by_role("main")).to_contain_text("表决未通过，退回方案")
    assert RepairProject.objects.get(pk=project.pk).status == RepairProject.Status.PLANNED

    # 3. A second vote, opened from the project page; 甲 votes in the browser, the others as before.
    page.locator("summary", has_text="发起业主表决").click()
    closes = timezone.localtime() + dt.timedelta(days=3)
    page.get_by_label("表决截止时间").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    follow(page, page.get_by_role("button", name="发起业主表决"))
    election = _election(project)
    _cast(election, owners, "bdeg")
    ji = election.voters.get(person__name="己业主")
    paper = paper_ballots.paper_ballot_enter(actor=staff, election=election, voter_id=ji.pk, choices={},
                                             motions={election.motions.get().pk: "for"})
    paper_ballots.paper_ballot_confirm(actor=staff2, paper_id=paper.pk)
    log_out(page)

    log_in(page, "owner_a", password)
    visit(page, f"/talents/owners/repairs/{project.pk}/")
    follow(page, page.get_by_role("link", name="投票页面"))
    page.get_by_text("同意", exact=True).click()
    follow(page, page.get_by_role("button", name="提交选票"))
    expect(page.get_by_role("heading", level=1)).to_have_text("投票成功")
    page.screenshot(path=str(artifacts_dir / "owners-repair-vote.png"), full_page=True)
    log_out(page)

    log_in(page, "jy_staff2", password)
    core.election_close(election=election, actor=staff2)
    visit(page, f"/elections/{election.pk}/")
    follow(page, page.get_by_role("button", name="公布结果"))
    expect(page.get_by_role("main")).to_contain_text("投票 6 人 / 选民 7 人")
    expect(page.get_by_role("main")).to_contain_text("投票面积 690.00 / 总面积 800.00 平方米")
    expect(page.get_by_role("main")).not_to_contain_text("本次表决不产生决定")
    visit(page, f"/talents/owners/repairs/{project.pk}/")
    expect(page.get_by_role("main")).to_contain_text("表决通过")
    follow(page, page.get_by_role("button", name="登记表决结果"))
    expect(page.get_by_role("main").get_by_text("待审价", exact=True)).to_be_visible()
    expect(page.locator("summary", has_text="登记审价")).to_be_visible()
    no_sideways_scroll(page)
    assert RepairProject.objects.get(pk=project.pk).status == RepairProject.Status.APPROVED
