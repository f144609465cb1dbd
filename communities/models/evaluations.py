"""Service evaluation (服务评价), a core mechanism: a community's versioned standard for one ``subject`` (the
光明村 station: ``"propertyservice.station"``; a property company; a Party review …), its criteria in three
groups (objective checks from the app's data, case figures, residents' scores), a month's evaluation that keeps
the version in force, the frozen results, residents' scores (one per household per criterion per month) and the
improvement actions (整改) a low score opens.

No official weights exist for a village station (RULES.md "Service evaluation"): the weights below are a
proposal the village adopts by its own decision (a ``Motion`` of a villagers' meeting). The scale
满意 1 · 基本满意 0.8 · 一般 0.6 · 不满意 0 is a town system's practice, not law.
"""
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The town practice's four answers and their values, in the order a form shows them.
DEFAULT_SCALE = [["满意", "1"], ["基本满意", "0.8"], ["一般", "0.6"], ["不满意", "0"]]


class EvaluationStandard(models.Model):
    """One version of the standard a community evaluates ``subject`` by (评价标准). Drafted by committee staff,
    adopted by a village decision (the ``motion``), retired when the next version is adopted."""
    community_path = "community"

    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        ADOPTED = "adopted", _("施行中")
        RETIRED = "retired", _("已废止")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE,
                                  related_name="evaluation_standards", verbose_name=_("社区"))
    subject = models.CharField(_("评价对象"), max_length=60)  # "<app>.<what>", e.g. "propertyservice.station"
    version = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    weight_objective = models.DecimalField(_("客观指标权重"), max_digits=5, decimal_places=2, default=Decimal("50"))
    weight_cases = models.DecimalField(_("诉求办理权重"), max_digits=5, decimal_places=2, default=Decimal("25"))
    weight_residents = models.DecimalField(_("村民评价权重"), max_digits=5, decimal_places=2, default=Decimal("25"))
    # A criterion scoring below this (0–1) opens an improvement action when the month is closed.
    threshold = models.DecimalField(_("整改线"), max_digits=4, decimal_places=3, default=Decimal("0.6"))
    scale = models.JSONField(_("评分等级"), default=list)  # [[label, "value"], …], best first
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True)
    motion = models.ForeignKey("communities.Motion", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("通过该标准的议题"))
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("起草人"))
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评价标准")
        verbose_name_plural = _("评价标准")
        ordering = ["community", "subject", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["community", "subject", "version"], name="uniq_evaluation_standard"),
            models.UniqueConstraint(fields=["community", "subject"], condition=Q(status="adopted"),
                                    name="one_adopted_evaluation_standard"),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def group_weights(self) -> dict[str, Decimal]:
        return {EvaluationCriterion.Group.OBJECTIVE: self.weight_objective,
                EvaluationCriterion.Group.CASES: self.weight_cases,
                EvaluationCriterion.Group.RESIDENTS: self.weight_residents}

    def scale_values(self) -> list[tuple[str, Decimal]]:
        return [(label, Decimal(str(value))) for label, value in (self.scale or DEFAULT_SCALE)]


class EvaluationCriterion(models.Model):
    """One line of a standard. ``metric_key`` names where a measured value comes from: the subject's
    registered source (objective), ``response``/``resolution``/``satisfaction`` (cases: the three rates);
    residents' criteria are scored by households and need none."""

    class Group(models.TextChoices):
        OBJECTIVE = "objective", _("客观指标")
        CASES = "cases", _("诉求办理")
        RESIDENTS = "residents", _("村民评价")

    standard = models.ForeignKey(EvaluationStandard, on_delete=models.CASCADE, related_name="criteria",
                                 verbose_name=_("评价标准"))
    name = models.CharField(_("评价项目"), max_length=100)
    group = models.CharField(_("类别"), max_length=10, choices=Group.choices)
    weight = models.DecimalField(_("项目权重"), max_digits=5, decimal_places=2, default=Decimal("1"))
    metric_key = models.CharField(_("指标代码"), max_length=40, blank=True)
    question = models.CharField(_("向村民提的问题"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评价项目")
        verbose_name_plural = _("评价项目")
        ordering = ["standard", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "name"], name="uniq_evaluation_criterion")]

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    """One month's evaluation of ``subject`` in a community, under the standard version in force when it was
    opened (kept even after a later version is adopted). Open: figures are live; closed: frozen results."""
    community_path = "community"

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结算")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="evaluations",
                                  verbose_name=_("社区"))
    subject = models.CharField(_("评价对象"), max_length=60)
    month = models.DateField(_("月份"))  # the first day of the month
    standard = models.ForeignKey(EvaluationStandard, on_delete=models.PROTECT, related_name="evaluations",
                                 verbose_name=_("适用标准"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    overall = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=4, null=True, blank=True)
    closed_at = models.DateTimeField(_("结算时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月度评价")
        verbose_name_plural = _("月度评价")
        ordering = ["community", "subject", "-month"]
        constraints = [models.UniqueConstraint(fields=["community", "subject", "month"], name="uniq_evaluation")]

    def __str__(self):
        return f"{self.subject} {self.month:%Y-%m}"


class EvaluationResult(models.Model):
    """A criterion's value (0–1) in a closed month; None: no data (暂无数据), left out of the weights."""

    class Source(models.TextChoices):
        MEASURED = "measured", _("系统计算")
        ENTERED = "entered", _("人工录入")
        RESIDENTS = "residents", _("村民评分")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results",
                                   verbose_name=_("月度评价"))
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="results",
                                  verbose_name=_("评价项目"))
    value = models.DecimalField(_("得分"), max_digits=5, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MEASURED)
    entered_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="uniq_evaluation_result")]


class ResidentScore(models.Model):
    """One household's (unit's) answer to one residents' criterion in one month: given in the app by a
    resident of the household, or typed in by staff from a signed paper form (``paper``)."""
    community_path = "evaluation__community"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="resident_scores",
                                   verbose_name=_("月度评价"))
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="resident_scores",
                                  verbose_name=_("评价项目"))
    unit = models.ForeignKey("communities.Unit", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("户"))
    person = models.ForeignKey("communities.Person", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("评价人"))
    label = models.CharField(_("评价"), max_length=20)
    value = models.DecimalField(_("分值"), max_digits=4, decimal_places=3)
    paper = models.BooleanField(_("纸质表"), default=False)
    entered_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("提交人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("村民评分")
        verbose_name_plural = _("村民评分")
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion", "unit"],
                                               name="one_score_per_household")]


class ImprovementAction(models.Model):
    """整改: opened once when a closed month's criterion scored below the standard's threshold; an owner, a
    due date, and a closing note when done. Overdue: open past its due date."""
    community_path = "community"

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        DONE = "done", _("已完成")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE,
                                  related_name="improvement_actions", verbose_name=_("社区"))
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="actions",
                                   verbose_name=_("月度评价"))
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="actions",
                                  verbose_name=_("评价项目"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=4)
    owner = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("负责人"))
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closing_note = models.TextField(_("整改情况"), blank=True)
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("确认人"))

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["status", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_action_per_criterion")]

    def __str__(self):
        return f"{self.criterion} {self.due_on}"
