"""Governance squads (治理小分队): formed by talents with the committee's consent. A squad is a core ``Team`` of kind
squad (members: ``TeamMember``; its proposer a ``Backbone``); here are the proposal that founds it and the tasks its
members take on — claiming items of the core needs list (认领需求), patrols (巡查) and events (活动) — with each
participant's actual start and end, from which their volunteer hours are recorded in the core record."""
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SquadProposal(models.Model):
    """A talent proposes a squad; committee staff approve it (with the consent recorded) or decline it."""
    community_path = "community"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待居委同意")
        APPROVED = "approved", _("已同意成立")
        DECLINED = "declined", _("未同意")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="squad_proposals",
                                  verbose_name=_("社区"))
    name = models.CharField(_("小分队名称"), max_length=60)
    purpose = models.TextField(_("宗旨和任务"))
    proposed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="squad_proposals",
                                    verbose_name=_("发起人"))
    founding_members = models.ManyToManyField("communities.User", related_name="+", blank=True,
                                              verbose_name=_("首批成员"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    consent_note = models.CharField(_("居委同意依据"), max_length=200, blank=True,
                                    help_text=_("例如：居委会 2026-03-05 会议同意"))
    decline_reason = models.CharField(_("未同意原因"), max_length=200, blank=True)
    team = models.OneToOneField("communities.Team", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="squad_proposal", verbose_name=_("小分队"))

    class Meta:
        verbose_name = _("小分队成立申请")
        verbose_name_plural = _("小分队成立申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(decline_reason=""),
                                   name="squad_declined_has_reason"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(team__isnull=False),
                                   name="squad_approved_has_team"),
        ]

    def __str__(self):
        return self.name


class SquadTask(models.Model):
    community_path = "team__community"

    class Kind(models.TextChoices):
        NEED = "need", _("认领需求")
        PATROL = "patrol", _("巡查")
        EVENT = "event", _("活动")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    team = models.ForeignKey("communities.Team", on_delete=models.CASCADE, related_name="squad_tasks",
                             verbose_name=_("小分队"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("任务"), max_length=100)
    need = models.ForeignKey("communities.CommunityNeed", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="squad_tasks", verbose_name=_("共建需求"))
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    place = models.CharField(_("地点"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    completed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认完成人"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("小分队任务")
        verbose_name_plural = _("小分队任务")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="squad_task_ends_after"),
            models.CheckConstraint(condition=~Q(kind="need") | Q(need__isnull=False), name="squad_need_task_has_need"),
        ]
        indexes = [models.Index(fields=["team", "status"], name="squad_task_team_idx")]

    def __str__(self):
        return self.title


class SquadTaskParticipant(models.Model):
    """One member's part in a task: the actual start and end (travel excluded), and when their hours went into
    the core record, confirmed by whom (a backbone or staff, never the participant themself)."""
    community_path = "task__team__community"

    task = models.ForeignKey(SquadTask, on_delete=models.CASCADE, related_name="participants",
                             verbose_name=_("任务"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="squad_participations",
                             verbose_name=_("参与人"))
    started_at = models.DateTimeField(_("实际开始"), null=True, blank=True)
    ended_at = models.DateTimeField(_("实际结束"), null=True, blank=True)
    hours_recorded_at = models.DateTimeField(_("时长记录时间"), null=True, blank=True)
    hours_confirmed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("时长确认人"))

    class Meta:
        verbose_name = _("任务参与人")
        verbose_name_plural = _("任务参与人")
        ordering = ["task", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "user"], name="uniq_squad_task_participant"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gt=F("started_at")),
                                   name="squad_participant_ends_after"),
            models.CheckConstraint(condition=Q(hours_recorded_at__isnull=True)
                                   | (Q(hours_confirmed_by__isnull=False) & ~Q(hours_confirmed_by=F("user"))),
                                   name="squad_hours_confirmed_by_another"),
        ]

    def __str__(self):
        return f"{self.task} · {self.user}"

    @property
    def minutes(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)
