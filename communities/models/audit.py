from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """Every unmasked view or export of personal data leaves a row here."""

    class Kind(models.TextChoices):
        VIEW = "view", _("查看")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")

    viewer = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("查看人"))
    person = models.ForeignKey("communities.Person", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("被查看人"))
    community = models.ForeignKey("communities.Community", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("社区"))
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices, default=Kind.VIEW)
    purpose = models.CharField(_("用途"), max_length=200)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.viewer} {self.get_kind_display()} {self.person} {self.at:%Y-%m-%d %H:%M}"


class AuditEvent(models.Model):
    """Administrative actions (approvals, imports, role changes). Never edited or deleted."""

    actor = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    community = models.ForeignKey("communities.Community", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("社区"))
    action = models.CharField(_("操作"), max_length=50)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
