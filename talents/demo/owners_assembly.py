"""郡园's demo data for the owners' hub's assembly area (issue 15): the ordinary assembly of March 2025 that adopted
the rules of procedure the third committee put forward (item 1 of Civil Code art. 278 para. 1, passed), a drive of
requests for an extraordinary assembly in progress, and the estate's voting rules with deemed consent off.

The 2025 ballots are history: the demo writes them through the core's ballot writer (``record_ballot``, what an
online ballot and a confirmed paper ballot both end in), for about four in five of the roll, under the election's
lock, so the tally is the core's own."""
import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from communities.models import Community, ElectionVoter, Membership, MotionVote, Residency, Role
from communities.services import elections as core

from ..models import AssemblyRequest, OwnersAssembly
from ..services import owners_assembly as svc

SH = ZoneInfo("Asia/Shanghai")
TITLE = "郡园业主大会2025年定期会议"
MOTION = "审议通过《郡园业主大会议事规则》（第三届业主委员会提交）"
REQUEST_MATTERS = ["讨论是否续聘现物业服务企业", "讨论地下车库照明改造", "讨论是否续聘现物业服务企业"]


def _staff(community):
    m = Membership.objects.filter(community=community, role=Role.COMMITTEE_STAFF).select_related("user") \
        .order_by("user__username").first()
    return m.user if m else None


def _march_assembly(community, staff) -> OwnersAssembly:
    existing = OwnersAssembly.objects.filter(community=community, election__title=TITLE).first()
    if existing is not None:
        return existing
    opens, closes = dt.datetime(2025, 3, 1, 9, tzinfo=SH), dt.datetime(2025, 3, 15, 18, tzinfo=SH)
    assembly = svc.owners_assembly_create(
        actor=staff, community=community, kind=OwnersAssembly.Kind.REGULAR, title=TITLE, motions=[(MOTION, 1)],
        description="第三届业主委员会提请业主大会审议议事规则：会议召集、表决方式、书面征求意见的送达与公告。",
        opens_at=opens, closes_at=closes, place="郡园会所二楼会议室（书面征求意见与现场投票结合）",
        notice_sent_on=dt.date(2025, 2, 14), notice_housing_office=True, notice_residents_committee=True)
    OwnersAssembly.objects.filter(pk=assembly.pk).update(created_at=dt.datetime(2025, 2, 14, 10, tzinfo=SH))
    svc.assembly_open(actor=staff, assembly=assembly, now=opens)
    election = assembly.election
    motion = election.motions.get()
    rng = random.Random(202503)
    with transaction.atomic():
        election = core.lock_election(election)
        for voter in ElectionVoter.objects.filter(election=election, counted=True).order_by("id"):
            if rng.random() < 0.79:
                choice = MotionVote.Choice.FOR if rng.random() < 0.88 else rng.choice(
                    [MotionVote.Choice.AGAINST, MotionVote.Choice.ABSTAIN])
                core.record_ballot(election=election, voter=voter, picked=[], motions=[(motion, choice)])
    core.election_close(election=election, actor=staff, now=closes)
    core.election_publish(election=election, actor=staff, now=dt.datetime(2025, 3, 17, 10, tzinfo=SH))
    return assembly


def _requests(community, now) -> int:
    """Owners with a login ask for an extraordinary assembly (a drive in progress: far from 20 %)."""
    owners = (Residency.objects.filter(unit__building__community=community, relation=Residency.Relation.OWNER,
                                       moved_out__isnull=True, person__user__isnull=False)
              .select_related("person__user").order_by("person_id"))
    users = []
    for row in owners:
        if row.person.user not in users:
            users.append(row.person.user)
    for i, user in enumerate(users[:len(REQUEST_MATTERS)]):
        svc.assembly_request_add(actor=user, community=community, matter=REQUEST_MATTERS[i],
                                 now=now - dt.timedelta(days=6 - 2 * i))
    return AssemblyRequest.objects.filter(community=community, answered_by=None).count()


def demo_owners_assembly_seed(now=None) -> dict:
    community = Community.objects.filter(slug="junyuan").first()
    if community is None:
        return {}
    staff = _staff(community)
    if staff is None:
        return {}
    from django.utils import timezone

    now = now or timezone.now()
    svc.voting_rules_set(actor=staff, community=community, deemed_consent=False, clause="", now=now)
    assembly = _march_assembly(community, staff)
    tally = OwnersAssembly.objects.select_related("election").get(pk=assembly.pk).election.tally
    return {"assembly": assembly.pk, "voted": tally.get("voted"), "eligible": tally.get("eligible"),
            "passed": bool(tally.get("motions") and tally["motions"][0]["passed"]),
            "requests": _requests(community, now)}
