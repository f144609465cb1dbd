"""Reads of the owners' hub's fund area (issue 15): the ledger by building and by household (按幢立账、按户核算,
沪物业规定 art. 66), the statement figures (art. 67), the top-up warnings' clocks (art. 65), the hub card.

Every list is a fixed number of grouped queries, whatever the number of households (郡园 has 1,048)."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Q

from communities import policy
from communities.models import mask_name  # noqa: F401 - the core's, used here and by callers
from communities.models import Building, Residency, Unit
from communities.natural import natural_key
from communities.sums import DecimalSum

from ..models import FundEntry, FundFreeze, FundStatement, TopUpWarning
from ..policies.owners import is_owner
from .owners_fund_core import cents, freeze_on, open_freeze

ZERO = Decimal("0.00")
K = FundEntry.Kind
LOW, RESTORED = Decimal("0.30"), Decimal("0.50")  # art. 65: below 30 % → top up, back to 50 %
DECIDE_DAYS = PAY_DAYS = 90
FIGURES = ("initial", "topup", "interest", "payment", "refund")


def _sums(prefix_q=Q()):
    """The aggregate columns: one per kind, and the balance."""
    cols = {kind: DecimalSum("amount", filter=prefix_q & Q(kind=kind)) for kind in FIGURES}
    cols["balance"] = DecimalSum("amount")
    return cols


def _clean(row: dict) -> dict:
    return {k: cents(row.get(k)) for k in (*FIGURES, "balance")}


def ratio(balance: Decimal, first: Decimal) -> Decimal | None:
    """Balance over first collection, to four places (0.2999 is below 30 %); None without a first collection."""
    return (balance / first).quantize(Decimal("0.0001")) if first else None


def below_threshold(balance: Decimal, first: Decimal) -> bool:
    """art. 65 says 低于 (below): exactly 30 % is not below. Compared exactly, not on the rounded ratio."""
    return bool(first) and balance < first * LOW


@dataclass
class BuildingLine:
    building: Building
    initial: Decimal
    topup: Decimal
    interest: Decimal
    payment: Decimal
    refund: Decimal
    balance: Decimal

    @property
    def ratio(self):
        return ratio(self.balance, self.initial)

    @property
    def ratio_percent(self):
        r = self.ratio
        return None if r is None else (r * 100).quantize(Decimal("0.1"))

    @property
    def low(self) -> bool:
        return below_threshold(self.balance, self.initial)


def buildings_ledger(*, community, on: dt.date | None = None) -> list[BuildingLine]:
    """Each building of the estate with its figures up to ``on`` (all time without): two queries."""
    rows = FundEntry.objects.filter(community=community)
    if on is not None:
        rows = rows.filter(booked_on__lte=on)
    by_building = {r["building_id"]: _clean(r) for r in rows.values("building_id").order_by().annotate(**_sums())}
    buildings = sorted(Building.objects.filter(community=community), key=lambda b: natural_key(b.name))
    empty = _clean({})
    return [BuildingLine(building=b, **by_building.get(b.pk, empty)) for b in buildings]


def totals_of(lines) -> dict:
    total = {k: sum((getattr(line, k) for line in lines), ZERO) for k in (*FIGURES, "balance")}
    total["ratio"] = ratio(total["balance"], total["initial"])
    return total


def payments_by_project(*, community, start: dt.date | None = None, end: dt.date | None = None) -> list[dict]:
    """The payments, one line per project (a past payment without a project: one line per note): one query."""
    rows = FundEntry.objects.filter(community=community, kind=K.PAYMENT)
    if start is not None:
        rows = rows.filter(booked_on__gte=start)
    if end is not None:
        rows = rows.filter(booked_on__lte=end)
    found = (rows.values("project_id", "project__title", "note").order_by()
             .annotate(amount=DecimalSum("amount"), first_on=Min("booked_on")))
    merged: dict = {}
    for r in found:
        key = ("p", r["project_id"]) if r["project_id"] else ("n", r["note"])
        line = merged.setdefault(key, {"project_id": r["project_id"], "title": r["project__title"] or r["note"],
                                       "amount": ZERO, "booked_on": r["first_on"]})
        line["amount"] += -cents(r["amount"])
        line["booked_on"] = min(line["booked_on"], r["first_on"])
    return sorted(merged.values(), key=lambda line: (line["booked_on"], line["title"]))


@dataclass
class Household:
    unit: Unit
    owner: str  # masked
    initial: Decimal
    topup: Decimal
    interest: Decimal
    payment: Decimal
    refund: Decimal
    balance: Decimal

    @property
    def collected(self):
        return self.initial + self.topup + self.interest

    @property
    def paid(self):
        return -(self.payment + self.refund)


def _owner_names(unit_ids) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for unit_id, name in (Residency.objects.filter(unit_id__in=unit_ids, relation=Residency.Relation.OWNER,
                                                   moved_out__isnull=True)
                          .order_by("unit_id", "pk").values_list("unit_id", "person__name")):
        names.setdefault(unit_id, []).append(mask_name(name))
    return {unit_id: "、".join(n) for unit_id, n in names.items()}


def households(*, community, units) -> list[Household]:
    """The ledger of each of ``units`` (a Unit queryset of the community): three queries."""
    units = list(units.select_related("building"))
    ids = [u.pk for u in units]
    rows = {r["unit_id"]: _clean(r) for r in FundEntry.objects.filter(community=community, unit_id__in=ids)
            .values("unit_id").order_by().annotate(**_sums())}
    owners = _owner_names(ids)
    empty = _clean({})
    return [Household(unit=u, owner=owners.get(u.pk, ""), **rows.get(u.pk, empty)) for u in units]


def building_households(*, community, building) -> list[Household]:
    return households(community=community, units=Unit.objects.filter(building=building))


def own_households(*, user, community) -> list[Household]:
    """The households ``user`` owns in the estate (我家的维修资金): none for a tenant or a non-owner."""
    if not is_owner(user, community) or not policy.can(user, "talents.fund.household", community):
        return []
    person_id = policy.person_id_of(user)
    units = Unit.objects.filter(building__community=community, residencies__person_id=person_id,
                                residencies__relation=Residency.Relation.OWNER,
                                residencies__moved_out__isnull=True).distinct()
    return households(community=community, units=units)


# --- the warnings' clocks (art. 65) -----------------------------------------------------------------------------

@dataclass
class Clock:
    label: str
    due: dt.date | None
    done_on: dt.date | None
    today: dt.date

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - self.today).days

    @property
    def state(self) -> str:
        if self.done_on is not None:
            return "done"
        if self.due is None:
            return "waiting"
        return "overdue" if self.today > self.due else "running"

    @property
    def days_overdue(self) -> int:
        return max(-(self.days_left or 0), 0)


def warning_clocks(warning: TopUpWarning, today: dt.date) -> tuple[Clock, Clock]:
    """(a) 90 days from the warning for the owners to decide a top-up; (b) 90 days from the bank's payment
    notices (or, where the owners decided, from their decision) to bring the balance back to 50 %."""
    decide = Clock("decide", warning.raised_on + dt.timedelta(days=DECIDE_DAYS), warning.decided_on, today)
    pay_from = warning.notices_sent_on or warning.decided_on
    pay = Clock("pay", pay_from + dt.timedelta(days=PAY_DAYS) if pay_from else None, warning.restored_on, today)
    return decide, pay


def open_warnings(*, community, today: dt.date) -> list[dict]:
    rows = TopUpWarning.objects.filter(community=community, restored_on__isnull=True).select_related("building")
    return [{"warning": w, "clocks": warning_clocks(w, today)} for w in rows]


# --- the fund page and the statement ---------------------------------------------------------------------------

def fund_page(*, community, today: dt.date) -> dict:
    lines = buildings_ledger(community=community)
    return {"lines": lines, "totals": totals_of(lines), "payments": payments_by_project(community=community),
            "freeze": open_freeze(community=community),
            "freezes": list(FundFreeze.objects.filter(community=community, lifted_on__isnull=False)
                            .select_related("created_by", "lifted_by")),
            "warnings": open_warnings(community=community, today=today),
            "statement": FundStatement.objects.filter(community=community).first()}


def _money(d: Decimal) -> str:
    return f"{d:.2f}"


def statement_figures(*, community, start: dt.date, end: dt.date) -> dict:
    """The figures of one half-year, JSON-ready (amounts as strings): opening and closing balances, what came in
    and went out by kind, by building with its ratio to the first collection, the payments by project, the freeze
    in force at the end. Five queries."""
    rows = FundEntry.objects.filter(community=community, booked_on__lte=end)
    period = Q(booked_on__gte=start)
    grouped = {r["building_id"]: r for r in rows.values("building_id").order_by().annotate(
        **{k: DecimalSum("amount", filter=period & Q(kind=k)) for k in FIGURES},
        opening=DecimalSum("amount", filter=Q(booked_on__lt=start)), closing=DecimalSum("amount"),
        first=DecimalSum("amount", filter=Q(kind=K.INITIAL)))}
    buildings = sorted(Building.objects.filter(community=community), key=lambda b: natural_key(b.name))
    lines, total = [], {k: ZERO for k in (*FIGURES, "opening", "closing", "first")}
    for b in buildings:
        r = grouped.get(b.pk, {})
        fig = {k: cents(r.get(k)) for k in total}
        for k in total:
            total[k] += fig[k]
        r_ = ratio(fig["closing"], fig["first"])
        lines.append({"building": b.name, "building_id": b.pk, **{k: _money(v) for k, v in fig.items()},
                      "ratio": None if r_ is None else str(r_), "low": below_threshold(fig["closing"], fig["first"])})
    freeze = freeze_on(community=community, on=end)
    payments = [{**p, "amount": _money(p["amount"]), "booked_on": p["booked_on"].isoformat()}
                for p in payments_by_project(community=community, start=start, end=end)]
    r_total = ratio(total["closing"], total["first"])
    return {"start": start.isoformat(), "end": end.isoformat(), "buildings": lines, "payments": payments,
            "totals": {**{k: _money(v) for k, v in total.items()}, "ratio": None if r_total is None else str(r_total)},
            "freeze": None if freeze is None else {"reason": freeze.reason, "started_on": freeze.started_on.isoformat()}}


def statements(*, community):
    return FundStatement.objects.filter(community=community).select_related("published_by")


# --- the hub card ----------------------------------------------------------------------------------------------

def hub_card(*, request, community) -> dict:
    """The fund card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it. Four queries."""
    if not policy.can(request.user, "talents.owners.view", community):
        return {}
    balance = cents(FundEntry.objects.filter(community=community).aggregate(t=DecimalSum("amount"))["t"])
    return {"balance": balance, "freeze": open_freeze(community=community),
            "statement": FundStatement.objects.filter(community=community).first(),
            "warnings": TopUpWarning.objects.filter(community=community, restored_on__isnull=True).count()}
