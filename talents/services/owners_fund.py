"""The maintenance fund's ledger (专项维修资金, 沪物业规定 arts. 64–73): the one way money goes in or out.

``fund_pay_project`` is what the repairs area calls at its payment step: it refuses while the fund is frozen
(except on the emergency route of art. 73), refuses more than the sharing households hold, and splits the payment
over the households of the project's scope by exclusive floor area (按户核算, art. 66), one ledger row each, the
cents rounded so the rows add up to the amount exactly.

The other bookings: the first collection (首期归集) from a rate per m² or per-household amounts, top-ups (续筹),
interest (利息: split over the households by their balance on the booking day — a reading: interest is earned on
each household's own money, 按户核算), refunds (退还). Each booking is one audit row (``communities.AuditEvent``),
carries the submission's ``batch`` token (a double submission books nothing twice) and is refused on a day the
fund was frozen (interest excepted: the bank pays it whatever the committee's state) or in a half-year whose
statement is already published (the statement is public; a correction goes into the current half-year).

Freezes (art. 29), statements (art. 67) and the top-up warnings (art. 65) are at the foot.
"""
import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Community, Unit
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.sums import DecimalSum

from ..models import FundEntry, FundFreeze, FundStatement, TopUpWarning
from ..selectors import owners_fund as sel
from ..selectors.owners_fund_core import freeze_on, fund_balance, half_year, half_year_ended_before, open_freeze

CENT = Decimal("0.01")
K = FundEntry.Kind


def _split(total: Decimal, weighted: list[tuple[object, Decimal]]) -> list[tuple[object, Decimal]]:
    """``total`` over the items in proportion to their weights, to the cent; the cents left by rounding down go
    one each to the largest remainders (then the lower id), so the parts add up to ``total``."""
    weight = sum((w for _u, w in weighted), Decimal(0))
    raw = [(u, total * w / weight) for u, w in weighted]
    parts = [(u, share.quantize(CENT, rounding=ROUND_DOWN), share) for u, share in raw]
    left = int(((total - sum(p for _u, p, _s in parts)) / CENT).to_integral_value())
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i][2] - parts[i][1]), parts[i][0].pk))
    bump = set(order[:left])
    return [(u, p + (CENT if i in bump else 0)) for i, (u, p, _s) in enumerate(parts)]


def split_by_area(total: Decimal, units: list) -> list[tuple[object, Decimal]]:
    """``total`` over ``units`` in proportion to floor area, to the cent (see ``_split``)."""
    area = sum((u.floor_area for u in units), Decimal(0))
    if not units or area <= 0:
        raise DomainError(_("分摊范围内没有专有面积，无法分摊。"), code="no_area")
    return _split(total, [(u, u.floor_area) for u in units])


def _audit(actor, community, kind, rows, on, **detail):
    audit(actor=actor, action=f"talents.fund.{kind}", community=community, booked_on=on.isoformat(),
          households=len(rows), total=str(sum((r.amount for r in rows), Decimal(0))), **detail)


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
        rows = FundEntry.objects.bulk_create(rows)
        _audit(actor, project.community, "payment", rows, on, project=project.pk)
        return rows


# --- bookings ----------------------------------------------------------------------------------------------------

def _lock(actor, community) -> Community:
    if not policy.can(actor, "talents.fund.manage", community):
        raise DomainError(_("只有居委工作人员可以记维修资金账。"), code="forbidden")
    return Community.objects.select_for_update().get(pk=community.pk)


def _check_day(community, on: dt.date, kind: str) -> None:
    if not isinstance(on, dt.date):
        raise DomainError(_("请填写记账日期。"), code="date")
    if kind != K.INTEREST:
        freeze = freeze_on(community=community, on=on)
        if freeze is not None:
            raise DomainError(_("%(on)s 维修资金处于冻结期（%(reason)s），除银行利息外不能记账。") % {
                "on": on, "reason": freeze.reason}, code="frozen")
    start, _end = half_year(on)
    if FundStatement.objects.filter(community=community, period_start=start).exists():
        raise DomainError(_("%(on)s 所在的半年度已经公示，不能再补记；更正请记在本期（沪物业规定第六十七条）。") % {
            "on": on}, code="published")


def _already(community, batch: str) -> list[FundEntry] | None:
    if batch:
        rows = list(FundEntry.objects.filter(community=community, batch=batch))
        if rows:
            return rows
    return None


def _check_units(community, pairs) -> None:
    for unit, amount in pairs:
        if unit.building.community_id != community.pk:
            raise DomainError(_("%(unit)s 不是本小区的房屋。") % {"unit": unit}, code="unit")
        if amount is None or Decimal(amount) <= 0:
            raise DomainError(_("%(unit)s 的金额必须大于零。") % {"unit": unit}, code="amount")


def _write(actor, community, kind, pairs, on, note, batch, **detail) -> list[FundEntry]:
    rows = FundEntry.objects.bulk_create([
        FundEntry(community=community, building_id=u.building_id, unit=u, kind=kind, amount=a, booked_on=on,
                  note=note, recorded_by=actor, batch=batch) for u, a in pairs if a])
    _audit(actor, community, kind, rows, on, **detail)
    return rows


def _rate_pairs(community, rate, building=None):
    rate = Decimal(rate)
    if rate <= 0:
        raise DomainError(_("每平方米金额必须大于零。"), code="amount")
    units = Unit.objects.filter(building__community=community).select_related("building").order_by("pk")
    if building is not None:
        if building.community_id != community.pk:
            raise DomainError(_("这幢楼不属于本小区。"), code="unit")
        units = units.filter(building=building)
    return [(u, (u.floor_area * rate).quantize(CENT, rounding=ROUND_HALF_UP)) for u in units]


def fund_collect_initial(*, actor, community, on: dt.date, rate=None, amounts=None, building=None, note: str = "",
                         batch: str = "") -> list[FundEntry]:
    """The first collection (首期归集): ``rate`` 元/m² × each household's floor area (the estate, or one building),
    or ``amounts`` [(unit, amount)]. A household already collected is refused: the first collection is once."""
    with transaction.atomic():
        community = _lock(actor, community)
        if (done := _already(community, batch)) is not None:
            return done
        _check_day(community, on, K.INITIAL)
        pairs = _rate_pairs(community, rate, building) if rate not in (None, "") else list(amounts or [])
        if not pairs:
            raise DomainError(_("没有要记账的房屋：请填写每平方米金额或逐户金额。"), code="empty")
        _check_units(community, pairs)
        taken = set(FundEntry.objects.filter(community=community, kind=K.INITIAL,
                                             unit_id__in=[u.pk for u, _a in pairs]).values_list("unit_id", flat=True))
        if taken:
            unit = next(u for u, _a in pairs if u.pk in taken)
            raise DomainError(_("%(unit)s 已经首期归集过（共 %(n)s 户），首期归集只记一次；补交请记续筹。") % {
                "unit": unit, "n": len(taken)}, code="twice")
        return _write(actor, community, K.INITIAL, pairs, on, note or _("首期归集"), batch,
                      rate=str(rate) if rate not in (None, "") else "")


def fund_top_up(*, actor, community, on: dt.date, rate=None, amounts=None, building=None, note: str = "",
                batch: str = "") -> list[FundEntry]:
    """A top-up (续筹, art. 65): per household ``amounts`` or ``rate`` 元/m² for the estate or a building."""
    with transaction.atomic():
        community = _lock(actor, community)
        if (done := _already(community, batch)) is not None:
            return done
        _check_day(community, on, K.TOP_UP)
        pairs = _rate_pairs(community, rate, building) if rate not in (None, "") else list(amounts or [])
        if not pairs:
            raise DomainError(_("没有要记账的房屋：请填写每平方米金额或逐户金额。"), code="empty")
        _check_units(community, pairs)
        return _write(actor, community, K.TOP_UP, pairs, on, note or _("续筹"), batch)


def fund_book_interest(*, actor, community, on: dt.date, total, note: str = "", batch: str = "") -> list[FundEntry]:
    """The bank's interest ``total`` split over the households by their balance on ``on`` (those with a positive
    balance only), to the cent: the rows add up to ``total`` exactly."""
    with transaction.atomic():
        community = _lock(actor, community)
        if (done := _already(community, batch)) is not None:
            return done
        total = Decimal(total or 0)
        if total <= 0:
            raise DomainError(_("利息金额必须大于零。"), code="amount")
        _check_day(community, on, K.INTEREST)
        held = {r["unit_id"]: r["b"] for r in FundEntry.objects.filter(community=community, booked_on__lte=on)
                .values("unit_id").order_by().annotate(b=DecimalSum("amount")) if r["b"] > 0}
        if not held:
            raise DomainError(_("%(on)s 没有户有余额，利息无法按户分摊。") % {"on": on}, code="empty")
        units = Unit.objects.filter(pk__in=held).order_by("pk")
        pairs = _split(total, [(u, held[u.pk]) for u in units])
        return _write(actor, community, K.INTEREST, pairs, on, note or _("利息"), batch, split="by_balance")


def fund_refund(*, actor, unit, amount, on: dt.date, note: str = "", batch: str = "") -> list[FundEntry]:
    """Money given back to one household (e.g. the house is demolished, 房屋灭失): no more than it holds."""
    community = Community.objects.get(pk=unit.building.community_id)
    with transaction.atomic():
        community = _lock(actor, community)
        if (done := _already(community, batch)) is not None:
            return done
        amount = Decimal(amount or 0)
        _check_units(community, [(unit, amount)])
        _check_day(community, on, K.REFUND)
        held = fund_balance(community=community, unit_ids=[unit.pk])
        if amount > held:
            raise DomainError(_("%(unit)s 的维修资金余额 %(held)s 元，不足退还 %(amount)s 元。") % {
                "unit": unit, "held": held, "amount": amount}, code="balance")
        return _write(actor, community, K.REFUND, [(unit, -amount)], on, note or _("退还"), batch)


def fund_pay_past(*, actor, community, on: dt.date, total, building=None, note: str, batch: str = "") -> list[FundEntry]:
    """A payment without a repair project of this system (an old one, entered from the paper ledger): split by
    floor area over the households of ``building`` (or the estate), refused on a frozen day, beyond the balance
    of those households, or without a note saying what it paid for."""
    with transaction.atomic():
        community = _lock(actor, community)
        if (done := _already(community, batch)) is not None:
            return done
        total, note = Decimal(total or 0), (note or "").strip()
        if total <= 0:
            raise DomainError(_("支出金额必须大于零。"), code="amount")
        if not note:
            raise DomainError(_("请在摘要里写明这笔支出用于哪项维修。"), code="note")
        _check_day(community, on, K.PAYMENT)
        units = Unit.objects.filter(building__community=community).order_by("pk")
        if building is not None:
            if building.community_id != community.pk:
                raise DomainError(_("这幢楼不属于本小区。"), code="unit")
            units = units.filter(building=building)
        units = list(units)
        held = fund_balance(community=community, unit_ids=[u.pk for u in units], on=on)
        if total > held:
            raise DomainError(_("分摊范围内的维修资金余额 %(held)s 元，不足支付 %(amount)s 元。") % {
                "held": held, "amount": total}, code="balance")
        pairs = [(u, -part) for u, part in split_by_area(total, units)]
        return _write(actor, community, K.PAYMENT, pairs, on, note, batch,
                      building=building.pk if building is not None else None)


# --- freezes (art. 29) -------------------------------------------------------------------------------------------

def fund_freeze(*, actor, community, reason: str, conditions: str, on: dt.date) -> FundFreeze:
    reason, conditions = (reason or "").strip(), (conditions or "").strip()
    if not reason or not conditions:
        raise DomainError(_("请写明冻结原因和解冻条件。"), code="text")
    with transaction.atomic():
        community = _lock(actor, community)
        current = open_freeze(community=community)
        if current is not None:
            if current.reason == reason and current.started_on == on:
                return current  # the same form sent twice
            raise DomainError(_("维修资金已在冻结中（自 %(on)s 起），请先解冻。") % {"on": current.started_on},
                              code="open")
        freeze = FundFreeze.objects.create(community=community, reason=reason, conditions=conditions,
                                           started_on=on, created_by=actor)
        audit(actor=actor, action="talents.fund.freeze", community=community, freeze=freeze.pk, on=on.isoformat())
        return freeze


def fund_unfreeze(*, actor, freeze: FundFreeze, on: dt.date, note: str) -> FundFreeze:
    """Lift a freeze: ``note`` says how its conditions were met (e.g. 新一届业委会已备案、资料印章已移交)."""
    note = (note or "").strip()
    with transaction.atomic():
        _lock(actor, freeze.community)
        freeze = FundFreeze.objects.select_for_update().get(pk=freeze.pk)
        if freeze.lifted_on is not None:
            return freeze  # already lifted: a double click changes nothing
        if not note:
            raise DomainError(_("解冻须写明解冻条件如何满足（例如：新一届业委会已备案，资料和印章已移交）。"), code="note")
        if on < freeze.started_on:
            raise DomainError(_("解冻日期不能早于冻结日期 %(on)s。") % {"on": freeze.started_on}, code="date")
        freeze.lifted_on, freeze.lifted_note, freeze.lifted_by = on, note, actor
        freeze.save(update_fields=["lifted_on", "lifted_note", "lifted_by"])
        audit(actor=actor, action="talents.fund.unfreeze", community=freeze.community, freeze=freeze.pk,
              on=on.isoformat())
        return freeze


# --- statements (art. 67) ----------------------------------------------------------------------------------------

def fund_statement_publish(*, actor, community, period_start: dt.date, now=None) -> tuple[FundStatement, bool]:
    """Publish the statement of the half-year starting ``period_start`` once it has ended; its figures are frozen
    in the row. Publishing it again returns the one already published (created False)."""
    now = now or timezone.now()
    start, end = half_year(period_start)
    if start != period_start:
        raise DomainError(_("公示期须从1月1日或7月1日开始。"), code="period")
    if end >= timezone.localdate(now):
        raise DomainError(_("%(end)s 之后才能公示这半年的账目。") % {"end": end}, code="period")
    if actor is not None and not policy.can(actor, "talents.fund.manage", community):
        raise DomainError(_("只有居委工作人员可以公示维修资金账目。"), code="forbidden")
    with transaction.atomic():
        done = FundStatement.objects.filter(community=community, period_start=start).first()
        if done is not None:
            return done, False
        try:
            with transaction.atomic():
                statement = FundStatement.objects.create(
                    community=community, period_start=start, period_end=end, published_at=now, published_by=actor,
                    snapshot=sel.statement_figures(community=community, start=start, end=end))
        except IntegrityError:  # another worker published it a moment ago
            return FundStatement.objects.get(community=community, period_start=start), False
        audit(actor=actor, action="talents.fund.statement", community=community, statement=statement.pk)
        return statement, True


def fund_statements_publish_due(*, now=None) -> list[FundStatement]:
    """Beat (daily; due on 1 Jan and 1 Jul): the half-year just ended, for every estate with a ledger."""
    now = now or timezone.now()
    start, _end = half_year_ended_before(timezone.localdate(now))
    ids = FundEntry.objects.filter(booked_on__lte=_end).values_list("community_id", flat=True).distinct()
    published = []
    for community in Community.objects.filter(pk__in=ids).order_by("pk"):
        statement, created = fund_statement_publish(actor=None, community=community, period_start=start, now=now)
        if created:
            published.append(statement)
    return published


# --- top-up warnings (art. 65) -----------------------------------------------------------------------------------

def fund_warnings_raise(*, on: dt.date) -> list[TopUpWarning]:
    """Daily (beat): a warning for each building whose balance is below 30 % of its first collection (one open per
    building), committee staff told once; an open warning whose building is back to 50 % is closed as restored."""
    from communities.selectors.places import users_with_role

    ids = FundEntry.objects.filter(kind=K.INITIAL).values_list("community_id", flat=True).distinct()
    raised = []
    for community in Community.objects.filter(pk__in=ids).order_by("pk"):
        with transaction.atomic():
            Community.objects.select_for_update().get(pk=community.pk)
            open_by_building = {w.building_id: w for w in TopUpWarning.objects.filter(
                community=community, restored_on__isnull=True)}
            new = []
            for line in sel.buildings_ledger(community=community, on=on):
                warning = open_by_building.get(line.building.pk)
                if warning is not None:
                    if line.initial and line.balance >= line.initial * sel.RESTORED:
                        warning.restored_on = on
                        warning.save(update_fields=["restored_on"])
                    continue
                if line.low:
                    new.append(TopUpWarning.objects.create(
                        community=community, building=line.building, raised_on=on, balance=line.balance,
                        first_collection=line.initial, ratio=line.ratio, notified_at=timezone.now()))
            staff = list(users_with_role(community_id=community.pk)) if new else []
            for warning in new:
                for user in staff:
                    notify(recipient=user, title=gettext_lazy("维修资金续筹预警"),
                           body=gettext_lazy("一幢楼的维修资金余额低于首期归集的30%，90天内须由业主决定续筹"
                                             "（沪物业规定第六十五条）。"),
                           url=f"/talents/owners/fund/?community={community.slug}")
                audit(actor=None, action="talents.fund.warning", community=community, warning=warning.pk,
                      building=warning.building_id, ratio=str(warning.ratio))
            raised += new
    return raised


def _warning_step(actor, warning, field, on):
    with transaction.atomic():
        _lock(actor, warning.community)
        warning = TopUpWarning.objects.select_for_update().get(pk=warning.pk)
        if getattr(warning, field) is not None:
            return warning
        if warning.restored_on is not None:
            raise DomainError(_("这条预警已经结束。"), code="closed")
        if on < warning.raised_on:
            raise DomainError(_("日期不能早于预警日期 %(on)s。") % {"on": warning.raised_on}, code="date")
        setattr(warning, field, on)
        warning.save(update_fields=[field])
        audit(actor=actor, action=f"talents.fund.warning.{field}", community=warning.community, warning=warning.pk)
        return warning


def fund_warning_decided(*, actor, warning: TopUpWarning, on: dt.date) -> TopUpWarning:
    """The owners decided the top-up (an assembly decision; 3/4 of both tallies, Civil Code art. 278)."""
    return _warning_step(actor, warning, "decided_on", on)


def fund_warning_notices_sent(*, actor, warning: TopUpWarning, on: dt.date) -> TopUpWarning:
    """The bank sent the payment notices (no decision within 90 days: the committee has the bank send them)."""
    return _warning_step(actor, warning, "notices_sent_on", on)
