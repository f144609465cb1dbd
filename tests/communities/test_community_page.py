"""我的社区 and the committee's contacts: residents see the phone (a tel: link), office hours and address; only
the community's committee staff change them; the corridor QR code's landing page for someone signed out, a
member and a member of another community."""
import pytest
from django.urls import reverse

from communities.models import AuditEvent, Community, PublicPlace
from communities.selectors.qr import landing_path, place_code

from ..factories import BuildingFactory

CONTACTS = reverse("communities:community_contacts")
PAGE = reverse("communities:community_page")


@pytest.fixture
def contacts(community):
    Community.objects.filter(pk=community.pk).update(
        office_phone="021-5686 1234", office_hours="周一至周五 8:30–17:00", office_address="罗店镇蓉庭路 8 号")
    community.refresh_from_db()
    return community


def test_a_resident_sees_the_committees_contacts_with_a_phone_to_tap(client, resident, contacts):
    client.force_login(resident)
    page = client.get(PAGE).content.decode()
    assert '<a href="tel:02156861234" class="ld-tel">021-5686 1234</a>' in page
    assert "周一至周五 8:30–17:00" in page and "罗店镇蓉庭路 8 号" in page
    assert "修改联系方式" not in page
    assert "我的社区" in client.get(reverse("home")).content.decode()


def test_another_communitys_page_is_not_found_for_a_resident(client, resident, other_community):
    client.force_login(resident)
    assert client.get(PAGE, {"community": other_community.slug}).status_code == 404


def test_staff_save_the_contacts_once_and_it_is_audited(client, committee_staff, community):
    client.force_login(committee_staff)
    assert client.get(CONTACTS).status_code == 200
    data = {"office_phone": "０２１－５６８６ １２３４", "office_hours": "周一至周五", "office_address": "蓉庭路 8 号"}
    response = client.post(CONTACTS, data, follow=True)
    community.refresh_from_db()
    assert community.office_phone == "021-5686 1234"  # full-width typing stored so that it dials
    assert "居委联系方式已保存。" in response.content.decode()
    again = client.post(CONTACTS, data, follow=True)
    assert "没有改动，无需保存。" in again.content.decode()
    assert AuditEvent.objects.filter(action="community.contacts").count() == 1


@pytest.mark.parametrize("phone", ["abc", "12345", "1" * 16, "021-5686-12a4"])
def test_a_bad_phone_is_refused_in_chinese_and_nothing_changes(client, committee_staff, contacts, phone):
    client.force_login(committee_staff)
    response = client.post(CONTACTS, {"office_phone": phone, "office_hours": "改了", "office_address": "改了"})
    assert response.status_code == 400 and "请填写有效的电话号码" in response.content.decode()
    contacts.refresh_from_db()
    assert (contacts.office_phone, contacts.office_hours) == ("021-5686 1234", "周一至周五 8:30–17:00")


def test_only_the_communitys_staff_change_the_contacts(client, resident, landlord, party_secretary, outsider,
                                                        community, other_community):
    for user in (resident, landlord, party_secretary, outsider):
        client.force_login(user)
        assert client.post(CONTACTS, {"office_phone": "021-12345678"}).status_code == 403
    community.refresh_from_db()
    assert community.office_phone == ""


def test_staff_of_one_community_cannot_pick_another(client, committee_staff, other_community):
    client.force_login(committee_staff)
    assert client.get(CONTACTS, {"community": other_community.slug}).status_code == 404


# --- the corridor QR code's landing page ------------------------------------------------------------------


def test_signed_out_the_code_says_what_it_is_how_to_get_in_and_whom_to_call(client, contacts, building):
    response = client.get(landing_path(building))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"这是{contacts.name}的问题反映二维码，位置：{building.name}。" in page
    assert f'{reverse("accounts:login")}?next={landing_path(building).replace("/", "%2F")}' in page
    assert reverse("accounts:register") in page and "tel:02156861234" in page


def test_a_member_goes_on_to_the_filing_form_with_the_place_chosen(client, resident, community):
    square = PublicPlace.objects.create(community=community, name="中心广场")
    client.force_login(resident)
    response = client.get(landing_path(square))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('communities:case_new')}?place={square.pk}"


def test_a_member_of_another_community_is_told_whose_code_it_is(client, outsider, contacts, building):
    client.force_login(outsider)
    response = client.get(landing_path(building))
    page = response.content.decode()
    assert response.status_code == 403
    assert "这是其他社区的二维码" in page and contacts.name in page


@pytest.mark.parametrize("code", ["b1", "b1.forged", "x1.abc", "", "b" + "9" * 30])
def test_a_forged_or_garbled_code_is_not_found(client, building, code):
    assert client.get(f"/q/{code}/").status_code == 404


def test_an_edited_code_cannot_point_at_another_place(client, building, other_community):
    elsewhere = BuildingFactory(community=other_community)
    signature = place_code(building).split(".", 1)[1]
    assert client.get(f"/q/b{elsewhere.pk}.{signature}/").status_code == 404


def test_the_report_button_shows_only_to_those_who_may_file(client, resident, town_staff, community):
    """Town staff read every community's page but file nothing themselves: the crawl found their 反映问题 button
    answering 403."""
    new_case = reverse("communities:case_new")
    client.force_login(resident)
    assert new_case in client.get(PAGE).content.decode()
    client.force_login(town_staff)
    page = client.get(f"{PAGE}?community={community.slug}")
    assert page.status_code == 200 and new_case not in page.content.decode()
    assert client.get(new_case).status_code == 403
