"""Governance squads (治理小分队): a talent proposes a squad with its founding members; committee staff consent
(recording on what: a meeting, a decision) or decline with a reason; on consent the squad becomes a core Team of
kind squad, its proposer a backbone (骨干) and the founders its members, invited by the proposer.

A squad's backbones plan tasks — claiming a need of the core needs list (through the core's claim service),
patrols, events — and, when a task is done, record each participant's actual start and end. Each participant's
hours then go into the core volunteer-hours record, confirmed by a second person: a backbone or staff, never the
participant themself (《志愿服务条例》第十九条: the organiser records; RULES.md, volunteers)."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Backbone, CommunityNeed, Membership, NeedStatus, Team
from communities.selectors.teams import is_member
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.needs import need_claim
from communities.services.notifications import notify
from communities.services.teams import backbone_appoint, team_member_join
from communities.services.texts import bounded_text, deferred, stored

from ..models import SquadProposal, SquadTask, SquadTaskParticipant

HOURS_SOURCE = "talents.squad_task"  # source_kind of the hours rows this module records


def _squad_url(team) -> str:
    return reverse("talents:squad_detail", args=[team.pk])


# --- proposal and consent --------------------------------------------------------------------------------

def squad_propose(*, actor, community, name: str, purpose: str, members=(), now=None) -> SquadProposal:
    """A talent proposes a squad with its founding members (people of the community)."""
    now = now or timezone.now()
    if not policy.can(actor, "talents.squad.propose", community):
        raise PermissionDenied
    name = bounded_text(name, limit=60, required=gettext_lazy("请填写小分队名称。"))
    purpose = bounded_text(purpose, limit=1000, required=gettext_lazy("请写明小分队的宗旨和任务。"))
    members = [m for m in dict.fromkeys(members) if m.pk != actor.pk]
    outsiders = [m for m in members if not Membership.objects.filter(user=m, community=community).exists()]
    if outsiders:
        raise DomainError(gettext_lazy("首批成员只能是本社区的居民。"), code="stranger")
    with transaction.atomic():
        if (Team.objects.filter(community=community, name=name).exists()
                or SquadProposal.objects.filter(community=community, name=name,
                                                status=SquadProposal.Status.PROPOSED).exists()):
            raise DomainError(gettext_lazy("本社区已有同名的团队或申请。"), code="name_taken")
        proposal = SquadProposal.objects.create(community=community, name=name, purpose=purpose, proposed_by=actor,
                                                created_at=now)
        proposal.founding_members.set(members)
        audit(actor=actor, action="talents.squad_propose", community=community, proposal=proposal.pk)
    return proposal


def _locked_proposal(proposal_id: int) -> SquadProposal:
    proposal = (SquadProposal.objects.select_for_update(of=("self",)).select_related("community", "proposed_by")
                .filter(pk=proposal_id).first())
    if proposal is None:
        raise DomainError(gettext_lazy("该申请已不存在。"), code="gone")
    return proposal


def squad_approve(*, actor, proposal_id: int, consent_note: str, now=None) -> Team:
    """Committee staff consent: the squad is founded as a core Team (kind squad). A repeat returns the squad."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked_proposal(proposal_id)
        if not policy.can(actor, "talents.squad.approve", proposal.community):
            raise PermissionDenied
        if proposal.status == SquadProposal.Status.APPROVED:
            return proposal.team
        if proposal.status != SquadProposal.Status.PROPOSED:
            raise DomainError(gettext_lazy("这份申请已经审核过。"), code="state")
        note = bounded_text(consent_note, limit=200, required=gettext_lazy("请写明居委同意的依据（例如会议日期）。"))
        if Team.objects.filter(community=proposal.community, name=proposal.name).exists():
            raise DomainError(gettext_lazy("本社区已有同名的团队，请先与发起人商量改名。"), code="name_taken")
        team = Team.objects.create(community=proposal.community, name=proposal.name, kind=Team.Kind.SQUAD,
                                   created_at=now)
        proposer = proposal.proposed_by
        team_member_join(team=team, user=proposer, at=now)
        backbone_appoint(actor=actor, team=team, user=proposer, office=Backbone.Office.BACKBONE,
                         term_start=timezone.localdate(now))
        founders = list(proposal.founding_members.all())
        for member in founders:
            team_member_join(team=team, user=member, invited_by=proposer, at=now)
        proposal.status, proposal.team, proposal.decided_by, proposal.decided_at = (
            SquadProposal.Status.APPROVED, team, actor, now)
        proposal.consent_note = note
        proposal.save(update_fields=["status", "team", "decided_by", "decided_at", "consent_note"])
        audit(actor=actor, action="talents.squad_approve", community=proposal.community, proposal=proposal.pk,
              team=team.pk, members=len(founders) + 1)
        for user in [proposer, *founders]:
            notify(recipient=user, title=deferred(gettext_lazy("居委已同意成立“%(name)s”"), name=team.name),
                   url=_squad_url(team))
    return team


def squad_decline(*, actor, proposal_id: int, reason: str, now=None) -> bool:
    """Committee staff decline a proposal with a reason the proposer reads; False if declined already."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked_proposal(proposal_id)
        if not policy.can(actor, "talents.squad.approve", proposal.community):
            raise PermissionDenied
        if proposal.status == SquadProposal.Status.DECLINED:
            return False
        if proposal.status != SquadProposal.Status.PROPOSED:
            raise DomainError(gettext_lazy("这份申请已经审核过。"), code="state")
        reason = bounded_text(reason, limit=200, required=gettext_lazy("请写明未同意的原因。"))
        proposal.status, proposal.decline_reason, proposal.decided_by, proposal.decided_at = (
            SquadProposal.Status.DECLINED, reason, actor, now)
        proposal.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        audit(actor=actor, action="talents.squad_decline", community=proposal.community, proposal=proposal.pk)
        notify(recipient=proposal.proposed_by, title=deferred(gettext_lazy("“%(name)s”的成立申请未获同意"),
                                                              name=proposal.name),
               body=deferred(gettext_lazy("原因：%(reason)s"), reason=reason), url=reverse("talents:squad_list"))
    return True


# --- tasks ----------------------------------------------------------------------------------------------

def squad_task_create(*, actor, team: Team, kind: str, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                      place: str, participants=(), need: CommunityNeed | None = None, now=None) -> SquadTask:
    """A backbone plans a task for the squad. A 认领需求 task claims the need for the squad through the core's
    claim service (the need list then names the squad as its giver)."""
    now = now or timezone.now()
    if team.kind != Team.Kind.SQUAD or not policy.can(actor, "talents.squad.manage", team):
        raise PermissionDenied
    if kind not in SquadTask.Kind.values:
        raise DomainError(gettext_lazy("请选择任务类型。"), code="kind")
    if ends_at <= starts_at:
        raise DomainError(gettext_lazy("结束时间要晚于开始时间。"), code="order")
    title = bounded_text(title, limit=100, required=None if need else gettext_lazy("请填写任务名称。")) or (
        need.title if need else "")
    place = bounded_text(place, limit=100, required=gettext_lazy("请填写地点。"))
    people = list(dict.fromkeys(participants))
    strangers = [u for u in people if not is_member(team, u)]
    if strangers:
        raise DomainError(gettext_lazy("参与人只能是本小分队的成员。"), code="stranger")
    with transaction.atomic():
        if kind == SquadTask.Kind.NEED:
            if need is None or need.community_id != team.community_id:
                raise DomainError(gettext_lazy("请选择本社区需求清单中的一项。"), code="need")
            need.refresh_from_db()
            if not (need.team_id == team.pk and need.status != NeedStatus.OPEN):
                need = need_claim(need_id=need.pk, actor=actor, team=team).need
            if need.team_id != team.pk:  # the claim service saw the actor's own claim for another team, or none
                raise DomainError(deferred(gettext_lazy("这项需求已由 %(name)s 认领，请选择其他需求。"),
                                           name=need.giver_name), code="taken")
        else:
            need = None
        task = SquadTask.objects.create(team=team, kind=kind, title=title, need=need, starts_at=starts_at,
                                        ends_at=ends_at, place=place, created_by=actor, created_at=now)
        SquadTaskParticipant.objects.bulk_create([SquadTaskParticipant(task=task, user=u) for u in people])
        audit(actor=actor, action="talents.squad_task_create", community=team.community, team=team.pk,
              task=task.pk, kind=kind, need=need.pk if need else None)
    return task


def _locked_task(task_id: int) -> SquadTask:
    task = (SquadTask.objects.select_for_update(of=("self",)).select_related("team__community")
            .filter(pk=task_id).first())
    if task is None:
        raise DomainError(gettext_lazy("该任务已不存在。"), code="gone")
    return task


def squad_task_complete(*, actor, task_id: int, attended: dict | None = None, now=None) -> bool:
    """A backbone (or staff) marks a task done with each participant's actual start and end
    (``attended``: {user id: (start, end)}; missing: the planned times; (None, None): did not come). The hours of
    every participant but the actor go into the record at once, confirmed by the actor; the actor's own wait for
    another backbone or staff (``squad_hours_confirm``). False if the task was done already."""
    now = now or timezone.now()
    with transaction.atomic():
        task = _locked_task(task_id)
        if not policy.can(actor, "talents.squad.manage", task):
            raise PermissionDenied
        if task.status == SquadTask.Status.DONE:
            return False
        if task.status != SquadTask.Status.PLANNED:
            raise DomainError(gettext_lazy("已取消的任务不能标记完成。"), code="state")
        if task.starts_at > now:
            raise DomainError(gettext_lazy("任务开始后才能标记完成。"), code="early")
        attended = attended or {}
        rows = list(task.participants.select_related("user").select_for_update(of=("self",)))
        for row in rows:
            start, end = attended.get(row.user_id, (task.starts_at, task.ends_at))
            if start is not None and (end is None or end <= start or end > now):
                raise DomainError(deferred(gettext_lazy("%(name)s 的结束时间要晚于开始时间，且不能晚于现在。"),
                                           name=row.user.display_name()), code="times")
            row.started_at, row.ended_at = start, end
            row.save(update_fields=["started_at", "ended_at"])
        task.status, task.completed_by, task.completed_at = SquadTask.Status.DONE, actor, now
        task.save(update_fields=["status", "completed_by", "completed_at"])
        audit(actor=actor, action="talents.squad_task_complete", community=task.team.community, task=task.pk)
        for row in rows:
            if row.started_at is not None and row.user_id != actor.pk:
                _record_squad_hours(participant=row, task=task, confirmed_by=actor, now=now)
    return True


def squad_hours_confirm(*, actor, participant_id: int, now=None) -> bool:
    """A second person (another backbone, or staff) confirms a participant's hours; never the participant."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (SquadTaskParticipant.objects.select_for_update(of=("self",))
               .select_related("task__team__community", "user").filter(pk=participant_id).first())
        if row is None:
            raise DomainError(gettext_lazy("该记录已不存在。"), code="gone")
        if not policy.can(actor, "talents.squad.manage", row):
            raise PermissionDenied
        if row.user_id == actor.pk:
            raise DomainError(gettext_lazy("不能确认自己的服务时长，请由小分队其他骨干或居委工作人员确认。"), code="self")
        if row.hours_recorded_at is not None:
            return False
        if row.task.status != SquadTask.Status.DONE or row.started_at is None:
            raise DomainError(gettext_lazy("任务完成并登记到场时间后才能确认时长。"), code="state")
        _record_squad_hours(participant=row, task=row.task, confirmed_by=actor, now=now)
    return True


def _record_squad_hours(*, participant: SquadTaskParticipant, task: SquadTask, confirmed_by, now) -> None:
    """The one place this app writes volunteer hours: one participant's actual time on one task, organised by the
    squad (a team of the community), into the core record (平台记录)."""
    from communities.models import VolunteerHours
    from communities.services.hours import hours_record  # the core's record (issue 13 item 11)

    if confirmed_by.pk == participant.user_id:  # guarded by the callers too; the record must never say otherwise
        raise DomainError(gettext_lazy("不能确认自己的服务时长，请由小分队其他骨干或居委工作人员确认。"), code="self")
    # The squad (its backbone) or the committee confirms as the organiser (谁组织谁记录); who it was is
    # ``confirmed_by``.
    how = VolunteerHours.How.ORGANISER
    kind = stored(SquadTask.Kind(task.kind).label)
    hours_record(volunteer=participant.user, community=task.team.community, team=task.team,
                 activity=f"{kind}：{task.title}", place=task.place,
                 starts_at=participant.started_at, ends_at=participant.ended_at,
                 scheduled_minutes=int((task.ends_at - task.starts_at).total_seconds() // 60),
                 source_kind=HOURS_SOURCE, source_id=participant.pk, confirmed_by=confirmed_by, confirmed_how=how,
                 now=now)
    participant.hours_recorded_at, participant.hours_confirmed_by = now, confirmed_by
    participant.save(update_fields=["hours_recorded_at", "hours_confirmed_by"])
