"""The rentals pages: a sublandlord sees only their own, a tenant only their own, staff the community's with
phones masked unless revealed with a reason; every reveal and export is logged."""
import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from communities.models import Membership, PersonalDataAccess, Residency, Role
from landlords.models import RentalDeclaration, TenantRegistration
from landlords.selectors.rentals import registrations_for_sublandlord, units_of_sublandlord
from tests.factories import UnitFactory, UserFactory, make_member

from .rentals_helpers import clock, landlord2, let_unit2, register  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_landlords(clock, let_unit, let_unit2, landlord, landlord2):
    mine, _ = register(landlord, let_unit, name="甲租客", phone="13811110001")
    theirs, _ = register(landlord2, let_unit2, name="乙租客", phone="13822220002")
    return mine, theirs


# --- the sublandlord --------------------------------------------------------------------------------

def test_sublandlord_sees_only_own_units_and_tenants(client, two_landlords, landlord, let_unit, let_unit2):
    mine, theirs = two_landlords
    client.force_login(landlord)
    page = client.get("/landlords/rentals/").content.decode()
    assert "302" in page and "502" not in page
    page = client.get(f"/landlords/rentals/units/{let_unit.pk}/").content.decode()
    # The sublandlord's current tenant in full, to call (issue 12 item 6; tests/landlords/test_tenant_phones.py)
    assert "甲租客" in page and 'href="tel:13811110001"' in page and "乙租客" not in page
    assert client.get(f"/landlords/rentals/units/{let_unit2.pk}/").status_code == 403
    assert client.get(f"/landlords/rentals/units/{let_unit2.pk}/move-in/").status_code == 403
    assert client.post(f"/landlords/rentals/units/{let_unit2.pk}/declare/", {"rooms": 3}).status_code == 403
    assert client.get(f"/landlords/rentals/registrations/{theirs.pk}/").status_code == 403
    assert client.post(f"/landlords/rentals/registrations/{theirs.pk}/move-out/",
                       {"moved_out": "2026-06-15"}).status_code == 403
    assert TenantRegistration.objects.get(pk=theirs.pk).moved_out is None


def test_selectors_keep_sublandlords_apart(two_landlords, landlord, landlord2, let_unit):
    mine, theirs = two_landlords
    assert list(registrations_for_sublandlord(landlord.person)) == [mine]
    assert list(registrations_for_sublandlord(landlord2.person)) == [theirs]
    units = list(units_of_sublandlord(landlord.person))
    assert [u.pk for u in units] == [let_unit.pk] and units[0].active_tenants == 1


def test_other_community_gets_404(client, two_landlords, other_community, let_unit):
    mine, _ = two_landlords
    client.force_login(make_member(other_community, Role.SUBLANDLORD, username="meilan-landlord"))
    assert client.get(f"/landlords/rentals/units/{let_unit.pk}/").status_code == 404
    assert client.get(f"/landlords/rentals/registrations/{mine.pk}/").status_code == 404
    assert client.get(f"/landlords/rentals/registrations/{mine.pk}/move-out/").status_code == 404


def test_move_in_from_the_phone_form(client, clock, let_unit, landlord, committee_staff):
    client.force_login(landlord)
    assert client.get(f"/landlords/rentals/units/{let_unit.pk}/move-in/").status_code == 200
    data = {"name": "王五", "phone": "139 0000 1234", "moved_in": "2026-06-10"}
    response = client.post(f"/landlords/rentals/units/{let_unit.pk}/move-in/", data, follow=True)
    assert response.redirect_chain[-1][0] == f"/landlords/rentals/units/{let_unit.pk}/"
    page = response.content.decode()
    assert "已登记 王五 入住" in page and "逾期登记" in page  # 5 days after
    response = client.post(f"/landlords/rentals/units/{let_unit.pk}/move-in/", data, follow=True)
    assert "没有重复登记" in response.content.decode()
    assert TenantRegistration.objects.count() == 1


@pytest.mark.parametrize("data,message", [
    ({"name": "王五", "phone": "123", "moved_in": "2026-06-10"}, "手机号码格式不正确"),
    ({"name": "王五", "phone": "13900001234", "moved_in": "2026-06-20"}, "入住日期不能晚于今天"),
    ({"name": "王五", "phone": "13900001234", "moved_in": "2024-06-20"}, "入住日期早于一年前"),
])
def test_move_in_form_explains_bad_input(client, clock, let_unit, landlord, data, message):
    client.force_login(landlord)
    response = client.post(f"/landlords/rentals/units/{let_unit.pk}/move-in/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not TenantRegistration.objects.exists()


def test_move_out_and_declaration_from_the_unit_page(client, two_landlords, landlord, let_unit):
    mine, _ = two_landlords
    client.force_login(landlord)
    response = client.post(f"/landlords/rentals/registrations/{mine.pk}/move-out/", {"moved_out": "2026-06-01"})
    assert response.status_code == 400 and "迁出日期不能早于入住日期" in response.content.decode()
    response = client.post(f"/landlords/rentals/registrations/{mine.pk}/move-out/", {"moved_out": "2026-06-15"})
    assert response.status_code == 302 and TenantRegistration.objects.get(pk=mine.pk).moved_out == dt.date(2026, 6, 15)
    assert client.post(f"/landlords/rentals/units/{let_unit.pk}/declare/", {"rooms": 0}).status_code == 400
    client.post(f"/landlords/rentals/units/{let_unit.pk}/declare/", {"rooms": 3, "partitions_note": "隔出一间"})
    assert RentalDeclaration.objects.get(unit=let_unit).rooms == 3


def test_tenants_and_staff_do_not_manage_units(client, two_landlords, tenant, committee_staff, let_unit):
    for user in (tenant, committee_staff):
        client.force_login(user)
        assert client.get("/landlords/rentals/").status_code == 403
        assert client.get(f"/landlords/rentals/units/{let_unit.pk}/move-in/").status_code == 403


# --- the tenant ---------------------------------------------------------------------------------------

def test_tenant_sees_only_own_registration(client, clock, community, let_unit, landlord, two_landlords):
    mine, theirs = two_landlords
    user = UserFactory(username="jia")
    Membership.objects.create(user=user, community=community, role=Role.TENANT)
    mine.residency.person.user = user
    mine.residency.person.save()
    client.force_login(user)
    page = client.get("/landlords/rentals/registrations/mine/").content.decode()
    assert "302" in page and "13811110001" in page and "乙租客" not in page and "502" not in page
    assert client.get(f"/landlords/rentals/registrations/{mine.pk}/").status_code == 200
    assert client.get(f"/landlords/rentals/registrations/{theirs.pk}/").status_code == 403
    assert client.get(f"/landlords/rentals/registrations/{mine.pk}/move-out/").status_code == 403
    assert client.get("/landlords/rentals/registrations/").status_code == 403
    assert not PersonalDataAccess.objects.exists()  # one's own number is not an access to log


def test_tenant_without_registration_sees_a_hint(client, tenant):
    client.force_login(tenant)
    assert "没有您的租住登记" in client.get("/landlords/rentals/registrations/mine/").content.decode()


# --- committee staff and the Party secretary ---------------------------------------------------------

def test_staff_list_masks_phones_and_filters(client, clock, two_landlords, committee_staff, landlord, let_unit):
    clock.set(2026, 6, 15, 11, 0)
    late, _ = register(landlord, let_unit, name="丙租客", phone="13833330003", moved_in=dt.date(2026, 6, 1))
    client.force_login(committee_staff)
    page = client.get("/landlords/rentals/registrations/").content.decode()
    assert all(n in page for n in ("甲租客", "乙租客", "丙租客")) and "138****0001" in page
    assert "13811110001" not in page and not PersonalDataAccess.objects.exists()
    page = client.get("/landlords/rentals/registrations/?late=1").content.decode()
    assert "丙租客" in page and "甲租客" not in page
    page = client.get(f"/landlords/rentals/registrations/?building={let_unit.building_id}&active=0").content.decode()
    assert "没有符合条件的登记" in page


def test_staff_reveal_with_a_reason_is_logged(client, two_landlords, committee_staff):
    client.force_login(committee_staff)
    page = client.get("/landlords/rentals/registrations/?purpose=x").content.decode()  # too short: no reveal
    assert "13811110001" not in page
    page = client.get("/landlords/rentals/registrations/?purpose=核实入住情况").content.decode()
    assert "13811110001" in page and "13822220002" in page
    logs = PersonalDataAccess.objects.filter(viewer=committee_staff)
    assert logs.count() == 2 and set(logs.values_list("purpose", flat=True)) == {"核实入住情况"}
    assert set(logs.values_list("kind", flat=True)) == {PersonalDataAccess.Kind.VIEW}


def test_secretary_sees_the_list_masked_and_cannot_reveal_or_export(client, two_landlords, party_secretary):
    mine, _ = two_landlords
    client.force_login(party_secretary)
    page = client.get("/landlords/rentals/registrations/?purpose=核实入住情况").content.decode()
    assert "甲租客" in page and "13811110001" not in page
    page = client.get(f"/landlords/rentals/registrations/{mine.pk}/?purpose=核实入住情况").content.decode()
    assert "13811110001" not in page
    assert client.get("/landlords/rentals/registrations/export/").status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_staff_detail_reveal_is_logged(client, two_landlords, committee_staff):
    mine, _ = two_landlords
    client.force_login(committee_staff)
    assert "13811110001" not in client.get(f"/landlords/rentals/registrations/{mine.pk}/").content.decode()
    page = client.get(f"/landlords/rentals/registrations/{mine.pk}/?purpose=电话回访").content.decode()
    assert "13811110001" in page
    log = PersonalDataAccess.objects.get()
    assert (log.viewer, log.person, log.purpose) == (committee_staff, mine.residency.person, "电话回访")


def _sheet(response):
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_asks_a_purpose_and_logs_each_row(client, two_landlords, committee_staff):
    client.force_login(committee_staff)
    assert client.get("/landlords/rentals/registrations/export/").status_code == 200
    assert client.post("/landlords/rentals/registrations/export/", {"purpose": ""}).status_code == 400
    response = client.post("/landlords/rentals/registrations/export/", {"purpose": "季度核查"})
    rows = _sheet(response)
    assert rows[0][:4] == ("楼栋", "房号", "租客", "手机号码") and len(rows) == 3
    assert {r[3] for r in rows[1:]} == {"138****0001", "138****0002"}
    logs = PersonalDataAccess.objects.filter(kind=PersonalDataAccess.Kind.EXPORT)
    assert logs.count() == 2 and logs.first().purpose == "季度核查（手机号已隐藏）"


def test_export_with_revealed_phones_and_filters(client, two_landlords, committee_staff, let_unit):
    client.force_login(committee_staff)
    response = client.post(f"/landlords/rentals/registrations/export/?building={let_unit.building_id}&q=甲租客",
                           {"purpose": "季度核查", "reveal_phones": "on"})
    rows = _sheet(response)
    assert len(rows) == 2 and rows[1][2:4] == ("甲租客", "13811110001")
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.purpose) == (PersonalDataAccess.Kind.EXPORT, "季度核查")


def test_staff_of_another_community_see_nothing(client, two_landlords, other_community):
    mine, _ = two_landlords
    client.force_login(make_member(other_community, Role.COMMITTEE_STAFF, username="meilan-staff"))
    assert "甲租客" not in client.get("/landlords/rentals/registrations/").content.decode()
    assert client.get(f"/landlords/rentals/registrations/{mine.pk}/").status_code == 404
    assert client.get("/landlords/rentals/registrations/?community=rongting").status_code == 404
    response = client.post("/landlords/rentals/registrations/export/?community=rongting", {"purpose": "季度核查"})
    assert response.status_code == 404


def test_town_roles_see_no_tenant_data(client, two_landlords, town_staff):
    client.force_login(town_staff)
    assert client.get("/landlords/rentals/registrations/").status_code == 403


def test_staff_list_query_count_does_not_grow(client, clock, building, landlord, committee_staff,
                                              django_assert_max_num_queries):
    client.force_login(committee_staff)
    for i in range(8):
        unit = UnitFactory(building=building, room=f"70{i}", capacity=4, is_let=True, sublandlord=landlord.person)
        register(landlord, unit)
    with django_assert_max_num_queries(10):
        assert client.get("/landlords/rentals/registrations/?purpose=核实入住情况").status_code == 200


def test_sublandlord_pages_query_count_does_not_grow(client, clock, building, landlord, let_unit,
                                                    django_assert_max_num_queries):
    client.force_login(landlord)
    for i in range(6):
        unit = UnitFactory(building=building, room=f"80{i}", capacity=4, is_let=True, sublandlord=landlord.person)
        register(landlord, unit)
        register(landlord, let_unit)
    with django_assert_max_num_queries(7):
        assert client.get("/landlords/rentals/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/landlords/rentals/units/{let_unit.pk}/").status_code == 200


def test_residencies_stay_visible_to_the_core(two_landlords, let_unit):
    mine, _ = two_landlords
    residency = Residency.objects.get(unit=let_unit, moved_out__isnull=True)
    assert residency.relation == Residency.Relation.TENANT and residency.tenant_registration == mine


def test_hub_fragment_shows_each_role_its_links(rf, landlord, committee_staff, tenant):
    from django.template.loader import render_to_string

    from landlords.selectors.rentals import hub_rentals_context
    html = {u.username: render_to_string("landlords/fragments/hub_rentals.html", hub_rentals_context(user=u))
            for u in (landlord, committee_staff, tenant)}
    assert "/landlords/rentals/\"" in html["landlord"] and "/rentals/flags/" not in html["landlord"]
    assert "/rentals/flags/" in html["staff"] and "/landlords/rentals/\"" not in html["staff"]
    assert "/rentals/registrations/mine/" in html["tenant"] and "/rentals/flags/" not in html["tenant"]


def test_a_phone_on_record_elsewhere_shows_no_name_and_registers_nothing(client, clock, let_unit, landlord,
                                                                          other_community):
    from tests.factories import BuildingFactory, PersonFactory, ResidencyFactory
    from tests.factories import UnitFactory as Unit

    person = PersonFactory(name="王五", phone="13900001234")
    ResidencyFactory(person=person, unit=Unit(building=BuildingFactory(community=other_community)))
    client.force_login(landlord)
    data = {"name": "王小五", "phone": "13900001234", "moved_in": "2026-06-14"}
    response = client.post(f"/landlords/rentals/units/{let_unit.pk}/move-in/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "不能在本社区登记" in page
    assert "王五" not in page.replace("王小五", "") and "名下" not in page
    assert not TenantRegistration.objects.exists()


def test_a_different_name_for_a_phone_of_the_community_is_refused_plainly(client, clock, community, let_unit,
                                                                          landlord):
    from tests.factories import BuildingFactory, PersonFactory, ResidencyFactory
    from tests.factories import UnitFactory as Unit

    person = PersonFactory(name="王五", phone="13900001234")
    ResidencyFactory(person=person, unit=Unit(building=BuildingFactory(community=community)))
    client.force_login(landlord)
    data = {"name": "王小五", "phone": "13900001234", "moved_in": "2026-06-14"}
    response = client.post(f"/landlords/rentals/units/{let_unit.pk}/move-in/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "姓名与您填写的不一致，本次没有登记" in page
    assert "王五" not in page.replace("王小五", "")
    assert not TenantRegistration.objects.exists()


def test_the_same_name_raises_no_warning(client, clock, let_unit, landlord):
    client.force_login(landlord)
    data = {"name": "王五", "phone": "13900001234", "moved_in": "2026-06-14"}
    page = client.post(f"/landlords/rentals/units/{let_unit.pk}/move-in/", data, follow=True).content.decode()
    assert "已登记 王五 入住" in page and "名下" not in page


def test_the_move_in_date_is_prefilled_in_a_form_a_date_input_can_show(client, clock, let_unit, landlord):
    """In the Chinese UI the field received 2026/06/15, which <input type="date"> shows as empty (issue 12)."""
    client.force_login(landlord)
    page = client.get(f"/landlords/rentals/units/{let_unit.pk}/move-in/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    field = html.split('name="moved_in"', 1)[1].split(">", 1)[0]
    assert 'value="2026-06-15"' in field
    assert "2026/06/15" not in html
