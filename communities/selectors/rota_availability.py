"""Reads for the leave (请假) and qualification (资质) pages, each a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q
from django.utils import timezone

from ..models import Leave, MemberQualification, Rota, ShiftAssignment, SwapOffer, User


def leaves_upcoming(*, user, now=None) -> list[Leave]:
    """The user's own leave that has not ended yet, soonest first."""
    now = now or timezone.now()
    return list(Leave.objects.filter(user=user, ends_at__gt=now).order_by("starts_at"))


def shifts_during_leave(*, user, leaves: list[Leave], now=None) -> list[ShiftAssignment]:
    """The user's future shifts that fall in their leave and are still theirs: each needs a swap.

    The rota engine takes the person off every untouched shift when the leave is recorded; what is left
    here was taken by swap, offered already, or reminded of (communities.services.rota_generation).
    """
    now = now or timezone.now()
    if not leaves:
        return []
    during = reduce(or_, (Q(shift__starts_at__lt=leave.ends_at, shift__ends_at__gt=leave.starts_at)
                          for leave in leaves))
    return list(ShiftAssignment.objects.filter(during, user=user, shift__starts_at__gt=now,
                                               checked_in_at__isnull=True)
                .select_related("shift__rota").prefetch_related(
                    Prefetch("swap_offers", queryset=SwapOffer.objects.filter(status=SwapOffer.Status.OPEN),
                             to_attr="open_offers"))
                .order_by("shift__starts_at"))


@dataclass
class MemberRow:
    user: User
    held: list  # MemberQualification rows of the rota's community
    group: str


def rota_member_qualifications(*, rota: Rota, today: dt.date | None = None) -> list[MemberRow]:
    """Each member of ``rota`` with the qualifications of its community they hold (three queries)."""
    today = today or timezone.localdate()
    held = Prefetch("user__qualifications", to_attr="community_held", queryset=MemberQualification.objects.filter(
        qualification__community_id=rota.community_id).select_related("qualification").order_by(
        "qualification__name"))
    rows = []
    for member in rota.members.select_related("user__person").prefetch_related(held).order_by("order", "id"):
        for item in member.user.community_held:
            item.expired = not item.valid_on(today)
        rows.append(MemberRow(user=member.user, held=member.user.community_held, group=member.group))
    return rows


def rota_member_qualification(*, rota: Rota, held_id: int):
    """One qualification held by a member of ``rota``, of its community; None otherwise."""
    return (MemberQualification.objects.select_related("qualification", "user")
            .filter(pk=held_id, qualification__community_id=rota.community_id, user__rota_memberships__rota=rota)
            .first())
