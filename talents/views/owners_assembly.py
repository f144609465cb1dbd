"""The owners' hub's assembly area (issue 15): the list of owners' votes, the staff form for an ordinary or
extraordinary assembly, an assembly's page (thresholds and why, turnout, results) with the owners' ballot, the
requests for an extraordinary assembly, the estate's voting rules and the deliveries of ballots. Thin views over
``talents.selectors.owners_assembly`` and ``talents.services.owners_assembly``. Patterns at the foot."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communities import policy
from communities.picker import community_url
from communities.policy import guard
from communities.services import elections as core
from communities.services.errors import DomainError
from communities.services.personal_data import log_personal_data_access

from ..forms.owners_assembly import AssemblyForm, DeliveryForm, RequestForm, VotingRulesForm
from ..selectors import owners_assembly as sel
from ..services import owners_assembly as svc
from .owners_picker import owners_community_for

DELIVERY_PURPOSE = gettext_lazy("登记选票送达（业主大会表决）")
VIEW, MANAGE, REQUEST = "talents.assembly.view", "talents.assembly.manage", "talents.assembly.request"


def _assembly(request, pk, action=VIEW):
    return policy.get_object_or_404_for(request.user, action, sel.assembly_for_page(), pk=pk)


@guard(VIEW)
def assembly_list(request):
    picked = owners_community_for(request, VIEW)
    community = picked.community
    assemblies = list(sel.assemblies_for(user=request.user, community=community))
    for a in assemblies:
        a.results = sel.passed_motions(a)
    return render(request, "talents/owners/assembly_list.html", {
        "community": community, "communities": picked.choices, "assemblies": assemblies,
        "can_manage": policy.can(request.user, MANAGE, community),
        "progress": sel.request_progress(community=community)})


@guard(MANAGE)
def assembly_new(request):
    picked = owners_community_for(request, MANAGE)
    community = picked.community
    form = AssemblyForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assembly = svc.owners_assembly_create(
                actor=request.user, community=community, kind=d["kind"], title=d["title"], motions=form.motions(),
                scope=d["scope"], building=d["building"], entrance=d["entrance"], description=d["description"],
                opens_at=d["opens_at"], closes_at=d["closes_at"], place=d["place"],
                notice_sent_on=d["notice_sent_on"], notice_housing_office=d["notice_housing_office"],
                notice_residents_committee=d["notice_residents_committee"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已创建业主大会表决草稿。"))
            return redirect("talents:owners_assembly_detail", pk=assembly.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "talents/owners/assembly_form.html", {"community": community, "form": form},
                  status=status)


@guard(VIEW)
def assembly_detail(request, pk):
    assembly = _assembly(request, pk)
    return render(request, "talents/owners/assembly_detail.html", sel.assembly_page(assembly=assembly,
                                                                                    user=request.user))


@guard(VIEW)
@require_POST
def assembly_vote(request, pk):
    assembly = _assembly(request, pk)
    answers = {key.removeprefix("motion-"): request.POST.get(key) for key in request.POST if key.startswith("motion-")}
    try:
        result = svc.assembly_ballot_cast(assembly=assembly, actor=request.user, answers=answers)
    except DomainError as exc:
        context = sel.assembly_page(assembly=assembly, user=request.user)
        context["vote_error"] = exc.message
        return render(request, "talents/owners/assembly_detail.html", context, status=400)
    if not result.changed:
        messages.info(request, _("您（或与您共同投票的业主）已经投过票了，这次提交没有改变任何内容。"))
        return redirect("talents:owners_assembly_detail", pk=assembly.pk)
    # Rendered, not redirected: the receipt code is shown this once and kept nowhere.
    return render(request, "talents/owners/assembly_receipt.html", {"assembly": assembly, "receipt": result.receipt})


STEPS = {"open": (svc.assembly_open, _("投票已开始，已按表决范围生成业主名单。")),
         "close": (lambda **kw: core.election_close(election=kw["assembly"].election, actor=kw["actor"]),
                   _("投票已截止。")),
         "publish": (lambda **kw: core.election_publish(election=kw["assembly"].election, actor=kw["actor"]),
                     _("表决结果已公布。"))}


@guard(MANAGE)
@require_POST
def assembly_step(request, pk, action):
    assembly = _assembly(request, pk, MANAGE)
    if action not in STEPS:
        raise Http404
    service, done = STEPS[action]
    try:
        changed = service(assembly=assembly, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done) if changed else messages.info(request, _("这一步已经完成过，无需重复操作。"))
    return redirect("talents:owners_assembly_detail", pk=assembly.pk)


@guard(MANAGE)
def assembly_deliveries(request, pk):
    assembly = _assembly(request, pk, MANAGE)
    form = DeliveryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                _row, created = svc.ballot_delivery_record(
                    actor=request.user, assembly=assembly, voter_id=d["voter"], delivered_on=d["delivered_on"],
                    method=d["method"], signer=d["signer"], proof=d["proof"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已登记送达。")) if created else messages.info(request, _("这位业主的送达已登记过。"))
                return redirect("talents:owners_assembly_deliveries", pk=assembly.pk)
    rows = sel.delivery_candidates(assembly=assembly)
    # The roll's names are shown unmasked to staff here (they must find whom they delivered to): logged.
    log_personal_data_access(viewer=request.user, purpose=DELIVERY_PURPOSE,
                             entries=[(row.person, assembly.community_id) for row in rows if row.person_id])
    return render(request, "talents/owners/assembly_deliveries.html", {
        "assembly": assembly, "form": form, "rows": rows}, status=status)


@guard(VIEW)
def assembly_requests(request):
    picked = owners_community_for(request, VIEW)
    community = picked.community
    may_request = policy.can(request.user, REQUEST, community)
    form = RequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                _row, created = svc.assembly_request_add(actor=request.user, community=community,
                                                         matter=form.cleaned_data["matter"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已登记您的提议。")) if created else \
                    messages.info(request, _("您（或与您共同计票的业主）已经提议过了，同一户只计一次。"))
                return redirect(community_url("talents:owners_assembly_requests", community))
    requests = sel.open_requests(community=community)
    for r in requests:
        r.masked = sel.mask_name(r.requester.display_name())
    return render(request, "talents/owners/assembly_requests.html", {
        "community": community, "communities": picked.choices, "form": form, "may_request": may_request,
        "progress": sel.request_progress(community=community), "requests": requests}, status=status)


@guard(MANAGE)
def voting_rules(request):
    picked = owners_community_for(request, MANAGE)
    community = picked.community
    rules = sel.voting_rules(community=community)
    form = VotingRulesForm(request.POST or None, initial={"deemed_consent": rules.deemed_consent,
                                                          "clause": rules.clause})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                svc.voting_rules_set(actor=request.user, community=community,
                                     deemed_consent=form.cleaned_data["deemed_consent"],
                                     clause=form.cleaned_data["clause"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("表决规则已保存。"))
                return redirect(community_url("talents:owners_assembly_rules", community))
    return render(request, "talents/owners/assembly_rules.html", {
        "community": community, "form": form, "rules": rules, "court_case": sel.COURT_CASE}, status=status)


urlpatterns: list = [
    path("owners/assembly/", assembly_list, name="owners_assembly_list"),
    path("owners/assembly/new/", assembly_new, name="owners_assembly_new"),
    path("owners/assembly/requests/", assembly_requests, name="owners_assembly_requests"),
    path("owners/assembly/rules/", voting_rules, name="owners_assembly_rules"),
    path("owners/assembly/<int:pk>/", assembly_detail, name="owners_assembly_detail"),
    path("owners/assembly/<int:pk>/vote/", assembly_vote, name="owners_assembly_vote"),
    path("owners/assembly/<int:pk>/deliveries/", assembly_deliveries, name="owners_assembly_deliveries"),
    path("owners/assembly/<int:pk>/<slug:action>/", assembly_step, name="owners_assembly_step"),
]
