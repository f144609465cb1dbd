"""Review of the heads' board, the hub and the evaluation as their users meet them (review3)."""
import datetime as dt
import uuid

import pytest
from django.urls import reverse

from propertyservice.models import HotlineCall
from propertyservice.selectors import hotline as hotline_sel
from propertyservice.services import hotline as hotline_svc
from propertyservice.hub import HUB_AREAS
from propertyservice.views.hub import villager_first
from propertyservice.views.patrols_cards import board_chart_rows

from .world import (  # noqa: F401
    DAY, HOUR, NOW, committee, head, head2, make_village, other_village, station, staff_member, village, villager,
)

C, O = HotlineCall.Category, HotlineCall.Outcome

pytestmark = pytest.mark.django_db

BOARD = reverse("propertyservice:board")


def test_the_board_reads_as_charts_for_incidents_and_patrols(client, head, station):
    client.force_login(head)
    page = client.get(BOARD).content.decode()
    assert "近 6 个月突发事件起数（不含演练）" in page and "近 6 个月到场用时中位数（从发现起算）" in page
    assert "本月巡逻（次）" in page and "本月垃圾清运" in page
    assert page.count('class="ld-chart-svg"') >= 4
    assert "<details" in page and "各环节每月中位数" in page  # the four medians stay, one tap away


def test_the_patrols_chart_shares_count_only_what_was_done():
    rows = board_chart_rows({"runs": {"total": 3, "completed": 2, "flagged": 1},
                             "handovers": {"total": 0, "on_time": 0},
                             "checks": {"total": 4, "mis_sorted": 1, "corrected": 1}})
    shares = {r["label"]: r["value"] for r in rows["garbage_rows"]}
    assert shares["交接按时"] is None  # no hand-over yet: 暂无数据, not 0%
    assert shares["分类正确"] == 0.75 and shares["混投已纠正"] == 1
    assert [r["value"] for r in rows["run_rows"]] == [3, 2, 1]


def _call(head, village, **overrides):
    fields = dict(actor=head, community=village, token=uuid.uuid4(), received_at=NOW - HOUR, caller_name="丁阿婆",
                  caller_phone="13916620001", category=C.ENQUIRY, about="问充电棚怎么办卡。", outcome=O.ANSWERED,
                  answer="带身份证到服务站登记。", now=NOW - HOUR + dt.timedelta(minutes=5))
    fields.update(overrides)
    return hotline_svc.hotline_call_log(**fields)


def test_the_hotline_card_counts_on_time_answers_of_calls_already_due(head, station, village):
    _call(head, village)  # answered on the spot
    _call(head, village, received_at=NOW - 2 * HOUR, outcome=O.CALLBACK, answer="",  # an enquiry: 1 working day
          callback_due_at=NOW + DAY, callback_assignee=head, now=NOW - 2 * HOUR)
    month = hotline_sel.hotline_month(community=village, now=NOW)
    assert (month.calls, month.in_time, month.due, month.not_yet_due) == (2, 1, 1, 1)  # 1 / 1, not 1 / 2
    later = hotline_sel.hotline_month(community=village, now=NOW + 8 * DAY)  # its 3 working days passed
    assert (later.in_time, later.due, later.not_yet_due) == (1, 2, 0)


def test_a_villager_meets_the_hotline_first_and_staff_keep_their_order(client, villager, head, station):
    names = [a.area for a in villager_first(HUB_AREAS)]
    assert names[:3] == ["hotline", "incidents", "evaluation"] and names[-1] == "station"
    client.force_login(villager)
    page = client.get(reverse("propertyservice:hub")).content.decode()
    assert page.index('id="hub-area-hotline"') < page.index('id="hub-area-evaluation"') < page.index(
        'id="hub-area-station"')
    client.force_login(head)
    page = client.get(reverse("propertyservice:hub")).content.decode()
    assert page.index('id="hub-area-station"') < page.index('id="hub-area-hotline"')


def _days_measure(*, community, start, end):
    from propertyservice.metrics import Measure
    days = (end - start).days
    return Measure(days, 4 * days, "")  # four sheds, one check a day each, a quarter of them done


def test_the_month_in_progress_is_measured_up_to_today_not_over_days_to_come(monkeypatch, village):
    from propertyservice import metrics
    from propertyservice.selectors.evaluation import station_source

    monkeypatch.setattr(metrics, "METRICS", [
        metrics.Metric("sheds_safe", "车棚安全", "tests.propertyservice.test_review3._days_measure")])
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    assert station_source(community=village, criterion_key="sheds_safe", start=march, end=april,
                          now=NOW) == (9, 36)  # 1–9 March are due on the 10th, not 124 checks of the month
    assert station_source(community=village, criterion_key="sheds_safe", start=dt.date(2026, 2, 1), end=march,
                          now=NOW) == (28, 112)  # a month over: all of it
    first = dt.datetime(2026, 3, 1, 9, 0, tzinfo=NOW.tzinfo)
    assert station_source(community=village, criterion_key="sheds_safe", start=march, end=april,
                          now=first) == (0, 0)  # nothing due yet: 暂无数据


def test_a_charts_hidden_table_cannot_push_the_page_sideways():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/communities/charts.css").read_text()
    assert ".ld-chart { position: relative; overflow: hidden; }" in css  # the figure clips its 1px table


def test_the_hubs_buttons_are_full_size_for_elders(client, villager, station):
    client.force_login(villager)
    page = client.get(reverse("propertyservice:hub")).content.decode()
    start, end = page.index('id="hub-area-incidents"'), page.index('id="hub-area-evaluation"')
    assert "报告突发事件" in page[start:end] and "btn-sm" not in page[start:end]


def test_the_hub_card_tells_a_household_that_has_scored_this_month(client, villager, committee, village, station):
    from propertyservice.selectors.evaluation import SUBJECT

    from ..communities.evaluation_world import G, adopted_standard

    standard = adopted_standard(committee, village, subject=SUBJECT, criteria=[
        {"name": "环境卫生", "group": G.RESIDENTS, "question": "您对村里的环境卫生满意吗？"}])
    client.force_login(villager)
    hub = reverse("propertyservice:hub")
    assert "给服务站打分" in client.get(hub).content.decode()
    done = client.post(reverse("propertyservice:evaluation_score"), {f"c{standard.criteria.get().pk}": "满意"})
    assert "谢谢您的评价" in done.content.decode()
    page = client.get(hub).content.decode()
    assert "您家本月已经评过了，谢谢！" in page and "修改本月的评价" in page and "给服务站打分" not in page
