"""Meetings (三定: 定时定点定题 — fixed time, fixed place, fixed topic).

A series holds the recurrence (an iCal RRULE) and the defaults; each occurrence is a Meeting row,
generated ahead for a rolling horizon under a unique (series, occurrence_key) key. Invitations,
RSVPs, check-ins, the agenda, minutes, decisions and action items hang off the occurrence. Every
change of a meeting's time, place or state appends a MeetingEvent (append-only).

Reminders are claimed by conditional UPDATEs on the meeting's ``reminded_*_at`` columns and carry
the ``version`` they were queued for: a move or cancel bumps the version, so a reminder queued for
the old time finds no row to claim and is never sent.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import TimelineEvent


class MeetingKind(models.TextChoices):
    CHECK_IN = "check_in", _("碰头会")
    JOINT = "joint", _("多方联席会")
    DELIBERATION = "deliberation", _("议事会")
    VILLAGERS = "villagers", _("村民大会")
    OTHER = "other", _("其他会议")


# Meetings every member of the community may see; the others (the landlords' check-in meeting, the
# joint meeting with agencies) are seen by their invitees, their organiser and the leaders.
OPEN_KINDS = frozenset({MeetingKind.DELIBERATION, MeetingKind.VILLAGERS, MeetingKind.OTHER})


class MeetingSeries(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="meeting_series",
                                  verbose_name=_("社区"))
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=MeetingKind.choices)
    # The rule without DTSTART, e.g. "FREQ=MONTHLY;BYDAY=1TU"; ``first_starts_at`` anchors it and gives the time.
    rrule = models.CharField(_("重复规则(iCal RRULE)"), max_length=300)
    first_starts_at = models.DateTimeField(_("首次开始时间"))
    duration_minutes = models.PositiveSmallIntegerField(_("时长(分钟)"), default=90)
    venue = models.CharField(_("地点"), max_length=200)
    organiser = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="organised_series",
                                  verbose_name=_("召集人"))
    standing_topics = models.JSONField(_("固定议题"), default=list, blank=True)
    invited_users = models.ManyToManyField("communities.User", blank=True, related_name="+",
                                           verbose_name=_("邀请人员"))
    invited_teams = models.ManyToManyField("communities.Team", blank=True, related_name="+",
                                           verbose_name=_("邀请团队"))
    invited_agencies = models.ManyToManyField("communities.Agency", blank=True, related_name="+",
                                              verbose_name=_("邀请职能部门"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("例会")
        verbose_name_plural = _("例会")
        ordering = ["community", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=10), name="series_duration_positive"),
        ]

    def __str__(self):
        return self.title

    def describe(self) -> str:
        """When it meets, in the reader's language: "每月第一个周二 19:00"."""
        from ..recurrence import describe

        first = timezone.localtime(self.first_starts_at)
        return describe(self.rrule, at=first.time(), start=first.date())


class Meeting(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        MOVED = "moved", _("已改期")
        CANCELLED = "cancelled", _("已取消")
        HELD = "held", _("已召开")

    # Which states each change may start from: the services and the meeting page both read this.
    ALLOWED_FROM = {
        "move": {Status.SCHEDULED, Status.MOVED},
        "cancel": {Status.SCHEDULED, Status.MOVED},
        "edit": {Status.SCHEDULED, Status.MOVED},
        "minutes": {Status.SCHEDULED, Status.MOVED, Status.HELD},
    }
    UPCOMING = (Status.SCHEDULED, Status.MOVED)

    series = models.ForeignKey(MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="meetings", verbose_name=_("例会"))
    # The start the series rule gave this occurrence; kept when the meeting is moved, so the
    # generator never creates the same occurrence again.
    occurrence_key = models.DateTimeField(_("规则时间"), null=True, blank=True)
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="meetings",
                                  verbose_name=_("社区"))
    kind = models.CharField(_("类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议主题"), max_length=200)
    venue = models.CharField(_("地点"), max_length=200)
    # A room of the service centre, booked for the meeting's time (a RoomBooking of source "communities.meeting",
    # kept in step by the meeting services); the venue stays the words people read.
    room = models.ForeignKey("communities.Room", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="meetings", verbose_name=_("活动室"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    organiser = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="organised_meetings",
                                  verbose_name=_("召集人"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    invited_teams = models.ManyToManyField("communities.Team", blank=True, related_name="+",
                                           verbose_name=_("邀请团队"))
    invited_agencies = models.ManyToManyField("communities.Agency", blank=True, related_name="+",
                                              verbose_name=_("邀请职能部门"))
    # Bumped by every move or cancel: a reminder queued for an older version claims nothing.
    version = models.PositiveIntegerField(_("版本"), default=1)
    schedule_changed_at = models.DateTimeField(_("时间变更于"), null=True, blank=True)
    reminded_24h_at = models.DateTimeField(_("提前24小时提醒时间"), null=True, blank=True)
    reminded_1h_at = models.DateTimeField(_("提前1小时提醒时间"), null=True, blank=True)
    minutes_reminded_at = models.DateTimeField(_("纪要提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "occurrence_key"], condition=Q(series__isnull=False),
                                    name="uniq_meeting_occurrence"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["community", "starts_at"], name="meeting_community_start_idx"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start_idx"),
            models.Index(fields=["status", "ends_at"], name="meeting_status_end_idx"),
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_upcoming(self):
        return self.status in self.UPCOMING

    def allows(self, change: str) -> bool:
        return self.status in self.ALLOWED_FROM[change]


class MeetingEvent(TimelineEvent):
    """One change of a meeting: created, moved, cancelled, minutes filed … Never edited or deleted (the
    core's ``TimelineEvent``: actor, action, from/to state, note, data, time)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events", verbose_name=_("会议"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")


class MeetingInvite(models.Model):
    """One person invited (directly, through a team, or by answering the RSVP), with their answer."""

    class Response(models.TextChoices):
        NONE = "", _("未答复")
        YES = "yes", _("参加")
        NO = "no", _("不参加")
        MAYBE = "maybe", _("待定")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invites", verbose_name=_("会议"))
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="meeting_invites",
                             verbose_name=_("受邀人"))
    team = models.ForeignKey("communities.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("所属团队"))
    response = models.CharField(_("答复"), max_length=5, choices=Response.choices, blank=True, default="")
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议邀请")
        verbose_name_plural = _("会议邀请")
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="uniq_meeting_invite")]
        indexes = [models.Index(fields=["user", "meeting"], name="meeting_invite_user_idx")]


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("会议"))
    user = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("参会人"))
    checked_in_at = models.DateTimeField(_("签到时间"), default=timezone.now)
    checked_in_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["meeting", "checked_in_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="uniq_attendance")]


class TopicProposal(models.Model):
    """A topic a resident proposes ahead; the organiser accepts it into an agenda or declines it."""
    community_path = "community"  # how the policy (communities.policy) reaches its community

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待处理")
        ACCEPTED = "accepted", _("已列入议程")
        DECLINED = "declined", _("未采纳")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="topic_proposals",
                                  verbose_name=_("社区"))
    # The meeting the proposer had in mind (optional), then the one it was accepted into.
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="proposals", verbose_name=_("会议"))
    proposed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="topic_proposals",
                                    verbose_name=_("提议人"))
    text = models.TextField(_("议题"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = models.TextField(_("未采纳原因"), blank=True)
    decided_by = models.ForeignKey("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    class Meta:
        verbose_name = _("议题提议")
        verbose_name_plural = _("议题提议")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(decline_reason=""),
                                   name="proposal_decline_has_reason"),
            models.CheckConstraint(condition=~Q(status="accepted") | Q(meeting__isnull=False),
                                   name="proposal_accepted_names_meeting"),
        ]
        indexes = [models.Index(fields=["community", "status"], name="proposal_community_status_idx")]

    def __str__(self):
        return self.text[:40]


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("会议"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("议题"), max_length=300)
    proposal = models.OneToOneField(TopicProposal, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="agenda_item", verbose_name=_("来自提议"))

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title


class Minutes(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes",
                                   verbose_name=_("会议"))
    text = models.TextField(_("纪要"))
    filed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("记录人"))
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions",
                                verbose_name=_("会议"))
    text = models.TextField(_("决定事项"))
    recorded_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")
        ordering = ["meeting", "created_at", "id"]

    def __str__(self):
        return self.text[:40]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items",
                                verbose_name=_("会议"))
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="action_items", verbose_name=_("来自决定"))
    title = models.CharField(_("事项"), max_length=300)
    owner = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="meeting_actions",
                              verbose_name=_("负责人"))
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    case = models.OneToOneField("communities.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="meeting_action", verbose_name=_("转为诉求"))
    # The flat the item is about: kept when the item is turned into a case, so the case is routed by its place.
    unit = models.ForeignKey("communities.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("房屋"))
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        ordering = ["meeting", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "status"], name="action_owner_status_idx")]

    def __str__(self):
        return self.title
