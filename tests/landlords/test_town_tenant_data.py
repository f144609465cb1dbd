"""Tenant data stays in the community (issue 12, item 13): town roles, refused a tenant registration, do not see
a tenant's full phone on the unit page or tenants' names on the covenant report either."""
import pytest
from django.urls import reverse

from communities.models import PersonalDataAccess

from ..factories import serve

pytestmark = pytest.mark.django_db


def test_town_roles_see_a_tenants_phone_masked_on_the_unit_page(client, tenant, let_unit, town_staff,
                                                                 committee_staff):
    phone = tenant.person.phone
    client.force_login(town_staff)
    page = client.get(reverse("communities:unit_detail", args=[let_unit.pk])).content.decode()
    assert phone not in page and tenant.person.masked_phone in page
    assert not PersonalDataAccess.objects.filter(viewer=town_staff).exists()
    client.force_login(committee_staff)  # the community's own staff still see it, and it is logged
    assert phone in client.get(reverse("communities:unit_detail", args=[let_unit.pk])).content.decode()


@pytest.mark.parametrize("who", ["town_staff", "town_secretary"])
def test_town_roles_get_no_covenant_report(request, client, community, tenant, who):
    serve(community)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("landlords:covenant_report") + f"?community={community.slug}")
    assert response.status_code in (403, 404)
    assert tenant.person.name not in response.content.decode()


def test_the_communitys_leaders_still_get_the_covenant_report(client, community, committee_staff):
    serve(community)
    client.force_login(committee_staff)
    assert client.get(reverse("landlords:covenant_report") + f"?community={community.slug}").status_code == 200
