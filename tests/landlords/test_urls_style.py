"""蓉庭's documents pages and the channels' sync in the one URL style (``?community=<slug>``, communities.picker);
their older addresses, with the community in the path, keep working and stay guarded."""
import pytest
from django.urls import reverse

from communities.models import DocumentAcknowledgement, Notification, Role
from landlords.models import Channel
from tests.communities.documents_helpers import COVENANT, adopted
from tests.factories import make_member

pytestmark = pytest.mark.django_db

# old address → (URL name of the page it leads to, its arguments, who may open it)
OLD = {
    "/landlords/rongting/documents/covenant/": ("landlords:document_current", ["covenant"], "tenant"),
    "/landlords/rongting/documents/charter/draft/": ("landlords:document_draft", ["charter"], "committee_staff"),
    "/landlords/rongting/covenant/paper/": ("landlords:covenant_paper", [], "landlord"),
    "/landlords/rongting/covenant/report/": ("landlords:covenant_report", [], "committee_staff"),
    "/landlords/rongting/charter/report/": ("landlords:charter_report", [], "committee_staff"),
}


@pytest.fixture
def covenant(community, committee_staff, landlord):
    return adopted(community, COVENANT, drafter=landlord, staff=committee_staff)


@pytest.fixture
def foreign_staff(other_community):
    return make_member(other_community, Role.COMMITTEE_STAFF, username="staff_meilan", name="美兰居委")


@pytest.mark.parametrize("old", OLD)
def test_an_old_address_moves_the_slug_to_the_query_and_keeps_the_rest(client, request, old):
    name, args, persona = OLD[old]
    client.force_login(request.getfixturevalue(persona))
    response = client.get(old + "?page=2&q=%E9%99%88")
    assert response.status_code == 301
    path, query = response["Location"].split("?")
    assert path == reverse(name, args=args)
    assert sorted(query.split("&")) == ["community=rongting", "page=2", "q=%E9%99%88"]
    assert client.get(response["Location"]).status_code == 200


def test_the_old_address_opens_the_same_page(client, committee_staff, community, covenant):
    client.force_login(committee_staff)
    response = client.get("/landlords/rongting/documents/covenant/", follow=True)
    assert response.redirect_chain[0][1] == 301
    assert response.status_code == 200 and response.context["community"] == community
    assert "第一条" in response.content.decode()


def test_a_form_posted_to_an_old_address_arrives_with_its_body(client, tenant, covenant):
    client.force_login(tenant)
    response = client.post("/landlords/rongting/documents/covenant/acknowledge/", follow=True)
    assert response.redirect_chain[0] == (reverse("landlords:document_acknowledge", args=["covenant"])
                                          + "?community=rongting", 308)
    assert DocumentAcknowledgement.objects.get().person == tenant.person


def test_the_old_sync_address_keeps_the_post(client, community, building, committee_staff):
    client.force_login(committee_staff)
    response = client.post(f"/landlords/channels/sync/{community.slug}/", follow=True)
    assert response.redirect_chain[0] == (reverse("landlords:channels_sync") + "?community=rongting", 308)
    assert Channel.objects.filter(community=community).count() == 2


def test_sync_needs_its_community_named(client, community, building, committee_staff, other_community):
    client.force_login(committee_staff)
    assert client.post(reverse("landlords:channels_sync")).status_code == 404
    assert client.post(reverse("landlords:channels_sync"), {"community": other_community.slug}).status_code == 404
    assert not Channel.objects.exists()


@pytest.mark.parametrize("old", [*OLD, "/landlords/rongting/documents/covenant/acknowledge/",
                                 "/landlords/channels/sync/rongting/"])
def test_anonymous_at_an_old_address_is_sent_to_login(client, old):
    for method in (client.get, client.post):
        response = method(old)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_old_address_opens_no_door(client, tenant, landlord, foreign_staff, outsider, covenant):
    """The same answers as before the move: 403 without the role, 404 in another community."""
    client.force_login(tenant)
    assert client.get("/landlords/rongting/covenant/report/", follow=True).status_code == 403
    assert client.get("/landlords/rongting/covenant/paper/", follow=True).status_code == 403
    client.force_login(foreign_staff)
    assert client.get("/landlords/rongting/covenant/report/", follow=True).status_code == 404
    assert client.get("/landlords/rongting/charter/report/", follow=True).status_code == 404
    assert client.post("/landlords/channels/sync/rongting/", follow=True).status_code == 404
    client.force_login(outsider)
    assert client.get("/landlords/rongting/documents/covenant/", follow=True).status_code == 404
    client.force_login(landlord)
    assert client.post("/landlords/channels/sync/rongting/", follow=True).status_code == 403
    assert not Channel.objects.exists()


def test_the_adoption_notice_links_to_the_page_in_the_one_style(community, committee_staff, landlord,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    notice = Notification.objects.get(recipient=landlord)
    assert notice.url == reverse("landlords:document_current", args=["covenant"]) + "?community=rongting"
