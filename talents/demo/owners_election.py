"""郡园's demo data for the owners' hub's election area (issue 15): the 2024–2025 re-election that elected the
第三届 owners' committee, through the real services with ``now=`` in the past.

The group was formed on 2024-09-20 (7 members: 4 owners, 1 居委会, 1 街镇, 1 建设单位); every step was on time
except the old committee's handover of records and seals (due 2024-09-30, done 2024-11-18: why the fund froze);
seven owners applied — the five who now sit on the 第三届 committee (the committee area's demo logins
``jy_director`` …, when it ran first) and two more —, one was refused for property-fee arrears, six stood for five
seats and the committee's five were elected; the vote ran
2025-01-10 to 2025-01-17 on the core engine (paper ballots typed by one staff member and confirmed by a second,
about three quarters of the owners; a few online); the result was posted on 2025-01-18, the day the 第三届
took office. The committee area's
demo (run before this one) creates the 第三届 ``CommitteeTerm``: it is linked, not created again.
Idempotent-ish: an existing election of the 第三届 is left alone."""
import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from communities.models import Community, ElectionVoter, Membership, Person, Residency, Role, User
from communities.services import elections as core
from communities.services.paper_ballots import paper_ballot_confirm, paper_ballot_enter

from ..models import CandidateCheck, CommitteeElection, CommitteeTerm, ElectionStep, PreparatoryMember
from ..services import owners_election as svc

TZ = ZoneInfo("Asia/Shanghai")
D = dt.date
GROUP = (("陈建华", PreparatoryMember.Side.OWNER, PreparatoryMember.Role.LEADER),
         ("刘美玲", PreparatoryMember.Side.OWNER, PreparatoryMember.Role.MEMBER),
         ("王志强", PreparatoryMember.Side.OWNER, PreparatoryMember.Role.MEMBER),
         ("赵雪梅", PreparatoryMember.Side.OWNER, PreparatoryMember.Role.MEMBER),
         ("李倩", PreparatoryMember.Side.RESIDENTS_COMMITTEE, PreparatoryMember.Role.MEMBER),
         ("孙立军", PreparatoryMember.Side.TOWN, PreparatoryMember.Role.MEMBER),
         ("周海涛", PreparatoryMember.Side.DEVELOPER, PreparatoryMember.Role.MEMBER))
CANDIDATES = 7  # one is refused for arrears: six stand for five seats
SEATS = 5
# The 第三届's members as the committee area's demo seeds them: they stand first, and are elected.
COMMITTEE = ("jy_director", "jy_deputy", "jy_member1", "jy_member2", "jy_member3")
PAPER_SHARE = 0.74  # of the counted owners, heaviest first: over two thirds of heads and of area


def _at(day: dt.date, hour=10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _second_staff(community) -> User:
    """The second staff member who confirms paper ballots: the register area's demo login ``staff_junyuan2`` (made
    here when that seeder did not run, e.g. in a test that seeds this area alone)."""
    user, created = User.objects.get_or_create(username="staff_junyuan2")
    if created:  # a demo login like the core's, with the demo password
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        Person.objects.get_or_create(user=user, defaults={"name": "赵敏"})
    Membership.objects.get_or_create(user=user, community=community, role=Role.COMMITTEE_STAFF)
    return user


def _candidate_users(community) -> list[User]:
    """The committee's members who own a unit here (the committee area's demo), then other owners of the estate
    with a login (logins made for owners who had none), up to ``CANDIDATES``."""
    owned = (Residency.objects.filter(unit__building__community=community, relation=Residency.Relation.OWNER,
                                      moved_out__isnull=True).select_related("person__user").order_by("unit_id"))
    members = {row.person.user.username: row for row in owned.filter(person__user__username__in=COMMITTEE)}
    rows = [members[name] for name in COMMITTEE if name in members]
    rows += [row for row in owned.exclude(person__user__username__in=COMMITTEE)[:200]]
    users, seen = [], set()
    for row in rows:
        if row.person_id in seen or len(users) == CANDIDATES:
            continue
        seen.add(row.person_id)
        user = row.person.user
        if user is None:
            user, _ = User.objects.get_or_create(username=f"jy_candidate{len(users) + 1}")
            user.set_unusable_password()
            user.save(update_fields=["password"])
            row.person.user = user
            row.person.save(update_fields=["user"])
        Membership.objects.get_or_create(user=user, community=community, role=Role.RESIDENT)
        users.append(user)
    return users


def _prepare(community, staff) -> CommitteeElection:
    election = svc.committee_election_create(actor=staff, community=community, term_number=3,
                                             triggered_on=D(2024, 8, 1), seats=SEATS, assembly_on=D(2025, 1, 10))
    for name, side, role in GROUP:
        svc.group_member_add(actor=staff, election=election, name=name, side=side, role=role)
    svc.group_form(actor=staff, election=election, formed_on=D(2024, 9, 20), now=_at(D(2024, 9, 20)))
    # Due 2024-09-30 (art. 29): the old committee handed over late; the fund stayed frozen meanwhile.
    svc.step_record(actor=staff, election=election, kind=ElectionStep.Kind.HANDOVER, done_on=D(2024, 11, 18),
                    note="原业委会逾期移交资料和印章，期间维修资金冻结", now=_at(D(2024, 11, 18)))
    svc.step_record(actor=staff, election=election, kind=ElectionStep.Kind.ROSTER, done_on=D(2024, 12, 20),
                    note="业主名册在各楼栋公告栏和业主之家公示（姓名脱敏）", now=_at(D(2024, 12, 20)))
    return election


def _candidates(election, staff, users) -> None:
    svc.vote_create(actor=staff, election=election, opens_at=_at(D(2025, 1, 10), 9),
                    closes_at=_at(D(2025, 1, 17), 18))
    election.refresh_from_db()
    for i, user in enumerate(users):
        check = svc.candidate_nominate(actor=staff, election=election, user=user,
                                       statement="愿意为业主服务，公开透明、依法履职。")
        refused = i == len(users) - 1
        svc.candidate_check_record(
            actor=staff, check=check, checked_on=D(2024, 12, 16), pledge_signed_on=D(2024, 12, 10 + i % 5),
            result=CandidateCheck.Result.FAILED if refused else CandidateCheck.Result.PASSED,
            reason=CandidateCheck.Reason.FEE_ARREARS if refused else "",
            source="物业公司欠费清单（2024-12-15）、维修资金分户账、城管执法记录", now=_at(D(2024, 12, 16)))
    svc.candidate_list_publish(actor=staff, election=election, on=D(2024, 12, 24), now=_at(D(2024, 12, 24)))


def _vote(election, staff, staff2, users) -> int:
    vote = election.assembly.election
    opens = _at(D(2025, 1, 10), 9)
    core.election_open(election=vote, actor=staff, now=opens)
    post = vote.posts.get()
    candidates = list(vote.candidates.order_by("pk").values_list("pk", flat=True))

    def picks(i):  # five of six; the sixth candidate gets about three in ten, so the first five are elected
        skip = 5 if i % 10 < 7 else (4 if i % 10 < 9 else 3)
        return {str(post.pk): [str(c) for n, c in enumerate(candidates) if n != skip]}

    online = 0
    for i, user in enumerate(users[:-1]):  # the candidates vote online
        core.ballot_cast(election=vote, actor=user, choices=picks(i), now=opens + dt.timedelta(hours=1 + i))
        online += 1
    roll = list(ElectionVoter.objects.filter(election=vote, counted=True, has_voted=False).order_by("-weight", "pk"))
    share = int(len(roll) * PAPER_SHARE)
    for i, voter in enumerate(roll[:share]):
        day = opens + dt.timedelta(days=i % 7, hours=1)
        paper = paper_ballot_enter(actor=staff, election=vote, voter_id=voter.pk, choices=picks(i + 3), now=day)
        paper_ballot_confirm(actor=staff2, paper_id=paper.pk, now=day + dt.timedelta(hours=2))
    core.election_close(election=vote, actor=staff, now=_at(D(2025, 1, 17), 18))
    return online + share


def demo_owners_election_seed(now=None) -> dict:
    community = Community.objects.filter(slug="junyuan").first()
    staff = User.objects.filter(username="staff_junyuan").first()
    if community is None or staff is None:
        return {}
    election = CommitteeElection.objects.filter(community=community, term_number=3).first()
    if election is not None:
        return {"committee_elections": 1}
    users = _candidate_users(community)
    if len(users) < CANDIDATES:
        return {}
    staff2 = _second_staff(community)
    election = _prepare(community, staff)
    _candidates(election, staff, users)
    ballots = _vote(election, staff, staff2, users)
    election.refresh_from_db()
    svc.result_publish(actor=staff, election=election, on=D(2025, 1, 18), now=_at(D(2025, 1, 18)))
    svc.step_record(actor=staff, election=election, kind=ElectionStep.Kind.FILING, done_on=D(2025, 2, 10),
                    note="向罗店镇人民政府备案，领取备案证明和印章刻制证明", now=_at(D(2025, 2, 10)))
    term = CommitteeTerm.objects.filter(community=community, number=3).first()
    if term is not None:  # the committee area's 第三届: linked, not created a second time
        CommitteeElection.objects.filter(pk=election.pk).update(term=term, status=CommitteeElection.Status.DONE)
        if term.elected_by_id is None and election.assembly_id:
            CommitteeTerm.objects.filter(pk=term.pk).update(elected_by=election.assembly_id)
    return {"committee_elections": 1, "ballots": ballots, "term_linked": int(term is not None)}
