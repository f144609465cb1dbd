"""The owner register of an estate (issue 15, item 1): where each unit's exclusive floor area comes from, which
units the developer still holds, and the published rosters of the statutory notice.

The owners themselves are the core's rows: ``communities.Residency`` of relation owner (co-owners: several owner
rows on one unit), the area ``communities.Unit.floor_area``. The roster's counting is the core's
(``communities.electorates.owner_groups``)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AreaSource(models.TextChoices):
    """In this order of preference (最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释 第八条):
    the property register, else the surveyed area, else the sale contract."""
    REGISTER = "register", _("不动产登记簿")
    SURVEY = "survey", _("测绘面积")
    CONTRACT = "contract", _("买卖合同")


class AreaRecord(models.Model):
    """Where one unit's exclusive floor area (``Unit.floor_area``) was taken from, and whether the unit is unsold
    and held by the developer (the core's roll counts any unit without an owner row as the developer's; this
    flag says that staff checked it)."""
    community_path = "unit__building__community"  # how the policy (communities.policy) reaches its community

    unit = models.OneToOneField("communities.Unit", on_delete=models.CASCADE, related_name="area_record",
                                verbose_name=_("房屋"))
    source = models.CharField(_("面积来源"), max_length=10, choices=AreaSource.choices, default=AreaSource.REGISTER)
    document_number = models.CharField(_("证号或文件编号"), max_length=80, blank=True, default="")
    developer_held = models.BooleanField(_("开发商未售"), default=False)
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("面积登记")
        verbose_name_plural = _("面积登记")

    def __str__(self):
        return f"{self.unit_id}: {self.get_source_display()}"


class RosterPublication(models.Model):
    """A published owner roster (业主名册公示): the masked roster frozen as it was at that moment, so that the
    notice does not change when the register does."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    published_at = models.DateTimeField(_("公示时间"), default=timezone.now)
    published_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("公示人"))
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")
    # {"rows": [{"building", "entrance", "room", "owners": [masked names], "area", "source", "developer"}],
    #  "totals": {"units", "owned_units", "heads", "area", "developer_units", "developer_area"}}
    snapshot = models.JSONField(_("名册快照"))
    heads = models.PositiveIntegerField(_("业主人数(按户计)"))
    total_area = models.DecimalField(_("专有部分总面积"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("业主名册公示")
        verbose_name_plural = _("业主名册公示")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return str(_("业主名册公示 %(d)s") % {"d": timezone.localdate(self.published_at).isoformat()})
