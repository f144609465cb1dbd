"""The fund's two facts every area reads: a balance and whether the fund is frozen (one query each)."""
from decimal import Decimal

from django.db.models import Sum

from ..models import FundEntry, FundFreeze


def fund_balance(*, community, building_id=None, unit_ids=None) -> Decimal:
    rows = FundEntry.objects.filter(community=community)
    if building_id is not None:
        rows = rows.filter(building_id=building_id)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def open_freeze(*, community) -> FundFreeze | None:
    return FundFreeze.objects.filter(community=community, lifted_on__isnull=True).first()
