"""服务站考核 on a 390 px phone, in Chinese, axe-checked on every page:

1. 丁阿婆, in 长辈模式, opens 给服务站打分 from the station hub, taps one big button per question, presses 提交 and
   is thanked; her household's answers are stored (not paper);
2. the head (周国强) opens the results page (this month's residents' scores, the trend as SVG with its table), the
   board's evaluation card, the standard and the paper-form page.
The standard is adopted through the real election services (tests/communities/evaluation_world.py)."""
import pytest
from playwright.sync_api import expect

from communities.models import ResidentScore
from propertyservice.selectors.evaluation import SUBJECT

from ..communities.evaluation_world import G, adopted_standard
from ..propertyservice.world import (  # noqa: F401
    committee, head, head2, station, village, villager,
)
from .a11y import assert_accessible, visit
from .flows import follow, log_in, log_out

WIDTH = 390
CRITERIA = [
    {"name": "环境卫生", "group": G.RESIDENTS, "question": "您对村里的环境卫生满意吗？"},
    {"name": "服务态度", "group": G.RESIDENTS, "question": "您对服务站的服务态度满意吗？"},
    {"name": "诉求解决率", "group": G.CASES, "metric_key": "resolution"},
]


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


@pytest.fixture
def standard(village, committee):
    return adopted_standard(committee, village, subject=SUBJECT, criteria=CRITERIA)


def test_an_elder_scores_the_station_and_the_head_reads_it(page, villager, head, station, standard, password,
                                                           artifacts_dir):
    villager.elder_mode = True
    villager.save(update_fields=["elder_mode"])
    log_in(page, "villager", password)
    visit(page, "/property/")
    follow(page, page.get_by_role("link", name="给服务站打分"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("给服务站打分")
    no_sideways_scroll(page)
    first = main.get_by_role("group", name="1. 您对村里的环境卫生满意吗？")
    second = main.get_by_role("group", name="2. 您对服务站的服务态度满意吗？")
    first.get_by_text("基本满意", exact=True).click()
    second.get_by_text("满意", exact=True).click()
    expect(first.get_by_role("radio", name="基本满意")).to_be_checked()
    assert_accessible(page)  # with the answers chosen (the pressed buttons' contrast too)
    button = main.get_by_role("button", name="提交")
    assert button.bounding_box()["height"] >= 48  # a big target
    page.screenshot(path=str(artifacts_dir / "property-evaluation-score.png"), full_page=True)
    follow(page, button)
    expect(page.get_by_role("status")).to_contain_text("您家本月的评价已经收到")
    assert sorted(ResidentScore.objects.values_list("label", "paper")) == [("基本满意", False), ("满意", False)]
    log_out(page)

    log_in(page, "head", password)
    visit(page, "/property/evaluation/")
    main = page.get_by_role("main")
    expect(main.get_by_role("row", name="环境卫生").first).to_contain_text("80.0")  # this month, first
    expect(main.locator("svg").first).to_be_attached()
    no_sideways_scroll(page)
    visit(page, "/property/board/")
    expect(page.get_by_role("heading", name="服务站考核（本月）")).to_be_visible()
    no_sideways_scroll(page)
    visit(page, "/property/evaluation/standard/")
    expect(page.get_by_role("main")).to_contain_text("第 1 版")
    no_sideways_scroll(page)
    visit(page, "/property/evaluation/paper/")
    expect(page.get_by_label("户（按村民小组）")).to_be_visible()
    no_sideways_scroll(page)
