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

    # The transitions, declared once: action -> (states it may start from, state it leads to).
    TRANSITIONS = {
        "open": ({Status.DRAFT}, Status.OPEN),
        "close": ({Status.OPEN}, Status.CLOSED),
        "publish": ({Status.CLOSED}, Status.PUBLISHED),
    }
    EDITABLE = {Status.DRAFT}

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

    def may(self, action: str) -> bool:
        return self.status in self.TRANSITIONS[action][0]

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
    area (业主专有面积, Civil Code art. 278) for elections counted by area too; 0 otherwise."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters", verbose_name=_("选举"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("选民"))
    weight = models.DecimalField(_("面积权重"), max_digits=10, decimal_places=2, default=0)
    # Only whether, never when: a time could be matched against the ballots.
    has_voted = models.BooleanField(_("已投票"), default=False)

    class Meta:
        verbose_name = _("选民")
        verbose_name_plural = _("选民名单")
        ordering = ["election", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "user"], name="uniq_election_voter")]

    def __str__(self):
        return f"{self.election} · {self.user}"


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
