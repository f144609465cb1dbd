"""The rota tasks on a real Celery worker against a real Redis: generating shifts twice gives the same shifts,
and a reminder task delivered many times to two workers at once sends one message."""
import datetime as dt
import os
import time
import uuid

import pytest
import redis
from django.utils import timezone

from communities.models import Notification, Role, Shift, ShiftAssignment

from ..celery_helpers import run_in_django, start_worker, stop, wait_until_emailed, worker_env
from ..communities.rota_helpers import make_rota, members
from ..factories import UserFactory, make_member

REAL_REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
pytestmark = pytest.mark.integration


def enqueue(code: str, env) -> None:
    run_in_django(f"from communities import tasks; {code}", env)


def sentinel(env) -> int:
    """A notification delivered by the worker after everything queued before it (a solo worker runs in order)."""
    user = UserFactory(username=f"sentinel-{uuid.uuid4().hex[:6]}", email="sentinel@example.cn")
    note = Notification.objects.create(recipient=user, title="sentinel")
    enqueue(f"tasks.deliver_notification.delay({note.pk})", env)
    return note.pk


def snapshot(rota):
    return sorted(ShiftAssignment.objects.filter(shift__rota=rota).values_list(
        "shift__slot_id", "shift__starts_at", "shift__ends_at", "user_id"))


@pytest.fixture
def queue_env():
    queue = f"test-rota-{uuid.uuid4().hex[:8]}"
    yield queue, worker_env(REDIS_URL=REAL_REDIS, CELERY_QUEUE=queue)
    redis.Redis.from_url(REAL_REDIS, socket_timeout=2).delete(queue)  # leave nothing in the shared Redis


def test_shift_generation_twice_on_a_worker_gives_the_same_shifts(transactional_db, community, queue_env):
    queue, env = queue_env
    rota = make_rota(community, members(community, 4), slots=((9, 12, 1), (14, 17, 2)))
    worker = start_worker(env)
    try:
        # Beat's fan-out queues one task per rota behind the first sentinel; the second sentinel comes after it.
        enqueue("tasks.start_shift_generation.delay()", env)
        first_done = wait_until_emailed([sentinel(env)], timeout=60) and wait_until_emailed([sentinel(env)], timeout=60)
        first = snapshot(rota)
        enqueue(f"tasks.generate_rota_shifts.delay({rota.pk}); tasks.generate_rota_shifts.delay({rota.pk})", env)
        second_done = wait_until_emailed([sentinel(env)], timeout=60)
    finally:
        log = stop(worker)
    assert first_done and second_done, f"worker did not finish; log:\n{log[-3000:]}"
    # Four weeks of seven days with two slots: 56 shifts (give or take the one starting as the test runs).
    assert 54 <= Shift.objects.filter(rota=rota).count() <= 56
    assert len(first) == sum(s.people for s in Shift.objects.filter(rota=rota))
    assert snapshot(rota) == first


def test_reminder_run_twice_concurrently_sends_one_message(transactional_db, community, queue_env):
    queue, env = queue_env
    staff = make_member(community, Role.COMMITTEE_STAFF, username="rota_boss")
    users = members(community, 3)
    for user in users:
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    rota = make_rota(community, users, manager=staff, slots=())
    soon = timezone.now() + dt.timedelta(minutes=90)
    assignments = []
    for i, user in enumerate(users):
        shift = Shift.objects.create(rota=rota, starts_at=soon + dt.timedelta(minutes=i), ends_at=soon + dt.timedelta(
            hours=2, minutes=i))
        assignments.append(ShiftAssignment.objects.create(shift=shift, user=user))
    ids = [a.pk for a in assignments]
    # Two workers take from one queue; every reminder is queued eight times, and the fan-out twice more.
    workers = [start_worker(env), start_worker(env)]
    try:
        time.sleep(2)  # both workers up before the burst, so they really compete
        enqueue(f"[tasks.remind_shift.delay(i, '2h') for _ in range(8) for i in {ids!r}]; "
                "tasks.start_shift_reminders.delay(); tasks.start_shift_reminders.delay()", env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = ShiftAssignment.objects.filter(pk__in=ids, reminded_2h_at__isnull=False).count() == len(ids)
            if done and redis.Redis.from_url(REAL_REDIS, socket_timeout=2).llen(queue) == 0:
                break
            time.sleep(0.3)
        time.sleep(2)  # let the last duplicates that were already taken finish
        notes = list(Notification.objects.filter(recipient__in=users, title__contains="值班提醒"))
        delivered = wait_until_emailed([n.pk for n in notes], timeout=40)
    finally:
        logs = [stop(w) for w in workers]
    assert delivered, "\n".join(log[-2000:] for log in logs)
    assert sorted(n.recipient_id for n in notes) == sorted(u.pk for u in users)
    assert Notification.objects.filter(recipient__in=users, title__contains="值班提醒", email_attempts=1).count() == 3
