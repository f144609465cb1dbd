"""The incidents demo, against a small 光明村: run twice, the counts stay; three incidents with full timelines,
one a drill, one with a follow-up case, and an escalation that passed to the next plumber."""
import pytest

from communities.models import Case, Role, Team, VillageGroup
from propertyservice.demo.incidents import demo_incidents_seed
from propertyservice.models import Incident, IncidentDispatch, IncidentWarning, ResponderProfile

from ..factories import CaseCategoryFactory, make_member
from .world import make_station, make_village

pytestmark = pytest.mark.django_db


def _small_guangming():
    village = make_village("guangming", "光明村")
    head = make_member(village, Role.STATION_STAFF, username="station", name="周国强")
    make_station(village, head)
    make_member(village, Role.COMMITTEE_STAFF, username="staff_guangming", name="钱伟")
    make_member(village, Role.RESIDENT, username="villager", name="丁阿婆")
    for i, name in enumerate(["施建华", "杨桂英", "丁卫东", "钱秀兰"], start=2):
        make_member(village, Role.STATION_STAFF, username=f"station{i}", name=name)
    for group in ("丁钱", "施杨", "七图"):
        VillageGroup.objects.create(community=village, name=group)
    CaseCategoryFactory(community=village, code="other", name="其他")
    return village


def test_the_demo_runs_twice_and_shows_three_full_timelines():
    village = _small_guangming()
    demo_incidents_seed()
    counts = (Incident.objects.count(), ResponderProfile.objects.count(), IncidentDispatch.objects.count(),
              IncidentWarning.objects.count(), Case.objects.count())
    demo_incidents_seed()
    assert (Incident.objects.count(), ResponderProfile.objects.count(), IncidentDispatch.objects.count(),
            IncidentWarning.objects.count(), Case.objects.count()) == counts
    assert counts[0] == 3 and counts[1] == 7
    team = Team.objects.get(community=village, kind=Team.Kind.VOLUNTEER_TEAM)
    assert team.name == "物业服务志愿队"
    assert set(Incident.objects.values_list("status", flat=True)) == {Incident.Status.CLOSED}
    assert Incident.objects.filter(drill=True).count() == 1
    pipe = Incident.objects.get(kind=Incident.Kind.BURST_PIPE)
    assert pipe.case is not None and pipe.warnings.first().village_group.name == "丁钱"
    assert list(pipe.dispatches.order_by("position").values_list("status", flat=True)) == [
        IncidentDispatch.Status.TIMED_OUT, IncidentDispatch.Status.ACKNOWLEDGED]
    for incident in Incident.objects.all():
        assert incident.detected_at < incident.warned_at < incident.dispatched_at < incident.arrived_at \
            < incident.handled_at < incident.closed_at
