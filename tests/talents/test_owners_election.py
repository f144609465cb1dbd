"""The election of a new owners' committee (issue 15 item 3): the group's rules, the statutory deadlines on
hand-computed dates, the candidates' checks, the vote on the core engine, the result and the new term."""
import datetime as dt

import pytest

from communities.models import Backbone, Election
from communities.services import elections as core
from communities.services.errors import DomainError
from talents.models import CandidateCheck, CommitteeElection, ElectionStep, OwnersAssembly, PreparatoryMember
from talents.selectors.owners_election import step_deadline, timeline
from talents.services import owners_election as svc

from .owners_world import NOW, SHANGHAI, at, community, estate, other_estate, outsider, owners, staff, staff2, tenant  # noqa: F401

pytestmark = pytest.mark.django_db
K = ElectionStep.Kind
S = PreparatoryMember.Side
D = dt.date


def _election(estate, staff, **kw):
    kw = {"term_number": 3, "triggered_on": D(2026, 1, 5), "seats": 3, "assembly_on": D(2026, 3, 1), **kw}
    return svc.committee_election_create(actor=staff, community=estate.community, **kw)


def _group(election, staff, sides):
    for i, side in enumerate(sides):
        svc.group_member_add(actor=staff, election=election, name=f"成员{i}", side=side,
                             role=PreparatoryMember.Role.LEADER if i == 0 else PreparatoryMember.Role.MEMBER)


def test_the_election_is_created_with_its_eight_steps_and_odd_seats(estate, staff):
    election = _election(estate, staff)
    assert list(election.steps.values_list("kind", flat=True)) == list(K.values)
    with pytest.raises(DomainError) as exc:  # 1,100 m² ≤ 10,000 m²: 3 allowed, 4 not (even)
        _election(estate, staff, term_number=4, seats=4)
    assert exc.value.code == "seats" and "单数" in exc.value.message
    with pytest.raises(DomainError) as exc:  # a double submission writes nothing more
        _election(estate, staff)
    assert exc.value.code == "duplicate"
    assert CommitteeElection.objects.count() == 1


@pytest.mark.parametrize("sides,code", [
    ([S.OWNER, S.OWNER, S.RESIDENTS_COMMITTEE, S.TOWN], "odd"),  # an even number
    ([S.OWNER, S.RESIDENTS_COMMITTEE, S.TOWN, S.DEVELOPER, S.OWNER], "owners"),  # 2 owners of 5: fewer than half
    ([], "odd"),
])
def test_a_group_breaking_a_rule_is_refused_naming_it(estate, staff, sides, code):
    election = _election(estate, staff)
    _group(election, staff, sides)
    with pytest.raises(DomainError) as exc:
        svc.group_form(actor=staff, election=election, formed_on=D(2026, 2, 1), now=NOW)
    assert exc.value.code == code
    assert "《上海市住宅物业管理规定》" in exc.value.message
    election.refresh_from_db()
    assert election.group_formed_on is None
    assert election.steps.get(kind=K.GROUP).done_on is None


def test_a_group_formed_after_60_days_is_refused(estate, staff):
    election = _election(estate, staff)  # triggered 2026-01-05: the 60th day is 2026-03-06
    _group(election, staff, [S.OWNER, S.OWNER, S.TOWN])
    with pytest.raises(DomainError) as exc:
        svc.group_form(actor=staff, election=election, formed_on=D(2026, 3, 7), now=NOW)
    assert exc.value.code == "60days" and "2026-03-06" in exc.value.message
    assert svc.group_form(actor=staff, election=election, formed_on=D(2026, 3, 6), now=NOW) is True
    assert svc.group_form(actor=staff, election=election, formed_on=D(2026, 3, 6), now=NOW) is False  # repeated
    with pytest.raises(DomainError):  # the group is fixed once formed
        svc.group_member_add(actor=staff, election=election, name="迟到", side=S.OWNER)


def test_the_deadlines_on_hand_computed_dates(estate, staff):
    election = _election(estate, staff)
    _group(election, staff, [S.OWNER, S.OWNER, S.OWNER, S.OWNER, S.RESIDENTS_COMMITTEE, S.TOWN, S.DEVELOPER])
    svc.group_form(actor=staff, election=election, formed_on=D(2026, 1, 20), now=NOW)
    election.refresh_from_db()
    assert step_deadline(election, K.GROUP) == D(2026, 3, 6)  # 2026-01-05 + 60 days
    assert step_deadline(election, K.HANDOVER) == D(2026, 1, 30)  # formed 01-20 + 10 days
    # "At least 15 days before": publication + 15 ≤ assembly 2026-03-01, so the last day is 2026-02-14.
    assert step_deadline(election, K.ROSTER) == step_deadline(election, K.CANDIDATES) == D(2026, 2, 14)
    assert step_deadline(election, K.ASSEMBLY) == D(2026, 3, 1)
    assert step_deadline(election, K.RESULT) is None  # no vote closed yet
    rows = {r.kind: r for r in timeline(election=election, today=D(2026, 2, 15))}
    assert rows[K.GROUP].done_on == D(2026, 1, 20) and not rows[K.GROUP].late
    assert rows[K.HANDOVER].late and rows[K.HANDOVER].days_late == 16
    assert rows[K.CANDIDATES].late and rows[K.ROSTER].late
    assert not rows[K.ASSEMBLY].late
    rows = {r.kind: r for r in timeline(election=election, today=D(2026, 2, 14))}
    assert not rows[K.CANDIDATES].late  # the last day itself is on time
    svc.step_record(actor=staff, election=election, kind=K.HANDOVER, done_on=D(2026, 2, 3), note="移交房管办", now=NOW)
    rows = {r.kind: r for r in timeline(election=election, today=D(2026, 2, 15))}
    assert not rows[K.HANDOVER].late and rows[K.HANDOVER].done_late and rows[K.HANDOVER].days_late == 4


def test_steps_done_by_a_service_cannot_be_recorded_by_hand_nor_in_the_future(estate, staff):
    election = _election(estate, staff)
    with pytest.raises(DomainError) as exc:
        svc.step_record(actor=staff, election=election, kind=K.RESULT, done_on=D(2026, 3, 1), now=NOW)
    assert exc.value.code == "kind"
    with pytest.raises(DomainError) as exc:
        svc.step_record(actor=staff, election=election, kind=K.ROSTER, done_on=D(2026, 3, 11), now=NOW)
    assert exc.value.code == "future"


def test_only_staff_of_the_estate_manage(estate, owners, tenant, other_estate, staff):
    from tests.factories import make_member
    from communities.models import Role

    other_staff = make_member(other_estate.community, Role.COMMITTEE_STAFF, username="other_staff", name="外居委")
    for actor in (owners["a"], tenant, other_staff):
        with pytest.raises(DomainError) as exc:
            _election(estate, actor)
        assert exc.value.code == "forbidden"
    election = _election(estate, staff)
    with pytest.raises(DomainError):
        svc.group_member_add(actor=owners["a"], election=election, name="x", side=S.OWNER)


# --- a whole election on the test estate (3 seats: 1,100 m²) ---------------------------------------------------

@pytest.fixture
def prepared(estate, owners, staff):
    """Triggered 2026-01-05, group formed 01-20, assembly 2026-03-01 (vote 03-01 09:00 to 03-05 18:00)."""
    election = _election(estate, staff)
    _group(election, staff, [S.OWNER, S.OWNER, S.TOWN])
    svc.group_form(actor=staff, election=election, formed_on=D(2026, 1, 20), now=NOW)
    svc.vote_create(actor=staff, election=election, opens_at=dt.datetime(2026, 3, 1, 9, tzinfo=SHANGHAI),
                    closes_at=dt.datetime(2026, 3, 5, 18, tzinfo=SHANGHAI))
    election.refresh_from_db()
    return election


def _check(staff, check, result="passed", reason=""):
    return svc.candidate_check_record(actor=staff, check=check, checked_on=D(2026, 2, 1), result=result,
                                      reason=reason, source="物业费欠费清单（2026-01-31）",
                                      pledge_signed_on=D(2026, 1, 28), now=NOW)


def test_candidates_are_owners_and_one_in_arrears_is_excluded(prepared, owners, tenant, staff):
    election = prepared
    assert election.assembly.kind == OwnersAssembly.Kind.COMMITTEE_ELECTION
    assert list(election.assembly.election.posts.values_list("name", "seats")) == [("委员", 3)]
    with pytest.raises(DomainError) as exc:
        svc.candidate_nominate(actor=staff, election=election, user=tenant)
    assert exc.value.code == "not_owner"
    checks = [svc.candidate_nominate(actor=staff, election=election, user=owners[k]) for k in "abdh"]
    assert svc.candidate_nominate(actor=staff, election=election, user=owners["a"]) == checks[0]  # repeated
    with pytest.raises(DomainError) as exc:  # a failed check needs its reason
        _check(staff, checks[3], result="failed")
    assert exc.value.code == "reason"
    with pytest.raises(DomainError) as exc:  # nothing published while a candidate is unchecked
        svc.candidate_list_publish(actor=staff, election=election, on=D(2026, 2, 10), now=NOW)
    assert exc.value.code == "unchecked"
    for c in checks[:3]:
        _check(staff, c)
    failed = _check(staff, checks[3], result="failed", reason=CandidateCheck.Reason.FEE_ARREARS)
    assert failed.candidate is None  # off the ballot
    names = set(election.assembly.election.candidates.values_list("user__username", flat=True))
    assert names == {"owner_a", "owner_b", "owner_d"}
    with pytest.raises(DomainError) as exc:  # 02-15 + 15 > 03-01: too late for the assembly
        svc.candidate_list_publish(actor=staff, election=election, on=D(2026, 2, 15), now=NOW)
    assert exc.value.code == "15days"
    assert svc.candidate_list_publish(actor=staff, election=election, on=D(2026, 2, 14), now=NOW) is True
    assert svc.candidate_list_publish(actor=staff, election=election, on=D(2026, 2, 14), now=NOW) is False
    election.refresh_from_db()
    steps = {s.kind: s.done_on for s in election.steps.all()}
    assert steps[K.CANDIDATES] == D(2026, 2, 14) and steps[K.PLEDGES] == D(2026, 1, 28)
    vote = Election.objects.get(pk=election.assembly.election_id)
    assert vote.notice_days == 15 and vote.notice_published_at is not None
    with pytest.raises(DomainError):  # the core refuses to open a day early
        core.election_open(election=vote, actor=staff, now=dt.datetime(2026, 2, 28, 23, tzinfo=SHANGHAI))


def _run_vote(election, owners, staff):
    checks = [svc.candidate_nominate(actor=staff, election=election, user=owners[k]) for k in "abde"]
    for c in checks:
        _check(staff, c)
    svc.candidate_list_publish(actor=staff, election=election, on=D(2026, 2, 10), now=NOW)
    vote = election.assembly.election
    opens = dt.datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)
    core.election_open(election=vote, actor=staff, now=opens)
    post = vote.posts.get()
    by_user = {c.user_id: c.pk for c in vote.candidates.all()}
    picks = {"a": "abd", "b": "abd", "d": "abe", "e": "ade", "g": "abd", "h": "abd"}
    for voter, picked in picks.items():
        core.ballot_cast(election=vote, actor=owners[voter], now=opens + dt.timedelta(hours=1),
                         choices={str(post.pk): [str(by_user[owners[k].pk]) for k in picked]})
    core.election_close(election=vote, actor=staff, now=dt.datetime(2026, 3, 5, 18, tzinfo=SHANGHAI))
    return vote


def test_the_result_is_published_within_3_days_and_the_new_term_starts(prepared, owners, staff):
    election = prepared
    with pytest.raises(DomainError) as exc:
        svc.result_publish(actor=staff, election=election, on=D(2026, 3, 1), now=NOW)
    assert exc.value.code == "not_closed"
    vote = _run_vote(election, owners, staff)
    election.refresh_from_db()
    assert step_deadline(election, K.RESULT) == D(2026, 3, 8)  # closed 03-05 + 3 days
    rows = {r.kind: r for r in timeline(election=election, today=D(2026, 3, 9))}
    assert rows[K.RESULT].late
    assert svc.result_publish(actor=staff, election=election, on=D(2026, 3, 7), now=NOW) is True
    assert svc.result_publish(actor=staff, election=election, on=D(2026, 3, 7), now=NOW) is False
    vote.refresh_from_db()
    assert vote.status == Election.Status.PUBLISHED
    rows = {r.kind: r for r in timeline(election=election, today=D(2026, 3, 9))}
    assert rows[K.RESULT].done_on == D(2026, 3, 7) and not rows[K.RESULT].late and not rows[K.RESULT].done_late
    assert rows[K.ASSEMBLY].done_on == D(2026, 3, 5)
    # 6 of 8 heads voted (甲 220, 乙丙 80, 丁 100, 戊 90, 庚 105, 辛 150 = 745 of 1,100 m²): participation met;
    # 甲 6 votes, 乙 5, 丁 5, 戊 2 → 甲, 乙, 丁 elected.
    assert vote.tally["quorum_met"] is True
    elected = {row["user_id"] for row in vote.tally["posts"][0]["candidates"] if row["elected"]}
    assert elected == {owners[k].pk for k in "abd"}
    O = Backbone.Office
    with pytest.raises(DomainError) as exc:  # exactly one director
        svc.term_start(actor=staff, election=election, started_on=D(2026, 3, 10), ends_on=D(2031, 3, 9),
                       offices={owners["a"].pk: O.DIRECTOR, owners["b"].pk: O.DIRECTOR, owners["d"].pk: O.COMMITTEE_MEMBER})
    assert exc.value.code == "director"
    with pytest.raises(DomainError) as exc:  # only the elected
        svc.term_start(actor=staff, election=election, started_on=D(2026, 3, 10), ends_on=D(2031, 3, 9),
                       offices={owners["a"].pk: O.DIRECTOR, owners["e"].pk: O.COMMITTEE_MEMBER,
                                owners["d"].pk: O.COMMITTEE_MEMBER})
    assert exc.value.code == "offices"
    offices = {owners["a"].pk: O.DIRECTOR, owners["b"].pk: O.DEPUTY_DIRECTOR, owners["d"].pk: O.COMMITTEE_MEMBER}
    term = svc.term_start(actor=staff, election=election, offices=offices, started_on=D(2026, 3, 10),
                          ends_on=D(2031, 3, 9))
    assert svc.term_start(actor=staff, election=election, offices=offices, started_on=D(2026, 3, 10),
                          ends_on=D(2031, 3, 9)) == term  # repeated
    assert term.number == 3 and term.elected_by == election.assembly
    assert set(term.team.backbones.values_list("user_id", "office")) == {(owners["a"].pk, O.DIRECTOR),
        (owners["b"].pk, O.DEPUTY_DIRECTOR), (owners["d"].pk, O.COMMITTEE_MEMBER)}
    election.refresh_from_db()
    assert election.status == CommitteeElection.Status.DONE and election.term == term
