"""Meeting series (三定: 定时定点定题): the recurrence as an iCal RRULE, the occurrences generated ahead
under a unique (series, rule start) key, and changes to a series reaching its future meetings."""
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import AgendaItem, Meeting, MeetingEvent, MeetingInvite, MeetingSeries
from ..recurrence import InvalidRule, rule_clean, rule_starts
from .errors import DomainError
from .meetings import (
    check_kind, check_people, invite_rows, link_invited, meeting_cancel, meeting_move, need, require, topic_lines,
)
from .texts import stored

# Occurrences are kept generated this far ahead (the calendar shows about two months).
HORIZON = timedelta(days=62)


def rrule_clean(text: str) -> str:
    """Normalise an RRULE ("FREQ=MONTHLY;BYDAY=1TU"); raise DomainError with a Chinese message if invalid."""
    try:
        return rule_clean(text)
    except InvalidRule as exc:
        if exc.code == "frequency":
            raise DomainError(_("重复规则无效：频率只能是每天、每周、每月或每年。"), code="rrule") from None
        raise DomainError(_("重复规则无效：请填写一条 RRULE，例如 FREQ=MONTHLY;BYDAY=1TU。"), code="rrule") from None


def series_generate_meetings(*, series_id: int, now=None, horizon: timedelta = HORIZON) -> int:
    """Create the occurrences of the next ``horizon`` that do not exist yet; return how many.

    Idempotent: the series row is locked, the existing keys read once, and the rest written in bulk
    (one key per rule start), so a second run, or two at once, create nothing more. The number of
    queries does not grow with the number of occurrences.
    """
    now = now or timezone.now()
    with transaction.atomic():
        series = (MeetingSeries.objects.select_for_update().filter(pk=series_id, active=True)
                  .select_related("organiser").first())
        if series is None:
            return 0
        starts = rule_starts(rrule=series.rrule, first_starts_at=series.first_starts_at,
                             after=max(now, series.first_starts_at), before=now + horizon)
        existing = set(Meeting.objects.filter(series=series, occurrence_key__in=starts)
                       .values_list("occurrence_key", flat=True))
        duration = timedelta(minutes=series.duration_minutes)
        new = [Meeting(series=series, occurrence_key=start, community_id=series.community_id, kind=series.kind,
                       title=series.title, venue=series.venue, starts_at=start, ends_at=start + duration,
                       organiser_id=series.organiser_id, created_at=now)
               for start in starts if start not in existing]
        if not new:
            return 0
        Meeting.objects.bulk_create(new)
        teams = list(series.invited_teams.all())
        MeetingInvite.objects.bulk_create(invite_rows(new, users=list(series.invited_users.all()), teams=teams))
        link_invited(new, teams=teams, agencies=list(series.invited_agencies.all()))
        AgendaItem.objects.bulk_create([AgendaItem(meeting=m, order=i, title=topic[:300]) for m in new
                                        for i, topic in enumerate(series.standing_topics)])
        MeetingEvent.objects.bulk_create([MeetingEvent(meeting=m, action="generate", at=now,
                                                       data={"series": series.pk}) for m in new])
    return len(new)


def series_create(*, actor, community, title: str, kind: str, rrule: str, first_starts_at: datetime,
                  duration_minutes: int, venue: str, organiser, standing_topics=(), invited_users=(),
                  invited_teams=(), invited_agencies=(), now=None) -> MeetingSeries:
    now = now or timezone.now()
    require(actor, "meeting.create", community)
    check_kind(kind)
    title = need(title, _("请填写例会名称。"), 100)
    venue = need(venue, _("请填写开会地点。"), 200)
    rrule = rrule_clean(rrule)
    if not 10 <= (duration_minutes or 0) <= 720:
        raise DomainError(_("会议时长应在 10 分钟到 12 小时之间。"), code="duration")
    check_people(community, organiser=organiser, users=invited_users, teams=invited_teams)
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            community=community, title=title, kind=kind, rrule=rrule, first_starts_at=first_starts_at,
            duration_minutes=duration_minutes, venue=venue, organiser=organiser,
            standing_topics=topic_lines(standing_topics), created_at=now)
        series.invited_users.set(invited_users)
        series.invited_teams.set(invited_teams)
        series.invited_agencies.set(invited_agencies)
        series_generate_meetings(series_id=series.pk, now=now)
    return series


def series_update(*, actor, series_id: int, title: str, rrule: str, first_starts_at: datetime,
                  duration_minutes: int, venue: str, organiser, standing_topics=(), invited_users=(),
                  invited_teams=(), invited_agencies=(), active: bool = True, now=None) -> MeetingSeries:
    """Change a series. Past and changed (moved, cancelled, held) meetings stay as they are; future
    untouched ones take the new place, title and length, and those the new rule no longer gives are
    cancelled with notice to their invitees."""
    now = now or timezone.now()
    title = need(title, _("请填写例会名称。"), 100)
    venue = need(venue, _("请填写开会地点。"), 200)
    rrule = rrule_clean(rrule)
    if not 10 <= (duration_minutes or 0) <= 720:
        raise DomainError(_("会议时长应在 10 分钟到 12 小时之间。"), code="duration")
    with transaction.atomic():
        series = MeetingSeries.objects.select_for_update().select_related("community").get(pk=series_id)
        require(actor, "meeting.manage", series)
        check_people(series.community, organiser=organiser, users=invited_users, teams=invited_teams)
        series.title, series.rrule, series.first_starts_at, series.venue = title, rrule, first_starts_at, venue
        series.duration_minutes, series.organiser, series.active = duration_minutes, organiser, active
        series.standing_topics = topic_lines(standing_topics)
        series.save()
        series.invited_users.set(invited_users)
        series.invited_teams.set(invited_teams)
        series.invited_agencies.set(invited_agencies)
        future = list(Meeting.objects.filter(series=series, status=Meeting.Status.SCHEDULED, starts_at__gt=now))
        keep = set(rule_starts(rrule=rrule, first_starts_at=first_starts_at, after=now, before=now + HORIZON)) \
            if active else set()
        # Stored reasons: in the community's language, not the language of whoever edited the series.
        dropped, changed = stored(gettext_lazy("例会安排调整，本次会议取消。")), stored(gettext_lazy("例会安排调整。"))
        for meeting in future:
            if meeting.occurrence_key not in keep:
                meeting_cancel(meeting_id=meeting.pk, actor=actor, reason=dropped, now=now)
        kept = [m for m in future if m.occurrence_key in keep]
        Meeting.objects.filter(pk__in=[m.pk for m in kept]).update(title=title, organiser=organiser)
        length = timedelta(minutes=duration_minutes)
        for meeting in kept:
            # A new place or length is a change people must hear of: it goes through the move.
            if (meeting.venue, meeting.ends_at - meeting.starts_at) != (venue, length):
                meeting_move(meeting_id=meeting.pk, actor=actor, starts_at=meeting.starts_at,
                             ends_at=meeting.starts_at + length, venue=venue, reason=changed, now=now)
        teams = list(series.invited_teams.all())
        MeetingInvite.objects.bulk_create(invite_rows(kept, users=list(invited_users), teams=teams),
                                          ignore_conflicts=True)
        link_invited(kept, teams=teams, agencies=list(invited_agencies))
        series_generate_meetings(series_id=series.pk, now=now)
    return series
