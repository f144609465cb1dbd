"""What the clock does to meetings: keep occurrences generated, remind invitees 24 hours and 1 hour
before, remind the organiser to file minutes a day after.

Run by Celery beat (communities.tasks), which scans the database for what is due, so no far-future
ETA is ever queued. Each reminder is claimed with a conditional UPDATE that must change exactly one
row and writes its notifications in the same transaction: a task run twice, or by two workers at
once, sends once. A reminder task carries the meeting ``version`` it was queued for; moving or
cancelling a meeting bumps the version, so a reminder queued for the old time claims nothing.
"""
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import AgendaItem, Meeting, MeetingEvent, Minutes
from ..selectors.clock import MEETING_REMINDERS, meeting_reminder_due_q, minutes_reminder_due_q
from .meeting_series import series_generate_meetings
from .meetings import recipients, tell, when
from .texts import deferred


def meeting_remind(*, meeting_id: int, kind: str, version: int | None = None, now=None) -> bool:
    """Send one reminder of one meeting to its invitees (except those who said no); True if this call did."""
    if kind not in MEETING_REMINDERS:
        return False
    now = now or timezone.now()
    _lead, field = MEETING_REMINDERS[kind]
    with transaction.atomic():
        claim = Meeting.objects.filter(meeting_reminder_due_q(kind, now), pk=meeting_id)
        if version is not None:
            claim = claim.filter(version=version)
        changes = {field: now}
        if kind == "1h":
            changes["reminded_24h_at"] = Coalesce("reminded_24h_at", now)  # never a 24-hour one after this
        if claim.update(**changes) != 1:
            return False  # sent already, moved, cancelled, or not due
        # Our UPDATE holds the row lock until commit: the time and place read here are the ones claimed.
        meeting = Meeting.objects.select_related("organiser").get(pk=meeting_id)
        agenda = list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True))
        if kind == "24h":
            title = deferred(gettext_lazy("明天开会：%(title)s，%(when)s"), title=meeting.title,
                             when=when(meeting.starts_at))
        else:
            title = deferred(gettext_lazy("一小时后开会：%(title)s，%(when)s"), title=meeting.title,
                             when=when(meeting.starts_at))
        body = deferred(gettext_lazy("地点：%(venue)s\n议程：%(agenda)s"), venue=meeting.venue,
                        agenda="；".join(agenda) or "—")
        tell(recipients(meeting, skip_declined=True), meeting=meeting, title=title, body=body)
        MeetingEvent.objects.create(meeting=meeting, action=f"remind_{kind}", at=now,
                                    data={"version": meeting.version})
    return True


def meeting_remind_minutes(*, meeting_id: int, now=None) -> bool:
    """Remind the organiser, once, to file the minutes of a meeting that ended a day ago without them."""
    now = now or timezone.now()
    with transaction.atomic():
        if Meeting.objects.filter(minutes_reminder_due_q(now), pk=meeting_id).update(minutes_reminded_at=now) != 1:
            return False
        if Minutes.objects.filter(meeting_id=meeting_id).exists():
            return False  # filed meanwhile: the claim stands, and no reminder is needed
        meeting = Meeting.objects.select_related("organiser").get(pk=meeting_id)
        tell([meeting.organiser], meeting=meeting,
             title=deferred(gettext_lazy("请提交会议纪要：%(title)s（%(when)s）"), title=meeting.title,
                            when=when(meeting.starts_at)),
             body=gettext_lazy("会议结束已超过一天，还没有纪要。请补充纪要、决定和待办事项。"))
        MeetingEvent.objects.create(meeting=meeting, action="remind_minutes", at=now)
    return True


__all__ = ["meeting_remind", "meeting_remind_minutes", "series_generate_meetings"]
