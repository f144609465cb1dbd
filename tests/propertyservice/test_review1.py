"""Review fixes (review1): what a user of the station, patrol and incident pages tripped on."""
import pytest
from django.urls import reverse

from .patrols_world import checkpoints, make_route, make_shift, patrol_rota, route, shift  # noqa: F401
from .world import (  # noqa: F401
    NOW, at, committee, head, head2, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db


def test_a_guard_reports_a_flying_wire_from_his_patrol_page(client, staff_member):
    client.force_login(staff_member)
    page = client.get(reverse("propertyservice:patrol_mine")).content.decode()
    report = reverse("propertyservice:flying_report")
    assert report in page
    assert client.get(report).status_code == 200


def test_a_guard_scanning_off_his_shift_is_told_why_and_sent_to_his_patrol(client, checkpoints, staff_member):
    """No shift on now (the route's fixture shift is in the fixed past): a 403 that says what to do."""
    client.force_login(staff_member)
    page = client.get(reverse("propertyservice:patrol_scan", args=[checkpoints[0].token]))
    body = page.content.decode()
    assert page.status_code == 403
    assert "现在不能打卡" in body and "不在这个值班表的班次上" in body
    assert reverse("propertyservice:patrol_mine") in body


def test_a_villager_with_no_report_is_told_what_the_list_holds_and_what_to_do(client, villager, head):
    client.force_login(villager)
    body = client.get(reverse("propertyservice:incident_list")).content.decode()
    assert "只列出你报告的" in body and "你还没有报告过突发事件" in body and "110" in body
    client.force_login(head)
    body = client.get(reverse("propertyservice:incident_list")).content.decode()
    assert "只列出你报告的" not in body and "还没有突发事件记录" in body


def test_the_board_says_what_a_dash_means_in_the_incident_medians(client, head):
    client.force_login(head)
    body = client.get(reverse("propertyservice:board")).content.decode()
    assert "当月没有这一环节的记录" in body


def test_whole_training_hours_read_without_a_trailing_zero(client, head, village):
    import datetime as dt

    from propertyservice.models import TrainingSession
    TrainingSession.objects.create(community=village, topic="保安员岗前培训", starts_at=NOW - dt.timedelta(days=2),
                                   hours=3, created_by=head)
    client.force_login(head)
    body = client.get(reverse("propertyservice:training_list")).content.decode()
    assert "3 学时" in body and "3.0 学时" not in body


def test_a_guard_without_a_patrol_this_week_is_sent_to_his_shifts(client, staff_member):
    client.force_login(staff_member)
    body = client.get(reverse("propertyservice:patrol_mine")).content.decode()
    assert "近一周没有你的巡逻班次" in body
    my_shifts = reverse("communities:my_shifts")
    assert my_shifts in body and client.get(my_shifts).status_code == 200
