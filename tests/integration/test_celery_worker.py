"""A real Celery worker delivers notifications: on Redis (production) and on the serverless
filesystem broker that `make run` uses on a bare machine."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from communities.models import Notification

from ..factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def worker_env(**extra):
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": "memorymail://",
        **extra,
    })
    return env


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "luodian", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until_delivered(ids, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists():
            return True
        time.sleep(0.3)
    return False


def stop(worker):
    worker.terminate()
    try:
        out, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, _ = worker.communicate()
    return out


def enqueue(ids, env):
    code = ("import django; django.setup(); from communities.tasks import deliver_notification as t; "
            f"[t.delay(i) for i in {list(ids)!r}]")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "luodian.settings"},
                   check=True, timeout=60)


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
        delivered = wait_until_delivered(ids)
    finally:
        log = stop(worker)
    assert delivered, f"worker did not deliver in time; log:\n{log[-3000:]}"
    assert Notification.objects.filter(pk__in=ids, email_attempts=1).count() == 30
