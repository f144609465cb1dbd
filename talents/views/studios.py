"""郡园's hub and the studio pages: thin views over talents.selectors.studios and talents.services.studios,
every access through the policy (``talents.…``)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.models import mask_phone
from communities.picker import community_for
from communities.policy import guard
from communities.services.errors import DomainError
from communities.views.photos import photo_response

from ..forms.studios import HostAppointForm, QualificationForm, StudioCreateForm, StudioEditForm, StudioPhotoForm
from ..hub import hub_areas
from ..models import Studio
from ..selectors import merchants as merchant_sel
from ..selectors.hub import staff_links
from ..selectors import studios as sel
from ..services import studios as svc

def _studio_url(studio) -> str:
    return reverse("talents:studio_detail", args=[studio.slug])


@guard("talents.hub")
def hub(request):
    """郡园: the studios, this week's activities, and what the user does here."""
    picked = community_for(request, "talents.hub", choices=sel.hub_communities(user=request.user))
    community, user = picked.community, request.user
    areas, area_context = hub_areas(request, community)
    return render(request, "talents/hub.html", {
        "community": community, "communities": picked.choices,
        "studios": sel.hub_studios(community=community),
        "hosted": sel.studios_hosted_by(user=user, community=community),
        "merchants": list(merchant_sel.merchants_listed(community=community)),
        "areas": areas, **area_context, "staff": staff_links(user=user, community=community),
        "can_book_rooms": policy.can(user, "room.book", community),
    })


@guard("talents.studio.view")
@require_safe
def studio_detail(request, slug):
    studio = sel.studio_detail(studio=sel.studio_for(user=request.user, slug=slug))
    user, today = request.user, timezone.localdate()
    code = request.GET.get("invited_by", "")
    inviter = sel.inviter_of(studio=studio, code=code) if code else None
    hosting = sel.is_host(studio=studio, user=user)
    share_url = ""
    if hosting:
        share_url = request.build_absolute_uri(
            f"{_studio_url(studio)}?{urlencode({'invited_by': sel.invite_code(studio=studio, host=user)})}")
    return render(request, "talents/studios/studio_detail.html", {
        "studio": studio, "community": studio.team.community, "hosts": studio.team.hosts,
        "photos": list(studio.photos.all()), "offers": sel.studio_offers(studio=studio, on=today),
        "following": sel.is_following(studio=studio, user=user), "hosting": hosting,
        "inviter": inviter, "invite_code": code if inviter else "", "share_url": share_url,
        "can_follow": policy.can(user, "talents.studio.follow", studio),
        "can_manage": policy.can(user, "talents.studio.manage", studio),
        "can_new_class": policy.can(user, "talents.class.manage", studio),
        "can_services": policy.can(user, "talents.service.manage", studio),
        "services": sel.studio_services_open(studio=studio),
        "is_karate": studio.talent_kind == Studio.TalentKind.KARATE,
        "is_acupuncture": studio.talent_kind == Studio.TalentKind.ACUPUNCTURE,
    })


@guard("talents.studio.view")
@require_safe
def studio_photo(request, slug, photo_id):
    studio = sel.studio_for(user=request.user, slug=slug)
    photo = get_object_or_404(studio.photos.all(), pk=photo_id)
    return photo_response(photo, name=f"studio-{studio.pk}-photo-{photo.pk}")


@guard("talents.studio.follow")
@require_POST
def studio_follow(request, slug):
    studio = sel.studio_for(user=request.user, slug=slug, action="talents.studio.follow")
    _row, created = svc.studio_follow(studio=studio, user=request.user,
                                      invite_code=request.POST.get("invited_by", ""))
    if created:
        messages.success(request, _("已关注%(studio)s，工作室的活动会出现在郡园首页。") % {"studio": studio.team.name})
    else:
        messages.info(request, _("您已经关注了这个工作室。"))
    return redirect(_studio_url(studio))


@guard("talents.studio.follow")
@require_POST
def studio_unfollow(request, slug):
    studio = sel.studio_for(user=request.user, slug=slug, action="talents.studio.follow")
    try:
        left = svc.studio_unfollow(studio=studio, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if left:
            messages.success(request, _("已取消关注。"))
        else:
            messages.info(request, _("您没有关注这个工作室。"))
    return redirect(_studio_url(studio))


# --- the host's pages ------------------------------------------------------------------------------------


def _edit_page(request, studio, *, form=None, photo_form=None, appoint_form=None, status=200):
    studio = sel.studio_detail(studio=studio)
    community = studio.team.community
    can_appoint = policy.can(request.user, "talents.studio.create", studio)
    return render(request, "talents/studios/studio_edit.html", {
        "studio": studio, "community": community, "hosts": studio.team.hosts, "photos": list(studio.photos.all()),
        "form": form or StudioEditForm(initial={"tagline": studio.tagline, "description": studio.description}),
        "photo_form": photo_form or StudioPhotoForm(),
        "appoint_form": (appoint_form or HostAppointForm(community=community)) if can_appoint else None,
        "max_photos": svc.MAX_STUDIO_PHOTOS,
    }, status=status)


@guard("talents.studio.manage")
def studio_edit(request, slug):
    studio = sel.studio_for(user=request.user, slug=slug, action="talents.studio.manage")
    if request.method != "POST":
        return _edit_page(request, studio)
    form = StudioEditForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, studio, form=form, status=400)
    changed = svc.studio_update(actor=request.user, studio=studio, tagline=form.cleaned_data["tagline"],
                                description=form.cleaned_data["description"])
    messages.success(request, _("已保存。") if changed else _("没有改动。"))
    return redirect("talents:studio_edit", slug=studio.slug)


@guard("talents.studio.manage")
@require_POST
def studio_photo_add(request, slug):
    studio = sel.studio_for(user=request.user, slug=slug, action="talents.studio.manage")
    form = StudioPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.studio_photo_add(actor=request.user, studio=studio, upload=form.cleaned_data["photo"])
        except DomainError as exc:
            form.add_error("photo", exc.message)
        else:
            messages.success(request, _("照片已添加。"))
            return redirect("talents:studio_edit", slug=studio.slug)
    # Nothing was kept of a refused photo: the page says so next to the field.
    form.add_error(None, _("照片没有保存，请重新选择后再上传。"))
    return _edit_page(request, studio, photo_form=form, status=400)


@guard("talents.studio.manage")
@require_POST
def studio_photo_remove(request, slug, photo_id):
    studio = sel.studio_for(user=request.user, slug=slug, action="talents.studio.manage")
    removed = svc.studio_photo_remove(actor=request.user, studio=studio, photo_id=photo_id)
    messages.success(request, _("照片已删除。")) if removed else messages.info(request, _("这张照片已经删除了。"))
    return redirect("talents:studio_edit", slug=studio.slug)


@guard("talents.studio.manage")
@require_safe
def studio_followers(request, slug):
    studio = sel.studio_for(user=request.user, slug=slug, action="talents.studio.manage")
    rows = [{"name": m.user.display_name(), "phone": mask_phone(getattr(getattr(m.user, "person", None), "phone", "")),
             "joined_at": m.joined_at, "invited_by": m.invited_by.display_name() if m.invited_by_id else ""}
            for m in sel.followers(studio=studio)]
    return render(request, "talents/studios/studio_followers.html", {
        "studio": studio, "community": studio.team.community, "followers": rows})


@guard("talents.studio.create")
@require_POST
def studio_host_appoint(request, slug):
    studio = sel.studio_for(user=request.user, slug=slug, action="talents.studio.create")
    form = HostAppointForm(request.POST, community=studio.team.community)
    if not form.is_valid():
        return _edit_page(request, studio, appoint_form=form, status=400)
    host = form.cleaned_data["host"]
    try:
        created = svc.studio_host_appoint(actor=request.user, studio=studio, user=host, today=timezone.localdate())
    except DomainError as exc:
        form.add_error("host", exc.message)
        return _edit_page(request, studio, appoint_form=form, status=400)
    if created:
        messages.success(request, _("已任命 %(name)s 为主理人。") % {"name": host.display_name()})
    else:
        messages.info(request, _("%(name)s 已是主理人，未作改动。") % {"name": host.display_name()})
    return redirect("talents:studio_edit", slug=studio.slug)


@guard("talents.studio.create")
def studio_new(request):
    picked = community_for(request, "talents.studio.create",
                           choices=sel.hub_communities(user=request.user, action="talents.studio.create"))
    community = picked.community
    form = StudioCreateForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            studio = svc.studio_create(actor=request.user, community=community, name=data["name"], slug=data["slug"],
                                       talent_kind=data["talent_kind"], tagline=data["tagline"],
                                       description=data["description"],
                                       hosts=[data["host"]] if data["host"] else [], today=timezone.localdate())
        except DomainError as exc:
            form.add_error("slug" if exc.code == "slug" else "name" if exc.code == "name" else None, exc.message)
        else:
            messages.success(request, _("工作室已开设。"))
            return redirect(_studio_url(studio))
    return render(request, "talents/studios/studio_new.html", {
        "form": form, "community": community, "communities": picked.choices,
    }, status=400 if request.method == "POST" else 200)


# --- qualifications (committee staff) ----------------------------------------------------------------------


def _staff_community(request, action):
    return community_for(request, action, choices=sel.hub_communities(user=request.user, action=action))


@guard("talents.qualification.manage")
@require_safe
def qualification_list(request):
    picked = _staff_community(request, "talents.qualification.manage")
    today = timezone.localdate()
    return render(request, "talents/studios/qualification_list.html", {
        "community": picked.community, "communities": picked.choices, "today": today,
        "rows": sel.qualification_rows(user=request.user, community=picked.community, on=today),
        "lapsing_days": sel.LAPSING_DAYS,
    })


@guard("talents.qualification.manage")
def qualification_new(request):
    picked = _staff_community(request, "talents.qualification.manage")
    community = picked.community
    studios = sel.studios_for_staff(user=request.user, community=community)
    hosts = sel.current_hosts_of(community=community)
    choices = [(b.user_id, f"{b.user.display_name()} · {b.team.name}") for b in hosts]
    form = QualificationForm(request.POST or None, studios=studios, hosts=choices,
                             initial={"studio": request.GET.get("studio")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        host = next(b.user for b in hosts if b.user_id == data["host"])
        try:
            svc.qualification_record(actor=request.user, studio=data["studio"], host=host, kind=data["kind"],
                                     checked_on=data["checked_on"], number=data["number"], notes=data["notes"],
                                     born_on=data["born_on"], guardian_consent=data["guardian_consent"])
        except DomainError as exc:
            field = exc.code if exc.code in ("host", "born_on", "number", "checked_on") else None
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("资质记录已登记。"))
            return redirect(f"{reverse('talents:qualification_list')}?{urlencode({'community': community.slug})}")
    return render(request, "talents/studios/qualification_form.html", {
        "form": form, "community": community, "communities": picked.choices,
    }, status=400 if request.method == "POST" else 200)


urlpatterns = [
    path("", hub, name="hub"),
    path("studios/new/", studio_new, name="studio_new"),
    path("studios/<slug:slug>/", studio_detail, name="studio_detail"),
    path("studios/<slug:slug>/follow/", studio_follow, name="studio_follow"),
    path("studios/<slug:slug>/unfollow/", studio_unfollow, name="studio_unfollow"),
    path("studios/<slug:slug>/edit/", studio_edit, name="studio_edit"),
    path("studios/<slug:slug>/followers/", studio_followers, name="studio_followers"),
    path("studios/<slug:slug>/hosts/", studio_host_appoint, name="studio_host_appoint"),
    path("studios/<slug:slug>/photos/", studio_photo_add, name="studio_photo_add"),
    path("studios/<slug:slug>/photos/<int:photo_id>/", studio_photo, name="studio_photo"),
    path("studios/<slug:slug>/photos/<int:photo_id>/remove/", studio_photo_remove, name="studio_photo_remove"),
    path("qualifications/", qualification_list, name="qualification_list"),
    path("qualifications/new/", qualification_new, name="qualification_new"),
]
