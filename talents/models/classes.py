"""Classes (学习班 / 体验课) of a studio, their sessions, enrolment with a fair waitlist, children and consent.

How enrolment works (decided here, once):

- An ``Enrolment`` is one request by an account for one class (the whole term of its sessions), for one or
  more people: the account holder's own ``Person`` and/or children they are the guardian of
  (``EnrolmentPerson`` rows). It takes as many seats as it has people, and it is enrolled only when ALL of
  them fit: never in part.
- Its status: ``requested`` (made before the opening time of a lottery class, waiting for the draw),
  ``waiting`` (on the waitlist, in ``position`` order), ``offered`` (a freed seat is held for it until
  ``offer_expires_at``), ``enrolled``, or closed: ``left``, ``expired`` (an offer nobody answered),
  ``declined`` (an offer turned down). A staff move is an event on the timeline (with its reason), not a
  status: the entry goes to the front of the list, or is enrolled.
- Seats taken = the seats of the enrolled and the offered entries (an offer holds its seats).
- Every step appends an ``EnrolmentEvent``; the allowed steps are the table in ``talents.enrolment_workflow``.
"""
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import TimelineEvent, mask_phone

CLASS_PATH = "talent_class__studio__team__community"


class TalentClass(models.Model):
    """A class a studio offers: who it is for, when it meets (the core recurrence), how seats are allocated."""
    community_path = "studio__team__community"  # how the policy (communities.policy) reaches its community

    class Audience(models.TextChoices):
        ELDERS = "elders", _("长者")
        CHILDREN = "children", _("儿童（须监护人陪同报名）")
        EVERYONE = "everyone", _("所有人")

    class Kind(models.TextChoices):
        FREE = "free", _("公益课")
        TRIAL = "trial", _("体验课")

    class Allocation(models.TextChoices):
        FIRST_COME = "first_come", _("先到先得")
        LOTTERY = "lottery", _("抽签")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("开放")
        CLOSED = "closed", _("已结束")

    studio = models.ForeignKey("talents.Studio", on_delete=models.CASCADE, related_name="classes",
                               verbose_name=_("工作室"))
    title = models.CharField(_("课程名称"), max_length=100)
    description = models.TextField(_("课程介绍"), blank=True)
    audience = models.CharField(_("对象"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    age_min = models.PositiveSmallIntegerField(_("最小年龄"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("最大年龄"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("每次名额"))
    # The schedule, as the core recurrence keeps it (communities.recurrence): a rule, anchored on the first
    # session's start (its time of day is every session's), and a duration.
    rrule = models.CharField(_("重复规则"), max_length=300)
    first_starts_at = models.DateTimeField(_("第一次上课时间"))
    duration_minutes = models.PositiveSmallIntegerField(_("每次时长(分钟)"), default=90)
    ends_on = models.DateField(_("结课日期"), null=True, blank=True)
    # The room in the service centre: becomes a FK to communities.Room when the rooms branch is merged.
    # A room of the service centre: every session books it through the core's room service (no clashes).
    room = models.ForeignKey("communities.Room", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="talent_classes", verbose_name=_("活动室"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    kind = models.CharField(_("课程类型"), max_length=10, choices=Kind.choices, default=Kind.FREE)
    fee = models.DecimalField(_("收费(元)"), max_digits=8, decimal_places=2, null=True, blank=True)
    fee_includes = models.TextField(_("费用包含"), blank=True)
    # The partner merchant of a trial class: becomes a FK to talents.Merchant when the studios branch is merged.
    partner_merchant = models.ForeignKey("talents.Merchant", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="trial_classes", verbose_name=_("合作商户"))
    teachers = models.ManyToManyField("communities.User", related_name="talent_classes_taught", blank=True,
                                      verbose_name=_("授课老师"))
    organiser = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("组织者"))
    safety_note = models.TextField(_("安全须知"), blank=True)
    allocation = models.CharField(_("名额分配规则"), max_length=12, choices=Allocation.choices,
                                  default=Allocation.FIRST_COME)
    opens_at = models.DateTimeField(_("开始报名时间"))
    offer_hours = models.PositiveSmallIntegerField(_("候补名额保留(小时)"), default=24)
    lottery_seed = models.BigIntegerField(_("抽签随机种子"), null=True, blank=True)
    lottery_drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)
    lottery_order = models.JSONField(_("抽签顺序"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["studio", "title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="talent_class_capacity_positive"),
            models.CheckConstraint(condition=Q(age_min__isnull=True) | Q(age_max__isnull=True)
                                   | Q(age_min__lte=F("age_max")), name="talent_class_age_range"),
            # A trial class posts its fee; a free class has none (RULES.md: prices posted with what they include).
            models.CheckConstraint(condition=Q(kind="free", fee__isnull=True) | Q(kind="trial", fee__isnull=False),
                                   name="talent_class_fee_by_kind"),
        ]
        indexes = [models.Index(fields=["status", "allocation", "opens_at"], name="talent_class_open_idx")]

    def __str__(self):
        return self.title

    @property
    def is_trial(self) -> bool:
        return self.kind == self.Kind.TRIAL

    @property
    def start_time(self):
        return timezone.localtime(self.first_starts_at).time()

    def describe(self) -> str:
        from communities.recurrence import describe

        first = timezone.localtime(self.first_starts_at)
        return describe(self.rrule, at=first.time(), start=first.date())


class ClassSession(models.Model):
    """One meeting of a class. ``slot_starts_at`` is the start the rule gave it and never changes (the
    generator's idempotency key, so a moved session is not generated again at its old time); ``starts_at`` is
    its current time, which the reminders are keyed by (``reminded_for``)."""
    community_path = "talent_class__studio__team__community"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("按计划")
        MOVED = "moved", _("已调整时间")
        CANCELLED = "cancelled", _("已取消")
        HELD = "held", _("已上课")

    talent_class = models.ForeignKey(TalentClass, on_delete=models.CASCADE, related_name="sessions",
                                     verbose_name=_("课程"))
    slot_starts_at = models.DateTimeField(_("原定开始时间"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    reason = models.TextField(_("调整或取消原因"), blank=True)
    # The start a reminder was sent for: a moved session (new starts_at) is reminded again, for its new time.
    reminded_for = models.DateTimeField(_("已提醒的时间"), null=True, blank=True)
    # The room booking: becomes a FK to communities.RoomBooking when the rooms branch is merged.
    room_booking = models.ForeignKey("communities.RoomBooking", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("活动室预约"))
    room_note = models.CharField(_("活动室预约说明"), max_length=300, blank=True)
    attendance_closed_at = models.DateTimeField(_("点名结束时间"), null=True, blank=True)
    attendance_closed_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+", verbose_name=_("点名人"))

    class Meta:
        verbose_name = _("课次")
        verbose_name_plural = _("课次")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["talent_class", "slot_starts_at"], name="uniq_class_session_slot"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="class_session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="class_session_due_idx"),
                   models.Index(fields=["talent_class", "starts_at"], name="class_session_next_idx")]

    def __str__(self):
        return f"{self.talent_class} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.MOVED)


class Enrolment(models.Model):
    """One request by an account for one class, for the people it names (see the module docstring)."""
    community_path = CLASS_PATH

    class Status(models.TextChoices):
        REQUESTED = "requested", _("已登记，等待抽签")
        WAITING = "waiting", _("候补中")
        OFFERED = "offered", _("有名额待确认")
        ENROLLED = "enrolled", _("已报名")
        LEFT = "left", _("已退出")
        EXPIRED = "expired", _("未确认，名额已顺延")
        DECLINED = "declined", _("已放弃名额")

    talent_class = models.ForeignKey(TalentClass, on_delete=models.CASCADE, related_name="enrolments",
                                     verbose_name=_("课程"))
    account = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="class_enrolments",
                                verbose_name=_("报名账号"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    seats = models.PositiveSmallIntegerField(_("名额数"))
    # The waitlist order (lower first); assigned when the entry joins the list, changed only by a staff move.
    position = models.IntegerField(_("候补顺序"), null=True, blank=True)
    requested_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    offer_expires_at = models.DateTimeField(_("名额保留至"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("报名成功时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["talent_class", "position", "id"]
        constraints = [
            # One open entry per account per class: a double-submitted form makes one entry.
            models.UniqueConstraint(fields=["talent_class", "account"],
                                    condition=Q(status__in=["requested", "waiting", "offered", "enrolled"]),
                                    name="uniq_open_enrolment"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="enrolment_seats_positive"),
            models.CheckConstraint(condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                                   name="enrolment_offer_has_deadline"),
        ]
        indexes = [models.Index(fields=["talent_class", "status", "position"], name="enrolment_queue_idx"),
                   models.Index(fields=["status", "offer_expires_at"], name="enrolment_offer_due_idx")]

    def __str__(self):
        return f"{self.talent_class} · {self.account}"


OPEN_ENROLMENT = (Enrolment.Status.REQUESTED, Enrolment.Status.WAITING, Enrolment.Status.OFFERED,
                  Enrolment.Status.ENROLLED)
SEAT_HOLDING = (Enrolment.Status.OFFERED, Enrolment.Status.ENROLLED)


class EnrolmentPerson(models.Model):
    """One person an entry covers: the account holder themself, or a child they are guardian of."""
    community_path = "enrolment__" + CLASS_PATH

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="people",
                                  verbose_name=_("报名"))
    person = models.ForeignKey("communities.Person", on_delete=models.PROTECT, related_name="class_entries",
                               verbose_name=_("人员"))

    class Meta:
        verbose_name = _("报名人员")
        verbose_name_plural = _("报名人员")
        ordering = ["enrolment", "id"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "person"], name="uniq_enrolment_person")]


class EnrolmentEvent(TimelineEvent):
    """A step of an entry's life: requested, drawn (seed, rank), waitlisted, offered, passed over (why),
    accepted, expired, declined, left, moved by staff (with the reason) …"""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events",
                                  verbose_name=_("报名"))

    class Meta(TimelineEvent.Meta):
        verbose_name = _("报名记录")
        verbose_name_plural = _("报名记录")
        indexes = [models.Index(fields=["enrolment", "at"], name="enrolment_event_idx")]


class Guardianship(models.Model):
    """A guardian's account linked to a child, who is a ``Person`` without a login. Only a guardian linked
    here may enrol the child (RULES.md: a child's data is sensitive, collected with a guardian's consent)."""
    community_path = "community"

    class Relation(models.TextChoices):
        GRANDPARENT = "grandparent", _("祖父母")
        PARENT = "parent", _("父母")
        OTHER = "other", _("其他监护人")

    guardian = models.ForeignKey("communities.User", on_delete=models.CASCADE, related_name="guardianships",
                                 verbose_name=_("监护人"))
    child = models.ForeignKey("communities.Person", on_delete=models.CASCADE, related_name="guardians",
                              verbose_name=_("孩子"))
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("社区"))
    relation = models.CharField(_("关系"), max_length=12, choices=Relation.choices)
    pickup_phone = models.CharField(_("接送联系电话"), max_length=15)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("监护关系")
        verbose_name_plural = _("监护关系")
        ordering = ["guardian", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["guardian", "child"], name="uniq_guardianship")]

    @property
    def masked_pickup_phone(self) -> str:
        return mask_phone(self.pickup_phone)


class ChildProfile(models.Model):
    """The minimum a class's age rule needs: the birth year and month (no day, no ID number)."""

    person = models.OneToOneField("communities.Person", on_delete=models.CASCADE, related_name="child_profile",
                                  verbose_name=_("孩子"))
    birth_year = models.PositiveSmallIntegerField(_("出生年份"))
    birth_month = models.PositiveSmallIntegerField(_("出生月份"))
    created_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))

    class Meta:
        verbose_name = _("孩子信息")
        verbose_name_plural = _("孩子信息")
        constraints = [models.CheckConstraint(condition=Q(birth_month__gte=1, birth_month__lte=12),
                                              name="child_birth_month_valid")]


class SessionAttendance(models.Model):
    """Present or absent at one session, one tap by a teacher."""
    community_path = "session__" + CLASS_PATH

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("课次"))
    person = models.ForeignKey("communities.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("人员"))
    present = models.BooleanField(_("到课"))
    marked_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("点名人"))
    marked_at = models.DateTimeField(_("点名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("到课记录")
        verbose_name_plural = _("到课记录")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="uniq_session_attendance")]


class PhotoConsent(models.Model):
    """Whether a person in a class agrees to photos of them being published (default: no). A guardian gives
    it for a child (Civil Code art. 1019; PIPL art. 31)."""
    community_path = CLASS_PATH

    talent_class = models.ForeignKey(TalentClass, on_delete=models.CASCADE, related_name="photo_consents",
                                     verbose_name=_("课程"))
    person = models.ForeignKey("communities.Person", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("人员"))
    consented = models.BooleanField(_("同意发布照片"), default=False)
    given_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("确认人"))
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("照片授权")
        verbose_name_plural = _("照片授权")
        constraints = [models.UniqueConstraint(fields=["talent_class", "person"], name="uniq_photo_consent")]


class FeaturedClass(models.Model):
    """A host puts another studio's class on their own studio's page and on the 本周活动 board first."""
    community_path = CLASS_PATH

    talent_class = models.ForeignKey(TalentClass, on_delete=models.CASCADE, related_name="featurings",
                                     verbose_name=_("课程"))
    studio = models.ForeignKey("talents.Studio", on_delete=models.CASCADE, related_name="featured_classes",
                               verbose_name=_("推荐的工作室"))
    featured_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("推荐人"))
    created_at = models.DateTimeField(_("推荐时间"), default=timezone.now)

    class Meta:
        verbose_name = _("推荐课程")
        verbose_name_plural = _("推荐课程")
        constraints = [models.UniqueConstraint(fields=["talent_class", "studio"], name="uniq_featured_class")]
