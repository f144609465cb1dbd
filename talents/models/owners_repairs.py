"""A repair project's rows beyond ``RepairProject`` itself (issue 15, the repairs area): the timeline of its steps
(``RepairEvent``), the photos and files attached to a step, the use plan's items (使用方案) and the referral to the
district housing department when the owners' committee let the 7 days of 沪物业规定第七十三条 pass."""
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models.base import StoredPhoto, TimelineEvent

from .owners import RepairProject


class RepairEvent(TimelineEvent):
    """One step of a repair project (the table: ``talents.repair_workflow``)."""

    project = models.ForeignKey(RepairProject, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("维修项目"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("维修项目记录")
        verbose_name_plural = _("维修项目记录")
        indexes = [models.Index(fields=["project", "at"], name="repair_event_idx")]


class RepairPhoto(StoredPhoto):
    """A photo of a step (the crack before, the scaffolding, the finished wall), stored by the core's photo service."""
    upload_folder = "repairs"
    community_path = "project__community"

    project = models.ForeignKey(RepairProject, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=_("维修项目"))
    event = models.ForeignKey(RepairEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="photos",
                              verbose_name=_("记录"))

    class Meta(StoredPhoto.Meta):
        verbose_name = _("维修项目照片")
        verbose_name_plural = _("维修项目照片")


def repair_document_path(instance, filename):
    # Random names outside the web root; the uploaded name is kept in ``name`` only.
    return f"repairs/files/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class RepairDocument(models.Model):
    """A file of a step: the appraisal report, the audit report, the contract, the acceptance record."""
    community_path = "project__community"

    class Kind(models.TextChoices):
        APPRAISAL = "appraisal", _("鉴定报告")
        PLAN = "plan", _("使用方案")
        AUDIT = "audit", _("审价报告")
        CONTRACT = "contract", _("施工合同")
        ACCEPTANCE = "acceptance", _("验收记录")
        OTHER = "other", _("其他")

    project = models.ForeignKey(RepairProject, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("维修项目"))
    event = models.ForeignKey(RepairEvent, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="documents", verbose_name=_("记录"))
    kind = models.CharField(_("文件类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("文件名"), max_length=120)
    file = models.FileField(_("文件"), upload_to=repair_document_path)
    extension = models.CharField(max_length=5, default="pdf")
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    uploaded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("维修项目文件")
        verbose_name_plural = _("维修项目文件")
        ordering = ["uploaded_at", "id"]


class RepairItem(models.Model):
    """One line of the use plan (使用方案): what is done and what it costs; the budget is their sum."""
    community_path = "project__community"

    project = models.ForeignKey(RepairProject, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("维修项目"))
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("维修内容"), max_length=200)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("使用方案明细")
        verbose_name_plural = _("使用方案明细")
        ordering = ["project", "position", "id"]


class RepairReferral(models.Model):
    """The referral to the district housing department (宝山区房屋管理局) after the owners' committee did not approve
    the emergency use within 7 days (沪物业规定第七十三条): the department may have the repair done and paid."""
    community_path = "project__community"

    project = models.OneToOneField(RepairProject, on_delete=models.CASCADE, related_name="referral",
                                   verbose_name=_("维修项目"))
    referred_on = models.DateField(_("报送日期"))
    referred_to = models.CharField(_("报送单位"), max_length=100, default="宝山区房屋管理局")
    reference_no = models.CharField(_("受理编号"), max_length=60)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报区房管局记录")
        verbose_name_plural = _("报区房管局记录")
