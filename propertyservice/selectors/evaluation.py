"""The station's evaluation, read: its objective source for the core engine (``propertyservice.metrics``), the
evaluation page, the standard page, a villager's household and the board's card.

The subject key is ``SUBJECT``; the engine (``communities.selectors.evaluations``) does the arithmetic."""
import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from communities import policy
from communities.models import Community, Evaluation, EvaluationCriterion, Residency, ResidentScore, Unit
from communities.selectors import evaluations as core

from .. import metrics
from .station import APP_LABEL

SUBJECT = "propertyservice.station"


def station_source(*, community, criterion_key: str, start: dt.date, end: dt.date, now=None):
    """The engine's objective source: ``(part, whole)`` from ``metrics.METRICS`` by key, or None when no area has
    registered that key yet (the criterion shows 暂无数据 and is left out of the weights). A metric marked
    ``lower_is_better`` (a count of problems found) scores the share without problems.

    The month in progress is measured up to today (Asia/Shanghai), today excluded: the days still to come (and
    today, not over yet) are not due, so they count neither as done nor as missed (a shed's daily check on the
    5th is not 1 of 124 due this month). On the 1st the month has nothing due yet: 暂无数据."""
    metric = next((m for m in metrics.METRICS if m.key == criterion_key), None)
    if metric is None:
        return None
    end = min(end, timezone.localtime(now or timezone.now(), core.SHANGHAI).date())
    if end <= start:
        return Decimal(0), Decimal(0)
    measure = metrics.measure(criterion_key, community=community, start=start, end=end)
    if getattr(metric, "lower_is_better", False):
        return measure.whole - measure.part, measure.whole
    return measure.part, measure.whole


def local_month(now) -> dt.date:
    return core.month_of(timezone.localtime(now, core.SHANGHAI).date())


def served_communities(*, user):
    """The villages this app serves where ``user`` has any role (the pages then ask the policy for the action)."""
    ids = policy.community_ids_for(user, "propertyservice.hub")
    qs = Community.objects.filter(apps__app_label=APP_LABEL)
    return (qs if ids is None else qs.filter(pk__in=ids)).order_by("name")


def evaluation_page(*, community, now=None) -> dict:
    """This month (live) and last month (frozen once closed), the trend over six months and the actions."""
    now = now or timezone.now()
    this = local_month(now)
    last = core.previous_month(this)
    figures = core.month_figures(community=community, subject=SUBJECT, month=this, now=now)
    return {
        "this": figures,
        "last": core.month_figures(community=community, subject=SUBJECT, month=last, now=now),
        "trend": core.trend(community=community, subject=SUBJECT, months=6, now=now, current=figures),
        "actions": core.actions_of(community=community, subject=SUBJECT, now=now),
        "this_month": this, "last_month": last,
    }


def criterion_trend(trend: list[dict], names: list[str]) -> list[dict]:
    """[{"name", "rows": [{"month", "value"}]}] for each criterion name, from ``core.trend``'s rows."""
    return [{"name": name, "rows": [{"month": r["month"], "value": r["criteria"].get(name)} for r in trend]}
            for name in names]


def household_of(*, user, community) -> Unit | None:
    """The unit in ``community`` the user lives in now (the first, for someone registered in two)."""
    person_id = policy.person_id_of(user)
    if person_id is None:
        return None
    residency = (Residency.objects.filter(person_id=person_id, moved_out__isnull=True,
                                          unit__building__community=community)
                 .select_related("unit__building__village_group").order_by("moved_in", "pk").first())
    return residency.unit if residency else None


def residents_criteria(*, standard) -> list[EvaluationCriterion]:
    return [c for c in standard.criteria.all() if c.group == EvaluationCriterion.Group.RESIDENTS]


def households(*, community):
    """The village's households for the paper-form picker, by group and row."""
    return (Unit.objects.filter(building__community=community)
            .select_related("building__village_group").order_by("building__village_group__name", "building__name",
                                                                "room"))


def board_context(*, request, community) -> dict:
    """The board's card: this month's overall score and groups (live), the six months' trend and the open
    improvement actions. A fixed number of queries (asserted in the tests)."""
    if not policy.can(request.user, "propertyservice.evaluation.view", community):
        return {}
    now = timezone.now()
    month = local_month(now)
    figures = core.month_figures(community=community, subject=SUBJECT, month=month, now=now)
    if figures is None:
        return {"none": True}
    actions = core.actions_of(community=community, subject=SUBJECT, now=now, open_only=True)
    return {"figures": figures, "groups": figures.group_rows(), "month": month,
            "trend": core.trend(community=community, subject=SUBJECT, months=6, now=now, current=figures),
            "open_actions": actions, "overdue": sum(a.overdue for a in actions)}


def hub_context(*, request, community, now=None) -> dict:
    """The hub's card: score for your household (villagers: and whether it has this month), the results (heads,
    staff), the standard."""
    user = request.user
    can_score = policy.can(user, "propertyservice.evaluation.score", community)
    return {"can_score": can_score, "scored": can_score and household_scored(user=user, community=community, now=now),
            "can_view": policy.can(user, "propertyservice.evaluation.view", community),
            "can_paper": policy.can(user, "propertyservice.evaluation.paper", community)}


def household_scored(*, user, community, now=None) -> bool:
    """Whether the user's household has scored the station this month (at most three queries)."""
    unit = household_of(user=user, community=community)
    if unit is None:
        return False
    month = local_month(now or timezone.now())
    return ResidentScore.objects.filter(unit=unit, evaluation__community=community, evaluation__subject=SUBJECT,
                                        evaluation__month=month).exists()


def open_evaluations_to_close(*, before: dt.date):
    """Open months before ``before`` of the station's subject (what the monthly task closes)."""
    return Evaluation.objects.filter(subject=SUBJECT, status=Evaluation.Status.OPEN, month__lt=before) \
        .filter(Q(community__apps__app_label=APP_LABEL)).values_list("pk", flat=True)


def paper_entries(*, evaluation) -> list:
    """The paper forms typed in this month, newest first, one per household, with who typed each (one query)."""
    if evaluation is None:
        return []
    seen, rows = set(), []
    for score in (evaluation.resident_scores.filter(paper=True)
                  .select_related("unit__building__village_group", "entered_by__person").order_by("-at", "-pk")):
        if score.unit_id not in seen:
            seen.add(score.unit_id)
            rows.append(score)
    return rows
