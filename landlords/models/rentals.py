"""Rentals (租户进出登记): what a sublandlord declares about a let unit, and each tenant's move-in and move-out.

The tenant themself is a core ``Residency`` (relation tenant), so the rest of the app (unit pages,
occupancy, case routing) sees them; ``TenantRegistration`` adds who registered it, when, whether late,
and when the record was anonymised. No national ID numbers are kept.
"""
from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A registration entered more than this many days (Asia/Shanghai calendar days) after the move-in is late.
LATE_AFTER_DAYS = 3
ANONYMISED_NAME = "已匿名租客"


def registration_is_late(*, moved_in: date, registered_at) -> bool:
    """Late when the Shanghai date of the registration is more than 3 days after the move-in date."""
    return (timezone.localdate(registered_at) - moved_in).days > LATE_AFTER_DAYS


class RentalDeclaration(models.Model):
    """The sublandlord's declaration of one let unit: how many rooms or partitions it is let as.

    The capacity (核定居住人数) stays on ``Unit.capacity``: committee staff set it, not the landlord.
    """
    community_path = "unit__building__community"  # how the policy (communities.policy) reaches its community

    unit = models.OneToOneField("communities.Unit", on_delete=models.CASCADE, related_name="rental_declaration",
                                verbose_name=_("房屋"))
    rooms = models.PositiveSmallIntegerField(_("出租间数(含隔间)"), validators=[MinValueValidator(1)])
    partitions_note = models.TextField(_("隔断情况说明"), blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("申报人"))
    declared_at = models.DateTimeField(_("申报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("出租申报")
        verbose_name_plural = _("出租申报")
        constraints = [models.CheckConstraint(condition=Q(rooms__gte=1), name="rental_rooms_positive")]

    def __str__(self):
        return f"{self.unit_id}: {self.rooms}"

    @property
    def community_id(self):
        return self.unit.building.community_id


class TenantRegistration(models.Model):
    """租客登记: one tenant moving into (and later out of) one let unit, registered by its sublandlord."""
    community_path = "unit__building__community"  # how the policy (communities.policy) reaches its community

    unit = models.ForeignKey("communities.Unit", on_delete=models.PROTECT, related_name="tenant_registrations",
                             verbose_name=_("房屋"))
    # Who let the unit when the tenant moved in: the registration stays theirs if the unit changes hands.
    sublandlord = models.ForeignKey("communities.Person", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("二房东"))
    residency = models.OneToOneField("communities.Residency", on_delete=models.PROTECT,
                                     related_name="tenant_registration", verbose_name=_("居住登记"))
    moved_in = models.DateField(_("入住日期"))
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("登记人"))
    is_late = models.BooleanField(_("逾期登记"), default=False)
    moved_out = models.DateField(_("迁出日期"), null=True, blank=True)
    move_out_registered_at = models.DateTimeField(_("迁出登记时间"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("租客登记")
        verbose_name_plural = _("租客登记")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(moved_out__isnull=True) | Q(moved_out__gte=models.F("moved_in")),
                                   name="tenant_registration_out_after_in"),
        ]
        indexes = [
            models.Index(fields=["sublandlord", "moved_out"], name="tenantreg_landlord_idx"),
            models.Index(fields=["unit", "moved_out"], name="tenantreg_unit_idx"),
            models.Index(fields=["moved_out"], condition=Q(anonymised_at__isnull=True),
                         name="tenantreg_to_anonymise_idx"),
        ]

    def __str__(self):
        return f"{self.residency_id} @ {self.unit_id}"

    @property
    def is_active(self):
        return self.moved_out is None

    @property
    def community_id(self):
        return self.unit.building.community_id
