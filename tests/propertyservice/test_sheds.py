"""E-bike sheds: port states, the fee split, the daily safety check (a fault opens one case), pages and access."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import Case, CaseCategory
from communities.services.errors import DomainError
from propertyservice.models import ChargingPort, ChargingShed, SafetyCheck
from propertyservice.services import sheds as svc

from .sheds_world import make_shed, other_shed, shed, time_shed  # noqa: F401
from .world import (  # noqa: F401
    HOUR, NOW, at, committee, head, head2, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db

ALL_OK = {"smoke_detector": True, "sprinkler": True, "camera": True, "extinguisher": True}


def test_a_charge_sets_the_port_charging_then_free_and_splits_the_fee(shed, staff_member):
    port = shed.ports.get(number=2)
    session, created = svc.session_start(actor=staff_member, port_id=port.pk, now=NOW)
    assert created and ChargingPort.objects.get(pk=port.pk).state == ChargingPort.State.CHARGING
    again, created = svc.session_start(actor=staff_member, port_id=port.pk, now=NOW + HOUR)
    assert not created and again.pk == session.pk  # a double press is a repeat
    session, stopped = svc.session_stop(actor=staff_member, session_id=session.pk, kwh="1.5", now=NOW + 3 * HOUR)
    assert stopped
    assert (session.electricity_fee, session.service_fee) == (Decimal("0.90"), Decimal("0.60"))
    assert ChargingPort.objects.get(pk=port.pk).state == ChargingPort.State.FREE
    _same, stopped = svc.session_stop(actor=staff_member, session_id=session.pk, kwh="9", now=NOW + 4 * HOUR)
    assert not stopped and _same.kwh == Decimal("1.5")


def test_a_time_priced_shed_charges_the_service_fee_per_started_six_hours(time_shed):
    electricity, service = svc.fees_for(shed=time_shed, kwh=Decimal("2"), started_at=NOW, ended_at=NOW + 7 * HOUR)
    assert (electricity, service) == (Decimal("1.20"), Decimal("2.00"))
    assert svc.fees_for(shed=time_shed, kwh=Decimal("0"), started_at=NOW, ended_at=NOW + HOUR)[1] == Decimal("1.00")


def test_a_faulty_port_cannot_start_and_a_villager_cannot_record_a_charge(shed, staff_member, villager):
    port = shed.ports.get(number=1)
    ChargingPort.objects.filter(pk=port.pk).update(state=ChargingPort.State.FAULT)
    with pytest.raises(DomainError):
        svc.session_start(actor=staff_member, port_id=port.pk, now=NOW)
    with pytest.raises(PermissionDenied):
        svc.session_start(actor=villager, port_id=shed.ports.get(number=2).pk, now=NOW)
    assert not shed.sessions.exists()


def test_a_fault_found_opens_one_case_and_marks_the_shed_and_port(shed, staff_member, head):
    port = shed.ports.get(number=3)
    values = {**ALL_OK, "sprinkler": False, "fault_port_id": port.pk, "note": "喷淋头漏水"}
    check, created = svc.safety_check_record(actor=staff_member, shed_id=shed.pk, now=NOW, **values)
    assert created and not check.passed and check.case is not None
    case = check.case
    assert case.category.code == "charging_shed" and "喷淋" in case.description and "3号端口" in case.description
    assert ChargingShed.objects.get(pk=shed.pk).state == ChargingShed.State.FAULT
    assert ChargingPort.objects.get(pk=port.pk).state == ChargingPort.State.FAULT
    # A double submission (or a colleague a minute later) is the same check: no second case.
    again, created = svc.safety_check_record(actor=head, shed_id=shed.pk, now=NOW + HOUR, **ALL_OK)
    assert not created and again.pk == check.pk
    assert Case.objects.filter(community=shed.community).count() == 1
    assert SafetyCheck.objects.filter(shed=shed).count() == 1


def test_the_fault_case_is_a_patrol_case_when_the_checker_may_file_for_the_station(shed, committee):
    check, _ = svc.safety_check_record(actor=committee, shed_id=shed.pk, now=NOW, **{**ALL_OK, "camera": False})
    assert check.case.channel == Case.Channel.PATROL
    assert CaseCategory.objects.filter(community=shed.community, code="charging_shed").count() == 1


def test_a_passed_check_opens_no_case_and_the_next_day_is_a_new_check(shed, staff_member):
    check, _ = svc.safety_check_record(actor=staff_member, shed_id=shed.pk, now=NOW, **ALL_OK)
    assert check.passed and check.case is None
    tomorrow, created = svc.safety_check_record(actor=staff_member, shed_id=shed.pk, now=at(1, 9), **ALL_OK)
    assert created and tomorrow.pk != check.pk
    assert not Case.objects.exists()


def test_repairs_free_the_port_and_clear_the_shed(shed, staff_member):
    port = shed.ports.get(number=1)
    svc.safety_check_record(actor=staff_member, shed_id=shed.pk, now=NOW,
                            **{**ALL_OK, "extinguisher": False, "fault_port_id": port.pk})
    assert svc.port_repair(actor=staff_member, port_id=port.pk)
    assert svc.shed_repair(actor=staff_member, shed_id=shed.pk)
    assert not svc.shed_repair(actor=staff_member, shed_id=shed.pk)
    assert ChargingPort.objects.get(pk=port.pk).state == ChargingPort.State.FREE
    assert ChargingShed.objects.get(pk=shed.pk).state == ChargingShed.State.OK


# --- pages ----------------------------------------------------------------------------------------------------

def test_a_villager_reads_the_sheds_and_the_price_board_with_both_fees(client, shed, time_shed, villager):
    client.force_login(villager)
    page = client.get(reverse("propertyservice:shed_list")).content.decode()
    assert "丁钱一号棚" in page and "空闲 4 / 共 4 个端口" in page
    assert "发改办价格〔2024〕537号" in page and "不控制任何充电设备" in page
    board = client.get(reverse("propertyservice:shed_prices")).content.decode()
    assert "¥0.60 / 千瓦时" in board and "¥0.40 / 千瓦时" in board and "¥1.00 / 每 6 小时" in board
    detail = client.get(reverse("propertyservice:shed_detail", args=[shed.pk])).content.decode()
    assert "登记开始充电" not in detail and "最近的充电记录" not in detail


def test_a_villager_may_not_check_or_start_and_another_village_is_a_404(client, shed, other_shed, villager,
                                                                       staff_member):
    client.force_login(villager)
    assert client.get(reverse("propertyservice:shed_check", args=[shed.pk])).status_code == 403
    assert client.post(reverse("propertyservice:port_start", args=[shed.ports.first().pk])).status_code == 403
    assert client.get(reverse("propertyservice:shed_import")).status_code == 403
    assert client.get(reverse("propertyservice:shed_detail", args=[other_shed.pk])).status_code == 404
    client.force_login(staff_member)
    assert client.get(reverse("propertyservice:shed_check", args=[other_shed.pk])).status_code == 404
    assert client.post(reverse("propertyservice:port_start", args=[other_shed.ports.first().pk])).status_code == 404


def test_staff_check_a_shed_on_the_form_and_a_second_submission_is_a_repeat(client, shed, staff_member):
    client.force_login(staff_member)
    url = reverse("propertyservice:shed_check", args=[shed.pk])
    form = client.get(url).content.decode()
    assert "烟感报警器" in form and "DB31/T 1605-2025" in form
    data = {"smoke_detector": "fault", "sprinkler": "ok", "camera": "ok", "extinguisher": "ok", "note": ""}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data, follow=True).content.decode().count("今天已经检查过了") >= 1
    assert Case.objects.count() == 1
    detail = client.get(reverse("propertyservice:shed_detail", args=[shed.pk])).content.decode()
    assert "消防设施故障" in detail and "查看工单" in detail


def test_staff_start_and_stop_a_charge_from_the_shed_page(client, shed, staff_member):
    client.force_login(staff_member)
    port = shed.ports.get(number=1)
    client.post(reverse("propertyservice:port_start", args=[port.pk]))
    session = shed.sessions.get()
    page = client.post(reverse("propertyservice:session_stop", args=[session.pk]), {"kwh": "2"}, follow=True)
    assert "电费 1.20 元，服务费 0.80 元，合计 2.00 元" in page.content.decode()
