"""Demo data for governance squads (治理小分队) in 郡园: the core demo's 达人治理小分队 (``talent`` its backbone) gains
two mothers as members; a second squad, 楼道巡查小分队, is proposed by ``talent`` and founded on the committee's
consent (``staff_junyuan``); 郡园's needs list gets two needs (posted through the core service), each claimed by
one squad; the patrol squad has a completed patrol whose members' hours are in the core record, confirmed by a
second person. Through the real services; idempotent (found by name or title, left alone when there)."""
import datetime as dt

from django.utils import timezone

from communities import viewer
from communities.models import Community, CommunityNeed, Team, User
from communities.services.needs import need_post
from communities.services.teams import team_member_join

from ..models import SquadProposal, SquadTask
from ..services.squads import squad_approve, squad_hours_confirm, squad_propose, squad_task_complete, squad_task_create

TALENTS_SQUAD = "达人治理小分队"
PATROL_SQUAD = "楼道巡查小分队"
NEEDS = (("儿童阅读角书架", "2 个", "党群服务中心书香工作室的绘本越来越多，需要两个矮书架。", TALENTS_SQUAD),
         ("小区健身器材检修", "3 处", "中心花园的三处健身器材螺丝松动，需要检查加固。", PATROL_SQUAD))


def _users(*names):
    found = User.objects.in_bulk(names, field_name="username")
    return [found[n] for n in names if n in found]


def _need(community, staff, title, quantity, description) -> CommunityNeed:
    return (CommunityNeed.objects.filter(community=community, title=title).first()
            or need_post(actor=staff, community=community, title=title, quantity=quantity, description=description))


def _patrol_squad(community, talent, staff, now) -> Team:
    proposal = SquadProposal.objects.filter(community=community, name=PATROL_SQUAD).first()
    if proposal is None:
        proposal = squad_propose(actor=talent, community=community, name=PATROL_SQUAD,
                                 purpose="每周巡查楼道堆物、消防通道和电动车飞线充电，发现问题随手拍上报。",
                                 members=_users("mum3", "mum4"), now=now - dt.timedelta(days=10))
    if proposal.team is None:
        return squad_approve(actor=staff, proposal_id=proposal.pk, consent_note="居委会 党群联席会议同意成立",
                             now=now - dt.timedelta(days=8))
    return proposal.team


def demo_squads_seed(now=None) -> dict:
    now = now or timezone.now()
    community = Community.objects.filter(slug="junyuan").first()
    talent, staff = (User.objects.filter(username=u).first() for u in ("talent", "staff_junyuan"))
    squad = Team.objects.filter(community=community, name=TALENTS_SQUAD, kind=Team.Kind.SQUAD).first()
    if community is None or talent is None or staff is None or squad is None:
        return {}
    for mum in _users("mum1", "mum2"):
        team_member_join(team=squad, user=mum, invited_by=talent)
    squads = {TALENTS_SQUAD: squad, PATROL_SQUAD: _patrol_squad(community, talent, staff, now)}
    viewer.forget(talent)  # their teams just changed: the policy asks again
    tasks = 0
    start = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    for title, quantity, description, owner in NEEDS:
        need = _need(community, staff, title, quantity, description)
        team = squads[owner]
        if not SquadTask.objects.filter(team=team, need=need).exists():
            squad_task_create(actor=talent, team=team, kind=SquadTask.Kind.NEED, title="", need=need,
                              starts_at=start, ends_at=start + dt.timedelta(hours=2), place="党群服务中心",
                              participants=[talent], now=now)
            tasks += 1
    patrol_team = squads[PATROL_SQUAD]
    # The completed patrol's hours go into the core record (communities.services.hours, issue 13 item 11).
    if not SquadTask.objects.filter(team=patrol_team, kind=SquadTask.Kind.PATROL).exists():
        evening = timezone.localtime(now).replace(hour=19, minute=0, second=0, microsecond=0) - dt.timedelta(days=2)
        patrol = squad_task_create(actor=talent, team=patrol_team, kind=SquadTask.Kind.PATROL, title="楼道堆物和消防通道巡查",
                                   place="1–12号楼", starts_at=evening, ends_at=evening + dt.timedelta(minutes=90),
                                   participants=[talent, *_users("mum3", "mum4")], now=evening - dt.timedelta(days=1))
        done_at = evening + dt.timedelta(hours=2)
        squad_task_complete(actor=talent, task_id=patrol.pk, now=done_at)
        # The backbone's own time is confirmed by committee staff: never by the participant themself.
        own = patrol.participants.get(user=talent)
        squad_hours_confirm(actor=staff, participant_id=own.pk, now=done_at + dt.timedelta(hours=12))
        tasks += 1
    return {"squads": len(squads), "tasks": tasks}
