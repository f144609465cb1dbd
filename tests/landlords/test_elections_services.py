"""The election engine: transitions, the secret ballot, receipts, the tally (headcount and area), audit."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from communities.models import (
    AuditEvent, Ballot, BallotChoice, Election, ElectionVoter, Role, receipt_hash,
)
from communities.election_workflow import ELECTIONS
from communities.selectors.elections import ballot_by_receipt
from communities.services import elections as svc
from communities.services.errors import DomainError

from .election_helpers import add, choices, draft, owner, sublandlords

S = Election.Status


@pytest.fixture
def staff(committee_staff):
    return committee_staff


@pytest.fixture
def voters(community, landlord):
    return [landlord, *sublandlords(community, 3)]


@pytest.fixture
def ready(staff, community, voters):
    """A draft: 会长 (1 seat: voters 0, 1), 骨干 (2 seats: voters 2, 3)."""
    election = draft(staff, community)
    president = add(staff, election, "会长", voters[:2])
    backbone = add(staff, election, "骨干", voters[2:4])
    return election, president, backbone


@pytest.fixture
def opened(ready, staff):
    election = ready[0]
    assert svc.election_open(election=election, actor=staff)
    election.refresh_from_db()
    return ready


# --- transitions -------------------------------------------------------------------------------------

TRANSITION_TABLE = [
    # (action, from, allowed)
    ("open", S.DRAFT, True), ("open", S.CLOSED, False), ("open", S.PUBLISHED, False),
    ("close", S.OPEN, True), ("close", S.DRAFT, False), ("close", S.PUBLISHED, False),
    ("publish", S.CLOSED, True), ("publish", S.DRAFT, False), ("publish", S.OPEN, False),
]


@pytest.mark.parametrize("action,source,allowed", TRANSITION_TABLE)
def test_transitions_table(ready, staff, action, source, allowed):
    election = ready[0]
    Election.objects.filter(pk=election.pk).update(status=source)
    election.refresh_from_db()
    service = svc.TRANSITION_SERVICES[action]
    if allowed:
        assert service(election=election, actor=staff) is True
        election.refresh_from_db()
        assert election.status == ELECTIONS.transition_for(source, action).target
        assert AuditEvent.objects.filter(action=f"election.{action}", detail__election=election.pk).count() == 1
    else:
        with pytest.raises(DomainError):
            service(election=election, actor=staff)
        election.refresh_from_db()
        assert election.status == source


@pytest.mark.parametrize("action,target", [("open", S.OPEN), ("close", S.CLOSED), ("publish", S.PUBLISHED)])
def test_repeating_a_transition_changes_nothing(ready, staff, action, target):
    election = ready[0]
    for step in ("open", "close", "publish"):
        svc.TRANSITION_SERVICES[step](election=election, actor=staff)
        if step == action:
            break
    events = AuditEvent.objects.count()
    assert svc.TRANSITION_SERVICES[action](election=election, actor=staff) is False
    assert AuditEvent.objects.count() == events
    election.refresh_from_db()
    assert election.status == target


def test_only_committee_staff_run_an_election(ready, landlord, party_secretary):
    election = ready[0]
    for user in (landlord, party_secretary):
        with pytest.raises(PermissionDenied):
            svc.election_open(election=election, actor=user)
    election.refresh_from_db()
    assert election.status == S.DRAFT


def test_open_takes_a_snapshot_of_the_roll(ready, staff, community, voters, resident):
    election = ready[0]
    svc.election_open(election=election, actor=staff)
    late = sublandlords(community, 1, prefix="late")[0]
    roll = set(ElectionVoter.objects.filter(election=election).values_list("user_id", flat=True))
    assert roll == {v.pk for v in voters}  # residents are not on it; a later sublandlord is not either
    assert late.pk not in roll and resident.pk not in roll


def test_open_needs_a_candidate_on_every_post(staff, community, voters):
    election = draft(staff, community)
    add(staff, election, "会长", voters[:1])
    with pytest.raises(DomainError, match="每个职位至少要有一名候选人"):
        svc.election_open(election=election, actor=staff)
    assert not ElectionVoter.objects.exists()


def test_draft_edits_are_refused_once_open(opened, staff, voters):
    election = opened[0]
    with pytest.raises(DomainError, match="投票中"):
        svc.election_candidate_add(actor=staff, election=election, post=election.posts.first(), user=voters[3])
    with pytest.raises(DomainError):
        svc.election_candidate_remove(actor=staff, candidate=opened[1][0])
    with pytest.raises(DomainError):
        svc.election_edit(actor=staff, election=election, fields={"title": "x"}, posts=[("会长", 1)])


def test_candidate_rules(ready, staff, outsider, voters):
    election, president, _backbone = ready
    with pytest.raises(DomainError, match="不是本社区的人员"):
        svc.election_candidate_add(actor=staff, election=election, post=president[0].post, user=outsider)
    with pytest.raises(DomainError, match="一次选举只能竞选一个职位"):
        svc.election_candidate_add(actor=staff, election=election, post=president[0].post, user=voters[2])


def test_bad_posts_are_refused_with_a_clear_message(staff, community):
    with pytest.raises(DomainError, match="职位名称不能重复"):
        draft(staff, community, posts=[("会长", 1), ("会长", 2)])
    with pytest.raises(DomainError, match="名额应在"):
        draft(staff, community, posts=[("会长", 0)])
    assert not Election.objects.exists()


def test_every_administrative_action_is_audited(ready, staff, voters):
    election, president, _ = ready
    svc.election_candidate_remove(actor=staff, candidate=president[1])
    svc.election_open(election=election, actor=staff)
    svc.election_close(election=election, actor=staff)
    svc.election_publish(election=election, actor=staff)
    actions = list(AuditEvent.objects.filter(detail__election=election.pk).order_by("at", "id")
                   .values_list("action", flat=True))
    assert actions == ["election.create", "election.candidate_add", "election.candidate_add",
                       "election.candidate_add", "election.candidate_add", "election.candidate_remove",
                       "election.open", "election.close", "election.publish"]
    assert set(AuditEvent.objects.filter(detail__election=election.pk).values_list("actor", flat=True)) == {staff.pk}


# --- voting ------------------------------------------------------------------------------------------

def test_a_vote_is_recorded_with_a_receipt(opened, voters):
    election, president, backbone = opened
    result = svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[0], *backbone))
    assert result.changed and len(result.receipt) == 14
    ballot = Ballot.objects.get()
    assert ballot.receipt_hash == receipt_hash(result.receipt) and result.receipt not in ballot.receipt_hash
    assert BallotChoice.objects.count() == 3
    assert ElectionVoter.objects.get(user=voters[0]).has_voted


def test_a_second_vote_changes_nothing(opened, voters):
    election, president, _ = opened
    svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[0]))
    again = svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[1]))
    assert not again.changed and again.receipt == ""
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.get().candidate == president[0]


@pytest.mark.parametrize("fault,message", [
    ("too_many", "最多选 1 人，您选了 2 人"),
    ("other_post", "不是“会长”的候选人"),
    ("no_such_post", "职位不属于本次选举"),
    ("junk", "职位不属于本次选举"),
])
def test_invalid_ballots_save_nothing(opened, voters, fault, message):
    election, president, backbone = opened
    bad = {
        "too_many": {str(president[0].post_id): [str(president[0].pk), str(president[1].pk)]},
        "other_post": {str(president[0].post_id): [str(backbone[0].pk)]},
        "no_such_post": {"999999": [str(president[0].pk)]},
        "junk": {str(president[0].post_id): ["abc"]},
    }[fault]
    with pytest.raises(DomainError, match=message):
        svc.ballot_cast(election=election, actor=voters[0], choices=bad)
    assert not Ballot.objects.exists() and not BallotChoice.objects.exists()
    assert not ElectionVoter.objects.get(user=voters[0]).has_voted


def test_not_eligible_cannot_vote(opened, resident, committee_staff):
    election, president, _ = opened
    for user in (resident, committee_staff):
        with pytest.raises(DomainError, match="不在本次选举的选民名单中"):
            svc.ballot_cast(election=election, actor=user, choices=choices(president[0]))
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.CLOSED, S.PUBLISHED])
def test_no_vote_outside_the_open_period(opened, voters, status):
    election, president, _ = opened
    Election.objects.filter(pk=election.pk).update(status=status)
    with pytest.raises(DomainError, match="不在投票时间内"):
        svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[0]))
    assert not Ballot.objects.exists()


def test_no_vote_after_the_deadline_even_if_not_yet_closed(opened, voters):
    election, president, _ = opened
    import datetime as dt

    from django.utils import timezone
    Election.objects.filter(pk=election.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(DomainError, match="不在投票时间内"):
        svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[0]))


# --- secrecy -----------------------------------------------------------------------------------------

def test_no_ballot_column_references_the_voter_or_a_time():
    for model in (Ballot, BallotChoice):
        for field in model._meta.concrete_fields:
            assert field.get_internal_type() not in {"DateTimeField", "DateField", "AutoField", "BigAutoField"}
            if field.is_relation:
                assert field.related_model.__name__ in {"Election", "Ballot", "ElectionCandidate"}, field
    assert not any(f.get_internal_type() in {"DateTimeField", "DateField"} for f in ElectionVoter._meta.fields)


def test_a_ballot_cannot_be_joined_to_its_voter(opened, voters):
    """Two voters, two ballots: nothing in the ballot rows orders or links them to the roll."""
    election, president, _ = opened
    svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[0]))
    svc.ballot_cast(election=election, actor=voters[1], choices=choices(president[1]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name IN ('communities_ballot', 'communities_ballotchoice')")
        columns = dict(cursor.fetchall())
    assert set(columns) == {"id", "election_id", "receipt_hash", "weight", "ballot_id", "candidate_id"}
    assert columns["id"] == "uuid"
    assert not AuditEvent.objects.filter(actor__in=voters).exists()  # voting leaves no audit row either


# --- receipts ----------------------------------------------------------------------------------------

def test_a_receipt_shows_the_ballot_unchanged_and_counted_after_publish(opened, voters, staff):
    election, president, backbone = opened
    code = svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[1], backbone[0])).receipt
    found = ballot_by_receipt(election=election, code=code.lower().replace("-", " "))
    assert found["choices"] == [("会长", ["房东0"]), ("骨干", ["房东1"])]
    assert not found["published"] and not found["counted"]
    svc.election_close(election=election, actor=staff)
    svc.election_publish(election=election, actor=staff)
    election.refresh_from_db()
    found = ballot_by_receipt(election=election, code=code)
    assert found["counted"] and found["choices"] == [("会长", ["房东0"]), ("骨干", ["房东1"])]
    assert ballot_by_receipt(election=election, code="AAAA-BBBB-CCCC") is None


# --- the tally ---------------------------------------------------------------------------------------

def test_tally_by_headcount_hand_computed(staff, community):
    """5 voters. 会长 (1): A 3, B 2 → A. 骨干 (2): C 4, D 3, E 1 → C, D. Turnout 5/6."""
    people = sublandlords(community, 6)
    election = draft(staff, community)
    a, b = add(staff, election, "会长", people[:2])
    c, d, e = add(staff, election, "骨干", people[2:5])
    svc.election_open(election=election, actor=staff)
    ballots = [(a, c, d), (a, c, d), (a, c, e), (b, c), (b, d)]
    for voter, picks in zip(people, ballots):
        svc.ballot_cast(election=election, actor=voter, choices=choices(*picks))
    svc.election_close(election=election, actor=staff)
    svc.election_publish(election=election, actor=staff)
    election.refresh_from_db()
    tally = election.tally
    assert (tally["eligible"], tally["voted"]) == (6, 5)
    result = {p["name"]: [(r["name"], r["votes"], r["elected"]) for r in p["candidates"]] for p in tally["posts"]}
    assert result == {"会长": [("房东0", 3, True), ("房东1", 2, False)],
                      "骨干": [("房东2", 4, True), ("房东3", 3, True), ("房东4", 1, False)]}
    assert len(tally["receipts"]) == 5


def test_tally_by_headcount_and_area_hand_computed(staff, community, building):
    """Owners with 60, 80, 100, 120 m². X gets the 60 and 80 owners (2 votes, 140 m²); Y the 100 and 120
    owners (2 votes, 220 m²). Tied by headcount, Y wins on area. The 50 m² owner does not vote."""
    owners = [owner(community, building, f"o{area}", area) for area in (60, 80, 100, 120, 50)]
    election = draft(staff, community, posts=[("主任", 1)], electorate_role=Role.RESIDENT,
                     counting=Election.Counting.HEADCOUNT_AND_AREA)
    x, y = add(staff, election, "主任", owners[:2])
    svc.election_open(election=election, actor=staff)
    assert ElectionVoter.objects.get(user=owners[2]).weight == Decimal("100.00")
    for voter, pick in zip(owners[:4], (x, x, y, y)):
        svc.ballot_cast(election=election, actor=voter, choices=choices(pick))
    svc.election_close(election=election, actor=staff)
    svc.election_publish(election=election, actor=staff)
    election.refresh_from_db()
    tally = election.tally
    assert (tally["eligible"], tally["voted"]) == (5, 4)
    assert (tally["eligible_weight"], tally["voted_weight"]) == ("410.00", "360.00")
    rows = [(r["name"], r["votes"], r["weight"], r["elected"]) for r in tally["posts"][0]["candidates"]]
    assert rows == [("o80", 2, "220.00", True), ("o60", 2, "140.00", False)]


def test_a_tie_across_the_last_seat_elects_none_of_the_tied(opened, staff, voters):
    election, president, _ = opened
    svc.ballot_cast(election=election, actor=voters[0], choices=choices(president[0]))
    svc.ballot_cast(election=election, actor=voters[1], choices=choices(president[1]))
    svc.election_close(election=election, actor=staff)
    svc.election_publish(election=election, actor=staff)
    election.refresh_from_db()
    rows = election.tally["posts"][0]["candidates"]
    assert [(r["elected"], r["tied"]) for r in rows] == [(False, True), (False, True)]
    backbone = election.tally["posts"][1]["candidates"]
    assert not any(r["elected"] for r in backbone)  # nobody voted for them: 0 votes elect no one


# --- concurrency -------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_concurrent_votes_by_one_voter_make_one_ballot(community, committee_staff, landlord):
    others = sublandlords(community, 1)
    election = draft(committee_staff, community, posts=[("会长", 1)])
    a, b = add(committee_staff, election, "会长", [landlord, others[0]])
    svc.election_open(election=election, actor=committee_staff)
    barrier, results, errors = threading.Barrier(2), [], []

    def vote(pick):
        try:
            barrier.wait(5)
            results.append(svc.ballot_cast(election=election, actor=landlord, choices=choices(pick)).changed)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(pick,)) for pick in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not errors
    assert sorted(results) == [False, True]
    assert Ballot.objects.filter(election=election).count() == 1
    assert BallotChoice.objects.filter(ballot__election=election).count() == 1
