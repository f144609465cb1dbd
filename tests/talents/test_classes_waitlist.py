"""The fair waitlist (issue 13 item 4), rule by rule: seats per person, no partial enrolment, offers to the next
entry that fits and still meets the audience rule, expiry and passing on, one-tap leave, staff moves only with a
reason, double submission, only a guardian enrols a child."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import Notification
from communities.services.errors import DomainError
from talents.models import Enrolment, EnrolmentEvent, TalentClass
from talents.services import enrolment as svc

from .classes_world import (  # noqa: F401
    DAY, HOUR, MONDAY, gate_open, host, jy_staff, junyuan, make_class, other_host, own, resident, studio, with_children,
)

S = Enrolment.Status
pytestmark = pytest.mark.django_db


def request(tc, user, people=None, now=MONDAY):
    entry, created = svc.enrolment_request(talent_class=tc, actor=user, person_ids=people or own(user), now=now)
    entry.refresh_from_db()
    return entry


def actions(entry):
    return list(EnrolmentEvent.objects.filter(enrolment=entry).values_list("action", flat=True))


@pytest.fixture
def full_class(studio, host, junyuan):
    """Capacity 3, taken by two entries (one of two people, one of one), nobody waiting."""
    tc = make_class(studio, organiser=host, capacity=3)
    a, b = resident(junyuan, "a"), resident(junyuan, "b")
    request(tc, a, own(a) + with_children(a, junyuan, ("小a", 2018, 5)))
    request(tc, b)
    return tc


def test_an_entry_for_several_people_takes_that_many_seats(studio, host, junyuan):
    tc = make_class(studio, organiser=host, capacity=3)
    grandma = resident(junyuan, "grandma", "王奶奶")
    kids = with_children(grandma, junyuan, ("小明", 2018, 3), ("小红", 2019, 9))
    entry = request(tc, grandma, own(grandma) + kids)
    assert (entry.status, entry.seats, svc.seats_taken(tc)) == (S.ENROLLED, 3, 3)
    assert entry.people.count() == 3 and actions(entry) == ["enrolled"]


def test_an_entry_waits_unless_all_its_seats_fit_never_partly(studio, host, junyuan):
    tc = make_class(studio, organiser=host, capacity=2)
    family = resident(junyuan, "family")
    entry = request(tc, family, own(family) + with_children(family, junyuan, ("甲", 2018, 1), ("乙", 2019, 1)))
    assert entry.status == S.WAITING and entry.enrolled_at is None and svc.seats_taken(tc) == 0
    single = request(tc, resident(junyuan, "single"))
    assert single.status == S.ENROLLED  # the free seats go to an entry that fits, the big one keeps its place


def test_a_full_class_puts_new_entries_on_the_list_in_order(full_class, junyuan):
    c, d = resident(junyuan, "c"), resident(junyuan, "d")
    first, second = request(full_class, c), request(full_class, d)
    assert (first.status, second.status) == (S.WAITING, S.WAITING)
    assert first.position < second.position
    assert actions(first) == ["waitlisted"]


def test_a_freed_seat_is_offered_to_the_next_entry_that_fits(full_class, junyuan):
    family = resident(junyuan, "family")
    big = request(full_class, family, own(family) + with_children(family, junyuan, ("甲", 2018, 1)))
    small = request(full_class, resident(junyuan, "solo"))
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    assert svc.enrolment_leave(entry_id=b_entry.pk, actor=b_entry.account, now=MONDAY + HOUR)
    big.refresh_from_db(), small.refresh_from_db()
    assert big.status == S.WAITING and small.status == S.OFFERED  # one seat free: the pair cannot take it
    assert small.offer_expires_at == MONDAY + HOUR + 24 * HOUR
    passed = EnrolmentEvent.objects.get(enrolment=big, action="passed_over")
    assert passed.data == {"why": "seats", "to": small.pk} and "1 个名额" in passed.note
    note = Notification.objects.get(recipient=small.account)
    assert "候补到名额" in note.title and "24" not in note.title
    assert svc.seats_taken(full_class) == 3  # the offer holds its seat


def test_an_offer_is_made_only_to_entries_that_still_meet_the_audience_rule_on_the_offer_day(studio, host, junyuan):
    tc = make_class(studio, organiser=host, capacity=1, audience=TalentClass.Audience.CHILDREN, age_min=6, age_max=10)
    first = resident(junyuan, "first")
    request(tc, first, with_children(first, junyuan, ("大宝", 2018, 1)))
    # 10 on the request day (2026-03-02), 11 from April 2026.
    older = resident(junyuan, "older")
    ages_out = request(tc, older, with_children(older, junyuan, ("小军", 2015, 4)))
    younger = resident(junyuan, "younger")
    fits = request(tc, younger, with_children(younger, junyuan, ("小美", 2019, 2)))
    assert ages_out.status == fits.status == S.WAITING
    leaving = Enrolment.objects.get(talent_class=tc, account=first)
    svc.enrolment_leave(entry_id=leaving.pk, actor=first, now=MONDAY + 40 * DAY)  # 2026-04-11
    ages_out.refresh_from_db(), fits.refresh_from_db()
    assert ages_out.status == S.WAITING and fits.status == S.OFFERED
    skipped = EnrolmentEvent.objects.get(enrolment=ages_out, action="passed_over")
    assert skipped.data["why"] == "audience" and "小军" in skipped.note and "11 岁" in skipped.note


def test_the_audience_rule_refuses_a_child_outside_the_age_range_at_request(studio, host, junyuan):
    tc = make_class(studio, organiser=host, audience=TalentClass.Audience.CHILDREN, age_min=6, age_max=10)
    gran = resident(junyuan, "gran")
    with pytest.raises(DomainError, match="不在本课程的年龄范围"):
        request(tc, gran, with_children(gran, junyuan, ("小不点", 2023, 1)))
    with pytest.raises(DomainError, match="请选择要报名的孩子"):
        request(tc, gran)  # a children's class needs a child on the entry
    assert not Enrolment.objects.filter(talent_class=tc).exists()


def test_an_unanswered_offer_expires_and_passes_on(full_class, junyuan):
    c, d = resident(junyuan, "c"), resident(junyuan, "d")
    first, second = request(full_class, c), request(full_class, d)
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    svc.enrolment_leave(entry_id=b_entry.pk, actor=b_entry.account, now=MONDAY)
    first.refresh_from_db()
    assert first.status == S.OFFERED
    assert svc.class_offers_expire(talent_class_id=full_class.pk, now=MONDAY + 23 * HOUR) == 0  # not yet
    assert svc.class_offers_expire(talent_class_id=full_class.pk, now=MONDAY + 25 * HOUR) == 1
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == S.EXPIRED and second.status == S.OFFERED
    assert actions(first)[-2:] == ["offer", "expire"]
    assert Notification.objects.filter(recipient=c, title__contains="名额已顺延").exists()
    assert Notification.objects.filter(recipient=d, title__contains="候补到名额").exists()
    assert svc.class_offers_expire(talent_class_id=full_class.pk, now=MONDAY + 25 * HOUR) == 0  # idempotent


def test_an_accepted_offer_becomes_an_enrolment_and_a_late_one_passes_on(full_class, junyuan):
    c, d = resident(junyuan, "c"), resident(junyuan, "d")
    first, second = request(full_class, c), request(full_class, d)
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    svc.enrolment_leave(entry_id=b_entry.pk, actor=b_entry.account, now=MONDAY)
    assert svc.offer_accept(entry_id=first.pk, actor=c, now=MONDAY + 2 * HOUR) == svc.ACCEPTED
    first.refresh_from_db()
    assert first.status == S.ENROLLED and actions(first)[-1] == "accept"
    assert svc.offer_accept(entry_id=first.pk, actor=c, now=MONDAY + 3 * HOUR) == svc.REPEAT
    # Someone else leaves: d is offered, and answers too late.
    a_entry = Enrolment.objects.get(talent_class=full_class, account__username="a")
    svc.enrolment_leave(entry_id=a_entry.pk, actor=a_entry.account, now=MONDAY + 4 * HOUR)
    second.refresh_from_db()
    assert second.status == S.OFFERED
    assert svc.offer_accept(entry_id=second.pk, actor=d, now=MONDAY + 30 * HOUR) == svc.TOO_LATE
    second.refresh_from_db()
    assert second.status == S.EXPIRED


def test_a_declined_offer_passes_on(full_class, junyuan):
    c, d = resident(junyuan, "c"), resident(junyuan, "d")
    first, second = request(full_class, c), request(full_class, d)
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    svc.enrolment_leave(entry_id=b_entry.pk, actor=b_entry.account, now=MONDAY)
    assert svc.offer_decline(entry_id=Enrolment.objects.get(pk=first.pk).pk, actor=c, now=MONDAY + HOUR)
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == S.DECLINED and second.status == S.OFFERED
    with pytest.raises(PermissionDenied):  # only the holder answers an offer
        svc.offer_accept(entry_id=second.pk, actor=c, now=MONDAY + HOUR)


def test_leaving_is_one_tap_and_frees_the_seat_for_the_next(client, full_class, junyuan):
    c = resident(junyuan, "c")
    waiting = request(full_class, c)
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    client.force_login(b_entry.account)
    page = client.get(reverse("talents:class_detail", args=[full_class.pk]))
    assert reverse("talents:entry_leave", args=[b_entry.pk]) in page.content.decode()
    response = client.post(reverse("talents:entry_leave", args=[b_entry.pk]))  # no confirm page
    assert response.status_code == 302
    b_entry.refresh_from_db(), waiting.refresh_from_db()
    assert b_entry.status == S.LEFT and waiting.status == S.OFFERED
    again = client.post(reverse("talents:entry_leave", args=[b_entry.pk]), follow=True)
    assert "您已经退出了" in again.content.decode()


def test_leaving_the_waitlist_is_one_tap_too(client, full_class, junyuan):
    c = resident(junyuan, "c")
    waiting = request(full_class, c)
    client.force_login(c)
    client.post(reverse("talents:entry_leave", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.status == S.LEFT and actions(waiting) == ["waitlisted", "leave"]


def test_someone_else_cannot_leave_my_entry(client, full_class, junyuan):
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    client.force_login(resident(junyuan, "stranger"))
    assert client.post(reverse("talents:entry_leave", args=[b_entry.pk])).status_code == 404
    b_entry.refresh_from_db()
    assert b_entry.status == S.ENROLLED


def test_staff_move_needs_a_reason_which_is_kept_and_shown(client, full_class, junyuan, jy_staff):
    c, d = resident(junyuan, "c"), resident(junyuan, "d")
    first, second = request(full_class, c), request(full_class, d)
    with pytest.raises(DomainError, match="请写明调整的原因"):
        svc.enrolment_staff_move(entry_id=second.pk, actor=jy_staff, to=svc.FRONT, reason="  ")
    second.refresh_from_db()
    assert second.position > first.position and actions(second) == ["waitlisted"]
    client.force_login(jy_staff)
    response = client.post(reverse("talents:entry_staff_move", args=[second.pk]), {"to": "front", "reason": ""},
                           follow=True)
    assert "请写明调整的原因" in response.content.decode()
    client.post(reverse("talents:entry_staff_move", args=[second.pk]),
                {"to": "front", "reason": "孩子是低保家庭，优先安排"})
    second.refresh_from_db()
    assert second.position < first.position
    event = EnrolmentEvent.objects.get(enrolment=second, action="staff_front")
    assert event.note == "孩子是低保家庭，优先安排" and event.actor == jy_staff
    client.force_login(d)
    detail = client.get(reverse("talents:entry_detail", args=[second.pk])).content.decode()
    assert "孩子是低保家庭，优先安排" in detail and "移到候补第一位" in detail
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    svc.enrolment_leave(entry_id=b_entry.pk, actor=b_entry.account, now=MONDAY)
    second.refresh_from_db()
    assert second.status == S.OFFERED  # the moved entry is first now


def test_staff_enrol_refuses_when_the_seats_are_not_there(full_class, junyuan, jy_staff):
    waiting = request(full_class, resident(junyuan, "c"))
    with pytest.raises(DomainError, match="名额不够"):
        svc.enrolment_staff_move(entry_id=waiting.pk, actor=jy_staff, to=svc.ENROL, reason="特殊情况")
    b_entry = Enrolment.objects.get(talent_class=full_class, account__username="b")
    b_entry.status = S.LEFT
    b_entry.save(update_fields=["status"])  # a seat freed without an offer (as if the host had cancelled it)
    assert svc.enrolment_staff_move(entry_id=waiting.pk, actor=jy_staff, to=svc.ENROL, reason="特殊情况")
    waiting.refresh_from_db()
    assert waiting.status == S.ENROLLED


def test_only_staff_move_entries_not_the_host(full_class, junyuan, host, client):
    waiting = request(full_class, resident(junyuan, "c"))
    with pytest.raises(PermissionDenied):
        svc.enrolment_staff_move(entry_id=waiting.pk, actor=host, to=svc.FRONT, reason="我想")
    client.force_login(host)
    assert client.post(reverse("talents:entry_staff_move", args=[waiting.pk]),
                       {"to": "front", "reason": "我想"}).status_code == 403


def test_a_double_submitted_request_makes_one_entry_and_says_so(client, studio, host, junyuan):
    tc = make_class(studio, organiser=host, capacity=5)
    user = resident(junyuan, "twice")
    client.force_login(user)
    url = reverse("talents:class_enrol", args=[tc.pk])
    client.post(url, {"people": own(user)})
    response = client.post(url, {"people": own(user)}, follow=True)
    assert Enrolment.objects.filter(talent_class=tc, account=user).count() == 1
    assert "没有重复报名" in response.content.decode()


def test_only_a_linked_guardian_enrols_a_child(studio, host, junyuan):
    tc = make_class(studio, organiser=host, capacity=5, audience=TalentClass.Audience.CHILDREN)
    parent = resident(junyuan, "parent")
    child = with_children(parent, junyuan, ("小宝", 2019, 6))
    neighbour = resident(junyuan, "neighbour")
    with pytest.raises(DomainError, match="孩子须由监护人报名"):
        request(tc, neighbour, child)
    assert request(tc, parent, child).status == S.ENROLLED


def test_a_child_enrolled_by_one_guardian_is_not_enrolled_again_by_another(studio, host, junyuan):
    from talents.models import Guardianship

    tc = make_class(studio, organiser=host, capacity=5, audience=TalentClass.Audience.CHILDREN)
    mum = resident(junyuan, "mum")
    child = with_children(mum, junyuan, ("小宝", 2019, 6))
    grandpa = resident(junyuan, "grandpa")
    Guardianship.objects.create(guardian=grandpa, child_id=child[0], community=junyuan, relation="grandparent",
                                pickup_phone="13900001111")
    request(tc, mum, child)
    with pytest.raises(DomainError, match="已经在这门课的报名里"):
        request(tc, grandpa, child)


def test_first_come_does_not_take_requests_before_the_opening(studio, host, junyuan):
    tc = make_class(studio, organiser=host, opens_at=MONDAY + DAY)
    with pytest.raises(DomainError, match="开始报名"):
        request(tc, resident(junyuan, "early"))


def test_a_bigger_capacity_offers_the_new_seats(full_class, junyuan, host, gate_open):
    from talents.services.classes import class_update

    waiting = request(full_class, resident(junyuan, "c"))
    data = {f: getattr(full_class, f) for f in ("title", "audience", "capacity", "rrule", "first_starts_at", "kind",
                                               "allocation", "opens_at", "status", "duration_minutes", "offer_hours")}
    data["capacity"] = 4
    class_update(talent_class=full_class, actor=host, data=data, now=MONDAY)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
