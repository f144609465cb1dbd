"""The classes area's beat tasks: each fan-out queues one task per thing due, and each task is safe twice."""
import pytest

from talents import tasks
from talents.models import ClassSession, Enrolment, TalentClass
from talents.services.enrolment import enrolment_leave, enrolment_request
from talents.services.sessions import class_sessions_generate

from .classes_world import (  # noqa: F401
    DAY, HOUR, MONDAY, at, host, junyuan, make_class, own, resident, studio,
)

pytestmark = pytest.mark.django_db


def queued(monkeypatch, task):
    calls = []
    monkeypatch.setattr(task, "delay", lambda *args: calls.append(args))
    return calls


def clock(monkeypatch, now):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: now)


def test_offers_past_their_deadline_are_passed_on_by_the_beat(monkeypatch, studio, host, junyuan):
    tc = make_class(studio, organiser=host, capacity=1)
    first, second, third = (resident(junyuan, n) for n in ("first", "second", "third"))
    for user in (first, second, third):
        enrolment_request(talent_class=tc, actor=user, person_ids=own(user), now=MONDAY)
    enrolment_leave(entry_id=Enrolment.objects.get(account=first).pk, actor=first, now=MONDAY)
    calls = queued(monkeypatch, tasks.expire_class_offers)
    clock(monkeypatch, MONDAY + 2 * HOUR)
    tasks.start_offer_expiry()
    assert calls == []
    clock(monkeypatch, MONDAY + 25 * HOUR)
    tasks.start_offer_expiry()
    assert calls == [(tc.pk,)]
    monkeypatch.undo()
    tasks.expire_class_offers.run(tc.pk)  # the real clock is long past the deadline
    tasks.expire_class_offers.run(tc.pk)
    statuses = dict(Enrolment.objects.filter(talent_class=tc).values_list("account__username", "status"))
    assert statuses == {"first": "left", "second": "expired", "third": "offered"}


def test_due_lotteries_are_drawn_once(monkeypatch, studio, host, junyuan):
    tc = make_class(studio, organiser=host, allocation=TalentClass.Allocation.LOTTERY, opens_at=MONDAY + DAY)
    user = resident(junyuan, "early")
    enrolment_request(talent_class=tc, actor=user, person_ids=own(user), now=MONDAY)
    calls = queued(monkeypatch, tasks.draw_lottery)
    clock(monkeypatch, MONDAY)
    tasks.start_lottery_draws()
    assert calls == []
    clock(monkeypatch, MONDAY + DAY)
    tasks.start_lottery_draws()
    assert calls == [(tc.pk,)]
    tasks.draw_lottery.run(tc.pk)
    tasks.draw_lottery.run(tc.pk)
    tc.refresh_from_db()
    assert tc.lottery_drawn_at == MONDAY + DAY and Enrolment.objects.get(account=user).status == "enrolled"


def test_sessions_are_generated_and_reminded_by_the_beat(monkeypatch, studio, host, junyuan):
    tc = make_class(studio, organiser=host)
    calls = queued(monkeypatch, tasks.generate_class_sessions)
    tasks.start_class_sessions_generation()
    assert calls == [(tc.pk,)]
    class_sessions_generate(talent_class=tc, now=MONDAY, weeks=1)
    user = resident(junyuan, "learner")
    enrolment_request(talent_class=tc, actor=user, person_ids=own(user), now=MONDAY)
    session = ClassSession.objects.get(talent_class=tc)
    reminders = queued(monkeypatch, tasks.remind_session)
    clock(monkeypatch, at(0, 16))
    tasks.start_session_reminders()
    assert reminders == [(session.pk, session.starts_at.isoformat())]
    tasks.remind_session.run(*reminders[0])
    tasks.remind_session.run(*reminders[0])
    from communities.models import Notification

    assert Notification.objects.filter(recipient=user, title__contains="明天上课").count() == 1
