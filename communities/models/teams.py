from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A group that can handle cases or share duties: the village property station, a volunteer
    squad, the sublandlords' team, the committee itself."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("居村委")
        STATION = "station", _("物业管理服务站")
        SQUAD = "squad", _("治理小分队")
        LANDLORD_TEAM = "landlord_team", _("二房东自治团队")
        VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="teams",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    members = models.ManyToManyField("communities.User", blank=True, related_name="teams", verbose_name=_("成员"))
    created_at = models.DateTimeField(_("成立时间"), default=timezone.now)

    class Meta:
        verbose_name = _("团队")
        verbose_name_plural = _("团队")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_team_name")]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """An outside agency a case can be referred to (公安, 城管, 消防, 市场监管 …)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.SlugField(_("代号"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PublicPlace(models.Model):
    """A public spot of a community (a square, a gate, a car park) that cases and QR codes can name."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="public_places",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("公共区域")
        verbose_name_plural = _("公共区域")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_public_place_name")]

    def __str__(self):
        return self.name
