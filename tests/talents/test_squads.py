"""Governance squads (治理小分队): a talent proposes, committee staff consent (the squad becomes a core Team with its
proposer as backbone and the founders as members invited by the proposer) or decline with a reason; a backbone
plans tasks — claiming a need through the core claim service, patrols — and completes them; each participant's
hours are confirmed by a second person, never by the participant themself.

The core hours record (communities.services.hours) is stood in for by a recorder here; the real one is exercised in
test_services_integration.py."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from communities import policy, viewer
from communities.models import Backbone, CommunityNeed, NeedStatus, Role, Team, TeamMember, VolunteerHours
from communities.services.errors import DomainError
from communities.services.needs import need_post
from talents.models import SquadProposal, SquadTask, SquadTaskParticipant
from talents.services.squads import (
    squad_approve, squad_decline, squad_hours_confirm, squad_propose, squad_task_complete, squad_task_create,
)

from ..factories import make_member
from .services_world import NOW, SHANGHAI, junyuan, people

HOUR = dt.timedelta(hours=1)
SATURDAY_9 = dt.datetime(2026, 3, 7, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def hours_recorded(monkeypatch):
    """What reached the core hours record: one dict of keyword arguments per call."""
    from communities.services import hours as core_hours

    calls, real = [], core_hours.hours_record

    def recording(**kwargs):  # the real record, watched
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(core_hours, "hours_record", recording)
    return calls


@pytest.fixture
def world(db):
    community = junyuan()
    return {"community": community,
            "talent": make_member(community, Role.TALENT, username="talent_jy", name="达人老周"),
            "staff": make_member(community, Role.COMMITTEE_STAFF, username="staff_jy", name="居委小李"),
            "residents": people(community, 3)}


@pytest.fixture
def squad(world):
    proposal = squad_propose(actor=world["talent"], community=world["community"], name="楼道巡查小分队",
                             purpose="每周巡查楼道堆物和消防通道", members=world["residents"][:2], now=NOW)
    team = squad_approve(actor=world["staff"], proposal_id=proposal.pk, consent_note="居委会 2026-03-02 会议同意",
                         now=NOW)
    for user in (world["talent"], *world["residents"]):
        viewer.forget(user)  # a new request would load their teams afresh
    return team


def test_approval_founds_a_core_team_with_the_proposer_as_backbone_and_invited_members(world, squad):
    talent, (first, second, _third) = world["talent"], world["residents"]
    assert squad.kind == Team.Kind.SQUAD and squad.community == world["community"]
    backbone = Backbone.objects.get(team=squad)
    assert (backbone.user, backbone.office, backbone.appointed_by) == (talent, Backbone.Office.BACKBONE, world["staff"])
    invited = dict(TeamMember.objects.filter(team=squad).values_list("user_id", "invited_by_id"))
    assert invited == {talent.pk: None, first.pk: talent.pk, second.pk: talent.pk}
    proposal = SquadProposal.objects.get(team=squad)
    assert (proposal.status, proposal.decided_by, proposal.consent_note) == (
        SquadProposal.Status.APPROVED, world["staff"], "居委会 2026-03-02 会议同意")
    # A double click founds nothing twice.
    assert squad_approve(actor=world["staff"], proposal_id=proposal.pk, consent_note="again", now=NOW) == squad
    assert Team.objects.filter(kind=Team.Kind.SQUAD).count() == 1


def test_consent_needs_its_grounds_and_only_staff_give_it(world):
    proposal = squad_propose(actor=world["talent"], community=world["community"], name="护绿小分队",
                             purpose="照看小区绿地", now=NOW)
    with pytest.raises(DomainError, match="同意的依据"):
        squad_approve(actor=world["staff"], proposal_id=proposal.pk, consent_note=" ", now=NOW)
    with pytest.raises(PermissionDenied):
        squad_approve(actor=world["talent"], proposal_id=proposal.pk, consent_note="自己同意", now=NOW)
    proposal.refresh_from_db()
    assert proposal.status == SquadProposal.Status.PROPOSED and not Team.objects.filter(name="护绿小分队").exists()


def test_a_declined_proposal_keeps_its_reason_and_tells_the_proposer(world):
    proposal = squad_propose(actor=world["talent"], community=world["community"], name="夜跑小分队",
                             purpose="夜跑", now=NOW)
    with pytest.raises(DomainError, match="原因"):
        squad_decline(actor=world["staff"], proposal_id=proposal.pk, reason="", now=NOW)
    assert squad_decline(actor=world["staff"], proposal_id=proposal.pk, reason="与已有团队重复", now=NOW)
    assert not squad_decline(actor=world["staff"], proposal_id=proposal.pk, reason="again", now=NOW)
    with pytest.raises(DomainError, match="已经审核过"):
        squad_approve(actor=world["staff"], proposal_id=proposal.pk, consent_note="改主意", now=NOW)
    proposal.refresh_from_db()
    assert proposal.decline_reason == "与已有团队重复"
    assert world["talent"].notifications.filter(title__contains="未获同意").count() == 1


def test_only_talents_propose_and_founders_must_live_here(world, other_community):
    with pytest.raises(PermissionDenied):
        squad_propose(actor=world["residents"][0], community=world["community"], name="x", purpose="y", now=NOW)
    stranger = make_member(other_community, Role.RESIDENT, username="stranger")
    with pytest.raises(DomainError, match="本社区"):
        squad_propose(actor=world["talent"], community=world["community"], name="x", purpose="y",
                      members=[stranger], now=NOW)
    assert not SquadProposal.objects.exists()


def test_claiming_a_need_goes_through_the_core_claim_service(world, squad):
    need = need_post(actor=world["staff"], community=world["community"], title="单元门口扶手 4 处")
    member = world["residents"][0]
    assert policy.can(member, "need.claim", need)  # squad members may claim the community's needs
    assert not policy.can(world["residents"][2], "need.claim", need)  # not in a squad
    task = squad_task_create(actor=world["talent"], team=squad, kind=SquadTask.Kind.NEED, title="", need=need,
                             starts_at=SATURDAY_9, ends_at=SATURDAY_9 + 2 * HOUR, place="3号楼", now=NOW)
    need.refresh_from_db()
    assert (need.status, need.team, need.claimed_by) == (NeedStatus.CLAIMED, squad, world["talent"])
    assert task.title == "单元门口扶手 4 处" and need.events.filter(action="claim").count() == 1
    other = squad_propose(actor=world["talent"], community=world["community"], name="第二小分队", purpose="p", now=NOW)
    second = squad_approve(actor=world["staff"], proposal_id=other.pk, consent_note="同意", now=NOW)
    viewer.forget(world["talent"])
    with pytest.raises(DomainError, match="已由"):
        squad_task_create(actor=world["talent"], team=second, kind=SquadTask.Kind.NEED, title="", need=need,
                          starts_at=SATURDAY_9, ends_at=SATURDAY_9 + HOUR, place="3号楼", now=NOW)


def test_only_backbones_and_staff_plan_tasks_with_members_only(world, squad):
    member, _second, outsider_resident = world["residents"]
    with pytest.raises(PermissionDenied):
        squad_task_create(actor=member, team=squad, kind=SquadTask.Kind.PATROL, title="巡查", place="1号楼",
                          starts_at=SATURDAY_9, ends_at=SATURDAY_9 + HOUR, now=NOW)
    with pytest.raises(DomainError, match="本小分队的成员"):
        squad_task_create(actor=world["talent"], team=squad, kind=SquadTask.Kind.PATROL, title="巡查", place="1号楼",
                          starts_at=SATURDAY_9, ends_at=SATURDAY_9 + HOUR, participants=[outsider_resident], now=NOW)
    assert squad_task_create(actor=world["staff"], team=squad, kind=SquadTask.Kind.EVENT, title="垃圾分类宣传",
                             place="中心广场", starts_at=SATURDAY_9, ends_at=SATURDAY_9 + HOUR, now=NOW)


def patrol(world, squad, people_):
    return squad_task_create(actor=world["talent"], team=squad, kind=SquadTask.Kind.PATROL, title="楼道堆物巡查",
                             place="1–6号楼", starts_at=SATURDAY_9, ends_at=SATURDAY_9 + 2 * HOUR,
                             participants=people_, now=NOW)


def test_completing_a_task_records_the_others_hours_confirmed_by_the_backbone(world, squad, hours_recorded):
    talent, (first, second, _x) = world["talent"], world["residents"]
    task = patrol(world, squad, [talent, first, second])
    with pytest.raises(DomainError, match="开始后"):
        squad_task_complete(actor=talent, task_id=task.pk, now=SATURDAY_9 - HOUR)
    done_at = SATURDAY_9 + 3 * HOUR
    attended = {first.pk: (SATURDAY_9 + dt.timedelta(minutes=10), SATURDAY_9 + 2 * HOUR), second.pk: (None, None)}
    assert squad_task_complete(actor=talent, task_id=task.pk, attended=attended, now=done_at)
    assert not squad_task_complete(actor=talent, task_id=task.pk, now=done_at)  # double click
    assert len(hours_recorded) == 1
    call = hours_recorded[0]
    assert (call["volunteer"], call["team"], call["community"], call["confirmed_by"]) == (
        first, squad, world["community"], talent)
    assert call["starts_at"] == SATURDAY_9 + dt.timedelta(minutes=10) and call["scheduled_minutes"] == 120
    assert call["activity"] == "巡查：楼道堆物巡查" and call["source_kind"] == "talents.squad_task"
    # The backbone's own time waits for a second person.
    own = SquadTaskParticipant.objects.get(task=task, user=talent)
    assert own.hours_recorded_at is None and own.minutes == 120


def test_a_participant_cannot_confirm_their_own_hours(world, squad, hours_recorded):
    talent = world["talent"]
    task = patrol(world, squad, [talent])
    squad_task_complete(actor=talent, task_id=task.pk, now=SATURDAY_9 + 3 * HOUR)
    own = SquadTaskParticipant.objects.get(task=task, user=talent)
    with pytest.raises(DomainError, match="不能确认自己"):
        squad_hours_confirm(actor=talent, participant_id=own.pk, now=SATURDAY_9 + 4 * HOUR)
    with pytest.raises(PermissionDenied):  # a plain member confirms nobody's hours
        squad_hours_confirm(actor=world["residents"][0], participant_id=own.pk, now=SATURDAY_9 + 4 * HOUR)
    assert hours_recorded == []
    assert squad_hours_confirm(actor=world["staff"], participant_id=own.pk, now=SATURDAY_9 + 4 * HOUR)
    assert not squad_hours_confirm(actor=world["staff"], participant_id=own.pk, now=SATURDAY_9 + 5 * HOUR)
    assert [c["confirmed_by"] for c in hours_recorded] == [world["staff"]]
    assert hours_recorded[0]["confirmed_how"] == VolunteerHours.How.ORGANISER  # the committee, as organiser


def test_squad_rules_per_role(world, squad, other_community):
    member, _second, non_member = world["residents"]
    task = patrol(world, squad, [member])
    assert policy.can(member, "talents.squad.view", squad) and not policy.can(member, "talents.squad.manage", squad)
    assert not policy.can(non_member, "talents.squad.view", squad)
    assert policy.can(world["talent"], "talents.squad.manage", task)
    assert policy.can(world["staff"], "talents.squad.manage", squad)
    assert policy.can(world["staff"], "talents.squad.approve", world["community"])
    assert not policy.can(world["talent"], "talents.squad.approve", world["community"])
    assert policy.can(world["talent"], "talents.squad.propose", world["community"])
    outsider = make_member(other_community, Role.COMMITTEE_STAFF, username="staff_other")
    assert not policy.can(outsider, "talents.squad.view", squad)
    assert not policy.can(outsider, "talents.squad.manage", squad)
    assert list(policy.scope(non_member, "talents.squad.view", Team.objects.all())) == []
    assert list(policy.scope(member, "talents.squad.view", Team.objects.all())) == [squad]
