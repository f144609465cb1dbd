"""The co-building needs list (共建需求清单): committee staff post what the community needs, a governance force
claims it (认领), delivers it with a photo, and staff confirm it done. The seed's example: the sublandlords
"主动认领共建需求清单项目，为小区无偿提供6个爱心座椅".

A core mechanism: 蓉庭's sublandlords claim needs today, 郡园's squads and 光明村's volunteers next. The giver
is a user, and optionally the team they gave for (a core Team: today the 蓉治社, later a talents' squad), so that the list can say who gave what. The allowed transitions are the table of
``communities.need_workflow`` (on the state-machine engine); every step appends a NeedEvent, which is never edited.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import StoredPhoto, TimelineEvent


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


class NeedEvent(TimelineEvent):
    """One step of a need's timeline (posted, claimed, delivered …). Never edited or deleted."""

    need = models.ForeignKey(CommunityNeed, on_delete=models.CASCADE, related_name="events", verbose_name=_("需求"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("共建需求记录")
        verbose_name_plural = _("共建需求记录")

    def __str__(self):
        return f"{self.need_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        from ..need_workflow import NEED_ACTION_LABELS  # the table imports this model

        return NEED_ACTION_LABELS.get(self.action, self.action)


class NeedPhoto(StoredPhoto):
    upload_folder = "need-photos"

    need = models.ForeignKey(CommunityNeed, on_delete=models.CASCADE, related_name="photos", verbose_name=_("需求"))
    event = models.ForeignKey(NeedEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos",
                              verbose_name=_("记录"))

    class Meta(StoredPhoto.Meta):
        verbose_name = _("共建需求照片")
        verbose_name_plural = _("共建需求照片")
