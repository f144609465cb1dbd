"""Flying-wire charging (飞线充电): the report form (villagers and staff; big buttons) and the heads' list of
places by count. Photos stay on the core case (staff, handler and the reporter only): no page here shows one."""
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_safe

from communities.picker import community_checked, community_for
from communities.policy import guard
from communities.selectors.cases import pending_photos_of
from communities.services.errors import DomainError
from communities.services.photos import pending_photos_discard, pending_photos_keep

from ..forms.sheds import FlyingWireForm
from ..selectors import sheds as sel
from ..services.flying import flying_wire_report

REPORT, PLACES = "propertyservice.flying.report", "propertyservice.flying.places"


@guard(REPORT)
def flying_report(request):
    picked = community_for(request, REPORT, choices=sel.served(user=request.user, action=REPORT))
    community = picked.community
    token = request.POST.get("photo_token", "") if request.method == "POST" else ""
    kept = pending_photos_of(user=request.user, token=token)
    files = request.FILES.copy() if request.FILES else MultiValueDict()
    if request.method == "POST" and not files.get("photo") and kept:
        files["photo"] = _kept_upload(kept[-1])  # the photo kept when the form last came back with an error
    form = FlyingWireForm(request.POST or None, files or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, created = flying_wire_report(
                actor=request.user, community=community, photo=data["photo"], village_group=data["village_group"],
                unit=data["unit"], place_text=data["place_text"], note=data["note"])
        except DomainError as error:
            form.add_error("photo" if error.code.startswith("photo") else None, error.message)
        else:
            pending_photos_discard(user=request.user, photos=kept)
            if created:
                messages.success(request, _("谢谢！已转服务站处理（此处 90 天内第 %(n)s 次）。") % {
                    "n": report.repeat_number})
            else:
                messages.info(request, _("刚才已经报告过了，没有重复登记。"))
            return redirect(f"{request.path}?community={community.slug}")
    if request.method == "POST":
        # A report that comes back with an error keeps its photo: nobody has to take it again.
        token, kept = _keep_photo(request, form, community=community, token=token, kept=kept)
    return render(request, "propertyservice/flying/report.html", {
        "community": community, "communities": picked.choices, "form": form,
        "kept_photo": kept[-1] if kept else None, "photo_token": token if kept else "",
        "mine": sel.my_flying_reports(user=request.user, community=community)},
        status=400 if request.method == "POST" else 200)


def _kept_upload(photo) -> SimpleUploadedFile | None:
    try:
        with photo.image.storage.open(photo.image.name, "rb") as handle:
            return SimpleUploadedFile(f"photo.{photo.extension}", handle.read())
    except OSError:
        return None  # purged meanwhile: the form asks for the photo again


def _keep_photo(request, form, *, community, token, kept):
    upload = request.FILES.get("photo")
    if upload is None or form.has_error("photo"):
        return token, kept
    upload.seek(0)
    try:  # the new photo replaces the one kept before
        token = pending_photos_keep(user=request.user, community=community, token=token, kept=kept,
                                    uploads=[upload], discard=[p.pk for p in kept])
    except DomainError:
        return token, kept
    return token, pending_photos_of(user=request.user, token=token)


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
