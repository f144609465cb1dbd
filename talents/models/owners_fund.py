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
    # The submission a row came from (one token per form): a double-clicked button books nothing twice.
    batch = models.CharField(_("批次"), max_length=40, blank=True, default="", db_index=True)

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


class FundStatement(models.Model):
    """The half-yearly public statement of the fund (沪物业规定 art. 67): 1 Jan–30 Jun or 1 Jul–31 Dec. The figures
    are frozen in ``snapshot`` when it is published, so later bookings never change it."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    published_at = models.DateTimeField(_("公示时间"))
    published_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("公示人"))
    snapshot = models.JSONField(_("公示数据"), default=dict)

    class Meta:
        verbose_name = _("维修资金公示")
        verbose_name_plural = _("维修资金公示")
        ordering = ["community", "-period_start"]
        constraints = [models.UniqueConstraint(fields=["community", "period_start"], name="uniq_fund_statement")]

    def __str__(self):
        return f"{self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class TopUpWarning(models.Model):
    """A building's balance fell below 30 % of its first collection (沪物业规定 art. 65): owners have 90 days to
    decide a top-up, else the committee has the bank send payment notices; owners then pay within 90 days to bring
    the balance back to 50 %. Read by building: the law's accounts are by building (按幢立账, art. 66)."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    building = models.ForeignKey("communities.Building", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("楼栋"))
    raised_on = models.DateField(_("预警日期"))
    balance = models.DecimalField(_("预警时余额(元)"), max_digits=14, decimal_places=2)
    first_collection = models.DecimalField(_("首期归集(元)"), max_digits=14, decimal_places=2)
    ratio = models.DecimalField(_("余额比例"), max_digits=7, decimal_places=4)
    decided_on = models.DateField(_("业主决定续筹日期"), null=True, blank=True)
    notices_sent_on = models.DateField(_("银行发出缴款通知日期"), null=True, blank=True)
    restored_on = models.DateField(_("恢复至50%日期"), null=True, blank=True)
    notified_at = models.DateTimeField(_("已通知居委"), null=True, blank=True)

    class Meta:
        verbose_name = _("续筹预警")
        verbose_name_plural = _("续筹预警")
        ordering = ["community", "-raised_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["building"], condition=models.Q(restored_on__isnull=True),
                                               name="one_open_topup_warning")]

    @property
    def ratio_percent(self):
        return (self.ratio * 100).quantize(self.ratio.__class__("0.1"))
