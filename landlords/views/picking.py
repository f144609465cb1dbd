"""Which 蓉庭 community a landlords page is about: the core's picker, among the communities this app serves."""
from communities.picker import Picked, community_for

from ..selectors.hub import team_communities


def pick_team_community(request, action: str) -> Picked:
    return community_for(request, action, choices=team_communities(user=request.user, action=action))
