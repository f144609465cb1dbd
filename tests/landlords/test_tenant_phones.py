"""Issue 12 item 6: a sublandlord reaches the current tenants of the flats they let. Their phones are shown in
full, as ``tel:`` links, and every view leaves a ``PersonalDataAccess`` row; former tenants stay masked; another
sublandlord, staff without a reason and other communities get nothing more than before."""
import pytest

from communities.models import PersonalDataAccess, mask_phone
from landlords.services.rentals import tenant_move_out

from .rentals_helpers import clock, landlord2, let_unit2, register  # noqa: F401

pytestmark = pytest.mark.django_db
PHONE, FORMER = "13811110001", "13811110009"


@pytest.fixture
def tenants(clock, landlord, let_unit):
    current, _ = register(landlord, let_unit, name="甲租客", phone=PHONE)
    former, _ = register(landlord, let_unit, name="丙租客", phone=FORMER)
    tenant_move_out(actor=landlord, registration_id=former.pk, moved_out=clock.now.date())
    former.refresh_from_db()
    return current, former


def views_of(viewer):
    return list(PersonalDataAccess.objects.filter(viewer=viewer).values_list("person__name", "kind", "purpose"))


def test_the_unit_page_gives_the_sublandlord_current_tenants_to_call_and_logs_each_view(client, landlord, let_unit,
                                                                                       tenants):
    client.force_login(landlord)
    page = client.get(f"/landlords/rentals/units/{let_unit.pk}/").content.decode()
    assert f'<a href="tel:{PHONE}" class="ld-tel">{PHONE}</a>' in page
    assert FORMER not in page and mask_phone(FORMER) not in page  # the former tenant: a name and dates only
    assert views_of(landlord) == [("甲租客", "view", "二房东联系在住租客")]
    client.get(f"/landlords/rentals/units/{let_unit.pk}/")
    assert len(views_of(landlord)) == 2  # every view, not the first one only


def test_a_current_registration_shows_the_phone_in_full_and_a_former_one_masked(client, landlord, tenants):
    current, former = tenants
    client.force_login(landlord)
    page = client.get(f"/landlords/rentals/registrations/{current.pk}/").content.decode()
    assert f'href="tel:{PHONE}"' in page
    assert views_of(landlord) == [("甲租客", "view", "二房东联系在住租客")]
    page = client.get(f"/landlords/rentals/registrations/{former.pk}/").content.decode()
    assert mask_phone(FORMER) in page and FORMER not in page and "tel:" not in page
    assert len(views_of(landlord)) == 1  # nothing revealed, nothing logged


def test_another_sublandlord_and_another_community_see_nothing(client, landlord2, outsider, let_unit, tenants):
    current, _ = tenants
    for user in (landlord2, outsider):
        client.force_login(user)
        assert client.get(f"/landlords/rentals/units/{let_unit.pk}/").status_code in (403, 404)
        assert client.get(f"/landlords/rentals/registrations/{current.pk}/").status_code in (403, 404)
    assert not PersonalDataAccess.objects.exists()


def test_staff_still_give_a_reason_on_a_registration(client, committee_staff, tenants):
    current, _ = tenants
    client.force_login(committee_staff)
    page = client.get(f"/landlords/rentals/registrations/{current.pk}/").content.decode()
    assert mask_phone(PHONE) in page and PHONE not in page and not PersonalDataAccess.objects.exists()
    page = client.get(f"/landlords/rentals/registrations/{current.pk}/", {"purpose": "上门核对"}).content.decode()
    assert f'href="tel:{PHONE}"' in page
    assert views_of(committee_staff) == [("甲租客", "view", "上门核对")]


def test_the_tenant_sees_their_own_number_unlogged(client, clock, landlord, let_unit):
    from communities.models import User

    registration, _ = register(landlord, let_unit, name="甲租客", phone=PHONE)
    me = registration.residency.person
    me.user = User.objects.create_user(username="jia")
    me.save()
    from communities.models import Membership, Role

    Membership.objects.create(user=me.user, community=let_unit.building.community, role=Role.TENANT)
    client.force_login(me.user)
    page = client.get("/landlords/rentals/registrations/mine/").content.decode()
    assert f'href="tel:{PHONE}"' in page and not PersonalDataAccess.objects.exists()
