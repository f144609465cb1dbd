"""The decision engine: motions counted by headcount and by exclusive floor area against Civil Code
art. 278, the village quorum, the notice period, the tie rule. Every tally is worked out by hand in the
test's docstring; the clock is injected (``now``), never read."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from communities import election_workflow as wf
from communities.models import AuditEvent, Ballot, Election, ElectionVoter, Motion, MotionVote, Role
from communities.services import election_count
from communities.services import elections as svc
from communities.services.errors import DomainError
from tests.factories import BuildingFactory, make_member

from .vote_world import NOW, decision, owner_of, run_to_published, unit

ORD, SPECIAL = Motion.Matter.ORDINARY, Motion.Matter.SPECIAL
FOR, AGAINST, ABSTAIN = MotionVote.Choice.FOR, MotionVote.Choice.AGAINST, MotionVote.Choice.ABSTAIN


def _met(checks):
    return [c["met"] for c in checks]


@pytest.fixture
def owners(community, building):
    """Six owners, one unit each: a 120, b 100, c 80, d 60, e 40, f 100 m². Heads 6, area 500."""
    return {name: owner_of(community, unit(building, area), username=name)
            for name, area in (("a", 120), ("b", 100), ("c", 80), ("d", 60), ("e", 40), ("f", 100))}


@pytest.fixture
def assembly(committee_staff, community, owners):
    return decision(committee_staff, community, motions=[
        ("选聘新的物业服务企业", ORD), ("续筹专项维修资金", SPECIAL), ("修订管理规约", ORD)])


def test_owners_motions_by_headcount_and_area_hand_computed(committee_staff, owners, assembly):
    """a, b, c, d, e take part (f does not): heads 5/6 ≥ 2/3, area 400/500 = 4/5 ≥ 2/3: the vote is valid.
    物业 (ordinary): for a, b (2 heads, 220 m²), against c, d, abstain e → 2/5 is not more than half: fails
    by headcount although 220/400 is more than half by area.
    维修资金 (special): for a, b, c, d (4, 360 m²), against e → 4/5 ≥ 3/4 and 360/400 ≥ 3/4: passes.
    管理规约 (ordinary): for c, d, e (3, 180 m²), against a, b → 3/5 is more than half but 180/400 is not:
    fails by area."""
    election, (property_co, fund, covenant) = assembly
    o = owners
    votes = {"a": (FOR, FOR, AGAINST), "b": (FOR, FOR, AGAINST), "c": (AGAINST, FOR, FOR),
             "d": (AGAINST, FOR, FOR), "e": (ABSTAIN, AGAINST, FOR)}
    tally = run_to_published(committee_staff, election, [
        (o[name], dict(zip((property_co, fund, covenant), picks)), None) for name, picks in votes.items()])
    assert (tally["eligible"], tally["voted"], tally["eligible_weight"], tally["voted_weight"]) == \
        (6, 5, "500.00", "400.00")
    assert _met(tally["quorum"]) == [True, True] and tally["quorum_met"]
    assert tally["law"] == "《民法典》第二百七十八条"
    by_title = {m["title"]: m for m in tally["motions"]}
    pm = by_title["选聘新的物业服务企业"]
    assert pm["counts"] == {"for": {"n": 2, "area": "220.00"}, "against": {"n": 2, "area": "140.00"},
                            "abstain": {"n": 1, "area": "40.00"}}
    assert (pm["participants"], pm["participants_area"]) == (5, "400.00")
    assert _met(pm["approval"]) == [False, True] and not pm["passed"]
    fm = by_title["续筹专项维修资金"]
    assert fm["counts"]["for"] == {"n": 4, "area": "360.00"}
    assert _met(fm["approval"]) == [True, True] and fm["passed"]
    assert [c["need"] for c in fm["approval"]] == ["3/4", "3/4"]
    cm = by_title["修订管理规约"]
    assert cm["counts"]["for"] == {"n": 3, "area": "180.00"}
    assert _met(cm["approval"]) == [True, False] and not cm["passed"]


def test_too_few_owners_take_part_nothing_passes(committee_staff, owners, assembly):
    """Only a and b vote, for everything: heads 2/6 and area 220/500 are below 2/3, so even a unanimous
    motion is not decided."""
    election, motions = assembly
    tally = run_to_published(committee_staff, election, [
        (owners[n], {m: FOR for m in motions}, None) for n in ("a", "b")])
    assert _met(tally["quorum"]) == [False, False] and not tally["quorum_met"]
    assert all(m["approved"] and not m["passed"] for m in tally["motions"])


def test_co_owners_vote_once_with_their_units_area(committee_staff, community, building):
    """b and c co-own a 90 m² unit; x owns 110 m². b votes: c's vote changes nothing, and the ballot carries
    90 m². Heads 2, area 200; participation 1/2 and 90/200 is below 2/3."""
    shared = unit(building, 90)
    b = owner_of(community, shared, username="b")
    c = owner_of(community, shared, username="c")
    owner_of(community, unit(building, 110), username="x")
    election, (motion,) = decision(committee_staff, community, motions=[("更换电梯", ORD)])
    svc.election_open(election=election, actor=committee_staff, now=NOW)
    assert svc.ballot_cast(election=election, actor=b, choices={}, motions={str(motion.pk): FOR}, now=NOW).changed
    again = svc.ballot_cast(election=election, actor=c, choices={}, motions={str(motion.pk): AGAINST}, now=NOW)
    assert not again.changed
    assert Ballot.objects.get().weight == Decimal("90.00")
    assert ElectionVoter.objects.filter(election=election, has_voted=True).count() == 2  # b's and c's rows
    svc.election_close(election=election, actor=committee_staff, now=NOW)
    svc.election_publish(election=election, actor=committee_staff, now=NOW)
    election.refresh_from_db()
    assert (election.tally["eligible"], election.tally["voted"], election.tally["voted_weight"]) == (2, 1, "90.00")
    assert election.tally["motions"][0]["counts"]["for"] == {"n": 1, "area": "90.00"}


def test_the_owners_rule_counts_area_whatever_the_form_said(committee_staff, community, owners):
    election, _ = decision(committee_staff, community, motions=[("x", ORD)], counting="headcount")
    assert election.counting == Election.Counting.HEADCOUNT_AND_AREA


def test_a_ballot_must_answer_every_motion(committee_staff, owners, assembly):
    election, (m1, m2, m3) = assembly
    svc.election_open(election=election, actor=committee_staff, now=NOW)
    with pytest.raises(DomainError, match="请对每个议题选择同意、反对或弃权：修订管理规约"):
        svc.ballot_cast(election=election, actor=owners["a"], choices={},
                        motions={str(m1.pk): FOR, str(m2.pk): FOR}, now=NOW)
    with pytest.raises(DomainError, match="请选择同意、反对或弃权"):
        svc.ballot_cast(election=election, actor=owners["a"], choices={},
                        motions={str(m1.pk): "maybe", str(m2.pk): FOR, str(m3.pk): FOR}, now=NOW)
    assert not Ballot.objects.exists() and not ElectionVoter.objects.filter(has_voted=True).exists()


def test_motions_are_staff_work_in_their_own_community(committee_staff, assembly, owners, other_community, resident):
    election, (motion, *_rest) = assembly
    stranger = make_member(other_community, Role.COMMITTEE_STAFF, username="meilan_staff")
    for user in (owners["a"], resident, stranger):
        with pytest.raises(PermissionDenied):
            svc.election_motion_add(actor=user, election=election, title="y")
        with pytest.raises(PermissionDenied):
            svc.election_motion_remove(actor=user, motion=motion)
    with pytest.raises(DomainError, match="已经有了"):
        svc.election_motion_add(actor=committee_staff, election=election, title="修订管理规约")
    svc.election_open(election=election, actor=committee_staff, now=NOW)
    with pytest.raises(DomainError, match="投票中"):
        svc.election_motion_add(actor=committee_staff, election=election, title="晚到的议题")
    assert election.motions.count() == 3


# --- the village ---------------------------------------------------------------------------------------

@pytest.fixture
def village_staff(village):
    return make_member(village, Role.COMMITTEE_STAFF, username="village_staff", name="村委小陈")


@pytest.fixture
def village_roll(village):
    """Three households: 1 (张, 张妻), 2 (刘, 刘子), 3 (赵). Five adults."""
    group = BuildingFactory(community=village, name="二组")
    h1, h2, h3 = unit(group, 0), unit(group, 0), unit(group, 0)
    people = {}
    for h, names in ((h1, ("zhang", "zhangqi")), (h2, ("liu", "liuzi")), (h3, ("zhao",))):
        for i, name in enumerate(names):
            people[name] = owner_of(village, h, username=name, born=dt.date(1960 + i, 1, 1),
                                    relation="owner" if i == 0 else "family")
    return people


def _village_meeting(staff, village, electorate="village_adults"):
    election, (motion,) = decision(staff, village, motions=[("修建村道", ORD)], electorate=electorate,
                                   rule="villagers", notice_days=10, counting="headcount")
    svc.election_notice_publish(actor=staff, election=election, now=NOW - dt.timedelta(days=10))
    return election, motion


def test_villagers_quorum_by_households_when_adults_fall_short(village_staff, village, village_roll):
    """张 and 刘 vote, for: adults 2/5 is not more than half, but households 2/3 reach two thirds, and either
    test suffices: the meeting is valid, and 2 for of 2 present is a majority."""
    election, motion = _village_meeting(village_staff, village)
    tally = run_to_published(village_staff, election, [
        (village_roll[n], {motion: FOR}, None) for n in ("zhang", "liu")])
    assert (tally["eligible"], tally["voted"], tally["households"], tally["households_present"]) == (5, 2, 3, 2)
    assert _met(tally["quorum"]) == [False, True] and tally["quorum_met"]
    assert tally["motions"][0]["passed"]


def test_villagers_quorum_fails_with_one_household(village_staff, village, village_roll):
    """张 and 张妻 (one household) vote: adults 2/5, households 1/3: no quorum, nothing decided."""
    election, motion = _village_meeting(village_staff, village)
    tally = run_to_published(village_staff, election, [
        (village_roll[n], {motion: FOR}, None) for n in ("zhang", "zhangqi")])
    assert _met(tally["quorum"]) == [False, False] and not tally["motions"][0]["passed"]


def test_household_roll_one_vote_per_household(village_staff, village, village_roll):
    """One vote per household: 张 votes for household 1, so 张妻 cannot; 刘 votes for 2. Households 2/3 meet
    the quorum (the adults' test does not apply to a household roll); 2 for of 2 present: passes."""
    election, motion = _village_meeting(village_staff, village, electorate="village_households")
    svc.election_open(election=election, actor=village_staff, now=NOW)
    cast = [svc.ballot_cast(election=election, actor=village_roll[n], choices={},
                            motions={str(motion.pk): FOR}, now=NOW).changed for n in ("zhang", "zhangqi", "liu")]
    assert cast == [True, False, True]
    svc.election_close(election=election, actor=village_staff, now=NOW)
    svc.election_publish(election=election, actor=village_staff, now=NOW)
    election.refresh_from_db()
    tally = election.tally
    assert (tally["eligible"], tally["voted"]) == (3, 2)
    assert [c["label"] for c in tally["quorum"]] == ["到会户数达到本村户数的三分之二以上"]
    assert tally["quorum_met"] and tally["motions"][0]["passed"]


def test_a_village_meeting_needs_ten_days_notice(village_staff, village):
    with pytest.raises(DomainError, match="公告期不能少于 10 天"):
        decision(village_staff, village, electorate="village_adults", rule="villagers", notice_days=7)
    assert not Election.objects.exists()


def test_owners_electorate_is_refused_in_a_village(village_staff, village):
    with pytest.raises(DomainError, match="不适用于光明村"):
        decision(village_staff, village, electorate="unit_owners", rule="owners")


# --- the notice period ---------------------------------------------------------------------------------

def test_voting_cannot_open_before_the_notice_period_has_run(committee_staff, community, owners):
    """Notice of 15 days posted at 09:00 on 1 June 2026: voting may open from 09:00 on 16 June."""
    election, _ = decision(committee_staff, community, motions=[("x", ORD)], notice_days=15)
    with pytest.raises(DomainError, match="请先发布公告"):
        svc.election_open(election=election, actor=committee_staff, now=NOW)
    posted = dt.datetime(2026, 6, 1, 9, 0, tzinfo=NOW.tzinfo)
    assert svc.election_notice_publish(actor=committee_staff, election=election, now=posted)
    assert not svc.election_notice_publish(actor=committee_staff, election=election, now=NOW)  # a repeat
    with pytest.raises(DomainError, match="最早可于 2026-06-16 09:00 开始投票"):
        svc.election_open(election=election, actor=committee_staff, now=dt.datetime(2026, 6, 16, 8, 59,
                                                                                   tzinfo=NOW.tzinfo))
    election.refresh_from_db()
    assert election.status == Election.Status.DRAFT and not ElectionVoter.objects.exists()
    assert svc.election_open(election=election, actor=committee_staff,
                             now=dt.datetime(2026, 6, 16, 9, 0, tzinfo=NOW.tzinfo))
    assert AuditEvent.objects.filter(action="election.notice", detail__election=election.pk).count() == 1


def test_only_staff_post_the_notice(committee_staff, community, owners):
    election, _ = decision(committee_staff, community, motions=[("x", ORD)], notice_days=15)
    with pytest.raises(PermissionDenied):
        svc.election_notice_publish(actor=owners["a"], election=election, now=NOW)
    election.refresh_from_db()
    assert election.notice_published_at is None


# --- ties across the last seat ------------------------------------------------------------------------

def _tied(staff, community, owners, tie_rule, births=None):
    """会长, one seat: a and b one vote each (c for a, d for b): tied across the last seat."""
    for name, born in (births or {}).items():
        owners[name].person.birth_date = born
        owners[name].person.save(update_fields=["birth_date"])
    election = svc.election_create(actor=staff, community=community, posts=[("会长", 1)], fields={
        "title": "会长选举", "electorate_role": "resident", "tie_rule": tie_rule})
    post = election.posts.get()
    a, b = (svc.election_candidate_add(actor=staff, election=election, post=post, user=owners[n]) for n in "ab")
    tally = run_to_published(staff, election, [
        (owners["c"], {}, {str(post.pk): [str(a.pk)]}), (owners["d"], {}, {str(post.pk): [str(b.pk)]})])
    election.refresh_from_db()
    return election, tally["posts"][0], (a, b)


def test_a_tie_drawn_by_lot_elects_one_and_records_the_draw(committee_staff, community, owners):
    election, post, (a, b) = _tied(committee_staff, community, owners, "lot")
    winner = election_count.lot_order(election.tie_seed, [a.pk, b.pk])[0]
    assert [r["candidate_id"] for r in post["candidates"] if r["elected"]] == [winner]
    assert post["tie"]["rule"] == "lot" and post["tie"]["seed"] == election.tie_seed and len(election.tie_seed) == 32
    event = AuditEvent.objects.get(action="election.publish", detail__election=election.pk)
    assert event.actor == committee_staff
    assert event.detail["ties"][0]["order"] == election_count.lot_order(election.tie_seed, [a.pk, b.pk])


def test_a_tie_goes_to_the_older_candidate(committee_staff, community, owners):
    election, post, (a, b) = _tied(committee_staff, community, owners, "older",
                                   births={"a": dt.date(1980, 5, 1), "b": dt.date(1975, 5, 1)})
    assert {r["candidate_id"]: r["elected"] for r in post["candidates"]} == {a.pk: False, b.pk: True}
    assert post["tie"]["rule"] == "older"


def test_older_without_birth_dates_falls_back_to_a_runoff(committee_staff, community, owners):
    election, post, _ = _tied(committee_staff, community, owners, "older")
    assert not any(r["elected"] for r in post["candidates"]) and all(r["tied"] for r in post["candidates"])
    assert post["tie"] == {**post["tie"], "rule": "runoff", "fallback": "older", "seats": 1}


def test_a_runoff_is_drafted_among_the_tied_once(committee_staff, community, owners):
    election, post, (a, b) = _tied(committee_staff, community, owners, "runoff")
    assert not any(r["elected"] for r in post["candidates"])
    runoff = svc.election_runoff_create(actor=committee_staff, election=election, post_id=post["id"])
    assert runoff.status == Election.Status.DRAFT and runoff.title == "会长选举（决选）"
    (new_post,) = runoff.posts.all()
    assert (new_post.name, new_post.seats) == ("增补会长", 1)
    assert set(runoff.candidates.values_list("user_id", flat=True)) == {a.user_id, b.user_id}
    assert svc.election_runoff_create(actor=committee_staff, election=election, post_id=post["id"]) == runoff
    assert Election.objects.count() == 2
    with pytest.raises(PermissionDenied):
        svc.election_runoff_create(actor=owners["a"], election=election, post_id=post["id"])


def test_no_runoff_without_a_tie(committee_staff, community, owners):
    election = svc.election_create(actor=committee_staff, community=community, posts=[("会长", 1)], fields={
        "title": "会长选举", "electorate_role": "resident"})
    post = election.posts.get()
    (a,) = [svc.election_candidate_add(actor=committee_staff, election=election, post=post, user=owners["a"])]
    run_to_published(committee_staff, election, [(owners["c"], {}, {str(post.pk): [str(a.pk)]})])
    with pytest.raises(DomainError, match="没有需要决选的同票"):
        svc.election_runoff_create(actor=committee_staff, election=election, post_id=post.pk)


def test_owners_committee_candidates_need_more_than_half_of_both(committee_staff, community, owners):
    """Owners' rule, 委员 with 2 seats. All six vote (heads 6/6, area 500/500). p gets a, b, c, d (4 heads,
    360 m²): elected. q gets e, f (2 heads, 140 m²): second by votes but not more than half of either, so not
    elected (art. 278: electing the committee is an ordinary matter)."""
    election = svc.election_create(actor=committee_staff, community=community, posts=[("委员", 2)], fields={
        "title": "业委会选举", "electorate": "unit_owners", "rule": "owners"})
    post = election.posts.get()
    p, q = (svc.election_candidate_add(actor=committee_staff, election=election, post=post, user=owners[n])
            for n in ("a", "b"))
    pick = {n: p for n in "abcd"} | {n: q for n in "ef"}
    tally = run_to_published(committee_staff, election, [
        (owners[n], {}, {str(post.pk): [str(c.pk)]}) for n, c in pick.items()])
    rows = {r["candidate_id"]: r for r in tally["posts"][0]["candidates"]}
    assert (rows[p.pk]["votes"], rows[p.pk]["weight"], rows[p.pk]["elected"]) == (4, "360.00", True)
    assert (rows[q.pk]["votes"], rows[q.pk]["weight"], rows[q.pk]["elected"], rows[q.pk]["below_majority"]) == \
        (2, "140.00", False, True)


def test_representatives_meeting_quorum_and_majority_of_present(village_staff, village):
    """Three representatives (the village's residents): two attend, 2/3 reaches the quorum; one for and one
    against is not a majority of the two present: not passed."""
    reps = [make_member(village, Role.RESIDENT, username=f"rep{i}") for i in range(3)]
    election, (motion,) = decision(village_staff, village, motions=[("村务公开制度", ORD)], electorate="role",
                                   electorate_role=Role.RESIDENT, rule="representatives", notice_days=10,
                                   counting="headcount")
    svc.election_notice_publish(actor=village_staff, election=election, now=NOW - dt.timedelta(days=10))
    tally = run_to_published(village_staff, election, [(reps[0], {motion: FOR}, None), (reps[1], {motion: AGAINST}, None)])
    assert (tally["eligible"], tally["voted"]) == (3, 2)
    assert _met(tally["quorum"]) == [True] and tally["quorum_met"]
    assert _met(tally["motions"][0]["approval"]) == [False] and not tally["motions"][0]["passed"]
    assert tally["law"] == "《村民委员会组织法》及上海市实施办法"


def test_the_page_offers_the_steps_the_table_allows(committee_staff, assembly, owners):
    election, _ = assembly
    assert [t.action for t in wf.actions_for(committee_staff, election)] == ["open"]
    assert wf.actions_for(owners["a"], election) == []
    svc.election_open(election=election, actor=committee_staff, now=NOW)
    election.refresh_from_db()
    assert [(t.action, t.danger) for t in wf.actions_for(committee_staff, election)] == [("close", True)]


def test_the_notice_period_cannot_change_once_posted(committee_staff, community, owners):
    election, _ = decision(committee_staff, community, motions=[("x", ORD)], notice_days=15)
    svc.election_notice_publish(actor=committee_staff, election=election, now=NOW)
    fields = {"title": election.title, "electorate": "unit_owners", "rule": "owners", "notice_days": 3}
    with pytest.raises(DomainError, match="不能再修改公告期"):
        svc.election_edit(actor=committee_staff, election=election, fields=fields, posts=[])
    election.refresh_from_db()
    assert election.notice_days == 15
