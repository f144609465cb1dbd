"""What every page knows about the signed-in user (communities.viewer), the session read and the auth backend:
loaded in one query each, and never stale after the user's own change."""
import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import policy, viewer
from communities.models import Membership, Notification, Role, Team
from communities.selectors.teams import team_ids_of as member_team_ids
from communities.services.notifications import mark_read
from landlords.selectors.hub import served_for

from ..factories import CommunityFactory, TeamFactory, make_member, serve, team_join


def notify(user, n, *, read=False):
    for i in range(n):
        Notification.objects.create(recipient=user, title=f"通知{i}", read_at=timezone.now() if read else None)


@pytest.fixture
def busy_staff(community, other_community):
    """Committee staff here and a resident there, in two teams, with two unread notifications and one read."""
    user = make_member(community, Role.COMMITTEE_STAFF, username="busy", name="忙碌")
    Membership.objects.create(user=user, community=community, role=Role.PARTY_SECRETARY)
    Membership.objects.create(user=user, community=other_community, role=Role.RESIDENT)
    for name in ("巡查队", "调解队"):
        team_join(TeamFactory(community=community, name=name), user)
    notify(user, 2)
    notify(user, 1, read=True)
    return user


def test_every_fact_comes_in_one_query(busy_staff, community, other_community, django_assert_num_queries):
    serve(other_community, "landlords")
    team_ids = sorted(member_team_ids(busy_staff))  # the plain read the one-query facts must agree with
    with django_assert_num_queries(1):
        facts = viewer.facts_of(busy_staff)
        assert policy.memberships(busy_staff) == {community.pk: {Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY},
                                                  other_community.pk: {Role.RESIDENT}}
        assert policy.team_ids_of(busy_staff) == team_ids
        assert policy.roles_in(busy_staff, other_community) == {Role.RESIDENT}
    assert facts.unread_notifications == 2
    assert facts.app_communities["landlords"] == {other_community.pk}
    assert len(facts.team_ids) == 2


def test_an_anonymous_visitor_has_no_facts_and_costs_no_query(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        facts = viewer.facts_of(AnonymousUser())
        assert policy.memberships(AnonymousUser()) == {}
        assert policy.team_ids_of(AnonymousUser()) == []
    assert facts.unread_notifications == 0


def test_a_user_with_nothing_gets_empty_facts(no_role_user):
    facts = viewer.facts_of(no_role_user)
    assert (facts.memberships, facts.team_ids, facts.unread_notifications) == ({}, [], 0)


def test_reading_notifications_is_counted_again_in_the_same_request(busy_staff, django_assert_num_queries):
    assert viewer.facts_of(busy_staff).unread_notifications == 2
    mark_read(user=busy_staff)
    with django_assert_num_queries(1):  # loaded again, once
        assert viewer.facts_of(busy_staff).unread_notifications == 0
        assert viewer.facts_of(busy_staff).unread_notifications == 0


def test_the_menu_badge_and_the_inbox_show_the_same_count(client, busy_staff):
    client.force_login(busy_staff)
    html = client.get(reverse("home")).content.decode()
    assert 'badge rounded-pill badge-unread">2<' in html
    html = client.get(reverse("communities:notification_list")).content.decode()
    assert "通知0" in html


def test_the_landlords_entry_shows_only_where_the_app_serves(client, community, other_community, busy_staff):
    """Staff of a community the app does not serve see no entry; once it serves the other community (where they
    are only a resident), they see it, since every member may open the hub."""
    assert not served_for(user=busy_staff)
    serve(other_community, "landlords")
    viewer.forget(busy_staff)
    assert served_for(user=busy_staff)
    client.force_login(busy_staff)
    assert reverse("landlords:hub") in client.get(reverse("home")).content.decode()


def test_a_town_role_sees_the_landlords_entry_when_the_app_serves_any_community(town_staff, community):
    assert not served_for(user=town_staff)
    serve(CommunityFactory(), "landlords")
    viewer.forget(town_staff)
    assert served_for(user=town_staff)


def test_a_community_served_but_none_of_the_users_gives_no_entry(other_community, resident):
    serve(other_community, "landlords")
    assert not served_for(user=resident)


def test_a_landlords_team_alone_no_longer_makes_the_app_serve(client, community, resident):
    """Which apps serve a community is a row staff set, not a guess from the kinds of its teams."""
    TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    assert not served_for(user=resident)
    client.force_login(resident)
    assert reverse("landlords:hub") not in client.get(reverse("home")).content.decode()


# --- the session read (communities.sessions) and the auth backend ---------------------------------------------------

def test_a_signed_in_page_reads_the_session_and_the_user_in_two_queries(client, resident):
    client.force_login(resident)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum("django_session" in s for s in sql) == 1
    assert sum(s.startswith('SELECT "communities_user"."id"') for s in sql) == 1
    assert sum("UNION ALL" in s for s in sql) == 1


def test_an_expired_session_signs_the_user_out(client, resident):
    client.force_login(resident)
    assert client.get(reverse("communities:case_mine")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("communities:case_mine"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_unknown_session_key_is_anonymous_and_gets_a_new_key(client, resident):
    client.cookies["sessionid"] = "nosuchsessionkeyatall1234567890ab"
    response = client.get(reverse("communities:case_mine"))
    assert response.status_code == 302
    client.force_login(resident)
    assert client.cookies["sessionid"].value != "nosuchsessionkeyatall1234567890ab"


def test_a_deleted_user_is_signed_out(client, resident):
    client.force_login(resident)
    resident.delete()
    response = client.get(reverse("communities:case_mine"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
