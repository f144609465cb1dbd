"""The team charter (《蓉治社自治章程》) and the tenant covenant (《租户公约》): versioned documents of a
community, and the acknowledgements of each version by the people bound by it.

A version is drafted, then adopted (the covenant: approved by committee staff) or withdrawn. Adopting
a version supersedes the one before, which stays readable as history; an adopted text is never edited
(a revision is a new draft). Acknowledgements belong to one version, so a new version must be
acknowledged again.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CHARTER = "charter", _("蓉治社自治章程")
    COVENANT = "covenant", _("租户公约")


# The policy action for each step of each kind (landlords/policies.py, block "documents").
DOCUMENT_ACTIONS = {
    DocumentKind.CHARTER: {"draft": "landlords.charter.draft", "adopt": "landlords.charter.adopt",
                           "acknowledge": "landlords.charter.acknowledge", "report": "landlords.charter.report"},
    DocumentKind.COVENANT: {"draft": "landlords.covenant.draft", "adopt": "landlords.covenant.approve",
                            "acknowledge": "landlords.covenant.acknowledge", "report": "landlords.covenant.report"},
}


class DocumentVersion(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Status(models.TextChoices):
        DRAFT = "draft", _("草案待审议")
        ADOPTED = "adopted", _("现行版本")
        SUPERSEDED = "superseded", _("已被新版本取代")
        WITHDRAWN = "withdrawn", _("草案已撤回")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE,
                                  related_name="document_versions", verbose_name=_("社区"))
    kind = models.CharField(_("文件"), max_length=10, choices=DocumentKind.choices)
    # 1, 2, … per community and kind, given by document_draft under a lock; never reused.
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("起草人"))
    drafted_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True)
    approved_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审定人"))
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("章程/公约版本")
        verbose_name_plural = _("章程/公约版本")
        ordering = ["community", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "kind", "number"], name="uniq_document_version_number"),
            # Exactly one current version; and one open draft at a time, so that a revision is discussed once.
            models.UniqueConstraint(fields=["community", "kind"], condition=Q(status="adopted"),
                                    name="uniq_document_current_version"),
            models.UniqueConstraint(fields=["community", "kind"], condition=Q(status="draft"),
                                    name="uniq_document_open_draft"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | Q(adopted_on__isnull=False, approved_by__isnull=False),
                name="document_adopted_has_date_and_approver"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} 第{self.number}版"

    @property
    def is_in_force_or_was(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.SUPERSEDED)

    def action(self, step: str) -> str:
        return DOCUMENT_ACTIONS[self.kind][step]


class DocumentAcknowledgement(models.Model):
    """One person's acknowledgement of one version: in the app ("我已阅读并遵守") or a paper signature
    that their sublandlord recorded."""
    community_path = "version__community"  # how the policy (communities.policy) reaches its community

    class Method(models.TextChoices):
        APP = "app", _("在线确认")
        PAPER = "paper", _("纸质签字")

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="acknowledgements",
                                verbose_name=_("版本"))
    person = models.ForeignKey("communities.Person", on_delete=models.CASCADE, related_name="document_acks",
                               verbose_name=_("人员"))
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices)
    signed_on = models.DateField(_("签署日期"))
    recorded_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("章程/公约确认")
        verbose_name_plural = _("章程/公约确认")
        ordering = ["version", "person"]
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="uniq_document_ack_per_person"),
        ]
        indexes = [models.Index(fields=["person", "version"], name="document_ack_person_idx")]

    def __str__(self):
        return f"{self.person} · {self.version}"
