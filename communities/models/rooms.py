"""Rooms of the Party-and-people service centre (党群服务中心) and their bookings, shared by studios, squads,
meetings and the Party layer's activities.

Two live (not cancelled) bookings of one room never overlap, and the database says so, not only the form:

- PostgreSQL: the exclusion constraint ``roombooking_no_overlap``, ``EXCLUDE USING gist (room_id WITH =,
  tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (cancelled_at IS NULL)`` (needs btree_gist for the ``=``
  on an integer). The range is half-open, so 10:00–11:00 and 11:00–12:00 may follow each other.
- SQLite (``make run`` on a bare machine): two triggers (``roombooking_no_overlap_insert`` / ``_update``)
  that abort an insert or update overlapping a live booking of the same room with the same name.

Both are created by migration 0026 with SQL run only on their vendor, and are NOT declared in ``Meta``:
Django writes a declared ExclusionConstraint into every CREATE TABLE, which SQLite cannot parse (and its table
remake would do so on any later change). Mind that SQLite drops a table's triggers when Django remakes the
table: a later migration that alters RoomBooking must create the two triggers again (see 0026).

A booking made for another object names it by ``source_kind`` ("communities.meeting", "talents.session") and
``source_id``; a plain booking has neither. The core never imports the app a source belongs to.
"""
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..natural import Natural

# The name the database gives a clash (constraint on PostgreSQL, trigger message on SQLite): the services
# recognise an IntegrityError by it.
NO_OVERLAP = "roombooking_no_overlap"


class Room(models.Model):
    community_path = "community"  # how the policy (communities.policy) reaches its community

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="rooms",
                                  verbose_name=_("社区"))
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如 多功能厅"))
    where = models.CharField(_("位置"), max_length=200, blank=True, help_text=_("例如 党群服务中心 二楼"))
    capacity = models.PositiveSmallIntegerField(_("可容纳人数"), default=20)
    notes = models.TextField(_("说明"), blank=True, help_text=_("设备、开放时间、使用须知等"))
    active = models.BooleanField(_("开放预约"), default=True)

    class Meta:
        verbose_name = _("活动室")
        verbose_name_plural = _("活动室")
        ordering = ["community", Natural("name")]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="uniq_room_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self):
        return self.name

    def label(self) -> str:
        """"多功能厅（党群服务中心 二楼）": what a meeting's venue says when it is held here."""
        return f"{self.name}（{self.where}）" if self.where else self.name


class RoomBooking(models.Model):
    community_path = "room__community"  # how the policy (communities.policy) reaches its community

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("活动室"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    title = models.CharField(_("用途"), max_length=200, help_text=_("其他人会看到，例如 书香工作室·绘本阅读"))
    booked_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, related_name="room_bookings",
                                  verbose_name=_("预约人"))
    # What the booking is for when an app made it: "<app>.<what>" and the object's id; "" and None otherwise.
    source_kind = models.CharField(_("来源"), max_length=50, blank=True, default="")
    source_id = models.PositiveIntegerField(_("来源编号"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey("communities.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("取消人"))
    created_at = models.DateTimeField(_("预约时间"), default=timezone.now)

    class Meta:
        verbose_name = _("活动室预约")
        verbose_name_plural = _("活动室预约")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="roombooking_ends_after_start"),
            models.CheckConstraint(condition=Q(source_kind="", source_id__isnull=True) | ~Q(source_kind=""),
                                   name="roombooking_source_named"),
            # The no-overlap rule is in the database too, outside Meta: see the module's docstring.
        ]
        indexes = [
            models.Index(fields=["room", "starts_at"], name="roombooking_room_start_idx"),
            models.Index(fields=["source_kind", "source_id"], name="roombooking_source_idx"),
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.cancelled_at is None
