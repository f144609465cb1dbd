import logging

from django.db import transaction

from ..models import Notification

log = logging.getLogger(__name__)


def notify(*, recipient, title: str, body: str = "", url: str = "") -> Notification:
    """Write the inbox row (the outbox) now; e-mail it after commit.

    If the broker is down the enqueue fails quietly and the periodic sweeper
    delivers the row later: the message is delayed, never lost, and the
    request that caused it still succeeds.
    """
    note = Notification.objects.create(recipient=recipient, title=str(title), body=str(body), url=url)
    transaction.on_commit(lambda: enqueue_delivery(note.pk))
    return note


def enqueue_delivery(notification_id: int) -> None:
    from ..tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception:  # broker refused or timed out: the sweeper will retry
        log.warning("notification %s: enqueue failed, left for the sweeper", notification_id, exc_info=True)


def mark_read(*, user, notification_id: int | None = None) -> int:
    from django.utils import timezone

    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
