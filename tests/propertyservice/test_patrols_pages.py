"""The patrol pages: the scan page a checkpoint's QR code opens (the guard on the shift, anyone else 403, another
village 404), the panel on the core shift page (the flag, the hand-over note to mark read), routes and their QR
codes for the heads, the garbage log, the heads' board and the metrics."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Role, Rota
from communities.services.photos import photo_process

from propertyservice.metrics import measure
from propertyservice.models import (
    GarbageCheck, GarbageHandover, HandoverNote, PatrolCheckpoint, PatrolRoute, PatrolRun, PatrolScan,
)
from propertyservice.selectors import patrols as sel
from propertyservice.services import patrols as svc

from ..factories import make_member
from .patrols_world import (  # noqa: F401
    checkpoints, garbage_rota, jpeg, make_route, make_shift, patrol_rota, route, shift,
)
from .world import (  # noqa: F401
    NOW, at, committee, head, head2, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def live_shift(patrol_rota, staff_member):
    """A shift on now (the pages read the real clock): started an hour ago, ends in two."""
    now = timezone.now()
    return make_shift(patrol_rota, now - HOUR, now + 2 * HOUR, staff_member)


def scan_url(checkpoint):
    return reverse("propertyservice:patrol_scan", args=[checkpoint.token])


def test_the_guard_on_the_shift_scans_and_a_photo_point_wants_a_photo(
        client, checkpoints, live_shift, staff_member, committee, villager):
    client.force_login(staff_member)
    page = client.get(scan_url(checkpoints[0]))
    assert page.status_code == 200 and "丁钱村口" in page.content.decode()
    assert client.post(scan_url(checkpoints[0])).status_code == 302
    refused = client.post(scan_url(checkpoints[1]))
    assert refused.status_code == 400 and "要求拍照" in refused.content.decode()
    assert client.post(scan_url(checkpoints[1]), {"photo": jpeg()}).status_code == 302
    repeat = client.post(scan_url(checkpoints[0]), follow=True)
    assert "已经打过卡了" in repeat.content.decode()
    assert PatrolScan.objects.count() == 2
    mine = client.get(reverse("propertyservice:patrol_mine")).content.decode()
    assert "已打卡 2 / 3 个点位" in mine and "下一个点位：丁钱河边" in mine
    photo_scan = PatrolScan.objects.get(checkpoint=checkpoints[1])
    photo_url = reverse("propertyservice:patrol_scan_photo", args=[photo_scan.pk])
    client.force_login(committee)
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    client.force_login(villager)
    assert client.get(photo_url).status_code == 403
    assert client.get(reverse("propertyservice:patrol_mine")).status_code == 403


def test_someone_not_on_the_shift_is_refused_and_another_village_is_a_404(
        client, village, checkpoints, live_shift, villager, committee, other_village):
    for user in (make_member(village, Role.STATION_STAFF, username="not-on-it"), villager, committee):
        client.force_login(user)
        assert client.get(scan_url(checkpoints[0])).status_code == 403
        assert client.post(scan_url(checkpoints[0])).status_code == 403
    client.force_login(make_member(other_village, Role.STATION_STAFF, username="other-guard"))
    assert client.get(scan_url(checkpoints[0])).status_code == 404
    assert client.get(reverse("propertyservice:patrol_scan", args=["made-up-token"])).status_code == 404
    assert not PatrolScan.objects.exists()


def test_the_shift_page_shows_the_flag_and_the_next_shift_reads_the_note(
        client, village, checkpoints, patrol_rota, staff_member):
    now = timezone.now()
    past = make_shift(patrol_rota, now - 5 * HOUR, now - 2 * HOUR, staff_member)
    relief = make_member(village, Role.STATION_STAFF, username="relief", name="施建华")
    following = make_shift(patrol_rota, now - HOUR, now + 2 * HOUR, relief)
    svc.patrol_scan(actor=staff_member, checkpoint=checkpoints[0], shift=past, now=now - 4 * HOUR)
    svc.patrol_run_close(shift_id=past.pk, route_id=checkpoints[0].route_id)
    client.force_login(staff_member)
    flagged = client.get(reverse("communities:shift_detail", args=[past.pk])).content.decode()
    assert "异常" in flagged and "漏巡 2 个点位" in flagged
    client.post(reverse("propertyservice:patrol_handover_write", args=[past.pk]), {"body": "七图桥头有积水"})
    client.force_login(relief)
    page = client.get(reverse("communities:shift_detail", args=[following.pk])).content.decode()
    assert "七图桥头有积水" in page and "我已阅读交接内容" in page
    note = HandoverNote.objects.get()
    client.post(reverse("propertyservice:patrol_handover_read", args=[note.pk]), {"next_shift": following.pk})
    note.refresh_from_db()
    assert note.read_by == relief
    assert "已于" in client.get(reverse("communities:shift_detail", args=[following.pk])).content.decode()


def test_hand_over_notes_refuse_a_villager_and_another_village(client, patrol_rota, shift, villager, other_village):
    url = reverse("propertyservice:patrol_handover_write", args=[shift.pk])
    client.force_login(villager)
    assert client.post(url, {"body": "想看看"}).status_code == 403
    client.force_login(other_village.memberships.first().user)
    assert client.post(url, {"body": "隔壁村"}).status_code == 404
    assert not HandoverNote.objects.exists()


def test_heads_and_committee_manage_routes_and_print_their_codes(
        client, village, patrol_rota, head, committee, staff_member, villager, other_village, station):
    client.force_login(head)
    assert client.get(reverse("propertyservice:patrol_routes")).status_code == 200
    made = client.post(reverse("propertyservice:patrol_route_new"), {
        "name": "七图巡逻", "rota": patrol_rota.pk, "expected_minutes": 40, "late_after_minutes": 10,
        "active": "on"})
    assert made.status_code == 302
    route = PatrolRoute.objects.get(name="七图巡逻")
    client.post(reverse("propertyservice:patrol_checkpoint_add", args=[route.pk]),
                {"name": "七图桥头", "requires_photo": "on"})
    checkpoint = PatrolCheckpoint.objects.get(route=route)
    assert checkpoint.order == 1 and checkpoint.requires_photo and len(checkpoint.token) >= 24
    sheet = client.get(reverse("propertyservice:patrol_route_print", args=[route.pk])).content.decode()
    assert "<svg" in sheet and "七图桥头" in sheet
    client.force_login(committee)
    assert client.get(reverse("propertyservice:patrol_route", args=[route.pk])).status_code == 200
    for user in (staff_member, villager):
        client.force_login(user)
        assert client.get(reverse("propertyservice:patrol_routes")).status_code == 403
        assert client.get(reverse("propertyservice:patrol_route", args=[route.pk])).status_code == 403
    client.force_login(other_village.memberships.first().user)
    assert client.get(reverse("propertyservice:patrol_route", args=[route.pk])).status_code == 404
    assert client.get(reverse("propertyservice:patrol_routes"), {"community": village.slug}).status_code == 404


def test_the_garbage_log_records_a_handover_once_and_a_check(client, village, garbage_rota, staff_member, villager):
    now = timezone.now()
    collection = make_shift(garbage_rota, now - 2 * HOUR, now + HOUR, staff_member)
    client.force_login(staff_member)
    assert client.get(reverse("propertyservice:patrol_garbage")).status_code == 200
    handed = timezone.localtime(now - HOUR)
    form = {"form": "handover", "shift": collection.pk, "day": handed.date().isoformat(),
            "time": handed.strftime("%H:%M"), "weight_kg": "320.5", "received_by": "镇环卫所 王师傅"}
    assert client.post(reverse("propertyservice:patrol_garbage"), form).status_code == 302
    assert client.post(reverse("propertyservice:patrol_garbage"), form).status_code == 302  # a double submission
    handover = GarbageHandover.objects.get()
    assert handover.on_time and handover.weight_kg == Decimal("320.5")
    missing = client.post(reverse("propertyservice:patrol_garbage"), {**form, "weight_kg": ""})
    assert missing.status_code == 400
    unexplained = client.post(reverse("propertyservice:patrol_garbage"), {
        "form": "check", "point": "丁钱垃圾箱房", "bins_complete": "on", "mis_sorted": "on"})
    assert unexplained.status_code == 400 and "如何处理" in unexplained.content.decode()
    assert client.post(reverse("propertyservice:patrol_garbage"), {
        "form": "check", "point": "丁钱垃圾箱房", "bins_complete": "on", "mis_sorted": "on", "corrected": "on"}
    ).status_code == 302
    assert GarbageCheck.objects.get().corrected
    client.force_login(villager)
    assert client.get(reverse("propertyservice:patrol_garbage")).status_code == 403


def _month_of_runs(village, rota, route, guard, days):
    runs = []
    for day in range(days):
        shift = make_shift(rota, at(-day - 1, 19), at(-day - 1, 22), guard)
        for checkpoint in route.checkpoints.all():
            if day == 0 and checkpoint.order == 3:
                continue  # the one run that missed a checkpoint
            photo = photo_process(upload=jpeg()) if checkpoint.requires_photo else None
            svc.patrol_scan(actor=guard, checkpoint=checkpoint, shift=shift, photo=photo,
                            now=at(-day - 1, 19, 10 * checkpoint.order))
        runs.append(svc.patrol_run_close(shift_id=shift.pk, route_id=route.pk, now=at(0, 9)))
    return runs


def test_the_board_counts_the_month_in_a_fixed_number_of_queries(
        client, village, patrol_rota, route, staff_member, head, station, django_assert_num_queries):
    client.force_login(head)
    _month_of_runs(village, patrol_rota, route, staff_member, 2)
    with django_assert_num_queries(4):
        few = sel.board_patrols(community=village, now=NOW)
    _month_of_runs(village, make_route_rota(village, head), PatrolRoute.objects.get(name="施杨夜巡"), staff_member, 4)
    with django_assert_num_queries(4):
        many = sel.board_patrols(community=village, now=NOW)
    assert (few["runs"]["total"], few["runs"]["flagged"]) == (2, 1)
    assert many["runs"] == {"total": 6, "completed": 4, "flagged": 2}
    assert {run.route.name for run in many["flagged"]} == {"丁钱夜巡", "施杨夜巡"}
    board = client.get(reverse("propertyservice:board")).content.decode()
    assert "巡逻与垃圾清运" in board


def make_route_rota(village, head):
    rota = Rota.objects.create(community=village, name="24小时门岗安保", kind=Rota.Kind.SECURITY, manager=head)
    make_route(village, rota, "施杨夜巡")
    return rota


def test_the_metrics_count_what_was_due(village, patrol_rota, route, garbage_rota, staff_member, head,
                                        django_assert_num_queries):
    _month_of_runs(village, patrol_rota, route, staff_member, 3)
    make_shift(patrol_rota, at(-5, 19), at(-5, 22), staff_member)  # nobody walked it (not closed yet)
    for day, hour in ((1, 8), (2, 9)):
        collection = make_shift(garbage_rota, at(-day, 6, 30), at(-day, 8, 30), staff_member)
        svc.garbage_handover_log(actor=staff_member, shift=collection, handed_at=at(-day, hour), bins=6,
                                 received_by="镇环卫所", now=at(0, 9))
    make_shift(garbage_rota, at(-3, 6, 30), at(-3, 8, 30), staff_member)  # no hand-over logged
    start, end = NOW.date().replace(day=1), NOW.date()
    with django_assert_num_queries(2):
        patrols = sel.patrols_completed(community=village, start=start, end=end, now=NOW)
    with django_assert_num_queries(2):
        garbage = sel.garbage_on_time(community=village, start=start, end=end, now=NOW)
    assert (patrols.part, patrols.whole) == (2, 4)
    assert (garbage.part, garbage.whole) == (1, 3)
    assert measure("garbage_on_time", community=village, start=start, end=end).whole == 3
    assert PatrolRun.objects.filter(flagged=True).count() == 1
