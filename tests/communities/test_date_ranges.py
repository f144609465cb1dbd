"""Dates out of any sane range in a query string get the page with a message, never a 500, and never widen
what is shown or exported (issue 12, item 13)."""
import datetime as dt

import pytest
from django.urls import reverse

from communities.dates import parse_day, parse_month
from communities.models import Rota

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize("value, expected", [
    ("2026-12-02", dt.date(2026, 12, 2)), ("9999-12-31", None), ("0001-01-01", None), ("1999-12-31", None),
    ("2036-12-01", dt.date(2036, 12, 1)), ("2037-01-01", None), ("2026-02-30", None), ("", None), ("x", None),
])
def test_parse_day(value, expected):
    assert parse_day(value, TODAY) == expected


@pytest.mark.parametrize("value, expected", [
    ("2026-11", dt.date(2026, 11, 1)), ("9999-12", None), ("0001-01", None), ("2026-13", None), ("", None),
])
def test_parse_month(value, expected):
    assert parse_month(value, TODAY) == expected


@pytest.fixture
def rota(community, committee_staff):
    return Rota.objects.create(community=community, name="门岗", manager=committee_staff)


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_a_rota_week_out_of_range_shows_this_week_with_a_message(client, committee_staff, rota, week):
    client.force_login(committee_staff)
    response = client.get(reverse("communities:rota_calendar", args=[rota.pk]), {"week": week})
    assert response.status_code == 200
    assert "日期无效或超出范围，已显示本周。" in response.content.decode()


def test_a_rota_report_month_out_of_range_shows_this_month(client, committee_staff, rota):
    client.force_login(committee_staff)
    response = client.get(reverse("communities:rota_fairness", args=[rota.pk]), {"month": "9999-12"})
    assert response.status_code == 200 and "月份无效或超出范围" in response.content.decode()


def test_the_mediation_log_month_out_of_range_shows_this_month(client, committee_staff):
    client.force_login(committee_staff)
    response = client.get(reverse("landlords:mediation_log"), {"month": "9999-12"})
    assert response.status_code == 200 and "月份无效或超出范围" in response.content.decode()


@pytest.mark.parametrize("params", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}])
def test_case_list_dates_out_of_range_are_said_and_the_export_is_not_widened(client, committee_staff, params):
    client.force_login(committee_staff)
    page = client.get(reverse("communities:case_list"), params)
    assert page.status_code == 200 and "请填写 2000 年以后、十年以内的日期。" in page.content.decode()
    export = client.get(reverse("communities:case_export"), params)
    assert export.status_code == 302 and export["Location"].startswith(reverse("communities:case_list"))
