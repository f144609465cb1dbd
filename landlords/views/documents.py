"""Pages of 蓉庭's charter and covenant (the core's versioned documents, read and written through
communities.selectors.documents and communities.services.documents): the current text with its history and the acknowledge button,
drafting and adopting (approving), the sublandlord's paper-signature form, and the staff reports.
Thin: a selector or a service per view; a refused change comes back as a Chinese message."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.models import Building, DocumentVersion
from communities.picker import community_checked, community_for, community_url
from communities.policy import guard
from communities.selectors import documents as docs
from communities.services import documents as svc
from communities.services.errors import DomainError

from ..documents import DocumentKind
from ..forms.documents import CharterAdoptForm, DocumentDraftForm, PaperSignatureForm
from ..selectors import documents as sel
from ..services.documents import covenant_paper_record


def _kind(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise Http404
    return kind


def _version(request, pk: int, action_step: str | None = None) -> DocumentVersion:
    version = docs.document_version_for(user=request.user, version_id=pk)
    if action_step and not policy.can(request.user, version.action(action_step), version):
        raise PermissionDenied
    return version


def _back(version: DocumentVersion):
    return redirect(community_url("landlords:document_current", version.community, kind=version.kind))


def _say(request, changed: bool, done: str):
    if changed:
        messages.success(request, done)
    else:
        messages.info(request, _("之前已经办理过，无需重复。"))


@guard("document.view")
def document_current(request, kind):
    kind = _kind(kind)
    community = community_for(request, "document.view").community
    current = docs.document_current(community=community, kind=kind)
    probe = DocumentVersion(kind=kind)
    ack_action = probe.action("acknowledge")
    person = docs.person_of(request.user)
    may_ack = policy.can(request.user, ack_action, community) and svc.document_may_acknowledge(
        person=person, community=community, kind=kind)
    return render(request, "landlords/document_current.html", {
        "community": community, "kind": kind, "kind_label": DocumentKind(kind).label, "current": current,
        "history": docs.document_history(user=request.user, community=community, kind=kind),
        "draft": docs.document_open_draft(community=community, kind=kind)
        if docs.may_see_drafts(request.user, community=community, kind=kind) else None,
        "may_ack": may_ack,
        "standing": docs.my_standing(person=person, version=current) if may_ack else None,
        "may_draft": policy.can(request.user, probe.action("draft"), community),
        "may_adopt": policy.can(request.user, probe.action("adopt"), community),
        "may_report": policy.can(request.user, probe.action("report"), community),
        "may_record_paper": "record_paper" in probe.spec.actions
        and policy.can(request.user, probe.action("record_paper"), community),
        "adopt_form": CharterAdoptForm() if kind == DocumentKind.CHARTER else None,
    })


@guard("document.view")
def document_version(request, pk):
    version = _version(request, pk)
    if not version.is_in_force_or_was and not docs.may_see_drafts(
            request.user, community=version.community, kind=version.kind):
        raise PermissionDenied
    return render(request, "landlords/document_version.html", {
        "version": version, "community": version.community,
        "may_adopt": version.status == DocumentVersion.Status.DRAFT
        and policy.can(request.user, version.action("adopt"), version),
        "may_withdraw": version.status == DocumentVersion.Status.DRAFT
        and policy.can(request.user, "document.withdraw", version),
        "adopt_form": CharterAdoptForm() if version.kind == DocumentKind.CHARTER else None,
    })


@guard("document.view")
def document_draft(request, kind):
    kind = _kind(kind)
    community = community_checked(request, DocumentVersion(kind=kind).action("draft")).community
    current = docs.document_current(community=community, kind=kind)
    initial = {"title": current.title, "body": current.body} if current else {
        "title": DocumentKind(kind).label}
    form = DocumentDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = svc.document_draft(actor=request.user, community=community, kind=kind, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("第%(n)d版草案已提交，等待居委审议。") % {"n": version.number})
            return redirect("landlords:document_version", pk=version.pk)
    return render(request, "landlords/document_draft.html", {
        "community": community, "kind": kind, "kind_label": DocumentKind(kind).label, "form": form,
        "current": current}, status=400 if form.errors else 200)


@guard("document.view")
@require_POST
def document_adopt(request, pk):
    version = _version(request, pk, "adopt")
    adopted_on = None
    if version.kind == DocumentKind.CHARTER:
        form = CharterAdoptForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写正确的通过日期。"))
            return redirect("landlords:document_version", pk=pk)
        adopted_on = form.cleaned_data["adopted_on"]
    try:
        outcome = svc.document_adopt(actor=request.user, version_id=version.pk, adopted_on=adopted_on)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("landlords:document_version", pk=pk)
    _say(request, outcome.changed, _("第%(n)d版已通过，成为现行版本。") % {"n": version.number})
    return _back(version)


@guard("document.view")
@require_POST
def document_withdraw(request, pk):
    version = _version(request, pk)
    if not policy.can(request.user, "document.withdraw", version):
        raise PermissionDenied
    try:
        outcome = svc.document_withdraw(actor=request.user, version_id=version.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("landlords:document_version", pk=pk)
    _say(request, outcome.changed, _("草案已撤回。"))
    return _back(version)


@guard("document.view")
@require_POST
def document_acknowledge(request, kind):
    kind = _kind(kind)
    community = community_checked(request, DocumentVersion(kind=kind).action("acknowledge"),
                                 default=False).community
    try:
        outcome = svc.document_acknowledge(actor=request.user, community=community, kind=kind)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _say(request, outcome.changed, _("已确认：我已阅读并遵守。"))
    return redirect(community_url("landlords:document_current", community, kind=kind))


@guard("landlords.covenant.record_paper")
def covenant_paper(request):
    community = community_checked(request, "landlords.covenant.record_paper").community
    current = docs.document_current(community=community, kind=DocumentKind.COVENANT)
    tenants = list(sel.own_tenants(landlord=docs.person_of(request.user), community=community, version=current))
    pending = [r for r in tenants if r.ack_method is None]
    form = PaperSignatureForm(request.POST or None, tenants=pending, initial={"signed_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = covenant_paper_record(actor=request.user, community=community,
                                                    person_id=form.cleaned_data["tenant"],
                                                    signed_on=form.cleaned_data["signed_on"])
            except DomainError as exc:
                form.add_error("signed_on", exc.message)
            else:
                _say(request, outcome.changed, _("已登记纸质签字。"))
                return redirect(community_url("landlords:covenant_paper", community))
        status = 400
    return render(request, "landlords/covenant_paper.html", {
        "community": community, "current": current, "tenants": tenants, "form": form}, status=status)


@guard("landlords.covenant.report")
def covenant_report(request):
    community = community_checked(request, "landlords.covenant.report").community
    current = docs.document_current(community=community, kind=DocumentKind.COVENANT)
    rows = sel.covenant_by_building(community=community, version=current)
    totals = {key: sum(getattr(r, key) for r in rows) for key in ("tenants", "in_app", "on_paper", "missing")}
    return render(request, "landlords/covenant_report.html", {
        "community": community, "current": current, "rows": rows, "totals": totals})


@guard("landlords.covenant.report")
def covenant_report_building(request, pk):
    building = policy.get_object_or_404_for(request.user, "landlords.covenant.report",
                                            Building.objects.select_related("community"), pk=pk)
    current = docs.document_current(community=building.community, kind=DocumentKind.COVENANT)
    return render(request, "landlords/covenant_report_building.html", {
        "community": building.community, "building": building, "current": current,
        "tenancies": sel.covenant_building_tenants(building=building, version=current)})


@guard("landlords.charter.report")
def charter_report(request):
    community = community_checked(request, "landlords.charter.report").community
    current = docs.document_current(community=community, kind=DocumentKind.CHARTER)
    members = list(sel.charter_members(community=community, version=current))
    return render(request, "landlords/charter_report.html", {
        "community": community, "current": current, "members": members,
        "done": sum(1 for m in members if m.ack_method), "missing": sum(1 for m in members if not m.ack_method)})
