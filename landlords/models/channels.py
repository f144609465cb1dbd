"""The two groups (二群): the team's management channel (团队管理群) and one channel per building (楼组群).

Membership is not stored: it follows the community's roles and who lives in or lets a unit of the
building today (landlords.selectors.channels.member_q), so a tenant who moves in sees the building's
channel at once and one who moves out stops seeing it, with nothing to keep in step.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.natural import Natural


class Channel(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Kind(models.TextChoices):
        TEAM = "team", _("团队管理群")
        BUILDING = "building", _("楼组群")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    building = models.OneToOneField("communities.Building", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="channel", verbose_name=_("楼栋"))
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("群组")
        verbose_name_plural = _("群组")
        ordering = ["community", "kind", Natural("name")]
        constraints = [
            models.UniqueConstraint(fields=["community"], condition=Q(kind="team"), name="uniq_team_channel"),
            models.CheckConstraint(condition=(Q(kind="team") & Q(building__isnull=True))
                                   | (Q(kind="building") & Q(building__isnull=False)),
                                   name="channel_building_iff_building_kind"),
        ]

    def __str__(self):
        return self.name


class Announcement(models.Model):
    community_path = "channel__community"  # how the policy (communities.policy) reaches its community
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="announcements",
                                verbose_name=_("群组"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    posted_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("发布人"))
    posted_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("群公告")
        verbose_name_plural = _("群公告")
        ordering = ["-posted_at", "-id"]
        indexes = [models.Index(fields=["channel", "-posted_at"], name="announcement_channel_idx")]

    def __str__(self):
        return self.title

    @property
    def community_id(self):
        return self.channel.community_id


class AnnouncementRead(models.Model):
    """A read receipt: written once, the first time the reader opens the announcement."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads",
                                     verbose_name=_("群公告"))
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("读者"))
    read_at = models.DateTimeField(_("阅读时间"), default=timezone.now)

    class Meta:
        verbose_name = _("已读回执")
        verbose_name_plural = _("已读回执")
        # Also the index unread_count probes: (announcement, user) for each announcement of the user's channels.
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="uniq_announcement_read")]
