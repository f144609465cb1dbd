"""Community titles (社区身份): staff award and revoke them (audited, double clicks harmless), they show on the
holder's profile and beside their name, and titles_for reads any number of people in one query."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import AuditEvent, CommunityTitle, Role
from communities.selectors.titles import titles_for
from communities.services.errors import DomainError
from communities.services.titles import title_award, title_revoke

from ..factories import PersonFactory, make_member
from .needs_world import landlord2  # noqa: F401

SUPERVISOR = CommunityTitle.Kind.SUPERVISOR


def manage_url(community):
    return reverse("communities:title_manage") + f"?community={community.slug}"


# --- services ------------------------------------------------------------------------------------------

def test_staff_award_a_title_and_it_is_audited(community, committee_staff, landlord):
    title, created = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    assert created and title.name == "社区监督员" and title.awarded_by == committee_staff
    audit = AuditEvent.objects.get(action="title.award")
    assert audit.actor == committee_staff and audit.community == community and audit.detail["title"] == title.pk


def test_awarding_twice_changes_nothing(community, committee_staff, landlord):
    first, _ = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    again, created = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    assert not created and again == first
    assert CommunityTitle.objects.count() == 1 and AuditEvent.objects.filter(action="title.award").count() == 1


@pytest.mark.parametrize("who", ["landlord", "party_secretary", "resident", "town_staff"])
def test_only_committee_staff_award(request, community, landlord, who):
    with pytest.raises(PermissionDenied):
        title_award(actor=request.getfixturevalue(who), community=community, person=landlord.person,
                    kind=SUPERVISOR)
    assert not CommunityTitle.objects.exists()


def test_a_person_of_another_community_cannot_be_given_a_title(community, committee_staff, outsider):
    with pytest.raises(DomainError, match="此人不属于本社区"):
        title_award(actor=committee_staff, community=community, person=outsider.person, kind=SUPERVISOR)
    with pytest.raises(DomainError):
        title_award(actor=committee_staff, community=community, person=PersonFactory(), kind=SUPERVISOR)
    assert not CommunityTitle.objects.exists()


def test_other_needs_its_own_name(community, committee_staff, resident):
    with pytest.raises(DomainError, match="请填写身份名称"):
        title_award(actor=committee_staff, community=community, person=resident.person,
                    kind=CommunityTitle.Kind.OTHER, other_name="  ")
    title, _ = title_award(actor=committee_staff, community=community, person=resident.person,
                           kind=CommunityTitle.Kind.OTHER, other_name=" 消防 宣传员 ")
    assert title.name == "消防 宣传员"
    with pytest.raises(DomainError, match="请选择一个社区身份"):
        title_award(actor=committee_staff, community=community, person=resident.person, kind="king")


def test_revoke_and_revoke_again(community, committee_staff, landlord):
    title, _ = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    with pytest.raises(PermissionDenied):
        title_revoke(actor=landlord, title_id=title.pk)
    assert title_revoke(actor=committee_staff, title_id=title.pk)
    title.refresh_from_db()
    assert title.revoked_at and title.revoked_by == committee_staff
    assert not title_revoke(actor=committee_staff, title_id=title.pk)
    assert AuditEvent.objects.filter(action="title.revoke").count() == 1
    # Once revoked, the title can be given again: a new row, the old one kept.
    assert title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)[1]
    assert CommunityTitle.objects.count() == 2


def test_titles_for_many_people_is_one_query(community, committee_staff, django_assert_num_queries):
    people = [make_member(community, Role.SUBLANDLORD, username=f"ll{i}").person for i in range(6)]
    for person in people:
        title_award(actor=committee_staff, community=community, person=person, kind=SUPERVISOR)
    revoked, _ = title_award(actor=committee_staff, community=community, person=people[0],
                             kind=CommunityTitle.Kind.MEDIATOR)
    title_revoke(actor=committee_staff, title_id=revoked.pk)
    with django_assert_num_queries(1):
        found = titles_for(people=people)
        names = {pid: [t.name for t in titles] for pid, titles in found.items()}
    assert names == {p.pk: ["社区监督员"] for p in people}


# --- pages ---------------------------------------------------------------------------------------------

def test_the_title_shows_on_the_holders_profile(client, community, committee_staff, landlord):
    title, _ = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    client.force_login(landlord)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "我的社区身份" in page and "社区监督员" in page and "蓉庭居民区" in page
    title_revoke(actor=committee_staff, title_id=title.pk)
    assert "社区监督员" not in client.get(reverse("accounts:profile")).content.decode()


def test_staff_find_a_person_by_name_and_award(client, community, committee_staff, landlord, landlord2):
    client.force_login(committee_staff)
    page = client.get(manage_url(community), {"q": "陈", "community": community.slug}).content.decode()
    assert "陈师傅" in page and "周老板" not in page
    assert landlord.person.phone not in page and landlord.person.masked_phone in page
    response = client.post(manage_url(community), {"person": landlord.person.pk, "kind": SUPERVISOR})
    assert response.status_code == 302
    assert CommunityTitle.objects.get().person == landlord.person
    again = client.post(manage_url(community), {"person": landlord.person.pk, "kind": SUPERVISOR}, follow=True)
    assert "已有“社区监督员”身份" in again.content.decode()
    assert CommunityTitle.objects.count() == 1


def test_staff_cannot_award_a_person_outside_the_community_by_id(client, community, committee_staff, outsider):
    client.force_login(committee_staff)
    response = client.post(manage_url(community), {"person": outsider.person.pk, "kind": SUPERVISOR})
    assert response.status_code == 404 and not CommunityTitle.objects.exists()


def test_staff_list_and_revoke(client, community, committee_staff, landlord):
    title, _ = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    client.force_login(committee_staff)
    assert "陈师傅" in client.get(manage_url(community)).content.decode()
    url = reverse("communities:title_revoke", args=[title.pk])
    assert client.post(url).status_code == 302
    assert CommunityTitle.objects.get().revoked_at is not None
    assert "这个身份已撤销" in client.post(url, follow=True).content.decode()


@pytest.mark.parametrize("who", ["landlord", "party_secretary", "resident"])
def test_others_are_refused_the_staff_page(client, request, community, committee_staff, landlord, who):
    title, _ = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    client.force_login(request.getfixturevalue(who))
    assert client.get(manage_url(community)).status_code == 403
    assert client.post(reverse("communities:title_revoke", args=[title.pk])).status_code == 403
    assert CommunityTitle.objects.get().revoked_at is None


def test_staff_of_another_community_get_404(client, community, other_community, committee_staff, landlord):
    title, _ = title_award(actor=committee_staff, community=community, person=landlord.person, kind=SUPERVISOR)
    far_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="far-staff")
    client.force_login(far_staff)
    assert client.get(manage_url(community)).status_code == 404
    assert client.post(reverse("communities:title_revoke", args=[title.pk])).status_code == 404
    assert client.get(manage_url(other_community)).status_code == 200


def test_the_staff_page_costs_the_same_for_few_and_many_titles(client, community, committee_staff,
                                                               django_assert_max_num_queries):
    def award(start, count):
        for i in range(start, start + count):
            person = make_member(community, Role.SUBLANDLORD, username=f"ll{i}", name=f"房东{i}").person
            title_award(actor=committee_staff, community=community, person=person, kind=SUPERVISOR)

    client.force_login(committee_staff)
    award(0, 2)
    with django_assert_max_num_queries(10) as few:
        client.get(manage_url(community), {"q": "房东", "community": community.slug})
    award(2, 10)
    with django_assert_max_num_queries(10) as many:
        client.get(manage_url(community), {"q": "房东", "community": community.slug})
    assert len(many) == len(few)
