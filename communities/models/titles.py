"""Community titles (社区身份): an identity the committee gives a governance force, shown on their profile.

The seed: the Party organisation gives capable people "能人达人、乡贤、社团会长、党支部委员等社区身份", and 蓉庭
makes its sublandlords 社区监督员. A title is revoked, never deleted, so the record of who held it stays.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommunityTitle(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Kind(models.TextChoices):
        SUPERVISOR = "supervisor", _("社区监督员")
        BUILDING_LEADER = "building_leader", _("楼组长")
        SAFETY_VOLUNTEER = "safety_volunteer", _("平安志愿者")
        MEDIATOR = "mediator", _("调解员")
        TALENT = "talent", _("能人达人")
        WORTHY = "worthy", _("乡贤")
        SOCIETY_HEAD = "society_head", _("社团会长")
        OTHER = "other", _("其他")

    person = models.ForeignKey("communities.Person", on_delete=models.CASCADE, related_name="community_titles",
                               verbose_name=_("人员"))
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="titles",
                                  verbose_name=_("社区"))
    kind = models.CharField(_("社区身份"), max_length=20, choices=Kind.choices)
    # Only for Kind.OTHER: the title's own wording.
    other_name = models.CharField(_("其他身份名称"), max_length=30, blank=True, default="")
    awarded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("授予人"))
    awarded_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    revoked_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("撤销人"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("社区身份")
        verbose_name_plural = _("社区身份")
        ordering = ["community", "person", "awarded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "community", "kind", "other_name"],
                                    condition=Q(revoked_at__isnull=True), name="uniq_active_community_title"),
            models.CheckConstraint(condition=~Q(kind="other") | ~Q(other_name=""), name="title_other_has_name"),
            models.CheckConstraint(condition=Q(kind="other") | Q(other_name=""), name="title_name_only_for_other"),
        ]
        indexes = [models.Index(fields=["person", "revoked_at"], name="title_person_active_idx")]

    def __str__(self):
        return f"{self.person} · {self.name}"

    @property
    def name(self) -> str:
        return self.other_name if self.kind == self.Kind.OTHER else self.get_kind_display()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
