"""The routing page (派单规则和办理时限): committee staff change a category's deadlines; bad hours are refused
with a message and change nothing (issue 12: any change of deadlines answered 500)."""
import pytest
from django.urls import reverse

from communities.models import AuditEvent, CaseCategory

from ..factories import CaseCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(community):
    return CaseCategoryFactory(community=community, code="corridor_clutter", name="楼道堆物", ack_hours=24,
                               fix_hours=72)


def post(client, community, category, *, ack, fix):
    url = reverse("communities:routing_edit") + f"?community={community.slug}"
    return client.post(url, {
        "rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0", "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "1000",
        "categories-TOTAL_FORMS": "1", "categories-INITIAL_FORMS": "1", "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "1000", "categories-0-id": str(category.pk), "categories-0-ack_hours": str(ack),
        "categories-0-fix_hours": str(fix), "categories-0-active": "on",
    })


def test_staff_change_a_categorys_deadlines(client, committee_staff, community, category):
    client.force_login(committee_staff)
    response = post(client, community, category, ack=12, fix=48)
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.ack_hours, category.fix_hours) == (12, 48)
    event = AuditEvent.objects.get(action="cases.routing")
    assert event.detail["categories"] == [category.pk]
    assert "派单规则和办理时限已保存" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("ack, fix, message", [
    (24, 24 * 366 + 1, "时限最多"), (0, 72, ""), (100, 72, "响应时限不能长于办结时限"), ("abc", 72, ""),
])
def test_bad_hours_are_refused_and_nothing_changes(client, committee_staff, community, category, ack, fix, message):
    client.force_login(committee_staff)
    response = post(client, community, category, ack=ack, fix=fix)
    assert response.status_code == 400
    assert message in response.content.decode()
    category.refresh_from_db()
    assert (category.ack_hours, category.fix_hours) == (24, 72)
    assert not AuditEvent.objects.filter(action="cases.routing").exists()


def test_other_roles_cannot_change_deadlines(client, landlord, community, category):
    client.force_login(landlord)
    assert post(client, community, category, ack=1, fix=2).status_code == 403
    assert CaseCategory.objects.get(pk=category.pk).ack_hours == 24
