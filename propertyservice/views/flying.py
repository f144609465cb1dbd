"""Flying-wire charging (飞线充电): the report form (villagers and staff; big buttons) and the heads' list of
places by count. Photos stay on the core case (staff, handler and the reporter only): no page here shows one."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communities.picker import community_checked, community_for
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.sheds import FlyingWireForm
from ..selectors import sheds as sel
from ..services.flying import flying_wire_report

REPORT, PLACES = "propertyservice.flying.report", "propertyservice.flying.places"


@guard(REPORT)
def flying_report(request):
    picked = community_for(request, REPORT, choices=sel.served(user=request.user, action=REPORT))
    community = picked.community
    form = FlyingWireForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, created = flying_wire_report(
                actor=request.user, community=community, photo=data["photo"], village_group=data["village_group"],
                unit=data["unit"], place_text=data["place_text"], note=data["note"])
        except DomainError as error:
            form.add_error("photo" if error.code.startswith("photo") else None, error.message)
        else:
            if created:
                messages.success(request, _("谢谢！已转服务站处理（此处 90 天内第 %(n)s 次）。") % {
                    "n": report.repeat_number})
            else:
                messages.info(request, _("刚才已经报告过了，没有重复登记。"))
            return redirect(f"{request.path}?community={community.slug}")
    return render(request, "propertyservice/flying/report.html", {
        "community": community, "communities": picked.choices, "form": form,
        "mine": sel.my_flying_reports(user=request.user, community=community)},
        status=400 if request.method == "POST" else 200)


@guard(PLACES)
@require_safe
def flying_places(request):
    """The places where flying wires were found, most often first: for the heads and the committee."""
    community = community_checked(request, PLACES).community
    if not sel.served(user=request.user, action="propertyservice.hub").filter(pk=community.pk).exists():
        raise Http404
    return render(request, "propertyservice/flying/places.html", {
        "community": community, "places": sel.flying_places(community=community),
        "reports": sel.flying_reports(community=community)})


urlpatterns = [
    path("flying-wires/report/", flying_report, name="flying_report"),
    path("flying-wires/places/", flying_places, name="flying_places"),
]
