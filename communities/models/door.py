"""The rows through which the apps meet the core (``communities/extensions.py`` is the code of the door).

- ``CommunityApp``: which apps serve which community, set by staff in the admin (and by the demo seed). An app's
  menu entries and panels show only in the communities it serves.
- ``CaseOrigin``: the app object a case was filed from (a mediation record, a rental flag, a meeting's action
  item); the case page links back to it through the resolver the app registered for that kind.
- ``CommunityFigure``: a number an app pushes for the Party dashboards (``services.figures.record_figure``); the
  dashboard reads these rows and runs no app code.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommunityApp(models.Model):
    """``app_label`` serves ``community``: its menu entry, its hub and its panels show there."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="apps",
                                  verbose_name=_("社区"))
    app_label = models.SlugField(_("应用"), max_length=50)
    since = models.DateTimeField(_("开通时间"), default=timezone.now)

    class Meta:
        verbose_name = _("社区开通的应用")
        verbose_name_plural = _("社区开通的应用")
        ordering = ["community", "app_label"]
        constraints = [models.UniqueConstraint(fields=["community", "app_label"], name="uniq_community_app")]

    def __str__(self):
        return f"{self.community} · {self.app_label}"


class CaseOrigin(models.Model):
    """Where a case came from: one app object, named by its kind (``"landlords.mediation_record"``) and id.

    Written once, when the case is filed from the object; an object may be the origin of several cases over time
    (a unit flagged again after its first case closed), so (kind, object_id) is indexed, not unique."""
    case = models.OneToOneField("communities.Case", on_delete=models.CASCADE, primary_key=True,
                                related_name="origin", verbose_name=_("诉求"))
    app_label = models.SlugField(_("应用"), max_length=50)
    kind = models.CharField(_("来源类型"), max_length=80)  # "<app_label>.<what>", as registered
    object_id = models.PositiveBigIntegerField(_("来源编号"))
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("诉求来源")
        verbose_name_plural = _("诉求来源")
        indexes = [models.Index(fields=["kind", "object_id"], name="case_origin_object_idx")]

    def __str__(self):
        return f"#{self.case_id} ← {self.kind} {self.object_id}"


class CommunityFigure(models.Model):
    """One number an app reports for one community on one day (``key`` names it within the app).

    Upserted by ``record_figure`` (a repeat overwrites the day's value); ``label`` is kept untranslated (the
    app's msgid) and shown in the reader's language."""
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="figures",
                                  verbose_name=_("社区"))
    app_label = models.SlugField(_("应用"), max_length=50)
    key = models.SlugField(_("指标"), max_length=80)
    day = models.DateField(_("日期"))
    value = models.BigIntegerField(_("数值"))
    label = models.CharField(_("名称"), max_length=100)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("社区指标")
        verbose_name_plural = _("社区指标")
        ordering = ["community", "app_label", "key", "-day"]
        constraints = [models.UniqueConstraint(fields=["community", "app_label", "key", "day"],
                                               name="uniq_community_figure_day")]
        indexes = [models.Index(fields=["community", "-day"], name="community_figure_day_idx")]

    def __str__(self):
        return f"{self.community_id} {self.app_label}.{self.key} {self.day}: {self.value}"
