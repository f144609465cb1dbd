"""The gate (门岗): visitors and outside cars in and out, the charge with the standard in force at entry, the
payment and its receipt, a paid car inside its grace, the full car park, the cash report's query count, the
board card, double submissions, who may open what, and the demo run twice."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import Role, User
from propertyservice.demo.parking import seed_parking
from propertyservice.models import Camera, FeeStandard, GateEntry, ParkingCharge, ParkingSpace, Vehicle
from propertyservice.selectors.parking import board_figures, cash_report
from propertyservice.services.gate import charge_pay, gate_enter, gate_exit, gate_prepay
from propertyservice.services.parking import exempt_vehicle_register, vehicle_register

from ..factories import BuildingFactory, UnitFactory, make_member
from .parking_world import make_spaces, spaces, standard_v1  # noqa: F401
from .world import (  # noqa: F401
    DAY, HOUR, NOW, at, committee, head, head2, make_house, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)


def car(village, guard, plate="沪A7T261", now=NOW, **kwargs):
    return gate_enter(actor=guard, community=village, kind=GateEntry.Kind.VEHICLE, plate=plate, now=now, **kwargs)[0]


def test_a_visitor_is_logged_in_and_out(village, staff_member):
    entry, created = gate_enter(actor=staff_member, community=village, kind=GateEntry.Kind.VISITOR,
                                visiting="丁钱组12号", reason="探亲", now=NOW)
    assert created and entry.is_open
    assert gate_exit(actor=staff_member, entry=entry, now=NOW + HOUR) is None
    entry.refresh_from_db()
    assert entry.exited_at == NOW + HOUR and entry.exited_by == staff_member


def test_a_visitor_needs_whom_they_visit(village, staff_member):
    with pytest.raises(Exception, match="走访对象"):
        gate_enter(actor=staff_member, community=village, kind=GateEntry.Kind.VISITOR, now=NOW)


def test_an_outside_car_pays_by_the_standard_and_gets_a_receipt(village, staff_member, standard_v1, spaces):
    entry = car(village, staff_member)
    charge = gate_exit(actor=staff_member, entry=entry, now=NOW + 3 * HOUR + 20 * MIN)
    assert charge.amount == Decimal("9.00") and charge.standard_version == 1
    entry.refresh_from_db()
    assert entry.is_open, "the car leaves once it has paid"
    charge, paid = charge_pay(actor=staff_member, charge=charge, method="cash", now=NOW + 3 * HOUR + 21 * MIN)
    entry.refresh_from_db()
    assert paid and charge.number.startswith("TC20260310-") and not entry.is_open


def test_a_double_log_out_is_one_charge_and_a_double_payment_one_payment(village, staff_member, standard_v1):
    entry = car(village, staff_member)
    first = gate_exit(actor=staff_member, entry=entry, now=NOW + 3 * HOUR)
    again = gate_exit(actor=staff_member, entry=entry, now=NOW + 3 * HOUR + MIN)
    assert first.pk == again.pk and ParkingCharge.objects.filter(entry=entry).count() == 1
    charge_pay(actor=staff_member, charge=first, method="wechat", now=NOW + 3 * HOUR)
    _charge, paid = charge_pay(actor=staff_member, charge=first, method="cash", now=NOW + 3 * HOUR)
    assert not paid and ParkingCharge.objects.get(pk=first.pk).method == "wechat"
    assert gate_exit(actor=staff_member, entry=entry, now=NOW + 4 * HOUR) is None
    assert ParkingCharge.objects.filter(entry=entry).count() == 1


def test_a_double_log_out_through_the_page_is_one_charge(client, village, staff_member, standard_v1):
    entry = car(village, staff_member, now=NOW - 3 * HOUR)
    client.force_login(staff_member)
    url = reverse("propertyservice:gate_exit", args=[entry.pk])
    one, two = client.post(url), client.post(url)
    assert one.status_code == two.status_code == 302 and one["Location"] == two["Location"]
    assert ParkingCharge.objects.filter(entry=entry).count() == 1


def test_a_paid_car_leaves_free_within_the_grace_and_pays_again_after(village, staff_member, standard_v1):
    entry = car(village, staff_member)
    charge = gate_prepay(actor=staff_member, entry=entry, now=NOW + 3 * HOUR)
    assert charge.amount == Decimal("6.00") and not charge.leaving
    charge_pay(actor=staff_member, charge=charge, method="cash", now=NOW + 3 * HOUR)
    entry.refresh_from_db()
    assert entry.is_open and entry.paid_until == NOW + 3 * HOUR
    assert gate_exit(actor=staff_member, entry=entry, now=NOW + 3 * HOUR + 10 * MIN) is None
    entry.refresh_from_db()
    assert not entry.is_open

    late = car(village, staff_member, plate="沪BZ9030")
    charge_pay(actor=staff_member, charge=gate_prepay(actor=staff_member, entry=late, now=NOW + 3 * HOUR),
               method="cash", now=NOW + 3 * HOUR)
    more = gate_exit(actor=staff_member, entry=late, now=NOW + 4 * HOUR + 30 * MIN)
    assert more.amount == Decimal("6.00"), "charged from the paid-until time: 1 h 30 min, two hours"


def test_villagers_and_exempt_vehicles_are_free(village, staff_member, villager, standard_v1, committee):
    vehicle_register(actor=villager, unit=villager.person.residencies.get().unit, plate="沪BD12345")
    exempt_vehicle_register(actor=committee, community=village, plate="沪A0110警", vehicle_class="police")
    mine = car(village, staff_member, plate="沪BD12345")
    police = car(village, staff_member, plate="沪A0110警")
    ambulance = car(village, staff_member, plate="沪A12010", vehicle_class="ambulance")
    assert mine.whitelisted and police.exempt and ambulance.exempt
    for entry in (mine, police, ambulance):
        assert gate_exit(actor=staff_member, entry=entry, now=NOW + 9 * HOUR) is None
    assert not ParkingCharge.objects.exists()


def test_the_full_car_park_refuses_outside_cars_but_not_service_vehicles(client, village, staff_member,
                                                                         standard_v1, committee):
    make_spaces(village, committee, visitor=1, public=1, villager=4)
    car(village, staff_member, plate="沪A7T261")
    car(village, staff_member, plate="沪BZ9030")
    client.force_login(staff_member)
    page = client.get(reverse("propertyservice:gate"), {"community": village.slug}).content.decode()
    assert "车位已满" in page
    refused = client.post(reverse("propertyservice:gate_enter"),
                          {"community": village.slug, "kind": "vehicle", "plate": "沪C3P882", "vehicle_class": "car"})
    assert refused.status_code == 400 and "车位已满" in refused.content.decode()
    assert not GateEntry.objects.filter(plate="沪C3P882").exists()
    assert car(village, staff_member, plate="沪A11911", vehicle_class="fire").is_open


def test_the_gate_page_flow(client, village, staff_member, standard_v1, spaces):
    client.force_login(staff_member)
    gate_url = reverse("propertyservice:gate")
    page = client.get(gate_url, {"community": village.slug}).content.decode()
    assert "空余车位 3 / 3" in page
    bad = client.post(reverse("propertyservice:gate_enter"),
                      {"community": village.slug, "kind": "vehicle", "plate": "沪AO1234", "vehicle_class": "car"})
    assert bad.status_code == 400 and "I和O" in bad.content.decode()
    client.post(reverse("propertyservice:gate_enter"),
                {"community": village.slug, "kind": "vehicle", "plate": "沪a7t261", "vehicle_class": "car",
                 "visiting": "施杨组", "reason": "送货"})
    entry = GateEntry.objects.get(plate="沪A7T261")
    page = client.get(gate_url, {"community": village.slug}).content.decode()
    assert "沪A7T261" in page and "空余车位 2 / 3" in page and "离开" in page
    GateEntry.objects.filter(pk=entry.pk).update(entered_at=entry.entered_at - 3 * HOUR - 20 * MIN)
    response = client.post(reverse("propertyservice:gate_exit", args=[entry.pk]), follow=True)
    assert "¥9.00" in response.content.decode()
    charge = ParkingCharge.objects.get(entry=entry)
    receipt = client.post(reverse("propertyservice:gate_pay", args=[charge.pk]), {"method": "wechat"}, follow=True)
    text = receipt.content.decode()
    charge.refresh_from_db()
    assert charge.number in text and "沪A7T261" in text and "第1版" in text and "微信" in text and "¥9.00" in text
    assert "data-print" in text and "打印收据" in text  # the gate prints it for the driver


def test_an_exit_before_the_entry_is_refused(client, village, staff_member, standard_v1):
    entry = car(village, staff_member, now=NOW)
    with pytest.raises(Exception, match="早于"):
        gate_exit(actor=staff_member, entry=entry, now=NOW - HOUR)
    assert GateEntry.objects.get(pk=entry.pk).is_open


def test_the_cash_report_by_method_and_staff_in_one_query(village, staff_member, head, standard_v1,
                                                          django_assert_num_queries):
    for i, (guard, method) in enumerate([(staff_member, "cash"), (staff_member, "wechat"), (head, "cash"),
                                         (head, "cash")]):
        entry = car(village, guard, plate=f"沪A7T26{i}", now=NOW - 5 * HOUR)
        charge_pay(actor=guard, charge=gate_exit(actor=guard, entry=entry, now=NOW - 3 * HOUR), method=method,
                   now=NOW - 3 * HOUR)
    with django_assert_num_queries(1):
        report = cash_report(community=village, day=NOW.date())
    assert report["count"] == 4 and report["total"] == Decimal("12.00")
    assert {m["label"]: m["total"] for m in report["by_method"]} == {"现金": Decimal("9.00"), "微信": Decimal("3.00")}
    assert {s["name"]: s["total"] for s in report["by_staff"]} == {"丁卫东": Decimal("6.00"), "周国强": Decimal("6.00")}
    assert cash_report(community=village, day=NOW.date() - dt.timedelta(days=1))["count"] == 0


def test_the_cash_page_shows_money_with_two_decimals_even_on_a_day_without_payments(client, village, head, station):
    client.force_login(head)
    page = client.get(reverse("propertyservice:gate_cash"), {"community": village.slug, "day": "2026-03-01"})
    assert page.status_code == 200 and "合计 0 笔，¥0.00" in page.content.decode()


def test_the_board_card_in_constant_queries(client, village, head, station, standard_v1, spaces,
                                            django_assert_num_queries):
    entry = car(village, head, now=NOW - 2 * HOUR)
    charge_pay(actor=head, charge=gate_exit(actor=head, entry=entry, now=NOW), method="cash", now=NOW)
    car(village, head, plate="沪BZ9030")
    with django_assert_num_queries(4):
        figures = board_figures(community=village, now=NOW)
    assert figures["cars_today"] == 2 and figures["revenue"] == Decimal("3.00") and figures["free"] == 2
    client.force_login(head)
    assert "本月停车收入" in client.get(reverse("propertyservice:board"), {"community": village.slug}).content.decode()


def test_wrong_role_is_refused_and_another_village_is_a_404(client, village, villager, staff_member, other_village,
                                                            standard_v1):
    entry = car(village, staff_member)
    client.force_login(villager)
    assert client.get(reverse("propertyservice:gate"), {"community": village.slug}).status_code == 403
    assert client.post(reverse("propertyservice:gate_exit", args=[entry.pk])).status_code == 403
    outsider = User.objects.get(username="other-station")
    client.force_login(outsider)
    assert client.post(reverse("propertyservice:gate_exit", args=[entry.pk])).status_code == 404
    assert client.get(reverse("propertyservice:gate"), {"community": village.slug}).status_code == 404
    charge = gate_exit(actor=staff_member, entry=entry, now=NOW + 3 * HOUR)
    assert client.get(reverse("propertyservice:gate_charge", args=[charge.pk])).status_code == 404
    assert GateEntry.objects.get(pk=entry.pk).is_open


def test_the_same_plate_twice_is_one_entry(client, village, staff_member, standard_v1):
    client.force_login(staff_member)
    data = {"community": village.slug, "kind": "vehicle", "plate": "沪A7T261", "vehicle_class": "car"}
    client.post(reverse("propertyservice:gate_enter"), data)
    again = client.post(reverse("propertyservice:gate_enter"), data, follow=True)
    assert "没有重复登记" in again.content.decode()
    assert GateEntry.objects.filter(plate="沪A7T261").count() == 1


def test_the_demo_twice(village, committee, staff_member):
    for n in range(3):
        UnitFactory(building=BuildingFactory(community=village, name=f"丁钱{n + 20}号"))
    for _ in range(2):
        seed_parking(community=village, actor=committee, guards=[staff_member], now=NOW)
    counts = [ParkingSpace.objects.filter(community=village).count(), FeeStandard.objects.count(),
              Vehicle.objects.filter(community=village).count(), Camera.objects.count(), GateEntry.objects.count()]
    seed_parking(community=village, actor=committee, guards=[staff_member], now=NOW)
    assert counts == [ParkingSpace.objects.filter(community=village).count(), FeeStandard.objects.count(),
                      Vehicle.objects.filter(community=village).count(), Camera.objects.count(),
                      GateEntry.objects.count()]
    assert counts[0] == 36 and counts[1] == 1 and counts[3] == 4 and counts[4] > 60
    assert ParkingCharge.objects.filter(paid_at__isnull=False).exists()
    assert Vehicle.objects.filter(plate="沪BD12345").exists(), "a new-energy plate"


def test_the_gate_page_in_constant_queries(client, village, staff_member, standard_v1, committee):
    make_spaces(village, committee, visitor=10)
    client.force_login(staff_member)
    url = reverse("propertyservice:gate")
    car(village, staff_member)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"community": village.slug})
    for i in range(5):
        entry = car(village, staff_member, plate=f"沪B1000{i}", now=NOW - 3 * HOUR)
        if i % 2:
            gate_exit(actor=staff_member, entry=entry, now=NOW)
    gate_enter(actor=staff_member, community=village, kind=GateEntry.Kind.VISITOR, visiting="七图组", now=NOW)
    with CaptureQueriesContext(connection) as seven:
        page = client.get(url, {"community": village.slug})
    assert page.content.decode().count('data-testid="open-entry"') == 7
    assert len(seven) == len(one)


@pytest.mark.django_db(transaction=True)
def test_two_gate_phones_pressing_leave_at_once_make_one_charge(village, staff_member, head, station, standard_v1):
    import threading

    from django.db import connection

    entry = car(village, staff_member, now=NOW)
    barrier, results = threading.Barrier(2), []

    def press(user):
        try:
            barrier.wait()
            results.append(gate_exit(actor=user, entry=entry, now=NOW + 3 * HOUR).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(user,)) for user in (staff_member, head)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1]
    assert ParkingCharge.objects.filter(entry=entry).count() == 1


def test_a_visitor_without_whom_they_visit_is_refused_on_the_page(client, village, staff_member):
    client.force_login(staff_member)
    response = client.post(reverse("propertyservice:gate_enter"), {"community": village.slug, "kind": "visitor"})
    assert response.status_code == 400 and "请填写走访对象" in response.content.decode()
    assert not GateEntry.objects.exists()


def test_the_demo_seeder_serves_guangming_with_the_demo_logins():
    from propertyservice.demo.parking import demo_parking_seed

    from .world import make_village

    guangming = make_village("guangming", "光明村")
    make_member(guangming, Role.COMMITTEE_STAFF, username="staff_guangming", name="钱伟")
    for name in ("station", "station2"):
        make_member(guangming, Role.STATION_STAFF, username=name)
    UnitFactory(building=BuildingFactory(community=guangming, name="丁钱1号"))
    demo_parking_seed()
    demo_parking_seed()
    assert FeeStandard.objects.filter(community=guangming).count() == 1
    assert GateEntry.objects.filter(community=guangming, exited_at__isnull=True).count() == 2
    assert {u for u in ParkingCharge.objects.values_list("received_by__username", flat=True)} <= {"station", "station2"}
