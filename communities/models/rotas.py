"""Duty rotas (定期轮流值班, 值班巡逻, 宝妈轮流): who is on duty when, and what happened on each shift.

A rota has members in order (optionally in groups that are on duty together) and a pattern of slots;
the generator (communities.services.rota_generation) turns the pattern into Shift rows for a rolling
horizon. The unique key (rota, slot, starts_at) is the generation's idempotency key.
"""
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Qualification(models.Model):
    """A training a member must hold to take a rota's shifts (专业培训 / 岗位要求)."""

    # No index of its own: the unique (community, name) starts with it (the foreign key itself stays).
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="qualifications",
                                  verbose_name=_("社区"), db_index=False)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("资质")
        verbose_name_plural = _("资质")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_qualification_name")]

    def __str__(self):
        return self.name


class MemberQualification(models.Model):
    # No index of its own: the unique (user, qualification) starts with it.
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="qualifications",
                             verbose_name=_("用户"), db_index=False)
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="holders",
                                      verbose_name=_("资质"))
    # Valid through this day; empty means it does not expire.
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员资质")
        verbose_name_plural = _("成员资质")
        constraints = [models.UniqueConstraint(fields=["user", "qualification"], name="uniq_member_qualification")]

    def __str__(self):
        return f"{self.user} · {self.qualification}"

    def valid_on(self, day) -> bool:
        return self.expires_on is None or self.expires_on >= day


class Rota(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Kind(models.TextChoices):
        MEDIATION_ROOM = "mediation_room", _("调解室值班")
        PATROL = "patrol", _("巡逻")
        GARBAGE = "garbage", _("垃圾清运")
        GREENING = "greening", _("绿化保洁")
        SECURITY = "security", _("24小时安保")
        TEACHING = "teaching", _("志愿授课")
        OTHER = "other", _("其他")

    # No index of its own: the unique (community, name) starts with it.
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="rotas",
                                  verbose_name=_("社区"), db_index=False)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    manager = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="managed_rotas", verbose_name=_("负责人"))
    required_qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="rotas", verbose_name=_("所需资质"))
    horizon_weeks = models.PositiveSmallIntegerField(_("提前排班周数"), default=4,
                                                     validators=[MinValueValidator(1), MaxValueValidator(26)])
    active = models.BooleanField(_("启用"), default=True)
    # 宝妈轮流: at most this many children per adult on duty (empty: no ratio). A shift whose expected
    # children exceed it alerts the manager (communities.services.rota_ratio).
    children_per_adult = models.PositiveSmallIntegerField(
        _("每名成人最多照看儿童数"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("师生比，例如填 6 表示 1:6；留空表示不限。"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("值班表")
        verbose_name_plural = _("值班表")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_rota_name")]

    def __str__(self):
        return self.name


class RotaMember(models.Model):
    # No index of its own: the unique (rota, user) starts with it.
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="members", verbose_name=_("值班表"),
                             db_index=False)
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="rota_memberships",
                             verbose_name=_("成员"))
    order = models.PositiveIntegerField(_("顺序"), default=0)
    # Members with the same group label are on duty together.
    group = models.CharField(_("小组"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("值班成员")
        verbose_name_plural = _("值班成员")
        ordering = ["rota", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["rota", "user"], name="uniq_rota_member")]

    def __str__(self):
        return f"{self.rota} · {self.user}"


class RotaSlot(models.Model):
    """One line of a rota's pattern: weekdays (or an RRULE) with a start and end time and a head count.

    An end time at or before the start time means the shift ends the next day (night patrol).
    """

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="slots", verbose_name=_("值班表"))
    # Monday = 0 … Sunday = 6; ignored when rrule is set.
    weekdays = models.JSONField(_("星期"), default=list, blank=True)
    rrule = models.CharField(_("重复规则(RRULE)"), max_length=300, blank=True,
                             help_text=_("例如 FREQ=MONTHLY;BYDAY=1TU，留空则按所选星期"))
    starts_on = models.DateField(_("起始日期"), default=timezone.localdate)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    people = models.PositiveSmallIntegerField(_("每班人数"), default=1,
                                              validators=[MinValueValidator(1), MaxValueValidator(20)])

    class Meta:
        verbose_name = _("班次规则")
        verbose_name_plural = _("班次规则")
        ordering = ["rota", "start_time", "id"]

    def __str__(self):
        return f"{self.rota} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def describe(self) -> str:
        """When it repeats, in the reader's language: "每周二 19:00–21:00", "每月第一个周二 19:00–21:00"."""
        from ..recurrence import describe, describe_weekdays

        when = describe(self.rrule) if self.rrule else describe_weekdays(self.weekdays)
        return f"{when} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Leave(models.Model):
    """Leave or unavailability: the generator puts nobody on a shift that overlaps it."""

    # No index of its own: leave_user_end_idx (user, ends_at) starts with it.
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="leaves",
                             verbose_name=_("用户"), db_index=False)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["user", "starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="leave_ends_after")]
        indexes = [models.Index(fields=["user", "ends_at"], name="leave_user_end_idx")]

    def __str__(self):
        return f"{self.user} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class Shift(models.Model):
    community_path = "rota__community"  # how the policy (communities.policy) reaches its community
    # Indexes are few on purpose: a year of 200 rotas is 219,000 rows, and every index slows the bulk insert.
    # The unique key (rota, starts_at, slot) serves lookups by rota; slots are looked up only when one is removed.
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("值班表"),
                             db_index=False)
    # Past shifts outlive the slot that made them: they are history.
    slot = models.ForeignKey(RotaSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts",
                             verbose_name=_("班次规则"), db_index=False)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    people = models.PositiveSmallIntegerField(_("所需人数"), default=1)
    gap_alerted_at = models.DateTimeField(_("缺岗提醒时间"), null=True, blank=True)
    # How many children the rota manager expects at this session (宝妈轮流); empty: not known.
    children_expected = models.PositiveSmallIntegerField(_("预计儿童人数"), null=True, blank=True)
    # The stored guard of the ratio alert: set when the manager was told of a breach, cleared when the
    # shift is back within the ratio, so each breach is told once.
    ratio_alerted_at = models.DateTimeField(_("师生比提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at", "id"]
        constraints = [
            # The generation's idempotency key: running it twice creates nothing the second time.
            models.UniqueConstraint(fields=["rota", "starts_at", "slot"], name="uniq_shift_rota_start_slot"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after"),
        ]
        # Reminders, gaps and missed shifts scan a window of starts_at across rotas.
        indexes = [models.Index(fields=["starts_at"], name="shift_start_idx")]

    def __str__(self):
        return f"{self.rota} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def community_id(self):
        return self.rota.community_id

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class ShiftAssignment(models.Model):
    community_path = "shift__rota__community"  # how the policy (communities.policy) reaches its community
    # Covered by the unique (shift, user) and the (user, shift) index: no single-column indexes.
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("班次"),
                              db_index=False)
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="shift_assignments",
                             verbose_name=_("值班人"), db_index=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    missed_at = models.DateTimeField(_("缺勤标记时间"), null=True, blank=True)
    reminded_day_before_at = models.DateTimeField(_("提前一天提醒时间"), null=True, blank=True)
    reminded_2h_at = models.DateTimeField(_("提前两小时提醒时间"), null=True, blank=True)
    swapped = models.BooleanField(_("已换班"), default=False)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["shift__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="uniq_shift_assignee"),
            models.CheckConstraint(condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                                   name="assignment_out_after_in"),
        ]
        indexes = [models.Index(fields=["user", "shift"], name="assignment_user_idx")]

    def __str__(self):
        return f"{self.shift} · {self.user}"

    @property
    def community_id(self):
        return self.shift.rota.community_id


class SwapOffer(models.Model):
    """A member offers their shift; another qualified member who is free then takes it."""
    community_path = "assignment__shift__rota__community"  # how the policy (communities.policy) reaches its community

    class Status(models.TextChoices):
        OPEN = "open", _("待接班")
        TAKEN = "taken", _("已有人接班")
        WITHDRAWN = "withdrawn", _("已撤回")

    assignment = models.ForeignKey(ShiftAssignment, on_delete=models.CASCADE, related_name="swap_offers",
                                   verbose_name=_("值班安排"))
    offered_by = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("换出人"))
    taken_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("接班人"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(_("换班原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("换班")
        verbose_name_plural = _("换班")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(status="open"), name="uniq_open_swap_offer"),
        ]
        indexes = [models.Index(fields=["status", "assignment"], name="swap_status_idx")]

    def __str__(self):
        return f"{self.assignment} ({self.get_status_display()})"

    @property
    def community_id(self):
        return self.assignment.shift.rota.community_id


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeedToken(models.Model):
    """The secret in a person's iCal feed URL; revoking it makes the old URL answer 404."""

    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="calendar_tokens",
                             verbose_name=_("用户"))
    token = models.CharField(_("密钥"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅链接")
        verbose_name_plural = _("日历订阅链接")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="uniq_live_feed_token"),
        ]

    def __str__(self):
        return f"{self.user} ({'revoked' if self.revoked_at else 'live'})"
