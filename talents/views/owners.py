"""The owners' hub (业主之家, /talents/owners/): one card per area (``talents.hub.OWNERS_AREAS``): the committee,
the election's timeline, the motions open for voting, the repair projects, the fund and the property company."""
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from communities.picker import community_for
from communities.policy import guard

from ..hub import OWNERS_AREAS, hub_areas
from ..policies.owners import is_owner
from ..selectors import studios as studio_sel


@guard("talents.owners.view")
@require_safe
def owners_hub(request):
    picked = community_for(request, "talents.owners.view",
                           choices=studio_sel.hub_communities(user=request.user, action="talents.owners.view"))
    community = picked.community
    areas, area_context = hub_areas(request, community, OWNERS_AREAS)
    return render(request, "talents/owners_hub.html", {
        "community": community, "communities": picked.choices, "areas": areas, **area_context,
        "is_owner": is_owner(request.user, community)})


urlpatterns = [
    path("owners/", owners_hub, name="owners_hub"),
]
