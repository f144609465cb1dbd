"""Parking: the heads' page (spaces by village group, registered and exempt vehicles), the fee standards
(drafts and versions in force), the posted prices (明码标价, public) and a villager's own household's vehicles."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.models import Community, Unit
from communities.picker import community_for
from communities.policy import guard, public
from communities.services.errors import DomainError

from ..forms.parking import BAND_ROWS, ExemptVehicleForm, PlateForm, SpaceForm, StandardForm
from ..models import FeeStandard, Vehicle
from ..selectors import parking as sel
from ..selectors.station import APP_LABEL, hub_communities
from ..services import parking as services
from .gate import MANAGE, managed_community

REGISTER = "propertyservice.parking.register"


def _url(name, community, **kwargs) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?{urlencode({'community': community.slug})}"


@guard(MANAGE)
def parking_manage(request):
    picked = managed_community(request)
    community = picked.community
    space_form = SpaceForm(community=community)
    exempt_form = ExemptVehicleForm()
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "space":
                space_form = SpaceForm(request.POST, community=community)
                if space_form.is_valid():
                    services.space_add(actor=request.user, community=community, **space_form.cleaned_data)
                    messages.success(request, _("车位已保存。"))
                    return redirect(_url("propertyservice:parking_manage", community))
            elif which == "exempt":
                exempt_form = ExemptVehicleForm(request.POST)
                if exempt_form.is_valid():
                    services.exempt_vehicle_register(actor=request.user, community=community,
                                                     **exempt_form.cleaned_data)
                    messages.success(request, _("免费车辆已登记。"))
                    return redirect(_url("propertyservice:parking_manage", community))
        except DomainError as error:
            (space_form if which == "space" else exempt_form).add_error(
                "number" if which == "space" else "plate", error.message)
    spaces = sel.spaces(community=community)
    groups: dict[str, list] = {}
    for space in spaces:
        groups.setdefault(space.village_group.name, []).append(space)
    return render(request, "propertyservice/parking_manage.html", {
        "community": community, "groups": groups, "space_form": space_form, "exempt_form": exempt_form,
        "vehicles": sel.community_vehicles(community=community), "occupancy": sel.occupancy(community=community),
    }, status=400 if request.method == "POST" else 200)


@guard(MANAGE)
@require_safe
def standard_list(request):
    picked = managed_community(request)
    now = timezone.now()
    in_force = sel.standard_in_force(community=picked.community, at=now)
    return render(request, "propertyservice/parking_standards.html", {
        "community": picked.community, "standards": sel.standards(community=picked.community),
        "in_force": in_force, "motions": list(_village_motions(picked.community))})


@guard(MANAGE)
def standard_new(request):
    picked = managed_community(request)
    community = picked.community
    form = StandardForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(actor=request.user, community=community, bands=form.bands(),
                                                **form.standard_fields())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存为第%(v)s版。") % {"v": standard.version})
            return redirect(_url("propertyservice:parking_standards", community))
    return render(request, "propertyservice/parking_standard_form.html", {
        "community": community, "form": form, "band_rows": range(BAND_ROWS)},
        status=400 if request.method == "POST" else 200)


@guard(MANAGE)
@require_POST
def standard_motion(request, pk):
    """Name the villagers' meeting motion that adopts a draft version."""
    standard = policy.get_object_or_404_for(request.user, MANAGE, FeeStandard.objects.select_related("community"),
                                            pk=pk)
    motion = _village_motions(standard.community).filter(pk=request.POST.get("motion") or 0).first()
    if motion is None:
        messages.error(request, _("请选择本村的表决议题。"))
    else:
        try:
            services.standard_link_motion(actor=request.user, standard=standard, motion=motion)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已关联表决议题；议题通过后按生效时间执行。"))
    return redirect(_url("propertyservice:parking_standards", standard.community))


def _village_motions(community):
    from communities.models import Election, Motion

    return Motion.objects.filter(election__community=community, election__rule__in=[
        Election.Rule.VILLAGERS, Election.Rule.REPRESENTATIVES]).select_related("election").order_by("-election__created_at", "order")


def _posted_community(request) -> Community:
    slug = (request.GET.get("community") or "").strip()
    community = Community.objects.filter(slug=slug, apps__app_label=APP_LABEL).first() if slug else None
    if community is None and request.user.is_authenticated:
        community = hub_communities(user=request.user).first()
    if community is None:
        raise Http404
    return community


@public
@require_safe
def posted_prices(request):
    """明码标价: the standard in force, readable by villagers and visitors without signing in."""
    community = _posted_community(request)
    return render(request, "propertyservice/parking_prices.html", {
        "community": community, "standard": sel.standard_in_force(community=community),
        "upcoming": sel.standard_upcoming(community=community)})


def _own_units(user, community):
    person_id = policy.person_id_of(user)
    if person_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(building__community=community, residencies__person_id=person_id,
                               residencies__moved_out__isnull=True).select_related("building").distinct()


@guard(REGISTER)
def my_vehicles(request):
    picked = community_for(request, REGISTER, choices=hub_communities(user=request.user, action=REGISTER))
    community = picked.community
    units = list(_own_units(request.user, community))
    form = PlateForm(request.POST or None)
    if request.method == "POST":
        if not units:
            form.add_error(None, _("您还没有登记住址，请先到村委会登记。"))
        elif form.is_valid():
            unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), units[0])
            try:
                _vehicle, created = services.vehicle_register(actor=request.user, unit=unit,
                                                              plate=form.cleaned_data["plate"])
            except DomainError as error:
                form.add_error("plate", error.message)
            else:
                messages.success(request, _("已登记，本村内停车免费。") if created else _("这辆车已经登记过了。"))
                return redirect(_url("propertyservice:parking_mine", community))
    return render(request, "propertyservice/parking_mine.html", {
        "community": community, "communities": picked.choices, "units": units, "form": form,
        "vehicles": sel.household_vehicles(units=units),
        "limit": sel.plates_per_household(community=community)}, status=400 if request.method == "POST" else 200)


@guard(REGISTER)
@require_POST
def my_vehicle_remove(request, pk):
    vehicle = policy.get_object_or_404_for(request.user, REGISTER, Vehicle.objects.select_related("community"),
                                           pk=pk)
    if vehicle.unit_id not in {u.pk for u in _own_units(request.user, vehicle.community)}:
        raise Http404
    services.vehicle_remove(actor=request.user, vehicle=vehicle)
    messages.success(request, _("已删除 %(plate)s。") % {"plate": vehicle.plate})
    return redirect(_url("propertyservice:parking_mine", vehicle.community))


urlpatterns = [
    path("parking/", parking_manage, name="parking_manage"),
    path("parking/standards/", standard_list, name="parking_standards"),
    path("parking/standards/new/", standard_new, name="parking_standard_new"),
    path("parking/standards/<int:pk>/motion/", standard_motion, name="parking_standard_motion"),
    path("parking/prices/", posted_prices, name="parking_prices"),
    path("parking/mine/", my_vehicles, name="parking_mine"),
    path("parking/mine/<int:pk>/remove/", my_vehicle_remove, name="parking_mine_remove"),
]


