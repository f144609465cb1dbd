"""The hub and board cards of the sheds (constant queries), the evaluation's two metrics, and the demo seeder."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community, Role
from propertyservice.metrics import measure
from propertyservice.models import (
    ChargingPort, ChargingSession, ChargingShed, FlyingWireReport, SafetyCheck, Suggestion,
)
from propertyservice.selectors.sheds import board_card, sheds_with_ports
from propertyservice.services.flying import flying_wire_report
from propertyservice.services.sheds import safety_check_record

from ..factories import make_member, serve
from .sheds_world import make_shed, photo, shed  # noqa: F401
from .world import (  # noqa: F401
    DAY, NOW, at, committee, head, head2, make_station, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db

OK = {"smoke_detector": True, "sprinkler": True, "camera": True, "extinguisher": True}


class _Request:
    def __init__(self, user):
        self.user = user


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_the_board_card_runs_the_same_queries_for_one_shed_or_many(village, staff_member, villager,
                                                                   django_assert_num_queries):
    make_shed(village)
    request = _Request(staff_member)
    small = _count(lambda: board_card(request=request, community=village, now=NOW))
    for name in ("丁钱二号棚", "施杨棚", "七图棚"):
        shed = make_shed(village, name, ports=12)
        safety_check_record(actor=staff_member, shed_id=shed.pk, now=NOW - DAY, **OK)
    for days, text in ((3, "3排"), (2, "3排"), (1, "5排")):
        flying_wire_report(actor=villager, community=village, photo=photo(), place_text=text, now=NOW - days * DAY)
    with django_assert_num_queries(small):
        card = board_card(request=request, community=village, now=NOW)
    assert card["flying"] == 3 and card["top_places"][0]["count"] == 2
    # 10 March: the 9 days before today are due for 4 sheds; today is not missed yet.
    assert card["checks_done"] == 3 and card["checks_missed"] == 4 * 9 - 3
    assert card["faults"]["sheds"] == 4


def test_the_heads_board_shows_the_card_and_the_hub_shows_free_ports(client, shed, head, station, villager):
    ChargingPort.objects.filter(shed=shed, number=1).update(state=ChargingPort.State.CHARGING)
    client.force_login(villager)
    hub = client.get(reverse("propertyservice:hub")).content.decode()
    assert "充电棚现在空闲 3 / 4 个端口" in hub and "报告飞线充电" in hub and "村民意见箱" in hub
    assert reverse("propertyservice:flying_places") not in hub
    client.force_login(head)
    board = client.get(reverse("propertyservice:board")).content.decode()
    assert "本月漏做安全检查" in board and reverse("propertyservice:flying_places") in board


def test_the_sheds_list_runs_a_fixed_number_of_queries(village, staff_member, django_assert_num_queries):
    make_shed(village)
    with django_assert_num_queries(3):
        sheds_with_ports(community=village, now=NOW)
    for name in ("丁钱二号棚", "施杨棚"):
        make_shed(village, name, ports=10)
    with django_assert_num_queries(3):
        assert len(sheds_with_ports(community=village, now=NOW)) == 3


def test_the_metrics_no_flying_wires_and_sheds_safe(village, shed, staff_member, villager):
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 11)
    for days in (9, 9, 2):
        flying_wire_report(actor=villager, community=village, photo=photo(), place_text=f"{days}排",
                           now=at(-days, 20))
    flying = measure("no_flying_wires", community=village, start=start, end=end)
    assert (flying.part, flying.whole) == (8, 10)  # two days had a report
    safety_check_record(actor=staff_member, shed_id=shed.pk, now=at(-1, 8), **OK)
    safety_check_record(actor=staff_member, shed_id=shed.pk, now=at(0, 8), **{**OK, "camera": False})
    safe = measure("sheds_safe", community=village, start=start, end=end)
    assert (safe.part, safe.whole) == (1, 10)


def test_the_demo_seeder_runs_twice_and_keeps_its_counts():
    from propertyservice.demo.sheds import demo_sheds_seed

    village = Community.objects.create(slug="guangming", name="光明村", kind=Community.Kind.VILLAGE)
    serve(village, "propertyservice")
    from communities.models import VillageGroup

    for group in ("丁钱", "施杨", "七图"):
        VillageGroup.objects.create(community=village, name=group)
    head = make_member(village, Role.STATION_STAFF, username="station", name="周国强")
    make_station(village, head)
    make_member(village, Role.COMMITTEE_STAFF, username="staff_guangming", name="钱伟")
    make_member(village, Role.RESIDENT, username="villager", name="丁阿婆")
    demo_sheds_seed()
    counts = [M.objects.count() for M in (ChargingShed, ChargingPort, ChargingSession, SafetyCheck,
                                          FlyingWireReport, Suggestion)]
    demo_sheds_seed()
    assert [M.objects.count() for M in (ChargingShed, ChargingPort, ChargingSession, SafetyCheck,
                                        FlyingWireReport, Suggestion)] == counts
    assert counts[0] == 4 and 52 == counts[1]
    assert SafetyCheck.objects.filter(case__isnull=False).count() == 1
    assert FlyingWireReport.objects.filter(repeat_number=2).count() == 1
    assert Suggestion.objects.filter(topic__isnull=False).count() == 1
    assert Suggestion.objects.exclude(answer="").count() == 1
