"""The two groups (二群): channel membership, posting rights, read receipts, the unread badge, page queries."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import Notification, Team
from communities.services.errors import DomainError
from landlords.models import Announcement, AnnouncementRead, Channel
from landlords.selectors import channels as sel
from landlords.services.channels import announcement_mark_read, announcement_post, channels_ensure

from .mediation_world import building2, key, landlord2, landlord2_let, moved_out_tenant, other_staff  # noqa: F401


@pytest.fixture
def channels(community, building, building2):
    # The team channel is 蓉治社's: its members are the team's (the community's sublandlords).
    Team.objects.create(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    channels_ensure(community=community)
    return {"team": Channel.objects.get(community=community, kind=Channel.Kind.TEAM),
            "b1": Channel.objects.get(building=building), "b2": Channel.objects.get(building=building2)}


def post(actor, channel, title="停水通知", body="周三上午九点到十一点停水。", **kw):
    return announcement_post(actor=actor, channel=channel, title=title, body=body, **kw)[0]


def names(qs):
    return sorted(u.username for u in qs)


def test_ensure_is_idempotent(community, building, building2, committee_staff):
    assert channels_ensure(community=community, actor=committee_staff) == 3
    assert channels_ensure(community=community, actor=committee_staff) == 0
    assert Channel.objects.get(building=building).name == "1号楼楼组群"


def test_ensure_needs_staff(community, landlord):
    with pytest.raises(PermissionDenied):
        channels_ensure(community=community, actor=landlord)


def test_membership_rules(channels, resident, tenant, landlord, landlord2, landlord2_let, committee_staff,
                          party_secretary, moved_out_tenant, outsider):
    assert names(sel.channel_members(channels["team"])) == ["landlord", "landlord2", "secretary", "staff"]
    # 1号楼: its resident, its tenant, the sublandlord of its let unit (landlord), staff; not the moved-out tenant.
    assert names(sel.channel_members(channels["b1"])) == ["landlord", "resident", "staff", "tenant"]
    assert names(sel.channel_members(channels["b2"])) == ["landlord2", "staff"]
    # The per-user filter agrees with the member lists.
    for user in (resident, tenant, landlord, landlord2, committee_staff, party_secretary, moved_out_tenant, outsider):
        mine = {c.pk for c in sel.channels_for(user=user)}
        expected = {c.pk for c in channels.values() if user in sel.channel_members(c)}
        assert mine == expected, user.username


@pytest.mark.parametrize("who,channel,allowed", [
    ("committee_staff", "team", True), ("committee_staff", "b1", True), ("landlord", "b1", True),
    ("landlord", "b2", False), ("landlord", "team", False), ("tenant", "b1", False), ("party_secretary", "team", False),
    ("resident", "b1", False),
])
def test_posting_rights(request, channels, let_unit, tenant, resident, party_secretary, who, channel, allowed):
    actor = request.getfixturevalue(who)
    if allowed:
        assert post(actor, channels[channel]).posted_by == actor
    else:
        with pytest.raises(PermissionDenied):
            post(actor, channels[channel])
        assert not Announcement.objects.exists()


def test_officers_post_to_the_team_channel(monkeypatch, channels, landlord):
    monkeypatch.setattr(sel, "is_officer", lambda user, community: user == landlord)
    assert post(landlord, channels["team"]).channel == channels["team"]


def test_other_community_staff_cannot_post(channels, other_staff):
    with pytest.raises(PermissionDenied):
        post(other_staff, channels["b1"])


@pytest.mark.parametrize("kw", [{"title": " "}, {"body": ""}, {"title": "长" * 101}])
def test_bad_announcement_changes_nothing(channels, committee_staff, kw):
    with pytest.raises(DomainError):
        post(committee_staff, channels["b1"], **kw)
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_double_post_posts_once(channels, committee_staff, resident):
    k = key()
    assert post(committee_staff, channels["b1"], submission_key=k) == post(committee_staff, channels["b1"],
                                                                           submission_key=k)
    assert Announcement.objects.count() == 1 and Notification.objects.filter(recipient=resident).count() == 1


def test_post_notifies_members_in_one_insert(channels, committee_staff, resident, tenant, let_unit, landlord,
                                             django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        post(committee_staff, channels["b1"])
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"resident", "tenant",
                                                                                         "landlord"}
    note = Notification.objects.get(recipient=resident)
    assert "1号楼楼组群" in note.title and "停水通知" in note.title
    assert sum("INSERT INTO \"communities_notification\"" in q["sql"] for q in few.captured_queries) == 1


def test_read_receipts_are_idempotent(channels, committee_staff, resident, tenant, let_unit, landlord):
    a = post(committee_staff, channels["b1"])
    assert announcement_mark_read(user=resident, announcement=a) is True
    assert announcement_mark_read(user=resident, announcement=a) is False
    assert AnnouncementRead.objects.filter(announcement=a, user=resident).count() == 1
    receipts = sel.announcement_receipts(announcement=a)
    # members: staff (the poster, read on posting), resident (read), tenant, landlord.
    assert (receipts["read"], receipts["expected"]) == (2, 4)
    assert sorted(receipts["unread_names"]) == sorted(["小李", "陈师傅"])


def test_unread_count_is_one_query(channels, committee_staff, resident, django_assert_num_queries):
    first = post(committee_staff, channels["b1"])
    post(committee_staff, channels["b1"], title="第二条")
    post(committee_staff, channels["team"], title="不是居民的群")
    post(committee_staff, channels["b2"], title="别的楼")
    announcement_mark_read(user=resident, announcement=first)
    with django_assert_num_queries(1):
        assert sel.unread_count(resident) == 1
    with django_assert_num_queries(1):
        assert sel.unread_count(committee_staff) == 0


def test_my_channels_show_unread(client, channels, committee_staff, resident):
    post(committee_staff, channels["b1"])
    post(committee_staff, channels["b1"], title="第二条")
    client.force_login(resident)
    listed = list(client.get(reverse("landlords:channel_list")).context["channels"])
    assert [(c.pk, c.unread) for c in listed] == [(channels["b1"].pk, 2)]


def test_channel_pages_by_role(client, channels, committee_staff, resident, tenant, party_secretary, other_staff):
    a = post(committee_staff, channels["b1"])
    cases = [
        (resident, "channel_detail", channels["b1"].pk, 200), (resident, "channel_detail", channels["team"].pk, 403),
        (party_secretary, "channel_detail", channels["b1"].pk, 403),
        (other_staff, "channel_detail", channels["b1"].pk, 404), (resident, "announcement_detail", a.pk, 200),
        (other_staff, "announcement_detail", a.pk, 404), (resident, "announcement_new", channels["b1"].pk, 403),
        (tenant, "announcement_new", channels["b1"].pk, 403),
        (committee_staff, "announcement_new", channels["b1"].pk, 200),
        (other_staff, "announcement_new", channels["b1"].pk, 404),
    ]
    for user, name, pk, status in cases:
        client.force_login(user)
        assert client.get(reverse(f"landlords:{name}", args=[pk])).status_code == status, (user.username, name)


def test_opening_marks_read_and_receipts_only_for_poster_and_staff(client, channels, let_unit, landlord, resident,
                                                                   committee_staff):
    a = post(landlord, channels["b1"])
    client.force_login(resident)
    page = client.get(reverse("landlords:announcement_detail", args=[a.pk]))
    assert page.context["receipts"] is None and AnnouncementRead.objects.filter(user=resident).exists()
    client.get(reverse("landlords:announcement_detail", args=[a.pk]))
    assert AnnouncementRead.objects.filter(user=resident).count() == 1
    for viewer in (landlord, committee_staff):
        client.force_login(viewer)
        body = client.get(reverse("landlords:announcement_detail", args=[a.pk])).content.decode()
        assert "已读" in body and "应读" in body


def test_post_page(client, channels, committee_staff, resident):
    client.force_login(committee_staff)
    url = reverse("landlords:announcement_new", args=[channels["b1"].pk])
    data = {"title": "消防检查", "body": "周五检查楼道。", "submission_key": str(key())}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Announcement.objects.count() == 1


def _announcements(n, actor, channel):
    for i in range(n):
        post(actor, channel, title=f"公告{i}")


def test_channel_list_and_detail_query_counts_constant(client, channels, committee_staff, resident,
                                                       django_assert_max_num_queries):
    client.force_login(resident)
    _announcements(2, committee_staff, channels["b1"])
    urls = [reverse("landlords:channel_list"), reverse("landlords:channel_detail", args=[channels["b1"].pk])]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(15) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    _announcements(18, committee_staff, channels["b1"])
    for url, count in zip(urls, counts):
        with django_assert_max_num_queries(count):
            client.get(url)


def test_sync_view(client, community, building, committee_staff, landlord):
    url, form = reverse("landlords:channels_sync"), {"community": community.slug}
    client.force_login(landlord)
    assert client.post(url, form).status_code == 403
    client.force_login(committee_staff)
    assert client.post(url, form).status_code == 302
    assert Channel.objects.filter(community=community).count() == 2


def test_menu_badge_counts_once_a_while_and_again_after_reading(client, channels, committee_staff, resident,
                                                                django_assert_max_num_queries, monkeypatch):
    from landlords import navigation
    from tests.factories import serve

    monkeypatch.setattr(navigation, "BADGE_SECONDS", 20)  # tests/conftest.py turns it off for the others
    assert Team.objects.filter(community=channels["b1"].community, kind=Team.Kind.LANDLORD_TEAM).exists()
    serve(channels["b1"].community)
    first = post(committee_staff, channels["b1"])
    post(committee_staff, channels["b1"], title="第二条")
    client.force_login(resident)
    hub = reverse("landlords:hub")

    def badge():
        return next(i.badge for i in client.get(reverse("home")).context["nav_items"] if i.url == hub)

    assert badge() == 2
    with django_assert_max_num_queries(100) as counted:
        assert badge() == 2  # within BADGE_SECONDS: the count is not asked again
    # The unread count is not asked again (the home page's 楼组公告 card still lists the newest three).
    assert not any("landlords_announcement" in q["sql"] and "COUNT(" in q["sql"].upper()
                   for q in counted.captured_queries)
    client.get(reverse("landlords:announcement_detail", args=[first.pk]))  # opening it marks it read
    assert badge() == 1
    navigation._badges.clear()
    assert badge() == 1
