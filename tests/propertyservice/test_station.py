"""The station and its people: certificates feed the core rota qualifications (the rota engine refuses the
uncertified and takes the certified), the age rule of a security post, the employer's filing, the expiry
alert once, who sees what (403 / 404), the board's constant queries, and the demo seeded twice."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    AuditEvent, MemberQualification, Notification, Person, Qualification, Role, Rota, RotaMember, Shift,
)
from communities.services.errors import DomainError
from communities.services.rota_duty import take_refusal
from propertyservice.models import Certificate, CertificateKind, PostKind, StaffPost
from propertyservice.services import station as svc
from propertyservice.tasks import start_certificate_alerts

from ..factories import make_member
from .world import (  # noqa: F401
    DAY, NOW, at, committee, frozen, head, head2, make_village, other_village, station, staff_member, village, villager,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    """Every page and service here reads NOW (a Tuesday in March 2026), never the real clock."""
    return frozen
TODAY = NOW.date()


def person(user) -> Person:
    return Person.objects.get(user=user)


@pytest.fixture
def patrol_rota(village, head):
    training = Qualification.objects.create(community=village, name="物业服务岗位培训")
    return Rota.objects.create(community=village, name="服务站值班巡逻", kind=Rota.Kind.PATROL, manager=head,
                               required_qualification=training)


@pytest.fixture
def patrol_post(village, committee, patrol_rota):
    post, _ = svc.post_ensure(actor=committee, community=village, kind=PostKind.PATROL, name="巡逻",
                              certificate_kind=CertificateKind.GUARD, security=True, rotas=[patrol_rota])
    return post


def guard_certificate(actor, village, user, *, expires_on=TODAY + 365 * DAY, number="沪保001"):
    return svc.certificate_record(actor=actor, community=village, person=person(user), kind=CertificateKind.GUARD,
                                  number=number, issued_on=TODAY - 100 * DAY, expires_on=expires_on,
                                  issued_by="上海市公安局宝山分局", now=NOW)


def a_shift(rota, user):
    RotaMember.objects.get_or_create(rota=rota, user=user)
    return Shift.objects.create(rota=rota, starts_at=at(3, 19), ends_at=at(3, 22))


def test_the_post_takes_the_qualification_its_rota_requires(patrol_post, patrol_rota):
    assert patrol_post.qualification_id == patrol_rota.required_qualification_id
    assert list(patrol_post.rotas.all()) == [patrol_rota]


def test_the_rota_engine_refuses_the_uncertified_and_takes_the_certified(
        committee, staff_member, village, patrol_post, patrol_rota):
    shift = a_shift(patrol_rota, staff_member)
    assert "资质" in str(take_refusal(shift=shift, user=staff_member))
    cert, changed = guard_certificate(committee, village, staff_member)
    assert changed
    held = MemberQualification.objects.get(user=staff_member, qualification=patrol_rota.required_qualification)
    assert held.expires_on == cert.expires_on
    assert take_refusal(shift=shift, user=staff_member) is None


def test_renewing_updates_the_core_expiry_and_a_repeat_changes_nothing(committee, staff_member, village,
                                                                        patrol_post):
    guard_certificate(committee, village, staff_member, expires_on=TODAY + 10 * DAY)
    _cert, again = guard_certificate(committee, village, staff_member, expires_on=TODAY + 10 * DAY)
    assert not again
    guard_certificate(committee, village, staff_member, expires_on=TODAY + 700 * DAY, number="沪保002")
    assert Certificate.objects.filter(person=person(staff_member)).count() == 1
    held = MemberQualification.objects.get(user=staff_member, qualification=patrol_post.qualification)
    assert held.expires_on == TODAY + 700 * DAY


def test_an_expired_certificate_is_refused(committee, staff_member, village, patrol_post):
    with pytest.raises(DomainError):
        guard_certificate(committee, village, staff_member, expires_on=TODAY - DAY)
    assert not Certificate.objects.exists()


def test_station_staff_who_are_not_heads_cannot_record_certificates(staff_member, village, patrol_post):
    with pytest.raises(PermissionDenied):
        guard_certificate(staff_member, village, staff_member)


def test_a_head_records_a_certificate(head, staff_member, village, patrol_post):
    _cert, changed = guard_certificate(head, village, staff_member)
    assert changed


def test_a_security_post_is_refused_under_18_with_the_rule_cited(committee, staff_member, village, station,
                                                                  patrol_post):
    guard_certificate(committee, village, staff_member)
    Person.objects.filter(user=staff_member).update(birth_date=TODAY.replace(year=TODAY.year - 17))
    with pytest.raises(DomainError) as refused:
        svc.staff_post_assign(actor=committee, post=patrol_post, person=person(staff_member), since=TODAY, now=NOW)
    assert "第十六条" in str(refused.value.message) and "18" in str(refused.value.message)
    assert not StaffPost.objects.exists()
    Person.objects.filter(user=staff_member).update(birth_date=TODAY.replace(year=TODAY.year - 18))
    row, changed = svc.staff_post_assign(actor=committee, post=patrol_post, person=person(staff_member),
                                         since=TODAY, now=NOW)
    assert changed
    _again, changed = svc.staff_post_assign(actor=committee, post=patrol_post, person=person(staff_member),
                                            since=TODAY, now=NOW)
    assert not changed and StaffPost.objects.count() == 1
    assert station.memberships.filter(user=staff_member, left_at__isnull=True).count() == 1  # on the core team


def test_a_security_post_needs_a_known_age_and_the_guard_certificate(committee, staff_member, village, patrol_post):
    with pytest.raises(DomainError, match="出生日期"):
        svc.staff_post_assign(actor=committee, post=patrol_post, person=person(staff_member), since=TODAY)
    Person.objects.filter(user=staff_member).update(birth_date=dt.date(1980, 1, 1))
    with pytest.raises(DomainError, match="保安员证"):
        svc.staff_post_assign(actor=committee, post=patrol_post, person=person(staff_member), since=TODAY)


def test_the_filing_is_shown_and_its_absence_warned(client, committee, head, village, station):
    client.force_login(head)
    page = client.get(reverse("propertyservice:station"), {"community": village.slug}).content.decode()
    assert "data-filing-missing" in page and "第十三条" in page
    svc.station_profile_save(actor=committee, community=village, employer_name="光明村村民委员会",
                             security_since=TODAY - 40 * DAY, police_filing_number="沪公备001",
                             police_filed_on=TODAY - 30 * DAY, now=NOW)
    page = client.get(reverse("propertyservice:station"), {"community": village.slug}).content.decode()
    assert "沪公备001" in page and "data-filing-missing" not in page
    audited = AuditEvent.objects.filter(action="propertyservice.station_profile").count()
    svc.station_profile_save(actor=committee, community=village, employer_name="光明村村民委员会",
                             security_since=TODAY - 40 * DAY, police_filing_number="沪公备001",
                             police_filed_on=TODAY - 30 * DAY, now=NOW)  # saved again unchanged
    assert AuditEvent.objects.filter(action="propertyservice.station_profile").count() == audited == 1
    with pytest.raises(DomainError):
        svc.station_profile_save(actor=committee, community=village, employer_name="光明村村民委员会",
                                 security_since=None, police_filing_number="沪公备001", police_filed_on=None, now=NOW)


def test_the_expiry_alert_reaches_both_heads_once(committee, head, head2, staff_member, village, station,
                                                   patrol_post):
    cert, _ = guard_certificate(committee, village, staff_member, expires_on=TODAY + 40 * DAY)
    assert svc.certificate_alerts_due(now=NOW) == []
    later = NOW + 11 * DAY  # 29 days before the expiry
    assert svc.certificate_alerts_due(now=later) == [cert.pk]
    assert svc.certificate_alert(certificate_id=cert.pk, now=later)
    assert not svc.certificate_alert(certificate_id=cert.pk, now=later + DAY)
    alerts = Notification.objects.filter(title__contains="保安员证")
    assert sorted(alerts.values_list("recipient__username", flat=True)) == ["head", "head2"]
    # Renewed, then lapsing again: a new expiry is alerted once more.
    guard_certificate(committee, village, staff_member, expires_on=TODAY + 60 * DAY, number="沪保009")
    assert svc.certificate_alert(certificate_id=cert.pk, now=NOW + 35 * DAY)
    assert alerts.count() == 4




def test_the_beat_task_runs_twice_and_alerts_once(committee, head, head2, staff_member, village, station,
                                                  patrol_post, eager):
    # The beat task reads the clock (NOW here): a certificate lapsing within the month.
    today = timezone.localdate()
    Certificate.objects.create(community=village, person=person(staff_member), kind=CertificateKind.GUARD,
                               number="沪保010", issued_on=today - 300 * DAY, expires_on=today + 5 * DAY,
                               issued_by="上海市公安局宝山分局")
    start_certificate_alerts.apply()
    start_certificate_alerts.apply()
    assert Notification.objects.filter(title__contains="保安员证").count() == 2


# --- pages and who sees what ----------------------------------------------------------------------------------

STATION_URL = reverse("propertyservice:station")


def test_a_villager_sees_heads_and_posts_but_no_certificate_numbers(client, committee, villager, staff_member,
                                                                    village, station, patrol_post):
    guard_certificate(committee, village, staff_member, number="沪保SECRET")
    svc.station_profile_save(actor=committee, community=village, employer_name="光明村村民委员会",
                             security_since=None, police_filing_number="沪公备SECRET", police_filed_on=TODAY,
                             now=NOW)
    client.force_login(villager)
    page = client.get(STATION_URL, {"community": village.slug})
    body = page.content.decode()
    assert page.status_code == 200
    assert "周国强" in body and "施建华" in body and "巡逻" in body
    assert "沪保SECRET" not in body and "沪公备SECRET" not in body
    assert client.get(reverse("propertyservice:station_person", args=[person(staff_member).pk]),
                      {"community": village.slug}).status_code == 403
    assert client.get(reverse("propertyservice:recruit_list"), {"community": village.slug}).status_code == 403


def test_station_staff_read_the_certificates_and_a_lapsing_one_is_highlighted(client, committee, staff_member,
                                                                               village, station, patrol_post):
    guard_certificate(committee, village, staff_member, expires_on=timezone.localdate() + dt.timedelta(days=10))
    client.force_login(staff_member)
    body = client.get(STATION_URL, {"community": village.slug}).content.decode()
    assert "沪保001" in body and 'data-standing="lapsing"' in body
    page = client.get(reverse("propertyservice:station_person", args=[person(staff_member).pk]),
                      {"community": village.slug})
    assert page.status_code == 200 and "沪保001" in page.content.decode()


def test_station_staff_may_not_record_and_another_village_is_a_404(client, staff_member, committee, village,
                                                                   station, other_village):
    url = reverse("propertyservice:station_certificate", args=[person(staff_member).pk])
    data = {"kind": "guard", "number": "X1", "issued_on": "2026-01-01", "expires_on": "2027-01-01",
            "issued_by": "宝山分局"}
    client.force_login(staff_member)
    assert client.post(f"{url}?community={village.slug}", data).status_code == 403
    client.force_login(committee)
    assert client.post(f"{url}?community={other_village.slug}", data).status_code == 404
    assert client.get(STATION_URL, {"community": other_village.slug}).status_code == 404
    response = client.post(f"{url}?community={village.slug}", data)
    assert response.status_code == 302 and Certificate.objects.filter(number="X1").exists()


def test_bad_input_is_shown_in_the_form_and_changes_nothing(client, committee, staff_member, village, station):
    url = reverse("propertyservice:station_certificate", args=[person(staff_member).pk])
    client.force_login(committee)
    response = client.post(f"{url}?community={village.slug}", {
        "kind": "guard", "number": "X1", "issued_on": "2026-01-01", "expires_on": "2025-01-01",
        "issued_by": "宝山分局"})
    assert response.status_code == 400 and "有效期" in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_board_card_runs_constant_queries(client, committee, head, staff_member, village, station, patrol_post,
                                              django_assert_num_queries):
    from propertyservice.selectors.station import board_station

    guard_certificate(committee, village, staff_member, expires_on=TODAY + 5 * DAY)
    with django_assert_num_queries(2):
        card = board_station(community=village, now=NOW)
    assert len(card["lapsing"]) == 1
    for i in range(4):
        extra = make_member(village, Role.STATION_STAFF, username=f"extra{i}")
        guard_certificate(committee, village, extra, expires_on=TODAY + (i + 1) * DAY, number=f"沪保1{i}")
    with django_assert_num_queries(2):
        card = board_station(community=village, now=NOW)
    assert len(card["lapsing"]) == 5
    client.force_login(head)
    assert "证书到期与招聘" in client.get(reverse("propertyservice:board"), {"community": village.slug}).content.decode()


def test_the_rules_are_acknowledged_by_staff_per_version(client, head, staff_member, committee, village, station):
    from communities.services.documents import document_adopt, document_draft
    from propertyservice.station_rules import KIND

    version = document_draft(actor=head, community=village, kind=KIND, title="服务站管理制度", body="巡逻、交接班。")
    document_adopt(actor=committee, version_id=version.pk)
    url = reverse("propertyservice:station_rules")
    client.force_login(staff_member)
    assert "我已阅读并遵守" in client.get(url, {"community": village.slug}).content.decode()
    client.post(reverse("propertyservice:station_rules_acknowledge") + f"?community={village.slug}")
    client.post(reverse("propertyservice:station_rules_acknowledge") + f"?community={village.slug}")
    assert version.acknowledgements.count() == 1
    client.force_login(head)
    body = client.get(url, {"community": village.slug}).content.decode()
    assert "已确认" in body and "未确认" in body  # 丁卫东 has, the heads have not


def test_every_page_renders_for_a_head_and_the_hub_has_the_card(client, head, committee, staff_member, villager,
                                                                 village, station, patrol_post):
    from communities.services.documents import document_adopt, document_draft
    from propertyservice.services.staffing import training_session_create
    from propertyservice.station_rules import KIND

    guard_certificate(committee, village, staff_member)
    version = document_draft(actor=head, community=village, kind=KIND, title="服务站管理制度", body="巡逻。")
    document_adopt(actor=head, version_id=version.pk)
    session = training_session_create(actor=head, community=village, topic="巡逻规范", starts_at=NOW, hours=2)
    client.force_login(head)
    q = {"community": village.slug}
    for url in (STATION_URL, reverse("propertyservice:station_person", args=[person(staff_member).pk]),
                reverse("propertyservice:recruit_list"), reverse("propertyservice:training_list"),
                reverse("propertyservice:training_detail", args=[session.pk]),
                reverse("propertyservice:station_rules")):
        assert client.get(url, q).status_code == 200, url
    assert "修改用人单位和备案信息" in client.get(STATION_URL, q).content.decode()
    assert "任免负责人" not in client.get(STATION_URL, q).content.decode()  # heads do not appoint heads
    client.force_login(committee)
    assert reverse("communities:team_backbones", args=[station.pk]) in client.get(STATION_URL, q).content.decode()
    client.force_login(villager)
    hub = client.get(reverse("propertyservice:hub"), q).content.decode()
    assert "服务站与人员" in hub and "周国强" in hub


def test_the_staff_list_runs_constant_queries(committee, staff_member, village, station, patrol_post,
                                              django_assert_num_queries):
    from propertyservice.selectors.station import station_staff

    guard_certificate(committee, village, staff_member)
    with django_assert_num_queries(3):
        rows = station_staff(community=village, now=NOW)
    for i in range(3):
        guard_certificate(committee, village, make_member(village, Role.STATION_STAFF, username=f"more{i}"),
                          number=f"沪保2{i}")
    with django_assert_num_queries(3):
        more = station_staff(community=village, now=NOW)
    assert len(more) == len(rows) + 3


def test_the_post_form_takes_the_birth_date_when_the_person_has_none(client, committee, staff_member, village,
                                                                     station, patrol_post):
    guard_certificate(committee, village, staff_member)
    url = reverse("propertyservice:station_assign", args=[person(staff_member).pk]) + f"?community={village.slug}"
    client.force_login(committee)
    young = TODAY.replace(year=TODAY.year - 17).isoformat()
    response = client.post(url, {"post": patrol_post.pk, "since": TODAY.isoformat(), "birth": young})
    assert response.status_code == 400 and "第十六条" in response.content.decode()
    assert not StaffPost.objects.exists()
    response = client.post(url, {"post": patrol_post.pk, "since": TODAY.isoformat(), "birth": "1985-06-01"})
    assert response.status_code == 302
    assert StaffPost.objects.get().birth_date == dt.date(1985, 6, 1)
    assert Person.objects.get(user=staff_member).birth_date is None  # the core person is left alone


def test_the_certified_on_post_metric(committee, staff_member, village, station, patrol_post,
                                      django_assert_num_queries):
    from propertyservice.metrics import measure

    Person.objects.filter(user=staff_member).update(birth_date=dt.date(1980, 1, 1))
    guard_certificate(committee, village, staff_member, expires_on=TODAY + 20 * DAY)
    svc.staff_post_assign(actor=committee, post=patrol_post, person=person(staff_member), since=TODAY, now=NOW)
    with django_assert_num_queries(1):
        this_month = measure("station_certified", community=village, start=TODAY, end=TODAY + 10 * DAY)
    assert (this_month.part, this_month.whole) == (1, 1)
    lapsed = measure("station_certified", community=village, start=TODAY + 20 * DAY, end=TODAY + 40 * DAY)
    assert (lapsed.part, lapsed.whole) == (0, 1)
    before = measure("station_certified", community=village, start=TODAY - 30 * DAY, end=TODAY - DAY)
    assert before.whole == 0


def test_the_alert_runs_daily_from_beat(settings):
    from celery import current_app

    entry = settings.CELERY_BEAT_SCHEDULE["propertyservice-certificate-alerts"]
    assert entry["task"] == "propertyservice.tasks.start_certificate_alerts" and entry["schedule"] == 24 * 3600.0
    assert entry["task"] in current_app.tasks
