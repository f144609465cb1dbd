"""The station hub (/property/) and the heads' board: who opens them, and another village is a 404."""
import pytest
from django.urls import reverse

from communities.models import Role

from ..factories import make_member
from .world import (  # noqa: F401
    committee, head, head2, make_village, other_village, station, staff_member, village, villager,
)

pytestmark = pytest.mark.django_db

HUB, BOARD = reverse("propertyservice:hub"), reverse("propertyservice:board")


def test_a_villager_opens_the_hub_but_not_the_heads_board(client, villager, station):
    client.force_login(villager)
    page = client.get(HUB)
    assert page.status_code == 200
    assert "物业管理服务站" in page.content.decode()
    assert "负责人看板" not in page.content.decode()
    assert client.get(BOARD).status_code == 403


def test_station_staff_and_committee_open_the_board(client, head, committee, station):
    for user in (head, committee):
        client.force_login(user)
        assert "负责人看板" in client.get(HUB).content.decode()
        assert client.get(BOARD).status_code == 200


def test_another_village_is_a_404_and_a_village_not_served_has_no_hub(client, villager, other_village):
    client.force_login(villager)
    assert client.get(HUB, {"community": other_village.slug}).status_code == 404
    unserved = make_village("gm-unserved", "未开通的村", served=False)
    outsider = make_member(unserved, Role.RESIDENT, username="unserved")
    client.force_login(outsider)
    assert client.get(HUB).status_code == 404
    assert "物业服务站" not in client.get(reverse("home")).content.decode()


def test_the_home_page_has_the_station_tile_for_a_villager(client, villager):
    client.force_login(villager)
    assert reverse("propertyservice:hub") in client.get(reverse("home")).content.decode()
