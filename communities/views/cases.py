import hashlib

from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import extensions, policy, workflow
from ..forms import (
    BulkDispatchForm, CaseFileForm, CaseFileOnBehalfForm, CaseFilterForm, DispatchForm, MergeForm, RateForm,
)
from ..forms.cases import rating_reason_labels
from ..models import Building, Case, PublicPlace
from ..params import int_id
from ..picker import community_for
from ..policy import guard
from ..selectors.cases import (
    case_for_detail, case_for_summary, case_history, case_view_model, my_cases, pending_photos_of, reporter_contact,
    similar_open_cases, staff_cases,
    for_table, unit_tenants, work_queue,
)
from ..selectors.case_export import reporter_subjects
from ..selectors.personal_data import masked_values, residency_subjects
from ..selectors.places import my_units
from ..services import case_workflow as wf
from ..services.cases import case_file, case_follow
from ..services.errors import DomainError
from ..services.personal_data import reveal_value, reveal_values
from ..services.photos import pending_photos_discard, pending_photos_keep
from ..services.texts import deferred
from ..templatetags.phones import tel_link


def _filing_community(request):
    """The community a new case belongs to: from a QR code's place, or the user's own community.

    A place that is named but not found, not an id, or in another community all answer the same 404, so the
    answer never tells whether an id exists elsewhere."""
    user = request.user
    for param, model in (("building", Building), ("place", PublicPlace)):
        if param not in request.GET:
            continue
        pk = int_id(request.GET[param])
        place = model.objects.select_related("community").filter(pk=pk).first() if pk else None
        if place is None or not policy.roles_in(user, place.community_id):
            raise Http404
        return place.community, place
    return community_for(request, "case.file").community, None


@guard("case.file")
def case_new(request):
    community, place = _filing_community(request)
    on_behalf = request.GET.get("on_behalf") == "1" and policy.can(request.user, "case.file_on_behalf", community)
    form_class = CaseFileOnBehalfForm if on_behalf else CaseFileForm
    units = my_units(user=request.user).filter(building__community=community)
    initial = {}
    if isinstance(place, Building):
        initial = {"place_kind": "building", "building": place}
    elif isinstance(place, PublicPlace):
        initial = {"place_kind": "public", "public_place": place}
    token = request.POST.get("photo_token", "") if request.method == "POST" else ""
    kept = pending_photos_of(user=request.user, token=token)
    form = form_class(request.POST or None, request.FILES or None, community=community, my_units=units,
                      initial=initial, kept_photos=kept)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_file(
                filed_by=request.user, community=community, category=data["category"],
                description=data["description"], unit=data.get("unit"), building=data.get("building"),
                public_place=data.get("public_place"), place_text=data.get("place_text", ""),
                anonymous=data.get("anonymous", False), photos=data.get("photos") or [],
                pending_photos=form.kept_photos_left(),
                channel=data.get("channel", "app"), reporter_name=data.get("reporter_name", ""),
                reporter_phone=data.get("reporter_phone", ""),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            pending_photos_discard(user=request.user, photos=kept)  # the ones ticked off (the rest are filed)
            messages.success(request, _("已提交，编号 #%(id)s。处理进展会通知您。") % {"id": case.pk})
            return redirect("communities:case_detail", pk=case.pk)
    if request.method == "POST":
        # A form that comes back with an error keeps its photos: nobody has to pick them again.
        token, kept = _keep_photos(request, form, community=community, token=token, kept=kept)
    return render(request, "communities/case_new.html", {
        "form": form, "community": community, "on_behalf": on_behalf,
        "similar": similar_open_cases(user=request.user, community_id=community.pk,
                                      **_similar_place(form, place, units)),
        "kept_photos": kept, "photo_token": token,
        "may_file_on_behalf": policy.can(request.user, "case.file_on_behalf", community),
    }, status=400 if request.method == "POST" else 200)


def _keep_photos(request, form, *, community, token, kept):
    uploads = request.FILES.getlist("photos")
    discard = form.cleaned_data.get("remove_photo") or []
    try:
        token = pending_photos_keep(user=request.user, community=community, token=token, kept=kept,
                                    uploads=uploads, discard=discard)
    except DomainError as exc:
        if not form.has_error("photos"):
            form.add_error("photos", exc.message)
        if not kept:
            return "", []
    return token, pending_photos_of(user=request.user, token=token)


def _similar_place(form, place, units) -> dict:
    """What the similar-case box is about: the building (the chosen flat's, for 我家) or the public place of
    the form as it stands, and its category."""
    def chosen(name):
        value = form[name].value() if name in form.fields else None
        return int_id(str(getattr(value, "pk", value) or ""))

    kind = form["place_kind"].value()
    found = {"building_id": None, "public_place_id": None, "category_id": chosen("category")}
    if kind == "unit" and chosen("unit"):
        found["building_id"] = units.filter(pk=chosen("unit")).values_list("building_id", flat=True).first()
    elif kind in ("building", "flat"):
        found["building_id"] = chosen("building")
    elif kind == "public":
        found["public_place_id"] = chosen("public_place")
    if not (found["building_id"] or found["public_place_id"]) and place is not None:
        key = "building_id" if isinstance(place, Building) else "public_place_id"
        found[key] = place.pk
    return found


@guard("case.file")
def case_similar(request):
    """htmx fragment: other people's open cases at the chosen building or public place, shown while filing."""
    community, _place = _filing_community(request)
    building_id = int_id(request.GET.get("building_id"))
    unit_id = int_id(request.GET.get("unit_id"))
    if unit_id:  # 我家: the building of one of the user's own flats
        building_id = (my_units(user=request.user).filter(pk=unit_id, building__community=community)
                       .values_list("building_id", flat=True).first())
    similar = similar_open_cases(user=request.user, community_id=community.pk, building_id=building_id,
                                 public_place_id=int_id(request.GET.get("public_place_id")),
                                 category_id=int_id(request.GET.get("category_id")))
    return render(request, "communities/fragments/similar_cases.html", {"similar": similar})


@guard("case.file")
def case_mine(request):
    page = Paginator(my_cases(user=request.user), 8 if request.user.elder_mode else 20).get_page(
        request.GET.get("page"))
    return render(request, "communities/case_mine.html", {"page": page})


@guard("case.queue")
def case_queue(request):
    page = Paginator(work_queue(user=request.user), 8 if request.user.elder_mode else 20).get_page(
        request.GET.get("page"))
    return render(request, "communities/case_queue.html", {"page": page})


@guard("case.list")
def case_list(request):
    form = CaseFilterForm(request.GET or None, communities=policy.communities_for(request.user, "case.list"),
                          more=request.GET.get("more") == "1")
    cases = for_table(staff_cases(user=request.user, filters=form.to_filters()))
    page = Paginator(cases, 10 if request.user.elder_mode else 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The table's reporter column: masked (the case page reveals a phone, with its log row, to those who may).
    page.object_list = list(page.object_list)  # the cards and the table show the same rows, loaded once
    phones = masked_values(viewer=request.user, subjects=reporter_subjects(page.object_list))
    community_ids = policy.community_ids_for(request.user, "case.dispatch")
    bulk_form = BulkDispatchForm(community_ids=sorted(community_ids), auto_id="id_bulk_%s") if community_ids else None
    return render(request, "communities/case_list.html", {
        "page": page, "filter_form": form, "query": query.urlencode(),
        "rows": [(case, phones[case.pk]) for case in page.object_list], "bulk_form": bulk_form,
        "may_export": policy.can(request.user, "case.export"),
        "may_file_on_behalf": policy.can(request.user, "case.file_on_behalf") and policy.can(request.user, "case.file"),
    })


@guard("case.view")
def case_detail(request, pk):
    try:
        case = case_for_detail(user=request.user, case_id=pk)
    except PermissionDenied:
        # A follower with no other right sees what the similar-case box showed: category, place, status.
        case = case_for_summary(user=request.user, case_id=pk)
        return render(request, "communities/case_summary.html", {"case": case})
    return _render_detail(request, case)


DANGER_ACTIONS = workflow.CASES.danger_actions  # from the table


def _render_detail(request, case, *, bound_action=None, bound_form=None, rate_form=None, status=200):
    view = case_view_model(user=request.user, case=case)
    action_forms = [(t, bound_form if t.action == bound_action else _action_form(t.action, case)())
                    for t in view["actions"]]
    reporter_phone = ""
    if view["show_reporter_phone"]:
        # A walk-in caller has no person record: the access row names the case (in its purpose) instead.
        reporter_phone = reveal_value(viewer=request.user, subject=reporter_contact(case),
                                      action="case.reporter_contact",
                                      purpose=deferred(gettext_lazy("查看诉求 #%(id)s 的反映人电话"), id=case.pk))
    origin = getattr(case, "origin", None)  # select_related; missing for a case filed directly
    return render(request, "communities/case_detail.html", {
        "case": case, **view, "tenants": _tenants(request, case), "action_forms": action_forms, "open_action": bound_action,
        # Where the case came from, through the resolver of the app that filed it (not cached: it is per viewer).
        "origin": extensions.case_origin_link(origin, request.user) if origin else None,
        "origin_kind": origin.kind if origin else "",
        "danger_actions": DANGER_ACTIONS,
        "rate_form": (rate_form or RateForm()) if view["can_rate"] else None,
        "rating_reasons": rating_reason_labels(view["rating"].reasons) if view["rating"] else [],
        "history": _history_parts(case, show_reporter=view["show_reporter"], reporter_phone=reporter_phone),
    }, status=status)


def _tenants(request, case) -> list | None:
    """The flat's current tenants with their phones as the viewer may see them (each clear one logged), for the
    case's handler while it is open (``case.unit_tenants``); None: not shown."""
    if not case.unit_id or not policy.can(request.user, "case.unit_tenants", case):
        return None
    residencies = unit_tenants(unit_id=case.unit_id)
    phones = reveal_values(viewer=request.user, subjects=residency_subjects(residencies), action="person.view_phone",
                           purpose=deferred(gettext_lazy("处理诉求 #%(id)s 联系在住租客"), id=case.pk))
    return [(r, phones[r.person_id]) for r in residencies]


HISTORY_PARTS = ("head", "timeline")
PHONE_PLACE = "<!--reporter-phone-->"  # in fragments/case_head.html, after the reporter's name


def _history_parts(case, *, show_reporter: bool, reporter_phone: str = "") -> dict:
    """The case page's header and timeline, rendered, kept in this process's memory (``CACHES["pages"]``).

    The key holds everything they show that can change: every column of the case row, the id of its last
    event (events are append-only, and every change of a case appends one: photos and referrals come with
    theirs), the community, category and building names, whether the reporter is named, and the language.
    A page therefore never shows an old state of the case. Other names (people, unit, team, agency) are
    not in the key: a rename shows after at most ``CASE_PAGE_CACHE_SECONDS``. The reporter's phone is never
    kept: it is read, and its viewing logged, on every visit, and put in its place here.
    """
    row = tuple(getattr(case, field.attname) for field in Case._meta.concrete_fields)
    names = (case.community.name, case.category.name, case.building.name if case.building_id else "")
    digest = hashlib.blake2b(repr((row, names, case.last_event_id)).encode(), digest_size=16).hexdigest()
    key = f"case-page:{case.pk}:{digest}:{int(show_reporter)}:{get_language()}"
    cache = caches["pages"]
    parts = cache.get(key)
    if parts is None:
        context = {"case": case, "show_reporter": show_reporter,
                   **case_history(case=case, show_reporter=show_reporter)}
        parts = {name: render_to_string(f"communities/fragments/case_{name}.html", context)
                 for name in HISTORY_PARTS}
        cache.set(key, parts)
    phone = format_html(" · {}", tel_link(reporter_phone)) if reporter_phone else ""
    parts = {**parts, "head": parts["head"].replace(PHONE_PLACE, phone)}
    return {name: mark_safe(html) for name, html in parts.items()}  # our own templates' output, escaped


# The action wiring comes from the table (communities.workflow): its form, its service, its red button.
ACTION_FORMS = {action: workflow.CASES.form_class(action) for action in workflow.CASES.actions}


def _action_form(action, case):
    """The form class for one action; ids are per action, since several forms share a page."""
    form_class = ACTION_FORMS[action]
    extra = {"case": case} if form_class in (DispatchForm, MergeForm) else {}
    return lambda *a, **kw: form_class(*a, auto_id=f"id_{action}_%s", **extra, **kw)


def _run(action, case, actor, data):
    return workflow.CASES.run(action, obj_id=case.pk, actor=actor, data=data)


@guard("case.view")
@require_POST
def case_action(request, pk, action):
    if action not in ACTION_FORMS:
        raise Http404
    case = case_for_detail(user=request.user, case_id=pk)
    form = _action_form(action, case)(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, case, bound_action=action, bound_form=form, status=400)
    try:
        outcome = _run(action, case, request.user, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        messages.error(request, _("您不能对这件诉求进行这项操作。"))
    else:
        if outcome.changed:
            messages.success(request, _("已完成：%(action)s。") % {"action": _action_label(action)})
        else:
            messages.info(request, _("这项操作之前已经完成，无需重复。"))
    return redirect("communities:case_detail", pk=pk)


def _action_label(action):
    return workflow.CASES.label(action)


@guard("case.view")
@require_POST
def case_rate(request, pk):
    case = case_for_detail(user=request.user, case_id=pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, case, rate_form=form, status=400)
    try:
        outcome = wf.case_rate(case_id=case.pk, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        messages.error(request, _("只有反映人可以评价。"))
    else:
        messages.success(request, _("谢谢您的评价。") if outcome.changed else _("您已经评价过了。"))
    return redirect("communities:case_detail", pk=pk)


@guard("case.file")
@require_POST
def case_follow_view(request, pk):
    # Another community's case (or none) is 404; in one's own, a case one may not follow is 403 (case.follow).
    policy.get_object_or_404_for(request.user, "case.file", Case.objects.only("pk", "community_id"), pk=pk)
    try:
        followed = case_follow(case_id=pk, user=request.user)
    except Case.DoesNotExist:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("communities:case_mine")
    messages.success(request, _("已关注，处理进展会通知您。") if followed else _("您已经在关注这件诉求。"))
    return redirect("communities:case_detail", pk=pk)
