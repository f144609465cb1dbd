"""The 24-hour hotline: a call logged in one form, the caller's number masked and its reveal logged, night calls
reaching the guard on the security shift (or the heads), cases on the caller's behalf, call-backs reminded once,
bad input and double submissions, who may read the log, the board card's queries, the metric and the demo."""
import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from communities import extensions
from communities.models import (
    Case, Community, Notification, PersonalDataAccess, Role, Rota, RotaMember, Shift, ShiftAssignment,
    VillageGroup,
)
from communities.services.errors import DomainError
from propertyservice.metrics import measure
from propertyservice.models import HotlineCall, Incident
from propertyservice.selectors import hotline as sel
from propertyservice.services import hotline as svc

from ..clock import frozen_at
from ..factories import CaseCategoryFactory, make_member
from .world import (  # noqa: F401
    DAY, HOUR, NOW, at, committee, head, head2, make_station, make_village, other_village, station, staff_member,
    village, villager,
)

pytestmark = pytest.mark.django_db

C, O = HotlineCall.Category, HotlineCall.Outcome
MINUTE = dt.timedelta(minutes=1)
LIST, NEW = reverse("propertyservice:hotline_list"), reverse("propertyservice:hotline_new")


def log(actor, community, **overrides):
    fields = dict(actor=actor, community=community, token=uuid.uuid4(), received_at=NOW, caller_name="丁阿婆",
                  caller_phone="13916620001", category=C.ENQUIRY, about="问充电棚怎么办卡。", outcome=O.ANSWERED,
                  answer="带身份证到服务站登记。", now=NOW + dt.timedelta(minutes=5))
    fields.update(overrides)
    return svc.hotline_call_log(**fields)


def night_rota(village, guard, *, day=1, start=22, hours=8):
    """A 保安 rota with one night shift: ``day``-1 at ``start`` for ``hours`` (22:00–06:00 by default)."""
    rota = Rota.objects.create(community=village, name="夜间保安", kind=Rota.Kind.SECURITY)
    RotaMember.objects.create(rota=rota, user=guard)
    starts = at(day - 1, start)
    shift = Shift.objects.create(rota=rota, starts_at=starts, ends_at=starts + hours * HOUR)
    ShiftAssignment.objects.create(shift=shift, user=guard)
    return rota


frozen = frozen_at(NOW, autouse=True)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(village, **overrides):
    # The view logs at the clock (a call is logged when it comes in): the form's time is a minute before it.
    data = {"community": village.slug, "token": str(uuid.uuid4()), "received_at": local(NOW - MINUTE),
            "caller_name": "施国平", "caller_phone": "139 1662 0002", "category": C.ENQUIRY,
            "about": "问停车场外来车辆怎么收费。", "outcome": O.ANSWERED, "answer": "首小时免费，之后每小时3元。"}
    data.update(overrides)
    return data


# --- logging a call --------------------------------------------------------------------------------------------

def test_station_staff_log_a_call_in_one_form_and_it_is_answered_at_once(client, head, station, village):
    client.force_login(head)
    page = client.get(NEW, {"community": village.slug})
    assert page.status_code == 200
    assert "autofocus" in page.content.decode()
    assert "转为突发事件" in page.content.decode()  # an emergency call becomes an incident
    response = client.post(NEW, form_data(village))
    call = HotlineCall.objects.get()
    assert response.status_code == 302 and response.url == reverse("propertyservice:hotline_detail", args=[call.pk])
    assert call.caller_phone == "13916620002" and call.answered_at == call.received_at
    detail = client.get(response.url).content.decode()
    assert "139****0002" in detail and "13916620002" not in detail
    assert "当场" in detail


def test_the_log_masks_phones_and_shows_outcome_and_time_to_answer(client, head, station, village):
    call, _ = log(head, village, outcome=O.CALLBACK, answer="", callback_due_at=NOW + 2 * HOUR,
                  callback_assignee=head)
    svc.hotline_callback_done(actor=head, call_id=call.pk, now=NOW + HOUR + 5 * dt.timedelta(minutes=1))
    client.force_login(head)
    page = client.get(LIST, {"community": village.slug}).content.decode()
    assert "139****0001" in page and "13916620001" not in page
    assert "稍后回电" in page and "1 小时 5 分钟" in page
    assert "1 小时 5 分钟" not in client.get(LIST, {"community": village.slug, "outcome": O.ANSWERED}).content.decode()
    assert "没有符合条件" in client.get(LIST, {"community": village.slug, "day": "2026-03-09"}).content.decode()


def test_the_log_runs_the_same_queries_for_one_call_or_many(client, head, station, village):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(head)
    log(head, village, outcome=O.CALLBACK, answer="", callback_due_at=NOW + HOUR, callback_assignee=head)
    client.get(LIST, {"community": village.slug})  # the session and the policy's facts warm up
    with CaptureQueriesContext(connection) as one:
        client.get(LIST, {"community": village.slug})
    for n in range(5):
        log(head, village, received_at=NOW - n * HOUR, urgent=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST, {"community": village.slug}).content.decode().count("139****0001") == 6
    assert len(many) == len(one)


def test_revealing_the_phone_is_a_button_and_the_access_is_logged(client, head, station, village):
    call, _ = log(head, village)
    client.force_login(head)
    page = client.post(reverse("propertyservice:hotline_phone", args=[call.pk])).content.decode()
    assert "13916620001" in page
    access = PersonalDataAccess.objects.get()
    assert access.viewer == head and access.community_id == village.pk and "热线" in access.purpose


def test_bad_input_changes_nothing_and_says_why_in_chinese(client, head, station, village):
    client.force_login(head)
    for overrides, message in (({"about": "  "}, "请填写来电内容"), ({"caller_phone": "12345"}, "手机号码格式不正确"),
                               ({"answer": ""}, "当场答复请填写答复内容"),
                               ({"outcome": O.CALLBACK, "answer": ""}, "稍后回电请填写回电期限和回电人"),
                               ({"received_at": local(NOW + DAY)}, "来电时间不能晚于现在"),
                               ({"received_at": local(NOW - 8 * DAY)}, "只能登记 7 天内的来电")):
        response = client.post(NEW, form_data(village, **overrides))
        assert response.status_code == 400, overrides
        assert message in response.content.decode(), overrides
    assert not HotlineCall.objects.exists()


def test_a_double_submission_is_one_call(client, head, station, village):
    client.force_login(head)
    data = form_data(village)
    first, second = client.post(NEW, data), client.post(NEW, data, follow=True)
    assert HotlineCall.objects.count() == 1
    assert first.url == second.redirect_chain[-1][0]
    assert "这通来电已经登记过了" in second.content.decode()


# --- night calls -----------------------------------------------------------------------------------------------

def test_a_call_at_two_in_the_morning_reaches_the_guard_on_the_night_shift(head, station, staff_member, village):
    night_rota(village, staff_member)
    call, _ = log(head, village, received_at=at(1, 2), category=C.EMERGENCY, about="听到隔壁空房子里有人撬门。",
                  outcome=O.CALLBACK, answer="", callback_due_at=at(1, 3), callback_assignee=staff_member,
                  now=at(1, 2, 3))
    assert call.alert == HotlineCall.Alert.GUARD and call.alerted_at == at(1, 2, 3)
    assert list(call.alerted.all()) == [staff_member]
    note = Notification.objects.get(recipient=staff_member, title__startswith="夜间热线来电")
    assert "撬门" in note.body and "139****0001" in note.body
    assert not Notification.objects.filter(recipient=head, title__startswith="夜间").exists()


def test_nobody_on_duty_the_heads_are_told_and_the_page_says_so(client, head, head2, station, staff_member, village):
    night_rota(village, staff_member, day=5)  # another night
    call, _ = log(head, village, received_at=at(1, 2), now=at(1, 2, 5))
    assert call.alert == HotlineCall.Alert.HEADS
    assert set(call.alerted.all()) == {head, head2}
    assert Notification.objects.filter(recipient=head2, body__startswith="现在没有人在保安班上").exists()
    client.force_login(head)
    assert "来电时没有人在保安班上" in client.get(reverse("propertyservice:hotline_detail", args=[call.pk])).content.decode()


def test_a_daytime_call_alerts_nobody_unless_urgent(head, station, staff_member, village):
    night_rota(village, staff_member, day=1, start=9, hours=4)  # a day shift covering NOW (09:00–13:00)
    quiet, _ = log(head, village)
    assert quiet.alert == "" and not quiet.alerted.exists()
    urgent, _ = log(head, village, urgent=True, category=C.EMERGENCY, about="老人摔倒了。")
    assert urgent.alert == HotlineCall.Alert.GUARD and list(urgent.alerted.all()) == [staff_member]
    assert sel.is_night(at(0, 22)) and sel.is_night(at(0, 6, 59)) and not sel.is_night(at(0, 7))


# --- cases and call-backs --------------------------------------------------------------------------------------

def test_the_station_files_a_hotline_case_at_once_when_it_picks_a_category(head, station, village):
    category = CaseCategoryFactory(community=village, name="房屋漏水")
    call, _ = log(head, village, outcome=O.CASE, answer="", category=C.REPAIR, about="楼上漏水到客厅。",
                  house="15号", case_category=category)
    case = Case.objects.get()
    assert call.case == case and call.case_handed_at is None
    assert (case.channel, case.filed_by, case.reporter, case.reporter_name) == (
        Case.Channel.HOTLINE, head, None, "丁阿婆")


def test_a_case_outcome_without_a_category_is_handed_to_the_committee_who_file_it(client, head, station,
                                                                                   committee, village, monkeypatch):
    category = CaseCategoryFactory(community=village, name="房屋漏水")
    call, _ = log(head, village, outcome=O.CASE, answer="", category=C.REPAIR, about="楼上漏水到客厅。",
                  house="15号", case_category=None)
    assert call.case is None and call.case_handed_at is not None
    assert Notification.objects.filter(recipient=committee, title__startswith="热线来电待立案").exists()
    client.force_login(committee)
    url = reverse("propertyservice:hotline_case_file", args=[call.pk])
    response = client.post(url, {"category": category.pk})
    client.post(url, {"category": category.pk})  # a second press files nothing more
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.channel == Case.Channel.HOTLINE and case.reporter is None and case.reporter_name == "丁阿婆"
    assert case.reporter_phone == "13916620001" and case.filed_by == committee and "漏水" in case.description
    call.refresh_from_db()
    assert call.case == case
    assert "服务站热线来电" in client.get(reverse("communities:case_detail", args=[case.pk])).content.decode()
    monkeypatch.setattr(timezone, "now", lambda: NOW + HOUR)  # an hour later
    extensions.case_closed.send(sender=Case, case=case, actor=committee)  # the core closes the case
    call.refresh_from_db()
    assert call.answered_at is not None and call.answered_at > call.received_at
    assert svc.hotline_case_answered(case=case, now=NOW + DAY) == 0  # answered once


def test_committee_staff_logging_a_case_call_file_it_at_once(committee, station, village):
    category = CaseCategoryFactory(community=village)
    from communities.models import Membership

    Membership.objects.create(user=committee, community=village, role=Role.STATION_STAFF)  # 村委 on the hotline
    call, _ = log(committee, village, outcome=O.CASE, answer="", case_category=category)
    assert call.case.channel == Case.Channel.HOTLINE


def test_a_due_call_back_reminds_its_assignee_once(head, station, staff_member, village):
    call, _ = log(head, village, outcome=O.CALLBACK, answer="", callback_due_at=NOW + 2 * HOUR,
                  callback_assignee=staff_member)
    assert svc.hotline_callbacks_remind(now=NOW + HOUR) == 0
    assert svc.hotline_callbacks_remind(now=NOW + 3 * HOUR) == 1
    assert svc.hotline_callbacks_remind(now=NOW + 4 * HOUR) == 0
    assert Notification.objects.filter(recipient=staff_member, title__startswith="回电到期").count() == 1
    assert svc.hotline_callback_done(actor=staff_member, call_id=call.pk, now=NOW + 5 * HOUR)
    assert not svc.hotline_callback_done(actor=staff_member, call_id=call.pk, now=NOW + 6 * HOUR)
    call.refresh_from_db()
    assert call.answered_at == NOW + 5 * HOUR and call.callback_done_by == staff_member


def test_the_call_back_assignee_must_be_station_staff(head, station, villager, village):
    with pytest.raises(DomainError, match="回电人须是本村服务站的工作人员"):
        log(head, village, outcome=O.CALLBACK, answer="", callback_due_at=NOW + HOUR, callback_assignee=villager)
    assert not HotlineCall.objects.exists()


def test_an_emergency_call_becomes_an_incident_found_by_the_hotline(settings, client, head, station, village):
    call, _ = log(head, village, outcome=O.INCIDENT, answer="", category=C.EMERGENCY, about="七图3排冒烟。",
                  house="3排", urgent=True)
    incident = Incident.objects.get()
    assert call.incident == incident and list(incident.hotline_calls.all()) == [call]
    assert (incident.how, incident.detected_at, incident.description, incident.urgency) == (
        Incident.How.HOTLINE, call.received_at, "七图3排冒烟。", Incident.Urgency.LIFE)
    client.force_login(head)
    detail = client.get(reverse("propertyservice:hotline_detail", args=[call.pk])).content.decode()
    assert reverse("propertyservice:incident_detail", args=[incident.pk]) in detail
    settings.HOTLINE_INCIDENT_OPENER = ""  # a village without the incidents area is not offered the outcome
    assert O.INCIDENT not in dict(sel.outcomes_offered())
    with pytest.raises(DomainError, match="请选择处理结果"):
        log(head, village, outcome=O.INCIDENT, answer="")
    assert Incident.objects.count() == 1


# --- who may read ----------------------------------------------------------------------------------------------

def test_villagers_cannot_read_the_log_and_committee_staff_read_but_do_not_log(client, head, station, villager,
                                                                               committee, village):
    call, _ = log(head, village)
    detail = reverse("propertyservice:hotline_detail", args=[call.pk])
    client.force_login(villager)
    assert client.get(LIST).status_code == 403
    assert client.get(detail).status_code == 403
    assert client.get(NEW).status_code == 403
    hub = client.get(reverse("propertyservice:hub")).content.decode()
    assert "24 小时热线" in hub and "登记来电" not in hub
    client.force_login(committee)
    assert client.get(LIST, {"community": village.slug}).status_code == 200
    assert client.get(detail).status_code == 200
    assert client.get(NEW).status_code == 403


def test_another_village_is_a_404(client, head, station, village, other_village):
    call, _ = log(head, village)
    outsider = other_village.memberships.get().user
    client.force_login(outsider)
    assert client.get(reverse("propertyservice:hotline_detail", args=[call.pk])).status_code == 404
    assert client.post(reverse("propertyservice:hotline_phone", args=[call.pk])).status_code == 404
    assert client.get(LIST, {"community": village.slug}).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_hub_shows_the_number_to_villagers_and_the_button_to_staff(client, head, station, villager, village):
    village.office_phone = "021-5555 0303"
    village.save(update_fields=["office_phone"])
    client.force_login(villager)
    assert "021-5555 0303" in client.get(reverse("propertyservice:hub")).content.decode()
    client.force_login(head)
    assert NEW in client.get(reverse("propertyservice:hub")).content.decode()


# --- the board, the metric, the demo ---------------------------------------------------------------------------

def test_the_board_card_runs_the_same_queries_for_one_call_or_many(rf, head, station, village,
                                                                   django_assert_num_queries):
    from communities.policy import can

    request = rf.get("/")
    request.user = head
    can(head, "propertyservice.hotline.view", village)  # the user's memberships, loaded once per request
    log(head, village, received_at=NOW - HOUR, now=NOW)
    with django_assert_num_queries(2):
        one = sel.board_card(request=request, community=village, now=NOW)["month"]
    for hours in range(2, 8):
        log(head, village, received_at=NOW - hours * HOUR, outcome=O.CALLBACK, answer="",
            callback_due_at=NOW - HOUR + dt.timedelta(minutes=hours), callback_assignee=head, now=NOW)
    with django_assert_num_queries(2):
        many = sel.hotline_month(community=village, now=NOW)
    # the six call-backs are still within their 3 working days: not answered yet, but not late either
    assert many.calls == 7 and many.answered == 1 and many.callbacks_overdue == 6 and many.answered_share == 100
    assert many.due == 1
    assert one.calls == 1 and one.answered_share == 100 and one.median_minutes == 0


def test_the_answered_share_counts_a_call_once_its_time_to_answer_has_run_out(head, station, village):
    received = NOW - 6 * DAY  # a Wednesday: the call-back is due by Monday's end
    log(head, village, received_at=received, now=received)  # answered on the spot
    log(head, village, received_at=received, outcome=O.CALLBACK, answer="", callback_due_at=received + HOUR,
        callback_assignee=head, now=received)  # never called back
    soon = sel.hotline_month(community=village, now=received + HOUR)
    assert (soon.answered, soon.due, soon.answered_share) == (1, 1, 100)
    late = sel.hotline_month(community=village, now=NOW)
    assert (late.answered, late.due, late.answered_share) == (1, 2, 50)
    day = timezone.localtime(received).date()
    assert sel.hotline_answered_measure(community=village, start=day, end=day + DAY,
                                        now=received + HOUR).whole == 1
    assert sel.hotline_answered_measure(community=village, start=day, end=day + DAY, now=NOW).whole == 2


def test_the_board_shows_the_card(client, head, station, village):
    log(head, village, received_at=NOW - HOUR, now=NOW)
    client.force_login(head)
    page = client.get(reverse("propertyservice:board")).content.decode()
    assert "24 小时热线" in page and "回电逾期" in page


def test_the_metric_counts_calls_answered_within_the_hotline_clock(head, station, village):
    log(head, village, received_at=at(0, 9))  # answered on the spot
    late, _ = log(head, village, received_at=at(0, 9, 30), category=C.ENQUIRY, outcome=O.CALLBACK, answer="",
                  callback_due_at=at(1, 9), callback_assignee=head)
    svc.hotline_callback_done(actor=head, call_id=late.pk, now=at(4, 9))  # Saturday: past 3 working days
    complaint, _ = log(head, village, received_at=at(0, 10), category=C.COMPLAINT, outcome=O.CALLBACK, answer="",
                       callback_due_at=at(1, 9), callback_assignee=head)
    svc.hotline_callback_done(actor=head, call_id=complaint.pk, now=at(6, 9))  # Monday: within 5 working days
    log(head, village, received_at=at(0, 9, 45), outcome=O.CALLBACK, answer="", callback_due_at=at(0, 11),
        callback_assignee=head)  # never answered
    result = measure("hotline_answered", community=village, start=NOW.date(), end=NOW.date() + DAY)
    assert (result.part, result.whole) == (2, 3)  # the unanswered call is still within its 3 working days
    later = sel.hotline_answered_measure(community=village, start=NOW.date(), end=NOW.date() + DAY, now=at(10, 9))
    assert (later.part, later.whole) == (2, 4)  # now it is late and counts against the station
    assert measure("hotline_answered", community=village, start=NOW.date() + DAY,
                   end=NOW.date() + 2 * DAY).whole == 0


def test_working_days_skip_weekends_and_holidays():
    friday = dt.datetime(2026, 3, 13, 16, 0, tzinfo=NOW.tzinfo)
    assert sel.working_days_after(friday, 1).date() == dt.date(2026, 3, 17)  # Monday's end
    before_national_day = dt.datetime(2026, 9, 30, 10, 0, tzinfo=NOW.tzinfo)
    assert sel.working_days_after(before_national_day, 1).date() == dt.date(2026, 10, 9)  # the 8th, after 1–7
    assert sel.is_working_day(dt.date(2026, 10, 10))  # a Saturday worked (调休)


def test_the_demo_runs_twice_and_keeps_its_calls():
    from propertyservice.demo.hotline import CALLS, demo_hotline_seed

    village = make_village("guangming", "光明村")
    heads = [make_member(village, Role.STATION_STAFF, username="station")]
    for n in range(2, 7):
        make_member(village, Role.STATION_STAFF, username=f"station{n}")
    make_member(village, Role.COMMITTEE_STAFF, username="staff_guangming")
    make_station(village, *heads)
    for name in ("丁钱", "施杨", "七图"):
        VillageGroup.objects.create(community=village, name=name)
    for code in ("flying_wire", "parking", "leak"):
        CaseCategoryFactory(community=village, code=code)
    assert demo_hotline_seed() == {"calls": len(CALLS)}
    assert demo_hotline_seed() == {}
    calls = HotlineCall.objects.filter(community=Community.objects.get(slug="guangming"))
    assert calls.count() == len(CALLS)
    assert calls.filter(alert=HotlineCall.Alert.GUARD, alerted__username="station4").count() == 1
    assert calls.filter(callback_due_at__isnull=False, callback_done_at__isnull=True).count() == 1
    assert calls.filter(case__channel=Case.Channel.HOTLINE).count() == 2
    assert calls.filter(outcome=O.CASE, case__isnull=True).count() == 1



def test_a_calls_page_gives_the_time_to_answer_as_the_day_it_ends(client, head, station, village):
    call, _ = log(head, village)  # Tuesday 10:00, an enquiry: 1 working day, to Wednesday's end
    client.force_login(head)
    page = client.get(reverse("propertyservice:hotline_detail", args=[call.pk])).content.decode()
    assert "2026-03-11 24:00 前" in page and "2026-03-12 00:00" not in page
