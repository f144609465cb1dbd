"""The meeting clock: reminders 24 h and 1 h before, each exactly once, never for an old time after a
move (even when the reminder was already queued or claimed), none for a cancelled meeting; the
minutes reminder once, and not when minutes exist. Time moves by ``now=``; Celery runs eagerly."""

import pytest

from communities import tasks
from communities.models import Meeting, MeetingEvent, MeetingInvite, Notification
from communities.selectors.clock import meetings_due_for_minutes_reminder, meetings_due_for_reminder
from communities.services import meeting_clock as clock
from communities.services import meetings as svc

from .meeting_world import (  # noqa: F401 - fixtures
    H, landlord2, meeting, police, reload, rongzhi, series, told,
)

DAY_BEFORE, HOUR_BEFORE, MINUTES_PLEASE = "明天开会", "一小时后开会", "请提交会议纪要"




def due(meeting, now):
    return [(kind, version) for pk, kind, version in meetings_due_for_reminder(now=now) if pk == meeting.pk]


def test_24h_reminder_once_to_invitees_naming_the_agenda(meeting, landlord, landlord2, committee_staff):
    now = meeting.starts_at - 23 * H
    assert due(meeting, meeting.starts_at - 25 * H) == []
    assert due(meeting, now) == [("24h", 1)]
    assert clock.meeting_remind(meeting_id=meeting.pk, kind="24h", version=1, now=now)
    assert not clock.meeting_remind(meeting_id=meeting.pk, kind="24h", version=1, now=now)
    assert not clock.meeting_remind(meeting_id=meeting.pk, kind="24h", now=now + H)
    for user in (landlord, landlord2, committee_staff):  # the organiser too
        assert told(user, DAY_BEFORE) == 1
    note = Notification.objects.filter(recipient=landlord, title__contains=DAY_BEFORE).get()
    assert "楼道堆物" in note.body and "蓉治社接待室" in note.body
    assert note.url == f"/meetings/{meeting.pk}/"
    assert due(meeting, now) == []


def test_1h_reminder_once_and_no_24h_after_it(meeting, landlord):
    now = meeting.starts_at - 0.5 * H
    assert due(meeting, now) == [("1h", 1)]  # too close for the day-before one
    assert clock.meeting_remind(meeting_id=meeting.pk, kind="1h", version=1, now=now)
    assert not clock.meeting_remind(meeting_id=meeting.pk, kind="1h", version=1, now=now)
    assert not clock.meeting_remind(meeting_id=meeting.pk, kind="24h", now=now)
    assert (told(landlord, HOUR_BEFORE), told(landlord, DAY_BEFORE)) == (1, 0)
    assert reload(meeting).reminded_24h_at is not None


def test_who_said_no_is_not_reminded(meeting, landlord, landlord2):
    svc.meeting_rsvp(meeting_id=meeting.pk, user=landlord2, response="no")
    clock.meeting_remind(meeting_id=meeting.pk, kind="24h", now=meeting.starts_at - 20 * H)
    assert (told(landlord, DAY_BEFORE), told(landlord2, DAY_BEFORE)) == (1, 0)


def test_unknown_kind_or_missing_meeting_sends_nothing(meeting):
    assert not clock.meeting_remind(meeting_id=meeting.pk, kind="2h", now=meeting.starts_at - 0.5 * H)
    assert not clock.meeting_remind(meeting_id=999999, kind="1h")
    assert not Notification.objects.filter(title__contains="开会").exists()


def test_reminder_queued_before_a_move_is_not_sent_for_the_old_time(meeting, committee_staff, landlord):
    now = meeting.starts_at - 23 * H
    (queued,) = due(meeting, now)  # beat queued remind_meeting(meeting, "24h", version 1) …
    # … then the organiser moves it half an hour later: the new time is due for a reminder too, but the
    # queued task was for the old one and must claim nothing.
    later = meeting.starts_at + 0.5 * H
    svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=later, ends_at=later + 2 * H)
    assert not clock.meeting_remind(meeting_id=meeting.pk, kind=queued[0], version=queued[1], now=now)
    assert told(landlord, DAY_BEFORE) == 0
    # Beat's next scan queues the reminder for the new time, which names the new time.
    assert due(meeting, now) == [("24h", 2)]
    assert clock.meeting_remind(meeting_id=meeting.pk, kind="24h", version=2, now=now)
    note = Notification.objects.get(recipient=landlord, title__contains=DAY_BEFORE)
    assert svc.when(later) in note.title and svc.when(meeting.starts_at) not in note.title


def test_reminder_claimed_before_a_move_is_sent_again_for_the_new_time_only(meeting, committee_staff, landlord):
    now = meeting.starts_at - 23 * H
    assert clock.meeting_remind(meeting_id=meeting.pk, kind="24h", version=1, now=now)
    later = meeting.starts_at + 3 * 24 * H
    svc.meeting_move(meeting_id=meeting.pk, actor=committee_staff, starts_at=later, ends_at=later + H, now=now)
    # The old time comes and goes: nothing is due, and a stale task for version 1 claims nothing.
    for t in (meeting.starts_at - 0.5 * H, meeting.starts_at - 10 * H):
        assert due(meeting, t) == []
        assert not clock.meeting_remind(meeting_id=meeting.pk, kind="1h", version=1, now=t)
        assert not clock.meeting_remind(meeting_id=meeting.pk, kind="1h", now=t)
    assert told(landlord, HOUR_BEFORE) == 0
    assert told(landlord, DAY_BEFORE) == 1
    assert clock.meeting_remind(meeting_id=meeting.pk, kind="24h", version=2, now=later - 20 * H)
    assert clock.meeting_remind(meeting_id=meeting.pk, kind="1h", version=2, now=later - 0.5 * H)
    assert (told(landlord, DAY_BEFORE), told(landlord, HOUR_BEFORE)) == (2, 1)
    titles = list(Notification.objects.filter(recipient=landlord, title__contains="开会").values_list("title", flat=True))
    assert all(svc.when(later) in t for t in titles[:2])  # newest first: both for the new time


def test_cancelled_meeting_is_never_reminded(meeting, committee_staff, landlord):
    (queued,) = due(meeting, meeting.starts_at - 23 * H)
    svc.meeting_cancel(meeting_id=meeting.pk, actor=committee_staff, reason="台风")
    for kind, t in (("24h", meeting.starts_at - 23 * H), ("1h", meeting.starts_at - 0.5 * H)):
        assert due(meeting, t) == []
        assert not clock.meeting_remind(meeting_id=meeting.pk, kind=kind, now=t)
    assert not clock.meeting_remind(meeting_id=meeting.pk, kind=queued[0], version=queued[1],
                                    now=meeting.starts_at - 23 * H)
    assert told(landlord, "开会") == 0


def test_tasks_run_twice_send_once(eager, meeting, landlord, monkeypatch):
    now = meeting.starts_at - 23 * H
    monkeypatch.setattr(clock.timezone, "now", lambda: now)
    tasks.start_meeting_reminders.delay()
    tasks.start_meeting_reminders.delay()
    tasks.remind_meeting.delay(meeting.pk, "24h", 1)
    assert told(landlord, DAY_BEFORE) == 1
    assert MeetingEvent.objects.filter(meeting=meeting, action="remind_24h").count() == 1


def test_reminder_task_for_a_deleted_meeting_is_quiet(eager, meeting):
    pk = meeting.pk
    Meeting.objects.filter(pk=pk).delete()
    tasks.remind_meeting.delay(pk, "24h", 1)
    tasks.remind_minutes.delay(pk)
    tasks.generate_meetings_for_series.delay(999999)


# --- minutes reminder --------------------------------------------------------------------------------

def test_minutes_reminder_once_a_day_after(meeting, committee_staff, landlord):
    assert meeting.pk not in meetings_due_for_minutes_reminder(now=meeting.ends_at + 23 * H)
    assert not clock.meeting_remind_minutes(meeting_id=meeting.pk, now=meeting.ends_at + 23 * H)
    now = meeting.ends_at + 25 * H
    assert meeting.pk in meetings_due_for_minutes_reminder(now=now)
    assert clock.meeting_remind_minutes(meeting_id=meeting.pk, now=now)
    assert not clock.meeting_remind_minutes(meeting_id=meeting.pk, now=now + H)
    assert meeting.pk not in meetings_due_for_minutes_reminder(now=now + H)
    assert told(committee_staff, MINUTES_PLEASE) == 1 and told(landlord, MINUTES_PLEASE) == 0


def test_no_minutes_reminder_when_minutes_exist_or_cancelled(meeting, committee_staff):
    svc.minutes_file(meeting_id=meeting.pk, actor=committee_staff, text="到会 8 人。", now=meeting.ends_at)
    now = meeting.ends_at + 25 * H
    assert meeting.pk not in meetings_due_for_minutes_reminder(now=now)
    assert not clock.meeting_remind_minutes(meeting_id=meeting.pk, now=now)
    assert told(committee_staff, MINUTES_PLEASE) == 0


def test_no_minutes_reminder_for_a_cancelled_meeting(meeting, committee_staff):
    svc.meeting_cancel(meeting_id=meeting.pk, actor=committee_staff, reason="台风")
    now = meeting.ends_at + 25 * H
    assert meeting.pk not in meetings_due_for_minutes_reminder(now=now)
    assert not clock.meeting_remind_minutes(meeting_id=meeting.pk, now=now)


def test_minutes_tasks_twice_remind_once(eager, meeting, committee_staff, monkeypatch):
    now = meeting.ends_at + 25 * H
    monkeypatch.setattr(clock.timezone, "now", lambda: now)
    tasks.start_minutes_reminders.delay()
    tasks.start_minutes_reminders.delay()
    assert told(committee_staff, MINUTES_PLEASE) == 1


def test_generation_task_twice_creates_once(eager, series):
    count = Meeting.objects.filter(series=series).count()
    invites = MeetingInvite.objects.count()
    Meeting.objects.filter(series=series).order_by("-starts_at").first().delete()
    tasks.generate_series_meetings.delay()
    tasks.generate_series_meetings.delay()
    assert Meeting.objects.filter(series=series).count() == count
    assert MeetingInvite.objects.count() == invites


def test_beat_schedule_has_the_meeting_tasks(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"communities.tasks.start_meeting_reminders", "communities.tasks.start_minutes_reminders",
            "communities.tasks.generate_series_meetings"} <= schedule
    assert settings.CELERY_BEAT_SCHEDULE["remind-meetings"]["schedule"] <= 600  # a reminder is at most minutes late


def test_no_far_future_eta(eager, meeting, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.remind_meeting, "delay", lambda *a, **kw: sent.append((a, kw)))
    monkeypatch.setattr(clock.timezone, "now", lambda: meeting.starts_at - 23 * H)
    tasks.start_meeting_reminders()
    assert sent == [((meeting.pk, "24h", 1), {})]  # .delay(), never apply_async(eta=…)


def test_reminder_names_an_accepted_topic_and_reaches_its_proposer(meeting, community, resident, committee_staff,
                                                                  landlord):
    from communities.services import meeting_topics

    proposal = meeting_topics.topic_propose(actor=resident, community=community, text="电动车楼道充电")
    meeting_topics.proposal_accept(proposal_id=proposal.pk, actor=committee_staff, meeting_id=meeting.pk)
    assert clock.meeting_remind(meeting_id=meeting.pk, kind="24h", now=meeting.starts_at - 23 * H)
    for user in (landlord, resident):
        note = Notification.objects.get(recipient=user, title__contains=DAY_BEFORE)
        assert "电动车楼道充电" in note.body
