"""The meeting pages: who may open and change what (right role 200, wrong role 403, other community
404), the buttons' POSTs, bad input answered in Chinese with nothing changed, and query counts that do
not grow with the rows shown."""
import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    ActionItem, AgendaItem, Attendance, Case, Decision, Meeting, MeetingInvite, MeetingKind, MeetingSeries, Minutes,
    Role, TopicProposal,
)
from communities.services import meeting_topics as topics
from communities.services import meetings as svc

from ..factories import CaseCategoryFactory, UnitFactory, make_member, team_join
from .meeting_world import (  # noqa: F401 - fixtures
    H, landlord2, meeting, open_meeting, police, reload, rongzhi, series, told,
)


def url(name, *args):
    return reverse(f"communities:{name}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def personas(request):
    return lambda name: request.getfixturevalue(name)


@pytest.fixture
def past_meeting(meeting):
    """The 碰头会 as if it had started an hour ago."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - H, ends_at=timezone.now() + H)
    return reload(meeting)


# --- who may open what --------------------------------------------------------------------------------

@pytest.mark.parametrize("persona,status", [
    ("committee_staff", 200), ("party_secretary", 200), ("town_secretary", 200),
    ("landlord", 200),      # invited through 蓉治社
    ("resident", 403),      # a landlords' meeting is not open to every resident
    ("outsider", 404),      # another community
])
def test_landlords_meeting_page(client, personas, meeting, persona, status):
    response = as_user(client, personas(persona)).get(url("meeting_detail", meeting.pk))
    assert response.status_code == status
    if status == 200:
        assert "楼道堆物专题碰头会" in response.content.decode() and "蓉治社接待室" in response.content.decode()


@pytest.mark.parametrize("persona,status", [("resident", 200), ("tenant", 200), ("outsider", 404)])
def test_deliberation_is_open_to_every_member(client, personas, open_meeting, persona, status):
    assert as_user(client, personas(persona)).get(url("meeting_detail", open_meeting.pk)).status_code == status


@pytest.mark.parametrize("name", ["meeting_edit", "meeting_move"])
@pytest.mark.parametrize("persona,status", [("committee_staff", 200), ("party_secretary", 200), ("landlord", 403),
                                            ("resident", 403), ("outsider", 404)])
def test_organiser_pages(client, personas, meeting, name, persona, status):
    assert as_user(client, personas(persona)).get(url(name, meeting.pk)).status_code == status


@pytest.mark.parametrize("name", ["meeting_new", "series_new", "proposal_queue"])
@pytest.mark.parametrize("persona,status", [("committee_staff", 200), ("party_secretary", 200), ("landlord", 403),
                                            ("resident", 403), ("no_role_user", 403)])
def test_leader_pages(client, personas, community, name, persona, status):
    assert as_user(client, personas(persona)).get(url(name)).status_code == status


@pytest.mark.parametrize("persona,status", [("resident", 200), ("landlord", 200), ("committee_staff", 200),
                                            ("town_secretary", 403), ("no_role_user", 403)])
def test_propose_page(client, personas, community, persona, status):
    assert as_user(client, personas(persona)).get(url("topic_propose")).status_code == status


def test_calendar_shows_what_each_may_see(client, meeting, open_meeting, resident, landlord, outsider, no_role_user):
    page = as_user(client, resident).get(url("meeting_calendar")).content.decode()
    assert "居民议事会" in page and "楼道堆物专题碰头会" not in page
    page = as_user(client, landlord).get(url("meeting_calendar")).content.decode()
    assert "居民议事会" in page and "楼道堆物专题碰头会" in page
    page = as_user(client, outsider).get(url("meeting_calendar")).content.decode()
    assert "居民议事会" not in page and "楼道堆物专题碰头会" not in page
    assert as_user(client, no_role_user).get(url("meeting_calendar")).status_code == 403


def test_menu_has_meetings_for_members(client, resident, no_role_user):
    assert "会议" in as_user(client, resident).get(reverse("home")).content.decode()
    client.logout()
    page = as_user(client, no_role_user).get(reverse("home")).content.decode()
    assert url("meeting_calendar") not in page


# --- RSVP, check-in ------------------------------------------------------------------------------

def test_rsvp_buttons(client, meeting, landlord, resident):
    response = as_user(client, landlord).post(url("meeting_rsvp", meeting.pk), {"response": "yes"})
    assert response.status_code == 302 and texts(response) == ["已记录您的答复。"]
    assert MeetingInvite.objects.get(meeting=meeting, user=landlord).response == "yes"
    response = client.post(url("meeting_rsvp", meeting.pk), {"response": "sure"})
    assert texts(response)[-1] == "请选择参加、不参加或待定。"
    assert MeetingInvite.objects.get(meeting=meeting, user=landlord).response == "yes"
    client.logout()
    assert as_user(client, resident).post(url("meeting_rsvp", meeting.pk), {"response": "yes"}).status_code == 403


def test_check_in_button(client, past_meeting, landlord, landlord2, committee_staff):
    page = as_user(client, landlord).get(url("meeting_detail", past_meeting.pk)).content.decode()
    assert "我已到会，签到" in page
    assert client.post(url("meeting_check_in", past_meeting.pk)).status_code == 302
    assert client.post(url("meeting_check_in", past_meeting.pk), {"user": landlord2.pk}).status_code == 403
    client.logout()
    as_user(client, committee_staff).post(url("meeting_check_in", past_meeting.pk), {"user": landlord2.pk})
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {landlord.pk, landlord2.pk}


def test_invited_and_checked_in_counts_agree_with_the_minutes(client, community, past_meeting, committee_staff,
                                                              landlord, landlord2, resident):
    from communities.selectors.meetings import attendance_count
    from communities.services import meetings as svc

    invited = MeetingInvite.objects.filter(meeting=past_meeting).count()
    svc.meeting_check_in(meeting_id=past_meeting.pk, actor=committee_staff, user=landlord, now=past_meeting.starts_at)
    # someone of the community who was not invited but came: counted in both places alike
    svc.meeting_check_in(meeting_id=past_meeting.pk, actor=committee_staff, user=resident, now=past_meeting.starts_at)
    svc.minutes_file(meeting_id=past_meeting.pk, actor=committee_staff, text="逐楼通报。", now=past_meeting.ends_at)
    count = attendance_count(meeting=past_meeting)
    assert (count.invited, count.checked_in) == (invited, 2)
    page = as_user(client, committee_staff).get(url("meeting_detail", past_meeting.pk)).content.decode()
    line = f"受邀 {invited} 人 · 已签到 2 人"
    assert page.count(line) == 2  # the heading of the people and the minutes card
    assert 'minutes-attendance">' + line in page


def test_check_in_too_early_is_refused_in_chinese(client, meeting, landlord):
    response = as_user(client, landlord).post(url("meeting_check_in", meeting.pk))
    assert response.status_code == 302 and texts(response) == ["会议开始前半小时才能签到。"]
    assert not Attendance.objects.exists()


# --- organiser actions ---------------------------------------------------------------------------

def test_move_form(client, meeting, committee_staff, landlord):
    day = timezone.localtime(meeting.starts_at).date() + dt.timedelta(days=1)
    response = as_user(client, committee_staff).post(url("meeting_move", meeting.pk), {
        "day": day.isoformat(), "start_time": "19:00", "end_time": "20:30", "venue": "居委会议室", "reason": "装修"})
    assert response.status_code == 302
    m = reload(meeting)
    assert (m.status, m.venue, timezone.localtime(m.starts_at).hour) == ("moved", "居委会议室", 19)
    assert told(landlord, "会议改期") == 1


def test_move_with_end_before_start_changes_nothing(client, meeting, committee_staff, landlord):
    day = timezone.localtime(meeting.starts_at).date()
    response = as_user(client, committee_staff).post(url("meeting_move", meeting.pk), {
        "day": day.isoformat(), "start_time": "19:00", "end_time": "18:00", "venue": "居委会议室"})
    assert response.status_code == 400 and "结束时间要晚于开始时间" in response.content.decode()
    assert reload(meeting).version == 1 and told(landlord, "会议改期") == 0


def test_move_into_the_past_is_refused(client, meeting, committee_staff):
    response = as_user(client, committee_staff).post(url("meeting_move", meeting.pk), {
        "day": "2020-01-01", "start_time": "19:00", "end_time": "20:00", "venue": "居委会议室"})
    assert response.status_code == 400 and "会议时间不能早于现在" in response.content.decode()
    assert reload(meeting).status == "scheduled"


def test_landlord_cannot_move_or_cancel_by_post(client, meeting, landlord, outsider):
    data = {"day": "2030-01-01", "start_time": "19:00", "end_time": "20:00", "venue": "x", "reason": "x"}
    assert as_user(client, landlord).post(url("meeting_move", meeting.pk), data).status_code == 403
    assert client.post(url("meeting_cancel", meeting.pk), data).status_code == 403
    client.logout()
    assert as_user(client, outsider).post(url("meeting_cancel", meeting.pk), data).status_code == 404
    assert reload(meeting).status == "scheduled"


def test_cancel_needs_a_reason(client, meeting, committee_staff, landlord):
    response = as_user(client, committee_staff).post(url("meeting_cancel", meeting.pk), {"reason": ""})
    assert "这个字段是必填项。" in texts(response)[0]
    assert reload(meeting).status == "scheduled"
    client.post(url("meeting_cancel", meeting.pk), {"reason": "台风"})
    assert reload(meeting).status == "cancelled" and told(landlord, "会议取消") == 1


def test_agenda_minutes_decisions_actions_and_case(client, community, past_meeting, committee_staff, landlord):
    c = as_user(client, committee_staff)
    c.post(url("agenda_add", past_meeting.pk), {"title": "违法搭建"})
    item = AgendaItem.objects.get(meeting=past_meeting, title="违法搭建")
    c.post(url("agenda_change", item.pk, "up"))
    assert list(past_meeting.agenda.values_list("title", flat=True)) == ["违法搭建", "楼道堆物"]
    c.post(url("minutes_file", past_meeting.pk), {"text": "到会8人，议定清理楼道。"})
    c.post(url("decision_add", past_meeting.pk), {"text": "每周五清理楼道"})
    decision = Decision.objects.get()
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    c.post(url("action_add", past_meeting.pk), {"title": "3号楼楼道清理", "owner": landlord.pk, "due_on": due,
                                                "decision": decision.pk})
    action = ActionItem.objects.get()
    assert (action.owner, action.decision, Minutes.objects.get().text) == (landlord, decision, "到会8人，议定清理楼道。")
    page = c.get(url("meeting_detail", past_meeting.pk)).content.decode()
    assert "转为诉求" in page and "每周五清理楼道" in page
    category = CaseCategoryFactory(community=community, code="corridor_clutter", name="楼道堆物")
    assert c.get(url("action_to_case", action.pk)).status_code == 200
    response = c.post(url("action_to_case", action.pk), {"category": category.pk, "description": "3号楼楼道堆物"})
    action.refresh_from_db()
    assert action.case is not None and response["Location"] == url("case_detail", action.case_id)
    assert Case.objects.get().description == "3号楼楼道堆物"
    # A second click goes to the case already made.
    assert c.post(url("action_to_case", action.pk), {"category": category.pk, "description": "x"})["Location"] == \
        url("case_detail", action.case_id)
    assert Case.objects.count() == 1


def test_action_with_bad_owner_is_refused(client, past_meeting, committee_staff, outsider):
    response = as_user(client, committee_staff).post(url("action_add", past_meeting.pk), {
        "title": "清理", "owner": outsider.pk, "due_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and "选择一个有效的选项" in texts(response)[0]
    assert not ActionItem.objects.exists()


def test_invitee_cannot_add_to_agenda_or_file_minutes(client, past_meeting, landlord):
    c = as_user(client, landlord)
    assert c.post(url("agenda_add", past_meeting.pk), {"title": "我的议题"}).status_code == 403
    assert c.post(url("minutes_file", past_meeting.pk), {"text": "纪要"}).status_code == 403
    assert not Minutes.objects.exists() and not AgendaItem.objects.filter(title="我的议题").exists()


def test_owner_marks_own_action_done(client, past_meeting, committee_staff, landlord, landlord2):
    item = svc.action_item_create(meeting_id=past_meeting.pk, actor=committee_staff, title="清理", owner=landlord,
                                  due_on=timezone.localdate())
    assert as_user(client, landlord2).post(url("action_done", item.pk)).status_code == 403
    client.logout()
    assert as_user(client, landlord).post(url("action_done", item.pk)).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


# --- creating series and meetings ------------------------------------------------------------------

def test_staff_creates_a_monthly_series(client, community, committee_staff, rongzhi, police, landlord):
    response = as_user(client, committee_staff).post(url("series_new"), {
        "title": "蓉治社碰头会", "kind": MeetingKind.CHECK_IN, "repeat": "monthly_nth", "nth": "1", "nth_weekday": "1",
        "first_date": timezone.localdate().isoformat(), "start_time": "19:00", "duration_minutes": "90",
        "venue": "蓉治社接待室", "organiser": committee_staff.pk, "invited_teams": [rongzhi.pk],
        "invited_agencies": [police.pk], "standing_topics": "群租/房屋隔断\n违法搭建", "active": "on"})
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=1TU" and series.standing_topics == ["群租/房屋隔断", "违法搭建"]
    first = Meeting.objects.filter(series=series).first()
    assert timezone.localtime(first.starts_at).hour == 19 and first.invites.filter(user=landlord).exists()
    # Each of its meetings says when the series meets, in words.
    assert "每月第一个周二 19:00" in client.get(url("meeting_detail", first.pk)).content.decode()


def test_bad_rrule_is_refused_in_chinese(client, community, committee_staff):
    response = as_user(client, committee_staff).post(url("series_new"), {
        "title": "会", "kind": MeetingKind.OTHER, "rrule": "FREQ=SOMETIMES",
        "first_date": timezone.localdate().isoformat(), "start_time": "19:00", "duration_minutes": "60",
        "venue": "会议室", "organiser": committee_staff.pk})
    assert response.status_code == 400 and "重复规则无效" in response.content.decode()
    assert not MeetingSeries.objects.exists()


def test_staff_creates_a_meeting_invitees_told(client, community, committee_staff, rongzhi, landlord):
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = as_user(client, committee_staff).post(url("meeting_new"), {
        "title": "多方联席会", "kind": MeetingKind.JOINT, "day": day, "start_time": "14:00", "end_time": "16:00",
        "venue": "居委会议室", "organiser": committee_staff.pk, "invited_teams": [rongzhi.pk], "agenda": "群租整治"})
    meeting = Meeting.objects.get()
    assert response["Location"] == url("meeting_detail", meeting.pk)
    assert told(landlord, "会议通知") == 1 and list(meeting.agenda.values_list("title", flat=True)) == ["群租整治"]


def test_series_edit_by_organiser(client, series, committee_staff, landlord):
    assert as_user(client, landlord).get(url("series_edit", series.pk)).status_code == 403
    client.logout()
    assert as_user(client, committee_staff).get(url("series_edit", series.pk)).status_code == 200


# --- proposals -----------------------------------------------------------------------------------

def test_resident_proposes_and_staff_accepts_from_the_queue(client, community, meeting, resident, committee_staff):
    response = as_user(client, resident).post(url("topic_propose"), {"text": "楼道电动车充电太危险"})
    assert response.status_code == 302
    proposal = TopicProposal.objects.get()
    client.logout()
    page = as_user(client, committee_staff).get(url("proposal_queue")).content.decode()
    assert "楼道电动车充电太危险" in page
    client.post(url("proposal_accept", proposal.pk), {"meeting": meeting.pk})
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and told(resident, "已列入会议议程") == 1


def test_empty_proposal_is_refused(client, community, resident):
    response = as_user(client, resident).post(url("topic_propose"), {"text": "  "})
    assert response.status_code == 400 and not TopicProposal.objects.exists()


def test_decline_from_the_queue_needs_a_reason(client, community, resident, committee_staff):
    proposal = topics.topic_propose(actor=resident, community=community, text="建议装充电桩")
    response = as_user(client, committee_staff).post(url("proposal_decline", proposal.pk), {"reason": ""})
    assert texts(response)[-1] == "请写明不采纳的原因，提议人会看到。"
    client.post(url("proposal_decline", proposal.pk), {"reason": "已在镇里规划中"})
    proposal.refresh_from_db()
    assert proposal.status == "declined" and told(resident, "未被采纳") == 1


def test_outsider_cannot_touch_proposals(client, community, resident, outsider, meeting):
    proposal = topics.topic_propose(actor=resident, community=community, text="楼道灯坏了")
    assert as_user(client, outsider).post(url("proposal_accept", proposal.pk),
                                          {"meeting": meeting.pk}).status_code == 404
    assert client.post(url("proposal_decline", proposal.pk), {"reason": "不"}).status_code == 404
    assert TopicProposal.objects.get().status == "proposed"


def test_landlord_cannot_accept_into_a_meeting_they_do_not_run(client, community, resident, landlord, meeting):
    proposal = topics.topic_propose(actor=resident, community=community, text="楼道灯坏了")
    assert as_user(client, landlord).post(url("proposal_accept", proposal.pk),
                                          {"meeting": meeting.pk}).status_code == 403
    assert TopicProposal.objects.get().status == "proposed"


# --- query counts --------------------------------------------------------------------------------

def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx)


def test_calendar_queries_do_not_grow(client, community, committee_staff, landlord, rongzhi):
    start = timezone.now() + 48 * H
    svc.meeting_create(actor=committee_staff, community=community, title="会0", kind=MeetingKind.CHECK_IN,
                       venue="室", starts_at=start, ends_at=start + H, organiser=committee_staff,
                       invited_teams=[rongzhi])
    Meeting.objects.create(community=community, kind=MeetingKind.OTHER, title="往0", venue="室",
                           starts_at=start - 96 * H, ends_at=start - 95 * H, organiser=committee_staff)
    c = as_user(client, landlord)
    one = _queries(c, url("meeting_calendar"))
    for i in range(1, 25):
        svc.meeting_create(actor=committee_staff, community=community, title=f"会{i}", kind=MeetingKind.CHECK_IN,
                           venue="室", starts_at=start + i * H, ends_at=start + i * H + H,
                           organiser=make_member(community, Role.COMMITTEE_STAFF, username=f"org{i}"),
                           invited_teams=[rongzhi])
        Meeting.objects.create(community=community, kind=MeetingKind.OTHER, title=f"往{i}", venue="室",
                               starts_at=start - 96 * H - i * H, ends_at=start - 95 * H - i * H,
                               organiser=committee_staff)
    many = _queries(c, url("meeting_calendar"))
    assert "会24" in c.get(url("meeting_calendar")).content.decode()
    assert many == one


def test_meeting_page_queries_do_not_grow(client, community, past_meeting, committee_staff, landlord, rongzhi,
                                          resident):
    c = as_user(client, committee_staff)
    one = _queries(c, url("meeting_detail", past_meeting.pk))
    for i in range(15):
        member = make_member(community, Role.SUBLANDLORD, username=f"l{i}")
        team_join(rongzhi, member)
        MeetingInvite.objects.create(meeting=past_meeting, user=member, response="yes")
        svc.meeting_check_in(meeting_id=past_meeting.pk, actor=member)
        svc.agenda_item_add(meeting_id=past_meeting.pk, actor=committee_staff, title=f"议题{i}")
        d = svc.decision_record(meeting_id=past_meeting.pk, actor=committee_staff, text=f"决定{i}")
        svc.action_item_create(meeting_id=past_meeting.pk, actor=committee_staff, title=f"待办{i}", owner=member,
                               due_on=timezone.localdate(), decision=d)
        p = topics.topic_propose(actor=resident, community=community, text=f"提议{i}")
        TopicProposal.objects.filter(pk=p.pk).update(meeting=past_meeting)
    svc.minutes_file(meeting_id=past_meeting.pk, actor=committee_staff, text="纪要")
    many = _queries(c, url("meeting_detail", past_meeting.pk))
    assert many == one


def test_proposal_queue_queries_do_not_grow(client, community, committee_staff, resident, meeting):
    topics.topic_propose(actor=resident, community=community, text="提议")
    c = as_user(client, committee_staff)
    one = _queries(c, url("proposal_queue"))
    for i in range(15):
        topics.topic_propose(actor=make_member(community, Role.RESIDENT, username=f"r{i}"), community=community,
                             text=f"提议{i}")
    assert _queries(c, url("proposal_queue")) == one


def test_series_edit_post_changes_the_rule(client, series, committee_staff, rongzhi):
    response = as_user(client, committee_staff).post(url("series_edit", series.pk), {
        "title": "蓉治社碰头会", "rrule": "FREQ=MONTHLY;BYDAY=2WE",
        "first_date": "2025-01-01", "start_time": "19:30", "duration_minutes": "60", "venue": "蓉治社接待室",
        "organiser": committee_staff.pk, "invited_teams": [rongzhi.pk], "standing_topics": "违法搭建", "active": "on"})
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.rrule, series.standing_topics) == ("FREQ=MONTHLY;BYDAY=2WE", ["违法搭建"])
    upcoming = Meeting.objects.filter(series=series, status="scheduled")
    starts = [timezone.localtime(m.starts_at) for m in upcoming]
    assert starts and all((s.weekday(), s.hour, s.minute) == (2, 19, 30) for s in starts)


def test_agenda_remove_by_organiser_only(client, meeting, committee_staff, landlord):
    item = AgendaItem.objects.get(meeting=meeting)
    assert as_user(client, landlord).post(url("agenda_change", item.pk, "remove")).status_code == 403
    client.logout()
    as_user(client, committee_staff).post(url("agenda_change", item.pk, "remove"))
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


# --- the series form in plain words, invitees by name (issue 12 items 9, 13) -----------------------------------

from . import form_posts  # noqa: E402


def _series_post(committee_staff, **overrides):
    data = {"community": "rongting", "title": "周例会", "kind": MeetingKind.OTHER, "repeat": "weekly",
            "weekdays": ["1", "3"], "first_date": "2026-01-05", "start_time": "19:00", "duration_minutes": "60",
            "venue": "居委会议室", "organiser": committee_staff.pk, "active": "on"}
    data.update(overrides)
    return data


def test_a_series_is_picked_in_plain_words_with_invitees_by_name(client, community, committee_staff, landlord):
    page = as_user(client, committee_staff).get(url("series_new")).content.decode()
    assert 'class="btn-check"' in page and "<summary>高级</summary>" in page
    assert landlord.display_name() in page and "二房东" in page
    response = client.post(url("series_new"), _series_post(committee_staff, invited_users=[landlord.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = MeetingSeries.objects.get(title="周例会")
    assert saved.rrule == "FREQ=WEEKLY;BYDAY=TU,TH" and list(saved.invited_users.all()) == [landlord]
    assert saved.describe() == "每周二、周四 19:00"


def test_an_invitee_from_another_community_is_refused_naming_nobody(client, community, committee_staff, outsider):
    response = as_user(client, committee_staff).post(url("series_new"), _series_post(
        committee_staff, invited_users=[outsider.pk]))
    page = response.content.decode()
    assert response.status_code == 400 and "不在本社区的名单里" in page
    assert outsider.display_name() not in page and not MeetingSeries.objects.exists()


def test_series_edit_shows_the_rule_in_plain_words_and_saving_keeps_it(client, series, committee_staff):
    page = as_user(client, committee_staff).get(url("series_edit", series.pk)).content.decode()
    assert "每月第一个周二 19:00" in page
    posted = form_posts.form_data(page, "series-form")
    assert (posted["repeat"], posted["nth"], posted["nth_weekday"], posted["rrule"]) == ("monthly_nth", "1", "1", "")
    assert client.post(url("series_edit", series.pk), posted).status_code == 302
    series.refresh_from_db()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=1TU"


def test_series_edit_keeps_a_rule_words_cannot_say(client, series, committee_staff):
    MeetingSeries.objects.filter(pk=series.pk).update(rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH")
    page = as_user(client, committee_staff).get(url("series_edit", series.pk)).content.decode()
    assert '<details class="mb-3" open' in page
    posted = form_posts.form_data(page, "series-form")
    posted["venue"] = "新会议室"
    assert client.post(url("series_edit", series.pk), posted).status_code == 302
    series.refresh_from_db()
    assert (series.rrule, series.venue) == ("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH", "新会议室")


def test_an_action_items_flat_is_chosen_on_the_page_and_kept_by_its_case(client, community, past_meeting,
                                                                           committee_staff, landlord, unit,
                                                                           other_community):
    c = as_user(client, committee_staff)
    page = c.get(url("meeting_detail", past_meeting.pk)).content.decode()
    assert "涉及哪套房屋" in page and f"{unit.building.name} {unit.room}" in page
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    elsewhere = UnitFactory(building__community=other_community)
    refused = c.post(url("action_add", past_meeting.pk), {"title": "隔断整改", "owner": landlord.pk, "due_on": due,
                                                          "unit": elsewhere.pk})
    assert "选择一个有效的选项" in texts(refused)[0] and not ActionItem.objects.exists()
    c.post(url("action_add", past_meeting.pk), {"title": "隔断整改", "owner": landlord.pk, "due_on": due,
                                                "unit": unit.pk})
    action = ActionItem.objects.get()
    assert action.unit == unit
    category = CaseCategoryFactory(community=community, code="partition", name="房屋隔断")
    c.post(url("action_to_case", action.pk), {"category": category.pk, "description": "隔断"})
    case = Case.objects.get()
    assert (case.unit, case.channel) == (unit, Case.Channel.MEETING)
