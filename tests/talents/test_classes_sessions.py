"""Sessions: generated for a rolling horizon (idempotent), cancelled or moved with a reason (the enrolled are told,
the old time is never reminded), reminded the day before, attendance in one tap, 结束并记录."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import Notification
from communities.services.errors import DomainError
from talents.models import ClassSession, SessionAttendance, TalentClass
from talents.services import sessions as svc
from talents.services.enrolment import enrolment_request

from .classes_world import (  # noqa: F401
    DAY, HOUR, MONDAY, at, frozen, host, jy_staff, junyuan, make_class, other_host, own, resident, studio,
    with_children,
)

pytestmark = pytest.mark.django_db
Status = ClassSession.Status


@pytest.fixture
def tc(studio, host):
    return make_class(studio, organiser=host, capacity=5)


@pytest.fixture
def learner(tc, junyuan):
    user = resident(junyuan, "learner", "张大爷")
    enrolment_request(talent_class=tc, actor=user, person_ids=own(user), now=MONDAY)
    return user


def test_sessions_are_generated_weekly_for_the_horizon_and_only_once(tc):
    assert svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=4) == 4
    starts = list(ClassSession.objects.filter(talent_class=tc).values_list("starts_at", flat=True))
    assert starts == [at(1, 15), at(8, 15), at(15, 15), at(22, 15)]  # Tuesdays 15:00
    assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=90) for s in ClassSession.objects.filter(talent_class=tc))
    assert svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=4) == 0
    assert svc.class_sessions_generate(talent_class=tc, now=MONDAY + 7 * DAY, weeks=4) == 1  # rolling on


def test_generation_stops_at_the_end_of_term_and_for_a_closed_class(tc):
    tc.ends_on = (MONDAY + 10 * DAY).date()
    assert svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=4) == 2
    tc.status = TalentClass.Status.CLOSED
    assert svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=8) == 0


def test_a_moved_session_is_not_generated_again_at_its_old_time(tc, host):
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    session = ClassSession.objects.get(talent_class=tc)
    svc.session_move(session_id=session.pk, actor=host, starts_at=at(2, 15), ends_at=at(2, 16), reason="活动室维修",
                     now=MONDAY)
    assert svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1) == 0
    assert ClassSession.objects.filter(talent_class=tc).count() == 1


def test_cancelling_tells_the_enrolled_and_suppresses_the_reminder(tc, host, learner):
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    session = ClassSession.objects.get(talent_class=tc)
    with pytest.raises(DomainError, match="请写明取消的原因"):
        svc.session_cancel(session_id=session.pk, actor=host, reason="")
    assert svc.session_cancel(session_id=session.pk, actor=host, reason="老师生病")
    note = Notification.objects.get(recipient=learner, title__contains="课程取消")
    assert "老师生病" in note.body and "2026-03-03 15:00" in note.body
    assert svc.sessions_due_for_reminder(now=at(0, 16)) == []
    assert svc.session_remind(session_id=session.pk, starts_at=session.starts_at) == 0
    assert not svc.session_cancel(session_id=session.pk, actor=host, reason="再按一次")  # a repeat


def test_moving_tells_the_new_time_and_the_old_time_is_never_reminded(tc, host, learner):
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    session = ClassSession.objects.get(talent_class=tc)
    old = session.starts_at
    assert svc.sessions_due_for_reminder(now=at(0, 16)) == [(session.pk, old)]
    # The beat queued a reminder for 15:00 Tuesday; before it runs, the host moves the class to Thursday.
    svc.session_move(session_id=session.pk, actor=host, starts_at=at(3, 15), ends_at=at(3, 16, 30),
                     reason="周二活动室被占用", now=MONDAY)
    note = Notification.objects.get(recipient=learner, title__contains="上课时间调整")
    assert "2026-03-05 15:00" in note.body and "周二活动室被占用" in note.body
    assert svc.session_remind(session_id=session.pk, starts_at=old) == 0  # the old time: nothing sent
    assert not Notification.objects.filter(recipient=learner, title__contains="明天上课").exists()
    assert svc.sessions_due_for_reminder(now=at(0, 16)) == []  # Thursday is not within 24 h yet
    assert svc.sessions_due_for_reminder(now=at(2, 16)) == [(session.pk, at(3, 15))]
    assert svc.session_remind(session_id=session.pk, starts_at=at(3, 15)) == 1
    assert svc.session_remind(session_id=session.pk, starts_at=at(3, 15)) == 0  # once
    reminder = Notification.objects.get(recipient=learner, title__contains="明天上课")
    assert "2026-03-05 15:00" in reminder.body


def test_a_reminder_is_sent_once_the_day_before(tc, learner):
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    session = ClassSession.objects.get(talent_class=tc)
    assert svc.sessions_due_for_reminder(now=MONDAY) == []  # 31 hours ahead
    due = svc.sessions_due_for_reminder(now=at(0, 15, 30))
    assert due == [(session.pk, session.starts_at)]
    assert svc.session_remind(session_id=session.pk, starts_at=session.starts_at) == 1
    assert svc.sessions_due_for_reminder(now=at(0, 15, 30)) == []


def test_move_refuses_a_past_time_and_needs_a_reason(tc, host):
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    session = ClassSession.objects.get(talent_class=tc)
    with pytest.raises(DomainError, match="已经过去"):
        svc.session_move(session_id=session.pk, actor=host, starts_at=MONDAY - DAY, ends_at=MONDAY - DAY + HOUR,
                         reason="x", now=MONDAY)
    with pytest.raises(DomainError, match="请写明调整的原因"):
        svc.session_move(session_id=session.pk, actor=host, starts_at=at(3, 15), ends_at=at(3, 16), reason=" ",
                         now=MONDAY)


def test_a_host_of_another_studio_cannot_cancel(tc, other_host):
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    session = ClassSession.objects.get(talent_class=tc)
    with pytest.raises(PermissionDenied):
        svc.session_cancel(session_id=session.pk, actor=other_host, reason="不是我的课")


# --- attendance ------------------------------------------------------------------------------------------------

@pytest.fixture
def session(tc):
    svc.class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    return ClassSession.objects.get(talent_class=tc)


def test_one_tap_marks_present_without_javascript(client, session, host, learner):
    client.force_login(host)
    url = reverse("talents:attendance_mark", args=[session.pk])
    response = client.post(url, {"person": learner.person.pk, "present": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("talents:session_attendance", args=[session.pk])
    assert SessionAttendance.objects.get(session=session, person=learner.person).present is True
    response = client.post(url, {"person": learner.person.pk, "present": "0"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.json() == {"person": learner.person.pk, "present": False}
    assert SessionAttendance.objects.get(session=session, person=learner.person).present is False


def test_attendance_refuses_someone_not_enrolled(client, session, host, junyuan):
    stranger = resident(junyuan, "stranger")
    client.force_login(host)
    response = client.post(reverse("talents:attendance_mark", args=[session.pk]),
                           {"person": stranger.person.pk, "present": "1"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400 and "没有报名" in response.json()["error"]
    assert not SessionAttendance.objects.exists()


def test_attendance_is_for_the_class_teachers(client, session, other_host, learner, committee_staff):
    url = reverse("talents:session_attendance", args=[session.pk])
    client.force_login(other_host)
    assert client.get(url).status_code == 403
    client.force_login(learner)
    assert client.get(url).status_code == 403


def test_the_attendance_page_shows_people_consent_and_a_revealed_pickup_contact(client, tc, session, host, junyuan):
    from communities.models import PersonalDataAccess
    from talents.services.classes import photo_consent_set

    gran = resident(junyuan, "gran", "王奶奶")
    kid = with_children(gran, junyuan, ("小明", 2018, 3))
    enrolment_request(talent_class=tc, actor=gran, person_ids=own(gran) + kid, now=MONDAY)
    photo_consent_set(talent_class=tc, person_id=kid[0], actor=gran, consented=True, now=MONDAY)
    client.force_login(host)
    page = client.get(reverse("talents:session_attendance", args=[session.pk])).content.decode()
    assert "小明" in page and "王奶奶" in page and "照片：同意发布" in page and "照片：不同意发布" in page
    from talents.models import Guardianship

    phone = Guardianship.objects.get(child_id=kid[0]).pickup_phone
    assert phone in page  # the teacher sees it in clear, and it is logged
    assert PersonalDataAccess.objects.filter(viewer=host).count() == 1
    assert "attendance.js" in page and "<script>" not in page


def test_closing_a_free_class_records_the_teachers_hours_once(session, host, monkeypatch):
    calls = []
    monkeypatch.setattr(svc, "_record_teacher_hours", lambda s, actor: calls.append((s.pk, actor.pk)))
    with pytest.raises(DomainError, match="课还没开始"):
        svc.attendance_close(session_id=session.pk, actor=host, now=MONDAY)
    assert svc.attendance_close(session_id=session.pk, actor=host, now=session.ends_at)
    assert not svc.attendance_close(session_id=session.pk, actor=host, now=session.ends_at + HOUR)
    session.refresh_from_db()
    assert session.status == Status.HELD and calls == [(session.pk, host.pk)]


def test_a_trial_class_never_records_hours(studio, host):
    trial = make_class(studio, organiser=host, kind=TalentClass.Kind.TRIAL, fee="39.00", fee_includes="材料")
    svc.class_sessions_generate(talent_class=trial, now=MONDAY, weeks=1)
    session = ClassSession.objects.get(talent_class=trial)
    # The real function: it returns before reaching the hours service at all.
    assert svc.attendance_close(session_id=session.pk, actor=host, now=session.ends_at)
    session.refresh_from_db()
    assert session.status == Status.HELD and svc._record_teacher_hours(session, host) == 0
