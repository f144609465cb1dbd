"""门岗登记 (the gate log) and the village's cameras (监控设备) as equipment.

A ``GateEntry`` is one visitor on foot or one outside vehicle coming in: entry time, exit time, the plate for a
vehicle, whom they visit (a house or village group, free text) and why. A vehicle's entry also keeps the fee
standard in force at entry (``standard``) and whether it was free (whitelisted villager, exempt class); its
charges are ``ParkingCharge`` rows (models/parking.py). Cameras are equipment records only: never footage or
faces."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VehicleClass(models.TextChoices):
    CAR = "car", _("小型客车")
    TRUCK = "truck", _("货车")
    POLICE = "police", _("警车")
    FIRE = "fire", _("消防车")
    AMBULANCE = "ambulance", _("救护车")
    SANITATION = "sanitation", _("环卫车")


EXEMPT = frozenset({VehicleClass.POLICE, VehicleClass.FIRE, VehicleClass.AMBULANCE, VehicleClass.SANITATION})


class GateEntry(models.Model):
    community_path = "community"

    class Kind(models.TextChoices):
        VISITOR = "visitor", _("访客")
        VEHICLE = "vehicle", _("外来车辆")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("村"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    plate = models.CharField(_("车牌号"), max_length=10, blank=True)
    vehicle_class = models.CharField(_("车辆类别"), max_length=12, choices=VehicleClass.choices, blank=True)
    whitelisted = models.BooleanField(_("村民登记车辆"), default=False)
    visiting = models.CharField(_("走访对象"), max_length=100, blank=True, help_text=_("例如：丁钱组12号、施杨组"))
    reason = models.CharField(_("事由"), max_length=100, blank=True)
    entered_at = models.DateTimeField(_("入场时间"), default=timezone.now)
    exited_at = models.DateTimeField(_("离场时间"), null=True, blank=True)
    # The standard in force at entry: the fee is always computed with it, even if a new version is adopted later.
    standard = models.ForeignKey("propertyservice.FeeStandard", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="entries", verbose_name=_("入场时收费标准"))
    paid_until = models.DateTimeField(_("已付费至"), null=True, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("登记人"))
    exited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("放行人"))

    class Meta:
        verbose_name = _("门岗登记")
        verbose_name_plural = _("门岗登记")
        ordering = ["-entered_at", "-id"]
        indexes = [models.Index(fields=["community", "exited_at"], name="gate_open_idx"),
                   models.Index(fields=["community", "entered_at"], name="gate_entered_idx")]
        constraints = [
            # One open entry per plate: a second tap on 登记 is the same car, not a second one.
            models.UniqueConstraint(fields=["community", "plate"], condition=Q(exited_at__isnull=True) & ~Q(plate=""),
                                    name="uniq_gate_open_plate"),
            models.CheckConstraint(condition=Q(exited_at__isnull=True) | Q(exited_at__gte=models.F("entered_at")),
                                   name="gate_exit_after_entry"),
        ]

    def __str__(self):
        return self.plate or self.visiting or str(self.get_kind_display())

    @property
    def exempt(self) -> bool:
        return self.vehicle_class in EXEMPT

    @property
    def is_open(self) -> bool:
        return self.exited_at is None


class Camera(models.Model):
    """A camera as equipment: where it is, who maintains it, when it was last checked and is next due."""
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("村"))
    place = models.CharField(_("安装位置"), max_length=100)
    maintainer = models.CharField(_("维护单位或人员"), max_length=100)
    last_checked_on = models.DateField(_("上次检查"), null=True, blank=True)
    next_check_due = models.DateField(_("下次检查"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("监控设备")
        verbose_name_plural = _("监控设备")
        ordering = ["place", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "place"], name="uniq_camera_place")]

    def __str__(self):
        return self.place
