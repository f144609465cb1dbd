"""A real Celery worker delivers notifications: on Redis (production) and on the serverless
filesystem broker that `make run` uses on a bare machine."""
import uuid
from pathlib import Path

import pytest

from communities.models import Notification

from ..celery_helpers import run_in_django, start_worker, stop, wait_until_emailed, worker_env
from ..factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def enqueue(ids, env):
    run_in_django(f"from communities.tasks import deliver_notification as t; [t.delay(i) for i in {list(ids)!r}]",
                  env)


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_worker_delivers_each_notification_once(transactional_db, tmp_path, broker):
    user = UserFactory(username="mailme", email="mailme@example.cn")
    notes = [Notification.objects.create(recipient=user, title=f"提醒 {i}") for i in range(30)]
    ids = [n.pk for n in notes]
    queue = f"test-{uuid.uuid4().hex[:8]}"
    if broker == "redis":
        env = worker_env(REDIS_URL="redis://127.0.0.1:6379/0", CELERY_QUEUE=queue)
    else:
        env = worker_env(REDIS_URL="", CELERY_BROKER_URL="luodianfs://", LUODIAN_VAR_DIR=str(tmp_path),
                         CELERY_QUEUE=queue)
        for sub in ("queue", "control", "processed"):
            (tmp_path / "celery" / sub).mkdir(parents=True)
    worker = start_worker(env)
    try:
        enqueue(ids, env)
        enqueue(ids[:10], env)  # a second delivery of the same ids must send nothing more
        delivered = wait_until_emailed(ids)
    finally:
        log = stop(worker)
    assert delivered, f"worker did not deliver in time; log:\n{log[-3000:]}"
    assert Notification.objects.filter(pk__in=ids, email_attempts=1).count() == 30
