"""The maintenance fund (专项维修资金) of an estate: a ledger by building and household (按幢立账、按户核算,
沪物业规定 arts. 66–67) and its freezes. The fund area owns these models and may add to them."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FundEntry(models.Model):
    """One line of the ledger, on one household (``unit``): money in is positive, money out negative."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Kind(models.TextChoices):
        INITIAL = "initial", _("首期归集")
        TOP_UP = "topup", _("续筹")
        INTEREST = "interest", _("利息")
        PAYMENT = "payment", _("维修支出")
        REFUND = "refund", _("退还")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    building = models.ForeignKey("communities.Building", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("楼栋"))
    unit = models.ForeignKey("communities.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("房屋"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2)
    booked_on = models.DateField(_("记账日期"))
    project = models.ForeignKey("talents.RepairProject", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="fund_entries", verbose_name=_("维修项目"))
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("记账人"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("维修资金明细")
        verbose_name_plural = _("维修资金明细")
        ordering = ["community", "booked_on", "id"]
        indexes = [models.Index(fields=["community", "building", "kind"], name="fund_entry_building_idx"),
                   models.Index(fields=["unit", "booked_on"], name="fund_entry_unit_idx")]


class FundFreeze(models.Model):
    """A time the fund could not be used (e.g. while a re-election group forms the old committee hands records
    and seals to the housing office, 沪物业规定 art. 29), with its reason and the conditions to lift it."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    reason = models.TextField(_("冻结原因"))
    conditions = models.TextField(_("解冻条件"))
    started_on = models.DateField(_("冻结日期"))
    lifted_on = models.DateField(_("解冻日期"), null=True, blank=True)
    lifted_note = models.TextField(_("解冻说明"), blank=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    lifted_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("解冻登记人"))

    class Meta:
        verbose_name = _("维修资金冻结")
        verbose_name_plural = _("维修资金冻结")
        ordering = ["community", "-started_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["community"], condition=models.Q(lifted_on__isnull=True),
                                               name="one_open_fund_freeze")]
