"""Incidents (突发事件) and the emergency team (应急志愿队): the list, recording or reporting one, its page with the
steps the table offers, acknowledging a call, the team's profiles, and the hub and board cards."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.forms.times import aware
from communities.models import TeamMember
from communities.picker import community_for, community_url
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.incidents import CaseOpenForm, DetectForm, DispatchForm, MemberAddForm, ResponderProfileForm
from ..incidents_workflow import INCIDENTS
from ..models import IncidentDispatch
from ..models.incidents import ack_minutes, response_targets
from ..selectors import incidents as sel
from ..selectors.station import hub_communities
from ..services import incidents as svc


def _community(request, action):
    return community_for(request, action, choices=hub_communities(user=request.user, action=action))


@guard("propertyservice.incident.view")
def incident_list(request):
    """突发事件: the village's incidents (a villager: their own reports)."""
    picked = _community(request, "propertyservice.hub")
    community = picked.community
    return render(request, "propertyservice/incidents/list.html", {
        "community": community, "communities": picked.choices,
        "incidents": sel.incidents_for(user=request.user, community=community),
        "can_manage": policy.can(request.user, "propertyservice.incident.manage", community),
        "can_report": policy.can(request.user, "propertyservice.incident.report", community),
        "targets": response_targets()})


@guard("propertyservice.incident.report")
def incident_new(request):
    """发现/报告突发事件: the station records one from any source; a villager reports what they see."""
    picked = _community(request, "propertyservice.incident.report")
    community = picked.community
    manager = policy.can(request.user, "propertyservice.incident.manage", community)
    today = timezone.localdate()
    form = DetectForm(request.POST or None, resident_only=not manager, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = svc.incident_detect(
                actor=request.user, community=community, kind=data["kind"],
                how=data.get("how") if manager else "resident", place=data["place"],
                description=data["description"], detected_at=data.get("detected_at"), drill=data.get("drill", False),
                urgency=data.get("urgency") or "")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录。") if manager else _("已报告服务站，请注意安全。"))
            return redirect("propertyservice:incident_detail", pk=incident.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "propertyservice/incidents/new.html", {
        "community": community, "form": form, "manager": manager}, status=status)


def _forms(incident, actions, bound=None):
    forms = {}
    for t in actions:
        form_class = INCIDENTS.form_class(t.action)
        if form_class is not None:
            data = bound[1] if bound and bound[0] == t.action else None
            forms[t.action] = form_class(data, incident=incident)
    return forms


def _detail(request, incident, bound=None, status=200):
    page = sel.incident_page(incident=incident, user=request.user)
    manager = policy.can(request.user, "propertyservice.incident.manage", incident)
    return render(request, "propertyservice/incidents/detail.html", {
        "incident": incident, "page": page, "forms": _forms(incident, page["actions"], bound),
        "manager": manager, "can_file_case": policy.can(request.user, "case.file_on_behalf", incident.community),
        "case_form": CaseOpenForm(incident=incident), "recall_form": DispatchForm(incident=incident),
        "ack_minutes": ack_minutes()}, status=status)


@guard("propertyservice.incident.view")
def incident_detail(request, pk):
    return _detail(request, sel.incident_for_page(user=request.user, pk=pk))


@guard("propertyservice.incident.view")
@require_POST
def incident_step(request, pk, action):
    """One step of the table (warn, dispatch, arrive, handle, close), with its form when it has one."""
    incident = sel.incident_for_page(user=request.user, pk=pk)
    if action not in INCIDENTS.actions:
        raise Http404
    form_class = INCIDENTS.form_class(action)
    data = {}
    if form_class is not None:
        form = form_class(request.POST, incident=incident)
        if not form.is_valid():
            return _detail(request, incident, bound=(action, request.POST), status=400)
        data = form.cleaned_data
    try:
        outcome = INCIDENTS.run(action, obj_id=incident.pk, actor=request.user, data=data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, incident, bound=(action, request.POST), status=400)
    if outcome.changed:
        messages.success(request, _("已记录：%(step)s。") % {"step": INCIDENTS.label(action)})
    else:
        messages.info(request, _("这一步已经记录过了。"))
    return redirect("propertyservice:incident_detail", pk=incident.pk)


@guard("propertyservice.incident.manage")
@require_POST
def incident_case(request, pk):
    """开立后续维修案件 for a handled or closed incident (committee staff)."""
    incident = policy.get_object_or_404_for(request.user, "propertyservice.incident.manage",
                                            sel.Incident.objects.all(), pk=pk)
    form = CaseOpenForm(request.POST, incident=incident)
    if form.is_valid():
        try:
            outcome = svc.incident_case_open(incident_id=incident.pk, actor=request.user,
                                             category=form.cleaned_data["category"],
                                             description=form.cleaned_data["description"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已开立后续维修案件。") if outcome.changed else _("这个事件已经有后续案件。"))
    else:
        messages.error(request, _("请选择案件类别。"))
    return redirect("propertyservice:incident_detail", pk=incident.pk)


@guard("propertyservice.incident.manage")
@require_POST
def incident_recall(request, pk):
    """再次呼叫 when nobody in the chain answered."""
    incident = policy.get_object_or_404_for(request.user, "propertyservice.incident.manage",
                                            sel.Incident.objects.all(), pk=pk)
    form = DispatchForm(request.POST, incident=incident)
    skill = form.cleaned_data["skill"] if form.is_valid() else ""
    try:
        outcome = svc.incident_recall(incident_id=incident.pk, actor=request.user, skill=skill)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已再次呼叫。") if outcome.changed else _("正在呼叫或已有队员响应。"))
    return redirect("propertyservice:incident_detail", pk=incident.pk)


@guard("propertyservice.incident.respond")
def incident_ack(request, pk):
    """The link in a called member's notification: GET shows the call, POST answers "我去"."""
    dispatch = policy.get_object_or_404_for(
        request.user, "propertyservice.incident.respond",
        IncidentDispatch.objects.select_related("incident__community", "user__person"), pk=pk)
    if request.method == "POST":
        try:
            outcome = svc.dispatch_acknowledge(dispatch_id=dispatch.pk, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已确认前往，请注意安全。到场后请点“已到场”。") if outcome.changed
                             else _("您已经确认过了。"))
            return redirect("propertyservice:incident_detail", pk=dispatch.incident_id)
    return render(request, "propertyservice/incidents/ack.html", {
        "dispatch": dispatch, "incident": dispatch.incident, "ack_minutes": ack_minutes()})


@guard("propertyservice.incident.manage")
def emergency_team(request):
    """应急志愿队: the members' skills, availability and on-call order."""
    picked = _community(request, "propertyservice.incident.manage")
    community = picked.community
    page = sel.team_page(community=community)
    form = MemberAddForm(request.POST or None, community=community)
    if request.method == "POST" and page["team"] is not None and form.is_valid():
        try:
            _row, joined = svc.emergency_member_add(actor=request.user, team=page["team"],
                                                    user=form.cleaned_data["user"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已加入志愿队，请登记应急档案。") if joined else _("已经是志愿队成员。"))
            return redirect(community_url("propertyservice:emergency_team", community))
    status = 400 if request.method == "POST" else 200
    return render(request, "propertyservice/incidents/emergency_team.html", {
        "community": community, "communities": picked.choices, **page, "form": form,
        "now": timezone.now()}, status=status)


@guard("propertyservice.incident.manage")
def emergency_profile(request, member_id):
    member = policy.get_object_or_404_for(request.user, "propertyservice.incident.manage",
                                          TeamMember.objects.select_related("team__community", "user__person"),
                                          pk=member_id)
    profile = sel.responder_of(member)
    initial = {"hours": "all", "on_call_order": 100}
    if profile is not None:
        initial = {"skills": profile.skills, "hours": profile.hours, "on_call_order": profile.on_call_order,
                   "note": profile.note,
                   "away_until": timezone.localtime(profile.away_until).date() if profile.away_until else None}
    form = ResponderProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        away = aware(data["away_until"], dt.time(23, 59)) if data["away_until"] else None
        try:
            svc.responder_profile_save(actor=request.user, member=member, skills=data["skills"], hours=data["hours"],
                                       away_until=away, on_call_order=data["on_call_order"], note=data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("已保存应急档案。"))
            return redirect(community_url("propertyservice:emergency_team", member.team.community))
    status = 400 if request.method == "POST" else 200
    return render(request, "propertyservice/incidents/emergency_profile.html",
                  {"member": member, "form": form}, status=status)


# --- the cards -----------------------------------------------------------------------------------------------------

def hub_context(*, request, community) -> dict:
    """The hub card: report an incident; managers also the open ones and the team."""
    if not policy.can(request.user, "propertyservice.incident.report", community):
        return {}
    return {"community": community, "warnings": sel.warnings_for(user=request.user, community=community),
            "manager": policy.can(request.user, "propertyservice.incident.manage", community)}


def board_context(*, request, community) -> dict:
    if not policy.can(request.user, "propertyservice.board", community):
        return {}
    return {"community": community, **sel.incidents_board(community=community)}


urlpatterns = [
    path("incidents/", incident_list, name="incident_list"),
    path("incidents/new/", incident_new, name="incident_new"),
    path("incidents/team/", emergency_team, name="emergency_team"),
    path("incidents/team/<int:member_id>/", emergency_profile, name="emergency_profile"),
    path("incidents/call/<int:pk>/", incident_ack, name="incident_ack"),
    path("incidents/<int:pk>/", incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/case/", incident_case, name="incident_case"),
    path("incidents/<int:pk>/recall/", incident_recall, name="incident_recall"),
    path("incidents/<int:pk>/<slug:action>/", incident_step, name="incident_step"),
]
