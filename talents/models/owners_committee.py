"""The owners' committee over time (issue 15 item 2): how a term ended by recall (``CommitteeRecall``), the
town's certificates for a term (``CommitteeFiling``, 沪物业规定 art. 23) and the committee's own decisions with
their publication and the written notice to the residents' committee (``CommitteeDecision``, art. 26).

The terms themselves are ``talents.CommitteeTerm`` (``owners.py``), their members and offices the core's
``Team``/``Backbone``. Files (a certificate's scan, a decision's attachment) are stored under MEDIA_ROOT with a
random name and served only through the committee area's views, behind the policy.
"""
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .owners import CommitteeTerm, OwnersAssembly


def committee_file_path(instance, filename):
    # Random names outside the web root: the uploaded name (which may carry a person's name) is not kept.
    return f"committee/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.file_extension or 'bin'}"


class CommitteeRecall(models.Model):
    """The owners recalled a term of their committee (罢免业主委员会): the date, the grounds and the vote."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Grounds(models.TextChoices):
        # The examples 《上海市住宅物业管理规定》 gives for a recall, and any other ground.
        REFUSED_TO_CONVENE = "convene", _("拒不召集业主大会")
        BROKE_PLEDGE = "pledge", _("违反承诺")
        MISAPPROPRIATION = "property", _("侵占业主共有财产")
        OTHER = "other", _("其他")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    term = models.OneToOneField(CommitteeTerm, on_delete=models.PROTECT, related_name="recall",
                                verbose_name=_("届别"))
    decided_on = models.DateField(_("罢免日期"))
    grounds = models.CharField(_("罢免事由"), max_length=10, choices=Grounds.choices)
    grounds_text = models.TextField(_("事由说明"), blank=True)
    assembly = models.ForeignKey(OwnersAssembly, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("罢免表决"))
    result_text = models.TextField(_("表决结果"), blank=True,
                                   help_text=_("纸质表决时代的罢免：填写当时公告的表决结果。"))
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("业委会罢免记录")
        verbose_name_plural = _("业委会罢免记录")
        ordering = ["community", "decided_on", "id"]

    def __str__(self):
        return str(_("罢免第%(n)s届业主委员会") % {"n": self.term.number})


class CommitteeFiling(models.Model):
    """A certificate the town issued for a term (沪物业规定 art. 23): the filing (备案证明) or the seal
    (印章刻制证明; the seal carries the term number)."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Kind(models.TextChoices):
        FILING = "filing", _("备案证明")
        SEAL = "seal", _("印章刻制证明")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    term = models.ForeignKey(CommitteeTerm, on_delete=models.PROTECT, related_name="filings", verbose_name=_("届别"))
    kind = models.CharField(_("证明类型"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("证明编号"), max_length=60)
    issued_on = models.DateField(_("出具日期"))
    issued_by = models.CharField(_("出具机关"), max_length=60, default="罗店镇人民政府")
    file = models.FileField(_("证明扫描件"), upload_to=committee_file_path, blank=True)
    file_extension = models.CharField(max_length=5, blank=True, default="")
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("业委会备案")
        verbose_name_plural = _("业委会备案")
        ordering = ["community", "term", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["term", "kind"], name="uniq_committee_filing_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class CommitteeDecision(models.Model):
    """A decision of the committee (业主委员会决定): published within 3 days and told in writing to the
    residents' committee (沪物业规定 art. 26)."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    term = models.ForeignKey(CommitteeTerm, on_delete=models.PROTECT, related_name="decisions",
                             verbose_name=_("届别"))
    title = models.CharField(_("决定事项"), max_length=200)
    text = models.TextField(_("决定内容"))
    decided_on = models.DateField(_("决定日期"))
    published_at = models.DateTimeField(_("公告时间"), null=True, blank=True)
    published_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("公告人"))
    rc_notified_at = models.DateTimeField(_("书面告知居委会时间"), null=True, blank=True)
    rc_notice = models.TextField(_("告知居委会的书面通知"), blank=True)
    file = models.FileField(_("附件"), upload_to=committee_file_path, blank=True)
    file_extension = models.CharField(max_length=5, blank=True, default="")
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("业委会决定")
        verbose_name_plural = _("业委会决定")
        ordering = ["community", "-decided_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["term", "title", "decided_on"],
                                               name="uniq_committee_decision")]
        indexes = [models.Index(fields=["community", "published_at"], name="committee_decision_pub_idx")]

    def __str__(self):
        return self.title
