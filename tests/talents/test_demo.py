"""郡园's studio demo (talents.demo.studios): run on a small 郡园 (the seeder needs only the community, its staff
and the ``talent`` login, and makes people where the core demo has none to claim), twice; the second run
creates nothing. seed_demo runs it after the core's demo (talents.door.DEMO_SEEDERS)."""
import datetime as dt

from django.urls import reverse

from communities.models import Backbone, CommunityApp, Role, TeamMember, User
from talents.demo.studios import DEMO_STUDIOS, demo_studios_seed
from talents.door import DEMO_SEEDERS
from talents.models import HostQualification, Merchant, MerchantReferral, Studio
from talents.selectors.studios import may_offer

from ..factories import CommunityFactory, make_member

TODAY = dt.date(2026, 6, 15)


def test_the_demo_seeds_the_seven_studios_once(db, client):
    junyuan = CommunityFactory(name="郡园居民区", slug="junyuan")
    make_member(junyuan, Role.COMMITTEE_STAFF, username="staff_junyuan", name="李倩")
    talent = make_member(junyuan, Role.TALENT, username="talent", name="书法达人")
    first = demo_studios_seed(today=TODAY)
    assert first["served"] == 1 and first["studios"] == 7 and first["qualifications"] == 4
    assert first["merchants"] == 1 and first["referrals"] == 2 and first["followers"] > 14
    assert demo_studios_seed(today=TODAY) == {"served": 0, "studios": 0, "followers": 0, "qualifications": 0,
                                              "merchants": 0, "referrals": 0}
    assert CommunityApp.objects.filter(community=junyuan, app_label="talents").count() == 1
    assert Studio.objects.count() == 7 and Merchant.objects.count() == 1 and MerchantReferral.objects.count() == 2
    moxiang = Studio.objects.get(slug="moxiang")
    assert Backbone.objects.get(team=moxiang.team, term_end__isnull=True).user == talent
    assert TeamMember.objects.filter(invited_by__isnull=False).exists()
    # 针灸 gives talks only; 墨香 may work with children; 书香's check lapses within the month.
    assert may_offer(studio=Studio.objects.get(slug="zhenjiu"), offer="treatment", on=TODAY)[0] is False
    assert may_offer(studio=moxiang, offer="children", on=TODAY) == (True, "")
    assert may_offer(studio=Studio.objects.get(slug="zhibo"), offer="livestream", on=TODAY) == (True, "")
    lapsing = HostQualification.objects.get(studio__slug="shuxiang")
    assert (lapsing.expires_on - TODAY).days == 15
    # The hosts sign in with the demo password and the hub shows all seven to the talent login.
    assert User.objects.get(username="host_zhibo").has_usable_password()
    client.force_login(talent)
    page = client.get(reverse("talents:hub")).content.decode()
    assert all(spec.name in page for spec in DEMO_STUDIOS)


def test_seed_demo_runs_the_studios_first():
    assert DEMO_SEEDERS[0] == ("郡园 studios, hosts and followers", "talents.demo.studios.demo_studios_seed")
