"""Shared by the tests that switch brokers or run a real Celery worker against the test database."""
import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from communities.models import Notification
from communities.services import notifications
from luodian.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def refused_url() -> str:
    """A Redis URL on a port where nothing listens, as when Redis is stopped."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"redis://127.0.0.1:{port}/0"


def _forget_broker_connections():
    # Both caches must go: ``app._pool`` (connections) and ``app.amqp._producer_pool``, which .delay()
    # uses and which otherwise stays bound to whatever broker URL the process first published to.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    notifications._broker_down_until = 0.0


@contextlib.contextmanager
def broker_at(url):
    """Point this process's Celery app (what web requests publish with) at ``url`` for a while."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    _forget_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_url = previous
        _forget_broker_connections()


def worker_env(**extra) -> dict:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("CELERY_BROKER_URL", None)
    env.update({
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": "memorymail://",
        "DJANGO_SETTINGS_MODULE": "luodian.settings",
        **extra,
    })
    return env


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "luodian", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(worker) -> str:
    worker.terminate()
    try:
        out, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, _ = worker.communicate()
    return out


def run_in_django(code: str, env) -> None:
    """Run Python ``code`` in a fresh Django process with ``env`` (e.g. to enqueue as another web process)."""
    subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env=env,
                   check=True, timeout=60)


def wait_until_emailed(ids, timeout=40) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists():
            return True
        time.sleep(0.3)
    return False
