"""Elections held in the app (the 蓉治社 officers, later 郡园's owners' committee).

The ballot is secret: a ``Ballot`` row names neither the voter nor a time, its key is a random UUID and
its choices have random keys too, so nothing in the ballot tables orders or links them to a voter. The
voter roll row only records *that* its voter has voted. A voter checks their ballot with the receipt
code shown once when they vote; only a SHA-256 hash of it is kept.
"""
import hashlib
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role


class Election(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已截止")
        PUBLISHED = "published", _("已公布结果")

    class Counting(models.TextChoices):
        HEADCOUNT = "headcount", _("按人数计票")
        HEADCOUNT_AND_AREA = "headcount_and_area", _("按人数和专有面积双重计票")

    class Rule(models.TextChoices):
        # How a motion passes and whether the vote is valid at all (communities.decisions).
        SIMPLE = "simple", _("简单多数（团队内部选举）")
        OWNERS = "owners", _("业主共同决定（民法典第二百七十八条）")
        VILLAGERS = "villagers", _("村民会议")
        REPRESENTATIVES = "representatives", _("村民代表会议")

    class TieRule(models.TextChoices):
        # Chosen when the election is drafted, so nobody picks the rule after seeing who tied.
        RUNOFF = "runoff", _("另行决选")
        LOT = "lot", _("抽签（按登记的随机种子）")
        OLDER = "older", _("年长者当选")

    # The transitions (draft → open → closed → published) are the table in communities.election_workflow.

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="elections",
                                  verbose_name=_("社区"))
    # The team whose officers are elected (蓉治社), if any; the team's app acts on the published result.
    team = models.ForeignKey("communities.Team", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="elections", verbose_name=_("团队"))
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    counting = models.CharField(_("计票方式"), max_length=20, choices=Counting.choices, default=Counting.HEADCOUNT)
    # Who may vote: the community's users with this role, on the roll taken when the election opens.
    electorate_role = models.CharField(_("选民范围"), max_length=20, choices=Role.choices, default=Role.SUBLANDLORD)
    # Which electorate provider takes the roll (communities.electorates); "role" uses electorate_role.
    electorate = models.CharField(_("选民来源"), max_length=30, default="role")
    rule = models.CharField(_("表决规则"), max_length=20, choices=Rule.choices, default=Rule.SIMPLE)
    tie_rule = models.CharField(_("末位同票处理"), max_length=10, choices=TieRule.choices, default=TieRule.RUNOFF)
    # Recorded when the election is drafted; drawing lots orders the tied by hashes of it (services).
    tie_seed = models.CharField(_("抽签种子"), max_length=32, blank=True)
    # Voting cannot open before notice_published_at + notice_days (e.g. ten days for a villagers' meeting).
    notice_days = models.PositiveSmallIntegerField(_("公告期(天)"), default=0)
    notice_published_at = models.DateTimeField(_("公告发布时间"), null=True, blank=True)
    opens_at = models.DateTimeField(_("投票开始"), null=True, blank=True)
    closes_at = models.DateTimeField(_("投票截止"), null=True, blank=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    # The published result, frozen when the election is published (see services.elections.election_tally).
    tally = models.JSONField(_("计票结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("选举")
        verbose_name_plural = _("选举")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "status"], name="election_status_idx")]

    def __str__(self):
        return self.title

    @property
    def counts_area(self) -> bool:
        return self.counting == self.Counting.HEADCOUNT_AND_AREA


class ElectionPost(models.Model):
    """A post (职位) to fill, with its number of seats."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="posts", verbose_name=_("选举"))
    name = models.CharField(_("职位"), max_length=50)
    seats = models.PositiveSmallIntegerField(_("名额"), default=1)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("职位")
        verbose_name_plural = _("职位")
        ordering = ["election", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "name"], name="uniq_election_post"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_post_seats_positive"),
        ]

    def __str__(self):
        return self.name


class Motion(models.Model):
    """A matter put to the vote (议题): for, against or abstain. ``matter`` picks the threshold under the
    owners' rule (Civil Code art. 278: items 6–8 need three quarters, the rest more than half)."""

    class Matter(models.TextChoices):
        ORDINARY = "ordinary", _("一般事项（过半数）")
        SPECIAL = "special", _("重大事项：筹集维修资金、改建重建、改变共有部分用途（四分之三以上）")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="motions",
                                 verbose_name=_("选举"))
    title = models.CharField(_("议题"), max_length=200)
    matter = models.CharField(_("事项类别"), max_length=10, choices=Matter.choices, default=Matter.ORDINARY)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["election", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "title"], name="uniq_election_motion")]

    def __str__(self):
        return self.title


class ElectionCandidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates",
                                 verbose_name=_("选举"))
    post = models.ForeignKey(ElectionPost, on_delete=models.CASCADE, related_name="candidates",
                             verbose_name=_("职位"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("候选人"))
    statement = models.TextField(_("竞选陈述"), blank=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["post", "id"]
        constraints = [
            # One post per person per election: an officer holds one office.
            models.UniqueConstraint(fields=["election", "user"], name="uniq_election_candidate"),
        ]

    def __str__(self):
        return f"{self.post} · {self.user}"


class ElectionVoter(models.Model):
    """One row of the voter roll, taken when the election opens. ``weight`` is the voter's exclusive floor
    area (业主专有面积, Civil Code art. 278) for elections counted by area too; 0 otherwise.

    Rows sharing a ``share_key`` cast one vote between them (co-owners of a unit, one household): the
    ``counted`` row carries the headcount and the weight, and a vote by any of them marks all of them.
    A row without a user (an owner with no account, the developer's unsold units) votes on paper."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters", verbose_name=_("选举"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("选民"))
    person = models.ForeignKey("communities.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("人员"))
    label = models.CharField(_("名称"), max_length=100, blank=True)
    share_key = models.CharField(_("共同投票组"), max_length=60, blank=True)
    counted = models.BooleanField(_("计入人数"), default=True)
    # The village quorum counts households present: the unit this villager lives in.
    household = models.CharField(_("户"), max_length=30, blank=True)
    weight = models.DecimalField(_("面积权重"), max_digits=10, decimal_places=2, default=0)
    # Only whether, never when: a time could be matched against the ballots.
    has_voted = models.BooleanField(_("已投票"), default=False)

    class Meta:
        verbose_name = _("选民")
        verbose_name_plural = _("选民名单")
        ordering = ["election", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "user"], name="uniq_election_voter")]

    def __str__(self):
        return f"{self.election} · {self.name()}"

    def name(self) -> str:
        if self.label:
            return self.label
        if self.user_id:
            return self.user.display_name()
        return self.person.name if self.person_id else "?"


def receipt_hash(code: str) -> str:
    """The stored form of a receipt code; spaces, dashes and case do not matter."""
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


class Ballot(models.Model):
    """A cast ballot. No voter, no time, a random key: it cannot be joined back to whoever cast it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="ballots",
                                 verbose_name=_("选举"))
    receipt_hash = models.CharField(_("回执码摘要"), max_length=64, unique=True)
    # The voter's area, copied for elections counted by area (0 otherwise).
    weight = models.DecimalField(_("面积权重"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")

    def __str__(self):
        return f"{self.election} · {self.pk}"


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices", verbose_name=_("选票"))
    candidate = models.ForeignKey(ElectionCandidate, on_delete=models.PROTECT, related_name="choices",
                                  verbose_name=_("候选人"))

    class Meta:
        verbose_name = _("选票选项")
        verbose_name_plural = _("选票选项")
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="uniq_ballot_choice")]


class MotionVote(models.Model):
    """One ballot's answer on one motion; random key, like a BallotChoice."""

    class Choice(models.TextChoices):
        FOR = "for", _("同意")
        AGAINST = "against", _("反对")
        ABSTAIN = "abstain", _("弃权")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="motion_votes", verbose_name=_("选票"))
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="votes", verbose_name=_("议题"))
    choice = models.CharField(_("表决意见"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("议题表决")
        verbose_name_plural = _("议题表决")
        constraints = [models.UniqueConstraint(fields=["ballot", "motion"], name="uniq_ballot_motion")]


class PaperBallot(models.Model):
    """A paper ballot typed in by one staff member; it counts only once a second, different staff member
    confirms it against the paper. Until then ``choices`` holds what was typed; confirming turns it into a
    ``Ballot`` and empties ``choices``, so the stored rows no longer say how this voter voted (the signed
    paper stays in the office file)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="paper_ballots",
                                 verbose_name=_("选举"))
    voter = models.ForeignKey(ElectionVoter, on_delete=models.PROTECT, related_name="paper_ballots",
                              verbose_name=_("选民"))
    choices = models.JSONField(_("录入内容"), default=dict, blank=True)
    entered_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    confirmed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("复核人"))
    confirmed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("纸质选票")
        verbose_name_plural = _("纸质选票")
        ordering = ["election", "entered_at", "id"]
        constraints = [
            # One pending or confirmed paper ballot per roll row.
            models.UniqueConstraint(fields=["voter"], name="uniq_paper_ballot_voter"),
            models.CheckConstraint(condition=~Q(confirmed_by=models.F("entered_by")),
                                   name="paper_ballot_two_people"),
        ]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
