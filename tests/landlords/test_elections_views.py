"""Election pages and the 蓉治社 team: right role succeeds, wrong role 403, other community 404."""
import pytest
from django.urls import reverse

from communities.models import AuditEvent, Backbone, Ballot, Election, Team
from communities.services import elections as svc
from landlords.selectors.team import is_officer
from landlords.services.team import office_for, team_officers_apply
from tests.factories import TeamFactory, serve

from .election_helpers import add, draft, sublandlords


@pytest.fixture
def team(community):
    serve(community)
    return TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)


@pytest.fixture
def opened(committee_staff, community, landlord, team):
    people = sublandlords(community, 3)
    election = draft(committee_staff, community, team=team, posts=[("会长", 1), ("骨干", 2)])
    president = add(committee_staff, election, "会长", [landlord, people[0]])
    backbone = add(committee_staff, election, "骨干", people[1:3])
    svc.election_open(election=election, actor=committee_staff)
    election.refresh_from_db()
    return election, president, backbone


def url(name, *args):
    return reverse(f"communities:{name}", args=args)


def test_members_see_the_list_and_page_outsider_gets_404(client, opened, resident, tenant, outsider):
    election = opened[0]
    for user in (resident, tenant):
        client.force_login(user)
        assert election.title in client.get(url("election_list")).content.decode()
        assert client.get(url("election_detail", election.pk)).status_code == 200
        assert client.get(url("election_verify", election.pk)).status_code == 200
    client.force_login(outsider)
    assert election.title not in client.get(url("election_list")).content.decode()
    for name in ("election_detail", "election_verify"):
        assert client.get(url(name, election.pk)).status_code == 404
    assert client.post(url("election_vote", election.pk)).status_code == 404


def test_staff_create_an_election_with_posts(client, committee_staff, community, team):
    client.force_login(committee_staff)
    assert client.get(url("election_new")).status_code == 200
    response = client.post(url("election_new"), {
        "community": community.slug, "title": "骨干选举", "counting": "headcount", "electorate_role": "sublandlord",
        "team": team.pk, "posts_text": "会长，1\n副会长，2\n骨干 5"})
    election = Election.objects.get()
    assert response.status_code == 302 and response["Location"] == url("election_detail", election.pk)
    assert [(p.name, p.seats) for p in election.posts.all()] == [("会长", 1), ("副会长", 2), ("骨干", 5)]


def test_bad_form_input_gets_a_message_and_saves_nothing(client, committee_staff, community):
    client.force_login(committee_staff)
    response = client.post(url("election_new"), {
        "community": community.slug, "title": "x", "counting": "headcount", "electorate_role": "sublandlord",
        "posts_text": "会长，一"})
    assert response.status_code == 400 and "名额应是数字" in response.content.decode()
    assert not Election.objects.exists()


def test_wrong_role_gets_403_on_staff_pages(client, opened, landlord, party_secretary):
    election = opened[0]
    for user in (landlord, party_secretary):
        client.force_login(user)
        assert client.get(url("election_new")).status_code == 403
        assert client.get(url("election_edit", election.pk)).status_code == 403
        assert client.post(url("election_transition", election.pk, "close")).status_code == 403
        assert client.post(url("election_candidate_add", election.pk), {}).status_code == 403
    election.refresh_from_db()
    assert election.status == Election.Status.OPEN


def test_not_on_the_roll_gets_403_on_the_vote(client, opened, resident):
    election, president, _ = opened
    client.force_login(resident)
    response = client.post(url("election_vote", election.pk), {f"post-{president[0].post_id}": president[0].pk})
    assert response.status_code == 403 and not Ballot.objects.exists()


def test_vote_shows_the_receipt_once_then_verify_finds_it(client, opened, landlord):
    election, president, backbone = opened
    client.force_login(landlord)
    page = client.get(url("election_detail", election.pk)).content.decode()
    assert "提交选票" in page
    response = client.post(url("election_vote", election.pk), {
        f"post-{president[0].post_id}": president[0].pk, f"post-{backbone[0].post_id}": [backbone[0].pk]})
    assert response.status_code == 200
    code = response.context["receipt"]
    assert code in response.content.decode()
    page = client.get(url("election_detail", election.pk)).content.decode()
    assert "提交选票" not in page and "您已投票" in page and code not in page
    found = client.post(url("election_verify", election.pk), {"code": code}).content.decode()
    assert "找到这张选票" in found and "陈师傅" in found
    wrong = client.post(url("election_verify", election.pk), {"code": "ZZZZ-ZZZZ-ZZZZ"}).content.decode()
    assert "没有找到与这个回执码对应的选票" in wrong


def test_double_submit_says_so(client, opened, landlord):
    election, president, _ = opened
    client.force_login(landlord)
    data = {f"post-{president[0].post_id}": president[0].pk}
    client.post(url("election_vote", election.pk), data)
    response = client.post(url("election_vote", election.pk), data, follow=True)
    assert "您已经投过票了" in response.content.decode()
    assert Ballot.objects.count() == 1


def test_too_many_choices_get_a_chinese_message(client, opened, landlord):
    election, president, _ = opened
    client.force_login(landlord)
    response = client.post(url("election_vote", election.pk),
                           {f"post-{president[0].post_id}": [c.pk for c in president]}, follow=True)
    assert "最多选 1 人" in response.content.decode() and not Ballot.objects.exists()


def test_staff_close_and_publish_then_everyone_sees_the_tally_and_audit(client, opened, committee_staff, landlord,
                                                                        resident):
    election, president, backbone = opened
    svc.ballot_cast(election=election, actor=landlord, choices={str(president[0].post_id): [str(president[0].pk)]})
    client.force_login(committee_staff)
    for action in ("close", "publish"):
        client.post(url("election_transition", election.pk, action))
    again = client.post(url("election_transition", election.pk, "publish"), follow=True).content.decode()
    assert "无需重复操作" in again
    client.force_login(resident)
    page = client.get(url("election_detail", election.pk)).content.decode()
    assert "计票结果" in page and "当选" in page and "公布结果" in page and "居委小张" in page
    assert Backbone.objects.filter(election=election, user=landlord, office="president").exists()


def test_election_page_query_count_does_not_grow(client, django_assert_max_num_queries, opened, committee_staff,
                                                 community):
    election = opened[0]
    client.force_login(committee_staff)
    with django_assert_max_num_queries(20):
        assert client.get(url("election_detail", election.pk)).status_code == 200
    more = sublandlords(community, 10, prefix="more")
    Election.objects.filter(pk=election.pk).update(status=Election.Status.DRAFT)
    add(committee_staff, election, "骨干", more)
    with django_assert_max_num_queries(20):
        assert client.get(url("election_detail", election.pk)).status_code == 200


# --- 蓉治社 officers ----------------------------------------------------------------------------------

def test_office_names():
    assert office_for("会长") == ("president", False)
    assert office_for("增补骨干") == ("backbone", True)
    assert office_for("监事") == (None, False)


def test_publishing_replaces_officers_and_a_by_election_adds(opened, committee_staff, community, landlord, team):
    election, president, backbone = opened
    svc.ballot_cast(election=election, actor=landlord, choices={
        str(president[0].post_id): [str(president[0].pk)], str(backbone[0].post_id): [str(c.pk) for c in backbone]})
    svc.election_close(election=election, actor=committee_staff)
    svc.election_publish(election=election, actor=committee_staff)
    current = lambda: set(Backbone.objects.filter(team=team, term_end__isnull=True)  # noqa: E731
                          .values_list("user__username", "office"))
    assert current() == {("landlord", "president"), ("sl1", "backbone"), ("sl2", "backbone")}
    assert is_officer(landlord, community) and not is_officer(committee_staff, community)
    election.refresh_from_db()
    assert team_officers_apply(election=election, actor=committee_staff) == []  # repeated: nothing changes
    assert AuditEvent.objects.filter(action="election.officers_apply").count() == 1

    by = draft(committee_staff, community, team=team, title="增补", posts=[("增补骨干", 1)])
    (extra,) = add(committee_staff, by, "增补骨干", sublandlords(community, 1, prefix="new"))
    svc.election_open(election=by, actor=committee_staff)
    svc.ballot_cast(election=by, actor=landlord, choices={str(extra.post_id): [str(extra.pk)]})
    svc.election_close(election=by, actor=committee_staff)
    svc.election_publish(election=by, actor=committee_staff)
    assert current() == {("landlord", "president"), ("sl1", "backbone"), ("sl2", "backbone"), ("new0", "backbone")}

    again = draft(committee_staff, community, team=team, title="换届", posts=[("会长", 1)])
    (new_president,) = add(committee_staff, again, "会长", [backbone[0].user])
    svc.election_open(election=again, actor=committee_staff)
    svc.ballot_cast(election=again, actor=landlord, choices={str(new_president.post_id): [str(new_president.pk)]})
    svc.election_close(election=again, actor=committee_staff)
    svc.election_publish(election=again, actor=committee_staff)
    # The new president leaves the backbone; the old president is no longer an officer; history stays.
    assert current() == {("sl1", "president"), ("sl2", "backbone"), ("new0", "backbone")}
    assert Backbone.objects.filter(team=team, user=landlord, term_end__isnull=False).exists()
    assert set(Backbone.objects.filter(team=team).values_list("source", flat=True)) == {Backbone.Source.ELECTION}
    assert not is_officer(landlord, community)


def test_team_page(client, django_assert_max_num_queries, opened, team, community, resident, outsider,
                   let_unit, landlord):
    client.force_login(resident)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("landlords:team"))
    page = response.content.decode()
    assert response.status_code == 200 and "蓉治社" in page and "陈师傅" in page and opened[0].title in page
    assert response.context["members"].get(pk=landlord.pk).units == 1
    client.force_login(outsider)
    assert client.get(reverse("landlords:team")).status_code == 404
    assert client.get(reverse("landlords:team") + "?community=rongting").status_code == 404


def test_staff_of_another_community_get_404(client, opened, other_community):
    from communities.models import Role
    from tests.factories import make_member
    stranger = make_member(other_community, Role.COMMITTEE_STAFF, username="meilan_staff")
    election = opened[0]
    client.force_login(stranger)
    assert client.get(url("election_edit", election.pk)).status_code == 404
    assert client.post(url("election_transition", election.pk, "close")).status_code == 404
    assert client.get(url("election_new") + "?community=rongting").status_code == 404
    election.refresh_from_db()
    assert election.status == Election.Status.OPEN


def test_candidate_add_and_remove_say_what_happened(client, committee_staff, community, team, landlord):
    election = draft(committee_staff, community, team=team, posts=[("会长", 1)])
    post = election.posts.get()
    client.force_login(committee_staff)
    added = client.post(url("election_candidate_add", election.pk),
                        {"post": post.pk, "user_key": landlord.username, "statement": ""}, follow=True)
    assert "已添加候选人。" in added.content.decode()
    candidate = election.candidates.get()
    remove = url("election_candidate_remove", election.pk, candidate.pk)
    assert "已移除候选人。" in client.post(remove, follow=True).content.decode()
    assert not election.candidates.exists()
    assert client.post(remove).status_code == 404  # the row is gone: a second click finds nothing to remove


def test_a_refused_step_shows_the_services_reason(client, opened, committee_staff):
    election = opened[0]
    client.force_login(committee_staff)
    # Voting is open: publishing before closing is refused by the workflow, and the page says why.
    response = client.post(url("election_transition", election.pk, "publish"), follow=True)
    election.refresh_from_db()
    assert election.status == Election.Status.OPEN
    assert response.status_code == 200 and 'alert-danger' in response.content.decode()
