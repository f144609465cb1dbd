"""Service evaluation, the changes: drafting and adopting a standard, opening a month, households' scores (in
the app or typed from a paper form), values entered by hand, closing a month (freezing its results and opening
the improvement actions of low criteria), and running those actions to their end.

The apps call these (``propertyservice`` for the village station; later 郡园's survey of its property company)
after their own policy check; the rules of the engine itself (one score per household, the version in force,
only an adopted decision adopts a standard) are enforced here."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    DEFAULT_SCALE, Evaluation, EvaluationCriterion, EvaluationResult, EvaluationStandard, ImprovementAction, Motion,
    Residency, ResidentScore, Unit,
)
from ..selectors import evaluations as sel
from ..selectors.elections import motion_adopted
from .audit import audit
from .errors import DomainError

Group = EvaluationCriterion.Group
ACTION_DAYS = 30  # an improvement action is due a month after the month is closed, unless its owner says otherwise


def _local_day(now) -> dt.date:
    return timezone.localtime(now, sel.SHANGHAI).date()


# --- the standard ---------------------------------------------------------------------------------------

def standard_draft(*, actor, community, subject: str, title: str, criteria: list[dict], weights: dict | None = None,
                   threshold: Decimal | None = None, scale: list | None = None, now=None) -> EvaluationStandard:
    """A new draft version (the next number). ``criteria``: [{"name", "group", "weight", "metric_key",
    "question"}]; ``weights``: {group: percent}, default objective 50, cases 25, residents 25 (a proposal)."""
    now = now or timezone.now()
    if not criteria:
        raise DomainError(_("评价标准至少要有一个评价项目。"), code="no_criteria")
    groups = {c["group"] for c in criteria}
    if not groups <= set(Group.values):
        raise DomainError(_("评价项目的类别不正确。"), code="bad_group")
    weights = weights or {}
    with transaction.atomic():
        last = (EvaluationStandard.objects.select_for_update().filter(community=community, subject=subject)
                .order_by("-version").first())
        standard = EvaluationStandard.objects.create(
            community=community, subject=subject, version=(last.version + 1) if last else 1, title=title,
            weight_objective=weights.get(Group.OBJECTIVE, Decimal(50)),
            weight_cases=weights.get(Group.CASES, Decimal(25)),
            weight_residents=weights.get(Group.RESIDENTS, Decimal(25)),
            threshold=Decimal("0.6") if threshold is None else threshold, scale=scale or DEFAULT_SCALE,
            created_by=actor, created_at=now)
        EvaluationCriterion.objects.bulk_create([EvaluationCriterion(
            standard=standard, name=c["name"], group=c["group"], weight=c.get("weight", Decimal(1)),
            metric_key=c.get("metric_key", ""), question=c.get("question", ""), order=i)
            for i, c in enumerate(criteria)])
        audit(actor=actor, action="evaluation.standard_draft", community=community, standard=standard.pk,
              subject=subject, version=standard.version)
    return standard


def standard_adopt(*, actor, standard: EvaluationStandard, motion: Motion, now=None) -> bool:
    """Put a draft in force on the village's decision: ``motion`` must be adopted (a published villagers' or
    representatives' meeting vote that passed) in the same community. The version in force before is retired;
    months already opened keep theirs. A repeat changes nothing (False)."""
    now = now or timezone.now()
    motion = Motion.objects.select_related("election").get(pk=motion.pk)  # the vote as stored, not as passed in
    if motion.election.community_id != standard.community_id or not motion_adopted(motion=motion):
        raise DomainError(_("只有村民会议（或村民代表会议）表决通过的议题才能通过评价标准。"), code="not_adopted")
    with transaction.atomic():
        standard = EvaluationStandard.objects.select_for_update().get(pk=standard.pk)
        if standard.status == EvaluationStandard.Status.ADOPTED and standard.motion_id == motion.pk:
            return False
        if standard.status != EvaluationStandard.Status.DRAFT:
            raise DomainError(_("只有草案可以通过。"), code="not_draft")
        EvaluationStandard.objects.filter(community_id=standard.community_id, subject=standard.subject,
                                          status=EvaluationStandard.Status.ADOPTED) \
            .update(status=EvaluationStandard.Status.RETIRED)
        published = motion.election.published_at
        standard.status = EvaluationStandard.Status.ADOPTED
        standard.motion = motion
        standard.adopted_on = _local_day(published or now)
        standard.save(update_fields=["status", "motion", "adopted_on"])
        audit(actor=actor, action="evaluation.standard_adopt", community=standard.community, standard=standard.pk,
              version=standard.version, motion=motion.pk)
    return True


# --- a month ---------------------------------------------------------------------------------------------

def evaluation_open(*, community, subject: str, month: dt.date | None = None, now=None) -> Evaluation:
    """The month's evaluation, opened under the standard in force if it is not yet (idempotent)."""
    now = now or timezone.now()
    month = sel.month_of(month or _local_day(now))
    existing = Evaluation.objects.filter(community=community, subject=subject, month=month).first()
    if existing is not None:
        return existing
    standard = sel.standard_in_force(community=community, subject=subject)
    if standard is None:
        raise DomainError(_("还没有通过的评价标准。"), code="no_standard")
    evaluation, _created = Evaluation.objects.get_or_create(community=community, subject=subject, month=month,
                                                            defaults={"standard": standard})
    return evaluation


def _open_for_update(evaluation: Evaluation) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().select_related("standard").get(pk=evaluation.pk)
    if evaluation.status != Evaluation.Status.OPEN:
        raise DomainError(_("%(month)s 的评价已经结算，不能再修改。") % {"month": f"{evaluation.month:%Y年%m月}"},
                          code="closed")
    return evaluation


def household_score(*, actor, evaluation: Evaluation, unit: Unit, answers: dict, person=None, paper: bool = False,
                    now=None) -> int:
    """Record a household's answers ``{criterion id: scale label}`` to the residents' criteria.

    In the app (``paper=False``) ``person`` is the actor's own person and must live in ``unit`` now; from a paper
    form staff type it in (``paper=True``, ``entered_by`` = the actor, ``person`` the signer if named). One
    answer per household per criterion per month: a second one from another member (or another form) is
    refused; the same person may correct theirs while the month is open (the old answer stays in the audit).
    Returns how many answers changed (0: a repeat)."""
    now = now or timezone.now()
    if unit.building.community_id != evaluation.community_id:
        raise DomainError(_("这户不在本村。"), code="other_community")
    if person is not None and not Residency.objects.filter(person=person, unit=unit,
                                                           moved_out__isnull=True).exists():
        raise DomainError(_("只有本户的在册居民才能为本户评价。") if not paper else
                          _("签名人不是这户的在册居民。"), code="not_resident")
    if not paper and person is None:
        raise DomainError(_("只有本户的在册居民才能为本户评价。"), code="not_resident")
    with transaction.atomic():
        evaluation = _open_for_update(evaluation)
        Unit.objects.select_for_update().filter(pk=unit.pk).exists()  # one household's answers at a time
        criteria = {c.pk: c for c in evaluation.standard.criteria.filter(group=Group.RESIDENTS)}
        scale = dict(evaluation.standard.scale_values())
        if not answers or set(map(int, answers)) - set(criteria):
            raise DomainError(_("请回答每一个问题。"), code="incomplete")
        if any(label not in scale for label in answers.values()):
            raise DomainError(_("请选择 满意、基本满意、一般 或 不满意。"), code="bad_label")
        given = {s.criterion_id: s for s in ResidentScore.objects.filter(evaluation=evaluation, unit=unit)}
        others = [s for s in given.values() if person is None or s.person_id != person.pk]
        if others:
            raise DomainError(_("这户本月已经评价过了，每户每月只能评一次。"), code="household_done")
        changed = 0
        for criterion_id, label in answers.items():
            criterion_id = int(criterion_id)
            old = given.get(criterion_id)
            if old is not None and old.label == label:
                continue
            if old is None:
                ResidentScore.objects.create(evaluation=evaluation, criterion=criteria[criterion_id], unit=unit,
                                             person=person, label=label, value=scale[label], paper=paper,
                                             entered_by=actor, at=now)
            else:
                audit(actor=actor, action="evaluation.score_correct", community=evaluation.community,
                      evaluation=evaluation.pk, unit=unit.pk, criterion=criterion_id, was=old.label, now=label)
                old.label, old.value, old.at, old.entered_by = label, scale[label], now, actor
                old.save(update_fields=["label", "value", "at", "entered_by"])
            changed += 1
        if changed and not given:
            audit(actor=actor, action="evaluation.score", community=evaluation.community, evaluation=evaluation.pk,
                  unit=unit.pk, paper=paper)
    return changed


def result_enter(*, actor, evaluation: Evaluation, criterion: EvaluationCriterion, value: Decimal | None,
                 note: str = "") -> bool:
    """A value staff give by hand (a check done on paper), used instead of the measured one; None removes it."""
    with transaction.atomic():
        evaluation = _open_for_update(evaluation)
        if criterion.standard_id != evaluation.standard_id:
            raise DomainError(_("该项目不属于本月适用的评价标准。"), code="other_standard")
        if value is not None and not Decimal(0) <= value <= Decimal(1):
            raise DomainError(_("得分应在 0 到 1 之间。"), code="bad_value")
        EvaluationResult.objects.filter(evaluation=evaluation, criterion=criterion).delete()
        if value is not None:
            EvaluationResult.objects.create(evaluation=evaluation, criterion=criterion, value=value, note=note,
                                            source=EvaluationResult.Source.ENTERED, entered_by=actor)
        audit(actor=actor, action="evaluation.result_enter", community=evaluation.community,
              evaluation=evaluation.pk, criterion=criterion.pk, value=str(value))
    return True


def evaluation_close(*, evaluation_id: int, now=None) -> bool:
    """Freeze a month: compute every criterion once, store the results and the overall score, and open one
    improvement action per criterion below the standard's threshold. A closed month is left as it is (False)."""
    now = now or timezone.now()
    with transaction.atomic():
        evaluation = (Evaluation.objects.select_for_update(of=("self",)).select_related("standard", "community")
                      .filter(pk=evaluation_id).first())
        if evaluation is None or evaluation.status == Evaluation.Status.CLOSED:
            return False
        figures = sel.live_figures(standard=evaluation.standard, community=evaluation.community,
                                   month=evaluation.month, evaluation=evaluation, now=now)
        EvaluationResult.objects.filter(evaluation=evaluation).exclude(
            source=EvaluationResult.Source.ENTERED).delete()
        EvaluationResult.objects.bulk_create([
            EvaluationResult(evaluation=evaluation, criterion=f.criterion, value=f.value, note=f.note[:200],
                             source=f.source)
            for f in figures.criteria if f.source != EvaluationResult.Source.ENTERED])
        due = _local_day(now) + dt.timedelta(days=ACTION_DAYS)
        for f in figures.criteria:
            if f.low:
                ImprovementAction.objects.get_or_create(
                    evaluation=evaluation, criterion=f.criterion,
                    defaults={"community": evaluation.community, "score": f.value, "due_on": due, "opened_at": now})
        evaluation.status, evaluation.overall, evaluation.closed_at = Evaluation.Status.CLOSED, figures.overall, now
        evaluation.save(update_fields=["status", "overall", "closed_at"])
    return True


# --- improvement actions (整改) -----------------------------------------------------------------------------

def action_assign(*, actor, action: ImprovementAction, owner, due_on: dt.date) -> bool:
    with transaction.atomic():
        action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        if action.status != ImprovementAction.Status.OPEN:
            raise DomainError(_("该整改事项已经完成。"), code="done")
        if action.owner_id == getattr(owner, "pk", None) and action.due_on == due_on:
            return False
        action.owner, action.due_on = owner, due_on
        action.save(update_fields=["owner", "due_on"])
        audit(actor=actor, action="evaluation.action_assign", community=action.community, improvement=action.pk,
              owner=getattr(owner, "pk", None), due_on=due_on.isoformat())
    return True


def action_close(*, actor, action: ImprovementAction, closing_note: str, now=None) -> bool:
    """Mark an action done with what was done (required). A repeat changes nothing (False)."""
    now = now or timezone.now()
    if not closing_note.strip():
        raise DomainError(_("请写明整改情况。"), code="no_note")
    with transaction.atomic():
        action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        if action.status == ImprovementAction.Status.DONE:
            return False
        action.status, action.closing_note = ImprovementAction.Status.DONE, closing_note.strip()
        action.closed_at, action.closed_by = now, actor
        action.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
        audit(actor=actor, action="evaluation.action_close", community=action.community, improvement=action.pk)
    return True
