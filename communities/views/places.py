from django.shortcuts import render
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Building, Community, Unit
from ..policy import guard
from ..selectors.personal_data import residency_subjects
from ..selectors.places import (
    buildings_of, communities_visible, community_figures, residents_of, units_of, with_occupancy,
)
from ..services.personal_data import reveal_values


@guard("directory.view")
def community_list(request):
    communities = communities_visible(user=request.user, action="directory.view")
    return render(request, "communities/community_list.html", {"communities": communities})


@guard("directory.view")
def community_detail(request, slug):
    community = policy.get_object_or_404_for(request.user, "directory.view", Community.objects.all(), slug=slug)
    return render(request, "communities/community_detail.html", {
        "community": community,
        "figures": community_figures(community=community),
        "buildings": buildings_of(community=community),
        "may_manage_cases": policy.can(request.user, "case.routing", community),
    })


@guard("directory.view")
def building_detail(request, pk):
    building = policy.get_object_or_404_for(
        request.user, "directory.view", Building.objects.select_related("community", "village_group"), pk=pk)
    return render(request, "communities/building_detail.html", {
        "building": building, "units": units_of(user=request.user, building=building)})


@guard("unit.view")
def unit_detail(request, pk):
    unit = policy.get_object_or_404_for(
        request.user, "unit.view",
        with_occupancy(Unit.objects.select_related("building__community", "sublandlord")), pk=pk)
    residencies = list(residents_of(unit=unit))
    phones = reveal_values(viewer=request.user, subjects=residency_subjects(residencies), action="person.view_phone",
                           purpose=gettext_lazy("查看房屋居民"))
    rows = [(r, phones[r.person_id]) for r in residencies]
    return render(request, "communities/unit_detail.html", {
        "unit": unit, "rows": rows,
        "may_invite": policy.can(request.user, "resident.register_on_behalf", unit.building.community)})
