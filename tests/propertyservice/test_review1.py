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
