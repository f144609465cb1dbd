from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from communities import policy
from communities.policy import guard

from ..selectors.hub import duty_rota, team_community_for, team_communities, team_meetings, team_of

# Each area of the app puts its links on the hub in its own fragment.
HUB_AREAS = ("team", "documents", "rentals", "mediation", "needs")


def _hub_fragments() -> list[str]:
    names = []
    for area in HUB_AREAS:
        name = f"landlords/fragments/hub_{area}.html"
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        names.append(name)
    return names


@guard("landlords.hub")
def hub(request):
    """蓉治社: the team, "one room, two groups, three fixed", and what the user can do there."""
    community = team_community_for(user=request.user, slug=request.GET.get("community", ""))
    rota = duty_rota(community=community)
    user = request.user
    return render(request, "landlords/hub.html", {
        "community": community,
        "communities": team_communities(user=request.user),
        "team": team_of(community=community),
        "meetings": team_meetings(user=user, community=community),
        "rota": rota,
        "rota_visible": rota is not None and policy.can(user, "rota.view", rota),
        "scorecard": policy.can(user, "landlords.scorecard_view", community),
        "fragments": _hub_fragments(),
    })
