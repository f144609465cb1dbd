"""The inbox and the e-mail outbox: written with the change, delivered after commit, never lost."""
import time

import pytest
from django.db import transaction
from django.urls import reverse

from communities.models import Notification
from communities.selectors.clock import undelivered_notification_ids
from communities.services.delivery import deliver_notification_email
from communities.services.notifications import notify

from ..celery_helpers import broker_at, refused_url


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens, as when Redis is stopped."""
    with broker_at(refused_url()):
        yield


@pytest.fixture
def with_email(resident):
    resident.email = "resident@example.cn"
    resident.save()
    return resident


def test_notification_is_rolled_back_with_the_change(db, resident):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(recipient=resident, title="x")
            raise RuntimeError
    assert not Notification.objects.exists()


def test_broker_down_keeps_the_notification_for_the_sweeper(transactional_db, with_email, broker_down, mailoutbox):
    with transaction.atomic():
        note = notify(recipient=with_email, title="您的申请已通过")
    note.refresh_from_db()
    assert note.emailed_at is None  # enqueue failed quietly; the row waits
    assert note.pk in undelivered_notification_ids(older_than=__import__("datetime").timedelta(0))


def test_delivery_sends_once(db, with_email, mailoutbox):
    note = Notification.objects.create(recipient=with_email, title="会议提醒", body="明晚七点")
    assert deliver_notification_email(notification_id=note.pk) is True
    assert deliver_notification_email(notification_id=note.pk) is False
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "会议提醒"
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_failed_email_is_retried_then_marked_failed(db, with_email, settings, monkeypatch):
    def smtp_down(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("communities.services.delivery.send_mail", smtp_down)
    note = Notification.objects.create(recipient=with_email, title="x")
    for _ in range(5):
        assert deliver_notification_email(notification_id=note.pk) is False
    note.refresh_from_db()
    assert note.email_attempts == 5 and note.email_failed and note.emailed_at is None
    assert note.pk not in undelivered_notification_ids()


def test_user_without_email_only_gets_the_inbox(db, resident, mailoutbox):
    note = Notification.objects.create(recipient=resident, title="x")
    deliver_notification_email(notification_id=note.pk)
    note.refresh_from_db()
    assert note.emailed_at is not None and not mailoutbox


def test_inbox_shows_unread_count_and_marks_read(client, resident, committee_staff):
    Notification.objects.create(recipient=resident, title="您的申请已通过")
    Notification.objects.create(recipient=committee_staff, title="别人的消息")
    client.force_login(resident)
    page = client.get(reverse("communities:notification_list")).content.decode()
    assert "您的申请已通过" in page and "别人的消息" not in page
    assert "1<span class=\"visually-hidden\">条未读" in page
    client.post(reverse("communities:notification_read_all"))
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=committee_staff, read_at__isnull=True).exists()


def test_cannot_mark_someone_elses_notification(client, resident, committee_staff):
    other = Notification.objects.create(recipient=committee_staff, title="x")
    client.force_login(resident)
    client.post(reverse("communities:notification_read", args=[other.pk]))
    other.refresh_from_db()
    assert other.read_at is None


def test_hung_broker_costs_one_timeout_not_one_per_message(transactional_db, with_email, hung_redis):
    with broker_at(hung_redis):
        started = time.monotonic()
        with transaction.atomic():
            notes = [notify(recipient=with_email, title=f"提醒 {i}") for i in range(5)]
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"five notifications took {elapsed:.1f} s with a hung broker"
    assert Notification.objects.filter(pk__in=[n.pk for n in notes], emailed_at__isnull=True).count() == 5


def test_stored_texts_use_the_community_language_not_the_actors(db, committee_staff, unit):
    """A committee worker browsing in English still sends a Chinese-speaking resident Chinese."""
    import datetime as dt

    from django.utils import translation

    from communities.models import RegistrationRequest
    from communities.services.registrations import registration_reject

    from ..factories import UserFactory

    applicant = UserFactory(username="applicant")
    request = RegistrationRequest.objects.create(user=applicant, unit=unit, name="申请人", phone="13700000009",
                                                 relation="owner", moved_in=dt.date(2025, 1, 1))
    with translation.override("en"):
        registration_reject(actor=committee_staff, request_id=request.pk, reason="材料不全")
    note = Notification.objects.get(recipient=applicant)
    assert note.title == "您的注册申请未通过"
    assert note.body.startswith("原因：材料不全")
