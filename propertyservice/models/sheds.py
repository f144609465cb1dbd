"""E-bike charging sheds (电动自行车集中充电棚), their ports, charging sessions and daily safety checks; flying-wire
charging reports (飞线充电); the villagers' suggestion box (村民意见箱).

Everything here is a record entered by staff or imported from the vendor's file: the app never switches a port,
reads a meter or controls any hardware (RULES.md "E-bike sheds"). Prices are shown as the electricity price and
the service fee separately, as 发改办价格〔2024〕537号 requires from 2025."""
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChargingShed(models.Model):
    """A charging shed (充电棚) and its price board (one price board per shed)."""
    community_path = "community"

    class State(models.TextChoices):
        OK = "ok", _("正常")
        FAULT = "fault", _("故障")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="charging_sheds",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=50)
    village_group = models.ForeignKey("communities.VillageGroup", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="charging_sheds", verbose_name=_("村民小组"))
    place = models.CharField(_("位置"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OK)
    # The price board: electricity and the service fee shown separately (发改办价格〔2024〕537号).
    electricity_price = models.DecimalField(_("电费(元/千瓦时)"), max_digits=6, decimal_places=3,
                                            validators=[MinValueValidator(0)])
    service_fee_per_kwh = models.DecimalField(_("服务费(元/千瓦时)"), max_digits=6, decimal_places=3, null=True,
                                              blank=True, validators=[MinValueValidator(0)])
    service_fee_per_block = models.DecimalField(_("服务费(元/时段)"), max_digits=6, decimal_places=2, null=True,
                                                blank=True, validators=[MinValueValidator(0)])
    block_hours = models.PositiveSmallIntegerField(_("每时段小时数"), null=True, blank=True)
    price_note = models.CharField(_("价格说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("充电棚")
        verbose_name_plural = _("充电棚")
        ordering = ["community", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="uniq_charging_shed_name"),
            models.CheckConstraint(condition=Q(service_fee_per_block__isnull=True) | Q(block_hours__gte=1),
                                   name="shed_block_needs_hours"),
        ]

    def __str__(self):
        return self.name

    @property
    def bills_by_time(self) -> bool:
        return self.service_fee_per_block is not None and bool(self.block_hours)


class ChargingPort(models.Model):
    community_path = "shed__community"

    class State(models.TextChoices):
        FREE = "free", _("空闲")
        CHARGING = "charging", _("充电中")
        FAULT = "fault", _("故障")

    shed = models.ForeignKey(ChargingShed, on_delete=models.CASCADE, related_name="ports", verbose_name=_("充电棚"))
    number = models.PositiveSmallIntegerField(_("端口号"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.FREE)

    class Meta:
        verbose_name = _("充电端口")
        verbose_name_plural = _("充电端口")
        ordering = ["shed", "number"]
        constraints = [models.UniqueConstraint(fields=["shed", "number"], name="uniq_charging_port_number")]

    def __str__(self):
        return f"{self.shed.name} {self.number}号"


class ChargingSession(models.Model):
    """One charge: entered by staff (start, then stop) or imported from the vendor's file (complete)."""
    community_path = "shed__community"

    class Source(models.TextChoices):
        STAFF = "staff", _("工作人员登记")
        IMPORT = "import", _("运营商导入")

    shed = models.ForeignKey(ChargingShed, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("充电棚"))
    port = models.ForeignKey(ChargingPort, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("端口"))
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    kwh = models.DecimalField(_("电量(千瓦时)"), max_digits=7, decimal_places=3, null=True, blank=True,
                              validators=[MinValueValidator(0)])
    electricity_fee = models.DecimalField(_("电费(元)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    service_fee = models.DecimalField(_("服务费(元)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.STAFF)
    vendor_session_id = models.CharField(_("运营商订单号"), max_length=64, blank=True)
    entered_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("充电记录")
        verbose_name_plural = _("充电记录")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["shed", "vendor_session_id"], condition=~Q(vendor_session_id=""),
                                    name="uniq_charging_vendor_session"),
            # One open (not yet stopped) session per port.
            models.UniqueConstraint(fields=["port"], condition=Q(ended_at__isnull=True), name="uniq_open_session_port"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gt=models.F("started_at")),
                                   name="charging_session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["shed", "started_at"], name="charging_session_shed_idx")]

    @property
    def total_fee(self) -> Decimal:
        return self.electricity_fee + self.service_fee


class SafetyCheck(models.Model):
    """The daily safety check of one shed (每日安全检查): one per shed per day."""
    community_path = "shed__community"
    ITEMS = ("smoke_detector", "sprinkler", "camera", "extinguisher")

    shed = models.ForeignKey(ChargingShed, on_delete=models.CASCADE, related_name="checks", verbose_name=_("充电棚"))
    day = models.DateField(_("日期"))
    smoke_detector = models.BooleanField(_("烟感正常"))
    sprinkler = models.BooleanField(_("喷淋正常"))
    camera = models.BooleanField(_("监控正常"))
    extinguisher = models.BooleanField(_("灭火器正常"))
    fault_port = models.ForeignKey(ChargingPort, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("故障端口"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    checked_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("检查人"))
    checked_at = models.DateTimeField(_("检查时间"))
    case = models.ForeignKey("communities.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("故障工单"))

    class Meta:
        verbose_name = _("充电棚安全检查")
        verbose_name_plural = _("充电棚安全检查")
        ordering = ["-day", "shed"]
        constraints = [models.UniqueConstraint(fields=["shed", "day"], name="uniq_safety_check_day")]

    @property
    def passed(self) -> bool:
        return all(getattr(self, item) for item in self.ITEMS) and self.fault_port_id is None

    @property
    def faults(self) -> list:
        return [self._meta.get_field(item).verbose_name for item in self.ITEMS if not getattr(self, item)]


class FlyingWireReport(models.Model):
    """A flying wire (飞线充电) seen by a patrol or a villager; it is filed as a core case. ``place_key`` names the
    place for the repeat count (the house if given, else the village group and the place text)."""
    community_path = "community"

    class Channel(models.TextChoices):
        PATROL = "patrol", _("巡查发现")
        VILLAGER = "villager", _("村民反映")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    village_group = models.ForeignKey("communities.VillageGroup", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("村民小组"))
    unit = models.ForeignKey("communities.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("房屋"))
    place_text = models.CharField(_("具体位置"), max_length=200, blank=True)
    place_key = models.CharField(max_length=240, editable=False)
    place_label = models.CharField(_("地点"), max_length=300)
    repeat_number = models.PositiveSmallIntegerField(_("第几次"), default=1)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    reported_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("报告人"))
    reported_at = models.DateTimeField(_("报告时间"))
    case = models.ForeignKey("communities.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("工单"))

    class Meta:
        verbose_name = _("飞线充电报告")
        verbose_name_plural = _("飞线充电报告")
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["community", "place_key", "reported_at"], name="flying_wire_place_idx")]


class Suggestion(models.Model):
    """A villager's suggestion (村民意见箱). ``anonymous`` hides the author from other villagers, never from staff."""
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    author = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("提出人"))
    text = models.TextField(_("意见建议"), max_length=2000)
    anonymous = models.BooleanField(_("对其他村民匿名"), default=False)
    created_at = models.DateTimeField(_("提出时间"))
    answer = models.TextField(_("答复"), max_length=2000, blank=True)
    answered_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    topic = models.OneToOneField("communities.TopicProposal", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("会议议题"))

    class Meta:
        verbose_name = _("村民意见")
        verbose_name_plural = _("村民意见")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "created_at"], name="suggestion_community_idx")]
