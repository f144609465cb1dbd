"""Election pages: thin views over communities.selectors.elections and the election services."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import policy
from ..forms.elections import CandidateForm, ElectionForm, ReceiptForm
from ..models import Election, ElectionCandidate
from ..picker import community_for
from ..policy import guard
from ..selectors import elections as sel
from ..services import elections as svc
from ..services.errors import DomainError

DONE = {"open": gettext_lazy("投票已开始，选民名单已生成。"), "close": gettext_lazy("投票已截止。"),
        "publish": gettext_lazy("计票结果已公布。")}


def _election(request, pk, action="election.view") -> Election:
    return policy.get_object_or_404_for(request.user, action, sel.election_for_page(), pk=pk)


@guard("election.view")
def election_list(request):
    return render(request, "communities/elections/election_list.html", {
        "elections": sel.elections_visible(user=request.user),
        "can_create": policy.can(request.user, "election.manage")})


def _detail_context(request, election: Election) -> dict:
    user = request.user
    roll_row = sel.my_roll_row(election=election, user=user)
    manage = policy.can(user, "election.manage", election)
    return {
        "election": election, "posts": sel.election_posts(election=election),
        "roll_row": roll_row,
        "may_vote": election.status == Election.Status.OPEN and roll_row is not None and not roll_row.has_voted,
        "can_manage": manage, "editable": manage and election.status in Election.EDITABLE,
        "actions": [a for a in Election.TRANSITIONS if election.may(a)] if manage else [],
        "turnout": sel.turnout(election=election) if election.status != Election.Status.DRAFT else None,
        "tally": election.tally if election.status == Election.Status.PUBLISHED else None,
        "audit_events": sel.election_audit(election=election),
        "candidate_form": CandidateForm(election=election) if manage else None,
    }


@guard("election.view")
def election_detail(request, pk):
    election = _election(request, pk)
    return render(request, "communities/elections/election_detail.html", _detail_context(request, election))


def _save(request, *, community, election=None):
    form = ElectionForm(request.POST or None, instance=election, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            if election is None:
                election = svc.election_create(actor=request.user, community=community,
                                               fields=form.service_fields(), posts=form.cleaned_data["posts_text"])
            else:
                svc.election_edit(actor=request.user, election=election, fields=form.service_fields(),
                                  posts=form.cleaned_data["posts_text"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存选举“%(title)s”。") % {"title": form.cleaned_data["title"]})
            return redirect("communities:election_detail", pk=election.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "communities/elections/election_form.html", {
        "form": form, "election": election, "community": community}, status=status)


@guard("election.manage")
def election_new(request):
    return _save(request, community=community_for(request, "election.manage").community)


@guard("election.manage")
def election_edit(request, pk):
    election = _election(request, pk, "election.manage")
    if election.status not in Election.EDITABLE:
        messages.error(request, _("投票开始后不能再修改选举。"))
        return redirect("communities:election_detail", pk=election.pk)
    return _save(request, community=election.community, election=election)


@guard("election.manage")
@require_POST
def candidate_add(request, pk):
    election = _election(request, pk, "election.manage")
    form = CandidateForm(request.POST, election=election)
    if form.is_valid():
        try:
            svc.election_candidate_add(actor=request.user, election=election, post=form.cleaned_data["post"],
                                       user=form.cleaned_data["user_key"], statement=form.cleaned_data["statement"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已添加候选人。"))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.manage")
@require_POST
def candidate_remove(request, pk, candidate_id):
    election = _election(request, pk, "election.manage")
    candidate = ElectionCandidate.objects.filter(pk=candidate_id, election=election).select_related("election").first()
    if candidate is None:
        raise Http404
    try:
        changed = svc.election_candidate_remove(actor=request.user, candidate=candidate)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(request, _("已移除候选人。"))
        else:
            messages.info(request, _("该候选人已移除。"))
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.manage")
@require_POST
def election_transition(request, pk, action):
    election = _election(request, pk, "election.manage")
    service = svc.TRANSITION_SERVICES.get(action)
    if service is None:
        raise Http404
    try:
        changed = service(election=election, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(request, DONE[action])
        else:
            messages.info(request, _("这一步已经完成过，无需重复操作。"))
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.vote")
@require_POST
def ballot_cast_view(request, pk):
    election = _election(request, pk, "election.vote")
    choices = {key.removeprefix("post-"): request.POST.getlist(key) for key in request.POST
               if key.startswith("post-")}
    try:
        result = svc.ballot_cast(election=election, actor=request.user, choices=choices)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("communities:election_detail", pk=election.pk)
    if not result.changed:
        messages.info(request, _("您已经投过票了，这次提交没有改变任何内容。"))
        return redirect("communities:election_detail", pk=election.pk)
    # Rendered, not redirected: the code is shown this once and kept nowhere (not even in the session).
    return render(request, "communities/elections/ballot_receipt.html", {"election": election,
                                                                          "receipt": result.receipt})


@guard("election.view")
def receipt_verify(request, pk):
    election = _election(request, pk)
    # POST keeps the code out of URLs and access logs, where it would sit next to the voter's address.
    form = ReceiptForm(request.POST or None)
    found = checked = None
    if request.method == "POST" and form.is_valid():
        checked = True
        found = sel.ballot_by_receipt(election=election, code=form.cleaned_data["code"])
    return render(request, "communities/elections/receipt_verify.html", {
        "election": election, "form": form, "found": found, "checked": checked})
