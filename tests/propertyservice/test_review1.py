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
