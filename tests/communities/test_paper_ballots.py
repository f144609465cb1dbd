"""Paper ballots: typed in by one staff member, counted only once a different staff member confirms them;
a voter votes online or on paper, never both."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import AuditEvent, Ballot, ElectionVoter, Motion, MotionVote, PaperBallot, Role
from communities.services import elections as svc
from communities.services import paper_ballots as paper
from communities.services.errors import DomainError
from tests.factories import make_member

from .vote_world import NOW, decision, owner_of, person_in, unit

FOR, AGAINST = MotionVote.Choice.FOR, MotionVote.Choice.AGAINST


@pytest.fixture
def second_staff(community):
    return make_member(community, Role.COMMITTEE_STAFF, username="staff2", name="居委小李")


@pytest.fixture
def world(committee_staff, community, building):
    """Owners a (100 m², online), b (60 m², no account: paper only), and two unsold units 30 + 10 m² (the
    developer, paper only). Heads 3, area 200."""
    a = owner_of(community, unit(building, 100), username="a")
    person_in(unit(building, 60), name="业主乙")
    unit(building, 30), unit(building, 10)
    election, (motion,) = decision(committee_staff, community, motions=[("续筹维修资金", Motion.Matter.SPECIAL)])
    svc.election_open(election=election, actor=committee_staff, now=NOW)
    rows = {row.name(): row for row in ElectionVoter.objects.filter(election=election)}
    return election, motion, a, rows


def _enter(staff, election, row, motion, choice=FOR):
    return paper.paper_ballot_enter(actor=staff, election=election, voter_id=row.pk, choices={},
                                    motions={str(motion.pk): choice}, now=NOW)


def _publish(staff, election):
    svc.election_close(election=election, actor=staff, now=NOW)
    svc.election_publish(election=election, actor=staff, now=NOW)
    election.refresh_from_db()
    return election.tally


def test_entered_then_confirmed_by_another_counts(world, committee_staff, second_staff):
    """b's paper (for, 60 m²) and the developer's (against, 40 m²), both confirmed; a votes online, for.
    For: 2 heads, 160 m² of 3 heads, 200 m²: 2/3 < 3/4 fails by headcount, 160/200 = 4/5 passes by area."""
    election, motion, a, rows = world
    for name, choice in (("业主乙", FOR), ("开发商（未售房屋 2 套）", AGAINST)):
        before = Ballot.objects.count()
        typed = _enter(committee_staff, election, rows[name], motion, choice)
        assert Ballot.objects.count() == before  # typed, not yet counted
        assert paper.paper_ballot_confirm(actor=second_staff, paper_id=typed.pk, now=NOW)
    svc.ballot_cast(election=election, actor=a, choices={}, motions={str(motion.pk): FOR}, now=NOW)
    assert not PaperBallot.objects.exclude(choices={}).exists()  # how they voted is no longer stored
    tally = _publish(committee_staff, election)
    assert (tally["eligible"], tally["voted"], tally["voted_weight"]) == (3, 3, "200.00")
    m = tally["motions"][0]
    assert m["counts"]["for"] == {"n": 2, "area": "160.00"} and m["counts"]["against"] == {"n": 1, "area": "40.00"}
    assert [c["met"] for c in m["approval"]] == [False, True] and not m["passed"]
    assert tally["paper_unconfirmed"] == 0


def test_an_unconfirmed_paper_ballot_never_counts(world, committee_staff):
    election, motion, a, rows = world
    _enter(committee_staff, election, rows["业主乙"], motion)
    assert not Ballot.objects.exists() and not ElectionVoter.objects.filter(has_voted=True).exists()
    tally = _publish(committee_staff, election)
    assert tally["voted"] == 0 and tally["paper_unconfirmed"] == 1
    assert tally["motions"][0]["counts"]["for"]["n"] == 0


def test_the_one_who_typed_it_cannot_confirm_it(world, committee_staff):
    election, motion, a, rows = world
    typed = _enter(committee_staff, election, rows["业主乙"], motion)
    with pytest.raises(DomainError, match="须由另一位工作人员复核：录入人不能复核自己录入的选票"):
        paper.paper_ballot_confirm(actor=committee_staff, paper_id=typed.pk, now=NOW)
    typed.refresh_from_db()
    assert not typed.is_confirmed and not Ballot.objects.exists()


def test_confirming_twice_changes_nothing(world, committee_staff, second_staff):
    election, motion, a, rows = world
    typed = _enter(committee_staff, election, rows["业主乙"], motion)
    assert paper.paper_ballot_confirm(actor=second_staff, paper_id=typed.pk, now=NOW)
    assert not paper.paper_ballot_confirm(actor=second_staff, paper_id=typed.pk, now=NOW)
    assert Ballot.objects.count() == 1
    assert AuditEvent.objects.filter(action="election.paper_confirm").count() == 1


def test_no_vote_both_online_and_on_paper(world, committee_staff, second_staff):
    election, motion, a, rows = world
    svc.ballot_cast(election=election, actor=a, choices={}, motions={str(motion.pk): FOR}, now=NOW)
    with pytest.raises(DomainError, match="已经投过票"):
        _enter(committee_staff, election, rows["a"], motion)
    assert not PaperBallot.objects.exists() and Ballot.objects.count() == 1


def test_a_pending_paper_ballot_blocks_the_online_vote(committee_staff, community, building):
    a = owner_of(community, unit(building, 100), username="a")
    election, (motion,) = decision(committee_staff, community, motions=[("x", Motion.Matter.ORDINARY)])
    svc.election_open(election=election, actor=committee_staff, now=NOW)
    row = ElectionVoter.objects.get(election=election, user=a)
    _enter(committee_staff, election, row, motion)
    with pytest.raises(DomainError, match="纸质选票，不能再在网上投票"):
        svc.ballot_cast(election=election, actor=a, choices={}, motions={str(motion.pk): AGAINST}, now=NOW)
    with pytest.raises(DomainError, match="请勿重复录入"):
        _enter(committee_staff, election, row, motion)
    assert not Ballot.objects.exists()


def test_discarding_a_mismatch_lets_it_be_typed_again(world, committee_staff, second_staff):
    election, motion, a, rows = world
    typed = _enter(committee_staff, election, rows["业主乙"], motion, AGAINST)
    assert paper.paper_ballot_discard(actor=second_staff, paper_id=typed.pk, reason="与原件不符")
    again = _enter(committee_staff, election, rows["业主乙"], motion, FOR)
    paper.paper_ballot_confirm(actor=second_staff, paper_id=again.pk, now=NOW)
    with pytest.raises(DomainError, match="已复核计入，不能退回"):
        paper.paper_ballot_discard(actor=second_staff, paper_id=again.pk)
    assert MotionVote.objects.get().choice == FOR


def test_wrong_role_and_other_community_are_refused(world, committee_staff, other_community):
    election, motion, a, rows = world
    stranger = make_member(other_community, Role.COMMITTEE_STAFF, username="meilan_staff")
    for user in (a, stranger):
        with pytest.raises(PermissionDenied):
            _enter(user, election, rows["业主乙"], motion)
    typed = _enter(committee_staff, election, rows["业主乙"], motion)
    for user in (a, stranger):
        with pytest.raises(PermissionDenied):
            paper.paper_ballot_confirm(actor=user, paper_id=typed.pk, now=NOW)
    assert not Ballot.objects.exists()


def test_no_paper_ballot_outside_the_vote(world, committee_staff):
    election, motion, a, rows = world
    svc.election_close(election=election, actor=committee_staff, now=NOW)
    with pytest.raises(DomainError, match="只有在投票期间才能录入纸质选票"):
        _enter(committee_staff, election, rows["业主乙"], motion)


# --- pages ---------------------------------------------------------------------------------------------

def test_staff_enter_on_one_page_and_another_confirms_on_the_second(client, world, committee_staff, second_staff):
    election, motion, a, rows = world
    client.force_login(committee_staff)
    page = client.get(reverse("communities:election_paper_enter", args=[election.pk]))
    assert page.status_code == 200 and "录入纸质选票" in page.content.decode() and "业主乙" in page.content.decode()
    response = client.post(reverse("communities:election_paper_enter", args=[election.pk]),
                           {"voter": rows["业主乙"].pk, f"motion-{motion.pk}": "for"}, follow=True)
    assert "须由另一位工作人员复核后才计票" in response.content.decode()
    typed = PaperBallot.objects.get()
    confirm_url = reverse("communities:election_paper_confirm", args=[election.pk])
    own = client.get(confirm_url).content.decode()
    assert "由您录入，须由另一位工作人员复核" in own and "同意" in own
    refused = client.post(reverse("communities:election_paper_confirm_one", args=[election.pk, typed.pk]), follow=True)
    assert "录入人不能复核自己录入的选票" in refused.content.decode() and not Ballot.objects.exists()
    client.force_login(second_staff)
    assert "复核通过" in client.get(confirm_url).content.decode()
    done = client.post(reverse("communities:election_paper_confirm_one", args=[election.pk, typed.pk]), follow=True)
    assert "计入计票" in done.content.decode() and Ballot.objects.get().weight == Decimal("60.00")


def test_paper_pages_wrong_role_403_other_community_404(client, world, resident, other_community):
    election, motion, a, rows = world
    names = ("election_paper_enter", "election_paper_confirm")
    for user in (a, resident):
        client.force_login(user)
        for name in names:
            assert client.get(reverse(f"communities:{name}", args=[election.pk])).status_code == 403
    client.force_login(make_member(other_community, Role.COMMITTEE_STAFF, username="meilan_staff"))
    for name in names:
        assert client.get(reverse(f"communities:{name}", args=[election.pk])).status_code == 404
