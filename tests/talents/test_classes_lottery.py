"""The lottery: requests made before the opening are drawn at the opening with a stored seed, in a recorded order
that staff can reproduce; requests after the opening are first come, behind the drawn ones."""
import pytest
from django.urls import reverse

from communities.services.errors import DomainError
from talents.lottery import lottery_order
from talents.models import Enrolment, EnrolmentEvent, TalentClass
from talents.services import enrolment as svc

from .classes_world import (  # noqa: F401
    DAY, HOUR, MONDAY, frozen, host, jy_staff, junyuan, make_class, own, resident, studio, with_children,
)

S = Enrolment.Status
OPENS = MONDAY + 2 * DAY
SEED = 20260304
pytestmark = pytest.mark.django_db


@pytest.fixture
def lottery(studio, host):
    return make_class(studio, organiser=host, capacity=3, allocation=TalentClass.Allocation.LOTTERY, opens_at=OPENS)


def ask(tc, user, people=None, now=MONDAY):
    return svc.enrolment_request(talent_class=tc, actor=user, person_ids=people or own(user), now=now)[0]


@pytest.fixture
def requested(lottery, junyuan):
    """Five entries made before the opening: four of one person, one of two."""
    entries = [ask(lottery, resident(junyuan, f"r{i}")) for i in range(4)]
    pair = resident(junyuan, "pair")
    entries.append(ask(lottery, pair, own(pair) + with_children(pair, junyuan, ("小双", 2018, 8))))
    return entries


def test_requests_before_the_opening_wait_for_the_draw(lottery, requested):
    assert {e.status for e in requested} == {S.REQUESTED}
    assert all(e.position is None for e in requested)
    assert svc.seats_taken(lottery) == 0
    event = EnrolmentEvent.objects.get(enrolment=requested[0])
    assert event.action == "requested" and event.data["draw_at"] == OPENS.isoformat()


def test_the_draw_is_seeded_recorded_and_reproducible(lottery, requested):
    assert svc.class_lottery_draw(talent_class_id=lottery.pk, now=OPENS, seed=SEED)
    lottery.refresh_from_db()
    expected = lottery_order([e.pk for e in requested], SEED)
    assert lottery.lottery_seed == SEED and lottery.lottery_order == expected and lottery.lottery_drawn_at == OPENS
    # The same seed on the same ids, in any order given, gives the same order: anyone can redo it.
    assert lottery_order(reversed([e.pk for e in requested]), SEED) == expected
    by_position = list(Enrolment.objects.filter(talent_class=lottery).order_by("position")
                       .values_list("pk", flat=True))
    assert by_position == expected
    for rank, pk in enumerate(expected, start=1):
        draw = EnrolmentEvent.objects.get(enrolment_id=pk, action="draw")
        assert draw.data == {"seed": SEED, "rank": rank, "order": expected} and str(SEED) in draw.note


def test_the_draw_gives_the_seats_in_the_drawn_order_never_partly(lottery, requested):
    svc.class_lottery_draw(talent_class_id=lottery.pk, now=OPENS, seed=SEED)
    entries = {e.pk: e for e in Enrolment.objects.filter(talent_class=lottery)}
    free, expected_enrolled = 3, []
    for pk in lottery_order(entries, SEED):  # the rule, computed by hand from the order
        if entries[pk].seats <= free:
            expected_enrolled.append(pk)
            free -= entries[pk].seats
    enrolled = [pk for pk, e in entries.items() if e.status == S.ENROLLED]
    assert sorted(enrolled) == sorted(expected_enrolled)
    assert svc.seats_taken(lottery) == 3 - free
    assert all(e.status in (S.ENROLLED, S.WAITING) for e in entries.values())


def test_a_second_draw_changes_nothing(lottery, requested):
    assert svc.class_lottery_draw(talent_class_id=lottery.pk, now=OPENS, seed=SEED)
    assert not svc.class_lottery_draw(talent_class_id=lottery.pk, now=OPENS + HOUR, seed=1)
    lottery.refresh_from_db()
    assert lottery.lottery_seed == SEED
    assert EnrolmentEvent.objects.filter(enrolment__talent_class=lottery, action="draw").count() == len(requested)


def test_no_draw_before_the_opening(lottery, requested):
    with pytest.raises(DomainError, match="报名开始时才能抽签"):
        svc.class_lottery_draw(talent_class_id=lottery.pk, now=OPENS - HOUR)


def test_a_request_after_the_opening_comes_behind_the_drawn_ones(lottery, requested, junyuan):
    late = ask(lottery, resident(junyuan, "late"), now=OPENS + HOUR)  # the beat has not drawn yet: drawn first
    lottery.refresh_from_db()
    assert lottery.lottery_drawn_at == OPENS + HOUR and late.pk not in lottery.lottery_order
    late.refresh_from_db()
    assert late.status == S.WAITING
    drawn_positions = Enrolment.objects.filter(pk__in=lottery.lottery_order).values_list("position", flat=True)
    assert late.position > max(drawn_positions)


def test_staff_see_the_seed_and_the_recomputed_order(client, lottery, requested, jy_staff):
    svc.class_lottery_draw(talent_class_id=lottery.pk, now=OPENS, seed=SEED)
    client.force_login(jy_staff)
    page = client.get(reverse("talents:class_lottery", args=[lottery.pk])).content.decode()
    assert str(SEED) in page and "按种子重算的顺序与记录一致" in page
    assert ", ".join(str(pk) for pk in lottery_order([e.pk for e in requested], SEED)) in page


def test_the_lottery_page_is_for_staff_only(client, lottery, host, committee_staff):
    client.force_login(host)
    assert client.get(reverse("talents:class_lottery", args=[lottery.pk])).status_code == 403
    client.force_login(committee_staff)  # staff of another community (蓉庭)
    assert client.get(reverse("talents:class_lottery", args=[lottery.pk])).status_code == 404


def test_the_class_page_publishes_the_rule_before_the_opening(client, lottery, junyuan, frozen):
    client.force_login(resident(junyuan, "reader"))
    page = client.get(reverse("talents:class_detail", args=[lottery.pk])).content.decode()
    assert "名额分配规则（开始报名前公布）" in page and "抽签" in page and "2026-03-04 08:00" in page
    assert "登记参加抽签" in page
