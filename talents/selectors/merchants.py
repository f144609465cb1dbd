"""Reads of the partner merchants: the staff list with referral counts, one merchant's page."""
from django.db.models import Count, QuerySet

from communities import policy

from ..models import Merchant
from .studios import APP_LABEL


def merchants_with_counts(*, user, community) -> list[Merchant]:
    """The community's merchants with their referral counts (one query however many there are)."""
    qs = policy.scope(user, "talents.merchant.manage", Merchant.objects.filter(community=community))
    return list(qs.annotate(referral_count=Count("referrals")).order_by("-active", "name"))


def merchants_listed(*, community) -> QuerySet:
    """The community's active partners, as members see them (the hub, a studio page)."""
    return Merchant.objects.filter(community=community, active=True).order_by("name")


def merchant_for(*, user, pk: int, action: str = "talents.merchant.view") -> Merchant:
    """404 where this app does not serve the merchant's community or the user is no member there."""
    qs = Merchant.objects.filter(community__apps__app_label=APP_LABEL).select_related("community")
    return policy.get_object_or_404_for(user, action, qs, pk=pk)


def merchant_referral_count(*, merchant: Merchant) -> int:
    return merchant.referrals.count()
