"""郡园's property company (物业服务企业, issue 15 item 7): the service contract and its end-of-term reminders, the
company's public window (物业之窗) and its fee changes. The owners' survey of the company runs on the core's
evaluation engine (subject ``talents.company``), so it has no model here.

沪物业规定 (2020-12-30 text): art. 46 (the contract's end: renew or replace by the owners' assembly; a company not
renewing gives 90 days' written notice; with nothing decided the contract runs on without term, ended by either
side on 60 days' notice), art. 45 (the company hears owners' views), art. 48 (posts its services and fees; no
raise without audited accounts or an assessment)."""
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The reminders before a contract's end (days): the committee has time to call the assembly (art. 46); 90 is
# also the company's notice period, 60 the notice period once the contract runs on without term.
REMINDER_DAYS = (120, 90, 60)
NOTICE_DAYS = 90  # a company not renewing tells the committee in writing at least 90 days before the end
FILE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def company_file_path(instance, filename):
    # Random names outside the web root; the uploaded name (which may carry a person's name) is not kept.
    return f"company/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class CompanyFile(models.Model):
    """A stored file of the company area: a contract's text, an audit report, a window document (PDF or a
    scan). Served only through the area's view, behind the policy."""
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    file = models.FileField(_("文件"), upload_to=company_file_path)
    extension = models.CharField(max_length=5, default="pdf")
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    uploaded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("物业文件")
        verbose_name_plural = _("物业文件")

    @property
    def content_type(self) -> str:
        return FILE_TYPES.get(self.extension, "application/octet-stream")


class PropertyContract(models.Model):
    """The property service contract (物业服务合同) between the owners and a company."""
    community_path = "community"

    class Status(models.TextChoices):
        ACTIVE = "active", _("履行中")
        ENDED = "ended", _("已终止")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    company_name = models.CharField(_("物业服务企业"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    starts_on = models.DateField(_("合同起始日"))
    ends_on = models.DateField(_("合同届满日"))
    fee_residential = models.DecimalField(_("住宅物业费（元/m²·月）"), max_digits=6, decimal_places=2)
    fee_parking = models.DecimalField(_("车位物业费（元/个·月）"), max_digits=7, decimal_places=2, null=True,
                                      blank=True)
    file = models.ForeignKey(CompanyFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("合同文本"))
    # How it was chosen: the owners' decision hiring the company (民法典 art. 278, item 4), when there was one.
    chosen_by = models.ForeignKey("talents.OwnersAssembly", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("选聘表决"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    non_renewal_notice_on = models.DateField(_("企业书面告知不续约日期"), null=True, blank=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("物业服务合同")
        verbose_name_plural = _("物业服务合同")
        ordering = ["community", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community"], condition=Q(status="active"),
                                    name="one_active_property_contract"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="contract_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.company_name} {self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"

    @property
    def notice_late(self) -> bool | None:
        """The company's notice of non-renewal came less than 90 days before the end (art. 46); None: none."""
        if self.non_renewal_notice_on is None:
            return None
        return (self.ends_on - self.non_renewal_notice_on).days < NOTICE_DAYS


class ContractReminder(models.Model):
    """One reminder of a contract's end, sent once (the unique key is the guard of the daily task)."""
    community_path = "contract__community"

    contract = models.ForeignKey(PropertyContract, on_delete=models.CASCADE, related_name="reminders",
                                 verbose_name=_("物业服务合同"))
    days = models.PositiveSmallIntegerField(_("提前天数"))
    due_on = models.DateField(_("应提醒日"))
    sent_at = models.DateTimeField(_("发送时间"))
    recipients = models.PositiveIntegerField(_("通知人数"), default=0)

    class Meta:
        verbose_name = _("合同到期提醒")
        verbose_name_plural = _("合同到期提醒")
        ordering = ["contract", "-days"]
        constraints = [models.UniqueConstraint(fields=["contract", "days"], name="one_contract_reminder")]


class PublicDocument(models.Model):
    """A document of the 物业之窗 (art. 48): what the company posts for everyone of the estate."""
    community_path = "community"

    class Kind(models.TextChoices):
        SERVICES = "services", _("服务内容与标准")
        FEES = "fees", _("收费项目与标准")
        PUBLIC_INCOME = "income", _("公共收益收支")
        FUND = "fund", _("维修资金使用")
        OTHER = "other", _("其他")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    file = models.ForeignKey(CompanyFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("附件"))
    published_on = models.DateField(_("公示日期"))
    withdrawn_on = models.DateField(_("撤下日期"), null=True, blank=True)
    fee_change = models.OneToOneField("talents.FeeChange", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="window_document", verbose_name=_("收费标准调整"))
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("物业之窗公示")
        verbose_name_plural = _("物业之窗公示")
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return self.title


class FeeChange(models.Model):
    """A change of the contract's fee standard (art. 48: no raise without audited accounts or an assessment)."""
    community_path = "community"

    class PropertyKind(models.TextChoices):
        RESIDENTIAL = "residential", _("住宅")
        PARKING = "parking", _("车位")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    contract = models.ForeignKey(PropertyContract, on_delete=models.PROTECT, related_name="fee_changes",
                                 verbose_name=_("物业服务合同"))
    property_kind = models.CharField(_("物业类型"), max_length=12, choices=PropertyKind.choices,
                                     default=PropertyKind.RESIDENTIAL)
    old_fee = models.DecimalField(_("原标准"), max_digits=7, decimal_places=2)
    new_fee = models.DecimalField(_("新标准"), max_digits=7, decimal_places=2)
    effective_on = models.DateField(_("执行日期"))
    reason = models.TextField(_("调整理由"))
    audit_file = models.ForeignKey(CompanyFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("审计报告或评估报告"))
    decision = models.ForeignKey("talents.OwnersAssembly", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("业主共同决定"))
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("收费标准调整")
        verbose_name_plural = _("收费标准调整")
        ordering = ["-effective_on", "-id"]

    def __str__(self):
        return f"{self.get_property_kind_display()} {self.old_fee}→{self.new_fee}"

    @property
    def is_raise(self) -> bool:
        return self.new_fee > self.old_fee

    @property
    def unit_label(self) -> str:
        return str(_("元/m²·月") if self.property_kind == self.PropertyKind.RESIDENTIAL else _("元/个·月"))
