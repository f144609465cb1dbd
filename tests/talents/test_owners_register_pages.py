"""The owner register's pages: the register for committee staff (constant queries, phones masked, unmasking
logged), the published roster for everyone of the estate (names masked, frozen), the hub card, and refusals."""
import pytest

from communities.models import PersonalDataAccess, Residency
from talents.models import AreaRecord, RosterPublication
from talents.services.owners_register import roster_publish

from ..factories import BuildingFactory, PersonFactory, ResidencyFactory, UnitFactory
from .owners_world import (NOW, HOUR, community, estate, frozen, other_estate, outsider, owners, staff,  # noqa: F401
                           staff2, tenant)

pytestmark = pytest.mark.django_db
OWNER = Residency.Relation.OWNER


def _url(estate, path=""):
    return f"/talents/owners/register/{path}?community={estate.community.slug}"


def test_staff_see_the_register_with_the_counting_and_masked_phones(client, estate, owners, staff, frozen):
    client.force_login(staff)
    page = client.get(_url(estate))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["summary"].heads == 8 and "1100" in html
    a = owners["a"].person
    assert a.name in html and a.masked_phone in html and a.phone not in html
    assert "第八条、第九条" in html
    one = client.get(_url(estate) + f"&building={estate.buildings['2号楼'].pk}")
    assert one.context["summary"].heads == 2 and len(one.context["rows"]) == 2


def test_the_register_runs_in_a_constant_number_of_queries(client, estate, owners, staff, frozen,
                                                         django_assert_num_queries):
    client.force_login(staff)
    client.get(_url(estate))  # warm the session and the caches
    with django_assert_num_queries(9) as small:
        client.get(_url(estate))
    building = BuildingFactory(community=estate.community, name="3号楼")
    for i in range(30):
        unit = UnitFactory(building=building, room=f"{i + 1:02d}01", floor=i + 1)
        AreaRecord.objects.create(unit=unit, document_number=f"证{i}")
        ResidencyFactory(person=PersonFactory(), unit=unit, relation=OWNER)
        ResidencyFactory(person=PersonFactory(), unit=unit, relation=OWNER)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(_url(estate))
    assert page.context["summary"].heads == 38


def test_unmasking_a_phone_is_logged_and_shown(client, estate, owners, staff):
    client.force_login(staff)
    residency = Residency.objects.get(person=owners["b"].person, relation=OWNER)
    page = client.post(f"/talents/owners/register/owners/{residency.pk}/unmask/")
    assert page.status_code == 200 and owners["b"].person.phone in page.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.viewer, log.person, log.community_id) == (staff, owners["b"].person, estate.community.pk)
    assert client.get(f"/talents/owners/register/owners/{residency.pk}/unmask/").status_code == 405


def test_unmasking_is_refused_to_owners_and_is_404_in_another_estate(client, estate, other_estate, owners, staff,
                                                                    outsider):
    residency = Residency.objects.get(person=owners["b"].person, relation=OWNER)
    client.force_login(owners["a"])
    assert client.post(f"/talents/owners/register/owners/{residency.pk}/unmask/").status_code == 403
    other = Residency.objects.get(person=outsider.person)
    client.force_login(staff)
    assert client.post(f"/talents/owners/register/owners/{other.pk}/unmask/").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_register_is_refused_to_owners_tenants_and_other_estates(client, estate, owners, tenant, outsider,
                                                                   other_estate, staff):
    for user in (owners["a"], tenant):
        client.force_login(user)
        assert client.get(_url(estate)).status_code == 403
    client.force_login(staff)
    assert client.get(f"/talents/owners/register/?community={other_estate.community.slug}").status_code == 404


def test_the_roster_is_masked_and_frozen(client, estate, owners, staff, tenant, frozen):
    publication, created = roster_publish(actor=staff, community=estate.community, note="第四届选举", now=NOW)
    assert created and (publication.heads, publication.total_area) == (8, 1100)
    client.force_login(tenant)  # everyone of the estate sees the notice
    page = client.get(_url(estate, "roster/"))
    html = page.content.decode()
    assert page.status_code == 200 and "甲*" in html and "甲业主" not in html and "2026-03-10" in html
    assert owners["a"].person.masked_phone not in html and "第二百七十八条" in html
    # the register changes; the published notice does not
    ResidencyFactory(person=PersonFactory(name="新业主"), unit=estate.unit("1号楼", "104"), relation=OWNER)
    again = client.get(f"/talents/owners/register/roster/{publication.pk}/")
    assert again.content.decode().count("开发商未售") == html.count("开发商未售")
    assert RosterPublication.objects.get().snapshot["totals"]["heads"] == 8


def test_publishing_twice_in_a_row_publishes_once(client, estate, owners, staff, frozen):
    client.force_login(staff)
    for _ in range(2):
        response = client.post("/talents/owners/register/roster/publish/", {"community": estate.community.slug})
        assert response.status_code == 302
    assert RosterPublication.objects.count() == 1
    later, created = roster_publish(actor=staff, community=estate.community, now=NOW + HOUR)
    assert created and RosterPublication.objects.count() == 2


def test_only_staff_publish_and_outsiders_get_404(client, estate, owners, staff, outsider, frozen):
    client.force_login(owners["a"])
    assert client.post("/talents/owners/register/roster/publish/",
                       {"community": estate.community.slug}).status_code == 403
    publication, _ = roster_publish(actor=staff, community=estate.community, now=NOW)
    client.force_login(outsider)
    assert client.get(f"/talents/owners/register/roster/{publication.pk}/").status_code == 404
    assert client.get(_url(estate, "roster/")).status_code == 404


def test_the_hub_card_shows_the_roster_to_all_and_the_register_to_staff(client, estate, owners, staff, tenant,
                                                                      frozen):
    roster_publish(actor=staff, community=estate.community, now=NOW)
    client.force_login(tenant)
    html = client.get("/talents/owners/").content.decode()
    assert "业主名册" in html and "2026-03-10" in html and "从 Excel 导入" not in html
    client.force_login(staff)
    html = client.get("/talents/owners/").content.decode()
    assert "从 Excel 导入" in html and "登记业主 8 人" in html


def test_a_large_estate_opens_on_its_first_building_with_the_estate_totals(client, estate, owners, staff, frozen,
                                                                         monkeypatch):
    from talents.views import owners_register as views

    monkeypatch.setattr(views, "ONE_PAGE", 5)
    client.force_login(staff)
    page = client.get(_url(estate))
    assert page.context["building"] == estate.buildings["1号楼"] and len(page.context["rows"]) == 8
    assert (page.context["summary"].heads, page.context["estate_summary"].heads) == (7, 8)
    assert "全体业主：业主人数(按户计) 8" in page.content.decode()
    every = client.get(_url(estate) + "&building=all")
    assert every.context["building"] is None and len(every.context["rows"]) == 10
