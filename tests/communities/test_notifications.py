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


# --- keys rendered in the reader's language, opening, grouping (issue 12 item 10) -----------------------------

def _created_in_chinese(recipient, **kw):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from communities.services.texts import deferred

    with translation.override("zh-hans"):
        return notify(recipient=recipient, title=deferred(gettext_lazy("会议通知：%(title)s"), title="楼组长会"),
                      body=deferred(gettext_lazy("原因：%(reason)s。您可以修改后重新申请。"), reason="材料不全"),
                      **kw)


def test_english_reader_sees_english_for_a_notification_created_in_chinese(client, resident):
    note = _created_in_chinese(resident)
    assert note.title == "会议通知：楼组长会"  # stored (and e-mailed) in the community's language
    client.force_login(resident)
    page = client.get(reverse("communities:notification_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Meeting notice: 楼组长会" in page and "会议通知" not in page
    assert "材料不全" in page and "原因：" not in page
    page = client.get(reverse("communities:notification_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "会议通知：楼组长会" in page


def test_a_nested_message_is_rendered_in_the_readers_language_too(db, resident):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from communities.services.texts import deferred

    inner = deferred(gettext_lazy("会议通知：%(title)s"), title="议事会")
    note = notify(recipient=resident, title=gettext_lazy("您的注册申请未通过"),
                  body=deferred(gettext_lazy("原因：%(reason)s。您可以修改后重新申请。"), reason=inner))
    with translation.override("en"):
        assert note.shown_title == "Your registration request was not approved"
        assert "Meeting notice: 议事会" in note.shown_body


def test_an_old_row_without_keys_shows_its_stored_text(client, resident):
    Notification.objects.create(recipient=resident, title="旧的消息", body="旧的内容")
    client.force_login(resident)
    page = client.get(reverse("communities:notification_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "旧的消息" in page and "旧的内容" in page


def test_a_key_that_no_longer_formats_falls_back_to_the_stored_text(db, resident):
    note = Notification.objects.create(recipient=resident, title="存的标题",
                                       texts={"title": {"key": "会议通知：%(title)s", "params": {}}})
    assert note.shown_title == "存的标题"


def test_opening_marks_read_and_goes_to_the_target(client, resident):
    note = _created_in_chinese(resident, url="/cases/")
    client.force_login(resident)
    response = client.get(reverse("communities:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/"
    note.refresh_from_db()
    assert note.read_at is not None
    response = client.post(reverse("communities:notification_open", args=[note.pk]))  # again: harmless
    assert response.status_code == 302


def test_opening_never_redirects_off_site(client, resident):
    note = Notification.objects.create(recipient=resident, title="x", url="//evil.example/")
    client.force_login(resident)
    response = client.get(reverse("communities:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("communities:notification_list")


def test_opening_another_users_notification_is_404(client, resident, committee_staff):
    other = Notification.objects.create(recipient=committee_staff, title="别人的消息", url="/cases/")
    client.force_login(resident)
    assert client.get(reverse("communities:notification_open", args=[other.pk])).status_code == 404
    assert client.post(reverse("communities:notification_open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_notifications_about_one_case_are_one_row_with_a_count(client, resident, community,
                                                               django_assert_max_num_queries):
    from ..factories import CaseFactory

    cases = [CaseFactory(community=community, reporter=resident) for _ in range(3)]
    for case in cases:
        for i in range(3):
            notify(recipient=resident, title=f"诉求 #{case.pk} 更新 {i}", url=f"/cases/{case.pk}/", case=case)
    Notification.objects.create(recipient=resident, title="单独的消息")
    client.force_login(resident)
    url = reverse("communities:notification_list")
    client.get(url)  # warm the per-user caches
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    for case in cases:
        assert f"诉求 #{case.pk} 更新 2" in page and f"诉求 #{case.pk} 更新 0" not in page
    assert page.count("共 3 条") == 3 and "单独的消息" in page
    latest = Notification.objects.filter(recipient=resident, case=cases[0]).order_by("-created_at", "-pk").first()
    client.get(reverse("communities:notification_open", args=[latest.pk]))
    assert not Notification.objects.filter(recipient=resident, case=cases[0], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=resident, case=cases[1], read_at__isnull=True).count() == 3


def test_case_notifications_carry_their_case(db, community, resident, committee_staff):
    from django.utils.translation import gettext_lazy

    from communities.services import case_notify

    from ..factories import CaseFactory

    case = CaseFactory(community=community, reporter=resident)
    case_notify.tell([resident], case=case, title=case_notify.title(gettext_lazy("新诉求派给您处理：%(case)s"), case))
    assert Notification.objects.get(recipient=resident).case_id == case.pk
