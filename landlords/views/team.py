"""The 蓉治社 team page: members, officers and the team's elections."""
from django.shortcuts import render

from communities import policy
from communities.policy import guard

from ..selectors import team as sel
from ..selectors.hub import team_community_for


@guard("landlords.team.view")
def team_page(request):
    community = team_community_for(user=request.user, slug=request.GET.get("community", ""),
                                   action="landlords.team.view")
    team = sel.landlord_team(community)
    return render(request, "landlords/team_detail.html", {
        "community": community, "team": team, "officers": sel.team_officers(team=team),
        "members": sel.team_members(community=community), "elections": sel.team_elections(team=team),
        "can_manage": policy.can(request.user, "election.manage", community)})
