"""A studio (达人工作室): a governance force on the core ``Team`` (kind studio), run by its hosts (``Backbone``
主理人) in the Party-and-people service centre, with followers (``TeamMember``, with who invited them)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models.base import StoredPhoto


class Studio(models.Model):
    """What a studio says about itself; its people are the core team's (hosts: ``Backbone``, office 主理人;
    followers: ``TeamMember``)."""
    community_path = "team__community"  # how the policy (communities.policy) reaches its community

    class TalentKind(models.TextChoices):
        AROMA = "aroma", _("香道")
        CALLIGRAPHY = "calligraphy", _("书法")
        READING = "reading", _("阅读")
        ACUPUNCTURE = "acupuncture", _("针灸")
        KARATE = "karate", _("空手道")
        LIVESTREAM = "livestream", _("直播")
        PHOTOGRAPHY = "photography", _("摄影")
        OTHER = "other", _("其他")

    team = models.OneToOneField("communities.Team", on_delete=models.CASCADE, related_name="studio",
                                verbose_name=_("团队"))
    slug = models.SlugField(_("代号"), max_length=40)
    talent_kind = models.CharField(_("才艺类别"), max_length=20, choices=TalentKind.choices)
    tagline = models.CharField(_("一句话介绍"), max_length=100, blank=True)
    description = models.TextField(_("介绍"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("达人工作室")
        verbose_name_plural = _("达人工作室")
        ordering = ["team__name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="uniq_studio_slug")]

    def __str__(self):
        return self.team.name


class StudioPhoto(StoredPhoto):
    """A photo of the studio (its room, its works). Photos showing people follow the consent rule of the
    classes (RULES.md, studios and classes): none without that person's or guardian's consent."""
    upload_folder = "studios"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="photos", verbose_name=_("工作室"))

    class Meta(StoredPhoto.Meta):
        verbose_name = _("工作室照片")
        verbose_name_plural = _("工作室照片")
