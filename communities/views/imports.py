from django.http import HttpResponse
from django.shortcuts import render

from .. import policy
from ..exports import XLSX_CONTENT_TYPE, attachment_disposition
from ..forms import ImportForm
from ..policy import guard
from ..services.imports import residents_import, template_workbook


@guard("residents.import")
def residents_import_view(request):
    communities = policy.communities_for(request.user, "residents.import")
    form = ImportForm(request.POST or None, request.FILES or None, communities=communities)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        report = residents_import(actor=request.user, community=form.cleaned_data["community"],
                                  file=form.cleaned_data["file"])
        status = 200 if report.ok else 400
    return render(request, "communities/residents_import.html", {"form": form, "report": report}, status=status)


@guard("residents.import")
def residents_import_template(request):
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition("居民导入模板.xlsx",
                                                             ascii_filename="residents-template.xlsx")
    template_workbook().save(response)
    return response
