"""The home page in 蓉庭: residents get their building's announcements (楼组公告), and a tenant bound by the
current 《租户公约》 who has not acknowledged it is asked to read it; neither shows where it does not apply."""
import pytest
from django.urls import reverse

from communities.services import documents as docs
from landlords.models import Channel
from landlords.services.channels import announcement_post, channels_ensure
from tests.communities.documents_helpers import COVENANT, adopted
from tests.factories import BuildingFactory, serve

pytestmark = pytest.mark.django_db

HOME = reverse("home")


@pytest.fixture
def served(community, building):
    serve(community)
    channels_ensure(community=community)
    return community


def home(client, user):
    client.force_login(user)
    return client.get(HOME).content.decode()


def test_a_resident_reads_their_buildings_newest_announcements_on_home(client, served, resident, building,
                                                                        committee_staff, django_assert_max_num_queries):
    channel = Channel.objects.get(building=building)
    for n in range(4):
        announcement_post(actor=committee_staff, channel=channel, title=f"停水通知{n}", body="周三停水。")
    page = home(client, resident)
    assert "楼组公告" in page and "停水通知3" in page and "停水通知1" in page
    assert "停水通知0" not in page  # the newest three only
    assert reverse("landlords:channel_detail", args=[channel.pk]) in page and "未读" in page
    client.force_login(resident)
    with django_assert_max_num_queries(40):
        client.get(HOME)


def test_another_buildings_announcements_do_not_reach_the_resident(client, served, resident, committee_staff):
    elsewhere = BuildingFactory(community=served, name="9号楼")
    channels_ensure(community=served)
    announcement_post(actor=committee_staff, channel=Channel.objects.get(building=elsewhere), title="九号楼停电",
                      body="x")
    page = home(client, resident)
    assert "九号楼停电" not in page and "楼组公告" not in page


def test_a_tenant_is_asked_to_read_the_covenant_until_they_acknowledge_it(client, served, tenant, landlord,
                                                                            committee_staff):
    version = adopted(served, COVENANT, drafter=landlord, staff=committee_staff)
    page = home(client, tenant)
    assert f"请阅读并确认《{version.title}》" in page
    assert f'{reverse("landlords:document_current", args=["covenant"])}?community={served.slug}' in page
    docs.document_acknowledge(actor=tenant, community=served, kind=COVENANT)
    assert "请阅读并确认" not in home(client, tenant)


def test_no_covenant_prompt_for_an_owner_or_without_a_covenant(client, served, resident, tenant):
    assert "请阅读并确认" not in home(client, tenant)  # nothing adopted yet
    assert "请阅读并确认" not in home(client, resident)


def test_no_panels_where_landlords_does_not_serve(client, community, resident, building, committee_staff):
    channels_ensure(community=community)
    announcement_post(actor=committee_staff, channel=Channel.objects.get(building=building), title="停水", body="x")
    assert "楼组公告" not in home(client, resident)
