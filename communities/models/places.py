from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..natural import Natural


class Community(models.Model):
    community_path = "pk"  # how the policy (communities.policy) reaches its community
    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("居民区")
        VILLAGE = "village", _("村")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    slug = models.SlugField(_("代号"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("简介"), blank=True)
    # The committee's contacts, shown to residents on the community page and on the corridor QR landing page.
    office_phone = models.CharField(_("居委电话"), max_length=30, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    office_address = models.CharField(_("办公地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["name"]

    def __str__(self):
        return self.name


class VillageGroup(models.Model):
    """村民小组: a sub-unit of a village (光明村: 丁钱、施杨、七图)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="village_groups",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("村民小组")
        verbose_name_plural = _("村民小组")
        ordering = ["community", Natural("name")]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_village_group_name")]

    def __str__(self):
        return f"{self.community} · {self.name}"


class Building(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="buildings",
                                  verbose_name=_("社区"))
    # PROTECT: removing a village group must not silently orphan its houses.
    village_group = models.ForeignKey(VillageGroup, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="buildings", verbose_name=_("村民小组"))
    name = models.CharField(_("楼栋"), max_length=50, help_text=_("例如 12号楼"))
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["community", Natural("name")]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_building_name")]

    def __str__(self):
        return f"{self.community} {self.name}"


class Unit(models.Model):
    """One flat or house (户): a household lives in it."""
    community_path = "building__community"  # how the policy (communities.policy) reaches its community

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units",
                                 verbose_name=_("楼栋"))
    floor = models.SmallIntegerField(_("楼层"))
    room = models.CharField(_("房号"), max_length=20)
    # 单元 (a stairwell with its own door): repairs and their cost can be shared by one stairwell only.
    entrance = models.CharField(_("单元"), max_length=20, blank=True, default="", help_text=_("例如 1单元"))
    floor_area = models.DecimalField(_("专有面积(平方米)"), max_digits=8, decimal_places=2,
                                     validators=[MinValueValidator(0)])
    capacity = models.PositiveSmallIntegerField(_("核定居住人数"), default=4)
    is_let = models.BooleanField(_("出租"), default=False)
    # PROTECT: a sublandlord cannot be deleted while units still name them.
    sublandlord = models.ForeignKey("communities.Person", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="sublet_units", verbose_name=_("二房东"))

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        ordering = ["building", "floor", Natural("room")]
        constraints = [
            models.UniqueConstraint(fields=["building", "room"], name="uniq_unit_room"),
            models.CheckConstraint(condition=Q(floor_area__gte=0), name="unit_area_not_negative"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="unit_capacity_positive"),
            # Only a let unit can have a sublandlord.
            models.CheckConstraint(condition=Q(sublandlord__isnull=True) | Q(is_let=True),
                                   name="unit_sublandlord_only_if_let"),
        ]
        indexes = [models.Index(fields=["sublandlord"], name="unit_sublandlord_idx")]

    def __str__(self):
        return f"{self.building.name} {self.room}"

    @property
    def community_id(self):
        return self.building.community_id
