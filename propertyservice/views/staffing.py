"""Recruitment and training of the station's staff: /property/station/recruits/ (the applications, a new one),
a recruit's page with the steps its status allows, /property/station/training/ (sessions, a new one) and a
session's attendance form."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.picker import community_url
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.station import AssessForm, AttendanceForm, HireForm, NoteForm, RecruitForm, TrainingSessionForm
from ..models import TrainingSession
from ..selectors import station as sel
from ..services import staffing as svc
from ..services.station import AGE_RULE
from ..staffing_workflow import EVENT_LABELS, MANAGER, RECRUITMENT
from .station import MANAGE, STAFF, managed, picked


def _recruits_context(request, community, form=None) -> dict:
    can_manage = policy.can(request.user, MANAGE, community)
    return {"community": community, "recruits": sel.recruits(community=community), "can_manage": can_manage,
            "form": form or (RecruitForm(community=community, people=sel.hire_candidates(community=community))
                             if can_manage else None),
            "age_rule": AGE_RULE}


@guard(STAFF)
def recruit_list(request):
    """The applications; a manager enters a new one (POST)."""
    if request.method != "POST":
        community = picked(request, STAFF).community
        return render(request, "propertyservice/staffing_recruits.html", _recruits_context(request, community))
    community = managed(request)
    form = RecruitForm(request.POST, community=community, people=sel.hire_candidates(community=community))
    if form.is_valid():
        try:
            outcome = svc.recruit_apply(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记报名。")) if outcome.changed else \
                messages.info(request, _("此人已报名这个岗位，没有重复登记。"))
            return redirect(community_url("propertyservice:recruit_detail", community, outcome.obj.pk))
    return render(request, "propertyservice/staffing_recruits.html", _recruits_context(request, community, form),
                  status=400)


def _recruit(community, recruit_id):
    recruit = sel.recruit_for(community=community, recruit_id=recruit_id)
    if recruit is None:
        raise Http404
    return recruit


def _recruit_context(request, community, recruit, errors=None) -> dict:
    relations = {MANAGER} if policy.can(request.user, MANAGE, community) else set()
    offered = RECRUITMENT.actions_for(recruit.status, relations)
    actions = {t.action for t in offered}
    events = list(recruit.events.all())
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return {"community": community, "recruit": recruit, "events": events,
            "assessments": list(recruit.assessments.all()),
            "plain_steps": [t for t in offered if t.action in ("start_training", "retake", "withdraw")],
            "any_step": bool(actions),
            "assess_form": AssessForm() if {"pass", "fail"} & actions else None,
            "hire_form": HireForm(initial={"since": timezone.localdate()}) if "hire" in actions else None,
            "errors": errors or []}


@guard(STAFF)
def recruit_detail(request, recruit_id):
    community = picked(request, STAFF).community
    recruit = _recruit(community, recruit_id)
    return render(request, "propertyservice/staffing_recruit.html", _recruit_context(request, community, recruit))


STEPS = {"start_training", "assess", "retake", "hire", "withdraw"}


@guard(MANAGE)
@require_POST
def recruit_step(request, recruit_id, action):
    if action not in STEPS:
        raise Http404
    community = managed(request)
    recruit = _recruit(community, recruit_id)
    form = {"assess": AssessForm, "hire": HireForm}.get(action, NoteForm)(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return render(request, "propertyservice/staffing_recruit.html",
                      _recruit_context(request, community, recruit, errors), status=400)
    data = form.cleaned_data
    try:
        if action == "assess":
            outcome = svc.recruit_assess(recruit_id=recruit.pk, actor=request.user, **data)
        elif action == "hire":
            outcome = svc.recruit_hire(recruit_id=recruit.pk, actor=request.user, since=data["since"])
        else:
            outcome = RECRUITMENT.run(action, obj_id=recruit.pk, actor=request.user, data=data)
    except DomainError as exc:
        return render(request, "propertyservice/staffing_recruit.html",
                      _recruit_context(request, community, _recruit(community, recruit_id), [exc.message]),
                      status=400)
    if outcome.changed:
        messages.success(request, _("已记录：%(step)s。") % {"step": outcome.obj.get_status_display()})
    else:
        messages.info(request, _("这一步已经记录过了。"))
    return redirect(community_url("propertyservice:recruit_detail", community, recruit.pk))


# --- training ------------------------------------------------------------------------------------------------

@guard(STAFF)
def training_list(request):
    if request.method != "POST":
        community = picked(request, STAFF).community
        return render(request, "propertyservice/staffing_training.html", {
            "community": community, "sessions": sel.training_sessions(community=community),
            "can_manage": policy.can(request.user, MANAGE, community),
            "form": TrainingSessionForm() if policy.can(request.user, MANAGE, community) else None})
    community = managed(request)
    form = TrainingSessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = svc.training_session_create(actor=request.user, community=community, topic=data["topic"],
                                                  starts_at=data["starts_at"], hours=data["hours"],
                                                  trainer=data["trainer"], place=data["place"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已添加培训场次，请登记出席。"))
            return redirect(community_url("propertyservice:training_detail", community, session.pk))
    return render(request, "propertyservice/staffing_training.html", {
        "community": community, "sessions": sel.training_sessions(community=community), "can_manage": True,
        "form": form}, status=400)


@guard(STAFF)
def training_detail(request, session_id):
    """A session and its attendance (the form for managers)."""
    community = picked(request, STAFF).community
    session = TrainingSession.objects.filter(community=community, pk=session_id).first()
    if session is None:
        raise Http404
    people = sel.attendance_people(community=community)
    can_manage = policy.can(request.user, MANAGE, community)
    present = set(session.attendances.filter(present=True).values_list("person_id", flat=True))
    form = AttendanceForm(people=people, initial={"present": list(present)})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = AttendanceForm(request.POST, people=people)
        if form.is_valid():
            changed = svc.training_attendance_record(actor=request.user, session_id=session.pk, people=list(people),
                                                     present_ids={p.pk for p in form.cleaned_data["present"]})
            messages.success(request, _("已登记出席。")) if changed else messages.info(request, _("出席情况没有变化。"))
            return redirect(community_url("propertyservice:training_detail", community, session.pk))
    return render(request, "propertyservice/staffing_session.html", {
        "community": community, "session": session, "form": form, "can_manage": can_manage,
        "present": [p for p in people if p.pk in present]})


urlpatterns = [
    path("station/recruits/", recruit_list, name="recruit_list"),
    path("station/recruits/<int:recruit_id>/", recruit_detail, name="recruit_detail"),
    path("station/recruits/<int:recruit_id>/<slug:action>/", recruit_step, name="recruit_step"),
    path("station/training/", training_list, name="training_list"),
    path("station/training/<int:session_id>/", training_detail, name="training_detail"),
]
