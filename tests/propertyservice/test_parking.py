"""Parking: plates in the Chinese formats, a household's limit, spaces in natural order, the standard in force
only once adopted, the version in force at entry, the posted prices, and who may do what."""
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.services.errors import DomainError
from propertyservice.models import GateEntry, ParkingSpace, Vehicle
from propertyservice.parking_plates import plate_normalize
from propertyservice.selectors.parking import spaces as spaces_of
from propertyservice.selectors.parking import standard_in_force
from propertyservice.services.gate import gate_enter, gate_exit
from propertyservice.services.parking import space_add, vehicle_register

from .parking_world import make_spaces, make_standard, spaces, standard_v1  # noqa: F401
from .world import (  # noqa: F401
    DAY, HOUR, NOW, at, committee, head, head2, make_house, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw,plate", [
    ("沪A12345", "沪A12345"), ("沪 a·5k372", "沪A5K372"), ("沪AD12345", "沪AD12345"), ("沪AFK2188", "沪AFK2188"),
    ("沪A12345D", "沪A12345D"), ("沪A0110警", "沪A0110警"), ("苏E7Q551", "苏E7Q551"),
])
def test_good_plates(raw, plate):
    assert plate_normalize(raw) == plate


@pytest.mark.parametrize("raw,words", [
    ("", "请填写"), ("A123456", "省份简称"), ("沪AI2345", "I和O"), ("沪AO2345", "I和O"), ("沪A1234", "格式不对"),
    ("沪AX12345", "新能源"), ("沪A1234X5", "新能源"), ("沪A123456789", "格式不对"), ("沪1A2345", "格式不对"),
])
def test_bad_plates_are_refused_in_chinese(raw, words):
    with pytest.raises(DomainError) as error:
        plate_normalize(raw)
    assert words in str(error.value)


def test_a_household_registers_up_to_the_limit_of_the_standard(village, villager, committee):
    make_standard(village, committee, plates_per_household=2)
    unit = villager.person.residencies.get().unit
    vehicle_register(actor=villager, unit=unit, plate="沪A12345")
    _again, created = vehicle_register(actor=villager, unit=unit, plate="沪a12345")
    assert not created, "the same plate twice is one registration"
    vehicle_register(actor=villager, unit=unit, plate="沪BD12345")
    with pytest.raises(DomainError, match="每户最多登记2辆"):
        vehicle_register(actor=villager, unit=unit, plate="沪C20871")
    assert Vehicle.objects.filter(unit=unit).count() == 2


def test_a_plate_of_another_household_is_refused(village, villager, committee):
    other = make_house(village, number="2号")
    vehicle_register(actor=committee, unit=other, plate="沪A12345")
    with pytest.raises(DomainError, match="其他住户"):
        vehicle_register(actor=villager, unit=villager.person.residencies.get().unit, plate="沪A12345")


def test_spaces_in_natural_order(village, committee):
    from communities.models import VillageGroup

    group, _ = VillageGroup.objects.get_or_create(community=village, name="施杨")
    for number in ("10号", "2号", "1号", "11号"):
        space_add(actor=committee, community=village, village_group=group, number=number,
                  kind=ParkingSpace.Kind.VISITOR)
    assert [s.number for s in spaces_of(community=village)] == ["1号", "2号", "10号", "11号"]


def test_a_standard_not_adopted_is_not_used(village, committee, head):
    draft = make_standard(village, committee, adopted=None)
    failed = make_standard(village, committee, adopted=False, price="5")
    assert standard_in_force(community=village, at=NOW) is None
    entry, _ = gate_enter(actor=head, community=village, kind=GateEntry.Kind.VEHICLE, plate="沪A7T261", now=NOW)
    assert entry.standard is None
    assert gate_exit(actor=head, entry=entry, now=NOW + 5 * HOUR) is None, "no standard in force: nothing charged"
    adopted = make_standard(village, committee, price="4")
    assert standard_in_force(community=village, at=NOW) == adopted
    assert {draft.version, failed.version, adopted.version} == {1, 2, 3}


def test_the_version_in_force_at_entry_is_used(village, committee, head):
    v1 = make_standard(village, committee, effective_from=NOW - 30 * DAY, price="3")
    old_car, _ = gate_enter(actor=head, community=village, kind=GateEntry.Kind.VEHICLE, plate="沪C3P882",
                            now=NOW - 2 * DAY)
    v2 = make_standard(village, committee, effective_from=NOW - DAY, price="6", motion_title="新标准")
    new_car, _ = gate_enter(actor=head, community=village, kind=GateEntry.Kind.VEHICLE, plate="沪BZ9030", now=NOW)
    assert old_car.standard == v1 and new_car.standard == v2
    # The old car stays over three calendar days: charged by v1 (¥3 an hour, ¥30 a day each day), not by v2.
    charge = gate_exit(actor=head, entry=old_car, now=NOW + 3 * HOUR)
    assert charge.standard_version == v1.version == 1
    assert charge.amount == Decimal("90.00")
    assert gate_exit(actor=head, entry=new_car, now=NOW + 3 * HOUR).amount == Decimal("12.00")


def test_the_posted_prices_are_public(client, village, standard_v1):
    page = client.get(reverse("propertyservice:parking_prices"), {"community": village.slug})
    text = page.content.decode()
    assert page.status_code == 200
    assert "60 分钟内免费" in text and "¥3" in text and "¥30" in text and "第六十一条" in text


def test_the_posted_prices_of_an_unknown_village_are_a_404(client):
    assert client.get(reverse("propertyservice:parking_prices"), {"community": "nowhere"}).status_code == 404


def test_a_villager_registers_their_plate_and_sees_only_their_own(client, village, villager, committee):
    vehicle_register(actor=committee, unit=make_house(village, number="9号"), plate="沪C20871")
    client.force_login(villager)
    url = reverse("propertyservice:parking_mine")
    bad = client.post(url, {"community": village.slug, "plate": "沪AI2345"})
    assert bad.status_code == 400 and "I和O" in bad.content.decode()
    ok = client.post(url, {"community": village.slug, "plate": "沪bd12345"}, follow=True)
    text = ok.content.decode()
    assert "沪BD12345" in text and "沪C20871" not in text
    assert Vehicle.objects.get(plate="沪BD12345").unit == villager.person.residencies.get().unit


def test_a_villager_cannot_remove_another_households_plate(client, village, villager, committee):
    vehicle = vehicle_register(actor=committee, unit=make_house(village, number="9号"), plate="沪C20871")[0]
    client.force_login(villager)
    assert client.post(reverse("propertyservice:parking_mine_remove", args=[vehicle.pk])).status_code == 404
    assert Vehicle.objects.filter(pk=vehicle.pk).exists()


def test_heads_and_committee_manage_station_staff_and_villagers_do_not(client, village, station, head, committee,
                                                                      staff_member, villager):
    urls = [reverse("propertyservice:parking_manage"), reverse("propertyservice:parking_standards"),
            reverse("propertyservice:gate_cash"), reverse("propertyservice:gate_cameras")]
    for user in (head, committee):
        client.force_login(user)
        for url in urls:
            assert client.get(url, {"community": village.slug}).status_code == 200, (user, url)
    for user in (staff_member, villager):
        client.force_login(user)
        for url in urls:
            assert client.get(url, {"community": village.slug}).status_code == 403, (user, url)


def test_another_village_is_a_404(client, village, other_village, head, station):
    client.force_login(head)
    for name in ("parking_manage", "parking_standards", "gate_cash", "gate_cameras", "gate"):
        assert client.get(reverse(f"propertyservice:{name}"), {"community": other_village.slug}).status_code == 404


def test_a_standard_drafted_on_the_page_is_a_draft_until_adopted(client, village, head, station):
    client.force_login(head)
    data = {"community": village.slug, "title": "临时停车收费标准", "effective_from": "2026-03-01T00:00",
            "free_minutes": 30, "first_block_minutes": 0, "first_block_price": "0", "daily_cap": "20",
            "cap_mode": "calendar", "cross_day": "continue", "grace_minutes": 10, "plates_per_household": 2,
            "band0_start": "08:00", "band0_end": "20:00", "band0_unit_minutes": 30, "band0_unit_price": "1"}
    assert client.post(reverse("propertyservice:parking_standard_new"), data).status_code == 302
    page = client.get(reverse("propertyservice:parking_standards"), {"community": village.slug}).content.decode()
    assert "草稿" in page
    assert standard_in_force(community=village, at=NOW) is None


def test_a_camera_is_equipment_only(client, village, committee):
    client.force_login(committee)
    url = reverse("propertyservice:gate_cameras")
    response = client.post(f"{url}?community={village.slug}", {"place": "村口北门岗", "maintainer": "宝山安防",
                                                              "last_checked_on": "2026-03-01",
                                                              "next_check_due": "2026-02-01"})
    assert response.status_code == 400 and "不能早于" in response.content.decode()
    client.post(f"{url}?community={village.slug}", {"place": "村口北门岗", "maintainer": "宝山安防",
                                                   "next_check_due": "2026-06-01"})
    page = client.get(url, {"community": village.slug}).content.decode()
    assert "村口北门岗" in page and "不保存、不调阅监控录像或人脸图像" in page


def test_the_hub_card_shows_each_role_its_links(client, village, villager, staff_member, station):
    client.force_login(villager)
    text = client.get(reverse("propertyservice:hub"), {"community": village.slug}).content.decode()
    assert "我家的车辆" in text and "停车收费公示" in text and reverse("propertyservice:gate") not in text
    client.force_login(staff_member)
    text = client.get(reverse("propertyservice:hub"), {"community": village.slug}).content.decode()
    assert reverse("propertyservice:gate") in text and "收款日报" not in text


def test_a_draft_takes_effect_once_linked_to_an_adopted_motion(client, village, head, station, committee):
    from propertyservice.demo.parking import adopted_motion

    draft = make_standard(village, committee, adopted=None)
    failed = adopted_motion(community=village, actor=committee, title="否决的会议", motion_title="否决", at=NOW - DAY,
                            passed=False)
    passed = adopted_motion(community=village, actor=committee, title="通过的会议", motion_title="通过", at=NOW - DAY)
    client.force_login(head)
    url = reverse("propertyservice:parking_standard_motion", args=[draft.pk])
    client.post(url, {"motion": failed.pk})
    assert standard_in_force(community=village, at=NOW) is None
    client.post(url, {"motion": passed.pk})
    assert standard_in_force(community=village, at=NOW) == draft
    again = client.post(url, {"motion": failed.pk}, follow=True)
    assert "不能更换表决议题" in again.content.decode()
    assert standard_in_force(community=village, at=NOW) == draft


def test_station_staff_cannot_link_a_motion_and_another_village_gets_404(client, village, staff_member, committee,
                                                                        other_village):
    draft = make_standard(village, committee, adopted=None)
    url = reverse("propertyservice:parking_standard_motion", args=[draft.pk])
    client.force_login(staff_member)
    assert client.post(url, {"motion": 1}).status_code == 403
    from communities.models import User

    client.force_login(User.objects.get(username="other-station"))
    assert client.post(url, {"motion": 1}).status_code == 404


def test_an_adopted_version_not_yet_in_force_is_posted_ahead(client, village, committee, standard_v1):
    # The page reads the real clock: the next version is placed a month after it, whatever today is.
    from django.utils import timezone

    make_standard(village, committee, effective_from=timezone.now() + 30 * DAY, price="4", motion_title="下月的标准")
    text = client.get(reverse("propertyservice:parking_prices"), {"community": village.slug}).content.decode()
    assert "第1版" in text and "即将执行：第2版" in text and "仍按入场时的标准计费" in text
