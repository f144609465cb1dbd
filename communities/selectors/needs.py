"""Reading the needs list: scoped by the policy first, then filtered, with the givers and their community
titles loaded in a fixed number of queries whatever the length of the list."""
from django.db.models import Prefetch, QuerySet

from .. import policy
from ..models import CommunityNeed, NeedEvent, NeedPhoto, NeedStatus
from .titles import titles_for

_RELATED = ("community", "claimed_by__person", "team")


def needs_visible(*, user) -> QuerySet:
    return policy.scope(user, "need.view", CommunityNeed.objects.all())


def needs_list(*, user, status: str = "") -> QuerySet:
    qs = needs_visible(user=user).select_related(*_RELATED)
    if status in NeedStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=NeedStatus.WITHDRAWN)
    return qs.order_by("-posted_at", "-id")


def needs_given(*, user, limit: int = 50) -> list[CommunityNeed]:
    """The 共建榜: confirmed needs with their givers, newest first."""
    return list(needs_visible(user=user).filter(status=NeedStatus.CONFIRMED).select_related(*_RELATED)
                .order_by("-confirmed_at", "-id")[:limit])


def giver_titles(needs) -> dict:
    """{person_id: [titles]} of the givers of ``needs``, in one query, for the badges beside their names."""
    people = [n.claimed_by.person.pk for n in needs
              if n.claimed_by_id and getattr(n.claimed_by, "person", None) is not None]
    return titles_for(people=people)


def need_for(*, user, need_id: int, action: str = "need.view") -> CommunityNeed:
    """One need with its timeline and photos: 404 outside the user's communities."""
    qs = CommunityNeed.objects.select_related(*_RELATED, "posted_by__person").prefetch_related(
        Prefetch("events", queryset=NeedEvent.objects.select_related("actor__person").order_by("at", "id")),
        Prefetch("photos", queryset=NeedPhoto.objects.order_by("uploaded_at", "id")),
    )
    return policy.get_object_or_404_for(user, action, qs, pk=need_id)
