"""Daily figures of the case workflow, kept for the Party-branch dashboard.

Aggregating half a million cases on every dashboard view is too slow for the town (bench_town), so
a Celery beat task (``refresh_case_summaries``) recomputes the recent days every minute into these
tables, by the one definition of the three rates in ``selectors/rates.py``. Rows are replaced, never
edited by hand; open and overdue counts stay live.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseDailySummary(models.Model):
    """One community's case figures on one calendar day (Asia/Shanghai). Dense: a row for every day
    of the refreshed window, zeros included, so "no row" means "not computed yet"."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE,
                                  related_name="case_daily_summaries", verbose_name=_("社区"))
    day = models.DateField(_("日期"))
    filed = models.PositiveIntegerField(_("新增"), default=0)
    dispatched = models.PositiveIntegerField(_("派单数"), default=0)
    acknowledged_on_time = models.PositiveIntegerField(_("按时响应数"), default=0)
    due = models.PositiveIntegerField(_("应办结数"), default=0)
    resolved = models.PositiveIntegerField(_("已办结数"), default=0)
    rated = models.PositiveIntegerField(_("评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意数"), default=0)
    refreshed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("诉求日统计")
        verbose_name_plural = _("诉求日统计")
        ordering = ["community", "day"]
        constraints = [models.UniqueConstraint(fields=["community", "day"], name="case_daily_summary_unique")]
        indexes = [models.Index(fields=["day"], name="case_daily_summary_day_idx")]

    def __str__(self):
        return f"{self.community_id} {self.day}"


class CaseDashboardTop(models.Model):
    """The categories and buildings with the most cases filed in the dashboard's period."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("类别")
        BUILDING = "building", _("楼栋")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE,
                                  related_name="case_dashboard_tops", verbose_name=_("社区"))
    kind = models.CharField(_("种类"), max_length=10, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(_("名次"))
    label = models.CharField(_("名称"), max_length=100)
    count = models.PositiveIntegerField(_("数量"))
    refreshed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("看板排行")
        verbose_name_plural = _("看板排行")
        ordering = ["community", "kind", "rank"]
        constraints = [models.UniqueConstraint(fields=["community", "kind", "rank"], name="case_dashboard_top_unique")]

    def __str__(self):
        return f"{self.community_id} {self.kind} {self.rank} {self.label}"
