import logging
import time

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .. import viewer
from ..models import Notification
from .texts import message_spec, stored

log = logging.getLogger(__name__)

# After a failed enqueue, skip further attempts for a while: with a hung Redis each attempt costs
# a socket timeout, and a request that writes several notifications must still answer fast. The
# rows stay in the outbox and the periodic sweeper delivers them once the broker is back.
BROKER_BACKOFF_SECONDS = 30
DELIVER_TASK = "communities.tasks.deliver_notification"
_broker_down_until = 0.0


def notify(*, recipient, title, body="", url: str = "", case=None) -> Notification:
    """Write the inbox row (the outbox) now; e-mail it after commit.

    ``title`` and ``body`` are lazy texts (``texts.deferred`` or ``gettext_lazy``): the row stores them in
    the community's language (for the e-mail) and keeps their key and parameters, so the inbox shows them
    in the reader's language. ``case``: the case it is about; the inbox groups a case's notifications.

    If the broker is down the enqueue fails quietly and the periodic sweeper
    delivers the row later: the message is delayed, never lost, and the
    request that caused it still succeeds.
    """
    texts = {part: spec for part, spec in (("title", message_spec(title)), ("body", message_spec(body))) if spec}
    note = Notification.objects.create(recipient=recipient, title=stored(title)[:200], body=stored(body), url=url,
                                       texts=texts, case=case)
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
    """Mark one notification of ``user`` read (with the others about the same case: the inbox shows them as
    one row), or all of them; a repeat changes nothing. Someone else's id changes nothing."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        note = Notification.objects.filter(recipient=user, pk=notification_id).only("case_id").first()
        if note is None:
            return 0
        qs = qs.filter(case_id=note.case_id) if note.case_id else qs.filter(pk=note.pk)
    changed = qs.update(read_at=timezone.now())
    if changed:
        viewer.forget(user)  # the page rendered next shows the new unread count
    return changed


def notification_open(*, user, notification_id: int) -> Notification:
    """Open a notification of ``user``: mark it (and its case's group) read and return it for its link.
    Raises Notification.DoesNotExist for another user's or a missing id."""
    note = Notification.objects.get(recipient=user, pk=notification_id)
    mark_read(user=user, notification_id=note.pk)
    return note
