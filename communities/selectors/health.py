import os
import time

from django.conf import settings
from django.db import connection

PROBE_TIMEOUT = 1.0


def database_state() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000)}


def broker_state() -> dict:
    """Ping the broker with a short timeout, so a hung Redis answers 'fail' in about a second."""
    url = settings.CELERY_BROKER_URL
    started = time.monotonic()
    try:
        if url.startswith(("redis://", "rediss://")):
            import redis

            client = redis.Redis.from_url(url, socket_timeout=PROBE_TIMEOUT, socket_connect_timeout=PROBE_TIMEOUT)
            try:
                client.ping()
            finally:
                client.close()
        elif url.startswith("luodianfs://"):
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"]
            os.makedirs(folder, exist_ok=True)
            if not os.access(folder, os.W_OK):
                raise PermissionError(folder)
        else:
            from celery import current_app as app

            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT)
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000)}
