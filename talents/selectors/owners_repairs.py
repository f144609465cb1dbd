"""Reads of the owners' hub's repairs area (issue 15): the project list, one project's page, the 7-day clock of the
emergency route, the panel on a reporting case and the hub card."""
import datetime as dt
from decimal import Decimal

from django.db.models import Case as When_, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.models import mask_name  # noqa: F401 - the core's, used here and by callers
from communities.sums import DecimalSum

from ..models import FundEntry, RepairEvent, RepairProject
from .owners_fund_core import cents

S = RepairProject.Status
EMERGENCY_DAYS = 7  # 沪物业规定第七十三条
EMERGENCY_KINDS = (RepairProject.Kind.FACADE, RepairProject.Kind.LEAK)
CLOSED_STATES = (S.PUBLISHED,)
# The order of the list: open projects by how far along they are; published ones last.
STAGE_ORDER = [S.DISCOVERED, S.APPRAISED, S.PLANNED, S.VOTING, S.APPROVED, S.AUDITED, S.CONTRACTED, S.WORKS,
               S.ACCEPTED, S.PAID, S.PUBLISHED]


# --- the 7-day clock of 沪物业规定第七十三条 ------------------------------------------------------------------

def emergency_deadline(project) -> dt.date | None:
    """The last day the owners' committee may approve: the certification was submitted on day 0, the 7 days are
    counted from the next day (民法典第二百零一条: the first day is not counted) and the last one ends at 24:00."""
    if not project.certified_submitted_on:
        return None
    return project.certified_submitted_on + dt.timedelta(days=EMERGENCY_DAYS)


def emergency_clock_running(project) -> bool:
    """An emergency project whose danger is certified, still waiting for the committee's approval or a referral."""
    return bool(project.emergency and project.danger_certified and project.certified_submitted_on
                and project.emergency_approved_at is None and project.status in (S.APPRAISED, S.PLANNED)
                and not _has_referral(project))


def referral_of(project):
    """The project's referral to the district housing department, or None."""
    from ..models import RepairReferral

    try:
        return project.referral
    except RepairReferral.DoesNotExist:
        return None


def _has_referral(project) -> bool:
    return referral_of(project) is not None


def emergency_overdue(project, *, on: dt.date) -> bool:
    """The 7 days ran out on ``on`` without the committee's approval (and no referral yet)."""
    deadline = emergency_deadline(project)
    return bool(emergency_clock_running(project) and deadline and on > deadline)


def emergency_overdue_q(*, on: dt.date) -> Q:
    """The list form of ``emergency_overdue`` (for the beat task and the hub card)."""
    return Q(emergency=True, danger_certified=True, emergency_approved_at__isnull=True,
             certified_submitted_on__lt=on - dt.timedelta(days=EMERGENCY_DAYS),
             status__in=[S.APPRAISED, S.PLANNED], referral__isnull=True)


def may_take_emergency_route(project, *, on: dt.date) -> bool:
    """The vote may be skipped: the committee approved within the 7 days, or the department was referred to."""
    return bool(project.emergency and project.danger_certified
                and (project.emergency_approved_at is not None or _has_referral(project)))


# --- lists and pages -------------------------------------------------------------------------------------

def _stage_rank():
    return When_(*[When(status=s, then=Value(i)) for i, s in enumerate(STAGE_ORDER)], output_field=IntegerField())


def projects_visible(*, user, community) -> QuerySet:
    """The estate's projects the user may read: open ones first (emergency ones at the top), then by stage."""
    rows = policy.scope(user, "talents.repairs.view", RepairProject.objects.filter(community=community))
    return (rows.select_related("building", "assembly__election", "referral")
            .annotate(closed=When_(When(status__in=CLOSED_STATES, then=Value(1)), default=Value(0),
                                   output_field=IntegerField()), stage=_stage_rank())
            .order_by("closed", "-emergency", "stage", "-created_at", "-id"))


def project_for_page() -> QuerySet:
    return RepairProject.objects.select_related("community", "building", "assembly__election", "created_by") \
        .prefetch_related(Prefetch("events", queryset=RepairEvent.objects.select_related("actor")
                                   .prefetch_related("photos", "documents")),
                          "items", "cases__building")


def project_payments(*, project) -> list[dict]:
    """The payment rows of the project by building: households and amount (按幢立账、按户核算)."""
    rows = (FundEntry.objects.filter(project=project, kind=FundEntry.Kind.PAYMENT)
            .values("booked_on", "building__name").annotate(total=DecimalSum("amount"), households=Count("id"))
            .order_by("booked_on", "building__name"))
    return [{"on": r["booked_on"], "building": r["building__name"], "households": r["households"],
             "amount": -cents(r["total"])} for r in rows]


def project_funding(*, project) -> dict:
    """Where the money comes from: the fund of the households that share the cost, its balance and any freeze."""
    from .owners_fund_core import cents, fund_balance, open_freeze

    units = project.scope_units()
    unit_ids = list(units.values_list("pk", flat=True))
    return {"households": len(unit_ids),
            "area": cents(units.aggregate(a=DecimalSum("floor_area"))["a"]),
            "balance": fund_balance(community=project.community, unit_ids=unit_ids),
            "freeze": open_freeze(community=project.community)}


def project_share(*, project, user) -> dict | None:
    """The user's own households among those sharing the cost, and their share of it by exclusive area (the
    payment, else the audited amount, else the budget): what "where the money comes from" means for the resident
    who reported the problem. None when the user owns no unit in the scope. Two queries."""
    from communities.models import Residency

    from .owners_fund_core import cents

    if not user.is_authenticated:
        return None
    units = list(project.scope_units().filter(
        residencies__person__user=user, residencies__relation=Residency.Relation.OWNER,
        residencies__moved_out__isnull=True).select_related("building").distinct())
    if not units:
        return None
    area = sum((u.floor_area or Decimal(0) for u in units), Decimal(0))
    total_area = project.scope_units().aggregate(a=DecimalSum("floor_area"))["a"] or Decimal(0)
    amount = project.paid_amount or project.audited_amount or project.budget or Decimal(0)
    share = cents(Decimal(amount) * area / Decimal(total_area)) if total_area and amount else None
    return {"units": units, "area": cents(area), "share": share, "amount": cents(amount),
            "basis": "paid" if project.paid_amount else "audited" if project.audited_amount else "budget"}


def funding_label(project) -> str:
    """"资金来源" in a few words (the case panel)."""
    return str(_("%(scope)s专项维修资金") % {"scope": project.scope_label})


def status_counts(*, community) -> dict:
    return dict(RepairProject.objects.filter(community=community).values_list("status").annotate(n=Count("id")).order_by())


# --- the panel on a reporting case -----------------------------------------------------------------------

def projects_of_case(*, case) -> list:
    return list(case.repair_projects.select_related("building").order_by("-created_at"))


# --- the hub card ----------------------------------------------------------------------------------------

def hub_card(*, request, community) -> dict:
    """The repairs card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it. Three queries."""
    user = request.user
    if not policy.can(user, "talents.repairs.view", community):
        return {}
    today = timezone.localdate()
    rows = list(projects_visible(user=user, community=community).filter(~Q(status__in=CLOSED_STATES))[:5])
    overdue = RepairProject.objects.filter(emergency_overdue_q(on=today), community=community).count()
    counts = status_counts(community=community)
    return {
        "projects": [{"project": p, "overdue": emergency_overdue(p, on=today)} for p in rows],
        "overdue": overdue, "open": sum(n for s, n in counts.items() if s not in CLOSED_STATES),
        "published": counts.get(S.PUBLISHED, 0),
        "can_manage": policy.can(user, "talents.repairs.manage", community),
    }

