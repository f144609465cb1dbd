"""The volunteer-hours pages: 平台记录 for the volunteer (never called 证明), the organiser's queue, manual entry and
correction, the export for the national volunteer system, the certificate register, its public notice and the PDF;
the right role succeeds, the wrong one is refused, another community answers 404."""
import datetime as dt
import io
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import PersonalDataAccess, Role, VolunteerCertificate, VolunteerHours
from communities.services import hours as svc

from ..factories import make_member
from .hours_world import DAY, NOW, SHANGHAI, at, record, volunteer_in

Status = VolunteerHours.Status
PHONE = "13912345678"


@pytest.fixture
def mum(community):
    return volunteer_in(community, phone=PHONE)


@pytest.fixture
def staff2(community):
    return make_member(community, Role.COMMITTEE_STAFF, username="staff2", name="居委小王")


def text_of(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def issued_certificate(mum, community, staff):
    record(mum, community, minutes=90)
    cert = svc.certificate_propose(actor=staff, community=community, volunteer=mum, period_from=dt.date(2026, 3, 1),
                                   period_to=dt.date(2026, 3, 9), person_in_charge="周敏",
                                   contact_phone="021-5555 0101", now=NOW)
    svc.certificate_issue(certificate=cert, actor=staff, now=NOW + 7 * DAY)
    return cert


# --- the volunteer's page ------------------------------------------------------------------------------------

def test_my_hours_are_platform_records_never_certificates(client, mum, community, committee_staff):
    record(mum, community, minutes=90, source_id=1)
    record(mum, community, minutes=500, scheduled=None, source_id=2, starts=at(3, 4, 9))
    issued_certificate(volunteer_in(community, username="other", name="李静"), community, committee_staff)
    client.force_login(mum)
    response = client.get(reverse("communities:hours_mine"))
    text = text_of(response)
    assert response.status_code == 200
    assert "平台记录" in text and "证明" not in text
    assert "志愿服务条例" in text  # the rule, named where the volunteer meets it
    assert "阅读与作业辅导" in text and "书香工作室" in text and "组织方确认" in text
    assert "待审核" in text and "已记录" in text
    assert "平台记录合计：1.5 小时" in text  # the one waiting for review is not counted


def test_my_hours_page_shows_only_my_entries(client, mum, community):
    other = volunteer_in(community, username="other", name="李静")
    record(other, community, activity="别人的活动")
    client.force_login(mum)
    assert "别人的活动" not in text_of(client.get(reverse("communities:hours_mine")))


def test_my_hours_query_count_is_constant(client, mum, community, django_assert_max_num_queries):
    client.force_login(mum)
    record(mum, community, source_id=0)
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("communities:hours_mine"))
    for i in range(1, 50):
        record(mum, community, source_id=i, starts=at(1 + i % 2, 1 + i % 27, 9))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("communities:hours_mine"))
    assert response.content.decode().count("申请更正") >= 50


def test_a_volunteer_asks_for_a_correction_and_staff_correct_it(client, mum, community, committee_staff):
    entry, _ = record(mum, community, minutes=120, scheduled=90)
    client.force_login(mum)
    response = client.post(reverse("communities:hours_request_correction", args=[entry.pk]),
                           {"message": "只上到 18:00"}, follow=True)
    assert "已提交更正申请" in text_of(response)
    response = client.post(reverse("communities:hours_request_correction", args=[entry.pk]),
                           {"message": "再点一次"}, follow=True)
    assert "已有一份更正申请" in text_of(response)

    client.force_login(committee_staff)
    assert "只上到 18:00" in text_of(client.get(reverse("communities:hours_review")))
    url = reverse("communities:hours_correct", args=[entry.pk])
    form = {"activity": entry.activity, "place": entry.place, "starts_at": "2026-03-03T16:30",
            "ends_at": "2026-03-03T18:30", "minutes": "90", "reason": ""}
    response = client.post(url, form)
    assert response.status_code == 400 and VolunteerHours.objects.count() == 1
    response = client.post(url, {**form, "reason": "志愿者申请"}, follow=True)
    assert "已更正" in text_of(response)
    entry.refresh_from_db()
    assert entry.status == Status.SUPERSEDED and entry.corrections.get().minutes == 90


def test_someone_elses_entry_cannot_be_asked_about(client, mum, community, resident):
    entry, _ = record(mum, community)
    client.force_login(resident)
    response = client.post(reverse("communities:hours_request_correction", args=[entry.pk]), {"message": "x"})
    assert response.status_code == 404


# --- the organiser -----------------------------------------------------------------------------------------------

def test_staff_enter_by_hand_and_a_second_person_confirms(client, mum, community, committee_staff, staff2):
    client.force_login(committee_staff)
    response = client.post(f"{reverse('communities:hours_new')}?community={community.slug}", {
        "phone": PHONE, "activity": "读书角整理", "place": "书香工作室", "starts_at": f"{local_day(2)}T14:00",
        "ends_at": f"{local_day(2)}T16:00", "minutes": "", "scheduled_minutes": ""}, follow=True)
    assert "等待另一位工作人员" in text_of(response)
    entry = VolunteerHours.objects.get(volunteer=mum)
    assert (entry.status, entry.minutes, entry.entered_by) == (Status.AWAITING_CONFIRMATION, 120, committee_staff)

    response = client.post(reverse("communities:hours_confirm", args=[entry.pk]), {"how": "organiser"}, follow=True)
    assert "另一个人确认" in text_of(response)
    entry.refresh_from_db()
    assert entry.status == Status.AWAITING_CONFIRMATION

    client.force_login(staff2)
    client.post(reverse("communities:hours_confirm", args=[entry.pk]), {"how": "served"})
    entry.refresh_from_db()
    assert (entry.status, entry.confirmed_by, entry.confirmed_how) == (Status.RECORDED, staff2, "served")


def test_an_unknown_phone_is_refused_and_nothing_is_entered(client, community, committee_staff, outsider):
    client.force_login(committee_staff)
    response = client.post(reverse("communities:hours_new"), {
        "phone": "13900000001", "activity": "x", "starts_at": f"{local_day(2)}T14:00",
        "ends_at": f"{local_day(2)}T16:00"})
    assert response.status_code == 400 and "没有用这个手机号注册的人" in text_of(response)
    assert not VolunteerHours.objects.exists()


def test_staff_approve_and_reject_the_review_queue(client, mum, community, committee_staff):
    long_one, _ = record(mum, community, minutes=400, scheduled=None, source_id=1)
    other, _ = record(mum, community, minutes=400, scheduled=None, source_id=2)
    client.force_login(committee_staff)
    assert "待审核" in text_of(client.get(reverse("communities:hours_review")))
    client.post(reverse("communities:hours_review_one", args=[long_one.pk]), {"decision": "approve"})
    response = client.post(reverse("communities:hours_review_one", args=[other.pk]), {"decision": "reject", "note": ""},
                           follow=True)
    assert "原因" in text_of(response)
    client.post(reverse("communities:hours_review_one", args=[other.pk]), {"decision": "reject", "note": "无活动记录"})
    assert dict(VolunteerHours.objects.values_list("pk", "status")) == {long_one.pk: Status.RECORDED,
                                                                        other.pk: Status.REJECTED}


@pytest.mark.parametrize("name", ["hours_review", "hours_new", "certificate_register", "hours_export"])
def test_a_resident_may_not_open_the_organiser_pages(client, resident, name):
    client.force_login(resident)
    assert client.get(reverse(f"communities:{name}")).status_code == 403


def test_staff_of_another_community_get_404(client, mum, community, other_community):
    entry, _ = record(mum, community)
    cert = issued_certificate(volunteer_in(community, username="v2", name="李静"), community,
                              make_member(community, Role.COMMITTEE_STAFF, username="s1", name="小张"))
    elsewhere = make_member(other_community, Role.COMMITTEE_STAFF, username="s_other", name="别处")
    client.force_login(elsewhere)
    assert client.get(reverse("communities:hours_correct", args=[entry.pk])).status_code == 404
    assert client.post(reverse("communities:hours_confirm", args=[entry.pk]), {"how": "organiser"}).status_code == 404
    assert client.get(reverse("communities:certificate_pdf", args=[cert.pk])).status_code == 404
    assert client.get(f"{reverse('communities:hours_review')}?community={community.slug}").status_code == 404
    assert client.get(f"{reverse('communities:certificate_notice')}?community={community.slug}").status_code == 404


def test_the_team_totals_page_is_for_leaders(client, mum, community, party_secretary, resident):
    record(mum, community, starts=dt.datetime.combine(local_day(3), dt.time(9), tzinfo=SHANGHAI), now=timezone.now())
    client.force_login(party_secretary)
    response = client.get(reverse("communities:hours_teams"))
    text = text_of(response)
    assert response.status_code == 200 and "平台记录" in text and "证明" not in text and "1.5" in text
    client.force_login(resident)
    assert client.get(reverse("communities:hours_teams")).status_code == 403


# --- the export for the national volunteer system -------------------------------------------------------------

def test_the_export_has_the_national_fields_and_current_recorded_rows_only(client, mum, community, committee_staff):
    kept, _ = record(mum, community, source_id=1, minutes=90)
    wrong, _ = record(mum, community, source_id=2, minutes=120, scheduled=None, starts=at(3, 5, 9))
    svc.hours_correct(entry=wrong, actor=committee_staff, minutes=60, reason="按实际", now=NOW)
    record(mum, community, source_id=3, minutes=400, scheduled=None, starts=at(3, 6, 9))  # waits for review
    record(mum, community, source_id=4, minutes=60, starts=at(2, 6, 9))  # another month
    client.force_login(committee_staff)
    response = client.get(reverse("communities:hours_export"), {"community": community.slug, "month": "2026-03"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("志愿者姓名", "手机号", "服务项目/活动名称", "服务开始时间", "服务结束时间", "服务时长(小时)",
                       "服务地点", "组织单位", "确认人/方式")
    assert [(r[0], r[1], r[5], r[7]) for r in rows[1:]] == [("王芳", PHONE, 1.5, "蓉庭居民区"),
                                                             ("王芳", PHONE, 1.0, "蓉庭居民区")]
    assert rows[1][3] == dt.datetime(2026, 3, 3, 16, 30) and rows[1][8] == "组织方确认"
    assert PersonalDataAccess.objects.filter(viewer=committee_staff, kind="export").count() == 2


# --- certificates ---------------------------------------------------------------------------------------------

def local_day(days_ago: int) -> dt.date:
    """A day relative to the real clock, for pages that read it (the services take now=)."""
    return timezone.localdate() - dt.timedelta(days=days_ago)


def test_staff_propose_and_issue_from_the_register(client, mum, community, committee_staff):
    day = local_day(3)
    record(mum, community, minutes=90, starts=dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI),
           now=timezone.now())
    client.force_login(committee_staff)
    url = f"{reverse('communities:certificate_register')}?community={community.slug}"
    response = client.post(url, {"phone": PHONE, "period_from": f"{local_day(30)}", "period_to": f"{local_day(1)}",
                                 "person_in_charge": "周敏", "contact_phone": ""})
    assert response.status_code == 400 and "联系电话" in text_of(response)  # no phone given, none on file
    response = client.post(url, {"phone": PHONE, "period_from": f"{local_day(30)}", "period_to": f"{local_day(1)}",
                                 "person_in_charge": "周敏", "contact_phone": "021-5555 0101"}, follow=True)
    assert "已开始公示" in text_of(response)
    cert = VolunteerCertificate.objects.get()
    assert (cert.status, cert.notice_starts_on, cert.total_minutes) == ("notice", local_day(0), 90)
    response = client.post(reverse("communities:certificate_issue", args=[cert.pk]), follow=True)
    assert "7 天" in text_of(response)
    cert.refresh_from_db()
    assert cert.number == ""


def test_the_notice_shows_names_and_hours_to_members_but_no_phones(client, mum, community, committee_staff,
                                                                     resident):
    record(mum, community, minutes=90)
    svc.certificate_propose(actor=committee_staff, community=community, volunteer=mum,
                            period_from=dt.date(2026, 3, 1), period_to=dt.date(2026, 3, 9), person_in_charge="周敏",
                            contact_phone="021-5555 0101", now=NOW)
    client.force_login(resident)
    response = client.get(reverse("communities:certificate_notice"))
    text = text_of(response)
    assert response.status_code == 200
    assert "王芳" in text and "1.5 小时" in text and "2026-03-10 至 2026-03-16" in text
    assert PHONE not in text and "139****5678" not in text


def _pdf_text(data: bytes) -> bytes:
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    out = data
    for stream in streams:
        try:
            out += zlib.decompress(stream)
        except zlib.error:
            pass
    return out


def test_the_pdf_is_for_the_volunteer_and_staff_and_carries_no_phone(client, mum, community, committee_staff,
                                                                      resident):
    cert = issued_certificate(mum, community, committee_staff)
    for user in (mum, committee_staff):
        client.force_login(user)
        response = client.get(reverse("communities:certificate_pdf", args=[cert.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert PHONE.encode() not in _pdf_text(response.content)
    client.force_login(resident)
    assert client.get(reverse("communities:certificate_pdf", args=[cert.pk])).status_code == 403


def test_a_certificate_in_notice_has_no_pdf(client, mum, community, committee_staff):
    record(mum, community)
    cert = svc.certificate_propose(actor=committee_staff, community=community, volunteer=mum,
                                   period_from=dt.date(2026, 3, 1), period_to=dt.date(2026, 3, 9),
                                   person_in_charge="周敏", contact_phone="021", now=NOW)
    client.force_login(committee_staff)
    assert client.get(reverse("communities:certificate_pdf", args=[cert.pk])).status_code == 404


def test_the_menu_shows_hours_to_volunteers_and_staff_only(client, mum, committee_staff, resident, town_staff):
    # Town staff manage rotas but keep no hours here: /hours/ would answer 403, so the menu does not offer it.
    for user, shown in ((mum, True), (committee_staff, True), (resident, False), (town_staff, False)):
        client.force_login(user)
        assert ("志愿时长" in text_of(client.get(reverse("home")))) is shown, user


def test_the_review_button_is_shown_only_to_who_may_open_the_queue(client, mum, community, committee_staff):
    """A volunteer who leads no team used to see 待确认和审核 on their page and find a refusal (403) behind it."""
    from communities.models import Backbone, Team
    from communities.services.teams import backbone_appoint, team_member_join

    client.force_login(mum)
    assert "待确认和审核" not in text_of(client.get(reverse("communities:hours_mine")))
    assert client.get(reverse("communities:hours_review")).status_code == 403
    team = Team.objects.create(community=community, name="宝妈志愿队", kind=Team.Kind.VOLUNTEER_TEAM)
    team_member_join(team=team, user=mum)
    backbone_appoint(actor=committee_staff, team=team, user=mum, office=Backbone.Office.BACKBONE,
                     term_start=dt.date(2026, 3, 1))
    assert "待确认和审核" in text_of(client.get(reverse("communities:hours_mine")))
    assert client.get(reverse("communities:hours_review")).status_code == 200
    client.force_login(committee_staff)
    assert "待确认和审核" in text_of(client.get(reverse("communities:hours_mine")))


def test_the_review_link_shows_only_to_whom_the_review_page_opens(client, mum, committee_staff):
    # hours.confirm is granted per entry (a backbone of the organising team); the page itself opens to staff and
    # to backbones only, so a volunteer who leads nothing is not shown a link that answers 403.
    review = reverse("communities:hours_review")
    client.force_login(mum)
    assert review not in client.get(reverse("communities:hours_mine")).content.decode()
    assert client.get(review).status_code == 403
    client.force_login(committee_staff)
    assert review in client.get(reverse("communities:hours_mine")).content.decode()
    assert client.get(review).status_code == 200
