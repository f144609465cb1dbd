"""The maintenance fund's ledger (专项维修资金, 沪物业规定 arts. 64–73): the one way money goes in or out.

``fund_pay_project`` is what the repairs area calls at its payment step: it refuses while the fund is frozen
(except on the emergency route of art. 73), refuses more than the sharing households hold, and splits the payment
over the households of the project's scope by exclusive floor area (按户核算, art. 66), one ledger row each, the
cents rounded so the rows add up to the amount exactly.
"""
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from communities import policy
from communities.services.errors import DomainError

from ..models import FundEntry
from ..selectors.owners_fund_core import fund_balance, open_freeze

CENT = Decimal("0.01")


def split_by_area(total: Decimal, units: list) -> list[tuple[object, Decimal]]:
    """``total`` over ``units`` in proportion to floor area, to the cent; the cents left by rounding down go one
    each to the largest remainders (then the lower unit id), so the parts add up to ``total``."""
    area = sum((u.floor_area for u in units), Decimal(0))
    if not units or area <= 0:
        raise DomainError(_("分摊范围内没有专有面积，无法分摊。"), code="no_area")
    raw = [(u, total * u.floor_area / area) for u in units]
    parts = [(u, share.quantize(CENT, rounding=ROUND_DOWN), share) for u, share in raw]
    left = int(((total - sum(p for _u, p, _s in parts)) / CENT).to_integral_value())
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i][2] - parts[i][1]), parts[i][0].pk))
    bump = set(order[:left])
    return [(u, p + (CENT if i in bump else 0)) for i, (u, p, _s) in enumerate(parts)]


def fund_pay_project(*, actor, project, amount: Decimal, on, note: str = "") -> list[FundEntry]:
    """Pay ``amount`` for ``project`` from the fund of the households who share its cost."""
    if not policy.can(actor, "talents.fund.manage", project.community):
        raise DomainError(_("只有居委工作人员可以登记维修资金支出。"), code="forbidden")
    amount = Decimal(amount)
    if amount <= 0:
        raise DomainError(_("支出金额必须大于零。"), code="amount")
    with transaction.atomic():
        freeze = open_freeze(community=project.community)
        if freeze is not None and not project.emergency:
            raise DomainError(_("维修资金冻结中（%(reason)s），只能走紧急维修程序（沪物业规定第七十三条）。") % {
                "reason": freeze.reason}, code="frozen")
        units = list(project.scope_units().order_by("pk"))
        held = fund_balance(community=project.community, unit_ids=[u.pk for u in units])
        if amount > held:
            raise DomainError(_("分摊范围内的维修资金余额 %(held)s 元，不足支付 %(amount)s 元。") % {
                "held": held, "amount": amount}, code="balance")
        rows = [FundEntry(community=project.community, building_id=u.building_id, unit=u,
                          kind=FundEntry.Kind.PAYMENT, amount=-part, booked_on=on, project=project,
                          note=note or project.title, recorded_by=actor)
                for u, part in split_by_area(amount, units) if part]
        return FundEntry.objects.bulk_create(rows)
