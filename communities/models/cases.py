"""The case (complaint) workflow: 居民反映投诉 → 二房东回应落实 → 居委上门验收 → 回访评价.

The allowed transitions are declared once, in ``communities/workflow.py``; the models only hold
state. Every transition appends a ``CaseEvent``: events are never edited or deleted.
"""
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import StoredPhoto, TimelineEvent


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    DISPATCHED = "dispatched", _("已派单")
    IN_PROGRESS = "in_progress", _("处理中")
    AWAITING_VERIFICATION = "awaiting_verification", _("待验收")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    DUPLICATE = "duplicate", _("重复件")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = [CaseStatus.SUBMITTED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS,
                 CaseStatus.AWAITING_VERIFICATION]


class CaseCategory(models.Model):
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="case_categories",
                                  verbose_name=_("社区"))
    code = models.SlugField(_("代号"), max_length=30)
    name = models.CharField(_("名称"), max_length=50)
    ack_hours = models.PositiveIntegerField(_("响应时限(小时)"), default=24, validators=[MinValueValidator(1)])
    fix_hours = models.PositiveIntegerField(_("办结时限(小时)"), default=120, validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["community", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="uniq_case_category_code"),
            models.CheckConstraint(condition=Q(ack_hours__gte=1) & Q(fix_hours__gte=1), name="category_hours_positive"),
        ]

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    """Where a new case goes, as data committee staff can edit. The first matching rule by priority wins."""

    class Target(models.TextChoices):
        UNIT_SUBLANDLORD = "unit_sublandlord", _("房屋的二房东")
        TEAM = "team", _("指定团队")
        USER = "user", _("指定人员")
        COMMITTEE = "committee", _("居村委派单")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="routing_rules",
                                  verbose_name=_("社区"))
    category = models.ForeignKey(CaseCategory, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="routing_rules", verbose_name=_("类别(空=全部)"))
    only_let_units = models.BooleanField(_("仅限出租房屋"), default=False)
    target = models.CharField(_("派给"), max_length=20, choices=Target.choices)
    team = models.ForeignKey("communities.Team", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("团队"))
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("人员"))
    priority = models.PositiveSmallIntegerField(_("优先级(小的先匹配)"), default=100)

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        ordering = ["community", "priority", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(target="team") | Q(team__isnull=False), name="routing_team_needs_team"),
            models.CheckConstraint(condition=~Q(target="user") | Q(user__isnull=False), name="routing_user_needs_user"),
        ]

    def __str__(self):
        return f"{self.community} · {self.category or _('全部类别')} → {self.get_target_display()}"


class Case(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Channel(models.TextChoices):
        APP = "app", _("网上提交")
        WALK_IN = "walk_in", _("来访")
        HOTLINE = "hotline", _("热线电话")
        WECHAT = "wechat", _("微信群")
        PATROL = "patrol", _("巡查发现")
        MEETING = "meeting", _("会议")

    community = models.ForeignKey("communities.Community", on_delete=models.PROTECT, related_name="cases",
                                  verbose_name=_("社区"))
    category = models.ForeignKey(CaseCategory, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类别"))
    reporter = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reported_cases", verbose_name=_("反映人"))
    # For a walk-in or hotline caller without an account: kept for staff only.
    reporter_name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("反映人电话"), max_length=15, blank=True)
    filed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="filed_cases",
                                 verbose_name=_("登记人"))
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.APP)
    anonymous = models.BooleanField(_("对处理人匿名"), default=False)
    building = models.ForeignKey("communities.Building", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="cases", verbose_name=_("楼栋"))
    unit = models.ForeignKey("communities.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="cases", verbose_name=_("房屋"))
    public_place = models.ForeignKey("communities.PublicPlace", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="cases", verbose_name=_("公共区域"))
    place_text = models.CharField(_("具体位置"), max_length=200, blank=True)
    description = models.TextField(_("情况描述"))
    status = models.CharField(_("状态"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED)
    handler_user = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="handled_cases", verbose_name=_("处理人"))
    handler_team = models.ForeignKey("communities.Team", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="handled_cases", verbose_name=_("处理团队"))
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="duplicates", verbose_name=_("合并到"))
    followers = models.ManyToManyField("communities.User", blank=True, related_name="followed_cases",
                                       verbose_name=_("关注人"))
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("报告办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("响应期限"), null=True, blank=True)
    fix_due_at = models.DateTimeField(_("办结期限"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    rating_reopened = models.BooleanField(_("已因评价重新办理"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    escalated_at = models.DateTimeField(_("最近督办时间"), null=True, blank=True)
    rating_reminded_at = models.DateTimeField(_("评价提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"], name="case_community_status_idx"),
            models.Index(fields=["handler_user", "status"], name="case_handler_user_idx"),
            models.Index(fields=["handler_team", "status"], name="case_handler_team_idx"),
            models.Index(fields=["reporter", "-created_at"], name="case_reporter_idx"),
            models.Index(fields=["status", "ack_due_at"], name="case_ack_due_idx"),
            models.Index(fields=["status", "fix_due_at"], name="case_fix_due_idx"),
            models.Index(fields=["building", "status"], name="case_building_status_idx"),
            # Measured at town scale (bench_town): the staff list and the handler filter, and the
            # period filters of the three rates.
            models.Index(fields=["community", "-created_at"], name="case_community_created_idx"),
            # The town roles' list (every community, newest first): without it PostgreSQL sorts the whole
            # table, 420 ms at 500,000 cases; with it 0.3 ms (bench_town, "info: town case list").
            models.Index(fields=["-created_at"], name="case_created_idx"),
            models.Index(fields=["community", "handler_user"], name="case_community_handler_idx"),
            models.Index(fields=["dispatched_at"], name="case_dispatched_idx"),
            models.Index(fields=["fix_due_at"], name="case_fix_due_at_idx"),
            # The dashboard's live open and overdue counts read only open cases, a small share.
            models.Index(fields=["community", "status", "ack_due_at", "fix_due_at"], name="case_open_idx",
                         condition=Q(status__in=OPEN_STATUSES)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(reporter__isnull=False) | ~Q(reporter_name=""),
                                   name="case_has_a_reporter"),
            models.CheckConstraint(condition=~Q(status="duplicate") | Q(merged_into__isnull=False),
                                   name="case_duplicate_names_original"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.category}"

    @property
    def number(self):
        return f"{self.created_at:%Y%m%d}-{self.pk:06d}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def place_label(self):
        if self.unit_id:
            return f"{self.unit.building.name} {self.unit.room}"
        if self.building_id:
            return self.building.name
        if self.public_place_id:
            return self.public_place.name
        return self.place_text


class CaseEvent(TimelineEvent):
    """One step of a case's timeline: who did what, when, from which state to which. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("诉求"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("诉求记录")
        verbose_name_plural = _("诉求记录")
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline_idx")]

    def __str__(self):
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class CasePhoto(StoredPhoto):
    upload_folder = "case-photos"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos", verbose_name=_("诉求"))
    event = models.ForeignKey(CaseEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos",
                              verbose_name=_("记录"))

    class Meta(StoredPhoto.Meta):
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")


class CaseRating(models.Model):
    """回访: the reporter's rating once the case is closed."""

    class Score(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating", verbose_name=_("诉求"))
    rater = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("评价人"))
    score = models.CharField(_("评价"), max_length=12, choices=Score.choices)
    reasons = models.JSONField(_("原因"), default=list, blank=True)
    partly_fixed = models.BooleanField(_("只解决了一部分"), default=False)
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("回访评价")
        verbose_name_plural = _("回访评价")
        indexes = [models.Index(fields=["score", "at"], name="case_rating_score_idx"),
                   models.Index(fields=["at"], name="case_rating_at_idx")]


class CaseReferral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("诉求"))
    agency = models.ForeignKey("communities.Agency", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("职能部门"))
    note = models.TextField(_("转办说明"), blank=True)
    referred_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("转办人"))
    at = models.DateTimeField(_("转办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")
        ordering = ["at"]


class PendingPhoto(StoredPhoto):
    """A photo attached to a filing form that came back with an error: kept under the form's ``photo_token``
    (for its uploader only) so that an older resident need not attach it again, until the case is filed (it
    becomes a ``CasePhoto``) or ``expires_at`` (the daily ``purge_pending_photos`` deletes it)."""

    upload_folder = "pending-photos"
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    token = models.CharField(_("表单标识"), max_length=43)
    expires_at = models.DateTimeField(_("保留至"))

    class Meta(StoredPhoto.Meta):
        verbose_name = _("待提交照片")
        verbose_name_plural = _("待提交照片")
        indexes = [models.Index(fields=["token", "uploaded_by"], name="pending_photo_token_idx"),
                   models.Index(fields=["expires_at"], name="pending_photo_expires_idx")]
