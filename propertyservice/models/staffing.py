"""Recruiting the station's staff (招聘) and training them (培训).

A ``Recruit`` is one application for one post; its steps (application → training → assessment → hired, a
failed assessment retaken) are declared on the core engine in ``propertyservice.staffing_workflow`` and each
leaves a ``RecruitEvent``. Each assessment is an ``Assessment`` row (pass/fail, score, assessor). Training
sessions (``TrainingSession``) are open to staff and recruits alike; ``TrainingAttendance`` says who came, and
a person's training record is the sessions they attended.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models.base import TimelineEvent


class Recruit(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Status(models.TextChoices):
        APPLIED = "applied", _("已报名")
        TRAINING = "training", _("培训中")
        PASSED = "passed", _("考核通过")
        FAILED = "failed", _("考核未通过")
        HIRED = "hired", _("已录用")
        WITHDRAWN = "withdrawn", _("已撤回")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    person = models.ForeignKey("communities.Person", on_delete=models.PROTECT, related_name="station_applications",
                               verbose_name=_("应聘人"))
    post = models.ForeignKey("propertyservice.StationPost", on_delete=models.PROTECT, related_name="recruits",
                             verbose_name=_("应聘岗位"))
    # Only when the core Person has none: the age rule of a security post needs it.
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("招聘报名")
        verbose_name_plural = _("招聘报名")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.person} · {self.post}"


# A recruit still on the way (not hired, not withdrawn): one open application per person and post.
RECRUIT_OPEN = (Recruit.Status.APPLIED, Recruit.Status.TRAINING, Recruit.Status.FAILED, Recruit.Status.PASSED)


class RecruitEvent(TimelineEvent):
    recruit = models.ForeignKey(Recruit, on_delete=models.CASCADE, related_name="events", verbose_name=_("招聘报名"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("招聘记录")
        verbose_name_plural = _("招聘记录")
        indexes = [models.Index(fields=["recruit", "at"], name="recruit_event_idx")]


class Assessment(models.Model):
    community_path = "recruit__community"  # how the policy (communities.policy) reaches its community

    recruit = models.ForeignKey(Recruit, on_delete=models.CASCADE, related_name="assessments",
                                verbose_name=_("招聘报名"))
    passed = models.BooleanField(_("是否通过"))
    score = models.PositiveSmallIntegerField(_("得分"))
    assessor = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("考核人"))
    assessed_at = models.DateTimeField(_("考核时间"), default=timezone.now)
    note = models.TextField(_("考核意见"), blank=True)

    class Meta:
        verbose_name = _("上岗考核")
        verbose_name_plural = _("上岗考核")
        ordering = ["assessed_at", "id"]


class TrainingSession(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    topic = models.CharField(_("培训内容"), max_length=100)
    starts_at = models.DateTimeField(_("培训时间"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    trainer = models.CharField(_("授课人"), max_length=50, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("培训场次")
        verbose_name_plural = _("培训场次")
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.topic


class TrainingAttendance(models.Model):
    community_path = "session__community"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("培训场次"))
    person = models.ForeignKey("communities.Person", on_delete=models.CASCADE, related_name="station_trainings",
                               verbose_name=_("人员"))
    present = models.BooleanField(_("出席"), default=True)
    recorded_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, related_name="+",
                                    verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="uniq_training_attendance")]
