"""The mediation room (一室: 租客矛盾调解室 / 蓉治社接待室).

The room's duty rota is a core ``Rota`` of kind MEDIATION_ROOM; the landlord on duty records each
dispute brought in on their shift. Records are never deleted: a correction edits the row in place and
leaves an ``AuditEvent`` holding the old and the new value of every field it changed
(landlords.services.mediation.mediation_record_correct).
"""
import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The duty landlord may record on their shift from its start until this long after its end.
LATE_WINDOW = dt.timedelta(hours=24)


class MediationRecord(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Outcome(models.TextChoices):
        SETTLED = "settled", _("调解成功")
        CASE = "case", _("转为诉求")
        REFERRED = "referred", _("转交职能部门")

    # Denormalised from shift.rota.community: the log is scoped and filtered by community and month.
    community = models.ForeignKey("communities.Community", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("社区"))
    shift = models.ForeignKey("communities.Shift", on_delete=models.PROTECT, related_name="mediation_records",
                              verbose_name=_("值班班次"))
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("记录人"))
    # Free text only: the parties' phones are not collected.
    parties = models.CharField(_("当事人"), max_length=200, help_text=_("例如：301室租客 vs 302室租客"))
    issue = models.TextField(_("矛盾情况"))
    agreement = models.TextField(_("调解结果/达成的约定"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=10, choices=Outcome.choices)
    case = models.OneToOneField("communities.Case", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="mediation_record", verbose_name=_("转为的诉求"))
    agency = models.ForeignKey("communities.Agency", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("转交的职能部门"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    corrected_at = models.DateTimeField(_("最近更正时间"), null=True, blank=True)
    # The form's one-time key: a double-clicked submit finds the first record instead of making a second.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["community", "-recorded_at"], name="mediation_community_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="case") | Q(case__isnull=False),
                                   name="mediation_case_outcome_has_case"),
            models.CheckConstraint(condition=~Q(outcome="referred") | Q(agency__isnull=False),
                                   name="mediation_referral_has_agency"),
        ]

    def __str__(self):
        return f"{self.parties} ({self.get_outcome_display()})"

    def delete(self, *args, **kwargs):
        raise RuntimeError("mediation records are never deleted")
