"""Parking in 光明村: spaces per village group, villagers' registered vehicles, the fee standards adopted by village
decision (versioned, each linked to a core ``Motion``), and the charges taken at the gate.

RULES.md "Parking in residential estates and villages": on common parts the fee is set by the owners' (here:
villagers') decision and police, fire, ambulance and sanitation vehicles are never charged
(《上海市住宅物业管理规定》第六十一条)."""
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gate import VehicleClass


def natural_key(number: str) -> int:
    """The first run of digits of a space number (2号 → 2, 10号 → 10), so 2号 sorts before 10号."""
    match = re.search(r"\d+", number or "")
    return int(match.group()) if match else 0


class ParkingSpace(models.Model):
    community_path = "community"

    class Kind(models.TextChoices):
        VILLAGER = "villager", _("村民车位")
        PUBLIC = "public", _("公共车位")
        VISITOR = "visitor", _("访客车位")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("村"))
    village_group = models.ForeignKey("communities.VillageGroup", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("村民小组"))
    number = models.CharField(_("车位号"), max_length=20)
    sort_key = models.PositiveIntegerField(default=0, editable=False)
    kind = models.CharField(_("车位类别"), max_length=10, choices=Kind.choices, default=Kind.VILLAGER)

    class Meta:
        verbose_name = _("车位")
        verbose_name_plural = _("车位")
        ordering = ["village_group__name", "sort_key", "number"]
        constraints = [models.UniqueConstraint(fields=["village_group", "number"], name="uniq_parking_space")]

    def save(self, *args, **kwargs):
        self.sort_key = natural_key(self.number)
        if kwargs.get("update_fields") is not None and "number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.village_group.name} {self.number}"


class Vehicle(models.Model):
    """A registered vehicle: a villager household's (free, 白名单) or an exempt service vehicle (警车 …)."""
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("村"))
    unit = models.ForeignKey("communities.Unit", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("住户"))
    plate = models.CharField(_("车牌号"), max_length=10)
    vehicle_class = models.CharField(_("车辆类别"), max_length=12, choices=VehicleClass.choices,
                                     default=VehicleClass.CAR)
    owner_note = models.CharField(_("说明"), max_length=100, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("登记人"))
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("登记车辆")
        verbose_name_plural = _("登记车辆")
        ordering = ["plate"]
        constraints = [models.UniqueConstraint(fields=["community", "plate"], name="uniq_vehicle_plate")]

    def __str__(self):
        return self.plate


class FeeStandard(models.Model):
    """收费标准, one version. It takes effect only once its motion is adopted by a villagers' (representatives')
    meeting (``communities.selectors.elections.motion_adopted``), from ``effective_from``."""
    community_path = "community"

    class CapMode(models.TextChoices):
        CALENDAR = "calendar", _("按自然日封顶")
        HOURS_24 = "24h", _("按入场起每24小时封顶")

    class CrossDay(models.TextChoices):
        CONTINUE = "continue", _("跨日连续计费")
        RESTART = "restart", _("跨日按新入场重新计费（免费时长与首段重新起算）")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("村"))
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=100, default=_("临时停车收费标准"))
    motion = models.ForeignKey("communities.Motion", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("表决议题"))
    effective_from = models.DateTimeField(_("生效时间"))
    free_minutes = models.PositiveIntegerField(_("免费时长(分钟)"), default=60)
    first_block_minutes = models.PositiveIntegerField(_("首段时长(分钟)"), default=0)
    first_block_price = models.DecimalField(_("首段价格(元)"), max_digits=8, decimal_places=2, default=0)
    daily_cap = models.DecimalField(_("每日封顶(元)"), max_digits=8, decimal_places=2, null=True, blank=True)
    cap_mode = models.CharField(_("封顶方式"), max_length=10, choices=CapMode.choices, default=CapMode.CALENDAR)
    cross_day = models.CharField(_("跨日规则"), max_length=10, choices=CrossDay.choices, default=CrossDay.CONTINUE)
    grace_minutes = models.PositiveIntegerField(_("付费后离场宽限(分钟)"), default=15)
    plates_per_household = models.PositiveSmallIntegerField(_("每户可登记车辆数"), default=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("起草人"))
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)

    class Meta:
        verbose_name = _("收费标准")
        verbose_name_plural = _("收费标准")
        ordering = ["community", "-version"]
        constraints = [models.UniqueConstraint(fields=["community", "version"], name="uniq_fee_standard_version")]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def as_standard(self):
        """The plain frozen value the fee function takes (bands must be prefetched or are loaded here)."""
        from ..parking_fee import Band, Standard

        return Standard(
            version=self.version, free_minutes=self.free_minutes, first_block_minutes=self.first_block_minutes,
            first_block_price=self.first_block_price, daily_cap=self.daily_cap, cap_mode=self.cap_mode,
            cross_day=self.cross_day, grace_minutes=self.grace_minutes,
            bands=tuple(Band(b.start, b.end, b.unit_minutes, b.unit_price, b.cap) for b in self.bands.all()))


class FeeBand(models.Model):
    standard = models.ForeignKey(FeeStandard, on_delete=models.CASCADE, related_name="bands",
                                 verbose_name=_("收费标准"))
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"), help_text=_("早于或等于开始时间表示跨过午夜"))
    unit_minutes = models.PositiveIntegerField(_("计费单位(分钟)"), default=60)
    unit_price = models.DecimalField(_("每单位价格(元)"), max_digits=8, decimal_places=2)
    cap = models.DecimalField(_("本时段封顶(元)"), max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("收费时段")
        verbose_name_plural = _("收费时段")
        ordering = ["standard", "start", "id"]
        constraints = [models.CheckConstraint(condition=Q(unit_minutes__gte=1), name="fee_band_unit_positive")]


class ParkingCharge(models.Model):
    """A fee computed at the gate for one stay (from ``charged_from`` to ``charged_until``) with the standard
    version it used, and its payment once taken (method, who took it, the receipt number)."""
    community_path = "entry__community"

    class Method(models.TextChoices):
        CASH = "cash", _("现金")
        WECHAT = "wechat", _("微信")

    entry = models.ForeignKey("propertyservice.GateEntry", on_delete=models.CASCADE, related_name="charges",
                              verbose_name=_("门岗登记"))
    standard = models.ForeignKey(FeeStandard, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("收费标准"))
    standard_version = models.PositiveIntegerField(_("标准版本"))
    amount = models.DecimalField(_("金额(元)"), max_digits=8, decimal_places=2)
    breakdown = models.JSONField(_("计费明细"), default=list)
    charged_until = models.DateTimeField(_("计费截止"))
    leaving = models.BooleanField(_("离场结算"), default=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("计费人"))
    computed_at = models.DateTimeField(_("计费时间"), default=timezone.now)
    method = models.CharField(_("付款方式"), max_length=10, choices=Method.choices, blank=True)
    paid_at = models.DateTimeField(_("收款时间"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("收款人"))
    number = models.CharField(_("收据号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("停车收费")
        verbose_name_plural = _("停车收费")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["paid_at"], name="parking_charge_paid_idx")]
        constraints = [
            # One unpaid charge per stay: a second tap on 离开 shows the same charge.
            models.UniqueConstraint(fields=["entry"], condition=Q(paid_at__isnull=True),
                                    name="uniq_parking_charge_unpaid"),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="uniq_parking_receipt"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="parking_charge_not_negative"),
        ]

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None
