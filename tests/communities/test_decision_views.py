"""The motion pages: owners vote for / against / abstain on the election page; the published result shows
both tallies and each threshold met or not, citing the article where the rule bites."""
import pytest
from django.urls import reverse

from communities.models import Ballot, Election, ElectionVoter, Motion, MotionVote
from communities.services import elections as svc
from communities.services import paper_ballots as paper

from .vote_world import decision, owner_of, person_in, unit


@pytest.fixture
def owners(community, building):
    """a 120, b 80 m²: heads 2, area 200."""
    return [owner_of(community, unit(building, area), username=name) for name, area in (("a", 120), ("b", 80))]


@pytest.fixture
def motion_vote(committee_staff, community, owners):
    election, (motion,) = decision(committee_staff, community, motions=[("续筹维修资金", Motion.Matter.SPECIAL)])
    svc.election_open(election=election, actor=committee_staff)
    election.refresh_from_db()
    return election, motion


def url(name, *args):
    return reverse(f"communities:{name}", args=args)


def test_an_owner_votes_on_the_motion_from_the_page(client, motion_vote, owners):
    election, motion = motion_vote
    client.force_login(owners[0])
    page = client.get(url("election_detail", election.pk)).content.decode()
    assert "续筹维修资金" in page and "弃权" in page and "提交选票" in page
    missing = client.post(url("election_vote", election.pk), {}, follow=True).content.decode()
    assert "请对每个议题选择同意、反对或弃权" in missing and not Ballot.objects.exists()
    response = client.post(url("election_vote", election.pk), {f"motion-{motion.pk}": "against"})
    assert response.status_code == 200 and response.context["receipt"]
    assert MotionVote.objects.get().choice == "against"
    found = client.post(url("election_verify", election.pk), {"code": response.context["receipt"]}).content.decode()
    assert "找到这张选票" in found and "续筹维修资金" in found and "反对" in found


def test_the_published_result_shows_both_tallies_and_each_threshold(client, motion_vote, owners, committee_staff,
                                                                    resident, outsider):
    """a (120 m²) for, b (80 m²) against. Participation 2/2 and 200/200. For: 1/2 heads (< 3/4), 120/200 m²
    (< 3/4): not passed; both shown, each marked 未达到, with 《民法典》第二百七十八条."""
    election, motion = motion_vote
    for user, choice in zip(owners, ("for", "against")):
        svc.ballot_cast(election=election, actor=user, choices={}, motions={str(motion.pk): choice})
    svc.election_close(election=election, actor=committee_staff)
    svc.election_publish(election=election, actor=committee_staff)
    client.force_login(resident)
    page = client.get(url("election_detail", election.pk)).content.decode()
    assert "《民法典》第二百七十八条" in page and "未通过" in page
    assert "同意人数达到参与表决人数四分之三以上" in page and "同意面积达到参与表决面积四分之三以上" in page
    assert "120.00" in page and "80.00" in page and "1 / 2，须达到 3/4 以上" in page
    detail = client.get(url("election_motion", election.pk, motion.pk)).content.decode()
    assert "表决结果" in detail and "参与表决人数达到业主总人数三分之二以上" in detail
    assert "text-bg-success flex-shrink-0\">达到" in detail  # participation met
    assert "未达到" in detail and "《民法典》第二百七十八条" in detail
    client.force_login(outsider)
    assert client.get(url("election_motion", election.pk, motion.pk)).status_code == 404


def test_staff_add_a_motion_and_post_the_notice_others_cannot(client, committee_staff, community, owners):
    election, _ = decision(committee_staff, community, notice_days=15)
    client.force_login(owners[0])
    assert client.post(url("election_motion_add", election.pk), {"title": "x", "matter": "ordinary"}).status_code == 403
    assert client.post(url("election_notice", election.pk)).status_code == 403
    client.force_login(committee_staff)
    client.post(url("election_motion_add", election.pk), {"title": "修订议事规则", "matter": "ordinary"})
    assert list(election.motions.values_list("title", flat=True)) == ["修订议事规则"]
    opened = client.post(url("election_transition", election.pk, "open"), follow=True).content.decode()
    assert "请先发布公告" in opened
    posted = client.post(url("election_notice", election.pk), follow=True).content.decode()
    assert "公告已发布" in posted
    early = client.post(url("election_transition", election.pk, "open"), follow=True).content.decode()
    assert "公告期未满" in early and "最早可于" in early
    election.refresh_from_db()
    assert election.status == Election.Status.DRAFT


def test_staff_create_an_owners_decision_from_the_form(client, committee_staff, community):
    client.force_login(committee_staff)
    response = client.post(url("election_new"), {
        "community": community.slug, "title": "业主大会", "counting": "headcount", "electorate_role": "resident",
        "electorate": "unit_owners", "rule": "owners", "tie_rule": "lot", "notice_days": "15", "posts_text": ""})
    election = Election.objects.get()
    assert response.status_code == 302
    assert (election.electorate, election.rule, election.tie_rule, election.notice_days, election.counting) == \
        ("unit_owners", "owners", "lot", 15, "headcount_and_area")
    assert not election.posts.exists()
    edit = client.get(url("election_edit", election.pk)).content.decode()
    assert "选民来源" in edit and "业主（按专有部分，一户一票）" in edit and "本村十八周岁以上村民" not in edit


def test_a_published_tie_offers_the_runoff_to_staff_only(client, committee_staff, community, owners, resident):
    """a and b one vote each for one seat, tie rule run-off: the page says so; staff draft the run-off."""
    election = svc.election_create(actor=committee_staff, community=community, posts=[("会长", 1)], fields={
        "title": "会长选举", "electorate_role": "resident", "tie_rule": "runoff"})
    post = election.posts.get()
    a, b = (svc.election_candidate_add(actor=committee_staff, election=election, post=post, user=u) for u in owners)
    svc.election_open(election=election, actor=committee_staff)
    for voter, pick in zip(owners, (b, a)):
        svc.ballot_cast(election=election, actor=voter, choices={str(post.pk): [str(pick.pk)]})
    svc.election_close(election=election, actor=committee_staff)
    svc.election_publish(election=election, actor=committee_staff)
    client.force_login(resident)
    page = client.get(url("election_detail", election.pk)).content.decode()
    assert "票数相同，另行决选" in page and "发起决选" not in page
    assert client.post(url("election_runoff", election.pk, post.pk)).status_code == 403
    client.force_login(committee_staff)
    assert "发起决选" in client.get(url("election_detail", election.pk)).content.decode()
    response = client.post(url("election_runoff", election.pk, post.pk))
    runoff = Election.objects.exclude(pk=election.pk).get()
    assert response["Location"] == url("election_detail", runoff.pk)
    assert runoff.status == Election.Status.DRAFT and runoff.candidates.count() == 2


def test_the_confirmation_page_query_count_does_not_grow(client, django_assert_max_num_queries, committee_staff,
                                                         community, building, motion_vote):
    election, motion = motion_vote
    people = [person_in(unit(building, 50), name=f"纸{i}") for i in range(6)]
    rows = ElectionVoter.objects.bulk_create([ElectionVoter(election=election, person=p) for p in people])
    client.force_login(committee_staff)
    confirm = url("election_paper_confirm", election.pk)
    paper.paper_ballot_enter(actor=committee_staff, election=election, voter_id=rows[0].pk, choices={},
                             motions={str(motion.pk): "for"})
    with django_assert_max_num_queries(15):
        assert client.get(confirm).status_code == 200
    for row in rows[1:]:
        paper.paper_ballot_enter(actor=committee_staff, election=election, voter_id=row.pk, choices={},
                                 motions={str(motion.pk): "abstain"})
    with django_assert_max_num_queries(15):
        page = client.get(confirm).content.decode()
    assert page.count("由您录入") == 6


# --- the candidate field resolves only within the election's community (issue 12 item 13) -------------------

def test_the_candidate_field_never_finds_someone_of_another_community(client, committee_staff, community,
                                                                    other_community, building):
    from communities.models import ElectionCandidate, Role

    from ..factories import make_member

    election, _ = decision(committee_staff, community, posts=[("会长", 1)], electorate="role", rule="simple")
    post = election.posts.get()
    stranger = make_member(other_community, Role.RESIDENT, username="stranger", name="外社区的王五")
    stranger.person.phone = "13900001234"
    stranger.person.save(update_fields=["phone"])
    client.force_login(committee_staff)
    for key in ("13900001234", "stranger"):
        page = client.post(url("election_candidate_add", election.pk), {"post": post.pk, "user_key": key},
                           follow=True).content.decode()
        assert "本社区找不到账号或手机号为" in page and "外社区的王五" not in page
    assert not ElectionCandidate.objects.exists()
    neighbour = owner_of(community, unit(building, 90), username="neighbour", name="本社区的李四")
    neighbour.person.phone = "13900005678"
    neighbour.person.save(update_fields=["phone"])
    client.post(url("election_candidate_add", election.pk), {"post": post.pk, "user_key": "139 0000 5678"})
    assert ElectionCandidate.objects.get().user == neighbour
