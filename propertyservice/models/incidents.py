"""The emergency volunteer team (应急志愿队) and incidents (突发事件), issue 14 item 3.

- ``ResponderProfile``: a member of the village's 物业服务志愿队 (core ``TeamMember``) as an emergency responder:
  skills, availability (away until …, day or night hours) and the on-call order (值守顺序).
- ``Incident``: one emergency, on the core state machine (``propertyservice.incidents_workflow``): detected →
  warned → dispatched → on site → handled → closed, each moment kept on the row and each step an
  ``IncidentEvent``. A drill (演练) is an incident marked ``drill`` and is counted apart.
- ``IncidentWarning``: one warning as issued (level of the four national colours, audience, channel), one row
  per channel (《突发事件应对法》第六十条、第六十一条).
- ``IncidentDispatch``: one link of the escalation chain: a responder called in order, acknowledged, timed out
  or stood down. The beat (``propertyservice.tasks.advance_incident_escalations``) moves the chain on.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models.base import TimelineEvent

# Minutes a called responder has to acknowledge before the next in the chain is called (a setting).
ACK_MINUTES_DEFAULT = 5
# The station's own promise (not law: RULES.md "Emergencies and incidents", industry practice), minutes from
# detection to arrival on site, by urgency; the ordinary one is "answered within 30 minutes".
TARGETS_DEFAULT = {"life": 5, "urgent": 15, "ordinary": 30}
EMERGENCY_TEAM_NAME = "物业服务志愿队"
DAY_STARTS, NIGHT_STARTS = 8, 20  # local hours: 白天 8:00–20:00, 夜间 20:00–8:00


def ack_minutes() -> int:
    return int(getattr(settings, "PROPERTY_INCIDENT_ACK_MINUTES", ACK_MINUTES_DEFAULT))


def response_targets() -> dict:
    return {**TARGETS_DEFAULT, **getattr(settings, "PROPERTY_INCIDENT_TARGETS", {})}


class Skill(models.TextChoices):
    ELECTRICIAN = "electrician", _("电工")
    PLUMBER = "plumber", _("水管工")
    MASON = "mason", _("泥瓦工")
    FIRST_AID = "first_aid", _("急救")
    OTHER = "other", _("其他")


class ResponderProfile(models.Model):
    """A volunteer-team member's emergency profile."""
    community_path = "member__team__community"

    class Hours(models.TextChoices):
        ALL = "all", _("全天")
        DAY = "day", _("白天")
        NIGHT = "night", _("夜间")

    member = models.OneToOneField("communities.TeamMember", on_delete=models.CASCADE,
                                  related_name="responder_profile", verbose_name=_("队员"))
    # A list of ``Skill`` values (JSON, so that SQLite runs the demo too; the services check each value).
    skills = models.JSONField(_("技能"), default=list, blank=True)
    hours = models.CharField(_("值守时段"), max_length=10, choices=Hours.choices, default=Hours.ALL)
    away_until = models.DateTimeField(_("外出至"), null=True, blank=True)
    on_call_order = models.PositiveIntegerField(_("值守顺序"), default=100)
    note = models.CharField(_("备注"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("应急队员档案")
        verbose_name_plural = _("应急队员档案")
        ordering = ["on_call_order", "id"]

    def __str__(self):
        return str(self.member)

    def available_at(self, moment) -> bool:
        if self.away_until and self.away_until > moment:
            return False
        if self.hours == self.Hours.ALL:
            return True
        day = DAY_STARTS <= timezone.localtime(moment).hour < NIGHT_STARTS
        return day if self.hours == self.Hours.DAY else not day

    def skill_labels(self) -> list[str]:
        return [str(Skill(s).label) for s in self.skills]


class Incident(models.Model):
    """One emergency from detection to closure (or a drill of one)."""
    community_path = "community"

    class Kind(models.TextChoices):
        BURST_PIPE = "burst_pipe", _("爆管")
        FIRE_HAZARD = "fire_hazard", _("火灾隐患")
        STORM = "storm", _("台风暴雨")
        POWER_CUT = "power_cut", _("停电")
        FALL = "fall", _("老人摔倒")
        OTHER = "other", _("其他")

    class How(models.TextChoices):
        PATROL = "patrol", _("巡查发现")
        CAMERA = "camera", _("监控发现")
        HOTLINE = "hotline", _("热线电话")
        RESIDENT = "resident", _("村民报告")
        OTHER = "other", _("其他")

    class Urgency(models.TextChoices):
        LIFE = "life", _("危及生命")
        URGENT = "urgent", _("紧急")
        ORDINARY = "ordinary", _("一般")

    class Status(models.TextChoices):
        DETECTED = "detected", _("已发现")
        WARNED = "warned", _("已预警")
        DISPATCHED = "dispatched", _("已派遣")
        ON_SITE = "on_site", _("已到场")
        HANDLED = "handled", _("已处置")
        CLOSED = "closed", _("已关闭")

    community = models.ForeignKey("communities.Community", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("社区"))
    kind = models.CharField(_("事件类型"), max_length=20, choices=Kind.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.URGENT)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DETECTED)
    drill = models.BooleanField(_("演练"), default=False)
    how = models.CharField(_("发现方式"), max_length=10, choices=How.choices)
    detected_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("发现人"))
    place = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("情况描述"))
    needed_skill = models.CharField(_("所需技能"), max_length=20, choices=Skill.choices, blank=True)
    action_taken = models.TextField(_("处置情况"), blank=True)
    detected_at = models.DateTimeField(_("发现时间"))
    warned_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    case = models.OneToOneField("communities.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("后续案件"))

    class Meta:
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["community", "detected_at"], name="incident_month_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.place}"

    def target_minutes(self) -> int:
        return response_targets()[self.urgency]


class IncidentEvent(TimelineEvent):
    """A step of an incident: detected, warned, dispatched, a responder called / acknowledged / timed out, on
    site, handled, closed, a follow-up case opened."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events", verbose_name=_("事件"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("突发事件记录")
        verbose_name_plural = _("突发事件记录")
        indexes = [models.Index(fields=["incident", "at"], name="incident_event_idx")]


class IncidentWarning(models.Model):
    """One warning as issued on one channel: 一级 red (highest) … 四级 blue (《突发事件应对法》第六十一条)."""
    community_path = "incident__community"

    class Level(models.TextChoices):
        RED = "red", _("一级（红色）")
        ORANGE = "orange", _("二级（橙色）")
        YELLOW = "yellow", _("三级（黄色）")
        BLUE = "blue", _("四级（蓝色）")

    class Audience(models.TextChoices):
        ALL = "all", _("全体村民")
        GROUP = "group", _("村民小组")
        BUILDING = "building", _("一幢房屋")

    class Channel(models.TextChoices):
        BROADCAST = "broadcast", _("广播")
        WECHAT = "wechat", _("微信群")
        PHONE = "phone", _("电话")
        DOOR = "door", _("上门")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="warnings",
                                 verbose_name=_("事件"))
    level = models.CharField(_("预警级别"), max_length=10, choices=Level.choices)
    audience = models.CharField(_("发布范围"), max_length=10, choices=Audience.choices)
    village_group = models.ForeignKey("communities.VillageGroup", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("村民小组"))
    building = models.ForeignKey("communities.Building", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("房屋"))
    channel = models.CharField(_("发布渠道"), max_length=10, choices=Channel.choices)
    message = models.TextField(_("预警内容"), blank=True)
    issued_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("发布人"))
    issued_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "channel", "issued_at"],
                                               name="uniq_incident_warning_channel")]

    def audience_label(self) -> str:
        if self.audience == self.Audience.GROUP and self.village_group_id:
            return str(self.village_group.name)
        if self.audience == self.Audience.BUILDING and self.building_id:
            return str(self.building.name)
        return str(self.get_audience_display())


class IncidentDispatch(models.Model):
    """One responder in the incident's escalation chain, called in ``position`` order."""
    community_path = "incident__community"

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        CALLED = "called", _("呼叫中")
        ACKNOWLEDGED = "acknowledged", _("已响应")
        TIMED_OUT = "timed_out", _("超时未响应")
        STOOD_DOWN = "stood_down", _("无需前往")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches",
                                 verbose_name=_("事件"))
    member = models.ForeignKey("communities.TeamMember", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("队员"))
    user = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("队员账号"))
    position = models.PositiveIntegerField(_("呼叫顺序"))
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.QUEUED)
    called_at = models.DateTimeField(_("呼叫时间"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("响应期限"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    timed_out_at = models.DateTimeField(_("超时时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("派遣")
        verbose_name_plural = _("派遣")
        ordering = ["incident", "position"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "position"], name="uniq_incident_dispatch_position"),
            models.UniqueConstraint(fields=["incident", "user"], name="uniq_incident_dispatch_user"),
        ]
        indexes = [models.Index(fields=["ack_due_at"], condition=Q(status="called"), name="incident_dispatch_due")]
