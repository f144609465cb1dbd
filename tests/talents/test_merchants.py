"""Partner merchants: staff list them with referral counts, members read a merchant's page (where nothing is
sold), the classes record referrals once per person and source."""
import pytest
from django.urls import reverse

from talents.models import Merchant, MerchantReferral
from talents.services.merchants import merchant_referral_record, merchant_save

from .studio_world import host, j_resident, j_staff, junyuan, moxiang  # noqa: F401


@pytest.fixture
def teahouse(junyuan, j_staff):
    return merchant_save(actor=j_staff, community=junyuan, name="美兰湖茶饮", address="美兰湖路", contact_name="陆老板",
                         phone="13955550202", offers="体验课场地和茶饮", active=True)[0]


def test_a_referral_counts_once_per_person_and_source(teahouse, j_resident, host):
    assert merchant_referral_record(merchant=teahouse, source_kind="trial_class", source_id=7, user=j_resident)[1]
    assert not merchant_referral_record(merchant=teahouse, source_kind="trial_class", source_id=7, user=j_resident)[1]
    assert merchant_referral_record(merchant=teahouse, source_kind="trial_class", source_id=8, user=j_resident)[1]
    assert merchant_referral_record(merchant=teahouse, source_kind="trial_class", source_id=7, user=None)[1]
    assert merchant_referral_record(merchant=teahouse, source_kind="trial_class", source_id=7, user=None)[1]
    assert MerchantReferral.objects.filter(merchant=teahouse).count() == 4


@pytest.mark.parametrize("persona,status", [("j_staff", 200), ("host", 403), ("j_resident", 403), ("outsider", 403)])
def test_who_opens_the_staff_list(client, teahouse, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("talents:merchant_list")).status_code == status


def test_the_staff_list_shows_counts_in_constant_queries(client, junyuan, j_staff, teahouse, j_resident,
                                                        django_assert_max_num_queries):
    merchant_referral_record(merchant=teahouse, source_kind="trial_class", source_id=1, user=j_resident)
    client.force_login(j_staff)
    client.get(reverse("talents:merchant_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert "引流 1 人次" in client.get(reverse("talents:merchant_list")).content.decode()
    for i in range(49):
        m = Merchant.objects.create(community=junyuan, name=f"商户{i}", address="路", offers="茶")
        MerchantReferral.objects.create(merchant=m, source_kind="trial_class", source_id=i)
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("talents:merchant_list")).content.decode()
    assert page.count("引流 1 人次") == 50


@pytest.mark.parametrize("persona,status", [("j_staff", 200), ("host", 200), ("j_resident", 200), ("outsider", 404)])
def test_members_read_the_merchant_page_where_nothing_is_sold(client, teahouse, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("talents:merchant_detail", args=[teahouse.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "本平台不出售任何商品或课程" in page and "《明码标价和禁止价格欺诈规定》" in page and "退款规则" in page


def test_the_phone_is_masked_for_members_and_counts_are_for_staff(client, teahouse, j_staff, j_resident):
    client.force_login(j_resident)
    page = client.get(reverse("talents:merchant_detail", args=[teahouse.pk])).content.decode()
    assert "139****0202" in page and "13955550202" not in page and "人次" not in page
    client.force_login(j_staff)
    page = client.get(reverse("talents:merchant_detail", args=[teahouse.pk])).content.decode()
    assert "13955550202" in page and "0 人次" in page


def test_staff_add_and_edit_a_merchant_and_a_duplicate_is_refused(client, junyuan, j_staff, j_resident):
    client.force_login(j_resident)
    assert client.post(reverse("talents:merchant_new"), {"name": "x"}).status_code == 403
    client.force_login(j_staff)
    data = {"community": "junyuan", "name": "罗店糕团店", "address": "罗店老街", "offers": "体验课的糕点", "active": "on",
            "phone": "139-1111-2222"}
    assert client.post(reverse("talents:merchant_new") + "?community=junyuan", data).status_code == 302
    row = Merchant.objects.get(name="罗店糕团店")
    assert row.phone == "13911112222"
    again = client.post(reverse("talents:merchant_new") + "?community=junyuan", data)
    assert again.status_code == 400 and "本社区已有同名的合作商户。" in again.content.decode()
    bad = client.post(reverse("talents:merchant_edit", args=[row.pk]), {**data, "phone": "12"})
    assert bad.status_code == 400
    client.post(reverse("talents:merchant_edit", args=[row.pk]), {**data, "active": ""})
    row.refresh_from_db()
    assert row.active is False and row.phone == "13911112222"


def test_staff_of_another_community_get_404_for_junyuan(client, moxiang, other_community):
    from communities.models import Role

    from ..factories import make_member

    elsewhere = make_member(other_community, Role.COMMITTEE_STAFF, username="staff_meilan")
    client.force_login(elsewhere)
    # Their own community is not served by the app; junyuan is not theirs: both 404, never 403.
    assert client.get(reverse("talents:merchant_list")).status_code == 404
    assert client.get(reverse("talents:merchant_list"), {"community": "junyuan"}).status_code == 404
