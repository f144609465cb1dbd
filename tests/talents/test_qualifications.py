"""Qualifications gate what a studio may offer (RULES.md, studios and classes), staff record them, and the
yearly background check is re-checked with one reminder per lapse. Dates are passed in, never today's."""
import datetime as dt

import pytest
from django.urls import reverse

from communities.models import Notification, Role
from talents.models import HostQualification
from talents.selectors.studios import OFFERS, may_offer, studio_offers
from talents.services.studios import background_check_reminders_send, qualification_record
from talents.tasks import remind_background_checks

from ..factories import make_member
from .studio_world import (  # noqa: F401
    NOW, TODAY, TZ, host, j_resident, j_staff, junyuan, moxiang, other_host, xianghui, zhenjiu)

Kind = HostQualification.Kind


def record(staff, studio, user, kind, checked_on, **kw):
    return qualification_record(actor=staff, studio=studio, host=user, kind=kind, checked_on=checked_on,
                                today=TODAY, **kw)


# --- may_offer ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("offer", ["talk", "class", "service"])
def test_talks_classes_and_services_need_no_record(moxiang, offer):
    assert may_offer(studio=moxiang, offer=offer, on=TODAY) == (True, "")


def test_treatment_only_with_a_physician_record(zhenjiu, j_staff, other_host):
    allowed, reason = may_offer(studio=zhenjiu, offer="treatment", on=TODAY)
    assert not allowed and "《中医药法》第十五条" in reason and "讲座和示范" in reason
    record(j_staff, zhenjiu, other_host, Kind.PHYSICIAN, dt.date(2026, 5, 1), number="110310000123456")
    zhenjiu = type(zhenjiu).objects.get(pk=zhenjiu.pk)  # a fresh object: nothing cached
    assert may_offer(studio=zhenjiu, offer="treatment", on=TODAY) == (True, "")
    # Not before the day it was checked.
    assert may_offer(studio=zhenjiu, offer="treatment", on=dt.date(2026, 4, 30))[0] is False


def test_children_need_a_background_check_under_a_year_old(moxiang, j_staff, host):
    allowed, reason = may_offer(studio=moxiang, offer="children", on=TODAY)
    assert not allowed and "书法达人" in reason and "《未成年人保护法》第六十二条" in reason
    row = record(j_staff, moxiang, host, Kind.BACKGROUND, dt.date(2025, 6, 16))
    assert row.expires_on == dt.date(2026, 6, 16)
    fresh = type(moxiang).objects.get(pk=moxiang.pk)
    assert may_offer(studio=fresh, offer="children", on=dt.date(2026, 6, 15)) == (True, "")
    # A year after the check it has lapsed.
    assert may_offer(studio=fresh, offer="children", on=dt.date(2026, 6, 16))[0] is False


def test_every_host_working_with_children_needs_the_check(moxiang, j_staff, host, j_resident):
    from talents.services.studios import studio_host_appoint

    record(j_staff, moxiang, host, Kind.BACKGROUND, dt.date(2026, 3, 1))
    studio_host_appoint(actor=j_staff, studio=moxiang, user=j_resident, today=TODAY)
    allowed, reason = may_offer(studio=type(moxiang).objects.get(pk=moxiang.pk), offer="children", on=TODAY)
    assert not allowed and "郡园王阿姨" in reason and "书法达人" not in reason


def test_a_background_check_of_29_february_lasts_to_28_february(moxiang, j_staff, host):
    row = qualification_record(actor=j_staff, studio=moxiang, host=host, kind=Kind.BACKGROUND,
                               checked_on=dt.date(2024, 2, 29), today=TODAY)
    assert row.expires_on == dt.date(2025, 2, 28)


@pytest.mark.parametrize("born,consent,allowed,says", [
    (dt.date(2010, 6, 16), False, False, "未满十六周岁"),   # 15 on 2026-06-15
    (dt.date(2010, 6, 15), False, False, "监护人同意"),     # 16 today, no consent
    (dt.date(2010, 6, 15), True, True, ""),
    (dt.date(2008, 6, 15), False, True, ""),                # 18
])
def test_a_livestream_host_is_at_least_16_with_consent_under_18(junyuan, j_staff, host, born, consent, allowed, says):
    from talents.services.studios import studio_create

    studio = studio_create(actor=j_staff, community=junyuan, name="直播工作室", slug="zhibo", talent_kind="livestream",
                           hosts=[host], today=TODAY)
    ok, reason = may_offer(studio=studio, offer="livestream", on=TODAY)
    assert not ok and "年龄核验" in reason
    record(j_staff, studio, host, Kind.AGE, dt.date(2026, 6, 1), born_on=born, guardian_consent=consent)
    ok, reason = may_offer(studio=type(studio).objects.get(pk=studio.pk), offer="livestream", on=TODAY)
    assert ok is allowed and says in reason


def test_the_persons_birth_date_counts_without_an_age_check(junyuan, j_staff, host):
    from talents.services.studios import studio_create

    host.person.birth_date = dt.date(1990, 1, 1)
    host.person.save(update_fields=["birth_date"])
    studio = studio_create(actor=j_staff, community=junyuan, name="直播工作室", slug="zhibo", talent_kind="livestream",
                           hosts=[host], today=TODAY)
    assert may_offer(studio=studio, offer="livestream", on=TODAY) == (True, "")


def test_a_studio_without_hosts_offers_nothing_that_needs_a_check(junyuan, j_staff):
    from talents.services.studios import studio_create

    studio = studio_create(actor=j_staff, community=junyuan, name="空工作室", slug="empty", talent_kind="other",
                           today=TODAY)
    for offer in ("treatment", "children", "livestream"):
        assert may_offer(studio=studio, offer=offer, on=TODAY) == (False, "这个工作室还没有现任主理人。")
    with pytest.raises(ValueError):
        may_offer(studio=studio, offer="massage", on=TODAY)
    assert set(OFFERS) == {"talk", "treatment", "class", "children", "livestream", "service"}


def test_studio_offers_loads_once_for_all_offers(zhenjiu, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = studio_offers(studio=zhenjiu, on=TODAY)
    assert [r.offer for r in rows] == ["talk", "treatment", "class"]
    assert [r.allowed for r in rows] == [True, False, True]


# --- recording (staff) --------------------------------------------------------------------------------------

def test_only_current_hosts_get_a_record_and_bad_input_changes_nothing(moxiang, j_staff, host, j_resident):
    from communities.services.errors import DomainError

    with pytest.raises(DomainError, match="现任主理人"):
        record(j_staff, moxiang, j_resident, Kind.BACKGROUND, dt.date(2026, 6, 1))
    with pytest.raises(DomainError, match="出生日期"):
        record(j_staff, moxiang, host, Kind.AGE, dt.date(2026, 6, 1))
    with pytest.raises(DomainError, match="证书编号"):
        record(j_staff, moxiang, host, Kind.PHYSICIAN, dt.date(2026, 6, 1))
    with pytest.raises(DomainError, match="不能晚于今天"):
        record(j_staff, moxiang, host, Kind.BACKGROUND, dt.date(2026, 6, 16))
    assert not HostQualification.objects.exists()


@pytest.mark.parametrize("persona,status", [("j_staff", 200), ("host", 403), ("j_resident", 403), ("outsider", 403)])
def test_who_opens_the_qualification_pages(client, moxiang, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("talents:qualification_list")).status_code == status
    assert client.get(reverse("talents:qualification_new")).status_code == status


def test_staff_record_through_the_form_and_the_list_highlights_lapsing(client, moxiang, j_staff, host):
    client.force_login(j_staff)
    checked = dt.date.today() - dt.timedelta(days=350)  # the form refuses future dates relative to the real day
    response = client.post(reverse("talents:qualification_new") + "?community=junyuan", {
        "community": "junyuan", "studio": moxiang.pk, "host": host.pk, "kind": "background",
        "number": "沪宝罗核字2025-088", "checked_on": checked.isoformat(), "notes": ""})
    assert response.status_code == 302
    row = HostQualification.objects.get()
    assert row.checked_by == j_staff and row.expires_on == checked.replace(year=checked.year + 1)
    page = client.get(reverse("talents:qualification_list")).content.decode()
    assert "list-group-item-warning" in page and "天后到期" in page and "沪宝罗核字2025-088" in page


def test_the_form_refuses_a_host_of_another_community(client, moxiang, j_staff, outsider):
    client.force_login(j_staff)
    response = client.post(reverse("talents:qualification_new"), {
        "studio": moxiang.pk, "host": outsider.pk, "kind": "background", "checked_on": "2026-01-05"})
    assert response.status_code == 400 and not HostQualification.objects.exists()


# --- the yearly re-check reminder ---------------------------------------------------------------------------

def test_staff_are_reminded_once_when_a_check_lapses_within_30_days(moxiang, j_staff, host, junyuan):
    second_staff = make_member(junyuan, Role.COMMITTEE_STAFF, username="staff2", name="居委小王")
    record(j_staff, moxiang, host, Kind.BACKGROUND, dt.date(2025, 7, 10))  # lapses 2026-07-10: in 25 days
    assert background_check_reminders_send(now=NOW - dt.timedelta(days=10)) == 0  # 35 days ahead: not yet
    assert background_check_reminders_send(now=NOW) == 2
    assert background_check_reminders_send(now=NOW) == 0
    assert background_check_reminders_send(now=NOW + dt.timedelta(days=30)) == 0  # lapsed now: still once
    notes = Notification.objects.filter(recipient__in=[j_staff, second_staff])
    assert notes.count() == 2 and all("即将到期" in n.title and "书法达人" in n.title for n in notes)
    assert notes.first().url.startswith(reverse("talents:qualification_list"))


def test_a_new_check_silences_the_old_and_its_own_lapse_reminds_again(moxiang, j_staff, host):
    record(j_staff, moxiang, host, Kind.BACKGROUND, dt.date(2025, 5, 1))   # lapsed 2026-05-01
    record(j_staff, moxiang, host, Kind.BACKGROUND, dt.date(2026, 4, 20))  # the re-check
    assert background_check_reminders_send(now=NOW) == 0
    later = dt.datetime(2027, 4, 1, 9, tzinfo=TZ)
    assert background_check_reminders_send(now=later) == 1
    assert "即将到期" in Notification.objects.get(recipient=j_staff).title


def test_a_lapsed_check_says_so(moxiang, j_staff, host):
    record(j_staff, moxiang, host, Kind.BACKGROUND, dt.date(2025, 6, 1))
    assert background_check_reminders_send(now=NOW) == 1
    assert "已过期" in Notification.objects.get(recipient=j_staff).title


def test_the_task_runs_twice_harmlessly(moxiang, j_staff, host):
    qualification_record(actor=j_staff, studio=moxiang, host=host, kind=Kind.BACKGROUND,
                         checked_on=dt.date.today() - dt.timedelta(days=400))
    remind_background_checks()
    remind_background_checks()
    assert Notification.objects.filter(recipient=j_staff).count() == 1


def test_staff_of_another_community_get_404_for_junyuan(client, moxiang, other_community):
    from communities.models import Role

    from ..factories import make_member

    elsewhere = make_member(other_community, Role.COMMITTEE_STAFF, username="staff_meilan")
    client.force_login(elsewhere)
    # Their own community is not served by the app; junyuan is not theirs: both 404, never 403.
    assert client.get(reverse("talents:qualification_list")).status_code == 404
    assert client.get(reverse("talents:qualification_list"), {"community": "junyuan"}).status_code == 404
