"""The registration queue, and who may open it."""
import re

import pytest
from django.urls import reverse

from communities.models import Membership, RegistrationRequest, Role
from tests.factories import BuildingFactory, UnitFactory, make_member

from .registrations_world import (  # noqa: F401 - fixtures and helpers
    approve, pending, refreshed, submit, url,
)


# --- queue ---------------------------------------------------------------------

def test_queue_lists_this_communitys_pending_requests_only(client, committee_staff, pending, other_community):
    elsewhere = UnitFactory(building=BuildingFactory(community=other_community, name="9号楼"), room="909")
    submit(unit=elsewhere, username="faraway", name="远方来客", phone="13600002222")
    client.force_login(committee_staff)

    page = client.get(reverse("communities:registration_queue")).content.decode()

    assert "申请人" in page and url("registration_decide", pending) in page
    assert "远方来客" not in page


def test_queue_filters_by_status(client, committee_staff, unit):
    approved = submit(unit=unit, username="a1", name="已批准的人", phone="13600003333")
    submit(unit=unit, username="a2", name="还在等的人", phone="13600004444")
    approve(approved, committee_staff)
    client.force_login(committee_staff)

    pending_page = client.get(reverse("communities:registration_queue")).content.decode()
    approved_page = client.get(reverse("communities:registration_queue"), {"status": "approved"}).content.decode()

    assert "还在等的人" in pending_page and "已批准的人" not in pending_page
    assert "已批准的人" in approved_page and "还在等的人" not in approved_page


@pytest.mark.parametrize("count", [3, 30])
def test_queue_query_count_does_not_grow_with_rows(client, committee_staff, building, count,
                                                   django_assert_max_num_queries):
    for n in range(count):
        unit = UnitFactory(building=building, room=f"{1000 + n}")
        submit(unit=unit, username=f"applicant{n}", name=f"申请人{n}", phone=f"136{n:08d}")
    client.force_login(committee_staff)
    client.get(reverse("communities:registration_queue"))  # the first request also writes the session

    with django_assert_max_num_queries(6):
        response = client.get(reverse("communities:registration_queue"))

    assert len(re.findall(r'href="/registrations/\d+/"', response.content.decode())) == count


# --- access --------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["resident", "landlord", "party_secretary", "tenant"])
def test_other_roles_of_the_community_are_refused(client, request, persona, pending):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("communities:registration_queue")).status_code == 403
    assert client.get(url("registration_decide", pending)).status_code == 403
    assert client.post(url("registration_approve", pending)).status_code == 403
    assert client.post(url("registration_reject", pending), {"reason": "不行"}).status_code == 403
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING


def test_committee_staff_of_another_community_gets_404(client, other_community, pending):
    other_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="otherstaff")
    client.force_login(other_staff)

    assert client.get(reverse("communities:registration_queue")).status_code == 200
    assert client.get(url("registration_decide", pending)).status_code == 404
    assert client.post(url("registration_approve", pending)).status_code == 404
    assert client.post(url("registration_reject", pending), {"reason": "不行"}).status_code == 404
    registration = refreshed(pending)
    assert registration.status == RegistrationRequest.Status.PENDING and registration.decided_by is None
    assert not Membership.objects.filter(user=pending.user).exists()


def test_anonymous_is_sent_to_login(client, pending):
    login = reverse("accounts:login")
    for response in (
        client.get(reverse("communities:registration_queue")),
        client.get(url("registration_decide", pending)),
        client.post(url("registration_approve", pending)),
        client.post(url("registration_reject", pending), {"reason": "不行"}),
        client.get(reverse("accounts:registration_status")),
    ):
        assert response.status_code == 302 and response["Location"].startswith(login)
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING

