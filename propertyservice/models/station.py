"""光明村物业管理服务站 and its people: the employer of record, the posts (岗位) and who holds them, and the
certificates the law asks of a post.

The station itself is the core ``Team`` of kind station; its heads (负责人) are core ``Backbone`` rows
(``STATION_HEAD``). What the core does not know lives here:

- ``StationProfile``: the employer of record (the villagers' committee, 《保安服务管理条例》: a unit that hires
  its own guards files with the police within 30 days) and that filing;
- ``StationPost``: a post, the certificate it needs (保安员证, 特种作业操作证（电工）), whether it is a security post
  (guards are 18 or older), the core rotas it staffs and the core ``Qualification`` those rotas require;
- ``StaffPost``: who holds which post, since when, until when;
- ``Certificate``: one per person and kind, renewed in place; recording it grants the post's core
  qualification (``communities.services.rota_qualifications.qualification_grant``) so the rota engine refuses
  the uncertified. ``alerted_expiry`` is the expiry the lapse alert was sent for (once per expiry).
"""
import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FILING_DAYS = 30  # 《保安服务管理条例》第十三条: file with the police within 30 days of hiring guards
ALERT_DAYS = 30  # heads are told a month before a certificate lapses
ADULT_AGE = 18  # 《保安服务管理条例》第十六条: guards are 18 or older


class CertificateKind(models.TextChoices):
    GUARD = "guard", _("保安员证")
    ELECTRICIAN = "electrician", _("特种作业操作证（电工）")
    OTHER = "other", _("其他证书")


class PostKind(models.TextChoices):
    PATROL = "patrol", _("巡逻")
    GARBAGE = "garbage", _("垃圾清运")
    GREENING = "greening", _("绿化保洁")
    GATE = "gate", _("门岗安保")
    ELECTRICIAN = "electrician", _("电工")


class StationProfile(models.Model):
    """The station's employer of record and its police filing (one per village)."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.OneToOneField("communities.Community", on_delete=models.CASCADE,
                                     related_name="station_profile", verbose_name=_("社区"))
    employer_name = models.CharField(_("用人单位"), max_length=100, default="村民委员会")
    security_since = models.DateField(_("开始自行招用保安员日期"), null=True, blank=True)
    police_filing_number = models.CharField(_("公安机关备案编号"), max_length=50, blank=True)
    police_filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    updated_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("更新人"))
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("服务站用人单位")
        verbose_name_plural = _("服务站用人单位")

    def __str__(self):
        return f"{self.community} · {self.employer_name}"

    @property
    def filed(self) -> bool:
        return bool(self.police_filing_number and self.police_filed_on)

    @property
    def filing_due_on(self) -> dt.date | None:
        return self.security_since + dt.timedelta(days=FILING_DAYS) if self.security_since else None


class StationPost(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="station_posts",
                                  verbose_name=_("社区"), db_index=False)
    kind = models.CharField(_("岗位类型"), max_length=20, choices=PostKind.choices)
    name = models.CharField(_("岗位名称"), max_length=50)
    duties = models.TextField(_("岗位职责"), blank=True)
    certificate_kind = models.CharField(_("所需证书"), max_length=20, choices=CertificateKind.choices, blank=True)
    security = models.BooleanField(_("保安岗位"), default=False,
                                   help_text=_("门岗、巡逻属保安服务：须年满18周岁并持保安员证。"))
    qualification = models.ForeignKey("communities.Qualification", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+", verbose_name=_("对应排班资质"))
    rotas = models.ManyToManyField("communities.Rota", blank=True, related_name="+", verbose_name=_("对应值班表"))

    class Meta:
        verbose_name = _("服务站岗位")
        verbose_name_plural = _("服务站岗位")
        ordering = ["community", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "kind"], name="uniq_station_post_kind")]

    def __str__(self):
        return self.name


class StaffPost(models.Model):
    """A person holding a post from ``since`` (to ``until``, when they left it)."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    post = models.ForeignKey(StationPost, on_delete=models.PROTECT, related_name="holders", verbose_name=_("岗位"))
    person = models.ForeignKey("communities.Person", on_delete=models.PROTECT, related_name="station_posts",
                               verbose_name=_("人员"))
    since = models.DateField(_("上岗日期"))
    until = models.DateField(_("离岗日期"), null=True, blank=True)
    assigned_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("安排人"))
    # Only when the core Person has none: the birth date the age rule of a security post was checked against.
    birth_date = models.DateField(_("核实年龄的出生日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("在岗记录")
        verbose_name_plural = _("在岗记录")
        ordering = ["post_id", "since", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "person"], condition=Q(until__isnull=True),
                                               name="uniq_current_staff_post")]

    def __str__(self):
        return f"{self.person} · {self.post}"


class Certificate(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    person = models.ForeignKey("communities.Person", on_delete=models.CASCADE, related_name="station_certificates",
                               verbose_name=_("持证人"))
    kind = models.CharField(_("证书"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=50)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    issued_by = models.CharField(_("发证机关"), max_length=100)
    recorded_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    # The expiry the heads were alerted about: the daily task alerts once per certificate per expiry.
    alerted_expiry = models.DateField(_("已提醒的到期日"), null=True, blank=True)

    class Meta:
        verbose_name = _("上岗证书")
        verbose_name_plural = _("上岗证书")
        ordering = ["person_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["community", "person", "kind"],
                                               name="uniq_station_certificate")]
        indexes = [models.Index(fields=["community", "expires_on"], name="station_cert_expiry_idx")]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"

    def standing(self, today: dt.date) -> str:
        """``valid``, ``lapsing`` (within ALERT_DAYS) or ``lapsed``."""
        if self.expires_on is None or self.expires_on > today + dt.timedelta(days=ALERT_DAYS):
            return "valid"
        return "lapsed" if self.expires_on < today else "lapsing"
