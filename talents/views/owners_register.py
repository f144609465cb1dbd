"""The owners' hub's register area (issue 15): the owner register for committee staff (with unmasking, logged),
its Excel import (preview, then confirm), publishing the roster, and the published roster for everyone of the
estate. Patterns at the foot, joined in ``talents/urls.py``."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.exports import XLSX_CONTENT_TYPE, attachment_disposition
from communities.models import Residency
from communities.picker import community_url
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.owners_register import RegisterConfirmForm, RegisterImportForm, RosterPublishForm
from ..models import RosterPublication
from ..selectors import owners_register as sel
from ..services import owners_register as svc
from .owners_picker import owners_community_for

MANAGE = "talents.register.manage"
VIEW = "talents.owners.view"
ONE_PAGE = 300  # units shown at once before the register opens on one building


@guard(MANAGE)
@require_safe
def register_page(request):
    picked = owners_community_for(request, MANAGE)
    community = picked.community
    buildings = list(sel.register_buildings(community=community))
    wanted = request.GET.get("building", "")
    building = next((b for b in buildings if str(b.pk) == wanted), None)
    every = sel.register_rows(community=community)
    if building is None and wanted != "all" and len(every) > ONE_PAGE and buildings:
        building = buildings[0]  # a large estate opens on its first building; 全部楼栋 shows all
    rows = [r for r in every if building is None or r.unit.building_id == building.pk]
    return render(request, "talents/owners/register_list.html", {
        "community": community, "communities": picked.choices, "buildings": buildings, "building": building,
        "rows": rows, "summary": sel.register_summary(rows), "estate_summary": sel.register_summary(every),
        "latest": sel.latest_roster(community=community), "publish_form": RosterPublishForm()})


@guard(MANAGE)
@require_POST
def register_unmask(request, residency_id):
    residency = policy.get_object_or_404_for(
        request.user, MANAGE, Residency.objects.select_related("person", "unit__building__community"),
        pk=residency_id, relation=Residency.Relation.OWNER, moved_out__isnull=True)
    phone = svc.owner_phone_unmask(actor=request.user, residency=residency)
    return render(request, "talents/owners/register_unmask.html", {
        "community": residency.unit.building.community, "residency": residency, "phone": phone})


def _import_context(request, community, **extra):
    return {"community": community, "communities": policy.communities_for(request.user, MANAGE).order_by("name"),
            **extra}


@guard(MANAGE)
def register_import(request):
    community = owners_community_for(request, MANAGE).community
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, community)
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    context, status = _import_context(request, community, form=form), 200
    if request.method == "POST" and form.is_valid():
        report, rows = svc.register_import_preview(actor=request.user, community=community,
                                                   file=form.cleaned_data["file"])
        if report.ok:
            report.token = svc.register_import_stage(actor=request.user, community=community, rows=rows,
                                                     report=report)
            context.update(preview=report, confirm=RegisterConfirmForm(initial={"token": report.token}))
        else:
            context["report"], status = report, 400
    elif request.method == "POST":
        status = 400
    return render(request, "talents/owners/register_import.html", context, status=status)


def _confirm(request, community):
    confirm = RegisterConfirmForm(request.POST)
    report = None
    if confirm.is_valid():
        report = svc.register_import_confirm(actor=request.user, community=community,
                                             token=confirm.cleaned_data["token"])
    context = _import_context(request, community, form=RegisterImportForm())
    if report is None:
        messages.info(request, _("这份预览已经导入过或已过期，没有再次导入。需要时请重新上传表格。"))
        return render(request, "talents/owners/register_import.html", context)
    context["report"] = report
    return render(request, "talents/owners/register_import.html", context, status=200 if report.ok else 400)


@guard(MANAGE)
@require_safe
def register_template(request):
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition("业主名册导入模板.xlsx",
                                                             ascii_filename="owners-register-template.xlsx")
    svc.register_template_workbook().save(response)
    return response


@guard(MANAGE)
@require_POST
def roster_publish(request):
    community = owners_community_for(request, MANAGE).community
    form = RosterPublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        publication, created = svc.roster_publish(actor=request.user, community=community, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(community_url("talents:owners_register", community))
    if created:
        messages.success(request, _("业主名册已公示。"))
    else:
        messages.info(request, _("刚才已经公示过同样的名册，没有重复公示。"))
    return redirect("talents:owners_register_publication", pk=publication.pk)


def _roster_render(request, publication, community, choices=None):
    return render(request, "talents/owners/register_roster.html", {
        "community": community, "communities": choices if choices is not None else [],
        "publication": publication,
        "publications": sel.roster_publications(community=community)[:20],
        "can_manage": policy.can(request.user, MANAGE, community)})


@guard(VIEW)
@require_safe
def roster_latest(request):
    picked = owners_community_for(request, VIEW)
    return _roster_render(request, sel.latest_roster(community=picked.community), picked.community,
                          picked.choices)


@guard(VIEW)
@require_safe
def roster_publication(request, pk):
    publication = policy.get_object_or_404_for(request.user, VIEW, RosterPublication.objects.select_related(
        "community"), pk=pk)
    return _roster_render(request, publication, publication.community)


urlpatterns = [
    path("owners/register/", register_page, name="owners_register"),
    path("owners/register/owners/<int:residency_id>/unmask/", register_unmask, name="owners_register_unmask"),
    path("owners/register/import/", register_import, name="owners_register_import"),
    path("owners/register/import/template.xlsx", register_template, name="owners_register_template"),
    path("owners/register/roster/publish/", roster_publish, name="owners_register_publish"),
    path("owners/register/roster/", roster_latest, name="owners_register_roster"),
    path("owners/register/roster/<int:pk>/", roster_publication, name="owners_register_publication"),
]
