"""Election pages: thin views over communities.selectors.elections and the election services."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import election_workflow, electorates, policy
from ..election_workflow import EDITABLE, ELECTIONS
from ..forms.elections import MOTION_CHOICES, CandidateForm, ElectionForm, MotionForm, PaperVoterForm, ReceiptForm
from ..models import Election, ElectionCandidate, Motion, PaperBallot
from ..picker import community_for
from ..policy import guard
from ..selectors import elections as sel
from ..services import elections as svc
from ..services import paper_ballots as paper_svc
from ..services.errors import DomainError

DONE = {"open": gettext_lazy("投票已开始，选民名单已生成。"), "close": gettext_lazy("投票已截止。"),
        "publish": gettext_lazy("计票结果已公布。")}
REPEATED = gettext_lazy("这一步已经完成过，无需重复操作。")


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
    editable = manage and election.status in EDITABLE
    running = election.status in (Election.Status.OPEN, Election.Status.CLOSED)
    return {
        "election": election, "posts": sel.election_posts(election=election),
        "motions": sel.election_motions(election=election), "motion_choices": MOTION_CHOICES,
        "roll_row": roll_row, "electorate_label": electorates.get(election.electorate).label,
        "may_vote": election.status == Election.Status.OPEN and roll_row is not None and not roll_row.has_voted,
        "can_manage": manage, "editable": editable,
        "actions": election_workflow.actions_for(user, election),
        "notice_ends_at": svc.notice_ends_at(election),
        "turnout": sel.turnout(election=election) if election.status != Election.Status.DRAFT else None,
        "tally": election.tally if election.status == Election.Status.PUBLISHED else None,
        "audit_events": sel.election_audit(election=election),
        "candidate_form": CandidateForm(election=election) if editable else None,
        "motion_form": MotionForm() if editable else None,
        "can_paper": running and policy.can(user, "election.paper_enter", election),
        "paper": sel.paper_counts(election=election) if running and manage else None,
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
    if election.status not in EDITABLE:
        messages.error(request, _("投票开始后不能再修改选举。"))
        return redirect("communities:election_detail", pk=election.pk)
    return _save(request, community=election.community, election=election)


@guard("election.manage")
@require_POST
def candidate_add(request, pk):
    election = _election(request, pk, "election.manage")
    form = CandidateForm(request.POST, election=election)
    if form.is_valid():
        _run(request, lambda: svc.election_candidate_add(
            actor=request.user, election=election, post=form.cleaned_data["post"],
            user=form.cleaned_data["user_key"], statement=form.cleaned_data["statement"]), _("已添加候选人。"))
    else:
        _form_errors(request, form)
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.manage")
@require_POST
def candidate_remove(request, pk, candidate_id):
    election = _election(request, pk, "election.manage")
    candidate = ElectionCandidate.objects.filter(pk=candidate_id, election=election).select_related("election").first()
    if candidate is None:
        raise Http404
    _run(request, lambda: svc.election_candidate_remove(actor=request.user, candidate=candidate),
         _("已移除候选人。"), repeated=_("该候选人已移除。"))
    return redirect("communities:election_detail", pk=election.pk)


def _run(request, call, done, *, repeated=REPEATED) -> bool:
    """Call a service and say how it went: its DomainError as an error, a no-op (the service returned
    False) as `repeated`, anything else as `done`. True when the service ran without refusing."""
    try:
        changed = call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    if changed is False:
        messages.info(request, repeated)
    else:
        messages.success(request, done)
    return True


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


@guard("election.manage")
@require_POST
def election_transition(request, pk, action):
    election = _election(request, pk, "election.manage")
    if action not in ELECTIONS.actions:
        raise Http404
    _run(request, lambda: ELECTIONS.service(action)(election=election, actor=request.user), DONE[action])
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.manage")
@require_POST
def notice_publish(request, pk):
    election = _election(request, pk, "election.manage")
    _run(request, lambda: svc.election_notice_publish(actor=request.user, election=election),
         _("公告已发布，公告期从现在起算。"))
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.manage")
@require_POST
def motion_add(request, pk):
    election = _election(request, pk, "election.manage")
    form = MotionForm(request.POST)
    if form.is_valid():
        _run(request, lambda: svc.election_motion_add(actor=request.user, election=election, **form.cleaned_data),
             _("已添加议题。"))
    else:
        _form_errors(request, form)
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.manage")
@require_POST
def motion_remove(request, pk, motion_id):
    election = _election(request, pk, "election.manage")
    motion = get_object_or_404(Motion, pk=motion_id, election=election)
    _run(request, lambda: svc.election_motion_remove(actor=request.user, motion=motion), _("已移除议题。"))
    return redirect("communities:election_detail", pk=election.pk)


@guard("election.view")
def motion_detail(request, pk, motion_id):
    election = _election(request, pk)
    motion = get_object_or_404(Motion, pk=motion_id, election=election)
    return render(request, "communities/elections/motion_detail.html", {
        "election": election, "motion": motion, "result": sel.motion_result(election=election, motion_id=motion.pk),
        "tally": election.tally if election.status == Election.Status.PUBLISHED else None})


@guard("election.manage")
@require_POST
def runoff_create(request, pk, post_id):
    election = _election(request, pk, "election.manage")
    try:
        runoff = svc.election_runoff_create(actor=request.user, election=election, post_id=post_id)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("communities:election_detail", pk=election.pk)
    messages.success(request, _("已生成决选（筹备中），请核对后开始投票。"))
    return redirect("communities:election_detail", pk=runoff.pk)


# --- paper ballots: one staff member types, a second one confirms ------------------------------------

def _ballot_input(request) -> tuple[dict, dict]:
    choices = {key.removeprefix("post-"): request.POST.getlist(key) for key in request.POST
               if key.startswith("post-")}
    motions = {key.removeprefix("motion-"): request.POST.get(key) for key in request.POST
               if key.startswith("motion-")}
    return choices, motions


@guard("election.paper_enter")
def paper_enter(request, pk):
    election = _election(request, pk, "election.paper_enter")
    form = PaperVoterForm(request.POST or None, voters=sel.paper_voters(election=election))
    if request.method == "POST" and form.is_valid():
        choices, motions = _ballot_input(request)
        try:
            paper_svc.paper_ballot_enter(actor=request.user, election=election,
                                         voter_id=form.cleaned_data["voter"].pk, choices=choices, motions=motions)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已录入%(name)s的纸质选票，须由另一位工作人员复核后才计票。") % {
                "name": form.cleaned_data["voter"].name()})
            return redirect("communities:election_paper_enter", pk=election.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "communities/elections/paper_enter.html", {
        "election": election, "form": form, "posts": sel.election_posts(election=election),
        "motions": sel.election_motions(election=election), "motion_choices": MOTION_CHOICES,
        "paper": sel.paper_counts(election=election)}, status=status)


@guard("election.paper_confirm")
def paper_confirm_list(request, pk):
    election = _election(request, pk, "election.paper_confirm")
    return render(request, "communities/elections/paper_confirm.html", {
        "election": election, "pending": sel.paper_ballots_pending(election=election)})


def _paper(election, paper_id) -> PaperBallot:
    return get_object_or_404(PaperBallot, pk=paper_id, election=election)


@guard("election.paper_confirm")
@require_POST
def paper_confirm(request, pk, paper_id):
    election = _election(request, pk, "election.paper_confirm")
    paper = _paper(election, paper_id)
    _run(request, lambda: paper_svc.paper_ballot_confirm(actor=request.user, paper_id=paper.pk),
         _("已复核，这张纸质选票计入计票。"))
    return redirect("communities:election_paper_confirm", pk=election.pk)


@guard("election.paper_confirm")
@require_POST
def paper_discard(request, pk, paper_id):
    election = _election(request, pk, "election.paper_confirm")
    paper = _paper(election, paper_id)
    _run(request, lambda: paper_svc.paper_ballot_discard(actor=request.user, paper_id=paper.pk,
                                                         reason=request.POST.get("reason", "")),
         _("已退回这条录入，可重新录入。"))
    return redirect("communities:election_paper_confirm", pk=election.pk)


@guard("election.vote")
@require_POST
def ballot_cast_view(request, pk):
    election = _election(request, pk, "election.vote")
    choices, motions = _ballot_input(request)
    try:
        result = svc.ballot_cast(election=election, actor=request.user, choices=choices, motions=motions)
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
