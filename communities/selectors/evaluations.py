"""Reading service evaluations: the standard in force, a month's figures (live while the month is open, the
frozen results once closed), the overall score, the trend over months and the improvement actions.

How the score is made (the same for every subject):
- each criterion has a value between 0 and 1, or none (暂无数据: the subject has no such measure, nothing was
  due, no household answered); a criterion without a value is left out, never counted as 0 or 1;
- objective criteria: ``(part, whole)`` from the subject's registered source (``extensions.
  register_evaluation_source``); case criteria: the three rates (``communities.selectors.rates``) of the
  community's cases in the month; residents' criteria: the mean of the households' answers on the scale;
  a value staff entered by hand replaces the measured one;
- a group's score is the criteria's weighted mean; the overall score is the groups' weighted mean over the
  groups that have a value (the standard's group weights, 50/25/25 by default).
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import dates, extensions
from ..models import (
    Case, Evaluation, EvaluationCriterion, EvaluationResult, EvaluationStandard, ImprovementAction, ResidentScore,
)
from .rates import three_rates

SHANGHAI = ZoneInfo("Asia/Shanghai")
Group = EvaluationCriterion.Group
CASE_KEYS = {"response": _("响应率"), "resolution": _("解决率"), "satisfaction": _("满意率")}
NO_DATA = _("暂无数据")
FOUR = Decimal("0.0001")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month in Asia/Shanghai."""
    return dates.month_bounds(month)


def standard_in_force(*, community, subject: str) -> EvaluationStandard | None:
    return (EvaluationStandard.objects.filter(community=community, subject=subject,
                                              status=EvaluationStandard.Status.ADOPTED)
            .select_related("motion__election").first())


def standards_of(*, community, subject: str) -> list[EvaluationStandard]:
    """Every version, newest first, with its criteria and the decision that adopted it."""
    return list(EvaluationStandard.objects.filter(community=community, subject=subject)
                .select_related("motion__election").prefetch_related("criteria").order_by("-version"))


@dataclass
class CriterionFigure:
    criterion: EvaluationCriterion
    value: Decimal | None
    note: str = ""
    source: str = EvaluationResult.Source.MEASURED
    households: int = 0
    low: bool = False

    @property
    def percent(self) -> str:
        return str(NO_DATA) if self.value is None else f"{self.value * 100:.1f}"


@dataclass
class Figures:
    standard: EvaluationStandard
    month: dt.date
    criteria: list[CriterionFigure]
    groups: dict = field(default_factory=dict)  # group -> Decimal | None
    overall: Decimal | None = None
    frozen: bool = False
    evaluation: Evaluation | None = None

    def group_rows(self) -> list[dict]:
        weights = self.standard.group_weights()
        return [{"group": group, "label": label, "weight": weights[group], "value": self.groups.get(group)}
                for group, label in Group.choices]


def _ratio(part, whole) -> Decimal | None:
    if not whole:
        return None
    return max(Decimal(0), min(Decimal(1), Decimal(part) / Decimal(whole))).quantize(FOUR, ROUND_HALF_UP)


def _weighted(pairs) -> Decimal | None:
    pairs = [(value, weight) for value, weight in pairs if value is not None and weight]
    total = sum((weight for _v, weight in pairs), Decimal(0))
    if not total:
        return None
    return (sum((value * weight for value, weight in pairs), Decimal(0)) / total).quantize(FOUR, ROUND_HALF_UP)


def _score(standard, criteria: list[CriterionFigure]) -> tuple[dict, Decimal | None]:
    groups = {group: _weighted((f.value, f.criterion.weight) for f in criteria if f.criterion.group == group)
              for group in Group.values}
    overall = _weighted((groups[group], weight) for group, weight in standard.group_weights().items())
    for f in criteria:
        f.low = f.value is not None and f.value < standard.threshold
    return groups, overall


def _objective(standard, criterion, *, community, month) -> CriterionFigure:
    source = extensions.evaluation_source(standard.subject)
    got = source(community=community, criterion_key=criterion.metric_key, start=month,
                 end=next_month(month)) if (source and criterion.metric_key) else None
    if got is None:
        return CriterionFigure(criterion, None, str(NO_DATA))
    part, whole = got
    value = _ratio(part, whole)
    return CriterionFigure(criterion, value, f"{part} / {whole}" if whole else str(NO_DATA))


def live_figures(*, standard: EvaluationStandard, community, month: dt.date, evaluation: Evaluation | None = None,
                 now=None) -> Figures:
    """The month's figures computed now (nothing stored). Queries: the criteria, the three rates (3, when the
    standard has case criteria), the households' answers and the entered values (1 each, with an evaluation),
    and each objective source's own fixed number."""
    now = now or timezone.now()
    criteria = list(standard.criteria.all())
    start, end = month_bounds(month)
    rates = None
    if any(c.group == Group.CASES for c in criteria):
        rates = three_rates(cases=Case.objects.filter(community=community), start=start, end=end,
                            now=min(now, end))
    answers, entered = {}, {}
    if evaluation is not None:
        answers = {row["criterion"]: row for row in ResidentScore.objects.filter(evaluation=evaluation)
                   .values("criterion").annotate(mean=Avg("value"), n=Count("id")).order_by()}
        entered = {r.criterion_id: r for r in EvaluationResult.objects.filter(
            evaluation=evaluation, source=EvaluationResult.Source.ENTERED)}
    figures = []
    for criterion in criteria:
        if criterion.pk in entered:
            row = entered[criterion.pk]
            figure = CriterionFigure(criterion, row.value, row.note, EvaluationResult.Source.ENTERED)
        elif criterion.group == Group.OBJECTIVE:
            figure = _objective(standard, criterion, community=community, month=month)
        elif criterion.group == Group.CASES:
            rate = getattr(rates, criterion.metric_key, None) if criterion.metric_key in CASE_KEYS else None
            figure = (CriterionFigure(criterion, _ratio(rate.numerator, rate.denominator),
                                      f"{rate.numerator} / {rate.denominator}" if rate.denominator else str(NO_DATA))
                      if rate is not None else CriterionFigure(criterion, None, str(NO_DATA)))
        else:
            row = answers.get(criterion.pk)
            figure = CriterionFigure(
                criterion, Decimal(row["mean"]).quantize(FOUR, ROUND_HALF_UP) if row else None,
                _("%(n)s 户评价") % {"n": row["n"]} if row else str(NO_DATA), EvaluationResult.Source.RESIDENTS,
                households=row["n"] if row else 0)
        figures.append(figure)
    groups, overall = _score(standard, figures)
    return Figures(standard, month, figures, groups, overall, evaluation=evaluation)


def frozen_figures(*, evaluation: Evaluation) -> Figures:
    """A closed month's stored results (1 query for the results, 1 for the households counted)."""
    results = list(evaluation.results.select_related("criterion").order_by("criterion__order", "criterion_id"))
    households = dict(ResidentScore.objects.filter(evaluation=evaluation).values("criterion")
                      .annotate(n=Count("id")).values_list("criterion", "n").order_by())
    figures = [CriterionFigure(r.criterion, r.value, r.note, r.source, households=households.get(r.criterion_id, 0))
               for r in results]
    groups, _overall = _score(evaluation.standard, figures)
    return Figures(evaluation.standard, evaluation.month, figures, groups, evaluation.overall, frozen=True,
                   evaluation=evaluation)


def evaluation_of(*, community, subject: str, month: dt.date) -> Evaluation | None:
    return (Evaluation.objects.filter(community=community, subject=subject, month=month)
            .select_related("standard__motion__election").first())


def month_figures(*, community, subject: str, month: dt.date, now=None) -> Figures | None:
    """A month's figures: frozen if closed, live if open (or not yet opened: under the standard in force);
    None when no standard was ever adopted."""
    evaluation = evaluation_of(community=community, subject=subject, month=month)
    if evaluation is not None and evaluation.status == Evaluation.Status.CLOSED:
        return frozen_figures(evaluation=evaluation)
    standard = evaluation.standard if evaluation else standard_in_force(community=community, subject=subject)
    if standard is None:
        return None
    return live_figures(standard=standard, community=community, month=month, evaluation=evaluation, now=now)


def trend(*, community, subject: str, months: int = 6, now=None, current: Figures | None = None) -> list[dict]:
    """The last ``months`` months, oldest first: {"month", "overall", "criteria": {name: value}}. Closed months
    read their results (2 queries for all of them); the open current month is computed live, or taken from
    ``current`` (this month's figures the page already has)."""
    now = now or timezone.now()
    this_month = month_of(timezone.localtime(now, SHANGHAI).date())
    wanted = [this_month]
    for _i in range(months - 1):
        wanted.insert(0, previous_month(wanted[0]))
    evaluations = {e.month: e for e in Evaluation.objects.filter(
        community=community, subject=subject, month__in=wanted).select_related("standard")}
    by_evaluation: dict[int, dict] = {}
    for r in EvaluationResult.objects.filter(evaluation__in=[e for e in evaluations.values()
                                                             if e.status == Evaluation.Status.CLOSED]) \
            .select_related("criterion"):
        by_evaluation.setdefault(r.evaluation_id, {})[r.criterion.name] = r.value
    rows = []
    for month in wanted:
        evaluation = evaluations.get(month)
        if evaluation is not None and evaluation.status == Evaluation.Status.CLOSED:
            rows.append({"month": month, "overall": evaluation.overall,
                         "criteria": by_evaluation.get(evaluation.pk, {})})
        elif month == this_month:
            figures = current if current is not None and current.month == month else month_figures(
                community=community, subject=subject, month=month, now=now)
            rows.append({"month": month, "overall": figures.overall if figures else None,
                         "criteria": {f.criterion.name: f.value for f in figures.criteria} if figures else {}})
        else:
            rows.append({"month": month, "overall": None, "criteria": {}})
    return rows


def actions_of(*, community, subject: str, now=None, open_only: bool = False) -> list[ImprovementAction]:
    """Improvement actions, open first by due date; each with ``overdue`` (open past its due date). One query."""
    now = now or timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()
    qs = (ImprovementAction.objects.filter(community=community, evaluation__subject=subject)
          .select_related("criterion", "evaluation", "owner__person", "closed_by__person"))
    if open_only:
        qs = qs.filter(status=ImprovementAction.Status.OPEN)
    actions = list(qs.order_by("-status", "due_on", "id"))  # "open" after "done" in the alphabet
    for action in actions:
        action.overdue = action.status == ImprovementAction.Status.OPEN and action.due_on < today
    return actions


def household_answers(*, evaluation: Evaluation, unit) -> dict[int, ResidentScore]:
    """{criterion id: the household's score} this month (what the scoring page shows as already given)."""
    return {s.criterion_id: s for s in ResidentScore.objects.filter(evaluation=evaluation, unit=unit)}
