"""郡园's owners (issue 15): the three rows the areas of the owners' hub point at.

- ``OwnersAssembly``: one owners' assembly vote (业主大会 or a vote of the owners who share a repair) on the core
  decision engine: a ``communities.Election`` with rule ``owners``, the electorate ``talents.owners`` built from
  the units in the assembly's scope (the estate, a building or one stairwell).
- ``CommitteeTerm``: one term (届) of the owners' committee (业主委员会), its core ``Team`` holding the members and
  offices (``Backbone``).
- ``RepairProject``: a repair of common parts paid from the maintenance fund, step by step.

Each area adds its own models in its own module (``owners_register``, ``owners_committee`` …) and may add fields
to the row it owns (the assembly area owns ``OwnersAssembly``, the committee area ``CommitteeTerm``, the repairs
area ``RepairProject``).
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """Who a vote or a cost belongs to (沪物业规定: 使用方案 names who shares the cost)."""
    ESTATE = "estate", _("全体业主")
    BUILDING = "building", _("本幢业主")
    ENTRANCE = "entrance", _("本单元业主")


class ScopedToUnits(models.Model):
    """An estate, one building of it or one stairwell (单元) of a building."""
    scope = models.CharField(_("范围"), max_length=10, choices=Scope.choices, default=Scope.ESTATE)
    building = models.ForeignKey("communities.Building", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("楼栋"))
    entrance = models.CharField(_("单元"), max_length=20, blank=True, default="")

    class Meta:
        abstract = True

    def scope_units(self):
        """The units whose owners share this: a queryset of ``communities.Unit``."""
        from communities.models import Unit

        units = Unit.objects.filter(building__community_id=self.community_id)
        if self.scope in (Scope.BUILDING, Scope.ENTRANCE):
            units = units.filter(building_id=self.building_id)
        if self.scope == Scope.ENTRANCE:
            units = units.filter(entrance=self.entrance)
        return units

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.BUILDING and self.building_id:
            return f"{self.building.name}"
        if self.scope == Scope.ENTRANCE and self.building_id:
            return f"{self.building.name}{self.entrance}"
        return str(Scope.ESTATE.label)


class OwnersAssembly(ScopedToUnits):
    """An owners' vote (业主大会会议 / 部分业主共同决定) on the core decision engine."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Kind(models.TextChoices):
        REGULAR = "regular", _("业主大会定期会议")
        EXTRAORDINARY = "extraordinary", _("业主大会临时会议")
        REPAIR = "repair", _("维修资金使用表决")
        COMMITTEE_ELECTION = "election", _("业主委员会选举")
        RECALL = "recall", _("罢免业主委员会")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    election = models.OneToOneField("communities.Election", on_delete=models.PROTECT, related_name="owners_assembly",
                                    verbose_name=_("表决"))
    kind = models.CharField(_("会议类型"), max_length=15, choices=Kind.choices, default=Kind.REGULAR)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # The written notice of 沪物业规定 art. 25 (time, place, agenda) to the housing office and the residents'
    # committee, recorded by the assembly area.
    place = models.CharField(_("会议地点"), max_length=200, blank=True)
    notice_sent_on = models.DateField(_("书面告知日期"), null=True, blank=True)
    notice_housing_office = models.BooleanField(_("已书面告知房管办"), default=False)
    notice_residents_committee = models.BooleanField(_("已书面告知居委会"), default=False)
    # The estate's rule on non-voters (EstateVotingRules), copied when the vote opens; None: not copied yet.
    deemed_consent = models.BooleanField(_("未表决视为同意多数"), null=True, blank=True)
    deemed_consent_clause = models.TextField(_("议事规则条款"), blank=True)

    class Meta:
        verbose_name = _("业主表决")
        verbose_name_plural = _("业主表决")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.election.title


class CommitteeTerm(models.Model):
    """One term (第N届) of an estate's owners' committee."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class End(models.TextChoices):
        SERVING = "", _("在任")
        EXPIRED = "expired", _("任期届满")
        RECALLED = "recalled", _("被业主罢免")
        RESIGNED = "resigned", _("集体辞职")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    number = models.PositiveSmallIntegerField(_("届别"))
    team = models.OneToOneField("communities.Team", on_delete=models.PROTECT, related_name="committee_term",
                                verbose_name=_("业委会"))
    started_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期届满日"))
    ended_on = models.DateField(_("实际结束"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=10, choices=End.choices, blank=True, default="")
    elected_by = models.ForeignKey(OwnersAssembly, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("选举表决"))

    class Meta:
        verbose_name = _("业委会届别")
        verbose_name_plural = _("业委会届别")
        ordering = ["community", "-number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="uniq_committee_term")]

    def __str__(self):
        return str(_("第%(n)s届业主委员会") % {"n": self.number})


class RepairProject(ScopedToUnits):
    """A repair of common parts (共用部位、共用设施设备) paid from the maintenance fund: the state and the steps are
    the repairs area's (``talents.repair_workflow``)."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Kind(models.TextChoices):
        LEAK = "leak", _("房屋渗漏")
        FACADE = "facade", _("外墙脱落")
        FACILITY = "facility", _("设施更新")
        LIFT = "lift", _("电梯")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DISCOVERED = "discovered", _("已发现")
        APPRAISED = "appraised", _("已鉴定")
        PLANNED = "planned", _("使用方案已拟定")
        VOTING = "voting", _("业主表决中")
        APPROVED = "approved", _("待审价")
        AUDITED = "audited", _("已审价")
        CONTRACTED = "contracted", _("已签合同")
        WORKS = "works", _("施工中")
        ACCEPTED = "accepted", _("已验收")
        PAID = "paid", _("已支付")
        PUBLISHED = "published", _("已公示决算")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    title = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("进度"), max_length=20, choices=Status.choices, default=Status.DISCOVERED)
    description = models.TextField(_("情况说明"), blank=True)
    # 鉴定 (appraisal): required on the emergency route for a facade or seepage danger (沪物业规定第七十三条).
    appraisal_body = models.CharField(_("鉴定机构"), max_length=100, blank=True)
    appraisal_report_no = models.CharField(_("鉴定报告编号"), max_length=60, blank=True)
    appraisal_conclusion = models.TextField(_("鉴定结论"), blank=True)
    danger_certified = models.BooleanField(_("鉴定确认存在危险"), default=False)
    # The day the certified appraisal was submitted to the owners' committee: the 7-day clock starts the next day.
    certified_submitted_on = models.DateField(_("鉴定报告提交业委会日期"), null=True, blank=True)
    emergency_approved_at = models.DateTimeField(_("业委会同意紧急使用时间"), null=True, blank=True)
    emergency_approved_by = models.CharField(_("业委会批准人"), max_length=60, blank=True)
    emergency_overdue_notified_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)
    vote_skipped_reason = models.TextField(_("未经业主表决的理由"), blank=True)
    budget = models.DecimalField(_("预算(元)"), max_digits=12, decimal_places=2, default=0)
    auditor = models.CharField(_("审价单位"), max_length=100, blank=True)
    audited_amount = models.DecimalField(_("审定金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    audit_note = models.TextField(_("审价说明"), blank=True)
    contract_party = models.CharField(_("施工单位"), max_length=100, blank=True)
    contract_amount = models.DecimalField(_("合同金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    contract_signed_on = models.DateField(_("合同签订日期"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("施工进度(%)"), default=0)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    accepted_by = models.CharField(_("验收人"), max_length=200, blank=True)
    acceptance_result = models.TextField(_("验收结论"), blank=True)
    paid_amount = models.DecimalField(_("已支付(元)"), max_digits=12, decimal_places=2, default=0)
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    final_account = models.TextField(_("决算说明"), blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    emergency = models.BooleanField(_("紧急维修"), default=False)
    assembly = models.ForeignKey(OwnersAssembly, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="repair_projects", verbose_name=_("业主表决"))
    cases = models.ManyToManyField("communities.Case", blank=True, related_name="repair_projects",
                                   verbose_name=_("相关工单"))
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("维修项目")
        verbose_name_plural = _("维修项目")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title
