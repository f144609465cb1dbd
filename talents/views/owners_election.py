"""The owners' hub's election area (issue 15): the public timeline of an election of the owners' committee, the
staff page that runs it, and one POST endpoint per step. Patterns at the foot, joined in ``talents/urls.py``."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.policy import guard
from communities.services.errors import DomainError
from communities.services.personal_data import log_personal_data_access

from ..forms import owners_election as f
from ..models import CandidateCheck
from ..selectors import owners_election as sel
from ..services import owners_election as svc
from .owners_picker import owners_community_for


def _election(request, pk, action="talents.election.view"):
    return policy.get_object_or_404_for(request.user, action, sel.election_for_page(), pk=pk)


@guard("talents.election.view")
def election_list(request):
    community = owners_community_for(request, "talents.election.view").community
    can_manage = policy.can(request.user, "talents.election.manage", community)
    form = f.ElectionCreateForm(request.POST or None) if can_manage else None
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                election = svc.committee_election_create(actor=request.user, community=community, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已登记换届选举。"))
                return redirect("talents:owners_election_manage", pk=election.pk)
        status = 400
    return render(request, "talents/owners/election_list.html", {
        "community": community, "elections": sel.elections_of(user=request.user, community=community),
        "form": form, "can_manage": can_manage}, status=status)


@guard("talents.election.view")
def election_detail(request, pk):
    election = _election(request, pk)
    return render(request, "talents/owners/election_detail.html", {
        **sel.election_page(election=election, today=sel.local_today()), "community": election.community,
        "can_manage": policy.can(request.user, "talents.election.manage", election)})


def _forms(election, vote, bound=None) -> dict:
    """The staff page's forms, one bound to the POST that failed (``bound``: (name, form))."""
    forms = {"dates_form": f.DatesForm(initial={"assembly_on": election.assembly_on}),
             "member_form": f.GroupMemberForm(), "formed_form": f.GroupFormForm(), "step_form": f.StepForm(),
             "vote_form": f.VoteForm(), "nominate_form": f.NominateForm(owners=sel.estate_owner_users(
                 community=election.community)), "check_form": f.CheckForm(), "publish_form": f.OnForm(),
             "result_form": f.ResultForm()}
    tally = vote.tally if vote is not None and vote.status == vote.Status.PUBLISHED else {}
    forms["term_form"] = f.TermForm(elected=sel.elected_rows(tally))
    if bound:
        forms[bound[0]] = bound[1]
    return forms


def _manage_page(request, election, bound=None, status=200, failed_check=None):
    page = sel.election_page(election=election, today=sel.local_today())
    # Staff see candidates' and members' full names: logged as personal-data access.
    subjects = [c.user.person for c in page["checks"] if getattr(c.user, "person", None)]
    if subjects:
        log_personal_data_access(viewer=request.user, entries=[(p, election.community_id) for p in subjects],
                                 purpose=_("业委会换届选举：候选人资格核查"))
    return render(request, "talents/owners/election_manage.html", {
        **page, **_forms(election, page["vote"], bound), "community": election.community,
        "failed_check": failed_check}, status=status)


# The manage views are guarded by the view rule: the object check then answers 404 for another estate's election
# and 403 for the wrong role in this one (a guard on the manage rule would say 403 to an outsider first).
@guard("talents.election.view")
def election_manage(request, pk):
    return _manage_page(request, _election(request, pk, "talents.election.manage"))


def _run(election, actor, action, data, files, request):
    """Call the service behind ``action`` with the form's data; returns (form name, form, message)."""
    E = election
    if action == "dates":
        form = f.DatesForm(data)
        run = lambda d: svc.committee_election_dates(actor=actor, election=E, **d)  # noqa: E731
        return "dates_form", form, run, _("已更新业主大会日期。")
    if action == "group-add":
        form = f.GroupMemberForm(data)
        return "member_form", form, lambda d: svc.group_member_add(actor=actor, election=E, **d), _("已添加筹备组成员。")
    if action == "group-remove":
        member = E.group.filter(pk=data.get("member")).first()
        form = f.forms.Form(data)
        return "member_form", form, (lambda d: svc.group_member_remove(actor=actor, member=member)
                                     if member else False), _("已移除筹备组成员。")
    if action == "group-form":
        form = f.GroupFormForm(data)
        return "formed_form", form, lambda d: svc.group_form(actor=actor, election=E, **d), _("已记录筹备组成立。")
    if action == "step":
        form = f.StepForm(data, files)
        return "step_form", form, lambda d: svc.step_record(actor=actor, election=E, **d), _("已记录步骤完成。")
    if action == "vote":
        form = f.VoteForm(data)
        return "vote_form", form, lambda d: svc.vote_create(actor=actor, election=E, **d), _("已发起选举表决（草稿）。")
    if action == "nominate":
        form = f.NominateForm(data, owners=sel.estate_owner_users(community=E.community))
        return "nominate_form", form, lambda d: svc.candidate_nominate(actor=actor, election=E, **d), _("已登记候选人。")
    if action == "check":
        form = f.CheckForm(data, files)

        def run(d):
            check = CandidateCheck.objects.filter(election=E, pk=d.pop("check")).first()
            if check is None:
                raise DomainError(_("没有这位候选人。"), code="check")
            return svc.candidate_check_record(actor=actor, check=check, **d)
        return "check_form", form, run, _("已记录资格核查。")
    if action == "publish":
        form = f.OnForm(data)
        return "publish_form", form, lambda d: svc.candidate_list_publish(actor=actor, election=E, **d), \
            _("已公示候选人名单，业主大会公告期开始。")
    if action == "result":
        form = f.ResultForm(data)
        return "result_form", form, lambda d: svc.result_publish(actor=actor, election=E, **d), _("已公布选举结果。")
    if action == "term":
        vote = E.assembly.election if E.assembly_id else None
        tally = vote.tally if vote is not None and vote.status == vote.Status.PUBLISHED else {}
        form = f.TermForm(data, elected=sel.elected_rows(tally))

        def run(d):
            return svc.term_start(actor=actor, election=E, offices=form.offices(), started_on=d["started_on"],
                                  ends_on=d["ends_on"])
        return "term_form", form, run, _("新一届业主委员会已产生。")
    return None


@guard("talents.election.view")
@require_POST
def election_action(request, pk, action):
    election = _election(request, pk, "talents.election.manage")
    found = _run(election, request.user, action, request.POST, request.FILES, request)
    if found is None:
        return render(request, "404.html", status=404)
    name, form, run, done = found
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("office_")}
        try:
            result = run(data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result is False:
                messages.info(request, _("这一步已经办理过，没有改动。"))
            else:
                messages.success(request, done)
            return redirect(reverse("talents:owners_election_manage", args=[election.pk]))
    election = _election(request, pk, "talents.election.manage")
    return _manage_page(request, election, bound=(name, form), status=400)


urlpatterns = [
    path("owners/election/", election_list, name="owners_election_list"),
    path("owners/election/<int:pk>/", election_detail, name="owners_election_detail"),
    path("owners/election/<int:pk>/manage/", election_manage, name="owners_election_manage"),
    path("owners/election/<int:pk>/<slug:action>/", election_action, name="owners_election_action"),
]
