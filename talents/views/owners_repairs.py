"""The owners' hub's repairs area (issue 15): its pages. Patterns at the foot, joined in ``talents/urls.py``.

- ``owners/repairs/``: the estate's projects by stage (open first, emergency ones on top);
- ``owners/repairs/new/``: staff register a project;
- ``owners/repairs/<pk>/``: the project page, readable by the whole estate (tenants too), with the staff's step
  forms (the table ``talents.repair_workflow`` decides which);
- ``owners/repairs/<pk>/step/<action>/``: one step (POST);
- ``owners/repairs/<pk>/photos/<id>/``, ``owners/repairs/<pk>/files/<id>/``: a step's photo or file.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.models import Case
from communities.picker import community_for
from communities.policy import guard
from communities.services.errors import DomainError
from communities.views.photos import SECURITY_HEADERS, photo_response

from ..forms.owners_repairs import KEEP_NOTE, PlanForm, ProjectForm
from ..models import RepairProject
from ..policies.owners import is_owner
from ..repair_workflow import EVENT_LABELS, REPAIRS, STAFF
from ..selectors import owners_repairs as sel
from ..selectors import studios as studio_sel
from ..services import owners_repairs as svc

VIEW, MANAGE = "talents.repairs.view", "talents.repairs.manage"
SETTLE = "vote_settle"
EMERGENCY_ACTIONS = ("emergency_approve", "refer", "emergency_proceed")  # vote_passed / vote_failed: the service decides which from the published result


def _community(request, action=VIEW):
    return community_for(request, action, choices=studio_sel.hub_communities(user=request.user, action=action))


@guard(VIEW)
@require_safe
def repairs_list(request):
    picked = _community(request)
    community = picked.community
    today = timezone.localdate()
    rows = [{"project": p, "overdue": sel.emergency_overdue(p, on=today)}
            for p in sel.projects_visible(user=request.user, community=community)]
    return render(request, "talents/owners/repairs_list.html", {
        "community": community, "communities": picked.choices, "rows": rows,
        "can_manage": policy.can(request.user, MANAGE, community)})


@guard(MANAGE)
def repairs_new(request):
    community = _community(request, MANAGE).community
    form = ProjectForm(request.POST or None, request.FILES or None, community=community)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            cases = list(Case.objects.filter(community=community, pk__in=data["case_ids"]))
            try:
                if len(cases) != len(set(data["case_ids"])):
                    raise DomainError(_("有的工单编号不是本小区的工单。"), code="case")
                project = svc.repair_project_create(
                    actor=request.user, community=community, title=data["title"], kind=data["kind"],
                    scope=data["scope"], building=data["building"], entrance=data["entrance"],
                    description=data["description"], emergency=data["emergency"], cases=cases,
                    photos=data["photos"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已登记维修项目。"))
                return redirect("talents:owners_repairs_detail", project.pk)
    return render(request, "talents/owners/repairs_new.html",
                  {"community": community, "form": form, "keep_note": KEEP_NOTE}, status=status)


def _project(request, pk):
    return policy.get_object_or_404_for(request.user, VIEW, sel.project_for_page(), pk=pk)


def _step_form(action, project, data=None, files=None):
    form_class = REPAIRS.form_class(action)
    if form_class is None:
        return None
    if form_class is PlanForm:
        initial = {"scope": project.scope, "building": project.building_id, "entrance": project.entrance}
        for i, item in enumerate(project.items.all(), start=1):
            initial[f"item_{i}"], initial[f"amount_{i}"] = item.title, item.amount
        return PlanForm(data, files, community=project.community, initial=initial)
    return form_class(data, files)


def _detail_page(request, project, *, failed=None, status=200):
    """``failed``: (action, form) of a step refused, shown with its error where the step's form is."""
    user = request.user
    today = timezone.localdate()
    relations = REPAIRS.relations(user, project)
    actions = []
    for t in REPAIRS.actions_for(project.status, relations):
        if t.action in ("vote_passed", "vote_failed") or (t.action in EMERGENCY_ACTIONS and not project.emergency):
            continue
        form = failed[1] if failed and failed[0] == t.action else _step_form(t.action, project)
        actions.append({"action": t.action, "label": t.label, "danger": t.danger, "form": form,
                        "open": bool(failed and failed[0] == t.action)})
    owner_or_staff = is_owner(user, project) or STAFF in relations
    vote = None
    if project.assembly_id:
        election = project.assembly.election
        vote = {"assembly": project.assembly, "election": election,
                "result": svc.motion_result(election=election, motion_id=election.motions.order_by("pk").first().pk)
                if election.status == election.Status.PUBLISHED else None,
                "outcome": svc.vote_outcome(project)}
    return render(request, "talents/owners/repairs_detail.html", {
        "project": project, "community": project.community, "events": list(project.events.all()),
        "event_labels": EVENT_LABELS, "items": list(project.items.all()), "cases": list(project.cases.all()),
        "funding": sel.project_funding(project=project), "payments": sel.project_payments(project=project),
        "share": sel.project_share(project=project, user=user),
        "deadline": sel.emergency_deadline(project), "clock_running": sel.emergency_clock_running(project),
        "overdue": sel.emergency_overdue(project, on=today), "referral": sel.referral_of(project),
        "vote": vote, "show_vote": owner_or_staff, "is_staff": STAFF in relations, "actions": actions,
        "settle": STAFF in relations and project.status == RepairProject.Status.VOTING,
        "failed": failed, "keep_note": KEEP_NOTE, "mask": sel.mask_name,
    }, status=status)


@guard(VIEW)
@require_safe
def repairs_detail(request, pk):
    return _detail_page(request, _project(request, pk))


@guard(MANAGE)
@require_POST
def repairs_step(request, pk, action):
    project = _project(request, pk)
    if not policy.can(request.user, MANAGE, project):
        raise PermissionDenied
    if action == SETTLE:
        try:
            outcome = svc.repair_vote_settle(project_id=project.pk, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("talents:owners_repairs_detail", project.pk)
        messages.success(request, _("已登记表决结果。") if outcome.changed else _("表决结果已登记过，无需重复操作。"))
        return redirect("talents:owners_repairs_detail", project.pk)
    if action not in REPAIRS.actions or REPAIRS.first(action).service == "":
        raise Http404
    form = _step_form(action, project, request.POST, request.FILES)
    if form is not None and not form.is_valid():
        return _detail_page(request, project, failed=(action, form), status=400)
    data = (form.service_data() if isinstance(form, PlanForm) else dict(form.cleaned_data)) if form else {}
    if action == "link":
        data = {"case": svc.case_for_link(community=project.community, case_id=data.pop("case_id"))}
    try:
        outcome = REPAIRS.run(action, obj_id=project.pk, actor=request.user, data=data)
    except DomainError as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect("talents:owners_repairs_detail", project.pk)
        form.add_error(None, exc.message)
        project = _project(request, pk)
        return _detail_page(request, project, failed=(action, form), status=400)
    messages.success(request, _("已保存：%(step)s。") % {"step": REPAIRS.label(action)} if outcome.changed
                     else _("这一步已经登记过，没有重复保存。"))
    return redirect("talents:owners_repairs_detail", project.pk)


@guard(VIEW)
@require_safe
def repairs_photo(request, pk, photo_id):
    project = _project(request, pk)
    photo = get_object_or_404(project.photos.all(), pk=photo_id)
    return photo_response(photo, name=f"repair-{project.pk}-photo-{photo.pk}")


@guard(VIEW)
@require_safe
def repairs_file(request, pk, document_id):
    project = _project(request, pk)
    document = get_object_or_404(project.documents.all(), pk=document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    types = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
    response = FileResponse(handle, content_type=types.get(document.extension, "application/octet-stream"),
                            as_attachment=True, filename=f"repair-{project.pk}-{document.kind}-{document.pk}.{document.extension}")
    for header, value in SECURITY_HEADERS.items():
        response[header] = value
    return response


def repair_case_panel(request, case):
    """On the core case page (``communities.extensions.register_panel("case", …)``): the repair projects the case
    was taken into, with their stage and where the money comes from, for anyone of the estate who sees the case."""
    from communities.extensions import Panel

    if not policy.can(request.user, VIEW, case):
        return None
    projects = sel.projects_of_case(case=case)
    if not projects:
        return None
    rows = [{"project": p, "source": sel.funding_label(p),
             "url": reverse("talents:owners_repairs_detail", args=[p.pk])} for p in projects]
    return Panel("talents/owners/repairs_case_panel.html", {"rows": rows})


urlpatterns: list = [
    path("owners/repairs/", repairs_list, name="owners_repairs_list"),
    path("owners/repairs/new/", repairs_new, name="owners_repairs_new"),
    path("owners/repairs/<int:pk>/", repairs_detail, name="owners_repairs_detail"),
    path("owners/repairs/<int:pk>/step/<slug:action>/", repairs_step, name="owners_repairs_step"),
    path("owners/repairs/<int:pk>/photos/<int:photo_id>/", repairs_photo, name="owners_repairs_photo"),
    path("owners/repairs/<int:pk>/files/<int:document_id>/", repairs_file, name="owners_repairs_file"),
]
