"""E-bike charging sheds: the list with ports and the price board, a shed's page, the daily safety check, the
staff's start/stop buttons and repairs, and the vendor's CSV import. Records only: the app never switches a port."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.picker import community_for
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.sheds import SafetyCheckForm, SessionsImportForm, SessionStopForm
from ..models import ChargingPort, ChargingSession
from ..selectors import sheds as sel
from ..services import sheds as svc

VIEW, MANAGE = "propertyservice.shed.view", "propertyservice.shed.manage"


def _picked(request, action):
    return community_for(request, action, choices=sel.served(user=request.user, action=action))


@guard(VIEW)
@require_safe
def shed_list(request):
    """The sheds with their ports now and the price board: phone first, for villagers and staff."""
    picked = _picked(request, VIEW)
    community = picked.community
    return render(request, "propertyservice/sheds/shed_list.html", {
        "community": community, "communities": picked.choices, "sheds": sel.sheds_with_ports(community=community),
        "staff": policy.can(request.user, MANAGE, community)})


@guard(VIEW)
@require_safe
def price_board(request):
    """The price board (收费公示) alone, to show villagers: electricity and service fee separately."""
    picked = _picked(request, VIEW)
    return render(request, "propertyservice/sheds/price_board.html", {
        "community": picked.community, "communities": picked.choices,
        "sheds": sel.sheds_with_ports(community=picked.community)})


@guard(VIEW)
@require_safe
def shed_detail(request, pk):
    shed = sel.shed_for(user=request.user, pk=pk)
    staff = policy.can(request.user, MANAGE, shed)
    page = sel.shed_page(shed=shed) if staff else {"ports": list(shed.ports.all())}
    return render(request, "propertyservice/sheds/shed_detail.html", {
        "shed": shed, "community": shed.community, "staff": staff, "stop_form": SessionStopForm(), **page})


@guard(MANAGE)
def safety_check(request, pk):
    shed = sel.shed_for(user=request.user, pk=pk, action=MANAGE)
    existing = sel.shed_page(shed=shed, sessions=0)["check"]
    form = SafetyCheckForm(request.POST or None, shed=shed)
    if request.method == "POST" and form.is_valid():
        try:
            check, created = svc.safety_check_record(actor=request.user, shed_id=shed.pk, **form.values())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if not created:
                messages.info(request, _("今天已经检查过了，没有重复登记。"))
            elif check.passed:
                messages.success(request, _("已登记：各项正常。"))
            else:
                messages.warning(request, _("已登记故障，并已生成工单交服务站处理。"))
            return redirect("propertyservice:shed_detail", pk=shed.pk)
    return render(request, "propertyservice/sheds/safety_check.html", {
        "shed": shed, "community": shed.community, "form": form, "existing": existing},
        status=400 if request.method == "POST" else 200)


@guard(MANAGE)
@require_POST
def session_start(request, pk):
    port = policy.get_object_or_404_for(request.user, MANAGE, ChargingPort.objects.select_related("shed"), pk=pk)
    try:
        _session, created = svc.session_start(actor=request.user, port_id=port.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已登记开始充电。") if created else _("该端口已在充电中。"))
    return redirect("propertyservice:shed_detail", pk=port.shed_id)


@guard(MANAGE)
@require_POST
def session_stop(request, pk):
    session = policy.get_object_or_404_for(request.user, MANAGE, ChargingSession.objects.all(), pk=pk)
    form = SessionStopForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写电表读数（0–100 千瓦时）。"))
        return redirect("propertyservice:shed_detail", pk=session.shed_id)
    try:
        session, created = svc.session_stop(actor=request.user, session_id=session.pk, kwh=form.cleaned_data["kwh"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if created:
            messages.success(request, _("已结束：电费 %(e)s 元，服务费 %(s)s 元，合计 %(t)s 元。") % {
                "e": session.electricity_fee, "s": session.service_fee, "t": session.total_fee})
        else:
            messages.info(request, _("这次充电已经结束过了。"))
    return redirect("propertyservice:shed_detail", pk=session.shed_id)


@guard(MANAGE)
@require_POST
def port_repair(request, pk):
    port = policy.get_object_or_404_for(request.user, MANAGE, ChargingPort.objects.all(), pk=pk)
    done = svc.port_repair(actor=request.user, port_id=port.pk)
    messages.success(request, _("已登记端口修复。") if done else _("该端口不是故障状态。"))
    return redirect("propertyservice:shed_detail", pk=port.shed_id)


@guard(MANAGE)
@require_POST
def shed_repair(request, pk):
    shed = sel.shed_for(user=request.user, pk=pk, action=MANAGE)
    done = svc.shed_repair(actor=request.user, shed_id=shed.pk)
    messages.success(request, _("已登记消防设施修复。") if done else _("该充电棚不是故障状态。"))
    return redirect("propertyservice:shed_detail", pk=shed.pk)


@guard(MANAGE)
def sessions_import(request):
    picked = _picked(request, MANAGE)
    form = SessionsImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = svc.sessions_import(actor=request.user, community=picked.community,
                                         data=form.cleaned_data["file"].read(svc.MAX_IMPORT_BYTES + 1))
        except DomainError as error:
            form.add_error("file", error.message)
    return render(request, "propertyservice/sheds/sessions_import.html", {
        "community": picked.community, "communities": picked.choices, "form": form, "report": report,
        "now": timezone.now()}, status=400 if request.method == "POST" and report is None else 200)



urlpatterns = [
    path("sheds/", shed_list, name="shed_list"),
    path("sheds/prices/", price_board, name="shed_prices"),
    path("sheds/import/", sessions_import, name="shed_import"),
    path("sheds/<int:pk>/", shed_detail, name="shed_detail"),
    path("sheds/<int:pk>/check/", safety_check, name="shed_check"),
    path("sheds/<int:pk>/repair/", shed_repair, name="shed_repair"),
    path("sheds/ports/<int:pk>/start/", session_start, name="port_start"),
    path("sheds/ports/<int:pk>/repair/", port_repair, name="port_repair"),
    path("sheds/sessions/<int:pk>/stop/", session_stop, name="session_stop"),
]
