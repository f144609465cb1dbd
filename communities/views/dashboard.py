from django.shortcuts import render

from ..policy import guard
from ..selectors.dashboard import PERIOD_DAYS, dashboard_for


@guard("case.dashboard")
def dashboard(request):
    return render(request, "communities/dashboard.html", {
        "boards": dashboard_for(user=request.user), "days": PERIOD_DAYS})
