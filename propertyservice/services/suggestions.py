"""The villagers' suggestion box (村民意见箱): a villager posts, the heads or the committee answer, or turn the
suggestion into a topic for a village meeting through the core's topic proposals (定题)."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.services.errors import DomainError
from communities.services.meeting_topics import topic_propose
from communities.services.notifications import notify

from ..models import Suggestion

DOUBLE_SUBMIT = dt.timedelta(minutes=10)


def _text(value: str, message, limit: int = 2000) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="text")
    if len(value) > limit:
        raise DomainError(_("最多 %(n)s 个字。") % {"n": limit}, code="text")
    return value


def suggestion_post(*, actor, community, text: str, anonymous: bool = False, now=None) -> tuple[Suggestion, bool]:
    """Post a suggestion. The same text again from the same villager within minutes is a double submission."""
    now = now or timezone.now()
    if not policy.can(actor, "propertyservice.suggestion.post", community):
        raise PermissionDenied
    text = _text(text, _("请写下您的意见或建议。"))
    with transaction.atomic():
        double = Suggestion.objects.filter(community=community, author=actor, text=text,
                                           created_at__gt=now - DOUBLE_SUBMIT).first()
        if double is not None:
            return double, False
        suggestion = Suggestion.objects.create(community=community, author=actor, text=text,
                                               anonymous=bool(anonymous), created_at=now)
    return suggestion, True


def _locked(*, actor, suggestion_id: int) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update(of=("self",)).select_related("community", "author").get(
        pk=suggestion_id)
    if not policy.can(actor, "propertyservice.suggestion.answer", suggestion):
        raise PermissionDenied
    return suggestion


def suggestion_answer(*, actor, suggestion_id: int, answer: str, now=None) -> bool:
    """Answer (or correct the answer to) a suggestion; the author is told. False when nothing changed."""
    now = now or timezone.now()
    answer = _text(answer, _("请写下答复。"))
    with transaction.atomic():
        suggestion = _locked(actor=actor, suggestion_id=suggestion_id)
        if suggestion.answer == answer:
            return False
        suggestion.answer, suggestion.answered_by, suggestion.answered_at = answer, actor, now
        suggestion.save(update_fields=["answer", "answered_by", "answered_at"])
        transaction.on_commit(lambda: notify(recipient=suggestion.author, title=_("您的意见有了答复"), body=answer,
                                             url=_mine_url(suggestion.community)))
    return True


def suggestion_to_topic(*, actor, suggestion_id: int, now=None) -> tuple[Suggestion, bool]:
    """Propose the suggestion as a meeting topic (core ``topic_propose``, reviewed in the core's queue). Once: a
    second press is a repeat (suggestion, False)."""
    now = now or timezone.now()
    with transaction.atomic():
        suggestion = _locked(actor=actor, suggestion_id=suggestion_id)
        if suggestion.topic_id:
            return suggestion, False
        text = _("村民意见箱：%(text)s") % {"text": suggestion.text}
        suggestion.topic = topic_propose(actor=actor, community=suggestion.community, text=text[:1000], now=now)
        suggestion.save(update_fields=["topic"])
    return suggestion, True


def _mine_url(community) -> str:
    from django.urls import reverse

    return reverse("propertyservice:suggestions") + f"?community={community.slug}"
