"""One way to say which community a page is about: ``?community=<slug>`` (communities.picker)."""
import pytest
from django.urls import reverse

from communities.models import Membership, Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_of_two(community, village):
    user = make_member(community, Role.COMMITTEE_STAFF, username="two", name="两边跑")
    Membership.objects.create(user=user, community=village, role=Role.COMMITTEE_STAFF)
    return user


def test_without_a_slug_the_page_opens_in_the_first_community_by_name(client, staff_of_two, community, village):
    client.force_login(staff_of_two)
    page = client.get(reverse("communities:title_manage"))
    assert page.status_code == 200
    first = min([community, village], key=lambda c: c.name)
    assert page.context["community"] == first


def test_the_slug_picks_the_community(client, staff_of_two, village):
    client.force_login(staff_of_two)
    page = client.get(reverse("communities:title_manage"), {"community": village.slug})
    assert page.context["community"] == village


def test_a_community_not_the_users_is_not_found(client, committee_staff, other_community):
    client.force_login(committee_staff)
    for name in ("communities:title_manage", "communities:qr_sheet", "communities:routing_edit",
                 "communities:rota_new", "communities:meeting_new", "communities:election_new"):
        assert client.get(reverse(name), {"community": other_community.slug}).status_code == 404, name
        assert client.get(reverse(name), {"community": "no-such-place"}).status_code == 404, name


def test_the_older_path_style_moves_the_slug_to_the_query_and_keeps_the_rest(client, committee_staff, community):
    client.force_login(committee_staff)
    response = client.get(f"/communities/{community.slug}/titles/?q=%E9%99%88")
    assert response.status_code == 301
    assert response["Location"].startswith(reverse("communities:title_manage") + "?")
    assert "community=rongting" in response["Location"] and "q=%E9%99%88" in response["Location"]
    assert client.get(response["Location"]).context["community"] == community


def test_the_older_path_style_does_not_open_a_door(client, outsider, community):
    client.force_login(outsider)
    response = client.get(f"/communities/{community.slug}/routing/", follow=True)
    assert response.status_code == 403 or response.status_code == 404


def test_a_post_keeps_its_community_from_the_query(client, staff_of_two, village, community):
    """The forms post to the page's own URL, so ``?community=`` carries through a save."""
    client.force_login(staff_of_two)
    url = reverse("communities:routing_edit") + f"?community={village.slug}"
    page = client.get(url)
    assert page.context["community"] == village


def test_the_dashboard_reads_its_community_through_the_picker(client, town_staff, committee_staff, community,
                                                              other_community):
    client.force_login(town_staff)
    overview = client.get(reverse("communities:dashboard"))
    assert overview.context["overview"] and len(overview.context["boards"]) >= 2
    one = client.get(reverse("communities:dashboard"), {"community": other_community.slug})
    assert [b.community for b in one.context["boards"]] == [other_community] and not one.context["overview"]
    assert client.get(reverse("communities:dashboard"), {"community": "no-such-place"}).status_code == 404
    client.force_login(committee_staff)
    assert client.get(reverse("communities:dashboard"), {"community": other_community.slug}).status_code == 404


def test_a_rule_that_grants_on_the_community_itself_is_asked_of_it(client, community, landlord, other_community):
    """community_checked: a 蓉治社 officer drafts the charter through the rule's extra grant; another sublandlord
    of the same community is refused (403, as before), and the same page elsewhere is not found."""
    from tests.communities.documents_helpers import make_officer

    url = reverse("landlords:document_draft", args=["charter"])
    client.force_login(landlord)
    assert client.get(url, {"community": community.slug}).status_code == 403
    make_officer(community, landlord)
    assert client.get(url, {"community": community.slug}).context["community"] == community
    assert client.get(url).context["community"] == community
    assert client.get(url, {"community": other_community.slug}).status_code == 404
