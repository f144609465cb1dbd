"""Reads of the owners' hub's company area (issue 15): the contract in force and its clock, the 物业之窗, the fee
history and the owners' quarterly survey (core evaluation engine, subject ``talents.company``)."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from communities import policy
from communities.models import Evaluation, EvaluationStandard, ResidentScore
from communities.selectors import evaluations as engine

from ..models.owners_company import (NOTICE_DAYS, REMINDER_DAYS, FeeChange, PropertyContract, PublicDocument)

SUBJECT = "talents.company"


# --- the contract's clock ----------------------------------------------------------------------------------------

def current_contract(*, community) -> PropertyContract | None:
    return (PropertyContract.objects.filter(community=community, status=PropertyContract.Status.ACTIVE)
            .select_related("file", "chosen_by__election").first())


def reminder_due(*, contract: PropertyContract, on: dt.date) -> int | None:
    """The reminder (120, 90 or 60) due on ``on``: the smallest that is not fewer than the days left; None after
    the end (the contract then runs on without term) or more than 120 days before it."""
    left = (contract.ends_on - on).days
    if left < 0:
        return None
    due = [d for d in REMINDER_DAYS if d >= left]
    return min(due) if due else None


def contracts_due_reminder(*, on: dt.date) -> list[int]:
    """Active contracts within 120 days of their end and not past it (the service checks which one is due)."""
    return list(PropertyContract.objects.filter(
        status=PropertyContract.Status.ACTIVE, ends_on__gte=on,
        ends_on__lte=on + dt.timedelta(days=max(REMINDER_DAYS))).values_list("pk", flat=True))


@dataclass
class ReminderLine:
    days: int
    due_on: dt.date
    sent_at: dt.datetime | None
    recipients: int
    passed: bool  # its day has come


@dataclass
class ContractClock:
    contract: PropertyContract
    days_left: int
    running_on: bool  # past the end, still active: runs on without term (art. 46)
    reminders: list
    notice_deadline: dt.date  # the company's notice of non-renewal is due by this day (90 days before the end)


def contract_clock(*, contract: PropertyContract, on: dt.date) -> ContractClock:
    sent = {r.days: r for r in contract.reminders.all()}
    lines = [ReminderLine(d, contract.ends_on - dt.timedelta(days=d), getattr(sent.get(d), "sent_at", None),
                          getattr(sent.get(d), "recipients", 0), on >= contract.ends_on - dt.timedelta(days=d))
             for d in REMINDER_DAYS]
    left = (contract.ends_on - on).days
    return ContractClock(contract, left, left < 0 and contract.status == PropertyContract.Status.ACTIVE, lines,
                         contract.ends_on - dt.timedelta(days=NOTICE_DAYS))


def fee_in_force(*, contract: PropertyContract, property_kind: str, on: dt.date):
    """The standard on ``on``: the last published change effective by then, else the contract's."""
    change = (FeeChange.objects.filter(contract=contract, property_kind=property_kind, published_at__isnull=False,
                                       effective_on__lte=on).order_by("-effective_on", "-id").first())
    if change is not None:
        return change.new_fee
    if property_kind == FeeChange.PropertyKind.RESIDENTIAL:
        return contract.fee_residential
    return contract.fee_parking


def fee_history(*, community) -> list[FeeChange]:
    return list(FeeChange.objects.filter(community=community)
                .select_related("contract", "audit_file", "decision__election", "window_document"))


# --- the 物业之窗 -------------------------------------------------------------------------------------------------

def window_documents(*, community, on: dt.date, limit: int | None = None) -> list[PublicDocument]:
    """Published by ``on`` and not withdrawn, newest first (one query)."""
    qs = (PublicDocument.objects.filter(community=community, published_on__lte=on)
          .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
          .select_related("file", "fee_change__audit_file", "fee_change__decision__election"))
    return list(qs[:limit] if limit else qs)


# --- the owners' survey -----------------------------------------------------------------------------------------

def quarter_of(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(quarter: dt.date) -> dt.date:
    """The first day after the quarter."""
    month = quarter.month + 3
    return dt.date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)


def quarter_label(quarter: dt.date) -> str:
    return f"{quarter.year}Q{(quarter.month - 1) // 3 + 1}"


def survey_standard(*, community) -> EvaluationStandard | None:
    return engine.standard_in_force(community=community, subject=SUBJECT)


def survey_open_now(*, community, on: dt.date) -> Evaluation | None:
    return Evaluation.objects.filter(community=community, subject=SUBJECT, month=quarter_of(on),
                                     status=Evaluation.Status.OPEN).select_related("standard").first()


def survey_answered(*, evaluation: Evaluation, units, person_id) -> bool:
    return ResidentScore.objects.filter(Q(unit__in=units) | Q(person_id=person_id), evaluation=evaluation).exists()


def surveys_due_close(*, on: dt.date) -> list[int]:
    return list(Evaluation.objects.filter(subject=SUBJECT, status=Evaluation.Status.OPEN,
                                          month__lt=quarter_of(on)).values_list("pk", flat=True))


def survey_latest(*, community, on: dt.date):
    """The latest survey's figures (the open one, else the last closed), or None."""
    evaluation = Evaluation.objects.filter(community=community, subject=SUBJECT, month__lte=on).order_by(
        "-month").first()
    if evaluation is None:
        return None
    return engine.month_figures(community=community, subject=SUBJECT, month=evaluation.month)


def survey_trend(*, community, quarters: int = 4) -> list[dict]:
    """The last closed quarters, oldest first: {"quarter", "label", "overall"} (one query)."""
    rows = list(Evaluation.objects.filter(community=community, subject=SUBJECT, status=Evaluation.Status.CLOSED)
                .order_by("-month")[:quarters])
    return [{"quarter": e.month, "label": quarter_label(e.month), "overall": e.overall} for e in reversed(rows)]


# --- the hub's card -----------------------------------------------------------------------------------------------

def hub_card(*, request, community) -> dict:
    """The company card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it. Three queries."""
    user = request.user
    if not policy.can(user, "talents.owners.view", community):
        return {}
    today = timezone.localdate()
    contract = current_contract(community=community)
    latest = window_documents(community=community, on=today, limit=1)
    trend = survey_trend(community=community, quarters=1)
    can_manage = policy.can(user, "talents.company.manage", community)
    if contract is None and not latest and not can_manage:
        return {}
    return {"contract": contract, "days_left": (contract.ends_on - today).days if contract else None,
            "latest": latest[0] if latest else None, "survey": trend[-1] if trend else None,
            "can_manage": can_manage}
