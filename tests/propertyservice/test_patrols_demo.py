"""The patrols' demo seeder against a small 光明村 (the core demo's rotas made by hand): the gate security rota with
its three shifts a day, three routes, a month of runs with one flagged, notes and the garbage log; run twice, the
counts stay."""
import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Role, Rota, RotaMember, RotaSlot, Shift, VillageGroup

from propertyservice.demo.patrols import demo_patrols_seed
from propertyservice.models import (
    GarbageCheck, GarbageHandover, HandoverNote, PatrolCheckpoint, PatrolRoute, PatrolRun, PatrolScanPhoto,
)

from ..factories import make_member
from .world import make_station, make_village

pytestmark = pytest.mark.django_db


def small_guangming():
    village = make_village("guangming", "光明村")
    for name in ("丁钱", "施杨", "七图"):
        VillageGroup.objects.create(community=village, name=name)
    staff = [make_member(village, Role.STATION_STAFF, username=u) for u in
             ("station", "station2", "station3", "station4", "station5", "station6")]
    make_station(village, staff[0])
    for name, kind, start, end, people in (("服务站值班巡逻", Rota.Kind.PATROL, 19, 22, 2),
                                           ("垃圾清运", Rota.Kind.GARBAGE, 6, 8, 1)):
        rota = Rota.objects.create(community=village, name=name, kind=kind, manager=staff[0])
        RotaMember.objects.bulk_create([RotaMember(rota=rota, user=u, order=i) for i, u in enumerate(staff)])
        RotaSlot.objects.create(rota=rota, weekdays=list(range(7)), start_time=dt.time(start), end_time=dt.time(end),
                                people=people)
    return village


def counts():
    return [model.objects.count() for model in (
        Shift, PatrolRoute, PatrolCheckpoint, PatrolRun, PatrolScanPhoto, HandoverNote, GarbageHandover, GarbageCheck)]


def test_the_demo_seeds_a_month_with_one_flagged_run_and_runs_twice(media_root):
    village = small_guangming()
    now = timezone.now()
    report = demo_patrols_seed(now=now)
    assert report["routes"] == 3 and report["runs"] == 60 and report["handovers"] == 30
    security = Rota.objects.get(community=village, kind=Rota.Kind.SECURITY)
    assert security.name == "门岗安保" and security.slots.count() == 3
    hours = {round(s.hours) for s in security.shifts.all()}
    assert hours == {8} and security.shifts.filter(starts_at__gte=now).count() >= 3 * 7
    assert sorted(security.members.values_list("user__username", flat=True)) == [
        "station3", "station4", "station5", "station6"]
    flagged = PatrolRun.objects.get(flagged=True)
    assert flagged.route.name == "施杨夜巡" and flagged.missed == 1
    assert PatrolRun.objects.filter(finished_at__isnull=False).count() == 59
    assert HandoverNote.objects.filter(read_at__isnull=True).count() == 1
    assert GarbageHandover.objects.filter(on_time=False).count() == 2
    before = counts()
    demo_patrols_seed()
    assert counts() == before
