from django.shortcuts import render

from .. import policy
from ..picker import community_for, requested_slug
from ..policy import guard
from ..selectors.dashboard import PERIOD_DAYS, dashboard_for


@guard("case.dashboard")
def dashboard(request):
    """One community: its board in full. Several (town roles): a table of all side by side, each row
    opening that community's board (``?community=<slug>``)."""
    # Only a named community narrows the board; without one a town role sees the table, not the first community.
    slug = community_for(request, "case.dashboard").community.slug if requested_slug(request) else ""
    overview = not slug and policy.communities_for(request.user, "case.dashboard").count() > 1
    boards = dashboard_for(user=request.user, slug=slug, top=1 if overview else 5)
    return render(request, "communities/dashboard.html", {
        "boards": boards, "days": PERIOD_DAYS, "overview": overview, "single": slug and len(boards) == 1})
