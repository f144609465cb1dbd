"""The 蓉治社 team page: members, officers and the team's elections."""
from django.http import Http404
from django.shortcuts import render

from communities import policy
from communities.models import Team
from communities.policy import guard

from ..selectors import team as sel


@guard("team.view")
def team_page(request):
    communities = policy.communities_for(request.user, "team.view").filter(
        teams__kind=Team.Kind.LANDLORD_TEAM).distinct().order_by("name")
    slug = request.GET.get("community")
    community = communities.filter(slug=slug).first() if slug else communities.first()
    if community is None:
        raise Http404
    team = sel.landlord_team(community)
    return render(request, "landlords/team_detail.html", {
        "community": community, "team": team, "officers": sel.team_officers(team=team),
        "members": sel.team_members(community=community), "elections": sel.team_elections(team=team),
        "can_manage": policy.can(request.user, "election.manage", community)})
