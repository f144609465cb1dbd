from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..exports import xlsx_response
from ..forms import CaseFilterForm
from ..models import PersonalDataAccess
from ..policy import guard
from ..selectors.case_export import EXPORT_HEADERS, export_rows, reporter_subjects
from ..selectors.cases import handler_prefetches, staff_cases
from ..services.audit import audit
from ..services.personal_data import reveal_values

MAX_ROWS = 20000


@guard("case.export")
def case_export(request):
    """The filtered committee list as Excel; phones masked unless the role may see them; logged."""
    communities = policy.communities_for(request.user, "case.export")
    form = CaseFilterForm(request.GET or None, communities=communities)
    if form.is_bound and not form.is_valid():
        # A filter that cannot be applied must not widen the export: back to the list, which says why.
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(f"{reverse('communities:case_list')}?{request.GET.urlencode()}")
    cases = staff_cases(user=request.user, filters=form.to_filters()).filter(community__in=communities)
    cases = cases.select_related("reporter__person", "rating").prefetch_related(*handler_prefetches())[:MAX_ROWS]
    phones = reveal_values(viewer=request.user, subjects=reporter_subjects(cases), action="case.reporter_contact",
                           purpose=gettext_lazy("导出诉求清单"), kind=PersonalDataAccess.Kind.EXPORT)
    rows = export_rows(cases=cases, phones=phones)
    audit(actor=request.user, action="cases.export", rows=len(rows), filters=request.GET.urlencode())
    today = timezone.localdate()
    return xlsx_response(filename=_("诉求清单-%(date)s.xlsx") % {"date": f"{today:%Y%m%d}"},
                         ascii_filename=f"cases-{today:%Y%m%d}.xlsx", sheet_title=_("诉求"),
                         headers=EXPORT_HEADERS, rows=rows)
