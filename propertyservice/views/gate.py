"""门岗: the gate page (one phone screen: how full the car park is, the form, the open entries with a one-tap
离开), the charge and its payment, the printable receipt, the day's log, the cash report, the cameras."""
import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.picker import community_checked, community_for
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.gate import CameraForm, DayForm, GateEntryForm, GateExitForm, PaymentForm
from ..models import Camera, GateEntry, ParkingCharge
from ..selectors import gate as sel
from ..selectors import parking as parking_sel
from ..selectors.station import APP_LABEL, hub_communities
from ..services import gate as services
from ..services.parking import camera_save

OPERATE = "propertyservice.gate.operate"
MANAGE = "propertyservice.parking.manage"


def _gate_community(request):
    return community_for(request, OPERATE, choices=hub_communities(user=request.user, action=OPERATE))


def managed_community(request):
    """The village for a heads' page: 404 outside the user's villages or where the app does not serve, 403
    inside without the right."""
    picked = community_checked(request, MANAGE)
    if not picked.community.apps.filter(app_label=APP_LABEL).exists():
        raise Http404
    return picked


def _gate_url(community) -> str:
    return f"{reverse('propertyservice:gate')}?{urlencode({'community': community.slug})}"


def _page(request, community, communities, form, status=200):
    return render(request, "propertyservice/gate.html", {
        "community": community, "communities": communities, "form": form, "exit_form": GateExitForm(),
        "open": sel.open_entries(community=community), "occupancy": parking_sel.occupancy(community=community),
        "can_manage": policy.can(request.user, MANAGE, community),
    }, status=status)


@guard(OPERATE)
@require_safe
def gate(request):
    picked = _gate_community(request)
    return _page(request, picked.community, picked.choices, GateEntryForm())


@guard(OPERATE)
@require_POST
def gate_enter(request):
    picked = _gate_community(request)
    form = GateEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry, created = services.gate_enter(
                actor=request.user, community=picked.community, kind=data["kind"], plate=data["plate"],
                vehicle_class=data["vehicle_class"], visiting=data["visiting"], reason=data["reason"],
                now=data.get("at"))
        except DomainError as error:
            field = ("plate" if error.code.startswith("plate") or error.code == "full"
                     else "visiting" if error.code == "visiting" else None)
            form.add_error(field, error.message)
        else:
            if not created:
                messages.info(request, _("%(plate)s 已在场内，没有重复登记。") % {"plate": entry.plate})
            elif entry.whitelisted or entry.exempt:
                messages.success(request, _("已登记入场：%(what)s（免费）。") % {"what": entry})
            else:
                messages.success(request, _("已登记入场：%(what)s。") % {"what": entry})
            return redirect(_gate_url(picked.community))
    return _page(request, picked.community, picked.choices, form, status=400)


def _entry_for(request, pk) -> GateEntry:
    return policy.get_object_or_404_for(request.user, OPERATE, GateEntry.objects.select_related("community"), pk=pk)


def _charge_for(request, pk) -> ParkingCharge:
    return policy.get_object_or_404_for(
        request.user, OPERATE,
        ParkingCharge.objects.select_related("entry__community", "entry__standard", "received_by__person"), pk=pk)


@guard(OPERATE)
@require_POST
def gate_exit(request, pk):
    entry = _entry_for(request, pk)
    form = GateExitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("at", [])))
        return redirect(_gate_url(entry.community))
    try:
        charge = services.gate_exit(actor=request.user, entry=entry, now=form.cleaned_data.get("at"))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_gate_url(entry.community))
    if charge is not None:
        return redirect("propertyservice:gate_charge", pk=charge.pk)
    messages.success(request, _("%(what)s 已离场。") % {"what": entry})
    return redirect(_gate_url(entry.community))


@guard(OPERATE)
@require_POST
def gate_prepay(request, pk):
    entry = _entry_for(request, pk)
    charge = services.gate_prepay(actor=request.user, entry=entry)
    if charge is None:
        messages.info(request, _("目前不需要付费。"))
        return redirect(_gate_url(entry.community))
    return redirect("propertyservice:gate_charge", pk=charge.pk)


@guard(OPERATE)
@require_safe
def gate_charge(request, pk):
    charge = _charge_for(request, pk)
    if charge.is_paid:
        return redirect("propertyservice:gate_receipt", pk=charge.pk)
    return render(request, "propertyservice/gate_charge.html", {
        "charge": charge, "entry": charge.entry, "community": charge.entry.community, "form": PaymentForm()})


@guard(OPERATE)
@require_POST
def gate_pay(request, pk):
    charge = _charge_for(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return render(request, "propertyservice/gate_charge.html", {
            "charge": charge, "entry": charge.entry, "community": charge.entry.community, "form": form}, status=400)
    charge, paid = services.charge_pay(actor=request.user, charge=charge, method=form.cleaned_data["method"])
    messages.success(request, _("已收款。") if paid else _("这笔已经收过款，没有重复收取。"))
    return redirect("propertyservice:gate_receipt", pk=charge.pk)


@guard(OPERATE)
@require_POST
def gate_charge_cancel(request, pk):
    charge = _charge_for(request, pk)
    services.charge_cancel(actor=request.user, charge=charge)
    messages.info(request, _("已取消这笔计费，车辆仍在场内。"))
    return redirect(_gate_url(charge.entry.community))


@guard(OPERATE)
@require_safe
def gate_receipt(request, pk):
    charge = _charge_for(request, pk)
    if not charge.is_paid:
        return redirect("propertyservice:gate_charge", pk=charge.pk)
    return render(request, "propertyservice/gate_receipt.html", {
        "charge": charge, "entry": charge.entry, "community": charge.entry.community})


def _day(request) -> dt.date:
    form = DayForm(request.GET)
    return (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()


@guard(OPERATE)
@require_safe
def gate_log(request):
    picked = _gate_community(request)
    day = _day(request)
    return render(request, "propertyservice/gate_log.html", {
        "community": picked.community, "communities": picked.choices, "day": day,
        "form": DayForm(initial={"day": day}), "entries": sel.log_of_day(community=picked.community, day=day)})


@guard(MANAGE)
@require_safe
def cash_report(request):
    picked = managed_community(request)
    day = _day(request)
    return render(request, "propertyservice/gate_cash.html", {
        "community": picked.community, "day": day, "form": DayForm(initial={"day": day}),
        "report": parking_sel.cash_report(community=picked.community, day=day)})


@guard(MANAGE)
def cameras(request):
    picked = managed_community(request)
    community = picked.community
    camera = None
    if request.GET.get("edit"):
        camera = policy.get_object_or_404_for(request.user, MANAGE, Camera.objects.all(), pk=request.GET["edit"])
    initial = {f: getattr(camera, f) for f in CameraForm.base_fields} if camera else None
    form = CameraForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            camera_save(actor=request.user, community=community, camera=camera, **form.cleaned_data)
        except DomainError as error:
            form.add_error("place", error.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect(f"{reverse('propertyservice:gate_cameras')}?{urlencode({'community': community.slug})}")
    return render(request, "propertyservice/gate_cameras.html", {
        "community": community, "form": form, "camera": camera, "cameras": sel.cameras(community=community),
        "today": timezone.localdate()}, status=400 if request.method == "POST" else 200)


urlpatterns = [
    path("gate/", gate, name="gate"),
    path("gate/enter/", gate_enter, name="gate_enter"),
    path("gate/<int:pk>/exit/", gate_exit, name="gate_exit"),
    path("gate/<int:pk>/prepay/", gate_prepay, name="gate_prepay"),
    path("gate/charges/<int:pk>/", gate_charge, name="gate_charge"),
    path("gate/charges/<int:pk>/pay/", gate_pay, name="gate_pay"),
    path("gate/charges/<int:pk>/cancel/", gate_charge_cancel, name="gate_charge_cancel"),
    path("gate/charges/<int:pk>/receipt/", gate_receipt, name="gate_receipt"),
    path("gate/log/", gate_log, name="gate_log"),
    path("gate/cash/", cash_report, name="gate_cash"),
    path("gate/cameras/", cameras, name="gate_cameras"),
]
