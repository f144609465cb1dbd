"""Committee staff's case tools: the dispatch picker's search (htmx) and bulk dispatch from the list."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..forms import BulkDispatchForm
from ..forms.cases import handler_choices
from ..models import Case
from ..policy import guard
from ..selectors.cases import case_for_detail
from ..selectors.dispatch import SEARCH_LIMIT, dispatch_candidates, suggested_handler_id
from ..services.case_bulk import cases_dispatch_bulk


@guard("case.dispatch")
def case_dispatch_candidates(request, pk):
    """htmx fragment: the person picker's options matching what was typed (the flat's sublandlord first)."""
    case = case_for_detail(user=request.user, case_id=pk)
    policy.require(request.user, "case.dispatch", case)
    q = request.GET.get("handler_search", "").strip()[:50]
    candidates = dispatch_candidates(community_ids=[case.community_id], suggested_id=suggested_handler_id(case),
                                     q=q, limit=SEARCH_LIMIT)
    return render(request, "communities/fragments/dispatch_options.html",
                  {"choices": handler_choices(candidates), "q": q, "found": bool(candidates)})


def bulk_community_ids(user, case_ids=()) -> list[int]:
    """The communities whose people the bulk picker offers: the user's (town roles: those of the cases)."""
    ids = policy.community_ids_for(user, "case.dispatch")
    if ids is None:
        ids = set(Case.objects.filter(pk__in=list(case_ids)).values_list("community_id", flat=True))
    return sorted(ids)


def _numbers(ids) -> str:
    return "、".join(f"#{i}" for i in sorted(ids))


@guard("case.dispatch")
@require_POST
def case_bulk_dispatch(request):
    raw_ids = [v for v in request.POST.getlist("cases") if v.isdigit()]
    form = BulkDispatchForm(request.POST, community_ids=bulk_community_ids(request.user, raw_ids))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = None
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back or "communities:case_list")
    data = form.cleaned_data
    outcome = cases_dispatch_bulk(actor=request.user, case_ids=data["cases"], handler_user=data["handler_user"],
                                  handler_team=data["handler_team"], note=data["note"])
    if outcome.changed:
        messages.success(request, _("已派单 %(n)s 件：%(ids)s。") % {"n": len(outcome.changed),
                                                                "ids": _numbers(outcome.changed)})
    if outcome.unchanged:
        messages.info(request, _("%(ids)s 之前已派给同一处理人，没有重复派单。") % {"ids": _numbers(outcome.unchanged)})
    for case_id, message in outcome.failed:
        messages.error(request, _("#%(id)s 没有派单：%(reason)s") % {"id": case_id, "reason": message})
    return redirect(back or "communities:case_list")
