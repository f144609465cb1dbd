"""The backbones page: committee staff appoint a team member to an office and end a term; everyone else is
refused, and bad input changes nothing."""
import datetime as dt

import pytest
from django.urls import reverse

from communities.models import AuditEvent, Backbone, Role, Team

from ..factories import TeamFactory, make_member, team_join

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def squad(community, landlord, resident):
    team = TeamFactory(community=community, name="治理小分队", kind=Team.Kind.SQUAD)
    team_join(team, landlord, resident)
    return team


def url(team):
    return reverse("communities:team_backbones", args=[team.pk])


def test_staff_appoint_a_member_and_the_page_shows_the_office(client, committee_staff, squad, landlord):
    client.force_login(committee_staff)
    response = client.post(url(squad), {"user": landlord.pk, "office": "studio_host", "term_start": "2026-03-01"},
                           follow=True)
    row = Backbone.objects.get(team=squad, user=landlord, term_end__isnull=True)
    assert (row.office, row.term_start, row.source, row.appointed_by) == (
        "studio_host", dt.date(2026, 3, 1), Backbone.Source.APPOINTED, committee_staff)
    page = response.content.decode()
    assert "主理人" in page and "陈师傅" in page and "2026-03-01 起任" in page
    assert AuditEvent.objects.filter(action="team.backbone_appoint").count() == 1


def test_the_same_appointment_twice_changes_nothing(client, committee_staff, squad, landlord):
    client.force_login(committee_staff)
    data = {"user": landlord.pk, "office": "backbone", "term_start": "2026-03-01"}
    client.post(url(squad), data)
    response = client.post(url(squad), data, follow=True)
    assert Backbone.objects.filter(team=squad, user=landlord).count() == 1
    assert "未作改动" in response.content.decode()


def test_ending_a_term_keeps_the_row_with_its_end_date(client, committee_staff, squad, landlord):
    client.force_login(committee_staff)
    client.post(url(squad), {"user": landlord.pk, "office": "backbone", "term_start": "2026-03-01"})
    row = Backbone.objects.get(team=squad, user=landlord)
    client.post(reverse("communities:backbone_end", args=[row.pk]), {"term_end": "2026-02-01"})
    row.refresh_from_db()
    assert row.term_end is None  # before the term began: refused
    client.post(reverse("communities:backbone_end", args=[row.pk]), {"term_end": "2026-03-09"})
    row.refresh_from_db()
    assert row.term_end == dt.date(2026, 3, 9)
    assert "还没有现任骨干" in client.get(url(squad)).content.decode()


@pytest.mark.parametrize("start", ["", "1900-01-01", "2099-01-01", "not a date"])
def test_a_bad_date_is_said_plainly_and_nothing_is_written(client, committee_staff, squad, landlord, start):
    client.force_login(committee_staff)
    response = client.post(url(squad), {"user": landlord.pk, "office": "backbone", "term_start": start})
    assert response.status_code == 400
    assert not Backbone.objects.exists()


def test_someone_outside_the_team_cannot_be_chosen(client, committee_staff, squad, tenant):
    client.force_login(committee_staff)
    response = client.post(url(squad), {"user": tenant.pk, "office": "backbone", "term_start": "2026-03-01"})
    assert response.status_code == 400
    assert not Backbone.objects.exists()


def test_wrong_role_is_refused_and_another_community_is_not_found(client, landlord, squad, other_community):
    client.force_login(landlord)
    assert client.get(url(squad)).status_code == 403
    assert client.post(url(squad), {"user": landlord.pk, "office": "president",
                                    "term_start": "2026-03-01"}).status_code == 403
    client.force_login(make_member(other_community, Role.COMMITTEE_STAFF, username="staff-elsewhere"))
    assert client.get(url(squad)).status_code == 404
    assert not Backbone.objects.exists()
