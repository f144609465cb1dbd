import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Notification

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def deliver_notification_email(*, notification_id: int) -> bool:
    """E-mail one notification once. Returns True if it was sent now.

    The row is locked (skip_locked) while sending, so two workers given the
    same id never both send it; a sent row is never sent again.
    """
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, email_failed=False)
            .first()
        )
        if note is None:
            return False
        address = note.recipient.email
        if not address:
            # Nothing to send: the in-app inbox is the delivery.
            note.emailed_at = timezone.now()
            note.save(update_fields=["emailed_at"])
            return False
        note.email_attempts += 1
        try:
            body = f"{note.body}\n\n{note.url}".strip()
            send_mail(note.title, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
        except Exception:
            log.warning("notification %s: e-mail attempt %s failed", note.pk, note.email_attempts, exc_info=True)
            note.email_failed = note.email_attempts >= MAX_EMAIL_ATTEMPTS
            note.save(update_fields=["email_attempts", "email_failed"])
            return False
        note.emailed_at = timezone.now()
        note.save(update_fields=["email_attempts", "emailed_at"])
        return True
