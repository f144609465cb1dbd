"""The meeting services: series generation, move and cancel, RSVP and check-in, agenda, minutes,
decisions, action items (and one into a case), topic proposals. Time moves by ``now=``."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import policy
from communities.models import (
    ActionItem, AgendaItem, Attendance, Case, CaseEvent, Meeting, MeetingEvent, MeetingInvite, MeetingKind,
    MeetingSeries, Minutes, TopicProposal,
)
from communities.recurrence import rule_starts
from communities.services import meeting_topics as topics
from communities.services import meeting_series as ser
from communities.services import meetings as svc
from communities.services.errors import DomainError

from ..factories import CaseCategoryFactory, make_member
from .meeting_world import (  # noqa: F401 - fixtures
    H, MONTHLY_FIRST_TUESDAY, landlord2, local, meeting, open_meeting, police, reload, rongzhi,
    series, told,
)

S = Meeting.Status


# --- recurrence and generation ------------------------------------------------------------------------

def test_rule_gives_first_tuesdays_at_seven_in_shanghai():
    starts = rule_starts(rrule=MONTHLY_FIRST_TUESDAY, first_starts_at=local(2026, 1, 6, 19, 0),
                         after=local(2026, 11, 1, 0, 0), before=local(2027, 1, 31, 0, 0))
    assert starts == [local(2026, 11, 3, 19, 0), local(2026, 12, 1, 19, 0), local(2027, 1, 5, 19, 0)]
    assert all(s.utcoffset() == dt.timedelta(hours=8) for s in starts)


@pytest.mark.parametrize("rule", ["", "FREQ=HOURLY", "FREQ=MINUTELY;INTERVAL=5", "BYDAY=1TU", "FREQ=MONTHLY;BYDAY=XX",
                                  "DTSTART:20260101T190000\nRRULE:FREQ=DAILY"])
def test_bad_rule_is_refused_in_chinese(rule):
    with pytest.raises(DomainError) as err:
        ser.rrule_clean(rule)
    assert "重复规则无效" in err.value.message


def test_rule_is_normalised():
    assert ser.rrule_clean(" rrule:freq=monthly;byday=1tu ") == "FREQ=MONTHLY;BYDAY=1TU"


def test_series_generation_is_idempotent_and_bulk(community, rongzhi, landlord, landlord2, committee_staff, police):
    # The clock is fixed: 62 days from 2 November 2026 hold exactly two first Tuesdays (3 Nov, 1 Dec).
    now = local(2026, 11, 2, 10, 0)
    series = ser.series_create(
        actor=committee_staff, community=community, title="蓉治社碰头会", kind=MeetingKind.CHECK_IN,
        rrule=MONTHLY_FIRST_TUESDAY, first_starts_at=local(2025, 1, 7, 19, 0), duration_minutes=90,
        venue="蓉治社接待室", organiser=committee_staff, standing_topics=["群租/房屋隔断", "违法搭建"],
        invited_teams=[rongzhi], invited_agencies=[police], now=now)
    meetings = list(Meeting.objects.filter(series=series).order_by("starts_at"))
    # About two months ahead: the first Tuesdays, each at 19:00 for 90 minutes.
    assert [m.starts_at for m in meetings] == [local(2026, 11, 3, 19, 0), local(2026, 12, 1, 19, 0)]
    for m in meetings:
        local_start = timezone.localtime(m.starts_at)
        assert (local_start.weekday(), local_start.hour, local_start.day <= 7) == (1, 19, True)
        assert m.ends_at - m.starts_at == dt.timedelta(minutes=90)
        assert m.occurrence_key == m.starts_at and m.venue == "蓉治社接待室"
        assert set(m.invites.values_list("user_id", flat=True)) == {landlord.pk, landlord2.pk, committee_staff.pk}
        assert list(m.agenda.values_list("title", flat=True)) == ["群租/房屋隔断", "违法搭建"]
        assert list(m.invited_agencies.all()) == [police] and list(m.invited_teams.all()) == [rongzhi]
    before = (Meeting.objects.count(), MeetingInvite.objects.count(), AgendaItem.objects.count())
    assert ser.series_generate_meetings(series_id=series.pk, now=now) == 0
    assert ser.series_generate_meetings(series_id=series.pk, now=now + H) == 0
    assert (Meeting.objects.count(), MeetingInvite.objects.count(), AgendaItem.objects.count()) == before


def test_generation_queries_do_not_grow_with_occurrences(community, committee_staff, rongzhi):
    def run(rule):
        s = ser.series_create(actor=committee_staff, community=community, title=f"测试{rule}", kind=MeetingKind.OTHER,
                              rrule=rule, first_starts_at=timezone.now() + H, duration_minutes=60, venue="会议室",
                              organiser=committee_staff, invited_teams=[rongzhi], standing_topics=["议题"])
        Meeting.objects.filter(series=s).delete()
        with CaptureQueriesContext(connection) as ctx:
            created = ser.series_generate_meetings(series_id=s.pk)
        return created, len(ctx)

    few, few_queries = run("FREQ=MONTHLY")
    many, many_queries = run("FREQ=DAILY")
    assert few <= 3 and many >= 60
    assert many_queries == few_queries


def test_generation_moves_the_horizon_and_keeps_a_moved_occurrence(series, committee_staff):
    first = Meeting.objects.filter(series=series).order_by("starts_at").first()
    svc.meeting_move(meeting_id=first.pk, actor=committee_staff, starts_at=first.starts_at + 24 * H,
                     ends_at=first.ends_at + 24 * H)
    later = timezone.now() + dt.timedelta(days=40)
    ser.series_generate_meetings(series_id=series.pk, now=later)
    keys = list(Meeting.objects.filter(series=series).values_list("occurrence_key", flat=True))
    assert len(keys) == len(set(keys))  # the moved occurrence was not created again at its rule time
    assert max(keys) > timezone.now() + dt.timedelta(days=62)


def test_series_update_cancels_occurrences_the_new_rule_drops(series, committee_staff, landlord):
    before = list(Meeting.objects.filter(series=series, status=S.SCHEDULED))
    ser.series_update(actor=committee_staff, series_id=series.pk, title="蓉治社碰头会", rrule="FREQ=MONTHLY;BYDAY=3TH",
                      first_starts_at=local(2025, 1, 16, 19, 0), duration_minutes=60, venue="居委会议室",
                      organiser=committee_staff, standing_topics=["噪音扰民"],
                      invited_teams=list(series.invited_teams.all()))
    assert {reload(m).status for m in before} == {S.CANCELLED}
    assert told(landlord, "会议取消") == len(before)
    fresh = Meeting.objects.filter(series=series, status=S.SCHEDULED)
    assert fresh.exists()
    assert all(timezone.localtime(m.starts_at).weekday() == 3 and m.venue == "居委会议室" for m in fresh)


def test_only_leaders_create_series(community, resident):
    with pytest.raises(PermissionDenied):
        ser.series_create(actor=resident, community=community, title="我的会", kind=MeetingKind.OTHER,
                          rrule="FREQ=WEEKLY", first_starts_at=timezone.now(), duration_minutes=60, venue="家里",
                          organiser=resident)
    assert not MeetingSeries.objects.exists()


def test_invitee_from_another_community_is_refused(community, committee_staff, outsider):
    start = timezone.now() + 48 * H
    with pytest.raises(DomainError) as err:
        svc.meeting_create(actor=committee_staff, community=community, title="碰头会", kind=MeetingKind.CHECK_IN,
                           venue="接待室", starts_at=start, ends_at=start + H, organiser=committee_staff,
                           invited_users=[outsider])
    assert "不是本社区的人员" in err.value.message
    assert not Meeting.objects.exists()


def test_meeting_in_the_past_is_refused(community, committee_staff):
    start = timezone.now() - H
    with pytest.raises(DomainError, match="不能早于现在"):
        svc.meeting_create(actor=committee_staff, community=community, title="碰头会", kind=MeetingKind.CHECK_IN,
                           venue="接待室", starts_at=start, ends_at=start + H, organiser=committee_staff)


# --- move and cancel ---------------------------------------------------------------------------------

def test_create_tells_the_invitees(meeting, landlord, landlord2, committee_staff):
    assert told(landlord, "会议通知") == told(landlord2, "会议通知") == 1
    assert told(committee_staff) == 0  # the actor is not told about their own change


def test_move_tells_invitees_bumps_version_and_resets_reminders(meeting, committee_staff, landlord):
    Meeting.objects.filter(pk=meeting.pk).update(reminded_24h_at=timezone.now())
    new_start = meeting.starts_at + 24 * H
    out = svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=new_start,
                           ends_at=new_start + 2 * H, venue="居委会议室", reason="接待室装修")
    m = reload(meeting)
    assert out.changed and m.status == S.MOVED and m.version == 2 and m.reminded_24h_at is None
    assert (m.starts_at, m.venue) == (new_start, "居委会议室")
    assert told(landlord, "会议改期") == 1
    assert MeetingEvent.objects.filter(meeting=m, action="move").count() == 1
    # The same move again changes nothing and tells nobody.
    again = svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=new_start,
                             ends_at=new_start + 2 * H, venue="居委会议室")
    assert not again.changed and told(landlord, "会议改期") == 1 and reload(meeting).version == 2


def test_move_into_the_past_changes_nothing(meeting, committee_staff, landlord):
    past = timezone.now() - H
    with pytest.raises(DomainError, match="不能早于现在"):
        svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=past, ends_at=past + H)
    m = reload(meeting)
    assert (m.status, m.version, m.starts_at) == (S.SCHEDULED, 1, meeting.starts_at)
    assert told(landlord, "会议改期") == 0


def test_invitee_cannot_move_or_cancel(meeting, landlord):
    with pytest.raises(PermissionDenied):
        svc.meeting_move(meeting_id=meeting.pk, actor=landlord, starts_at=meeting.starts_at + H,
                         ends_at=meeting.ends_at + H)
    with pytest.raises(PermissionDenied):
        svc.meeting_cancel(meeting_id=meeting.pk, actor=landlord, reason="我有事")
    assert reload(meeting).status == S.SCHEDULED


def test_cancel_needs_a_reason_tells_invitees_once(meeting, committee_staff, landlord):
    with pytest.raises(DomainError, match="取消的原因"):
        svc.meeting_cancel(meeting_id=meeting.pk, actor=committee_staff, reason="  ")
    assert reload(meeting).status == S.SCHEDULED
    assert svc.meeting_cancel(meeting_id=meeting.pk, actor=committee_staff, reason="台风").changed
    assert not svc.meeting_cancel(meeting_id=meeting.pk, actor=committee_staff, reason="台风").changed
    m = reload(meeting)
    assert (m.status, m.version, m.cancel_reason) == (S.CANCELLED, 2, "台风")
    assert told(landlord, "会议取消") == 1
    with pytest.raises(DomainError, match="已取消"):
        svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=m.starts_at + H,
                         ends_at=m.ends_at + H)


@pytest.mark.parametrize("status,allowed", [(S.SCHEDULED, True), (S.MOVED, True), (S.HELD, False),
                                            (S.CANCELLED, False)])
def test_move_from_each_state(meeting, committee_staff, status, allowed):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    call = lambda: svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff,  # noqa: E731
                                    starts_at=meeting.starts_at + H, ends_at=meeting.ends_at + H)
    if allowed:
        assert call().changed
    else:
        with pytest.raises(DomainError):
            call()
        assert reload(meeting).starts_at == meeting.starts_at


# --- RSVP and attendance -----------------------------------------------------------------------------

def test_rsvp_yes_then_same_again_then_no(meeting, landlord):
    assert svc.meeting_rsvp(meeting_id=meeting.pk, user=landlord, response="yes").changed
    assert not svc.meeting_rsvp(meeting_id=meeting.pk, user=landlord, response="yes").changed
    assert svc.meeting_rsvp(meeting_id=meeting.pk, user=landlord, response="no").changed
    assert MeetingInvite.objects.get(meeting=meeting, user=landlord).response == "no"


def test_rsvp_bad_answer_and_closed_meeting(meeting, landlord, committee_staff):
    with pytest.raises(DomainError, match="请选择参加"):
        svc.meeting_rsvp(meeting_id=meeting.pk, user=landlord, response="perhaps")
    svc.meeting_cancel(meeting_id=meeting.pk, actor=committee_staff, reason="台风")
    with pytest.raises(DomainError, match="不能再答复"):
        svc.meeting_rsvp(meeting_id=meeting.pk, user=landlord, response="yes")
    assert MeetingInvite.objects.get(meeting=meeting, user=landlord).response == ""


def test_resident_cannot_rsvp_to_a_landlords_meeting_but_can_to_a_deliberation(meeting, open_meeting, resident):
    with pytest.raises(PermissionDenied):
        svc.meeting_rsvp(meeting_id=meeting.pk, user=resident, response="yes")
    assert svc.meeting_rsvp(meeting_id=open_meeting.pk, user=resident, response="yes").changed
    assert MeetingInvite.objects.filter(meeting=open_meeting, user=resident, response="yes").exists()


def test_check_in_window_and_once(meeting, landlord, landlord2):
    with pytest.raises(DomainError, match="半小时"):
        svc.meeting_check_in(meeting_id=meeting.pk, actor=landlord, now=meeting.starts_at - H)
    assert svc.meeting_check_in(meeting_id=meeting.pk, actor=landlord, now=meeting.starts_at - 0.25 * H).changed
    assert not svc.meeting_check_in(meeting_id=meeting.pk, actor=landlord, now=meeting.starts_at).changed
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    with pytest.raises(DomainError, match="已经结束"):
        svc.meeting_check_in(meeting_id=meeting.pk, actor=landlord2, now=meeting.ends_at + 3 * H)
    with pytest.raises(PermissionDenied):  # a landlord not invited to this landlords' meeting
        svc.meeting_check_in(meeting_id=meeting.pk, actor=make_member(meeting.community, "sublandlord",
                                                                      username="uninvited"), now=meeting.starts_at)


def test_organiser_checks_in_others_but_invitees_cannot(meeting, committee_staff, landlord, landlord2, outsider):
    assert svc.meeting_check_in(meeting_id=meeting.pk, actor=committee_staff, user=landlord,
                                now=meeting.starts_at).changed
    with pytest.raises(PermissionDenied):
        svc.meeting_check_in(meeting_id=meeting.pk, actor=landlord, user=landlord2, now=meeting.starts_at)
    with pytest.raises(DomainError, match="本社区"):
        svc.meeting_check_in(meeting_id=meeting.pk, actor=committee_staff, user=outsider, now=meeting.starts_at)
    assert list(Attendance.objects.values_list("user_id", "checked_in_by_id")) == [(landlord.pk, committee_staff.pk)]


# --- agenda, minutes, decisions, actions -------------------------------------------------------------

def test_agenda_add_move_remove(meeting, committee_staff, landlord):
    item = svc.agenda_item_add(meeting_id=meeting.pk, actor=committee_staff, title="违法搭建")
    assert list(meeting.agenda.values_list("title", flat=True)) == ["楼道堆物", "违法搭建"]
    svc.agenda_item_move(item_id=item.pk, actor=committee_staff, up=True)
    assert list(meeting.agenda.values_list("title", flat=True)) == ["违法搭建", "楼道堆物"]
    assert not svc.agenda_item_move(item_id=item.pk, actor=committee_staff, up=True).changed
    with pytest.raises(PermissionDenied):
        svc.agenda_item_add(meeting_id=meeting.pk, actor=landlord, title="我的议题")
    with pytest.raises(DomainError, match="请填写议题"):
        svc.agenda_item_add(meeting_id=meeting.pk, actor=committee_staff, title=" ")
    svc.agenda_item_remove(item_id=item.pk, actor=committee_staff)
    assert list(meeting.agenda.values_list("title", flat=True)) == ["楼道堆物"]


def test_minutes_only_after_start_then_held(meeting, committee_staff):
    with pytest.raises(DomainError, match="会议开始后"):
        svc.minutes_file(meeting_id=meeting.pk, actor=committee_staff, text="纪要")
    assert not Minutes.objects.exists()
    after = meeting.ends_at + H
    assert svc.minutes_file(meeting_id=meeting.pk, actor=committee_staff, text="到会8人。", now=after).changed
    assert not svc.minutes_file(meeting_id=meeting.pk, actor=committee_staff, text="到会8人。", now=after).changed
    assert svc.minutes_file(meeting_id=meeting.pk, actor=committee_staff, text="到会9人。", now=after).changed
    assert reload(meeting).status == S.HELD and Minutes.objects.get().text == "到会9人。"


def test_decision_and_action_item_complete(meeting, committee_staff, landlord, landlord2):
    after = meeting.starts_at + H
    decision = svc.decision_record(meeting_id=meeting.pk, actor=committee_staff, text="每周五清理楼道", now=after)
    item = svc.action_item_create(meeting_id=meeting.pk, actor=committee_staff, title="3号楼楼道清理",
                                  owner=landlord, due_on=timezone.localdate(after) + dt.timedelta(days=7),
                                  decision=decision, now=after)
    assert told(landlord, "会议待办交给您") == 1
    with pytest.raises(PermissionDenied):
        svc.action_item_complete(item_id=item.pk, actor=landlord2)
    assert svc.action_item_complete(item_id=item.pk, actor=landlord).changed
    assert not svc.action_item_complete(item_id=item.pk, actor=landlord).changed
    assert ActionItem.objects.get().status == ActionItem.Status.DONE


def test_action_item_with_past_due_date_is_refused(meeting, committee_staff, landlord):
    after = meeting.starts_at + H
    with pytest.raises(DomainError, match="完成期限"):
        svc.action_item_create(meeting_id=meeting.pk, actor=committee_staff, title="清理", owner=landlord,
                               due_on=timezone.localdate(after) - dt.timedelta(days=1), now=after)
    assert not ActionItem.objects.exists()


def test_action_item_becomes_a_case_once(meeting, community, committee_staff, landlord):
    category = CaseCategoryFactory(community=community, code="corridor_clutter", name="楼道堆物")
    after = meeting.starts_at + H
    item = svc.action_item_create(meeting_id=meeting.pk, actor=committee_staff, title="3号楼楼道堆物清理",
                                  owner=landlord, due_on=timezone.localdate(after) + dt.timedelta(days=3), now=after)
    out = svc.action_item_to_case(item_id=item.pk, actor=committee_staff, category=category)
    item.refresh_from_db()
    case = item.case
    assert out.changed and case is not None and case.community == community
    assert "3号楼楼道堆物清理" in case.description and "楼道堆物专题碰头会" in case.description
    assert CaseEvent.objects.filter(case=case, action="file").count() == 1  # through the filing service
    assert not svc.action_item_to_case(item_id=item.pk, actor=committee_staff, category=category).changed
    assert Case.objects.count() == 1


def test_action_item_turned_into_a_case_keeps_the_flat_is_routed_and_says_meeting(meeting, community, committee_staff,
                                                                                 landlord, let_unit):
    from communities.models import RoutingRule

    category = CaseCategoryFactory(community=community, code="leak")
    RoutingRule.objects.create(community=community, category=category, only_let_units=True,
                               target=RoutingRule.Target.UNIT_SUBLANDLORD, priority=1)
    after = meeting.starts_at + H
    item = svc.action_item_create(meeting_id=meeting.pk, actor=committee_staff, title="302室漏水", owner=landlord,
                                  due_on=timezone.localdate(after), unit=let_unit, now=after)
    svc.action_item_to_case(item_id=item.pk, actor=committee_staff, category=category)
    case = Case.objects.get()
    assert case.unit == let_unit and case.building == let_unit.building
    assert case.channel == Case.Channel.MEETING and case.get_channel_display() == "会议"
    assert case.handler_user == landlord and case.status == "dispatched"  # the category's rule, as for any case
    assert case.reporter == committee_staff  # their own case from the meeting, not one filed for someone else


def test_action_item_flat_must_be_of_the_meetings_community(meeting, committee_staff, landlord, other_community):
    from ..factories import BuildingFactory, UnitFactory

    elsewhere = UnitFactory(building=BuildingFactory(community=other_community))
    after = meeting.starts_at + H
    with pytest.raises(DomainError, match="不在本社区"):
        svc.action_item_create(meeting_id=meeting.pk, actor=committee_staff, title="漏水", owner=landlord,
                               due_on=timezone.localdate(after), unit=elsewhere, now=after)


def test_action_item_to_case_refused_for_invitee_and_other_category(meeting, community, committee_staff, landlord,
                                                                    other_community):
    after = meeting.starts_at + H
    item = svc.action_item_create(meeting_id=meeting.pk, actor=committee_staff, title="清理", owner=landlord,
                                  due_on=timezone.localdate(after), now=after)
    with pytest.raises(PermissionDenied):
        svc.action_item_to_case(item_id=item.pk, actor=landlord,
                                category=CaseCategoryFactory(community=community, code="noise"))
    with pytest.raises(DomainError, match="本社区的问题类别"):
        svc.action_item_to_case(item_id=item.pk, actor=committee_staff,
                                category=CaseCategoryFactory(community=other_community, code="noise"))
    item.refresh_from_db()
    assert item.case is None and not Case.objects.exists()


# --- topic proposals ---------------------------------------------------------------------------------

def test_resident_proposes_staff_accepts_into_agenda_proposer_told(meeting, community, resident, committee_staff):
    proposal = topics.topic_propose(actor=resident, community=community, text="电动车楼道充电太危险")
    assert told(committee_staff, "新的议题提议") == 1
    out = topics.proposal_accept(proposal_id=proposal.pk, actor=committee_staff, meeting_id=meeting.pk)
    proposal.refresh_from_db()
    assert out.changed and proposal.status == TopicProposal.Status.ACCEPTED and proposal.meeting == meeting
    assert AgendaItem.objects.get(proposal=proposal).title == "电动车楼道充电太危险"
    assert told(resident, "已列入会议议程") == 1
    # The proposer is invited: they may open the landlords' meeting that takes up their topic.
    assert MeetingInvite.objects.filter(meeting=meeting, user=resident).exists()
    assert policy.can(resident, "meeting.view", meeting)
    assert not topics.proposal_accept(proposal_id=proposal.pk, actor=committee_staff, meeting_id=meeting.pk).changed
    assert AgendaItem.objects.filter(proposal=proposal).count() == 1
    with pytest.raises(DomainError, match="列入议程"):
        topics.proposal_decline(proposal_id=proposal.pk, actor=committee_staff, reason="不")


def test_decline_needs_a_reason_and_tells_the_proposer(community, resident, committee_staff, landlord):
    proposal = topics.topic_propose(actor=resident, community=community, text="建议小区装充电桩")
    with pytest.raises(DomainError, match="不采纳的原因"):
        topics.proposal_decline(proposal_id=proposal.pk, actor=committee_staff, reason="")
    with pytest.raises(PermissionDenied):
        topics.proposal_decline(proposal_id=proposal.pk, actor=landlord, reason="不行")
    assert topics.proposal_decline(proposal_id=proposal.pk, actor=committee_staff, reason="已列入镇里规划").changed
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (TopicProposal.Status.DECLINED, "已列入镇里规划")
    assert told(resident, "未被采纳") == 1
    with pytest.raises(DomainError, match="已经处理过"):
        topics.proposal_accept(proposal_id=proposal.pk, actor=committee_staff,
                               meeting_id=Meeting.objects.create(
                                   community=community, kind="other", title="会", venue="室",
                                   starts_at=timezone.now() + H, ends_at=timezone.now() + 2 * H,
                                   organiser=committee_staff).pk)


def test_proposal_for_a_meeting_the_resident_cannot_see_is_refused(meeting, community, resident):
    with pytest.raises(DomainError, match="即将召开"):
        topics.topic_propose(actor=resident, community=community, text="议题", meeting=meeting)
    assert not TopicProposal.objects.exists()


def test_organiser_who_is_not_staff_reviews_proposals_for_own_meeting(community, committee_staff, landlord,
                                                                      open_meeting, resident, tenant):
    svc.meeting_update(actor=committee_staff, meeting_id=open_meeting.pk, title=open_meeting.title, organiser=landlord)
    proposal = topics.topic_propose(actor=tenant, community=community, text="隔壁噪音", meeting=reload(open_meeting))
    assert told(landlord, "新的议题提议") == 1
    assert topics.proposal_accept(proposal_id=proposal.pk, actor=landlord, meeting_id=open_meeting.pk).changed
    other = topics.topic_propose(actor=resident, community=community, text="别的议题")
    with pytest.raises(PermissionDenied):
        topics.proposal_decline(proposal_id=other.pk, actor=landlord, reason="不")


def test_outsider_cannot_propose_or_accept(community, outsider, resident, meeting):
    with pytest.raises(PermissionDenied):
        topics.topic_propose(actor=outsider, community=community, text="我也想说")
    proposal = topics.topic_propose(actor=resident, community=community, text="楼道灯坏了")
    with pytest.raises(PermissionDenied):
        topics.proposal_accept(proposal_id=proposal.pk, actor=outsider, meeting_id=meeting.pk)
    assert TopicProposal.objects.get().status == TopicProposal.Status.PROPOSED


def test_long_titles_fit_the_notification(community, committee_staff, landlord):
    start = timezone.now() + 48 * H
    meeting = svc.meeting_create(actor=committee_staff, community=community, title="长" * 200,
                                 kind=MeetingKind.CHECK_IN, venue="接待室", starts_at=start, ends_at=start + H,
                                 organiser=committee_staff, invited_users=[landlord])
    svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=start + H, ends_at=start + 2 * H)
    assert told(landlord, "会议改期") == 1


def test_edit_without_change_says_so(meeting, committee_staff, landlord):
    assert not svc.meeting_update(actor=committee_staff, meeting_id=meeting.pk, title=meeting.title,
                                  organiser=committee_staff).changed
    assert svc.meeting_update(actor=committee_staff, meeting_id=meeting.pk, title="新主题", organiser=committee_staff,
                              invited_users=[landlord]).changed
    assert not MeetingEvent.objects.filter(meeting=meeting, action="edit", data__title=meeting.title).exists()
    assert told(landlord, "会议通知") == 1  # already invited through the team: not told twice


def test_series_new_venue_moves_future_meetings_with_notice(series, committee_staff, landlord):
    future = list(Meeting.objects.filter(series=series, status=S.SCHEDULED))
    ser.series_update(actor=committee_staff, series_id=series.pk, title="蓉治社碰头会（新）", rrule=series.rrule,
                      first_starts_at=series.first_starts_at, duration_minutes=90, venue="居委会议室",
                      organiser=committee_staff, standing_topics=series.standing_topics,
                      invited_teams=list(series.invited_teams.all()))
    for m in map(reload, future):
        assert (m.venue, m.title, m.version, m.starts_at) == ("居委会议室", "蓉治社碰头会（新）", 2, m.occurrence_key)
    assert told(landlord, "会议改期") == len(future)
    assert told(landlord, "会议取消") == 0


def test_unknown_kind_is_refused(community, committee_staff):
    start = timezone.now() + 48 * H
    with pytest.raises(DomainError, match="会议类型"):
        svc.meeting_create(actor=committee_staff, community=community, title="会", kind="party", venue="室",
                           starts_at=start, ends_at=start + H, organiser=committee_staff)
