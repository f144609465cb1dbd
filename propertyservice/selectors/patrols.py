"""Reads of patrols, hand-over notes and the garbage log, each a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass, field

import segno
from django.db.models import Count, DateTimeField, F, Prefetch, Q, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.dates import local_midnight, month_bounds
from communities.models import Rota, Shift, ShiftAssignment

from ..metrics import Measure
from ..models import GarbageCheck, GarbageHandover, HandoverNote, PatrolCheckpoint, PatrolRoute, PatrolRun
from ..models.patrols import PATROL_KINDS, SCAN_LEEWAY



# --- routes -------------------------------------------------------------------------------------------------

def routes_of(*, community) -> list[PatrolRoute]:
    """The village's routes with their checkpoints (two queries)."""
    return list(PatrolRoute.objects.filter(community=community).select_related("rota")
                .prefetch_related(Prefetch("checkpoints",
                                           PatrolCheckpoint.objects.select_related("village_group")))
                .order_by("-active", "name"))


def patrol_rotas(*, community):
    return Rota.objects.filter(community=community, kind__in=PATROL_KINDS).order_by("name")


@dataclass(frozen=True)
class QrLabel:
    checkpoint: PatrolCheckpoint
    url: str
    svg: str


def checkpoint_scan_path(checkpoint: PatrolCheckpoint) -> str:
    return reverse("propertyservice:patrol_scan", args=[checkpoint.token])


def qr_labels(*, route: PatrolRoute, absolute_url) -> list[QrLabel]:
    """One printed QR code per checkpoint, in the route's order (one query). Drawn like the core's place codes
    (communities.selectors.qr): an inline <svg> whose <title> names the checkpoint."""
    labels = []
    for checkpoint in route.checkpoints.select_related("village_group").order_by("order", "pk"):
        url = absolute_url(checkpoint_scan_path(checkpoint))
        title = _("巡逻点位“%(name)s”打卡") % {"name": checkpoint.name}
        svg = segno.make(url, error="m").svg_inline(scale=5, omitsize=True, svgclass="qr-code", title=title)
        labels.append(QrLabel(checkpoint, url, svg.replace("<svg ", '<svg role="img" ', 1)))
    return labels


# --- the guard's shifts and runs ------------------------------------------------------------------------------

def checkpoint_by_token(token: str):
    return PatrolCheckpoint.objects.select_related("route__community", "route__rota", "village_group") \
        .filter(token=token)


def scan_shift(*, user, route: PatrolRoute, now=None) -> Shift | None:
    """The shift of ``route``'s rota ``user`` is on now (with the scanning leeway either side), or None."""
    now = now or timezone.now()
    return (Shift.objects.filter(rota_id=route.rota_id, assignments__user=user,
                                 starts_at__lte=now + SCAN_LEEWAY, ends_at__gte=now - SCAN_LEEWAY)
            .select_related("rota").order_by("starts_at").first())


@dataclass
class CheckpointState:
    checkpoint: PatrolCheckpoint
    scan: object = None  # PatrolScan or None


@dataclass
class RouteProgress:
    route: PatrolRoute
    run: PatrolRun | None
    states: list[CheckpointState] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for state in self.states if state.scan is not None)

    @property
    def next(self) -> PatrolCheckpoint | None:
        return next((s.checkpoint for s in self.states if s.scan is None), None)


@dataclass
class MyPatrol:
    shift: Shift
    current: bool
    routes: list[RouteProgress]


def my_patrol(*, user, community, now=None) -> MyPatrol | None:
    """The user's current patrol shift (else the next one within a week) in ``community``, with each route's
    checkpoints and what was scanned on it (four queries)."""
    now = now or timezone.now()
    shift = (Shift.objects.filter(rota__community=community, rota__kind__in=PATROL_KINDS,
                                  rota__patrol_routes__active=True, assignments__user=user,
                                  ends_at__gte=now - SCAN_LEEWAY, starts_at__lte=now + dt.timedelta(days=7))
             .select_related("rota").order_by("starts_at").distinct().first())
    if shift is None:
        return None
    routes = list(PatrolRoute.objects.filter(rota_id=shift.rota_id, active=True).order_by("name")
                  .prefetch_related(Prefetch("checkpoints", PatrolCheckpoint.objects.select_related("village_group"))))
    runs = {run.route_id: run for run in PatrolRun.objects.filter(shift=shift).prefetch_related("scans")}
    progress = []
    for route in routes:
        run = runs.get(route.pk)
        scans = {scan.checkpoint_id: scan for scan in run.scans.all()} if run else {}
        states = [CheckpointState(c, scans.get(c.pk)) for c in route.checkpoints.all()]
        progress.append(RouteProgress(route, run, states))
    return MyPatrol(shift, shift.starts_at - SCAN_LEEWAY <= now, progress)


def hub_next_patrol(*, user, community, now=None) -> Shift | None:
    """The user's current or next patrol shift (one query), for the hub card."""
    now = now or timezone.now()
    return (Shift.objects.filter(rota__community=community, rota__kind__in=PATROL_KINDS, assignments__user=user,
                                 ends_at__gte=now).select_related("rota").order_by("starts_at").first())


# --- the shift page panel --------------------------------------------------------------------------------------

@dataclass
class ShiftPanel:
    runs: list[PatrolRun]
    previous_note: HandoverNote | None
    own_note: HandoverNote | None
    on_this_shift: bool


def shift_panel(*, shift: Shift, user) -> ShiftPanel:
    """The runs of ``shift`` (with their flags), the note left by the previous shift of the same rota, this
    shift's own note, and whether ``user`` is on it (five queries)."""
    runs = list(PatrolRun.objects.filter(shift=shift).select_related("route").order_by("route__name"))
    previous = (Shift.objects.filter(rota_id=shift.rota_id, starts_at__lt=shift.starts_at)
                .order_by("-starts_at", "-pk").values_list("pk", flat=True).first())
    previous_note = (HandoverNote.objects.filter(shift_id=previous).select_related("author__person", "read_by__person")
                     .first() if previous else None)
    own = HandoverNote.objects.filter(shift=shift).select_related("author__person", "read_by__person").first()
    mine = ShiftAssignment.objects.filter(shift=shift, user_id=user.pk).exists()
    return ShiftPanel(runs, previous_note, own, mine)


# --- the heads' board and the hub -----------------------------------------------------------------------------

def board_patrols(*, community, now=None) -> dict:
    """This month's runs: how many, completed, flagged, and the flagged ones; the garbage hand-overs on time
    (four queries however many rows)."""
    now = now or timezone.now()
    start, end = month_bounds(timezone.localdate(now))
    month = Q(route__community=community, shift__starts_at__gte=start, shift__starts_at__lt=end)
    runs = PatrolRun.objects.filter(month).aggregate(
        total=Count("pk"), completed=Count("pk", filter=Q(finished_at__isnull=False)),
        flagged=Count("pk", filter=Q(flagged=True)))
    flagged = list(PatrolRun.objects.filter(month, flagged=True).select_related("route", "shift__rota")
                   .order_by("-shift__starts_at")[:10])
    handovers = GarbageHandover.objects.filter(
        shift__rota__community=community, handed_at__gte=start, handed_at__lt=end).aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
    checks = GarbageCheck.objects.filter(community=community, checked_at__gte=start, checked_at__lt=end).aggregate(
        total=Count("pk"), mis_sorted=Count("pk", filter=Q(mis_sorted=True)),
        corrected=Count("pk", filter=Q(corrected=True)))
    return {"runs": runs, "flagged": flagged, "handovers": handovers, "checks": checks, "month": start}


def garbage_shifts(*, community, now=None):
    """The garbage shifts of the last two days that have started: those a hand-over can be logged on."""
    now = now or timezone.now()
    return (Shift.objects.filter(rota__community=community, rota__kind=Rota.Kind.GARBAGE,
                                 starts_at__lte=now, starts_at__gte=now - dt.timedelta(days=2))
            .select_related("rota").order_by("-starts_at"))


def recent_garbage(*, community, now=None) -> dict:
    """The garbage shifts to log a hand-over on, and the last checks and hand-overs (three queries)."""
    shifts = list(garbage_shifts(community=community, now=now))
    checks = list(GarbageCheck.objects.filter(community=community).select_related("village_group", "checked_by__person")
                  .order_by("-checked_at")[:10])
    handovers = list(GarbageHandover.objects.filter(shift__rota__community=community)
                     .select_related("shift__rota", "logged_by__person").order_by("-handed_at")[:10])
    return {"shifts": shifts, "checks": checks, "handovers": handovers}


# --- metrics (propertyservice.metrics) ----------------------------------------------------------------------

def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight(start), local_midnight(end)


def patrols_completed(*, community, start: dt.date, end: dt.date, now=None) -> Measure:
    """Runs completed (every checkpoint scanned) of runs due: one per route per ended shift of its rota in the
    period, from the day the route was set up (two queries)."""
    now = now or timezone.now()
    lo, hi = _period(start, end)
    due = Shift.objects.filter(
        rota__patrol_routes__community=community, rota__patrol_routes__active=True,
        starts_at__lt=hi, ends_at__lte=now,
        # One filter call, so that both conditions are on the same route (a second call would join again).
        starts_at__gte=Greatest(Value(lo, output_field=DateTimeField()), F("rota__patrol_routes__created_at"))).count()
    done = PatrolRun.objects.filter(route__community=community, route__active=True, shift__starts_at__gte=lo,
                                    shift__starts_at__lt=hi, shift__ends_at__lte=now,
                                    finished_at__isnull=False).count()
    return Measure(done, due, _("%(done)s / %(due)s 次巡逻走完全部点位") % {"done": done, "due": due})


def garbage_on_time(*, community, start: dt.date, end: dt.date, now=None) -> Measure:
    """Hand-overs to the town's collection on time of hand-overs due: one per ended garbage shift in the period
    (two queries)."""
    now = now or timezone.now()
    lo, hi = _period(start, end)
    shifts = Shift.objects.filter(rota__community=community, rota__kind=Rota.Kind.GARBAGE, starts_at__gte=lo,
                                  starts_at__lt=hi, ends_at__lte=now)
    due = shifts.count()
    on_time = GarbageHandover.objects.filter(shift__in=shifts, on_time=True).count()
    return Measure(on_time, due, _("%(done)s / %(due)s 次垃圾交接按时") % {"done": on_time, "due": due})
