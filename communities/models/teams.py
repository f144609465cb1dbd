from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..natural import Natural


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
        STUDIO = "studio", _("达人工作室")
        OWNERS_COMMITTEE = "owners_committee", _("业主委员会")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="teams",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("成立时间"), default=timezone.now)

    class Meta:
        verbose_name = _("团队")
        verbose_name_plural = _("团队")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_team_name")]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    """One person's membership of a team, from joining to leaving: the one definition of a team's members
    (read them through communities.selectors.teams). A person who leaves keeps the row with ``left_at`` set;
    joining again opens a new row.

    ``invited_by`` is the person whose invitation or sign-up link brought them in, and nothing else: the
    Party layer counts a backbone's followers by it, so it is never guessed (a role grant or a migrated row
    leaves it empty)."""
    community_path = "team__community"  # how the policy (communities.policy) reaches its community

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("团队"))
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="team_memberships",
                             verbose_name=_("成员"))
    joined_at = models.DateTimeField(_("加入时间"), default=timezone.now)
    invited_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="team_invitees", verbose_name=_("邀请人"))
    left_at = models.DateTimeField(_("退出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["team", "joined_at", "id"]
        constraints = [
            # One open membership per person per team; the closed ones are the history.
            models.UniqueConstraint(fields=["team", "user"], condition=Q(left_at__isnull=True),
                                    name="uniq_open_team_member"),
            models.CheckConstraint(condition=Q(left_at__isnull=True) | Q(left_at__gte=F("joined_at")),
                                   name="team_member_leaves_after_joining"),
        ]
        indexes = [models.Index(fields=["user", "team"], condition=Q(left_at__isnull=True),
                                name="team_member_open_idx")]

    def __str__(self):
        return f"{self.team} · {self.user}"


class Backbone(models.Model):
    """One of a team's key people (骨干) in an office for a term: 会长, 副会长 or 骨干 of the sublandlords'
    team, a studio's 主理人, a station's 负责人. Filled from a published election (``election``) or appointed
    by staff (``appointed_by``, with an audit row). A term that ends keeps its row with ``term_end`` set, so
    the team's history stays readable."""
    community_path = "team__community"  # how the policy (communities.policy) reaches its community

    class Office(models.TextChoices):
        PRESIDENT = "president", _("会长")
        VICE_PRESIDENT = "vice_president", _("副会长")
        BACKBONE = "backbone", _("骨干")
        STUDIO_HOST = "studio_host", _("主理人")
        STATION_HEAD = "station_head", pgettext_lazy("team office", "负责人")
        # An owners' committee (业委会): 主任, 副主任, 委员.
        DIRECTOR = "director", _("业委会主任")
        DEPUTY_DIRECTOR = "deputy_director", _("业委会副主任")
        COMMITTEE_MEMBER = "committee_member", _("业委会委员")

    class Source(models.TextChoices):
        ELECTION = "election", _("选举产生")
        APPOINTED = "appointed", _("任命")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="backbones", verbose_name=_("团队"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="backbone_terms",
                             verbose_name=_("成员"))
    office = models.CharField(_("职务"), max_length=20, choices=Office.choices)
    term_start = models.DateField(_("任职日期"))
    term_end = models.DateField(_("卸任日期"), null=True, blank=True)
    source = models.CharField(_("产生方式"), max_length=10, choices=Source.choices)
    election = models.ForeignKey("communities.Election", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("选举"))
    appointed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("任命人"))

    class Meta:
        verbose_name = _("团队骨干")
        verbose_name_plural = _("团队骨干")
        ordering = ["team", "term_start", "id"]
        constraints = [
            # One current office per person per team.
            models.UniqueConstraint(fields=["team", "user"], condition=Q(term_end__isnull=True),
                                    name="uniq_current_backbone"),
            models.CheckConstraint(condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                                   name="backbone_term_ends_after_start"),
            # An elected term names no appointer, an appointed one no election.
            models.CheckConstraint(condition=(Q(source="election", appointed_by__isnull=True)
                                              | Q(source="appointed", election__isnull=True)),
                                   name="backbone_source_consistent"),
        ]

    def __str__(self):
        return f"{self.team} · {self.get_office_display()} · {self.user}"


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
        ordering = ["community", Natural("name")]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_public_place_name")]

    def __str__(self):
        return self.name
