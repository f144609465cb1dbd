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


class HostQualification(models.Model):
    """A qualification of one of a studio's hosts, checked by committee staff and recorded with its number and
    date (RULES.md, studios and classes). What the studio may offer follows from these rows
    (``talents.selectors.studios.may_offer``):

    - 医师资格: a registered traditional-medicine physician (《中医药法》art. 15, 《医师法》): 针灸 as treatment;
      without one the studio gives talks and demonstrations only;
    - 背景核查: checked against the records of sexual assault, abuse, trafficking and violence before working
      with children and every year after (《未成年人保护法》art. 62): ``expires_on`` is a year after the check;
    - 年龄核验: a live-stream host is at least 16, at 16–17 with a guardian's consent
      (《网络直播营销管理办法（试行）》): the date of birth seen on the ID, and the consent.

    A new check is a new row; the older rows stay as the history. ``reminded_at`` guards the one reminder to
    staff that a background check lapses (``talents.tasks.remind_background_checks``)."""
    community_path = "studio__team__community"  # how the policy (communities.policy) reaches its community

    class Kind(models.TextChoices):
        PHYSICIAN = "physician", _("医师资格")
        BACKGROUND = "background", _("背景核查")
        AGE = "age", _("年龄核验")

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="qualifications",
                               verbose_name=_("工作室"))
    host = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="host_qualifications",
                             verbose_name=_("主理人"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("证书或记录编号"), max_length=60, blank=True)
    checked_on = models.DateField(_("核验日期"))
    checked_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("核验人"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    born_on = models.DateField(_("出生日期（证件所见）"), null=True, blank=True)
    guardian_consent = models.BooleanField(_("监护人已同意"), default=False)
    notes = models.TextField(_("备注"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    reminded_at = models.DateTimeField(_("已提醒复核"), null=True, blank=True)

    class Meta:
        verbose_name = _("主理人资质")
        verbose_name_plural = _("主理人资质")
        ordering = ["studio", "host", "kind", "-checked_on", "-id"]
        indexes = [models.Index(fields=["kind", "expires_on"], name="host_qual_kind_expiry_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_on__isnull=True)
                                   | models.Q(expires_on__gt=models.F("checked_on")),
                                   name="host_qual_expires_after_check"),
        ]

    def __str__(self):
        return f"{self.studio} · {self.get_kind_display()} · {self.host}"
