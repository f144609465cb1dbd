"""Services by appointment (预约服务): a studio's free services with bookable slots — the photographer's free ID
photos (免费证件照), a host's consultation where the host is qualified. A resident books a slot, the host confirms,
a reminder goes out the day before, and the host records a no-show once the slot has begun.

Volunteer services are free (《志愿服务条例》 art. 19 and RULES.md, studios and classes): a service here never
carries a price, and the database refuses one marked otherwise."""
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StudioService(models.Model):
    community_path = "studio__team__community"  # how the policy (communities.policy) reaches its community

    class Qualification(models.TextChoices):
        """What the service needs the studio to be allowed to offer (talents.selectors.studios.may_offer)."""
        NONE = "", _("无需资质")
        CONSULTATION = "consultation", _("健康咨询（需登记资质）")
        TREATMENT = "treatment", _("针灸治疗（需执业中医师资格）")

    studio = models.ForeignKey("talents.Studio", on_delete=models.CASCADE, related_name="services",
                               verbose_name=_("工作室"))
    title = models.CharField(_("服务名称"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    needs_qualification = models.CharField(_("所需资质"), max_length=20, choices=Qualification.choices, blank=True,
                                           default=Qualification.NONE)
    duration_minutes = models.PositiveSmallIntegerField(_("每次时长(分钟)"), default=15)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    active = models.BooleanField(_("开放预约"), default=True)
    # Always true: kept as a column so that the rule is visible in the data and enforced by the database.
    free = models.BooleanField(_("免费"), default=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("预约服务")
        verbose_name_plural = _("预约服务")
        ordering = ["studio", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "title"], name="uniq_studio_service_title"),
            models.CheckConstraint(condition=Q(free=True), name="studio_service_is_free"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=5, duration_minutes__lte=240),
                                   name="studio_service_duration"),
        ]

    def __str__(self):
        return self.title


class ServiceSlot(models.Model):
    community_path = "service__studio__team__community"

    service = models.ForeignKey(StudioService, on_delete=models.CASCADE, related_name="slots",
                                verbose_name=_("服务"))
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    capacity = models.PositiveSmallIntegerField(_("名额"), default=1)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="uniq_service_slot_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="service_slot_ends_after"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=50), name="service_slot_capacity"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="service_slot_start_idx")]

    def __str__(self):
        return f"{self.service} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("未到场")
    DONE = "done", _("已完成")


# The bookings that hold a place in their slot.
HOLDING = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)


class ServiceBooking(models.Model):
    community_path = "slot__service__studio__team__community"
    Status = BookingStatus

    slot = models.ForeignKey(ServiceSlot, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("时段"))
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="service_bookings",
                             verbose_name=_("预约人"))
    status = models.CharField(_("状态"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("预约时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认人"))
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    outcome_at = models.DateTimeField(_("到场记录时间"), null=True, blank=True)
    outcome_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("服务预约")
        verbose_name_plural = _("服务预约")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # One booking per person per slot; a cancelled one leaves room to book again.
            models.UniqueConstraint(fields=["slot", "user"], condition=~Q(status="cancelled"),
                                    name="uniq_live_service_booking"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="service_booking_user_idx")]

    def __str__(self):
        return f"{self.slot} · {self.user}"

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDING
