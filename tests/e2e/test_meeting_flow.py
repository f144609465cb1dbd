"""One resident's topic from the phone to the meeting reminder, in Chinese (issue 4, item 10).

居民在手机上提议题 → 居委在「议题提议」里把它列入下一次议事会的议程 → 会议页面的议程上有它 → 会前 24 小时
提醒(站内消息和邮件)写明这个议题。Every page is axe-checked (visit()/follow()).
"""
import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import AgendaItem, MeetingEvent, MeetingInvite, MeetingKind, Notification, TopicProposal
from communities.selectors.clock import meetings_due_for_reminder
from communities.services import delivery
from communities.services import meeting_clock as clock
from communities.services import meetings as svc

from .a11y import assert_accessible
from .flows import follow, log_in, log_out, open_menu

TOPIC = "楼道里电动车充电太危险，建议在小区里建集中充电棚。"
DAY_BEFORE = "明天开会"


@pytest.fixture
def meetings(outbox, community, committee_staff, resident, tenant):
    """Two 议事会 (open to every member of 蓉庭) ahead, organised by 居委小张: the next one in three days,
    with 小李 invited, and the one after it ten days later. The resident is not invited to either.
    (After ``outbox``: the invitations they send must not reach the real broker either.)"""
    for user, address in ((resident, "wang@example.com"), (committee_staff, "zhang@example.com"),
                          (tenant, "li@example.com")):
        user.email = address
        user.save(update_fields=["email"])

    def at_19(days):
        day = timezone.localdate() + dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(19, 0)))

    made = []
    for days, title in ((3, "蓉庭居民议事会"), (10, "蓉庭居民议事会(下旬)")):
        start = at_19(days)
        made.append(svc.meeting_create(
            actor=committee_staff, community=community, title=title, kind=MeetingKind.DELIBERATION,
            venue="居委会议室", starts_at=start, ends_at=start + dt.timedelta(hours=2), organiser=committee_staff,
            invited_users=[tenant]))
    return made


def switch_user(page, username, password):
    log_out(page)
    log_in(page, username, password)


def open_meetings(page):
    follow(page, open_menu(page).get_by_role("link", name="会议", exact=True))
    expect(page.get_by_role("heading", name="会议", level=1)).to_be_visible()


def agenda_of(page):
    return page.get_by_role("region", name="议程").get_by_role("listitem")


def test_resident_topic_reaches_the_agenda_and_the_24h_reminder(page, meetings, password, outbox, mailoutbox,
                                                              artifacts_dir, resident):
    meeting, later = meetings
    assert not MeetingInvite.objects.filter(meeting=meeting, user=resident).exists()

    # --- the resident proposes a topic from the phone, for whichever meeting the organiser picks --------
    log_in(page, "resident", password)
    open_meetings(page)
    expect(page.get_by_role("link", name="蓉庭居民议事会", exact=True)).to_be_visible()  # open to members
    follow(page, page.get_by_role("main").get_by_role("link", name="提议题", exact=True))
    expect(page.get_by_role("heading", name="提议题", level=1)).to_be_visible()
    page.get_by_role("textbox", name="您想讨论的议题").fill(TOPIC)
    expect(page.get_by_label("希望在哪次会议上讨论(可不选)")).to_have_value("")  # 由召集人安排
    assert_accessible(page)  # the filled-in form
    follow(page, page.get_by_role("main").get_by_role("button", name="提交", exact=True))
    expect(page.get_by_role("status").filter(has_text="谢谢您的提议！召集人处理后会通知您。")).to_be_visible()
    mine = page.get_by_role("region", name="我提过的议题").get_by_role("listitem").filter(has_text=TOPIC)
    expect(mine).to_contain_text("待处理")
    proposal = TopicProposal.objects.get(proposed_by=resident)
    assert proposal.text == TOPIC and proposal.status == TopicProposal.Status.PROPOSED and proposal.meeting is None

    # --- committee staff open the proposals and put it on the next meeting's agenda ------------------------
    switch_user(page, "staff", password)
    open_meetings(page)
    follow(page, page.get_by_role("main").get_by_role("link", name="议题提议", exact=True))
    expect(page.get_by_role("heading", name="议题提议", level=1)).to_be_visible()
    card = page.locator(".card").filter(has_text=TOPIC)
    expect(card).to_contain_text("王阿姨")
    choice = card.get_by_label("列入哪次会议的议程")
    choice.select_option(label=str(meeting))  # "蓉庭居民议事会 YYYY-mm-dd 19:00": the next one, not the later one
    expect(choice).to_have_value(str(meeting.pk))
    assert_accessible(page)
    follow(page, card.get_by_role("button", name="列入议程", exact=True))
    expect(page).to_have_url("/meetings/topics/")
    expect(page.get_by_role("status").filter(has_text="已列入议程，提议人会收到通知。")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("没有待处理的提议。")

    # --- the meeting page shows it on the agenda -------------------------------------------------------------
    open_meetings(page)
    follow(page, page.get_by_role("main").get_by_role("link", name="蓉庭居民议事会", exact=True))
    expect(page.get_by_role("heading", name="蓉庭居民议事会", level=1)).to_be_visible()
    expect(agenda_of(page)).to_have_count(1)
    expect(agenda_of(page).first).to_contain_text(TOPIC)
    expect(agenda_of(page).first).to_contain_text("王阿姨 提议")
    page.screenshot(path=str(artifacts_dir / "meeting-agenda.png"), full_page=True)

    proposal.refresh_from_db()
    assert proposal.status == TopicProposal.Status.ACCEPTED and proposal.meeting == meeting
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "proposal")) == [(TOPIC, proposal.pk)]
    assert not AgendaItem.objects.filter(meeting=later).exists()
    # The proposer is now invited, so she is reminded like the others.
    assert MeetingInvite.objects.filter(meeting=meeting, user=resident).exists()

    # --- a day before: beat's scan finds the 24-hour reminder due and the worker sends it ---------------
    now = meeting.starts_at - dt.timedelta(hours=23)
    due = meetings_due_for_reminder(now=now)
    assert due == [(meeting.pk, "24h", meeting.version)]  # the later meeting is not due yet
    before = set(outbox)
    for meeting_id, kind, version in due:  # what tasks.start_meeting_reminders → remind_meeting does, at `now`
        assert clock.meeting_remind(meeting_id=meeting_id, kind=kind, version=version, now=now)
    assert MeetingEvent.objects.filter(meeting=meeting, action="remind_24h").count() == 1
    reminders = Notification.objects.filter(title__startswith=DAY_BEFORE)
    assert sorted(reminders.values_list("recipient__username", flat=True)) == ["resident", "staff", "tenant"]
    assert all(TOPIC in note.body for note in reminders), [note.body for note in reminders]
    # Their e-mails went through the outbox; the worker delivers them.
    assert set(outbox) - before == set(reminders.values_list("pk", flat=True))
    for notification_id in sorted(set(outbox) - before):
        assert delivery.deliver_notification_email(notification_id=notification_id)
    mails = {mail.to[0]: mail for mail in mailoutbox if mail.subject.startswith(DAY_BEFORE)}
    assert sorted(mails) == ["li@example.com", "wang@example.com", "zhang@example.com"]
    for mail in mails.values():
        assert mail.subject.startswith(f"{DAY_BEFORE}：蓉庭居民议事会，") and "居委会议室" in mail.body
        assert f"议程：{TOPIC}" in mail.body and mail.body.endswith(f"/meetings/{meeting.pk}/")

    # --- the resident's inbox names the topic, and the reminder opens the meeting ---------------------------
    switch_user(page, "resident", password)
    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name=re.compile("^消息")))
    expect(page.get_by_role("heading", name="消息", level=1)).to_be_visible()
    inbox = page.get_by_role("main").get_by_role("listitem")
    expect(inbox.filter(has_text="您提议的议题已列入会议议程：蓉庭居民议事会")).to_contain_text(TOPIC)
    reminder = inbox.filter(has_text=f"{DAY_BEFORE}：蓉庭居民议事会")
    expect(reminder).to_have_count(1)
    expect(reminder).to_contain_text(f"议程：{TOPIC}")
    expect(reminder).to_contain_text("地点：居委会议室")
    page.screenshot(path=str(artifacts_dir / "meeting-reminder-inbox.png"), full_page=True)
    follow(page, reminder.get_by_role("link", name=re.compile(f"^{DAY_BEFORE}")))
    expect(page).to_have_url(f"/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", name="蓉庭居民议事会", level=1)).to_be_visible()
    expect(agenda_of(page).filter(has_text=TOPIC)).to_have_count(1)
    # Every notification went through the outbox (written, then queued after commit).
    assert sorted(outbox) == sorted(Notification.objects.values_list("pk", flat=True))
