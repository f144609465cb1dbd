"""The rota Celery tasks, run eagerly: each calls its service, and running a task twice changes nothing more.
The clock moves by patching django.utils.timezone.now for the length of a test (the services read it)."""
import pytest
from django.utils import timezone

from communities import tasks
from communities.models import Notification, Shift, ShiftAssignment

from ..factories import make_member
from .rota_helpers import at, make_rota, members




@pytest.fixture
def clock(monkeypatch):
    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return set_to


def test_generation_fan_out_twice_gives_the_same_shifts(community, eager, clock):
    clock(at(0, 8))
    rota = make_rota(community, members(community, 3), slots=((9, 12, 1), (14, 18, 2)))
    idle = make_rota(community, members(community, 2, prefix="idle"), name="停用的表")
    idle.active = False
    idle.save(update_fields=["active"])
    tasks.start_shift_generation.delay()
    first = sorted(ShiftAssignment.objects.values_list("shift__starts_at", "user_id"))
    tasks.start_shift_generation.delay()
    tasks.generate_rota_shifts.delay(rota.pk)
    assert sorted(ShiftAssignment.objects.values_list("shift__starts_at", "user_id")) == first
    assert Shift.objects.filter(rota=rota).count() == 4 * 7 * 2  # four weeks, two slots a day
    assert not Shift.objects.filter(rota__active=False).exists()


def test_generation_task_for_a_deleted_rota_is_quiet(db, eager):
    tasks.generate_rota_shifts.delay(999999)


def test_missed_and_gap_tasks_act_once(community, eager, clock):
    manager = make_member(community, "committee_staff", username="gap_boss")
    rota = make_rota(community, members(community, 1), slots=((9, 12, 2),), manager=manager)
    clock(at(0, 8))
    tasks.generate_rota_shifts.delay(rota.pk)
    tasks.alert_coverage_gaps.delay()
    tasks.alert_coverage_gaps.delay()
    assert Notification.objects.filter(recipient=manager, title__contains="缺岗提醒").count() == 2  # Mon, Tue
    clock(at(1, 0))
    tasks.mark_missed_shifts.delay()
    tasks.mark_missed_shifts.delay()
    missed = ShiftAssignment.objects.filter(missed_at__isnull=False)
    assert missed.count() == 1 and missed.get().missed_at == at(1, 0)


def test_reminder_fan_out_sends_each_kind_once(community, eager, clock):
    rota = make_rota(community, members(community, 2))
    clock(at(0, 8))
    tasks.generate_rota_shifts.delay(rota.pk)
    for moment in (at(0, 9, 30), at(0, 9, 35), at(1, 7, 30), at(1, 7, 35)):
        clock(moment)
        tasks.start_shift_reminders.delay()
    tuesday = ShiftAssignment.objects.get(shift__starts_at=at(1, 9))
    titles = list(Notification.objects.filter(recipient=tuesday.user).values_list("title", flat=True))
    assert sorted(t.split("：")[1][:2] for t in titles) == ["2 ", "明天"]
    assert tuesday.user.notifications.count() == 2
