"""The 蓉治社 hub: who reaches it, the three-fixed meetings with their standing topics, the duty room."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import MeetingKind, Rota, Team
from communities.services.meeting_series import series_create

from ..factories import TeamFactory, serve, team_join

TZ = timezone.get_default_timezone()


@pytest.fixture
def rongzhi(community, landlord):
    team = TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    serve(community)
    team_join(team, landlord)
    return team


@pytest.fixture
def check_in_series(community, committee_staff, rongzhi):
    return series_create(actor=committee_staff, community=community, title="蓉治社碰头会", kind=MeetingKind.CHECK_IN,
                         rrule="FREQ=MONTHLY;BYDAY=1TU", first_starts_at=dt.datetime(2025, 1, 7, 19, tzinfo=TZ),
                         duration_minutes=90, venue="蓉治社接待室", organiser=committee_staff,
                         standing_topics=["群租/房屋隔断", "违法搭建", "噪音扰民", "楼道堆物", "垃圾分类"],
                         invited_teams=[rongzhi])


@pytest.mark.parametrize("persona", ["landlord", "committee_staff", "party_secretary", "resident", "tenant"])
def test_every_member_reaches_the_hub(client, rongzhi, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("landlords:hub"))
    assert response.status_code == 200
    assert "蓉治社" in response.content.decode()


def test_standing_topics_and_next_meeting_show_to_the_team(client, landlord, check_in_series):
    client.force_login(landlord)
    page = client.get(reverse("landlords:hub")).content.decode()
    assert "固定议题：群租/房屋隔断、违法搭建、噪音扰民、楼道堆物、垃圾分类" in page
    assert "蓉治社碰头会" in page and "近期会议" in page


def test_an_uninvited_resident_does_not_see_the_closed_meeting(client, resident, check_in_series):
    client.force_login(resident)
    page = client.get(reverse("landlords:hub")).content.decode()
    assert "近期会议" not in page


def test_the_duty_room_links_its_rota_for_its_members_only(client, community, landlord, resident, rongzhi):
    rota = Rota.objects.create(community=community, name="蓉治社接待室值班", kind=Rota.Kind.MEDIATION_ROOM,
                               place="蓉治社接待室", manager=landlord)
    link = reverse("communities:rota_calendar", args=[rota.pk])
    client.force_login(landlord)
    assert link in client.get(reverse("landlords:hub")).content.decode()
    client.force_login(resident)
    page = client.get(reverse("landlords:hub")).content.decode()
    assert link not in page and "蓉治社接待室" in page


def test_scorecard_link_only_for_those_who_have_one(client, landlord, resident, rongzhi):
    client.force_login(landlord)
    assert reverse("landlords:scorecard") in client.get(reverse("landlords:hub")).content.decode()
    client.force_login(resident)
    assert reverse("landlords:scorecard") not in client.get(reverse("landlords:hub")).content.decode()


def test_community_without_a_team_has_no_hub(client, outsider, landlord, rongzhi):
    client.force_login(outsider)
    assert client.get(reverse("landlords:hub")).status_code == 404
    client.force_login(landlord)
    assert client.get(reverse("landlords:hub"), {"community": "meilan"}).status_code == 404


def test_menu_shows_the_team_entry_to_members_only(client, landlord, outsider, rongzhi):
    client.force_login(landlord)
    assert reverse("landlords:hub") in client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    assert reverse("landlords:hub") not in client.get(reverse("home")).content.decode()


def test_town_secretary_picks_a_community(client, town_secretary, rongzhi):
    client.force_login(town_secretary)
    assert client.get(reverse("landlords:hub"), {"community": "rongting"}).status_code == 200


def test_my_tenancy_link_is_for_tenants(client, landlord, tenant, rongzhi):
    link = reverse("landlords:tenant_registration_mine")
    client.force_login(tenant)
    assert link in client.get(reverse("landlords:hub")).content.decode()
    client.force_login(landlord)
    assert link not in client.get(reverse("landlords:hub")).content.decode()
