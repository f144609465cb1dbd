"""State changes of patrols, hand-over notes and the garbage log. Each runs in one transaction, locks what two
people could change at once, and treats a repeat (a double tap, a second scan) as a repeat, not a second row."""
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Rota, Shift, ShiftAssignment
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.photos import ProcessedPhoto, photos_store
from communities.services.texts import deferred

from ..models import (
    GarbageCheck, GarbageHandover, HandoverNote, PatrolCheckpoint, PatrolRoute, PatrolRun, PatrolScan,
    PatrolScanPhoto,
)
from ..models.patrols import PATROL_KINDS, SCAN_LEEWAY, STATION_KINDS  # noqa: F401 - the services' vocabulary

# How far back the beat task looks for ended shifts to close (it runs every few minutes; this covers a
# worker that was down for a day).
CLOSE_LOOKBACK = dt.timedelta(days=3)


def _require(actor, action, obj):
    if not policy.can(actor, action, obj):
        raise DomainError(gettext_lazy("你没有权限进行这项操作。"), code="forbidden")


# --- routes and checkpoints ---------------------------------------------------------------------------------

def route_save(*, actor, community, rota, name: str, expected_minutes: int, late_after_minutes: int,
               active: bool = True, route: PatrolRoute | None = None, now=None) -> PatrolRoute:
    """Create or change a patrol route of ``community``, walked on the shifts of ``rota`` (巡逻 or 安保)."""
    now = now or timezone.now()
    _require(actor, "propertyservice.patrols.manage", community)
    if rota.community_id != community.pk or rota.kind not in PATROL_KINDS:
        raise DomainError(gettext_lazy("请选择本村的巡逻或安保值班表。"), code="rota")
    with transaction.atomic():
        if route is None:
            route = PatrolRoute(community=community, created_at=now)
        else:
            route = PatrolRoute.objects.select_for_update().get(pk=route.pk, community=community)
        if PatrolRoute.objects.filter(community=community, name=name).exclude(pk=route.pk).exists():
            raise DomainError(gettext_lazy("本村已有同名的巡逻路线。"), code="name_taken")
        route.rota, route.name, route.active = rota, name, active
        route.expected_minutes, route.late_after_minutes = expected_minutes, late_after_minutes
        route.save()
        audit(actor=actor, action="propertyservice.patrols.route_save", community=community, route=route.pk, name=name)
    return route


def checkpoint_add(*, actor, route: PatrolRoute, name: str, village_group=None, requires_photo: bool = False,
                   order: int | None = None) -> PatrolCheckpoint:
    """Add a checkpoint to ``route`` (by default after the last one)."""
    _require(actor, "propertyservice.patrols.manage", route)
    if village_group is not None and village_group.community_id != route.community_id:
        raise DomainError(gettext_lazy("请选择本村的村民小组。"), code="village_group")
    with transaction.atomic():
        route = PatrolRoute.objects.select_for_update().get(pk=route.pk)
        if order is None:
            order = (route.checkpoints.aggregate(last=Max("order"))["last"] or 0) + 1
        checkpoint = PatrolCheckpoint.objects.create(route=route, name=name, village_group=village_group,
                                                     requires_photo=requires_photo, order=order)
        audit(actor=actor, action="propertyservice.patrols.checkpoint_add", community=route.community,
              checkpoint=checkpoint.pk, name=name)
    return checkpoint


def checkpoint_remove(*, actor, checkpoint: PatrolCheckpoint) -> bool:
    """Remove a checkpoint that was never scanned; one that was is history and stays (returns False)."""
    _require(actor, "propertyservice.patrols.manage", checkpoint)
    with transaction.atomic():
        checkpoint = PatrolCheckpoint.objects.select_for_update().filter(pk=checkpoint.pk).first()
        if checkpoint is None:
            return True
        if checkpoint.scans.exists():
            raise DomainError(gettext_lazy("这个点位已有打卡记录，不能删除；可以停用整条路线后另建。"),
                              code="scanned")
        audit(actor=actor, action="propertyservice.patrols.checkpoint_remove", community=checkpoint.route.community,
              checkpoint=checkpoint.pk, name=checkpoint.name)
        checkpoint.delete()
    return True


# --- scanning -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScanResult:
    scan: PatrolScan
    repeat: bool  # this checkpoint was already scanned on this run: nothing new was recorded
    completed: bool  # the run has every checkpoint scanned


def _run_lock(*, shift: Shift, route: PatrolRoute) -> PatrolRun:
    try:
        with transaction.atomic():
            PatrolRun.objects.get_or_create(shift=shift, route=route)
    except IntegrityError:  # created by a scan at the same moment: it is there now
        pass
    return PatrolRun.objects.select_for_update().get(shift=shift, route=route)


def on_shift(*, user, shift: Shift) -> bool:
    return ShiftAssignment.objects.filter(shift=shift, user_id=user.pk).exists()


def patrol_scan(*, actor, checkpoint: PatrolCheckpoint, shift: Shift, photo: ProcessedPhoto | None = None,
                now=None) -> ScanResult:
    """Record that ``actor``, on ``shift``, reached ``checkpoint`` now.

    Out of order is allowed and recorded (``in_order``: every earlier checkpoint was scanned first); a second
    scan of the same checkpoint is a repeat (counted, no new row); a checkpoint that asks for a photo refuses a
    first scan without one; a run already closed by the beat task refuses new scans."""
    now = now or timezone.now()
    route = checkpoint.route
    _require(actor, "propertyservice.patrols.patrol", checkpoint)
    if shift.rota_id != route.rota_id or not on_shift(user=actor, shift=shift):
        raise DomainError(gettext_lazy("你不在这个班次上，不能打卡。"), code="not_on_shift")
    if not (shift.starts_at - SCAN_LEEWAY <= now <= shift.ends_at + SCAN_LEEWAY):
        raise DomainError(gettext_lazy("不在班次时间内，不能打卡。"), code="not_now")
    with transaction.atomic():
        run = _run_lock(shift=shift, route=route)
        existing = PatrolScan.objects.select_for_update().filter(run=run, checkpoint=checkpoint).first()
        if existing is not None:
            existing.repeats += 1
            existing.save(update_fields=["repeats"])
            return ScanResult(existing, repeat=True, completed=run.finished_at is not None)
        if run.closed_at is not None:
            raise DomainError(gettext_lazy("这次巡逻已经结算，不能再打卡。"), code="closed")
        if checkpoint.requires_photo and photo is None:
            raise DomainError(gettext_lazy("这个点位要求拍照，请拍一张现场照片再打卡。"), code="photo_required")
        scanned_ids = set(run.scans.values_list("checkpoint_id", flat=True))
        checkpoints = list(route.checkpoints.values_list("pk", "order"))
        in_order = all(pk in scanned_ids for pk, order in checkpoints if order < checkpoint.order)
        scan = PatrolScan.objects.create(run=run, checkpoint=checkpoint, scanned_by=actor, scanned_at=now,
                                         in_order=in_order)
        if photo is not None:
            photos_store(photos=[PatrolScanPhoto(scan=scan, uploaded_by=actor, uploaded_at=now)], processed=[photo])
        fields = []
        if run.started_at is None:
            run.started_at = now
            fields.append("started_at")
        if {pk for pk, _order in checkpoints} <= scanned_ids | {checkpoint.pk}:
            run.finished_at = now
            fields.append("finished_at")
        if fields:
            run.save(update_fields=fields)
    return ScanResult(scan, repeat=False, completed=run.finished_at is not None)


# --- closing runs after the shift (beat) ----------------------------------------------------------------------

def run_late(run: PatrolRun) -> bool:
    """Finished more than the route's allowance after its expected duration."""
    if run.started_at is None or run.finished_at is None:
        return False
    allowed = dt.timedelta(minutes=run.route.expected_minutes + run.route.late_after_minutes)
    return run.finished_at - run.started_at > allowed


def patrol_run_close(*, shift_id: int, route_id: int, now=None) -> PatrolRun | None:
    """Close the run of ``route`` on the ended ``shift`` (creating it when nobody scanned anything): count the
    checkpoints missed, note a late finish, flag it and tell the rota's manager. Closing twice changes nothing
    (``closed_at`` is the guard); returns the run, or None when the shift has not ended."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = Shift.objects.select_related("rota").filter(pk=shift_id, ends_at__lte=now).first()
        route = PatrolRoute.objects.filter(pk=route_id).first()
        if shift is None or route is None:
            return None
        run = _run_lock(shift=shift, route=route)
        if run.closed_at is not None:
            return run
        total = route.checkpoints.count()
        run.missed = max(total - run.scans.count(), 0)
        run.late = run_late(run)
        run.flagged = bool(run.missed or run.late)
        run.closed_at = now
        run.save(update_fields=["missed", "late", "flagged", "closed_at"])
        if run.flagged and shift.rota.manager_id:
            url = reverse("communities:shift_detail", args=[shift.pk])
            title = deferred(gettext_lazy("巡逻异常：%(route)s"), route=route.name)
            body = (deferred(gettext_lazy("漏巡 %(n)s 个点位。"), n=run.missed) if run.missed
                    else gettext_lazy("巡逻超时。"))
            # The inbox row is the outbox: written in this transaction, e-mailed by notify after commit.
            notify(recipient=shift.rota.manager, title=title, body=body, url=url)
    return run


def patrol_runs_due_close(*, now=None) -> list[tuple[int, int]]:
    """(shift id, route id) of every ended shift of a route's rota whose run is not closed yet (a read the
    beat task fans out)."""
    now = now or timezone.now()
    pairs = (Shift.objects.filter(ends_at__lte=now, ends_at__gt=now - CLOSE_LOOKBACK,
                                  rota__patrol_routes__active=True)
             .values_list("pk", "rota__patrol_routes__pk", "starts_at", "rota__patrol_routes__created_at"))
    closed = set(PatrolRun.objects.filter(shift__ends_at__lte=now, shift__ends_at__gt=now - CLOSE_LOOKBACK,
                                          closed_at__isnull=False).values_list("shift_id", "route_id"))
    # A route created today is not owed by the shifts before it.
    return [(shift_id, route_id) for shift_id, route_id, starts_at, created_at in pairs
            if starts_at >= created_at and (shift_id, route_id) not in closed]


# --- hand-over notes (交接班记录) ---------------------------------------------------------------------------------

def handover_write(*, actor, shift: Shift, body: str, now=None) -> HandoverNote:
    """The person on ``shift`` leaves a note for the next shift of the same rota (a second save replaces the
    text until the next shift has read it)."""
    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise DomainError(gettext_lazy("请写下交接内容。"), code="empty")
    if shift.rota.kind not in STATION_KINDS:
        raise DomainError(gettext_lazy("只有服务站的值班表写交接班记录。"), code="rota")
    if not on_shift(user=actor, shift=shift):
        raise DomainError(gettext_lazy("只有本班次的值班人可以写交接班记录。"), code="not_on_shift")
    if now < shift.starts_at:
        raise DomainError(gettext_lazy("班次还没开始，交班时再写。"), code="too_early")
    with transaction.atomic():
        note = HandoverNote.objects.select_for_update().filter(shift=shift).first()
        if note is not None and note.read_at is not None:
            raise DomainError(gettext_lazy("下一班已经确认阅读，交接记录不能再改。"), code="read")
        if note is None:
            note = HandoverNote(shift=shift)
        note.author, note.body, note.written_at = actor, body, now
        note.save()
    return note


def previous_shift(shift: Shift) -> Shift | None:
    return (Shift.objects.filter(rota_id=shift.rota_id, starts_at__lt=shift.starts_at)
            .order_by("-starts_at", "-pk").first())


def handover_read(*, actor, note: HandoverNote, now=None) -> bool:
    """Someone on the next shift of the same rota marks the note read. Returns False when it already was."""
    now = now or timezone.now()
    with transaction.atomic():
        note = HandoverNote.objects.select_for_update().select_related("shift").get(pk=note.pk)
        following = (Shift.objects.filter(rota_id=note.shift.rota_id, starts_at__gt=note.shift.starts_at)
                     .order_by("starts_at", "pk").first())
        if following is None or not on_shift(user=actor, shift=following):
            raise DomainError(gettext_lazy("只有下一班的值班人可以确认交接班记录。"), code="not_next")
        if note.read_at is not None:
            return False
        note.read_at, note.read_by = now, actor
        note.save(update_fields=["read_at", "read_by"])
    return True


# --- garbage (《上海市生活垃圾管理条例》第二十五至二十七条) ---------------------------------------------------------------

def garbage_check_log(*, actor, community, point: str, village_group=None, bins_complete: bool,
                      mis_sorted: bool, corrected: bool, note: str = "", checked_at=None, now=None) -> GarbageCheck:
    """Log a sorting guidance check at a collection point. Mis-sorting found and not corrected needs a note
    saying what was done instead."""
    now = now or timezone.now()
    _require(actor, "propertyservice.patrols.garbage", community)
    checked_at = checked_at or now
    if checked_at > now + dt.timedelta(minutes=5):
        raise DomainError(gettext_lazy("检查时间不能晚于现在。"), code="future")
    if corrected and not mis_sorted:
        corrected = False
    if mis_sorted and not corrected and not note.strip():
        raise DomainError(gettext_lazy("发现混投但未当场纠正，请在说明里写明如何处理。"), code="note_needed")
    if village_group is not None and village_group.community_id != community.pk:
        raise DomainError(gettext_lazy("请选择本村的村民小组。"), code="village_group")
    with transaction.atomic():
        # A double-tapped submit is one check: the same point, person and minute.
        same = GarbageCheck.objects.select_for_update().filter(
            community=community, point=point, checked_by=actor,
            checked_at__gte=checked_at - dt.timedelta(minutes=1), checked_at__lte=checked_at + dt.timedelta(minutes=1)
        ).first()
        if same is not None:
            return same
        return GarbageCheck.objects.create(
            community=community, point=point, village_group=village_group, checked_at=checked_at, checked_by=actor,
            bins_complete=bins_complete, mis_sorted=mis_sorted, corrected=corrected, note=note.strip())


def garbage_handover_log(*, actor, shift: Shift, handed_at, received_by: str, weight_kg=None, bins=None,
                         agreed_at=None, now=None) -> tuple[GarbageHandover, bool]:
    """Log the hand-over of a garbage shift's sorted garbage to the town's collection. The agreed time is the
    shift's end unless given; on time means handed over by then. A second log of the same shift is a repeat
    (returns the first, False)."""
    now = now or timezone.now()
    _require(actor, "propertyservice.patrols.garbage", shift)
    if shift.rota.kind != Rota.Kind.GARBAGE:
        raise DomainError(gettext_lazy("请选择垃圾清运的班次。"), code="rota")
    if weight_kg is None and bins is None:
        raise DomainError(gettext_lazy("请填写重量或桶数。"), code="amount")
    if handed_at > now + dt.timedelta(minutes=5):
        raise DomainError(gettext_lazy("交接时间不能晚于现在。"), code="future")
    if not received_by.strip():
        raise DomainError(gettext_lazy("请填写接收人。"), code="received_by")
    agreed_at = agreed_at or shift.ends_at
    with transaction.atomic():
        Shift.objects.select_for_update().get(pk=shift.pk)
        existing = GarbageHandover.objects.filter(shift=shift).first()
        if existing is not None:
            return existing, False
        handover = GarbageHandover.objects.create(
            shift=shift, handed_at=handed_at, agreed_at=agreed_at, weight_kg=weight_kg, bins=bins,
            received_by=received_by.strip(), logged_by=actor, on_time=handed_at <= agreed_at)
    return handover, True
