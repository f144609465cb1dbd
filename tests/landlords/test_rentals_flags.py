"""Over-capacity flags (疑似群租/隔断) and opening a 房屋隔断 case from one."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from communities.models import Case, CaseStatus, RoutingRule
from communities.services.errors import DomainError
from landlords.selectors.rentals import units_flagged
from landlords.services.rental_flags import flag_case_open
from landlords.services.rentals import tenant_move_out
from tests.factories import CaseCategoryFactory

from .rentals_helpers import clock, landlord2, let_unit2, register  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def routing(community):
    category = CaseCategoryFactory(community=community, code="partitioned_flat", name="房屋隔断", fix_hours=360)
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD, only_let_units=True,
                               priority=10)
    return category


def crowd(landlord, unit, n):
    return [register(landlord, unit)[0] for _ in range(n)]


def test_flag_appears_over_capacity_and_goes_on_move_out(clock, community, let_unit, landlord):
    regs = crowd(landlord, let_unit, 2)  # capacity 2
    assert list(units_flagged(community=community)) == []
    regs.append(register(landlord, let_unit)[0])
    flagged = list(units_flagged(community=community))
    assert [u.pk for u in flagged] == [let_unit.pk] and flagged[0].active_tenants == 3
    tenant_move_out(actor=landlord, registration_id=regs[0].pk, moved_out=dt.date(2026, 6, 15))
    assert list(units_flagged(community=community)) == []


def test_owners_and_other_communities_are_not_flagged(clock, community, other_community, unit, resident, landlord,
                                                     let_unit):
    from communities.models import Residency
    from tests.factories import ResidencyFactory
    for _ in range(3):  # an owner's family above capacity is not a let flat
        ResidencyFactory(unit=unit, relation=Residency.Relation.FAMILY)
    assert list(units_flagged(community=community)) == []
    crowd(landlord, let_unit, 3)
    assert list(units_flagged(community=other_community)) == []


def test_case_from_flag_goes_to_the_sublandlord_once(clock, community, let_unit, landlord, committee_staff, routing):
    crowd(landlord, let_unit, 3)
    case, created = flag_case_open(actor=committee_staff, unit=let_unit)
    assert created and case.category == routing and case.unit == let_unit
    assert case.status == CaseStatus.DISPATCHED and case.handler_user == landlord
    assert "3" in case.description and case.channel == Case.Channel.PATROL
    again, created = flag_case_open(actor=committee_staff, unit=let_unit)
    assert not created and again == case and Case.objects.count() == 1
    flagged = units_flagged(community=community).get()
    assert flagged.open_case_id == case.pk


def test_a_closed_case_lets_staff_open_a_new_one(clock, let_unit, landlord, committee_staff, routing):
    crowd(landlord, let_unit, 3)
    case, _ = flag_case_open(actor=committee_staff, unit=let_unit)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    assert flag_case_open(actor=committee_staff, unit=let_unit)[1]


def test_no_case_for_a_unit_within_capacity(clock, let_unit, landlord, committee_staff, routing):
    crowd(landlord, let_unit, 2)
    with pytest.raises(DomainError):
        flag_case_open(actor=committee_staff, unit=let_unit)
    assert not Case.objects.exists()


def test_no_case_without_the_category(clock, let_unit, landlord, committee_staff):
    crowd(landlord, let_unit, 3)
    with pytest.raises(DomainError) as exc:
        flag_case_open(actor=committee_staff, unit=let_unit)
    assert exc.value.code == "category"


def test_only_committee_staff_open_cases_from_flags(clock, let_unit, landlord, party_secretary, outsider, routing):
    crowd(landlord, let_unit, 3)
    for user in (landlord, party_secretary, outsider):
        with pytest.raises(PermissionDenied):
            flag_case_open(actor=user, unit=let_unit)
    assert not Case.objects.exists()


# --- the pages -----------------------------------------------------------------------------------------

def test_flag_page_shows_units_and_the_open_case(client, clock, let_unit, landlord, committee_staff, routing):
    crowd(landlord, let_unit, 3)
    client.force_login(committee_staff)
    page = client.get("/landlords/rentals/flags/").content.decode()
    form_action = f'action="/landlords/rentals/flags/{let_unit.pk}/case/"'
    assert "502" not in page and "302" in page and form_action in page
    response = client.post(f"/landlords/rentals/flags/{let_unit.pk}/case/")
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    client.post(f"/landlords/rentals/flags/{let_unit.pk}/case/")  # a double click
    assert Case.objects.count() == 1
    page = client.get("/landlords/rentals/flags/").content.decode()
    assert f"已立案 #{case.pk}" in page and form_action not in page


def test_flag_pages_refuse_other_roles(client, clock, let_unit, landlord, party_secretary, outsider, routing):
    crowd(landlord, let_unit, 3)
    client.force_login(party_secretary)
    assert client.get("/landlords/rentals/flags/").status_code == 200
    assert client.post(f"/landlords/rentals/flags/{let_unit.pk}/case/").status_code == 403
    client.force_login(landlord)
    assert client.get("/landlords/rentals/flags/").status_code == 403
    client.force_login(outsider)
    assert client.post(f"/landlords/rentals/flags/{let_unit.pk}/case/").status_code == 403  # no staff role anywhere
    assert not Case.objects.exists()


def test_staff_of_another_community_get_404(client, clock, other_community, let_unit, landlord, routing):
    from communities.models import Role
    from tests.factories import make_member
    crowd(landlord, let_unit, 3)
    client.force_login(make_member(other_community, Role.COMMITTEE_STAFF, username="meilan-staff"))
    assert client.post(f"/landlords/rentals/flags/{let_unit.pk}/case/").status_code == 404
    assert "302" not in client.get("/landlords/rentals/flags/").content.decode()


def test_flag_list_query_count_does_not_grow(client, clock, community, building, landlord, committee_staff,
                                             django_assert_max_num_queries):
    from tests.factories import UnitFactory
    client.force_login(committee_staff)
    for i in range(6):
        unit = UnitFactory(building=building, room=f"60{i}", capacity=1, is_let=True, sublandlord=landlord.person)
        crowd(landlord, unit, 2)
    with django_assert_max_num_queries(7):
        assert client.get("/landlords/rentals/flags/").status_code == 200
