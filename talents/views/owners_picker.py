"""The estate an owners'-hub page is about: among the user's communities that this app serves (``CommunityApp``),
as the hub itself picks it. Without the narrowing a page of an estate the app does not serve opened empty (its
"返回业主之家" then led to a 404), and a user of two estates landed on the other one (美兰花园 sorts before 郡园)."""
from communities.picker import community_for

from ..selectors import studios as studio_sel


def owners_community_for(request, action: str, **kwargs):
    return community_for(request, action, choices=studio_sel.hub_communities(user=request.user, action=action),
                         **kwargs)
