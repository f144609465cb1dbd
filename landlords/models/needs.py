"""The co-building needs list (共建需求清单): committee staff post what the community needs, a governance force
claims it (认领), delivers it with a photo, and staff confirm it done. The seed's example: the sublandlords
"主动认领共建需求清单项目，为小区无偿提供6个爱心座椅".

The giver is a user, and optionally the team they gave for (a core Team: today the 蓉治社, later a talents'
squad), so that the list can say who gave what. The allowed transitions are declared below, once; every
transition appends a NeedEvent, which is never edited.
"""
import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    DELIVERED = "delivered", _("已交付待确认")
    CONFIRMED = "confirmed", _("已完成")
    WITHDRAWN = "withdrawn", _("已撤下")


class CommunityNeed(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="needs",
                                  verbose_name=_("社区"))
    title = models.CharField(_("需求"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    quantity = models.CharField(_("需要什么、多少"), max_length=100, blank=True,
                                help_text=_("例如：长椅 6 张"))
    status = models.CharField(_("状态"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    posted_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("发布人"))
    posted_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    claimed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="claimed_needs", verbose_name=_("认领人"))
    team = models.ForeignKey("communities.Team", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="claimed_needs", verbose_name=_("认领团队"))
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("共建需求")
        verbose_name_plural = _("共建需求")
        ordering = ["-posted_at", "-id"]
        constraints = [
            # Claimed, delivered and confirmed needs always have their giver.
            models.CheckConstraint(condition=Q(status__in=["open", "withdrawn"]) | Q(claimed_by__isnull=False),
                                   name="need_claimed_has_giver"),
        ]
        indexes = [models.Index(fields=["community", "status"], name="need_community_status_idx")]

    def __str__(self):
        return self.title

    @property
    def giver_name(self) -> str:
        if self.claimed_by_id is None:
            return ""
        name = self.claimed_by.display_name()
        return f"{self.team.name} · {name}" if self.team_id else name


class NeedEvent(models.Model):
    """One transition of a need. Never edited or deleted."""

    need = models.ForeignKey(CommunityNeed, on_delete=models.CASCADE, related_name="events", verbose_name=_("需求"))
    actor = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("共建需求记录")
        verbose_name_plural = _("共建需求记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.need_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("need events are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("need events are never deleted")

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def need_photo_path(instance, filename):
    # Random names under MEDIA_ROOT (outside the web root), served only by the guarded view.
    return f"need-photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class NeedPhoto(models.Model):
    need = models.ForeignKey(CommunityNeed, on_delete=models.CASCADE, related_name="photos", verbose_name=_("需求"))
    event = models.ForeignKey(NeedEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos",
                              verbose_name=_("记录"))
    image = models.FileField(_("照片"), upload_to=need_photo_path)
    extension = models.CharField(max_length=5, default="jpg")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("共建需求照片")
        verbose_name_plural = _("共建需求照片")
        ordering = ["created_at", "id"]


# --- the allowed transitions -------------------------------------------------------------------------------
# Who: "candidate" may claim (policy need.claim), "giver" is the claimant or a member of the giving team,
# "staff" manages the community's needs (policy need.manage).
CANDIDATE, GIVER, STAFF = "candidate", "giver", "staff"


@dataclass(frozen=True)
class NeedTransition:
    action: str
    source: str
    target: str
    who: str
    label: str


S = NeedStatus
NEED_TRANSITIONS: list[NeedTransition] = [
    NeedTransition("claim", S.OPEN, S.CLAIMED, CANDIDATE, _("认领")),
    NeedTransition("release", S.CLAIMED, S.OPEN, GIVER, _("放弃认领")),
    NeedTransition("deliver", S.CLAIMED, S.DELIVERED, GIVER, _("交付并上传照片")),
    NeedTransition("confirm", S.DELIVERED, S.CONFIRMED, STAFF, _("确认完成")),
    NeedTransition("send_back", S.DELIVERED, S.CLAIMED, STAFF, _("退回补充")),
    NeedTransition("withdraw", S.OPEN, S.WITHDRAWN, STAFF, _("撤下需求")),
    NeedTransition("withdraw", S.CLAIMED, S.WITHDRAWN, STAFF, _("撤下需求")),
]
ACTION_LABELS = {"post": _("发布需求"), **{t.action: t.label for t in NEED_TRANSITIONS}}


def need_transition(status: str, action: str) -> NeedTransition | None:
    return next((t for t in NEED_TRANSITIONS if t.source == status and t.action == action), None)


def need_targets(action: str) -> set[str]:
    return {t.target for t in NEED_TRANSITIONS if t.action == action}


def need_who(action: str) -> str:
    return next(t.who for t in NEED_TRANSITIONS if t.action == action)
