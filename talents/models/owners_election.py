"""Electing a new owners' committee (业委会换届选举, issue 15 item 3), step by step and in the open.

- ``CommitteeElection``: one election of an estate's committee (the term number it elects, the dates the
  statutory deadlines run from, the ``OwnersAssembly`` that votes, the ``CommitteeTerm`` it produced).
- ``PreparatoryMember``: a member of the preparatory group (筹备组) with the side they come from.
- ``ElectionStep``: one statutory step of the public timeline, its done date and document; its deadline is
  computed from the election's dates (``talents.selectors.owners_election.step_deadline``) so it never goes
  stale when a date moves.
- ``CandidateCheck``: a candidate's written pledge (书面承诺) and the staff's check that they are not in arrears
  of fees or the fund and have no uncorrected violation (《上海市住宅物业管理规定》).
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommitteeElection(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹备中")
        VOTING = "voting", _("表决中")
        PUBLISHED = "published", _("已公布选举结果")
        DONE = "done", _("新一届业委会已产生")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    term_number = models.PositiveSmallIntegerField(_("选举届别"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    # The request or trigger (the old term ending, a recall) the town's 60 days run from.
    triggered_on = models.DateField(_("换届启动日期"))
    group_formed_on = models.DateField(_("筹备组成立日期"), null=True, blank=True)
    assembly_on = models.DateField(_("计划召开业主大会日期"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("委员名额"), default=5)
    assembly = models.ForeignKey("talents.OwnersAssembly", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("选举表决"))
    term = models.ForeignKey("talents.CommitteeTerm", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("产生的业委会届别"))
    candidates_published_on = models.DateField(_("候选人名单公示日期"), null=True, blank=True)
    result_published_on = models.DateField(_("选举结果公布日期"), null=True, blank=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("业委会换届选举")
        verbose_name_plural = _("业委会换届选举")
        ordering = ["community", "-term_number"]
        constraints = [models.UniqueConstraint(fields=["community", "term_number"], name="uniq_committee_election")]

    def __str__(self):
        return str(_("第%(n)s届业主委员会选举") % {"n": self.term_number})


class PreparatoryMember(models.Model):
    community_path = "election__community"

    class Side(models.TextChoices):
        OWNER = "owner", _("业主")
        RESIDENTS_COMMITTEE = "residents", _("居委会")
        TOWN = "town", _("街镇")
        DEVELOPER = "developer", _("建设单位")

    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        MEMBER = "member", _("成员")

    election = models.ForeignKey(CommitteeElection, on_delete=models.CASCADE, related_name="group",
                                 verbose_name=_("选举"))
    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("用户"))
    side = models.CharField(_("代表方"), max_length=10, choices=Side.choices)
    role = models.CharField(_("职务"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("筹备组成员")
        verbose_name_plural = _("筹备组成员")
        ordering = ["election", "-role", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "name", "side"], name="uniq_preparatory_member")]

    def __str__(self):
        return self.name

    @property
    def masked_name(self) -> str:
        """The name on the public page: the first character and a star."""
        return f"{self.name[:1]}*"


class ElectionStep(models.Model):
    community_path = "election__community"

    class Kind(models.TextChoices):
        # In the order of the timeline (the choices' order is the page's order).
        GROUP = "group", _("筹备组成立")
        HANDOVER = "handover", _("旧业委会移交资料和印章")
        ROSTER = "roster", _("公示业主名册")
        CANDIDATES = "candidates", _("公示候选人名单")
        PLEDGES = "pledges", _("收集候选人书面承诺")
        ASSEMBLY = "assembly", _("召开业主大会（选举表决）")
        RESULT = "result", _("公布选举结果")
        FILING = "filing", _("备案")

    election = models.ForeignKey(CommitteeElection, on_delete=models.CASCADE, related_name="steps",
                                 verbose_name=_("选举"))
    kind = models.CharField(_("步骤"), max_length=12, choices=Kind.choices)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    document = models.FileField(_("文件"), upload_to="talents/election/%Y/", blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("换届步骤")
        verbose_name_plural = _("换届步骤")
        ordering = ["election", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "kind"], name="uniq_election_step")]

    def __str__(self):
        return self.get_kind_display()


class CandidateCheck(models.Model):
    community_path = "election__community"

    class Result(models.TextChoices):
        PENDING = "", _("待核查")
        PASSED = "passed", _("核查通过")
        FAILED = "failed", _("不符合条件")

    class Reason(models.TextChoices):
        NONE = "", _("—")
        FEE_ARREARS = "fees", _("拖欠物业费")
        FUND_ARREARS = "fund", _("拖欠专项维修资金")
        VIOLATION = "violation", _("违法违规行为未改正")

    election = models.ForeignKey(CommitteeElection, on_delete=models.CASCADE, related_name="candidate_checks",
                                 verbose_name=_("选举"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("候选人"))
    # The core candidate on the assembly's ballot; removed (None) when the check fails.
    candidate = models.OneToOneField("communities.ElectionCandidate", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="owners_check", verbose_name=_("选票上的候选人"))
    pledge_file = models.FileField(_("书面承诺"), upload_to="talents/election/pledges/%Y/", blank=True)
    pledge_signed_on = models.DateField(_("承诺签署日期"), null=True, blank=True)
    checked_on = models.DateField(_("核查日期"), null=True, blank=True)
    result = models.CharField(_("核查结果"), max_length=10, choices=Result.choices, blank=True, default="")
    reason = models.CharField(_("不符合原因"), max_length=10, choices=Reason.choices, blank=True, default="")
    source = models.CharField(_("核查依据"), max_length=200, blank=True)
    checked_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("核查人"))

    class Meta:
        verbose_name = _("候选人资格核查")
        verbose_name_plural = _("候选人资格核查")
        ordering = ["election", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "user"], name="uniq_candidate_check")]

    def __str__(self):
        return str(self.user)

    @property
    def masked_name(self) -> str:
        return f"{self.user.display_name()[:1]}*"

    @property
    def has_pledge(self) -> bool:
        return bool(self.pledge_file) or self.pledge_signed_on is not None
