"""The volunteer-hours record (志愿服务记录) and its certificates (志愿服务证明), kept in the core because 郡园's
mothers and studios, 光明村's volunteer team, 蓉庭's duty landlords and the Party layer all use them.

Rules (RULES.md "Volunteers and their hours"; 《志愿服务条例》 arts. 19–21, 民政部令第67号 arts. 3–4):
- 谁组织谁记录: ``community`` (and ``team`` when a squad or team organised it) is the organiser that records
  and certifies; hours are actual service minutes, travel excluded, confirmed by the organiser or the person
  served (``confirmed_by`` / ``confirmed_how``).
- Nothing is edited away. A correction is a NEW row (``corrects`` → the row it replaces, ``reason``
  required); the replaced row's status becomes superseded. Only the status and its confirmation move after a
  row is written, by the services in ``communities.services.hours``, each move with a ``VolunteerHoursEvent``.
- Platform totals are records (平台记录), not certificates: only a ``VolunteerCertificate`` the committee
  issues, numbered from its register after at least 7 days' notice inside the unit, is a 证明.
"""
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import TimelineEvent

# The fields of a VolunteerHours row that may change after it is written: its status and its confirmation.
HOURS_MUTABLE_FIELDS = frozenset({"status", "confirmed_by", "confirmed_how", "confirmed_at"})
# Where a row came from when it is not an app's or the core's object: typed in by staff, or a correction.
SOURCE_MANUAL = "manual"
SOURCE_CORRECTION = "correction"
SOURCE_SHIFT = "communities.shift"


class VolunteerHoursQuerySet(models.QuerySet):
    def update(self, **kwargs):
        fixed = set(kwargs) - HOURS_MUTABLE_FIELDS
        if fixed:
            raise RuntimeError(f"VolunteerHours fields {sorted(fixed)} are never edited: record a correction")
        return super().update(**kwargs)

    def delete(self):
        raise RuntimeError("VolunteerHours rows are never deleted: record a correction")

    def current(self):
        """Rows that no correction replaced (of any status)."""
        return self.exclude(status=VolunteerHours.Status.SUPERSEDED)

    def counted(self):
        """What totals count: current rows that are recorded (已记录)."""
        return self.filter(status=VolunteerHours.Status.RECORDED)


class VolunteerHours(models.Model):
    """One entry of a volunteer's service."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Status(models.TextChoices):
        RECORDED = "recorded", _("已记录")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("待确认")
        AWAITING_REVIEW = "awaiting_review", _("待审核")
        REJECTED = "rejected", _("未通过")
        SUPERSEDED = "superseded", _("已更正")

    class How(models.TextChoices):
        CHECK_IN_OUT = "check_in_out", _("签到签退")
        ORGANISER = "organiser", _("组织方确认")
        SERVED = "served", _("服务对象确认")
        TEACHER = "teacher", _("带教老师确认")

    volunteer = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="volunteer_hours",
                                  verbose_name=_("志愿者"), db_index=False)
    # 谁组织谁记录: the organiser that records (and certifies) this service.
    community = models.ForeignKey("communities.Community", on_delete=models.PROTECT, related_name="volunteer_hours",
                                  verbose_name=_("组织单位"), db_index=False)
    team = models.ForeignKey("communities.Team", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="volunteer_hours", verbose_name=_("组织队伍"))
    activity = models.CharField(_("服务项目"), max_length=200)
    place = models.CharField(_("服务地点"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("服务开始时间"))
    ends_at = models.DateTimeField(_("服务结束时间"))
    # Actual service minutes, travel excluded.
    minutes = models.PositiveIntegerField(_("服务时长(分钟)"))
    scheduled_minutes = models.PositiveIntegerField(_("排定时长(分钟)"), null=True, blank=True)
    source_kind = models.CharField(_("来源"), max_length=50)
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=25, choices=Status.choices, default=Status.RECORDED)
    confirmed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认人"))
    confirmed_how = models.CharField(_("确认方式"), max_length=20, choices=How.choices, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    entered_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name=_("更正的记录"))
    reason = models.TextField(_("更正原因"), blank=True)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = VolunteerHoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # One source is recorded once per volunteer: recording it again changes nothing. Manual entries
            # have no source id; corrections repeat their original's source and are left out.
            models.UniqueConstraint(fields=["source_kind", "source_id", "volunteer"],
                                    condition=Q(source_id__isnull=False, corrects__isnull=True),
                                    name="uniq_hours_source"),
            # A row is replaced once; a later correction corrects the replacement.
            models.UniqueConstraint(fields=["corrects"], condition=Q(corrects__isnull=False),
                                    name="uniq_hours_correction"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="hours_ends_after"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="hours_minutes_positive"),
            models.CheckConstraint(condition=Q(corrects__isnull=True) | ~Q(reason=""), name="hours_correction_reason"),
        ]
        indexes = [
            models.Index(fields=["volunteer", "starts_at"], name="hours_volunteer_idx"),
            models.Index(fields=["community", "status", "starts_at"], name="hours_community_idx"),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.activity} {self.minutes}′"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None or set(fields) - HOURS_MUTABLE_FIELDS:
                raise RuntimeError("VolunteerHours rows are never edited: record a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("VolunteerHours rows are never deleted: record a correction")

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.SUPERSEDED


class VolunteerHoursEvent(TimelineEvent):
    """One step of an entry's life: recorded, confirmed, approved, rejected, corrected, correction asked."""
    community_path = "entry__community"

    entry = models.ForeignKey(VolunteerHours, on_delete=models.CASCADE, related_name="events",
                              verbose_name=_("志愿服务记录"))

    ACTION_LABELS = {
        "record": _("记录"), "enter": _("手工录入"), "confirm": _("确认"), "approve": _("审核通过"),
        "reject": _("审核不通过"), "correct": _("更正"), "superseded": _("被更正"),
        "correction_request": _("申请更正"), "correction_declined": _("答复不更正"),
    }

    class Meta(TimelineEvent.Meta):
        verbose_name = _("志愿服务记录变动")
        verbose_name_plural = _("志愿服务记录变动")

    @property
    def action_label(self):
        return self.ACTION_LABELS.get(self.action, self.action)


class HoursCorrectionRequest(models.Model):
    """A volunteer asks to correct an entry (《志愿服务记录与证明出具办法》: fixed promptly, history kept)."""
    community_path = "entry__community"

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        CORRECTED = "corrected", _("已更正")
        DECLINED = "declined", _("未更正")

    entry = models.ForeignKey(VolunteerHours, on_delete=models.PROTECT, related_name="correction_requests",
                              verbose_name=_("志愿服务记录"))
    requested_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("申请人"))
    message = models.TextField(_("更正说明"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("处理人"))
    handled_note = models.TextField(_("处理说明"), blank=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)

    class Meta:
        verbose_name = _("志愿时长更正申请")
        verbose_name_plural = _("志愿时长更正申请")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=Q(status="open"), name="uniq_open_hours_request"),
        ]

    def __str__(self):
        return f"{self.entry} · {self.get_status_display()}"


class CertificateCounter(models.Model):
    """The certificate register's last number, per community and year: locked while a number is given, so
    two issues at once take consecutive numbers and a rolled-back issue leaves no gap."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"), db_index=False)
    year = models.PositiveSmallIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用编号"), default=0)

    class Meta:
        verbose_name = _("证明编号登记")
        verbose_name_plural = _("证明编号登记")
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="uniq_certificate_counter")]


class VolunteerCertificate(models.Model):
    """志愿服务证明: the one document that certifies hours, issued by the organiser after 7 days' notice."""
    community_path = "community"

    class Status(models.TextChoices):
        NOTICE = "notice", _("公示中")
        ISSUED = "issued", _("已出具")
        VOID = "void", _("作废")

    community = models.ForeignKey("communities.Community", on_delete=models.PROTECT, related_name="certificates",
                                  verbose_name=_("出具单位"))
    volunteer = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="certificates",
                                  verbose_name=_("志愿者"))
    volunteer_name = models.CharField(_("志愿者姓名"), max_length=50)
    period_from = models.DateField(_("服务期间自"))
    period_to = models.DateField(_("服务期间至"))
    total_minutes = models.PositiveIntegerField(_("服务时长(分钟)"))
    content = models.TextField(_("服务内容"))
    issuer_name = models.CharField(_("出具单位名称"), max_length=100)
    person_in_charge = models.CharField(_("负责人"), max_length=50)
    handler = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("经办人"))
    handler_name = models.CharField(_("经办人姓名"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    notice_starts_on = models.DateField(_("公示开始日期"))
    # Given from the register when the certificate is issued.
    year = models.PositiveSmallIntegerField(_("编号年份"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("登记序号"), null=True, blank=True)
    number = models.CharField(_("证明编号"), max_length=60, blank=True)
    issued_on = models.DateField(_("出具日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.NOTICE)
    void_reason = models.TextField(_("作废原因"), blank=True)
    voided_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("作废人"))
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("志愿服务证明")
        verbose_name_plural = _("志愿服务证明")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="uniq_certificate_number"),
            models.UniqueConstraint(fields=["community", "year", "serial"], condition=Q(serial__isnull=False),
                                    name="uniq_certificate_serial"),
            # One certificate in notice per volunteer and organiser at a time.
            models.UniqueConstraint(fields=["community", "volunteer"], condition=Q(status="notice"),
                                    name="uniq_certificate_in_notice"),
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="certificate_period_order"),
            models.CheckConstraint(condition=~Q(status="issued") | (Q(issued_on__isnull=False) & ~Q(number="")),
                                   name="certificate_issued_numbered"),
            models.CheckConstraint(condition=~Q(status="void") | ~Q(void_reason=""), name="certificate_void_reason"),
        ]

    def __str__(self):
        return self.number or f"{self.volunteer_name} ({self.get_status_display()})"

    @property
    def hours(self) -> float:
        return round(self.total_minutes / 60, 2)
