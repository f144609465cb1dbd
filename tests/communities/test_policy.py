"""Who sees what: one community never sees another's data; phones are masked unless the role needs them."""
import pytest
from django.urls import reverse

from communities import policy
from communities.models import PersonalDataAccess, Residency, Role, Unit

from ..factories import PersonFactory, ResidencyFactory, UnitFactory, make_member


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


class TestCommunityIsolation:
    def test_outsider_sees_nothing_of_another_community(self, client, outsider, community, unit, building, resident):
        assert get(client, outsider, "communities:unit_detail", unit.pk).status_code == 404
        assert get(client, outsider, "communities:community_detail", community.slug).status_code in (403, 404)
        assert get(client, outsider, "communities:building_detail", building.pk).status_code in (403, 404)
        home = get(client, outsider, "home").content.decode()
        assert community.name not in home

    def test_staff_of_another_community_gets_404_not_403(self, client, community, other_community, unit):
        foreign_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="foreign-staff")
        assert get(client, foreign_staff, "communities:unit_detail", unit.pk).status_code == 404
        assert get(client, foreign_staff, "communities:community_detail", community.slug).status_code == 404
        assert get(client, foreign_staff, "communities:building_detail", unit.building_id).status_code == 404

    def test_scope_returns_only_own_communities(self, committee_staff, community, other_community, unit):
        UnitFactory(building__community=other_community)
        visible = policy.scope(committee_staff, "unit.view", Unit.objects.all())
        assert list(visible) == [unit]

    def test_town_roles_see_every_community(self, client, town_staff, town_secretary, community, other_community):
        for user in (town_staff, town_secretary):
            assert set(policy.communities_for(user)) == {community, other_community}
            assert get(client, user, "communities:community_detail", other_community.slug).status_code == 200

    def test_unknown_action_is_a_programming_error(self, resident):
        with pytest.raises(ValueError):
            policy.can(resident, "no.such.action")

    def test_anonymous_may_do_nothing(self, unit):
        from django.contrib.auth.models import AnonymousUser

        assert not policy.can(AnonymousUser(), "unit.view", unit)
        assert not policy.scope(AnonymousUser(), "unit.view", Unit.objects.all()).exists()


class TestUnits:
    def test_resident_sees_own_unit_but_not_the_neighbours(self, client, resident, unit, building):
        neighbour = UnitFactory(building=building, room="303")
        assert get(client, resident, "communities:unit_detail", unit.pk).status_code == 200
        assert get(client, resident, "communities:unit_detail", neighbour.pk).status_code == 403

    def test_resident_cannot_open_the_directory(self, client, resident, community):
        assert get(client, resident, "communities:community_list").status_code == 403
        assert get(client, resident, "communities:community_detail", community.slug).status_code == 403

    def test_landlord_sees_own_let_units_only(self, client, landlord, let_unit, unit):
        assert get(client, landlord, "communities:unit_detail", let_unit.pk).status_code == 200
        assert get(client, landlord, "communities:unit_detail", unit.pk).status_code == 403

    def test_over_capacity_unit_is_flagged(self, client, committee_staff, unit):
        for _ in range(unit.capacity + 1):
            ResidencyFactory(unit=unit, relation=Residency.Relation.TENANT)
        page = get(client, committee_staff, "communities:unit_detail", unit.pk).content.decode()
        assert "超过核定人数" in page
        building_page = get(client, committee_staff, "communities:building_detail", unit.building_id)
        assert "超员" in building_page.content.decode()

    def test_moved_out_residents_do_not_count(self, client, committee_staff, unit):
        import datetime as dt

        for _ in range(unit.capacity + 1):
            ResidencyFactory(unit=unit, moved_out=dt.date(2025, 1, 1))
        assert "超过核定人数" not in get(client, committee_staff, "communities:unit_detail", unit.pk).content.decode()


class TestPhones:
    def test_neighbours_phone_is_masked_for_a_resident(self, client, resident, unit):
        family = ResidencyFactory(unit=unit, person=PersonFactory(phone="13812345678"),
                                  relation=Residency.Relation.FAMILY)
        page = get(client, resident, "communities:unit_detail", unit.pk).content.decode()
        assert "138****5678" in page
        assert family.person.phone not in page
        assert resident.person.phone in page  # one's own number is not hidden from oneself
        assert not PersonalDataAccess.objects.exists()

    def test_staff_see_full_phone_and_it_is_logged(self, client, committee_staff, resident, unit):
        page = get(client, committee_staff, "communities:unit_detail", unit.pk).content.decode()
        assert resident.person.phone in page
        log = PersonalDataAccess.objects.get()
        assert (log.viewer, log.person, log.community_id) == (committee_staff, resident.person, unit.building.community_id)

    def test_party_secretary_sees_masked_phones(self, client, party_secretary, resident, unit):
        page = get(client, party_secretary, "communities:unit_detail", unit.pk).content.decode()
        assert resident.person.phone not in page
        assert resident.person.masked_phone in page

    def test_landlord_sees_own_tenants_phone(self, client, landlord, tenant, let_unit):
        page = get(client, landlord, "communities:unit_detail", let_unit.pk).content.decode()
        assert tenant.person.phone in page
        assert PersonalDataAccess.objects.filter(viewer=landlord, person=tenant.person).exists()


class TestQueries:
    def test_building_page_query_count_does_not_grow_with_units(self, client, committee_staff, building,
                                                                django_assert_max_num_queries):
        client.force_login(committee_staff)
        url = reverse("communities:building_detail", args=[building.pk])
        UnitFactory.create_batch(3, building=building)
        client.get(url)
        with django_assert_max_num_queries(12) as few:
            client.get(url)
        UnitFactory.create_batch(40, building=building)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200

    def test_community_page_query_count_does_not_grow_with_buildings(self, client, committee_staff, community,
                                                                     django_assert_max_num_queries):
        from ..factories import BuildingFactory

        client.force_login(committee_staff)
        url = reverse("communities:community_detail", args=[community.slug])
        BuildingFactory.create_batch(2, community=community)
        client.get(url)
        with django_assert_max_num_queries(15) as few:
            client.get(url)
        BuildingFactory.create_batch(30, community=community)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200
