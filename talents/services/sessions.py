"""A class's sessions: generated for a rolling horizon from the class's rule (as the core rota's shifts are),
cancelled or moved with a reason (everyone enrolled is told), reminded the day before, attended (one tap per
person) and closed by the teacher.

Generation is idempotent: each session is named by (class, ``slot_starts_at``), the start the rule gave it,
which a move never changes, so a second run creates nothing and a moved session is not made again at its old
time. Reminders are keyed by the session's current start (``reminded_for``): after a move the old time is
never reminded, the new one is.

The room (``_book_room`` and its two siblings) and the teacher's hours (``_record_teacher_hours``) go through
the core's services, each called from one function here and nowhere else.
"""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.recurrence import rule_starts
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.texts import deferred

from ..models import ClassSession, Enrolment, EnrolmentPerson, SessionAttendance, TalentClass

DEFAULT_WEEKS = 4
SOURCE_KIND = "talents.session"
REMIND_AHEAD = dt.timedelta(hours=24)
Status = ClassSession.Status
LIVE = (Status.SCHEDULED, Status.MOVED)


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- generation -----------------------------------------------------------------------------------------------

def class_sessions_generate(*, talent_class: TalentClass, now: dt.datetime | None = None,
                            weeks: int = DEFAULT_WEEKS) -> int:
    """The class's sessions from now to ``weeks`` ahead (not past ``ends_on``); returns how many were made."""
    now = now or timezone.now()
    if talent_class.status == TalentClass.Status.CLOSED:
        return 0
    until = now + dt.timedelta(weeks=weeks)
    if talent_class.ends_on:
        last = timezone.make_aware(dt.datetime.combine(talent_class.ends_on, dt.time.max))
        until = min(until, last)
    after = max(now, talent_class.first_starts_at)
    if after > until:
        return 0
    length = dt.timedelta(minutes=talent_class.duration_minutes)
    starts = rule_starts(rrule=talent_class.rrule, first_starts_at=talent_class.first_starts_at, after=after,
                         before=until)
    with transaction.atomic():
        TalentClass.objects.select_for_update(of=("self",)).filter(pk=talent_class.pk).first()
        known = set(ClassSession.objects.filter(talent_class=talent_class, slot_starts_at__in=starts)
                    .values_list("slot_starts_at", flat=True))
        new = [ClassSession(talent_class=talent_class, slot_starts_at=s, starts_at=s, ends_at=s + length)
               for s in starts if s not in known]
        created = ClassSession.objects.bulk_create(new)
        if talent_class.room_id:
            for session in created:
                session.talent_class = talent_class
                _book_room(session, talent_class.organiser, now)
    return len(created)


def class_keep_generated(*, talent_class_id: int, now: dt.datetime | None = None) -> int:
    """The beat's step for one class (``talents.tasks.generate_class_sessions``)."""
    talent_class = TalentClass.objects.filter(pk=talent_class_id).exclude(status=TalentClass.Status.CLOSED).first()
    if talent_class is None:
        return 0
    return class_sessions_generate(talent_class=talent_class, now=now)


# --- the room and the hours: the core's services, each called from here only ---------------------------------

def _book_room(session: ClassSession, actor, now: dt.datetime | None = None) -> None:
    """Book the class's room for the session (the core's room calendar, no clashes). A clash leaves the session
    without a booking and says so on it (``room_note``, shown to the host), naming the other booking."""
    from communities.models import Room
    from communities.services import rooms

    room = Room.objects.get(pk=session.talent_class.room_id)
    try:
        booking = rooms.room_book(room=room, starts_at=session.starts_at, ends_at=session.ends_at,
                                  title=session.talent_class.title, actor=actor, source_kind=SOURCE_KIND,
                                  source_id=session.pk, now=now)
    except rooms.RoomClash as clash:
        session.room_note = str(clash)[:300]
        session.save(update_fields=["room_note"])
        return
    session.room_booking_id, session.room_note = booking.pk, ""
    session.save(update_fields=["room_booking_id", "room_note"])


def _move_room_booking(session: ClassSession, actor, now: dt.datetime | None = None) -> None:
    """The booking follows a moved session; a clash at the new time refuses the move (raises RoomClash)."""
    from communities.models import RoomBooking
    from communities.services import rooms

    booking = RoomBooking.objects.get(pk=session.room_booking_id)
    rooms.room_booking_move(booking=booking, starts_at=session.starts_at, ends_at=session.ends_at, actor=actor,
                            now=now)


def _cancel_room_booking(session: ClassSession, actor, now: dt.datetime | None = None) -> None:
    from communities.models import RoomBooking
    from communities.services import rooms

    booking = RoomBooking.objects.get(pk=session.room_booking_id)
    rooms.room_booking_cancel(booking=booking, actor=actor, now=now)


def _record_teacher_hours(session: ClassSession, actor) -> int:
    """A 公益课 taught: each teacher's volunteer hours, as the organiser (the studio) records them. A 体验课 (paid
    trial class) never earns hours (RULES.md, volunteers: no profit-making activity under volunteering's name).
    Minutes: the session's scheduled time, ended early when it was closed early; travel is not counted."""
    talent_class = session.talent_class
    if talent_class.kind != TalentClass.Kind.FREE:
        return 0
    from communities.models import VolunteerHours
    from communities.services.hours import hours_record

    ends_at = min(session.ends_at, session.attendance_closed_at or session.ends_at)
    scheduled = int((session.ends_at - session.starts_at).total_seconds() // 60)
    place = talent_class.place or talent_class.studio.team.name
    recorded = 0
    for teacher in talent_class.teachers.all():
        hours_record(volunteer=teacher, community=talent_class.studio.team.community, team=talent_class.studio.team,
                     activity=talent_class.title, place=place, starts_at=session.starts_at, ends_at=ends_at,
                     scheduled_minutes=scheduled, source_kind=SOURCE_KIND, source_id=session.pk,
                     # The studio (the organiser) records it from the closed attendance list; a teacher who closed
                     # the session is not named as confirming their own hours.
                     confirmed_by=None if actor.pk == teacher.pk else actor,
                     confirmed_how=VolunteerHours.How.ORGANISER, paid=talent_class.is_trial,
                     now=session.attendance_closed_at)
        recorded += 1
    return recorded


# --- cancel and move ------------------------------------------------------------------------------------------

def _lock_session(session_id: int) -> ClassSession:
    return (ClassSession.objects.select_for_update(of=("self",))
            .select_related("talent_class__studio__team").get(pk=session_id))


def _enrolled_accounts(talent_class):
    return (Enrolment.objects.filter(talent_class=talent_class, status__in=(Enrolment.Status.ENROLLED,
                                                                             Enrolment.Status.OFFERED))
            .select_related("account"))


def _tell_enrolled(session: ClassSession, title, body) -> int:
    url = reverse("talents:class_detail", args=[session.talent_class_id])
    told = 0
    for entry in _enrolled_accounts(session.talent_class):
        notify(recipient=entry.account, title=title, body=body, url=url)
        told += 1
    return told


def session_cancel(*, session_id: int, actor, reason: str, now: dt.datetime | None = None) -> bool:
    """Cancel a session with a reason; everyone enrolled is told, and no reminder goes out for it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明取消的原因，报名的人会收到通知。"), code="reason")
    with transaction.atomic():
        session = _lock_session(session_id)
        if not policy.can(actor, "talents.class.manage", session):
            raise PermissionDenied
        if session.status == Status.CANCELLED:
            return False
        if session.status == Status.HELD:
            raise DomainError(_("这次课已经上过了，不能取消。"), code="state")
        session.status, session.reason = Status.CANCELLED, reason
        session.save(update_fields=["status", "reason"])
        if session.room_booking_id:
            _cancel_room_booking(session, actor, now)
        _tell_enrolled(session, deferred(gettext_lazy("课程取消：%(title)s"), title=session.talent_class.title),
                       deferred(gettext_lazy("%(when)s 的课取消了。原因：%(reason)s"),
                                when=_local(session.starts_at), reason=reason))
    return True


def session_move(*, session_id: int, actor, starts_at: dt.datetime, ends_at: dt.datetime, reason: str,
                 now: dt.datetime | None = None) -> bool:
    """Move a session to a new time with a reason; everyone enrolled is told the new time, and the reminder
    follows the new time (the old one is never reminded)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明调整的原因，报名的人会收到通知。"), code="reason")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间要晚于开始时间。"), code="times")
    if starts_at < now:
        raise DomainError(_("不能调到已经过去的时间。"), code="past")
    with transaction.atomic():
        session = _lock_session(session_id)
        if not policy.can(actor, "talents.class.manage", session):
            raise PermissionDenied
        if session.status not in LIVE:
            raise DomainError(_("这次课是“%(status)s”，不能调整时间。") % {"status": session.get_status_display()},
                              code="state")
        if (session.starts_at, session.ends_at) == (starts_at, ends_at):
            return False
        old = session.starts_at
        session.starts_at, session.ends_at, session.status, session.reason = starts_at, ends_at, Status.MOVED, reason
        session.reminded_for = None
        try:
            with transaction.atomic():
                session.save(update_fields=["starts_at", "ends_at", "status", "reason", "reminded_for"])
        except IntegrityError:
            raise DomainError(_("时间无效。"), code="times") from None
        if session.room_booking_id:
            _move_room_booking(session, actor, now)
        _tell_enrolled(session, deferred(gettext_lazy("上课时间调整：%(title)s"), title=session.talent_class.title),
                       deferred(gettext_lazy("原定 %(old)s 的课改到 %(new)s。原因：%(reason)s"),
                                old=_local(old), new=_local(starts_at), reason=reason))
    return True


# --- reminders the day before -----------------------------------------------------------------------------------

def sessions_due_for_reminder(*, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(session id, its current start) of the live sessions starting within 24 h that were not reminded for
    that start."""
    return list(ClassSession.objects.filter(status__in=LIVE, starts_at__gt=now, starts_at__lte=now + REMIND_AHEAD)
                .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("starts_at")))
                .values_list("pk", "starts_at"))


def session_remind(*, session_id: int, starts_at: dt.datetime) -> int:
    """Remind everyone enrolled of one session, for the start it had when the reminder was queued. Claimed by a
    conditional UPDATE: a repeat, or a session moved since, sends nothing. Returns how many were told."""
    with transaction.atomic():
        claimed = (ClassSession.objects.filter(pk=session_id, starts_at=starts_at, status__in=LIVE)
                   .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("starts_at")))
                   .update(reminded_for=starts_at))
        if not claimed:
            return 0
        session = ClassSession.objects.select_related("talent_class__studio__team").get(pk=session_id)
        where = session.talent_class.place or session.talent_class.studio.team.name
        return _tell_enrolled(session, deferred(gettext_lazy("明天上课：%(title)s"), title=session.talent_class.title),
                              deferred(gettext_lazy("%(when)s 在 %(where)s 上课。不能来请在课程页面退出，把名额让给候补的人。"),
                                       when=_local(session.starts_at), where=where))


# --- attendance -------------------------------------------------------------------------------------------------

def attendance_mark(*, session_id: int, actor, person_id: int, present: bool,
                    now: dt.datetime | None = None) -> SessionAttendance:
    """One tap: this person is present (or absent). Only the people enrolled in the class."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_session(session_id)
        if not policy.can(actor, "talents.class.attendance", session):
            raise PermissionDenied
        if session.status == Status.CANCELLED:
            raise DomainError(_("这次课已取消。"), code="state")
        enrolled = EnrolmentPerson.objects.filter(person_id=person_id, enrolment__talent_class_id=session.talent_class_id,
                                                  enrolment__status=Enrolment.Status.ENROLLED).exists()
        if not enrolled:
            raise DomainError(_("这个人没有报名这门课。"), code="not_enrolled")
        row, _created = SessionAttendance.objects.update_or_create(
            session=session, person_id=person_id, defaults={"present": present, "marked_by": actor, "marked_at": now})
    return row


def attendance_close(*, session_id: int, actor, now: dt.datetime | None = None) -> bool:
    """结束并记录: the session was held; for a 公益课 the teachers' hours are recorded. False: closed already."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_session(session_id)
        if not policy.can(actor, "talents.class.attendance", session):
            raise PermissionDenied
        if session.attendance_closed_at is not None:
            return False
        if session.status not in LIVE:
            raise DomainError(_("这次课是“%(status)s”，不能点名。") % {"status": session.get_status_display()},
                              code="state")
        if now < session.starts_at:
            raise DomainError(_("课还没开始，开始后才能结束并记录。"), code="early")
        session.status, session.attendance_closed_at, session.attendance_closed_by = Status.HELD, now, actor
        session.save(update_fields=["status", "attendance_closed_at", "attendance_closed_by"])
        _record_teacher_hours(session, actor)
    return True
