"""宝妈轮流's child-to-adult ratio on the core rota engine: a session whose expected children exceed what its adults
on duty may look after alerts the rota's manager once per breach, and the check runs again after every change of
who is on duty (a leave, a swap, a regeneration). The required background check for child contact is enforced by
the engine: an unqualified or lapsed mother is never put on duty and cannot take a swap."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from communities.models import Notification, Role, Rota, Shift, ShiftAssignment
from communities.services.errors import DomainError
from communities.services.rota_duty import swap_offer, swap_take, take_refusal
from communities.services.rota_ratio import shift_children_set, shift_ratio_check
from communities.services.rotas import leave_record

from ..factories import make_member
from .rota_helpers import HOUR, MONDAY, at, generate, make_rota, members, qualify

CHECK = "未成年人接触背景核查"


@pytest.fixture
def manager(community):
    return make_member(community, Role.TALENT, username="talent_mgr", name="书香主理人")


@pytest.fixture
def mothers(community):
    return members(community, 4, prefix="mum", role=Role.VOLUNTEER)


@pytest.fixture
def rota(community, manager, mothers):
    check = qualify(community, mothers, name=CHECK, expires_on=dt.date(2027, 3, 1))
    rota = make_rota(community, mothers, name="宝妈志愿授课", kind=Rota.Kind.TEACHING, slots=((16, 18, 2),),
                     manager=manager, qualification=check)
    Rota.objects.filter(pk=rota.pk).update(children_per_adult=6)
    rota.refresh_from_db()
    generate(rota, days=7)
    return rota


def shift_on(rota, day) -> Shift:
    return Shift.objects.get(rota=rota, starts_at=at(day, 16))


def alerts(user) -> int:
    return Notification.objects.filter(recipient=user, title__startswith="师生比不足").count()


def test_within_the_ratio_nobody_is_alerted(rota, manager):
    shift = shift_on(rota, 1)
    assert shift.assignments.count() == 2
    assert shift_children_set(shift=shift, count=12, actor=manager, now=MONDAY)
    assert alerts(manager) == 0
    assert not shift_children_set(shift=shift, count=12, actor=manager, now=MONDAY)  # the same count again


def test_a_breach_alerts_once_and_a_new_breach_after_recovery_alerts_again(rota, manager):
    shift = shift_on(rota, 1)
    shift_children_set(shift=shift, count=13, actor=manager, now=MONDAY)
    assert alerts(manager) == 1
    note = Notification.objects.get(recipient=manager)
    assert "2名成人对应13名儿童，要求不超过1:6" in note.body and note.url.endswith(f"/shifts/{shift.pk}/")
    shift_children_set(shift=shift, count=14, actor=manager, now=MONDAY)  # still the same breach
    assert shift_ratio_check(shift_id=shift.pk, now=MONDAY) is False  # a repeated check tells nothing
    assert alerts(manager) == 1
    shift_children_set(shift=shift, count=10, actor=manager, now=MONDAY)  # back within the ratio
    shift.refresh_from_db()
    assert shift.ratio_alerted_at is None
    shift_children_set(shift=shift, count=13, actor=manager, now=MONDAY)
    assert alerts(manager) == 2


def test_an_adult_on_leave_leaves_the_session_below_the_ratio_and_the_count_survives(community, manager, mothers):
    pair = mothers[:2]  # nobody else to stand in
    rota = make_rota(community, pair, name="周末绘本", kind=Rota.Kind.TEACHING, slots=((9, 11, 2),),
                     manager=manager, qualification=qualify(community, pair, name=CHECK))
    Rota.objects.filter(pk=rota.pk).update(children_per_adult=6)
    generate(rota, days=7)
    shift = Shift.objects.get(rota=rota, starts_at=at(2, 9))
    shift_children_set(shift=shift, count=10, actor=manager, now=MONDAY)
    assert alerts(manager) == 0
    leave_record(user=pair[0], starts_at=at(2, 0), ends_at=at(3, 0), reason="孩子生病", now=MONDAY)
    again = Shift.objects.get(rota=rota, starts_at=at(2, 9))  # regenerated: the same session
    assert list(again.assignments.values_list("user_id", flat=True)) == [pair[1].pk]
    assert again.children_expected == 10
    assert alerts(manager) == 1
    assert "1名成人对应10名儿童，要求不超过1:6" in Notification.objects.get(recipient=manager).body
    # Regenerating again (another change to the rota) is the same breach: no second alert.
    leave_record(user=pair[0], starts_at=at(4, 0), ends_at=at(5, 0), now=MONDAY)
    assert alerts(manager) == 1


def test_the_check_runs_again_after_a_swap(rota, manager, mothers):
    shift = shift_on(rota, 3)
    # A count written without the service (an import, an old row): no alert yet.
    Shift.objects.filter(pk=shift.pk).update(children_expected=20)
    mine = shift.assignments.order_by("id").first()
    taker = next(m for m in mothers if not ShiftAssignment.objects.filter(
        user=m, shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at).exists())
    offer, _ = swap_offer(assignment_id=mine.pk, actor=mine.user, now=MONDAY)
    swap_take(offer_id=offer.pk, actor=taker, now=MONDAY + HOUR)
    assert alerts(manager) == 1
    swap_back, _ = swap_offer(assignment_id=mine.pk, actor=taker, now=MONDAY + HOUR)
    swap_take(offer_id=swap_back.pk, actor=mine.user, now=MONDAY + 2 * HOUR)
    assert alerts(manager) == 1  # the same breach: told once


def test_a_session_that_is_over_alerts_nobody(rota, manager):
    shift = shift_on(rota, 0)
    Shift.objects.filter(pk=shift.pk).update(children_expected=30)
    assert shift_ratio_check(shift_id=shift.pk, now=at(1, 9)) is False
    with pytest.raises(DomainError):
        shift_children_set(shift=shift, count=5, actor=manager, now=at(1, 9))


def test_only_the_manager_sets_the_count_and_bad_numbers_are_refused(rota, mothers, manager):
    shift = shift_on(rota, 1)
    with pytest.raises(PermissionDenied):
        shift_children_set(shift=shift, count=5, actor=mothers[0], now=MONDAY)
    with pytest.raises(DomainError, match="0 到 200"):
        shift_children_set(shift=shift, count=500, actor=manager, now=MONDAY)
    shift.refresh_from_db()
    assert shift.children_expected is None


@pytest.fixture
def live_shift(community, manager, mothers):
    """A coming session as the pages see it (they run on the real clock): two mothers on duty."""
    check = qualify(community, mothers, name=CHECK)
    rota = make_rota(community, mothers, name="宝妈志愿授课（页面）", kind=Rota.Kind.TEACHING, slots=((16, 18, 2),),
                     manager=manager, qualification=check)
    Rota.objects.filter(pk=rota.pk).update(children_per_adult=6)
    now = timezone.now()
    generate(rota, days=7, now=now)
    return Shift.objects.filter(rota=rota, starts_at__gt=now + dt.timedelta(days=1)).order_by("starts_at").first()


def test_the_shift_page_and_the_rota_page_show_the_breach(client, live_shift, manager):
    shift, rota = live_shift, live_shift.rota
    client.force_login(manager)
    response = client.post(reverse("communities:shift_children", args=[shift.pk]), {"children_expected": "13"})
    assert response.status_code == 302
    page = client.get(reverse("communities:shift_detail", args=[shift.pk])).content.decode()
    assert "低于师生比：2名成人对应13名儿童，要求不超过1:6" in page
    week = client.get(reverse("communities:rota_calendar", args=[rota.pk]),
                      {"week": f"{timezone.localdate(shift.starts_at):%Y-%m-%d}"}).content.decode()
    assert "低于师生比：2名成人对应13名儿童" in week and "《未成年人保护法》第六十二条" in week
    response = client.post(reverse("communities:shift_children", args=[shift.pk]), {"children_expected": "十三"},
                           follow=True)
    assert "请填写儿童人数" in response.content.decode()
    shift.refresh_from_db()
    assert shift.children_expected == 13


def test_a_mother_cannot_set_the_count_and_another_community_gets_404(client, live_shift, mothers, outsider):
    shift = live_shift
    client.force_login(mothers[0])
    assert client.post(reverse("communities:shift_children", args=[shift.pk]),
                       {"children_expected": "3"}).status_code == 403
    assert "保存人数" not in client.get(reverse("communities:shift_detail", args=[shift.pk])).content.decode()
    client.force_login(outsider)
    assert client.post(reverse("communities:shift_children", args=[shift.pk]),
                       {"children_expected": "3"}).status_code in (403, 404)
    shift.refresh_from_db()
    assert shift.children_expected is None


def test_the_engine_keeps_mothers_without_a_valid_background_check_off_duty(community, manager):
    checked, unchecked, lapsed = members(community, 3, prefix="mama", role=Role.VOLUNTEER)
    check = qualify(community, [checked], name=CHECK, expires_on=dt.date(2027, 3, 1))
    qualify(community, [lapsed], name=CHECK, expires_on=dt.date(2026, 3, 3))  # lapses on Tuesday
    rota = make_rota(community, [checked, unchecked, lapsed], name="阅读辅导", kind=Rota.Kind.TEACHING,
                     slots=((16, 18, 1),), manager=manager, qualification=check)
    generate(rota, days=7)
    on_duty = set(ShiftAssignment.objects.filter(shift__rota=rota).values_list("user__username", flat=True))
    assert unchecked.username not in on_duty
    later = Shift.objects.filter(rota=rota, starts_at__gte=at(3, 0)).first()
    assert not later.assignments.filter(user=lapsed).exists()
    assert "还没有" in str(take_refusal(shift=later, user=unchecked))
    assert "过期" in str(take_refusal(shift=later, user=lapsed))
