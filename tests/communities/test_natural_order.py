"""One ordering rule (communities.natural): 1号楼 … 10号楼, 丁钱1排 before 丁钱10排, room 201 before 1001, in the
database (Natural, the natural_key SQL function) and in Python alike, and on the pages people read (issue 12)."""
import pytest
from django.urls import reverse

from communities.models import Building, PublicPlace, Unit, VillageGroup
from communities.natural import Natural, natural_key
from communities.selectors.qr import qr_cards

from ..factories import BuildingFactory, UnitFactory

NAMES = ["10号楼", "2号楼", "1号楼", "19号楼", "3号楼", "11号楼"]
ORDERED = ["1号楼", "2号楼", "3号楼", "10号楼", "11号楼", "19号楼"]


def test_the_python_key_orders_numbers_by_value():
    assert sorted(NAMES, key=natural_key) == ORDERED
    assert sorted(["丁钱10排", "丁钱1排", "丁钱2排", "施杨1排"], key=natural_key) == ["丁钱1排", "丁钱2排", "丁钱10排", "施杨1排"]
    assert sorted(["1001", "201", "99"], key=natural_key) == ["99", "201", "1001"]
    assert natural_key("１２号楼") == natural_key("12号楼")


@pytest.mark.django_db
def test_the_database_orders_like_python(community):
    for name in NAMES:
        BuildingFactory(community=community, name=name)
    assert list(Building.objects.filter(community=community).values_list("name", flat=True)) == ORDERED
    assert list(Building.objects.order_by(Natural("name")).values_list("name", flat=True)) == ORDERED
    from django.db import connection
    with connection.cursor() as cursor:
        for text in ["丁钱10排", "1001", "a1b22c333", "", "123456789012345号"]:
            cursor.execute("SELECT natural_key(%s)", [text])
            assert cursor.fetchone()[0] == natural_key(text), text


@pytest.mark.django_db
def test_rooms_village_groups_and_places_follow_the_rule(community, village):
    building = BuildingFactory(community=community, name="1号楼")
    for room in ["1001", "201", "302", "1002"]:
        UnitFactory(building=building, room=room, floor=1)
    assert list(Unit.objects.filter(building=building).values_list("room", flat=True)) == ["201", "302", "1001", "1002"]
    for name in ["七图10组", "七图2组"]:
        VillageGroup.objects.create(community=village, name=name)
    assert list(VillageGroup.objects.filter(community=village).values_list("name", flat=True)) == ["七图2组", "七图10组"]
    for name in ["10号车棚", "2号车棚"]:
        PublicPlace.objects.create(community=community, name=name)
    assert list(PublicPlace.objects.filter(community=community).values_list("name", flat=True)) == ["2号车棚", "10号车棚"]


@pytest.mark.django_db
def test_the_qr_sheet_and_the_case_filter_list_buildings_in_natural_order(client, community, committee_staff):
    for name in NAMES:
        BuildingFactory(community=community, name=name)
    labels = [card.label for card in qr_cards(community=community, absolute_url=lambda path: path)]
    assert labels == ORDERED
    client.force_login(committee_staff)
    page = client.get(reverse("communities:case_list"), {"more": "1", "status": ""}).content.decode()
    positions = [page.find(f"{community.name} {name}<") for name in ORDERED]
    assert -1 not in positions and positions == sorted(positions)
