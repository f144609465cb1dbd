"""Patrols (巡逻打卡), hand-over notes (交接班记录) and the garbage log (垃圾分类与清运): thin views over
``services.patrols`` and ``selectors.patrols``."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import extensions, policy
from communities.models import Shift
from communities.picker import community_checked, community_for, community_url
from communities.policy import guard
from communities.services.errors import DomainError
from communities.services.photos import photo_process
from communities.views.photos import photo_response

from ..forms.patrols import (
    CheckpointForm, GarbageCheckForm, GarbageHandoverForm, HandoverForm, RouteForm, ScanForm,
)
from ..models import HandoverNote, PatrolCheckpoint, PatrolRoute, PatrolScan
from ..models.patrols import SCAN_LEEWAY
from ..selectors import patrols as sel
from ..selectors.station import APP_LABEL, hub_communities
from ..services import patrols as svc


def _community(request, action):
    return community_for(request, action, choices=hub_communities(user=request.user, action=action)).community


def _managed_community(request):
    """The village whose routes the user manages: 404 outside their villages (or where the app does not serve),
    403 in one of theirs without the right (a guard who is not a head)."""
    community = community_checked(request, "propertyservice.patrols.manage").community
    if not extensions.serves(APP_LABEL, community.pk):
        raise Http404
    return community


# --- the guard: my patrol and the scan ----------------------------------------------------------------------

@guard("propertyservice.patrols.patrol")
@require_safe
def my_patrol(request):
    """我的巡逻: the guard's current (or next) patrol shift and where each route stands, on a phone."""
    community = _community(request, "propertyservice.patrols.patrol")
    return render(request, "propertyservice/patrols/my_patrol.html", {
        "community": community, "patrol": sel.my_patrol(user=request.user, community=community)})


def _scan_page(request, checkpoint, *, shift, form=None, result=None, status=200):
    return render(request, "propertyservice/patrols/scan.html", {
        "checkpoint": checkpoint, "route": checkpoint.route, "shift": shift, "form": form or ScanForm(),
        "result": result, "community": checkpoint.route.community}, status=status)


def _off_shift(request, checkpoint):
    """The QR code scanned outside one's shift of the route's rota: the page says why and what to do (403)."""
    return render(request, "propertyservice/patrols/scan_off_shift.html", {
        "checkpoint": checkpoint, "route": checkpoint.route, "community": checkpoint.route.community,
        "leeway": int(SCAN_LEEWAY.total_seconds() // 60)}, status=403)


@guard("propertyservice.patrols.patrol")
def patrol_scan(request, token):
    """The page a checkpoint's QR code opens: 打卡 (with a photo where the checkpoint asks for one)."""
    checkpoint = policy.get_object_or_404_for(request.user, "propertyservice.patrols.patrol",
                                              sel.checkpoint_by_token(token), token=token)
    shift = sel.scan_shift(user=request.user, route=checkpoint.route)
    if shift is None:  # not on a shift of this route's rota now: say so, and where to look (still a 403)
        return _off_shift(request, checkpoint)
    if request.method != "POST":
        return _scan_page(request, checkpoint, shift=shift)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload = form.cleaned_data["photo"]
            photo = photo_process(upload=upload) if upload else None
            result = svc.patrol_scan(actor=request.user, checkpoint=checkpoint, shift=shift, photo=photo)
        except DomainError as exc:
            if exc.code == "not_on_shift":
                return _off_shift(request, checkpoint)
            if exc.code == "forbidden":
                raise PermissionDenied from None
            form.add_error("photo" if exc.code.startswith("photo") else None, exc.message)
        else:
            if result.repeat:
                messages.info(request, _("“%(name)s”已经打过卡了（%(time)s），不重复记录。") % {
                    "name": checkpoint.name, "time": f"{timezone.localtime(result.scan.scanned_at):%H:%M}"})
            else:
                messages.success(request, _("“%(name)s”打卡成功。") % {"name": checkpoint.name})
            return redirect(community_url("propertyservice:patrol_mine", checkpoint.route.community))
    return _scan_page(request, checkpoint, shift=shift, form=form, status=400)


@guard("propertyservice.patrols.view")
@require_safe
def scan_photo(request, pk):
    scan = policy.get_object_or_404_for(request.user, "propertyservice.patrols.view",
                                        PatrolScan.objects.select_related("run__route", "photo"), pk=pk)
    if not hasattr(scan, "photo"):
        raise Http404
    return photo_response(scan.photo, name=f"patrol-scan-{scan.pk}")


# --- heads: routes, checkpoints and their QR codes ------------------------------------------------------------

@guard("propertyservice.patrols.manage")
@require_safe
def route_list(request):
    community = _managed_community(request)
    return render(request, "propertyservice/patrols/route_list.html", {
        "community": community, "routes": sel.routes_of(community=community)})


def _route(request, pk) -> PatrolRoute:
    return policy.get_object_or_404_for(request.user, "propertyservice.patrols.manage",
                                        PatrolRoute.objects.select_related("community", "rota"), pk=pk)


def _route_page(request, community, *, route=None, form=None, checkpoint_form=None, status=200):
    checkpoints = list(route.checkpoints.select_related("village_group")) if route else []
    return render(request, "propertyservice/patrols/route_edit.html", {
        "community": community, "route": route, "checkpoints": checkpoints,
        "form": form or RouteForm(instance=route, community=community),
        "checkpoint_form": checkpoint_form or CheckpointForm(community=community)}, status=status)


@guard("propertyservice.patrols.manage")
def route_new(request):
    community = _managed_community(request)
    return _route_save(request, community, route=None)


@guard("propertyservice.patrols.manage")
def route_edit(request, pk):
    route = _route(request, pk)
    return _route_save(request, route.community, route=route)


def _route_save(request, community, *, route):
    if request.method != "POST":
        return _route_page(request, community, route=route)
    form = RouteForm(request.POST, instance=route, community=community)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = svc.route_save(actor=request.user, community=community, rota=data["rota"], name=data["name"],
                                   expected_minutes=data["expected_minutes"],
                                   late_after_minutes=data["late_after_minutes"], active=data["active"],
                                   route=route)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("巡逻路线已保存。"))
            return redirect("propertyservice:patrol_route", pk=saved.pk)
    return _route_page(request, community, route=route, form=form, status=400)


@guard("propertyservice.patrols.manage")
@require_POST
def checkpoint_add(request, pk):
    route = _route(request, pk)
    form = CheckpointForm(request.POST, community=route.community)
    if form.is_valid():
        try:
            svc.checkpoint_add(actor=request.user, route=route, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("点位已添加。"))
            return redirect("propertyservice:patrol_route", pk=route.pk)
    return _route_page(request, route.community, route=route, checkpoint_form=form, status=400)


@guard("propertyservice.patrols.manage")
@require_POST
def checkpoint_remove(request, pk):
    checkpoint = policy.get_object_or_404_for(request.user, "propertyservice.patrols.manage",
                                              PatrolCheckpoint.objects.select_related("route__community"), pk=pk)
    try:
        svc.checkpoint_remove(actor=request.user, checkpoint=checkpoint)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("点位已删除。"))
    return redirect("propertyservice:patrol_route", pk=checkpoint.route_id)


@guard("propertyservice.patrols.manage")
@require_safe
def route_print(request, pk):
    """One QR code per checkpoint, with its name, to print and post at the checkpoint."""
    route = _route(request, pk)
    return render(request, "propertyservice/patrols/route_print.html", {
        "route": route, "community": route.community,
        "labels": sel.qr_labels(route=route, absolute_url=request.build_absolute_uri)})


# --- hand-over notes -----------------------------------------------------------------------------------------

@guard("propertyservice.patrols.patrol")
@require_POST
def handover_write(request, shift_id):
    shift = policy.get_object_or_404_for(request.user, "propertyservice.patrols.patrol",
                                         Shift.objects.select_related("rota"), pk=shift_id)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            svc.handover_write(actor=request.user, shift=shift, body=form.cleaned_data["body"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("交接班记录已保存，下一班会看到。"))
    else:
        messages.error(request, _("请写下交接内容。"))
    return redirect("communities:shift_detail", pk=shift.pk)


@guard("propertyservice.patrols.patrol")
@require_POST
def handover_read(request, pk):
    note = policy.get_object_or_404_for(request.user, "propertyservice.patrols.patrol",
                                        HandoverNote.objects.select_related("shift__rota"), pk=pk)
    next_url = request.POST.get("next_shift", "")
    try:
        svc.handover_read(actor=request.user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认阅读交接班记录。"))
    if next_url.isdigit():
        return redirect("communities:shift_detail", pk=int(next_url))
    return redirect("communities:shift_detail", pk=note.shift_id)


# --- garbage --------------------------------------------------------------------------------------------------

def _garbage_page(request, community, *, check_form=None, handover_form=None, status=200):
    return render(request, "propertyservice/patrols/garbage.html", {
        "community": community, **sel.recent_garbage(community=community),
        "check_form": check_form or GarbageCheckForm(community=community),
        "handover_form": handover_form or GarbageHandoverForm(shifts=sel.garbage_shifts(community=community))},
        status=status)


@guard("propertyservice.patrols.garbage")
def garbage(request):
    """垃圾分类与清运: the sorting check at a collection point and the hand-over to the town's collection."""
    community = _community(request, "propertyservice.patrols.garbage")
    if request.method != "POST":
        return _garbage_page(request, community)
    if request.POST.get("form") == "handover":
        form = GarbageHandoverForm(request.POST, shifts=sel.garbage_shifts(community=community))
        if form.is_valid():
            data = form.cleaned_data
            try:
                handover, created = svc.garbage_handover_log(
                    actor=request.user, shift=data["shift"], handed_at=data["handed_at"], weight_kg=data["weight_kg"],
                    bins=data["bins"], received_by=data["received_by"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if not created:
                    messages.info(request, _("这个班次的交接已经登记过了。"))
                elif handover.on_time:
                    messages.success(request, _("已登记交接（按时）。"))
                else:
                    messages.warning(request, _("已登记交接（晚于约定时间）。"))
                return redirect(community_url("propertyservice:patrol_garbage", community))
        return _garbage_page(request, community, handover_form=form, status=400)
    form = GarbageCheckForm(request.POST, community=community)
    if form.is_valid():
        try:
            svc.garbage_check_log(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("分类检查已登记。"))
            return redirect(community_url("propertyservice:patrol_garbage", community))
    return _garbage_page(request, community, check_form=form, status=400)


urlpatterns = [
    path("patrols/mine/", my_patrol, name="patrol_mine"),
    path("patrols/scan/<str:token>/", patrol_scan, name="patrol_scan"),
    path("patrols/scans/<int:pk>/photo/", scan_photo, name="patrol_scan_photo"),
    path("patrols/routes/", route_list, name="patrol_routes"),
    path("patrols/routes/new/", route_new, name="patrol_route_new"),
    path("patrols/routes/<int:pk>/", route_edit, name="patrol_route"),
    path("patrols/routes/<int:pk>/checkpoints/", checkpoint_add, name="patrol_checkpoint_add"),
    path("patrols/routes/<int:pk>/print/", route_print, name="patrol_route_print"),
    path("patrols/checkpoints/<int:pk>/remove/", checkpoint_remove, name="patrol_checkpoint_remove"),
    path("patrols/shifts/<int:shift_id>/handover/", handover_write, name="patrol_handover_write"),
    path("patrols/handovers/<int:pk>/read/", handover_read, name="patrol_handover_read"),
    path("patrols/garbage/", garbage, name="patrol_garbage"),
]
