"""The owners' hub's committee area (issue 15 item 2): the committee page (serving term, its decisions and
certificates, the history of all terms with their recalls), one term's page, and the staff forms (a filing, a
recall, a decision, publishing it, the notice to the residents' committee). Patterns at the foot, joined in
``talents/urls.py``."""
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.picker import community_for, community_url
from communities.policy import guard
from communities.services.errors import DomainError
from communities.views.photos import SECURITY_HEADERS

from ..forms.owners_committee import DecisionForm, FilingForm, NoticeForm, RecallForm
from ..models import CommitteeDecision, CommitteeFiling, CommitteeTerm
from ..selectors import owners_committee as sel
from ..selectors import studios as studio_sel
from ..services import owners_committee as svc

VIEW = "talents.owners.view"


def _community(request, action: str = VIEW):
    return community_for(request, action, choices=studio_sel.hub_communities(user=request.user, action=action))


@guard(VIEW)
@require_safe
def committee_page(request):
    picked = _community(request)
    context = sel.committee_page(user=request.user, community=picked.community, today=timezone.localdate())
    return render(request, "talents/owners/committee_page.html",
                  {"community": picked.community, "communities": picked.choices, **context})


@guard(VIEW)
@require_safe
def term_detail(request, number):
    picked = _community(request)
    term = policy.get_object_or_404_for(request.user, VIEW, CommitteeTerm.objects.filter(community=picked.community),
                                        number=number)
    context = sel.term_page(user=request.user, community=picked.community, term=term, today=timezone.localdate())
    return render(request, "talents/owners/committee_term.html", {"community": picked.community, **context})


def _staff_form(request, *, action, form_class, template, save, done):
    """A staff form of this area: GET shows it; a valid POST calls ``save(community, form)``; a ``DomainError``
    is shown on the form with status 400 and nothing written."""
    picked = _community(request)
    community = picked.community
    policy.require(request.user, action, community)
    form = form_class(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST":
        if form.is_valid():
            try:
                save(community, form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, done)
                return redirect(community_url("talents:owners_committee", community))
        return render(request, template, {"community": community, "form": form}, status=400)
    return render(request, template, {"community": community, "form": form})


@guard("talents.committee.manage")
def filing_new(request):
    def save(community, data):
        svc.committee_filing_record(actor=request.user, term=data["term"], kind=data["kind"], number=data["number"],
                                    issued_on=data["issued_on"], issued_by=data["issued_by"], upload=data["file"])
    return _staff_form(request, action="talents.committee.manage", form_class=FilingForm, save=save,
                       template="talents/owners/committee_filing_form.html", done=_("已登记备案证明。"))


@guard("talents.committee.manage")
def recall_new(request):
    def save(community, data):
        svc.committee_recall_record(actor=request.user, term=data["term"], decided_on=data["decided_on"],
                                    grounds=data["grounds"], grounds_text=data["grounds_text"],
                                    assembly=data["assembly"], result_text=data["result_text"])
    return _staff_form(request, action="talents.committee.manage", form_class=RecallForm, save=save,
                       template="talents/owners/committee_recall_form.html", done=_("已登记罢免，该届业主委员会任期结束。"))


@guard("talents.committee.decide")
def decision_new(request):
    def save(community, data):
        svc.committee_decision_record(actor=request.user, community=community, title=data["title"],
                                      text=data["text"], decided_on=data["decided_on"], upload=data["file"])
    return _staff_form(request, action="talents.committee.decide", form_class=DecisionForm, save=save,
                       template="talents/owners/committee_decision_form.html",
                       done=_("已登记决定。请在三日内公告（《上海市住宅物业管理规定》第二十六条）。"))


def _decision(request, pk, action="talents.committee.decide") -> CommitteeDecision:
    return policy.get_object_or_404_for(request.user, action,
                                        CommitteeDecision.objects.select_related("community", "term"), pk=pk)


@guard("talents.committee.decide")
@require_POST
def decision_publish(request, pk):
    decision = _decision(request, pk)
    try:
        changed = svc.committee_decision_publish(actor=request.user, decision_id=decision.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已公告。") if changed else _("这项决定已经公告过，未重复公告。"))
    return redirect(community_url("talents:owners_committee", decision.community))


@guard("talents.committee.decide")
def decision_notice(request, pk):
    decision = _decision(request, pk)
    form = NoticeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = svc.committee_decision_notify_rc(actor=request.user, decision_id=decision.pk,
                                                           notice=form.cleaned_data["notice"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已记录告知居委会的书面通知。") if changed
                                 else _("这项决定已经告知过居委会，未重复记录。"))
                return redirect(community_url("talents:owners_committee", decision.community))
        return render(request, "talents/owners/committee_notice_form.html",
                      {"community": decision.community, "decision": decision, "form": form}, status=400)
    return render(request, "talents/owners/committee_notice_form.html",
                  {"community": decision.community, "decision": decision, "form": form})


def _file_response(row, name: str) -> FileResponse:
    if not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "application/pdf" if row.file_extension == "pdf" else "image/jpeg"
    response = FileResponse(handle, content_type=content_type, filename=f"{name}.{row.file_extension}")
    for header, value in SECURITY_HEADERS.items():
        response[header] = value
    return response


@guard(VIEW)
@require_safe
def filing_file(request, pk):
    filing = policy.get_object_or_404_for(request.user, VIEW, CommitteeFiling.objects.all(), pk=pk)
    return _file_response(filing, f"committee-filing-{filing.pk}")


@guard(VIEW)
@require_safe
def decision_file(request, pk):
    decision = _decision(request, pk, VIEW)
    if decision.published_at is None and not policy.can(request.user, "talents.committee.decide", decision):
        raise Http404  # not published yet: it does not exist for the estate
    return _file_response(decision, f"committee-decision-{decision.pk}")


urlpatterns = [
    path("owners/committee/", committee_page, name="owners_committee"),
    path("owners/committee/<int:number>/", term_detail, name="owners_committee_term"),
    path("owners/committee/filings/new/", filing_new, name="owners_committee_filing_new"),
    path("owners/committee/filings/<int:pk>/file/", filing_file, name="owners_committee_filing_file"),
    path("owners/committee/recalls/new/", recall_new, name="owners_committee_recall_new"),
    path("owners/committee/decisions/new/", decision_new, name="owners_committee_decision_new"),
    path("owners/committee/decisions/<int:pk>/publish/", decision_publish, name="owners_committee_decision_publish"),
    path("owners/committee/decisions/<int:pk>/notice/", decision_notice, name="owners_committee_decision_notice"),
    path("owners/committee/decisions/<int:pk>/file/", decision_file, name="owners_committee_decision_file"),
]
