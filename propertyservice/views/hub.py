"""The station hub (/property/) and the heads' board (/property/board/): thin views over the areas' cards."""
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from communities.picker import community_for
from communities.policy import guard

from ..hub import board_areas, hub_areas
from ..selectors import station as sel

# A villager (no board) meets first what they do: call the 24-hour line, report an emergency, score the station
# this month; then the sheds, parking and who runs the station. The staff keep HUB_AREAS's order (their work).
VILLAGER_ORDER = ["hotline", "incidents", "evaluation", "sheds", "parking", "patrols", "station"]


def villager_first(areas: list) -> list:
    rank = {name: i for i, name in enumerate(VILLAGER_ORDER)}
    return sorted(areas, key=lambda a: rank.get(a.area, len(rank)))


@guard("propertyservice.hub")
@require_safe
def hub(request):
    """光明村物业管理服务站: what the user does here, one card per area."""
    picked = community_for(request, "propertyservice.hub", choices=sel.hub_communities(user=request.user))
    community = picked.community
    areas, area_context = hub_areas(request, community)
    can_board = sel.hub_communities(user=request.user, action="propertyservice.board").filter(pk=community.pk).exists()
    return render(request, "propertyservice/hub.html", {
        "community": community, "communities": picked.choices, "station": sel.station_team(community=community),
        "areas": areas if can_board else villager_first(areas), **area_context, "can_board": can_board,
    })


@guard("propertyservice.board")
@require_safe
def board(request):
    """负责人看板: the month of every area, for the heads and the village's staff."""
    picked = community_for(request, "propertyservice.board",
                           choices=sel.hub_communities(user=request.user, action="propertyservice.board"))
    community = picked.community
    areas, area_context = board_areas(request, community)
    return render(request, "propertyservice/board.html", {
        "community": community, "communities": picked.choices, "areas": areas, **area_context})


urlpatterns = [
    path("", hub, name="hub"),
    path("board/", board, name="board"),
]
