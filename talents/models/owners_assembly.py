"""The assembly area of the owners' hub (issue 15): which item of Civil Code art. 278 para. 1 a motion is, requests
for an extraordinary assembly (沪物业规定: called when 20 % of owners ask), the estate's voting rules ("non-voters
follow the majority", off by default) and the proven deliveries of ballots that rule needs."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Art278Item(models.IntegerChoices):
    """Civil Code art. 278 para. 1; items 6–8 need three quarters of both tallies, the others more than half."""
    RULES_OF_PROCEDURE = 1, _("（一）制定和修改业主大会议事规则")
    COVENANT = 2, _("（二）制定和修改管理规约")
    COMMITTEE = 3, _("（三）选举业主委员会或者更换业主委员会成员")
    PROPERTY_COMPANY = 4, _("（四）选聘和解聘物业服务企业或者其他管理人")
    USE_FUND = 5, _("（五）使用建筑物及其附属设施的维修资金")
    RAISE_FUND = 6, _("（六）筹集建筑物及其附属设施的维修资金")
    REBUILD = 7, _("（七）改建、重建建筑物及其附属设施")
    COMMON_PARTS_USE = 8, _("（八）改变共有部分的用途或者利用共有部分从事经营活动")
    OTHER = 9, _("（九）有关共有和共同管理权利的其他重大事项")


SPECIAL_ITEMS = frozenset({Art278Item.RAISE_FUND, Art278Item.REBUILD, Art278Item.COMMON_PARTS_USE})


class MotionBasis(models.Model):
    """Which item of art. 278 para. 1 a core ``Motion`` is. The motion's ``matter`` is derived from it by
    ``services.owners_assembly.assembly_motion_add`` and never chosen separately, so the two cannot disagree."""
    motion = models.OneToOneField("communities.Motion", on_delete=models.CASCADE, related_name="basis",
                                  verbose_name=_("议题"))
    item = models.PositiveSmallIntegerField(_("《民法典》第二百七十八条第一款"), choices=Art278Item.choices)

    class Meta:
        verbose_name = _("议题事项")
        verbose_name_plural = _("议题事项")

    def __str__(self):
        return str(self.get_item_display())

    @property
    def special(self) -> bool:
        return self.item in SPECIAL_ITEMS


class EstateVotingRules(models.Model):
    """An estate's rules of procedure on counting: whether non-voters are deemed to agree with the majority
    (视为同意多数). Off by default; on only with the clause of the rules of procedure recorded (a reading of
    (2022)沪02民初16号, RULES.md)."""
    community_path = "community"

    community = models.OneToOneField("communities.Community", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("社区"))
    deemed_consent = models.BooleanField(_("未表决视为同意多数"), default=False)
    clause = models.TextField(_("议事规则条款"), blank=True)
    switched_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("设置人"))
    switched_at = models.DateTimeField(_("设置时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决规则")
        verbose_name_plural = _("表决规则")
        constraints = [models.CheckConstraint(condition=Q(deemed_consent=False) | ~Q(clause=""),
                                              name="voting_rules_clause_needed")]

    def __str__(self):
        return str(self.community)


class BallotDelivery(models.Model):
    """Proof that an owner group's ballot was delivered to them: without it a non-voter is never deemed to
    agree, whatever the rules of procedure say. ``voter`` is the group's counted roll row."""
    community_path = "assembly__community"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("当面签收")
        REGISTERED = "registered", _("挂号信")
        EXPRESS = "express", _("快递（有签收记录）")
        OTHER = "other", _("其他（有凭证）")

    assembly = models.ForeignKey("talents.OwnersAssembly", on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("业主表决"))
    voter = models.ForeignKey("communities.ElectionVoter", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("业主"))
    delivered_on = models.DateField(_("送达日期"))
    method = models.CharField(_("送达方式"), max_length=12, choices=Method.choices)
    signer = models.CharField(_("签收人"), max_length=50, blank=True)
    proof = models.CharField(_("凭证（单号、签收单编号等）"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("选票送达记录")
        verbose_name_plural = _("选票送达记录")
        ordering = ["assembly", "voter_id"]
        constraints = [models.UniqueConstraint(fields=["assembly", "voter"], name="uniq_ballot_delivery")]


class AssemblyRequest(models.Model):
    """An owner's request for an extraordinary assembly (业主大会临时会议). One open request per owner group:
    co-owners of a unit count once, a person with several units once (``group_key``)."""
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    requester = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("提议业主"))
    group_key = models.CharField(_("业主组"), max_length=60)
    matter = models.CharField(_("提议事项"), max_length=300)
    created_at = models.DateTimeField(_("提议时间"), default=timezone.now)
    # Set when the committee calls the extraordinary assembly the requests asked for.
    answered_by = models.ForeignKey("talents.OwnersAssembly", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("召开的临时会议"))

    class Meta:
        verbose_name = _("临时会议提议")
        verbose_name_plural = _("临时会议提议")
        ordering = ["community", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "group_key"], condition=Q(answered_by=None),
                                               name="uniq_open_assembly_request")]


class AssemblyCallDue(models.Model):
    """The open requests reached 20 % of the estate's owners: the committee must call an extraordinary
    assembly. One open row per estate, so the committee is notified once."""
    community_path = "community"

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    reached_at = models.DateTimeField(_("达到时间"))
    requests = models.PositiveIntegerField(_("提议业主数"))
    roll_heads = models.PositiveIntegerField(_("业主总人数"))
    answered_by = models.ForeignKey("talents.OwnersAssembly", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("召开的临时会议"))

    class Meta:
        verbose_name = _("应召开临时会议")
        verbose_name_plural = _("应召开临时会议")
        constraints = [models.UniqueConstraint(fields=["community"], condition=Q(answered_by=None),
                                               name="uniq_open_assembly_call")]
