"""GET /healthz: 200 when the database and the broker answer, 503 naming the one that does not,
within 3 s even when Redis accepts connections but never answers."""
import time

from ..celery_helpers import refused_url


def test_healthy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


def test_redis_refusing_connections_is_named(client, db, settings):
    settings.CELERY_BROKER_URL = refused_url()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False and body["database"]["ok"] is True


def test_hung_redis_answers_503_within_3_seconds(client, db, settings, hung_redis):
    settings.CELERY_BROKER_URL = hung_redis
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False, "error": "TimeoutError"}


def test_database_down_is_named(client, db, monkeypatch):
    from django.db import OperationalError

    from communities.selectors import health

    class Down:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_health_needs_no_login_and_shows_no_data(client, db):
    body = client.get("/healthz").json()
    assert set(body) == {"status", "database", "broker"}
