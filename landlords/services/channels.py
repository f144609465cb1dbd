"""Writes of the two groups (二群): creating the channels, posting an announcement, read receipts.

Posting notifies the channel's members through the core outbox (communities.Notification) with ONE
bulk INSERT, whatever the channel's size (a building channel has 100+ members). The rows are not queued
one by one: the periodic sweeper (communities.tasks.sweep_notifications) e-mails them within minutes,
which is soon enough for a notice board and keeps posting a single fast transaction.
"""
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Building, Community, Notification
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.texts import deferred, message_spec, stored
from communities.natural import Natural

from ..models import Announcement, AnnouncementRead, Channel
from ..selectors.channels import channel_members

MAX_TITLE, MAX_BODY = 100, 5000


def channels_ensure(*, community: Community, actor=None) -> int:
    """Create the team channel and each building's channel that are missing. Returns how many were made."""
    if actor is not None and not policy.can(actor, "landlords.channel.manage", community):
        raise PermissionDenied
    with transaction.atomic():
        made = 0
        if not Channel.objects.filter(community=community, kind=Channel.Kind.TEAM).exists():
            Channel.objects.create(community=community, kind=Channel.Kind.TEAM,
                                   name=stored(gettext_lazy("蓉治社团队管理群")))
            made += 1
        missing = Building.objects.filter(community=community, channel__isnull=True).order_by(Natural("name"))
        rows = [Channel(community=community, kind=Channel.Kind.BUILDING, building=b,
                        name=stored(deferred(gettext_lazy("%(building)s楼组群"), building=b.name))) for b in missing]
        Channel.objects.bulk_create(rows, ignore_conflicts=True)
        made += len(rows)
        if made and actor is not None:
            audit(actor=actor, action="channel.ensure", community=community, created=made)
    return made


def announcement_post(*, actor, channel: Channel, title: str, body: str, submission_key: uuid.UUID | None = None,
                      now=None) -> tuple[Announcement, bool]:
    """Post to a channel. Returns (announcement, created); the same submission key posts only once."""
    if not policy.can(actor, "landlords.channel.post", channel):
        raise PermissionDenied
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("请填写公告标题。"), code="title")
    if not body:
        raise DomainError(_("请填写公告内容。"), code="body")
    if len(title) > MAX_TITLE or len(body) > MAX_BODY:
        raise DomainError(_("标题不超过100字，内容不超过5000字。"), code="length")
    now = now or timezone.now()
    with transaction.atomic():
        if submission_key is not None:
            existing = Announcement.objects.filter(submission_key=submission_key, posted_by=actor).first()
            if existing is not None:
                return existing, False
        announcement = Announcement.objects.create(channel=channel, title=title, body=body, posted_by=actor,
                                                   posted_at=now, submission_key=submission_key)
        AnnouncementRead.objects.create(announcement=announcement, user=actor, read_at=now)
        _notify_members(announcement=announcement, now=now)
    return announcement, True


def _notify_members(*, announcement: Announcement, now) -> int:
    url = reverse("landlords:announcement_detail", args=[announcement.pk])
    title = deferred(gettext_lazy("%(channel)s新公告：%(title)s"), channel=announcement.channel.name,
                     title=announcement.title)
    note_title, texts = stored(title)[:200], {"title": message_spec(title)}  # shown in the reader's language
    recipients = (channel_members(announcement.channel).exclude(pk=announcement.posted_by_id)
                  .values_list("pk", flat=True))
    rows = [Notification(recipient_id=pk, title=note_title, body=announcement.body[:500], url=url, created_at=now,
                         texts=texts) for pk in recipients]
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def announcement_mark_read(*, user, announcement: Announcement) -> bool:
    """Opening an announcement marks it read for the reader. Returns True the first time only."""
    _, created = AnnouncementRead.objects.get_or_create(announcement=announcement, user=user)
    if created:
        from ..navigation import badge_forget

        badge_forget(user)  # the menu's unread badge counts again on the reader's next page
    return created
