"""服务站考核 pages: the villager's scoring (an elder in elder mode, all the way to the thank-you), the paper
form, the results page, the standard, the improvement actions, who may open what (403 in the village, 404 from
another), the board's card in a fixed number of queries and the monthly close once."""
import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Evaluation, ImprovementAction, ResidentScore, Role
from communities.services import evaluations as core
from propertyservice import metrics
from propertyservice.metrics import Measure, Metric
from propertyservice.selectors.evaluation import SUBJECT
from propertyservice.services import evaluation as svc

from ..communities.evaluation_world import G, adopted_standard
from ..factories import make_member
from .world import (  # noqa: F401
    NOW, committee, head, head2, make_house, other_village, station, staff_member, village, villager,
)

pytestmark = pytest.mark.django_db
PAGE, SCORE, PAPER, STANDARD, BOARD = (reverse(f"propertyservice:{n}") for n in (
    "evaluation", "evaluation_score", "evaluation_paper", "evaluation_standard", "board"))
CRITERIA = [
    {"name": "巡逻完成率", "group": G.OBJECTIVE, "metric_key": "patrols_completed"},
    {"name": "车棚安全", "group": G.OBJECTIVE, "metric_key": "sheds_safe"},  # no area registered it here
    {"name": "诉求解决率", "group": G.CASES, "metric_key": "resolution"},
    {"name": "环境卫生", "group": G.RESIDENTS, "question": "您对村里的环境卫生满意吗？"},
    {"name": "服务态度", "group": G.RESIDENTS, "question": "您对服务站的服务态度满意吗？"},
]


def patrols(*, community, start, end):
    return Measure(27, 30, "27 / 30 次巡逻按时完成")


@pytest.fixture(autouse=True)
def patrol_metric(monkeypatch):
    monkeypatch.setattr(metrics, "METRICS", [
        Metric("patrols_completed", "巡逻完成率", "tests.propertyservice.test_evaluation.patrols")])


@pytest.fixture
def standard(village, committee):
    return adopted_standard(committee, village, subject=SUBJECT, criteria=CRITERIA)


def fields(standard, *labels):
    residents = standard.criteria.filter(group="residents").order_by("order")
    return {f"c{c.pk}": label for c, label in zip(residents, labels)}


def body(page) -> str:
    return page.content.decode()


# --- the villager ------------------------------------------------------------------------------------------

def test_an_elder_scores_her_household_and_is_thanked(client, villager, standard):
    villager.elder_mode = True
    villager.save(update_fields=["elder_mode"])
    client.force_login(villager)
    page = client.get(SCORE)
    html = body(page)
    assert page.status_code == 200 and "elder-mode" in html
    assert "您对村里的环境卫生满意吗？" in html and html.count("btn-lg py-3 fs-4") == 8  # 4 big buttons × 2
    assert "提交" in html
    missing = client.post(SCORE, fields(standard, "满意"))
    assert missing.status_code == 400 and "请选择一项。" in body(missing)
    assert not ResidentScore.objects.exists()
    done = client.post(SCORE, fields(standard, "满意", "基本满意"))
    assert done.status_code == 200 and "谢谢您的评价" in body(done)
    assert sorted(ResidentScore.objects.values_list("label", "paper")) == [("基本满意", False), ("满意", False)]
    again = client.get(SCORE)
    assert "您家本月已经评过了" in body(again) and re.search(r'value="满意"[^>]*checked', body(again))


def test_a_second_member_of_the_household_cannot_score_it_again(client, village, villager, standard):
    client.force_login(villager)
    client.post(SCORE, fields(standard, "满意", "满意"))
    unit = ResidentScore.objects.first().unit
    son = make_member(village, Role.RESIDENT, username="son", unit=unit, name="丁小弟", relation="family")
    client.force_login(son)
    assert "您家本月已经评价过了" in body(client.get(SCORE))
    client.post(SCORE, fields(standard, "不满意", "不满意"))
    assert set(ResidentScore.objects.values_list("label", flat=True)) == {"满意"}


def test_who_may_score(client, village, committee, villager, other_village, standard):
    client.force_login(committee)
    assert client.get(SCORE).status_code == 403  # committee staff type in paper forms instead
    lodger = make_member(village, Role.RESIDENT, username="nohouse", name="无房户")
    client.force_login(lodger)
    assert "没有登记的住户" in body(client.get(SCORE))
    client.force_login(villager)
    assert client.get(SCORE, {"community": other_village.slug}).status_code == 404


# --- staff ---------------------------------------------------------------------------------------------------

def test_staff_type_in_a_paper_form_once_per_household(client, village, staff_member, villager, standard):
    house = make_house(village, "施杨", "3号")
    client.force_login(staff_member)
    assert client.get(PAPER).status_code == 200
    ok = client.post(PAPER, {"unit": house.pk, **fields(standard, "一般", "满意")})
    assert ok.status_code == 302
    score = ResidentScore.objects.get(criterion__name="环境卫生")
    assert (score.paper, score.entered_by, score.unit) == (True, staff_member, house)
    assert "本月已录入 1 户" in body(client.get(PAPER)) and "丁卫东 录入于" in body(client.get(PAPER))
    twice = client.post(PAPER, {"unit": house.pk, **fields(standard, "满意", "满意")})
    assert twice.status_code == 400 and "每户每月只能评一次" in body(twice)
    client.force_login(villager)
    assert client.get(PAPER).status_code == 403


def test_the_results_page_for_heads_and_committee_only(client, head, staff_member, committee, villager,
                                                       other_village, standard):
    for user in (head, committee):
        client.force_login(user)
        page = client.get(PAGE)
        html = body(page)
        assert page.status_code == 200
        assert "巡逻完成率" in html and "90.0" in html and "27 / 30" in html  # measured from METRICS
        assert "暂无数据" in html  # 车棚安全: no metric registered with that key
        assert "<svg" in html and "ld-chart-table" in html
    for user in (staff_member, villager):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
    client.force_login(head)
    assert client.get(PAGE, {"community": other_village.slug}).status_code == 404


def test_the_standard_is_public_to_villagers_with_its_decision(client, villager, standard):
    client.force_login(villager)
    html = body(client.get(STANDARD))
    assert "第 1 版" in html and "表决通过" in html and standard.motion.election.title in html
    assert "客观指标 50%" in html and "满意 1" in html and "基本满意 0.8" in html and "惯例，非法定" in html


def test_heads_run_the_improvement_actions(client, village, head, head2, station, staff_member, villager,
                                          other_village, standard):
    evaluation = core.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    svc.villager_score(actor=villager, community=village, answers={
        int(k[1:]): v for k, v in fields(standard, "不满意", "满意").items()}, now=NOW)
    core.evaluation_close(evaluation_id=evaluation.pk, now=NOW)
    action = ImprovementAction.objects.get()
    assign = reverse("propertyservice:evaluation_action_assign", args=[action.pk])
    close = reverse("propertyservice:evaluation_action_close", args=[action.pk])
    client.force_login(staff_member)
    assert client.post(close, {"closing_note": "x"}).status_code == 403
    outsider = make_member(other_village, Role.STATION_STAFF, username="other-head2")
    client.force_login(outsider)
    assert client.post(close, {"closing_note": "x"}).status_code == 404
    client.force_login(head)
    client.post(assign, {"owner": head2.pk, "due_on": "2026-04-15"})
    assert head2.notifications.get().title == "整改事项：环境卫生"
    client.post(assign, {"owner": head.pk, "due_on": "2026-04-15"})
    client.post(close, {"closing_note": "垃圾房每天冲洗两次，分类督导员上岗"})
    action.refresh_from_db()
    assert (action.owner, action.due_on, action.status) == (head, dt.date(2026, 4, 15), "done")
    assert "垃圾房每天冲洗两次" in body(client.get(PAGE))


# --- the board and the month -----------------------------------------------------------------------------

def _board_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(BOARD)
    assert page.status_code == 200 and "服务站考核（本月）" in body(page)
    return len(ctx.captured_queries)


def test_the_board_card_runs_a_fixed_number_of_queries(client, village, head, station, standard):
    evaluation = core.evaluation_open(community=village, subject=SUBJECT)
    few = _board_queries(client, head)
    for i in range(6):
        house = make_house(village, "七图", f"{i + 10}号")
        core.household_score(actor=head, evaluation=evaluation, unit=house, answers={
            int(k[1:]): v for k, v in fields(standard, "满意", "一般").items()}, paper=True)
    core.evaluation_close(evaluation_id=core.evaluation_open(
        community=village, subject=SUBJECT, month=dt.date(2025, 12, 1)).pk)  # a closed month in the trend
    assert _board_queries(client, head) == few


def test_the_monthly_close_runs_once_from_the_second(village, villager, standard):
    march = core.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    svc.villager_score(actor=villager, community=village, answers={
        int(k[1:]): v for k, v in fields(standard, "满意", "满意").items()}, now=NOW)
    first = dt.datetime(2026, 4, 1, 9, 0, tzinfo=NOW.tzinfo)
    assert svc.close_last_month(now=first) == 0  # the 1st: a day for the last paper forms
    assert svc.close_last_month(now=first + dt.timedelta(days=1)) == 1
    assert svc.close_last_month(now=first + dt.timedelta(days=1, hours=6)) == 0
    march.refresh_from_db()
    assert march.status == Evaluation.Status.CLOSED and march.overall is not None
    assert settings.CELERY_BEAT_SCHEDULE["close-station-evaluations"]["task"] == \
        "propertyservice.tasks.close_last_month_evaluations"


# --- drafting and adopting a version --------------------------------------------------------------------------

def test_committee_drafts_a_version_and_adopts_it_by_the_village_decision(client, village, committee, villager,
                                                                          standard):
    from ..communities.evaluation_world import AGAINST, village_motion

    draft_url = reverse("propertyservice:evaluation_standard_draft")
    client.force_login(villager)
    assert client.get(draft_url).status_code == 403
    client.force_login(committee)
    page = client.get(draft_url)
    assert page.status_code == 200 and "巡逻完成率 | 客观 | patrols_completed" in body(page)  # starts from v1
    bad = client.post(draft_url, {"title": "第二版", "weight_objective": 50, "weight_cases": 30,
                                  "weight_residents": 30, "threshold": "0.6", "criteria": "环境卫生 | 村民"})
    assert bad.status_code == 400 and "三类权重之和应为 100%" in body(bad)
    ok = client.post(draft_url, {"title": "第二版", "weight_objective": 40, "weight_cases": 30,
                                 "weight_residents": 30, "threshold": "0.7",
                                 "criteria": "巡逻完成率 | 客观 | patrols_completed | 2\n环境卫生 | 村民 | | 1 | 环境满意吗？"})
    assert ok.status_code == 302
    v2 = standard.__class__.objects.get(version=2)
    assert (v2.status, v2.weight_objective, v2.criteria.count()) == ("draft", 40, 2)
    adopt = reverse("propertyservice:evaluation_standard_adopt", args=[v2.pk])
    failed = village_motion(committee, village, choice=AGAINST, title="否决第二版")
    client.post(adopt, {"motion": failed.pk})
    v2.refresh_from_db()
    assert v2.status == "draft"
    passed = village_motion(committee, village, title="通过第二版")
    client.post(adopt, {"motion": passed.pk})
    v2.refresh_from_db()
    standard.refresh_from_db()
    assert (v2.status, v2.motion, standard.status) == ("adopted", passed, "retired")
    assert "第 2 版" in body(client.get(STANDARD))


def test_a_head_enters_a_value_by_hand_where_there_is_no_data(client, village, head, station, staff_member, standard):
    enter = reverse("propertyservice:evaluation_enter")
    sheds = standard.criteria.get(name="车棚安全")
    client.force_login(staff_member)
    assert client.post(enter, {"community": village.slug, "criterion": sheds.pk, "score": "70"}).status_code == 403
    client.force_login(head)
    client.post(enter, {"community": village.slug, "criterion": sheds.pk, "score": "70", "note": "逐个车棚检查"})
    html = body(client.get(PAGE))
    assert "逐个车棚检查" in html and "人工录入" in html and "70.0" in html
