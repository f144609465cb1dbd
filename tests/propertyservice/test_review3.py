"""Review of the heads' board, the hub and the evaluation as their users meet them (review3)."""
import pytest
from django.urls import reverse

from propertyservice.views.patrols_cards import board_chart_rows

from .world import (  # noqa: F401
    committee, head, head2, make_village, other_village, station, staff_member, village, villager,
)

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
