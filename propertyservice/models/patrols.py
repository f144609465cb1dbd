"""Patrols (值班巡逻) on the core rota engine, hand-over notes between shifts, and garbage collection.

- A ``PatrolRoute`` is walked on every shift of its patrol rota (core ``Rota`` of kind 巡逻 or 24小时安保): an
  ordered list of ``PatrolCheckpoint``s, each with a printed QR code naming an unguessable token.
- A ``PatrolRun`` is one walk of a route on one core ``Shift`` (unique per shift and route); each checkpoint
  scanned on it is a ``PatrolScan`` (one per checkpoint: a second scan is a repeat, not a row), with its photo
  where the checkpoint asks for one (``PatrolScanPhoto``).
- After the shift ends the beat task closes the run (``closed_at``): checkpoints not scanned and a walk longer than
  the route allows flag it.
- A ``HandoverNote`` (交接班记录) is written by the person going off a shift; the next shift of the same rota reads
  it and marks it read.
- ``GarbageCheck``: the sorting guidance check at a collection point (the four bins, mis-sorting found and
  corrected); ``GarbageHandover``: the sorted garbage handed to the town's collection, on time or not
  (《上海市生活垃圾管理条例》第二十五至二十七条).
"""
import datetime as dt
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Rota
from communities.models.base import StoredPhoto


def checkpoint_token() -> str:
    return secrets.token_urlsafe(18)

PATROL_KINDS = (Rota.Kind.PATROL, Rota.Kind.SECURITY)
# The station's rotas, whose shifts hand over with a note (交接班记录).
STATION_KINDS = (Rota.Kind.PATROL, Rota.Kind.SECURITY, Rota.Kind.GARBAGE, Rota.Kind.GREENING)
# A scan counts for a shift from a little before it starts until a little after it ends (a guard who starts
# the round early or finishes it just after the hand-over).
SCAN_LEEWAY = dt.timedelta(minutes=30)



class PatrolRoute(models.Model):
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="patrol_routes",
                                  verbose_name=_("社区"))
    rota = models.ForeignKey("communities.Rota", on_delete=models.PROTECT, related_name="patrol_routes",
                             verbose_name=_("值班表"))
    name = models.CharField(_("路线名称"), max_length=100)
    expected_minutes = models.PositiveSmallIntegerField(
        _("预计用时（分钟）"), default=45, validators=[MinValueValidator(5), MaxValueValidator(600)])
    late_after_minutes = models.PositiveSmallIntegerField(
        _("超时容许（分钟）"), default=15, validators=[MinValueValidator(0), MaxValueValidator(240)],
        help_text=_("走完路线的时间超过预计用时再加这些分钟，记为超时。"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("巡逻路线")
        verbose_name_plural = _("巡逻路线")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_patrol_route_name")]

    def __str__(self):
        return self.name


class PatrolCheckpoint(models.Model):
    community_path = "route__community"

    route = models.ForeignKey(PatrolRoute, on_delete=models.CASCADE, related_name="checkpoints",
                              verbose_name=_("巡逻路线"))
    name = models.CharField(_("点位名称"), max_length=100)
    village_group = models.ForeignKey("communities.VillageGroup", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("村民小组"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    requires_photo = models.BooleanField(_("须拍照"), default=False)
    # The printed QR code names this token: unguessable, so a code cannot be made up for a checkpoint.
    token = models.CharField(_("二维码令牌"), max_length=40, unique=True, default=checkpoint_token, editable=False)

    class Meta:
        verbose_name = _("巡逻点位")
        verbose_name_plural = _("巡逻点位")
        ordering = ["route", "order", "id"]

    def __str__(self):
        return self.name


class PatrolRun(models.Model):
    community_path = "route__community"

    route = models.ForeignKey(PatrolRoute, on_delete=models.CASCADE, related_name="runs", verbose_name=_("巡逻路线"))
    shift = models.ForeignKey("communities.Shift", on_delete=models.CASCADE, related_name="patrol_runs",
                              verbose_name=_("班次"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)  # the first scan
    finished_at = models.DateTimeField(_("走完时间"), null=True, blank=True)  # the scan that completed the route
    # Set once by the beat task after the shift ended (the stored guard of its idempotency).
    closed_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    missed = models.PositiveSmallIntegerField(_("漏巡点位数"), default=0)
    late = models.BooleanField(_("超时"), default=False)
    flagged = models.BooleanField(_("异常"), default=False)

    class Meta:
        verbose_name = _("巡逻记录")
        verbose_name_plural = _("巡逻记录")
        ordering = ["-shift__starts_at", "route__name"]
        constraints = [models.UniqueConstraint(fields=["shift", "route"], name="uniq_patrol_run_shift_route")]

    def __str__(self):
        return f"{self.route} · {self.shift}"

    @property
    def completed(self) -> bool:
        return self.finished_at is not None


class PatrolScan(models.Model):
    community_path = "run__route__community"

    run = models.ForeignKey(PatrolRun, on_delete=models.CASCADE, related_name="scans", verbose_name=_("巡逻记录"))
    checkpoint = models.ForeignKey(PatrolCheckpoint, on_delete=models.CASCADE, related_name="scans",
                                   verbose_name=_("巡逻点位"))
    scanned_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("打卡人"))
    scanned_at = models.DateTimeField(_("打卡时间"))
    in_order = models.BooleanField(_("按顺序"), default=True)
    repeats = models.PositiveSmallIntegerField(_("重复扫码次数"), default=0)

    class Meta:
        verbose_name = _("巡逻打卡")
        verbose_name_plural = _("巡逻打卡")
        ordering = ["scanned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "checkpoint"], name="uniq_patrol_scan")]

    def __str__(self):
        return f"{self.checkpoint} {timezone.localtime(self.scanned_at):%H:%M}"


class PatrolScanPhoto(StoredPhoto):
    upload_folder = "patrols"

    scan = models.OneToOneField(PatrolScan, on_delete=models.CASCADE, related_name="photo",
                                verbose_name=_("巡逻打卡"))

    class Meta(StoredPhoto.Meta):
        verbose_name = _("巡逻照片")
        verbose_name_plural = _("巡逻照片")


class HandoverNote(models.Model):
    community_path = "shift__rota__community"

    # One note per shift: the person going off writes it (a second save edits it).
    shift = models.OneToOneField("communities.Shift", on_delete=models.CASCADE, related_name="handover_note",
                                 verbose_name=_("交班班次"))
    author = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("交班人"))
    body = models.TextField(_("交接内容"), max_length=2000)
    written_at = models.DateTimeField(_("填写时间"), default=timezone.now)
    read_at = models.DateTimeField(_("接班确认时间"), null=True, blank=True)
    read_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("接班人"))

    class Meta:
        verbose_name = _("交接班记录")
        verbose_name_plural = _("交接班记录")
        ordering = ["-written_at"]

    def __str__(self):
        return f"{self.shift}"


class GarbageCheck(models.Model):
    """A sorting guidance check (分类指导) at one collection point (垃圾箱房)."""
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="garbage_checks",
                                  verbose_name=_("社区"))
    point = models.CharField(_("收集点"), max_length=100)
    village_group = models.ForeignKey("communities.VillageGroup", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("村民小组"))
    checked_at = models.DateTimeField(_("检查时间"))
    checked_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("检查人"))
    # The four bins (四分类): 可回收物、有害垃圾、湿垃圾、干垃圾.
    bins_complete = models.BooleanField(_("四类垃圾桶齐全"), default=True)
    mis_sorted = models.BooleanField(_("发现混投"), default=False)
    corrected = models.BooleanField(_("已纠正"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("垃圾分类检查")
        verbose_name_plural = _("垃圾分类检查")
        ordering = ["-checked_at"]

    def __str__(self):
        return f"{self.point} {timezone.localtime(self.checked_at):%Y-%m-%d}"


class GarbageHandover(models.Model):
    """Sorted garbage handed to the town's collection (镇收运点/收运车), once per garbage shift."""
    community_path = "shift__rota__community"

    shift = models.OneToOneField("communities.Shift", on_delete=models.CASCADE, related_name="garbage_handover",
                                 verbose_name=_("班次"))
    handed_at = models.DateTimeField(_("交接时间"))
    agreed_at = models.DateTimeField(_("约定时间"))
    weight_kg = models.DecimalField(_("重量（公斤）"), max_digits=7, decimal_places=1, null=True, blank=True)
    bins = models.PositiveSmallIntegerField(_("桶数"), null=True, blank=True)
    received_by = models.CharField(_("接收人"), max_length=50)
    logged_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("登记人"))
    on_time = models.BooleanField(_("按时"), default=True)

    class Meta:
        verbose_name = _("垃圾交接记录")
        verbose_name_plural = _("垃圾交接记录")
        ordering = ["-handed_at"]
        constraints = [models.CheckConstraint(condition=Q(weight_kg__isnull=False) | Q(bins__isnull=False),
                                              name="garbage_handover_amount")]

    def __str__(self):
        return f"{self.shift}"
