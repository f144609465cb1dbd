"""The 24-hour hotline (24 小时热线): the call log, logging a call, a call's page (reveal the number, record the
call-back, the committee files the case handed to it)."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.models import Role, User
from communities.picker import community_for
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.hotline import CallbackDoneForm, CallFilterForm, CaseFileForm, HotlineCallForm
from ..selectors import hotline as sel
from ..selectors.station import hub_communities
from ..services import hotline as svc


def _staff(community):
    return (User.objects.filter(memberships__community=community, memberships__role=Role.STATION_STAFF, is_active=True)
            .select_related("person").distinct().order_by("username"))


@guard("propertyservice.hotline.view")
@require_safe
def call_list(request):
    """热线来电记录: the calls, their outcome and time to answer; by day and outcome, 20 a page."""
    picked = community_for(request, "propertyservice.hotline.view",
                           choices=hub_communities(user=request.user, action="propertyservice.hotline.view"))
    community = picked.community
    filters = CallFilterForm(request.GET or None)
    day = outcome = None
    if filters.is_valid():
        day, outcome = filters.cleaned_data["day"], filters.cleaned_data["outcome"]
    page = sel.calls_for(user=request.user, community=community, day=day, outcome=outcome or "",
                         page=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "propertyservice/hotline_list.html", {
        "community": community, "communities": picked.choices, "page": page, "filters": filters,
        "query": query.urlencode(),
        "can_log": policy.can(request.user, "propertyservice.hotline.log", community)})


@guard("propertyservice.hotline.log")
def call_new(request):
    """登记来电: one short form, filled in seconds."""
    picked = community_for(request, "propertyservice.hotline.log",
                           choices=hub_communities(user=request.user, action="propertyservice.hotline.log"))
    community = picked.community
    form = HotlineCallForm(request.POST or None, community=community, staff=_staff(community))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call, created = svc.hotline_call_log(
                actor=request.user, community=community, token=data["token"], received_at=data["received_at"],
                caller_name=data["caller_name"], caller_phone=data["caller_phone"], category=data["category"],
                about=data["about"], outcome=data["outcome"], village_group=data["village_group"],
                house=data["house"], urgent=data["urgent"], answer=data["answer"],
                case_category=data["case_category"], callback_due_at=data["callback_due_at"],
                callback_assignee=data["callback_assignee"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记这通来电。") if created else _("这通来电已经登记过了。"))
            return redirect("propertyservice:hotline_detail", pk=call.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "propertyservice/hotline_form.html",
                  {"community": community, "communities": picked.choices, "form": form}, status=status)


def _detail(request, call, *, phone="", case_form=None, status=200):
    can_log = policy.can(request.user, "propertyservice.hotline.log", call)
    can_file = (call.outcome == call.Outcome.CASE and not call.case_id
                and policy.can(request.user, "propertyservice.hotline.file_case", call))
    return render(request, "propertyservice/hotline_detail.html", {
        "call": call, "community": call.community, "phone": phone, "due": sel.answer_due(call),
        # the clock runs to a day's end (the next local midnight): say "that day, by 24:00", not the next day 00:00
        "due_day": timezone.localtime(sel.answer_due(call) - dt.timedelta(seconds=1)).date(),
        "in_time": sel.answered_in_time(call),
        "can_reveal": policy.can(request.user, "propertyservice.hotline.reveal_phone", call),
        "can_callback": can_log and call.callback_open, "callback_form": CallbackDoneForm(),
        "can_file": can_file, "case_form": case_form or (CaseFileForm(community=call.community) if can_file else None),
        "case_url": reverse("communities:case_detail", args=[call.case_id]) if call.case_id else "",
    }, status=status)


@guard("propertyservice.hotline.view")
@require_safe
def call_detail(request, pk):
    return _detail(request, sel.call_for_page(user=request.user, pk=pk))


@guard("propertyservice.hotline.reveal_phone")
@require_POST
def call_phone(request, pk):
    """显示完整号码 (for the call-back): the access is logged."""
    call = sel.call_for_page(user=request.user, pk=pk)
    if not policy.can(request.user, "propertyservice.hotline.reveal_phone", call):
        raise PermissionDenied
    return _detail(request, call, phone=svc.hotline_phone_reveal(viewer=request.user, call=call))


@guard("propertyservice.hotline.log")
@require_POST
def call_callback_done(request, pk):
    call = sel.call_for_page(user=request.user, pk=pk)
    form = CallbackDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        done = svc.hotline_callback_done(actor=request.user, call_id=call.pk, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录回电。") if done else _("这次回电已经记录过了。"))
    return redirect("propertyservice:hotline_detail", pk=call.pk)


@guard("propertyservice.hotline.file_case")
@require_POST
def call_case_file(request, pk):
    """村委立案: the committee's staff file the case of a call the station handed to them."""
    call = sel.call_for_page(user=request.user, pk=pk)
    form = CaseFileForm(request.POST, community=call.community)
    if form.is_valid():
        try:
            _case, created = svc.hotline_case_file(actor=request.user, call_id=call.pk,
                                                   category=form.cleaned_data["category"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已立案（热线电话渠道）。") if created else _("这个来电已经立案了。"))
            return redirect("propertyservice:hotline_detail", pk=call.pk)
    return _detail(request, call, case_form=form, status=400)


urlpatterns = [
    path("hotline/", call_list, name="hotline_list"),
    path("hotline/new/", call_new, name="hotline_new"),
    path("hotline/<int:pk>/", call_detail, name="hotline_detail"),
    path("hotline/<int:pk>/phone/", call_phone, name="hotline_phone"),
    path("hotline/<int:pk>/callback/", call_callback_done, name="hotline_callback_done"),
    path("hotline/<int:pk>/case/", call_case_file, name="hotline_case_file"),
]
