"""The 蓉治社 team's officers: chosen in an election held in the app (communities.models.elections)."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TeamOfficer(models.Model):
    """One officer of a landlords' team (蓉治社): 会长, 副会长 or 骨干, since the election that chose them.
    Past officers keep their row with ``until`` set, so the team's history stays readable."""

    class Office(models.TextChoices):
        PRESIDENT = "president", _("会长")
        VICE_PRESIDENT = "vice_president", _("副会长")
        BACKBONE = "backbone", _("骨干")

    team = models.ForeignKey("communities.Team", on_delete=models.CASCADE, related_name="officers",
                             limit_choices_to={"kind": "landlord_team"}, verbose_name=_("团队"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="team_offices",
                             verbose_name=_("成员"))
    office = models.CharField(_("职务"), max_length=20, choices=Office.choices)
    since = models.DateField(_("任职日期"))
    until = models.DateField(_("卸任日期"), null=True, blank=True)
    election = models.ForeignKey("communities.Election", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("选举"))

    class Meta:
        verbose_name = _("团队骨干")
        verbose_name_plural = _("团队骨干")
        ordering = ["team", "since", "id"]
        constraints = [
            # One current office per person per team.
            models.UniqueConstraint(fields=["team", "user"], condition=Q(until__isnull=True),
                                    name="uniq_current_team_officer"),
        ]

    def __str__(self):
        return f"{self.team} · {self.get_office_display()} · {self.user}"

    @property
    def community_id(self):
        return self.team.community_id
