"""The 蓉治社 team page: members, officers and the team's elections."""
from django.shortcuts import render

from communities import policy
from communities.policy import guard

from ..selectors import team as sel
from .picking import pick_team_community


@guard("landlords.team.view")
def team_page(request):
    community = pick_team_community(request, "landlords.team.view").community
    team = sel.landlord_team(community)
    return render(request, "landlords/team_detail.html", {
        "community": community, "team": team, "officers": sel.team_officers(team=team),
        "members": sel.team_members(community=community), "elections": sel.team_elections(team=team),
        "can_manage": policy.can(request.user, "election.manage", community),
        "can_appoint": policy.can(request.user, "team.appoint", community)})
