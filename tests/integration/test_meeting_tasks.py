"""Meeting reminders with real concurrency: two Celery workers against a real Redis each get the same
reminder task at once, and two threads (own PostgreSQL connections) claim the same reminder at the same
moment. Either way the invitees get one message, not two."""
import threading
import time
import uuid

import pytest
import redis
from django.db import connection
from django.utils import timezone

from communities.models import Meeting, MeetingEvent, MeetingKind, Notification, Role
from communities.services import meeting_clock, notifications
from communities.services import meetings as svc

from ..celery_helpers import run_in_django, start_worker, stop, worker_env
from ..factories import make_member

REDIS_URL = "redis://127.0.0.1:6379/4"
H = timezone.timedelta(hours=1)
pytestmark = pytest.mark.integration


@pytest.fixture
def due_meeting(transactional_db, community, committee_staff):
    """A 碰头会 23 hours from now: its day-before reminder is due."""
    landlords = [make_member(community, Role.SUBLANDLORD, username=f"landlord{i}") for i in range(3)]
    start = (timezone.now() + 23 * H).replace(microsecond=0)
    meeting = svc.meeting_create(actor=committee_staff, community=community, title="蓉治社碰头会",
                                 kind=MeetingKind.CHECK_IN, venue="蓉治社接待室", starts_at=start,
                                 ends_at=start + 2 * H, organiser=committee_staff, invited_users=landlords)
    Notification.objects.all().delete()  # the invitation itself is not under test
    return meeting, [committee_staff, *landlords]


def _drained(client, queue) -> bool:
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


def test_reminder_task_twice_on_two_workers_sends_once(due_meeting):
    meeting, people = due_meeting
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = worker_env(REDIS_URL=REDIS_URL, CELERY_QUEUE=queue)
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    workers = [start_worker(env), start_worker(env)]
    try:
        time.sleep(3)  # both workers listening before the two tasks arrive
        run_in_django(
            "from communities.tasks import remind_meeting as t; "
            f"t.delay({meeting.pk}, '24h', {meeting.version}); t.delay({meeting.pk}, '24h', {meeting.version})",
            env)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if MeetingEvent.objects.filter(meeting=meeting, action="remind_24h").exists() and _drained(client, queue):
                time.sleep(1)  # settle: a second run, if any, has finished too
                if _drained(client, queue):
                    break
            time.sleep(0.3)
    finally:
        logs = [stop(w) for w in workers]
        client.delete(queue)
    assert MeetingEvent.objects.filter(meeting=meeting, action="remind_24h").count() == 1, logs
    for person in people:
        assert Notification.objects.filter(recipient=person, title__contains="明天开会").count() == 1, logs
    assert Meeting.objects.get(pk=meeting.pk).reminded_24h_at is not None


def test_two_threads_claim_one_reminder_at_the_same_moment(due_meeting, monkeypatch):
    meeting, people = due_meeting
    monkeypatch.setattr(notifications, "enqueue_delivery", lambda pk: None)  # delivery is not under test
    for _round in range(5):
        Meeting.objects.filter(pk=meeting.pk).update(reminded_24h_at=None)
        Notification.objects.all().delete()
        barrier = threading.Barrier(2)
        results, errors = [], []

        def remind():
            try:
                barrier.wait(timeout=10)
                results.append(meeting_clock.meeting_remind(meeting_id=meeting.pk, kind="24h",
                                                            version=meeting.version))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=remind) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not errors and sorted(results) == [False, True]
        for person in people:
            assert Notification.objects.filter(recipient=person, title__contains="明天开会").count() == 1
