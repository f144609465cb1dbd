"""The station and its people: /property/station/ (heads, posts, staff with their certificates, the employer
and its police filing), a person's staff page (posts, certificates, training record, the rules acknowledged)
with the managers' forms, and the station's management rules (a core versioned document)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.picker import community_for, community_url
from communities.policy import guard
from communities.selectors import documents as docs
from communities.services import documents as doc_svc
from communities.services.errors import DomainError

from ..forms.station import AssignPostForm, CertificateForm, StationProfileForm
from ..models import StaffPost
from ..selectors import station as sel
from ..services import station as svc
from ..station_rules import KIND

VIEW, STAFF, MANAGE = "propertyservice.station.view", "propertyservice.station.staff", "propertyservice.station.manage"


def picked(request, action: str):
    """The village of the page among those the app serves where the user may ``action`` (404 otherwise)."""
    return community_for(request, action, choices=sel.hub_communities(user=request.user, action=action))


def managed(request):
    """The village a manager's POST is about: 404 outside theirs, 403 for station staff who are not heads."""
    community = picked(request, STAFF).community
    if not policy.can(request.user, MANAGE, community):
        raise PermissionDenied
    return community


@guard(VIEW)
@require_safe
def station_page(request):
    """物业管理服务站: heads, posts and their holders for everyone; certificates and the filing for staff."""
    choice = picked(request, VIEW)
    community, now = choice.community, timezone.now()
    can_staff = policy.can(request.user, STAFF, community)
    can_manage = policy.can(request.user, MANAGE, community)
    profile = sel.station_profile(community=community)
    return render(request, "propertyservice/station.html", {
        "community": community, "communities": choice.choices, "team": sel.station_team(community=community),
        "heads": sel.station_heads(community=community), "posts": sel.station_posts(community=community),
        "profile": profile, "staff": sel.station_staff(community=community, now=now) if can_staff else [],
        "can_staff": can_staff, "can_manage": can_manage, "filing_rule": svc.FILING_RULE,
        "can_appoint": policy.can(request.user, "team.appoint", community),
        "profile_form": StationProfileForm(initial=_profile_initial(profile)) if can_manage else None,
    })


def _profile_initial(profile) -> dict:
    if profile is None:
        return {"employer_name": _("光明村村民委员会")}
    return {"employer_name": profile.employer_name, "security_since": profile.security_since,
            "police_filing_number": profile.police_filing_number, "police_filed_on": profile.police_filed_on}


@guard(MANAGE)
@require_POST
def station_profile(request):
    community = managed(request)
    form = StationProfileForm(request.POST)
    if form.is_valid():
        try:
            svc.station_profile_save(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存用人单位和备案信息。"))
    else:
        messages.error(request, _("请检查填写的内容。"))
    return redirect(community_url("propertyservice:station", community))


def _person_context(request, community, person, *, cert_form=None, post_form=None) -> dict:
    can_manage = policy.can(request.user, MANAGE, community)
    version = docs.document_current(community=community, kind=KIND)
    standing = docs.my_standing(person=person, version=version)
    return {
        "community": community, "person": person, "posts": sel.person_posts(person=person, community=community),
        "certificates": sel.person_certificates(person=person, community=community),
        "training": sel.training_record(person=person, community=community), "can_manage": can_manage,
        "rules_version": version, "rules_standing": standing,
        "cert_form": cert_form or (CertificateForm() if can_manage else None),
        "post_form": post_form or (AssignPostForm(community=community,
                                                  initial={"since": timezone.localdate()}) if can_manage else None),
        "age_rule": svc.AGE_RULE, "guard_rule": svc.GUARD_RULE, "electrician_rule": svc.ELECTRICIAN_RULE,
    }


def _person(community, person_id):
    person = sel.staff_person(community=community, person_id=person_id)
    if person is None:
        raise Http404
    return person


@guard(STAFF)
@require_safe
def station_person(request, person_id):
    """A person's staff page: posts, certificates (lapsing ones marked), training record."""
    community = picked(request, STAFF).community
    person = _person(community, person_id)
    return render(request, "propertyservice/station_person.html", _person_context(request, community, person))


@guard(MANAGE)
@require_POST
def station_certificate(request, person_id):
    community = managed(request)
    person = _person(community, person_id)
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            _cert, changed = svc.certificate_record(actor=request.user, community=community, person=person,
                                                    **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记证书，排班资质已同步。") if changed else _("证书信息没有变化。"))
            return redirect(sel.person_url(person, community))
    return render(request, "propertyservice/station_person.html",
                  _person_context(request, community, person, cert_form=form), status=400)


@guard(MANAGE)
@require_POST
def station_assign(request, person_id):
    community = managed(request)
    person = _person(community, person_id)
    form = AssignPostForm(request.POST, community=community)
    if form.is_valid():
        try:
            _row, changed = svc.staff_post_assign(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已安排上岗。") if changed else _("此人已在这个岗位上。"))
            return redirect(sel.person_url(person, community))
    return render(request, "propertyservice/station_person.html",
                  _person_context(request, community, person, post_form=form), status=400)


@guard(MANAGE)
@require_POST
def station_post_end(request, staff_post_id):
    community = managed(request)
    row = StaffPost.objects.filter(community=community, pk=staff_post_id).select_related("person").first()
    if row is None:
        raise Http404
    try:
        changed = svc.staff_post_end(actor=request.user, staff_post_id=row.pk, until=timezone.localdate())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记离岗。")) if changed else messages.info(request, _("已经离岗。"))
    return redirect(sel.person_url(row.person, community))


# --- the management rules (服务站管理制度) ---------------------------------------------------------------------

@guard(VIEW)
@require_safe
def station_rules(request):
    choice = picked(request, VIEW)
    community = choice.community
    version = docs.document_current(community=community, kind=KIND)
    person = docs.person_of(request.user)
    can_report = policy.can(request.user, "propertyservice.rules.report", community)
    report = []
    if can_report and version is not None:
        report = list(docs.with_acknowledgement(sel.station_staff_people(community=community), version,
                                                person="pk"))
    return render(request, "propertyservice/station_rules.html", {
        "community": community, "communities": choice.choices, "version": version,
        "standing": docs.my_standing(person=person, version=version),
        "can_acknowledge": policy.can(request.user, "propertyservice.rules.acknowledge", community),
        "can_draft": policy.can(request.user, "propertyservice.rules.draft", community),
        "draft": docs.document_open_draft(community=community, kind=KIND)
        if policy.can(request.user, "propertyservice.rules.draft", community) else None,
        "report": report, "can_report": can_report, "rules_rule": svc.RULES_RULE,
    })


@guard("propertyservice.rules.acknowledge")
@require_POST
def station_rules_acknowledge(request):
    community = picked(request, "propertyservice.rules.acknowledge").community
    try:
        outcome = doc_svc.document_acknowledge(actor=request.user, community=community, kind=KIND)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认：我已阅读并遵守服务站管理制度。")) if outcome.changed else \
            messages.info(request, _("您已经确认过这一版。"))
    return redirect(community_url("propertyservice:station_rules", community))


@guard("propertyservice.rules.draft")
@require_POST
def station_rules_draft(request):
    community = managed(request)
    try:
        doc_svc.document_draft(actor=request.user, community=community, kind=KIND,
                               title=request.POST.get("title", ""), body=request.POST.get("body", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存草案，通过后请工作人员确认。"))
    return redirect(community_url("propertyservice:station_rules", community))


@guard("propertyservice.rules.adopt")
@require_POST
def station_rules_adopt(request, version_id):
    community = managed(request)
    version = docs.document_open_draft(community=community, kind=KIND)
    if version is None or version.pk != version_id:
        raise Http404
    try:
        outcome = doc_svc.document_adopt(actor=request.user, version_id=version.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("新版制度已通过施行。")) if outcome.changed else \
            messages.info(request, _("这一版已经通过。"))
    return redirect(community_url("propertyservice:station_rules", community))


urlpatterns = [
    path("station/", station_page, name="station"),
    path("station/employer/", station_profile, name="station_profile"),
    path("station/people/<int:person_id>/", station_person, name="station_person"),
    path("station/people/<int:person_id>/certificate/", station_certificate, name="station_certificate"),
    path("station/people/<int:person_id>/post/", station_assign, name="station_assign"),
    path("station/posts/<int:staff_post_id>/end/", station_post_end, name="station_post_end"),
    path("station/rules/", station_rules, name="station_rules"),
    path("station/rules/acknowledge/", station_rules_acknowledge, name="station_rules_acknowledge"),
    path("station/rules/draft/", station_rules_draft, name="station_rules_draft"),
    path("station/rules/<int:version_id>/adopt/", station_rules_adopt, name="station_rules_adopt"),
]


# --- the hub's and the board's cards (propertyservice.hub) ----------------------------------------------------

def hub_card(*, request, community) -> dict:
    """The hub's 服务站与人员 card: the heads for everyone, links to staff pages for station staff."""
    if not policy.can(request.user, VIEW, community):
        return {}
    return {"heads": sel.station_heads(community=community), "can_staff": policy.can(request.user, STAFF, community),
            "community": community}


def board_card(*, request, community) -> dict:
    """The board's card: certificates lapsing within 30 days (or lapsed), recruits in progress (two queries)."""
    if not policy.can(request.user, STAFF, community):
        return {}
    return {"community": community, **sel.board_station(community=community)}
