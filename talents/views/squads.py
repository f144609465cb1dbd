"""Governance squads (治理小分队): the community's squads and proposals, a squad's page (members, tasks, hours), and
the steps: propose, consent or decline, plan a task (claiming a need), mark it done, confirm a member's hours."""
import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.models import CommunityNeed, NeedStatus
from communities.picker import community_for, community_url
from communities.policy import guard
from communities.selectors.teams import active_members
from communities.services.errors import DomainError

from ..forms.squads import ApproveForm, DeclineForm, SquadProposalForm, SquadTaskForm
from ..models import SquadProposal, SquadTask, SquadTaskParticipant
from ..selectors import squads as sel
from ..services import squads as svc
from .services import _act


def _list_context(request, community, form=None):
    return {"community": community, "squads": sel.squads_visible(user=request.user, community=community),
            "proposals": sel.proposals_for(user=request.user, community=community),
            "can_propose": policy.can(request.user, "talents.squad.propose", community),
            "can_approve": policy.can(request.user, "talents.squad.approve", community),
            "form": form or SquadProposalForm(community=community), "approve_form": ApproveForm(),
            "decline_form": DeclineForm()}


@guard("talents.squad.view")
def squad_list(request):
    community = community_for(request, "community.view").community
    return render(request, "talents/squad_list.html", _list_context(request, community))


@guard("talents.squad.propose")
def squad_propose(request):
    picked = community_for(request, "talents.squad.propose")
    form = SquadProposalForm(request.POST or None, community=picked.community)
    if request.method == "POST" and form.is_valid():
        try:
            svc.squad_propose(actor=request.user, community=picked.community, name=form.cleaned_data["name"],
                              purpose=form.cleaned_data["purpose"], members=list(form.cleaned_data["members"]))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已提交成立申请，等待居委同意。"))
            return redirect(community_url("talents:squad_list", picked.community))
    status = 400 if request.method == "POST" else 200
    return render(request, "talents/squad_list.html", _list_context(request, picked.community, form), status=status)


def _proposal(request, pk):
    return policy.get_object_or_404_for(request.user, "talents.squad.approve",
                                        SquadProposal.objects.select_related("community"), pk=pk)


@guard("talents.squad.approve")
@require_POST
def proposal_approve(request, pk):
    proposal = _proposal(request, pk)
    form = ApproveForm(request.POST)
    note = form.cleaned_data["consent_note"] if form.is_valid() else ""
    try:
        team = svc.squad_approve(actor=request.user, proposal_id=proposal.pk, consent_note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(community_url("talents:squad_list", proposal.community))
    messages.success(request, _("已同意成立“%(name)s”。") % {"name": team.name})
    return redirect("talents:squad_detail", team_id=team.pk)


@guard("talents.squad.approve")
@require_POST
def proposal_decline(request, pk):
    proposal = _proposal(request, pk)
    form = DeclineForm(request.POST)
    _act(request, svc.squad_decline, _("已告知发起人未同意的原因。"), _("这份申请已处理过。"), proposal_id=proposal.pk,
         reason=form.cleaned_data["reason"] if form.is_valid() else "")
    return redirect(community_url("talents:squad_list", proposal.community))


def _task_form(team, data=None):
    needs = CommunityNeed.objects.filter(community_id=team.community_id, status=NeedStatus.OPEN).order_by("-posted_at")
    return SquadTaskForm(data, needs=needs, members=active_members(team))


@guard("talents.squad.view")
def squad_detail(request, team_id):
    team = sel.squad_for_page(user=request.user, team_id=team_id)
    can_manage = policy.can(request.user, "talents.squad.manage", team)
    return render(request, "talents/squad_detail.html", {
        "team": team, "page": sel.squad_page(team=team), "can_manage": can_manage, "now": timezone.now(),
        "task_form": _task_form(team) if can_manage else None})


@guard("talents.squad.manage")
def squad_task_new(request, team_id):
    team = sel.squad_for_page(user=request.user, team_id=team_id, action="talents.squad.manage")
    form = _task_form(team, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.squad_task_create(actor=request.user, team=team, kind=data["kind"], title=data["title"],
                                  starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"],
                                  participants=list(data["participants"]), need=data["need"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已添加任务。"))
            return redirect("talents:squad_detail", team_id=team.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "talents/squad_task_new.html", {"team": team, "form": form}, status=status)


def _attended(request, task) -> dict:
    """{user id: (start, end)} from the completion form: a box per participant who came, with optional times."""
    day = timezone.localtime(task.starts_at).date()
    tz = timezone.get_current_timezone()
    attended = {}
    for row in task.participants.all():
        if request.POST.get(f"came_{row.user_id}") != "1":
            attended[row.user_id] = (None, None)
            continue
        times = []
        for key, planned in (("start", task.starts_at), ("end", task.ends_at)):
            raw = request.POST.get(f"{key}_{row.user_id}", "")
            try:
                times.append(timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(raw)), tz))
            except ValueError:
                times.append(planned)
        attended[row.user_id] = tuple(times)
    return attended


@guard("talents.squad.manage")
@require_POST
def squad_task_complete(request, pk):
    task = policy.get_object_or_404_for(request.user, "talents.squad.manage",
                                        SquadTask.objects.select_related("team"), pk=pk)
    _act(request, svc.squad_task_complete, _("任务已完成，时长已记入平台记录。"), _("这个任务已标记完成。"),
         task_id=task.pk, attended=_attended(request, task))
    return redirect("talents:squad_detail", team_id=task.team_id)


@guard("talents.squad.manage")
@require_POST
def squad_hours_confirm(request, pk):
    row = policy.get_object_or_404_for(request.user, "talents.squad.manage",
                                       SquadTaskParticipant.objects.select_related("task"), pk=pk)
    _act(request, svc.squad_hours_confirm, _("已确认服务时长。"), _("这条时长已确认过。"), participant_id=row.pk)
    return redirect("talents:squad_detail", team_id=row.task.team_id)


