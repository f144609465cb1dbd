"""The secret URL of a person's iCal feed (``communities.selectors.rota_feed``): renewing issues a new token
and revokes the old one, so the old URL answers 404 at once; revoking leaves none.
"""
from django.db import transaction
from django.utils import timezone

from ..models import CalendarFeedToken
from .audit import audit


def feed_token_renew(*, user, now=None) -> CalendarFeedToken:
    """Revoke the live token (if any) and issue a new one."""
    now = now or timezone.now()
    with transaction.atomic():
        CalendarFeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        token = CalendarFeedToken.objects.create(user=user, created_at=now)
        audit(actor=user, action="rota.feed_renew")
    return token


def feed_token_revoke(*, user, now=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        revoked = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        if revoked:
            audit(actor=user, action="rota.feed_revoke")
    return bool(revoked)
