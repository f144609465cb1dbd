"""The residents import: upload → preview (nothing written) → confirm (written once)."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import policy
from ..exports import XLSX_CONTENT_TYPE, attachment_disposition
from ..forms import ImportForm
from ..forms.imports import ImportConfirmForm
from ..policy import guard
from ..services.imports import (
    PREVIEW_LIST_LIMIT, import_stage, import_staged, residents_import_confirm, residents_import_preview,
    staged_preview, template_workbook,
)


@guard("residents.import")
def residents_import_view(request):
    communities = policy.communities_for(request.user, "residents.import")
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, communities)
    form = ImportForm(request.POST or None, request.FILES or None, communities=communities)
    context, status = {"form": form}, 200
    if request.method == "POST" and form.is_valid():
        community = form.cleaned_data["community"]
        report, rows = residents_import_preview(actor=request.user, community=community,
                                                file=form.cleaned_data["file"])
        if report.ok:
            report.token = import_stage(actor=request.user, community=community, rows=rows, report=report)
            context.update(preview=report, community=community, limit=PREVIEW_LIST_LIMIT,
                           confirm=ImportConfirmForm(initial={"token": report.token, "community": community.pk},
                                                     new_buildings=report.new_buildings, communities=communities))
        else:
            context["report"], status = report, 400
    elif request.method == "POST":
        status = 400
    return render(request, "communities/residents_import.html", context, status=status)


def _confirm(request, communities):
    form = ImportForm(communities=communities)
    staged = import_staged(actor=request.user, token=request.POST.get("token", ""))
    confirm = ImportConfirmForm(request.POST, new_buildings=staged["new_buildings"] if staged else [],
                                communities=communities)
    if staged is None or not confirm.is_valid():
        if staged is None:
            messages.info(request, _("这份预览已经导入过或已过期，没有再次导入。需要时请重新上传表格。"))
            return render(request, "communities/residents_import.html", {"form": form}, status=200)
        return render(request, "communities/residents_import.html", {
            "form": form, "confirm": confirm, "limit": PREVIEW_LIST_LIMIT,
            "preview": staged_preview(staged, request.POST.get("token", ""))}, status=400)
    community = confirm.cleaned_data["community"]
    report = residents_import_confirm(actor=request.user, community=community, token=confirm.cleaned_data["token"],
                                      confirmed_buildings=confirm.cleaned_data["buildings"])
    if report is None:
        messages.info(request, _("这份预览已经导入过或已过期，没有再次导入。需要时请重新上传表格。"))
        return render(request, "communities/residents_import.html", {"form": form}, status=200)
    return render(request, "communities/residents_import.html", {"form": form, "report": report},
                  status=200 if report.ok else 400)


@guard("residents.import")
def residents_import_template(request):
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition("居民导入模板.xlsx",
                                                             ascii_filename="residents-template.xlsx")
    template_workbook().save(response)
    return response
