"""Patrols on the core rota engine: scanning checkpoints in and out of order, the photo a checkpoint asks for, a
repeat scan, the beat task that closes and flags a run once, the hand-over note between shifts."""
import datetime as dt

import pytest

from communities.models import Notification, Role
from communities.services.errors import DomainError
from communities.services.photos import photo_process

from propertyservice.models import HandoverNote, PatrolRun, PatrolScan, PatrolScanPhoto
from propertyservice.services import patrols as svc
from propertyservice.tasks import close_patrol_run, start_patrol_runs_close

from ..factories import make_member
from .patrols_world import (  # noqa: F401
    checkpoints, jpeg, make_shift, patrol_rota, route, shift,
)
from .world import (  # noqa: F401
    at, committee, head, head2, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)


def scan(checkpoint, shift, user, when, photo=None):
    return svc.patrol_scan(actor=user, checkpoint=checkpoint, shift=shift, photo=photo, now=when)


def test_scans_record_their_time_and_whether_they_came_in_order(checkpoints, shift, staff_member):
    first, second, third = checkpoints
    start = at(0, 19, 5)
    scan(first, shift, staff_member, start)
    out_of_order = scan(third, shift, staff_member, start + 10 * MIN)
    assert out_of_order.scan.in_order is False and not out_of_order.completed
    done = scan(second, shift, staff_member, start + 20 * MIN, photo=photo_process(upload=jpeg()))
    assert done.completed and done.scan.in_order is True
    run = PatrolRun.objects.get(shift=shift)
    assert run.started_at == start and run.finished_at == start + 20 * MIN
    assert list(run.scans.order_by("scanned_at").values_list("checkpoint__name", "in_order")) == [
        ("丁钱村口", True), ("丁钱河边", False), ("丁钱垃圾箱房", True)]


def test_a_checkpoint_that_asks_for_a_photo_refuses_a_scan_without_one(checkpoints, shift, staff_member, media_root):
    photo_point = checkpoints[1]
    with pytest.raises(DomainError) as refused:
        scan(photo_point, shift, staff_member, at(0, 19, 10))
    assert refused.value.code == "photo_required"
    assert not PatrolScan.objects.exists()
    result = scan(photo_point, shift, staff_member, at(0, 19, 11), photo=photo_process(upload=jpeg()))
    stored = PatrolScanPhoto.objects.get(scan=result.scan)
    assert stored.uploaded_by == staff_member and (media_root / stored.image.name).exists()


def test_scanning_twice_is_a_repeat_not_a_second_row(checkpoints, shift, staff_member):
    first = scan(checkpoints[0], shift, staff_member, at(0, 19, 5))
    again = scan(checkpoints[0], shift, staff_member, at(0, 19, 6))
    assert again.repeat and again.scan.pk == first.scan.pk
    assert PatrolScan.objects.count() == 1
    assert PatrolScan.objects.get().repeats == 1 and PatrolScan.objects.get().scanned_at == at(0, 19, 5)


def test_someone_not_on_the_shift_or_out_of_its_time_cannot_scan(village, checkpoints, shift, staff_member):
    other_guard = make_member(village, Role.STATION_STAFF, username="guard2")
    with pytest.raises(DomainError) as refused:
        scan(checkpoints[0], shift, other_guard, at(0, 19, 5))
    assert refused.value.code == "not_on_shift"
    with pytest.raises(DomainError) as late:
        scan(checkpoints[0], shift, staff_member, at(0, 23, 30))
    assert late.value.code == "not_now"
    assert not PatrolScan.objects.exists()


def test_the_beat_task_flags_a_run_that_missed_a_checkpoint_once(checkpoints, shift, staff_member, head):
    scan(checkpoints[0], shift, staff_member, at(0, 19, 5))
    scan(checkpoints[2], shift, staff_member, at(0, 19, 30))
    assert svc.patrol_run_close(shift_id=shift.pk, route_id=checkpoints[0].route_id, now=at(0, 21)) is None
    assert svc.patrol_runs_due_close(now=at(0, 23)) == [(shift.pk, checkpoints[0].route_id)]
    run = svc.patrol_run_close(shift_id=shift.pk, route_id=checkpoints[0].route_id, now=at(0, 23))
    assert run.flagged and run.missed == 1 and not run.late and run.finished_at is None
    closed_at = run.closed_at
    again = svc.patrol_run_close(shift_id=shift.pk, route_id=checkpoints[0].route_id, now=at(0, 23, 10))
    assert again.closed_at == closed_at
    assert svc.patrol_runs_due_close(now=at(0, 23, 10)) == []
    assert Notification.objects.filter(recipient=head).count() == 1  # the rota's manager, told once
    with pytest.raises(DomainError):  # a closed run takes no more scans
        scan(checkpoints[1], shift, staff_member, at(0, 22, 20), photo=photo_process(upload=jpeg()))


def test_a_shift_nobody_walked_and_a_late_finish_are_flagged(route, checkpoints, patrol_rota, shift, staff_member):
    late_shift = make_shift(patrol_rota, at(1, 19), at(1, 22), staff_member)
    start = at(1, 19)
    scan(checkpoints[0], late_shift, staff_member, start)
    scan(checkpoints[1], late_shift, staff_member, start + 30 * MIN, photo=photo_process(upload=jpeg()))
    scan(checkpoints[2], late_shift, staff_member, start + 61 * MIN)  # 45 expected + 15 allowed: 1 min over
    close_patrol_run(shift.pk, route.pk)  # the task itself, at the real time: both shifts have long ended
    close_patrol_run(late_shift.pk, route.pk)
    untouched = PatrolRun.objects.get(shift=shift)
    assert untouched.flagged and untouched.missed == 3 and untouched.started_at is None
    late = PatrolRun.objects.get(shift=late_shift)
    assert late.completed and late.late and late.flagged and late.missed == 0


def test_the_fan_out_task_leaves_a_route_created_after_the_shift_alone(village, patrol_rota, staff_member, settings):
    from .patrols_world import make_route

    settings.CELERY_TASK_ALWAYS_EAGER = True
    old = make_shift(patrol_rota, at(-2, 19), at(-2, 22), staff_member)
    make_route(village, patrol_rota, "施杨夜巡", created_at=at(-1, 9))
    assert (old.pk, patrol_rota.patrol_routes.get().pk) not in svc.patrol_runs_due_close(now=at(0, 9))
    start_patrol_runs_close()  # at the real time: nothing of 2026-03 is within its three days
    assert not PatrolRun.objects.exists()


def test_a_handover_note_is_read_by_the_next_shift_only(village, patrol_rota, shift, staff_member):
    relief = make_member(village, Role.STATION_STAFF, username="relief")
    following = make_shift(patrol_rota, at(1, 19), at(1, 22), relief)
    with pytest.raises(DomainError):
        svc.handover_write(actor=relief, shift=shift, body="村口路灯坏了", now=at(0, 21))
    with pytest.raises(DomainError):
        svc.handover_write(actor=staff_member, shift=shift, body="   ", now=at(0, 21))
    note = svc.handover_write(actor=staff_member, shift=shift, body="村口路灯坏了，已报修", now=at(0, 21, 50))
    with pytest.raises(DomainError):
        svc.handover_read(actor=staff_member, note=note, now=at(1, 19))
    assert svc.handover_read(actor=relief, note=note, now=at(1, 19, 5)) is True
    assert svc.handover_read(actor=relief, note=note, now=at(1, 19, 6)) is False
    note.refresh_from_db()
    assert note.read_by == relief and note.read_at == at(1, 19, 5)
    with pytest.raises(DomainError):  # read: the text stays as it was read
        svc.handover_write(actor=staff_member, shift=shift, body="改一下", now=at(1, 20))
    assert HandoverNote.objects.get().body == "村口路灯坏了，已报修"
    assert following.pk != shift.pk
