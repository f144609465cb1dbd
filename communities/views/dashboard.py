from django.http import Http404
from django.shortcuts import render

from .. import policy
from ..policy import guard
from ..selectors.dashboard import PERIOD_DAYS, dashboard_for


@guard("case.dashboard")
def dashboard(request):
    """One community: its board in full. Several (town roles): a table of all side by side, each row
    opening that community's board (``?community=<slug>``)."""
    slug = request.GET.get("community", "")
    overview = not slug and policy.communities_for(request.user, "case.dashboard").count() > 1
    boards = dashboard_for(user=request.user, slug=slug, top=1 if overview else 5)
    if slug and not boards:
        raise Http404
    return render(request, "communities/dashboard.html", {
        "boards": boards, "days": PERIOD_DAYS, "overview": overview, "single": slug and len(boards) == 1})
