import logging
import time

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .. import viewer
from ..models import Notification
from .texts import stored

log = logging.getLogger(__name__)

# After a failed enqueue, skip further attempts for a while: with a hung Redis each attempt costs
# a socket timeout, and a request that writes several notifications must still answer fast. The
# rows stay in the outbox and the periodic sweeper delivers them once the broker is back.
BROKER_BACKOFF_SECONDS = 30
DELIVER_TASK = "communities.tasks.deliver_notification"
_broker_down_until = 0.0


def notify(*, recipient, title: str, body: str = "", url: str = "") -> Notification:
    """Write the inbox row (the outbox) now; e-mail it after commit.

    If the broker is down the enqueue fails quietly and the periodic sweeper
    delivers the row later: the message is delayed, never lost, and the
    request that caused it still succeeds.
    """
    note = Notification.objects.create(recipient=recipient, title=stored(title), body=stored(body), url=url)
    transaction.on_commit(lambda: enqueue_delivery(note.pk))
    return note


def enqueue_delivery(notification_id: int) -> bool:
    """Queue the e-mail of one notification; False (and nothing raised) when the broker does not answer."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        # By name, so that services never import the tasks that call them (communities.tasks imports services).
        current_app.signature(DELIVER_TASK, args=(notification_id,)).delay()
    except Exception:  # refused or timed out: the sweeper will retry
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("notification %s: enqueue failed, left for the sweeper", notification_id, exc_info=True)
        return False
    return True


def mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    changed = qs.update(read_at=timezone.now())
    viewer.forget(user)  # the page rendered next shows the new unread count
    return changed
