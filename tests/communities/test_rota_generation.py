"""Shift generation: idempotent, round-robin, groups together, leave skipped, no overlap across rotas,
qualification expiry, fair hours, and a change of the rota that redoes only untouched future shifts."""
import datetime as dt

import pytest

from communities.models import Leave, MemberQualification, Shift, ShiftAssignment, SwapOffer
from communities.selectors.rotas import rota_fairness
from communities.services.rota_generation import pattern_shifts, rota_regenerate
from communities.services.rotas import SlotSpec, leave_record, rota_save

from .rota_helpers import DAY, MONDAY, at, duty, generate, make_rota, members, qualify


def test_monday_is_a_monday():
    assert MONDAY.weekday() == 0


def test_generation_twice_creates_nothing_the_second_time(community, django_assert_max_num_queries):
    rota = make_rota(community, members(community, 3), slots=((9, 12, 1), (14, 17, 1)))
    first = generate(rota, days=14)
    before = duty(rota)
    with django_assert_max_num_queries(5):
        second = generate(rota, days=14)
    assert (first.created, first.assigned) == (28, 28)
    assert (second.created, second.assigned) == (0, 0)
    assert duty(rota) == before
    assert Shift.objects.filter(rota=rota).count() == 28


def test_queries_do_not_grow_with_the_number_of_shifts(community, other_community):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_rota(community, members(community, 3), slots=((9, 12, 1),))
    big = make_rota(other_community, members(other_community, 3, prefix="big"),
                    slots=((0, 8, 1), (8, 16, 1), (16, 0, 1)))
    with CaptureQueriesContext(connection) as few:
        assert generate(small, days=2).created == 2
    with CaptureQueriesContext(connection) as many:
        assert generate(big, days=365).created == 3 * 365
    assert len(many) == len(few)
    # The bulk writes are counted too: one COPY per table, whatever the number of rows.
    assert [q["sql"].split(" (")[0] for q in many.captured_queries if q["sql"].startswith("COPY")] == [
        "COPY communities_shift", "COPY communities_shiftassignment"]


def test_round_robin_in_member_order(community):
    rota = make_rota(community, members(community, 3))
    generate(rota, days=6)
    assert [names for _, names in duty(rota)] == [["duty0"], ["duty1"], ["duty2"], ["duty0"], ["duty1"], ["duty2"]]


def test_rolling_generation_continues_the_turn(community):
    rota = make_rota(community, members(community, 3))
    generate(rota, days=2)
    generate(rota, days=6)  # the next run, a wider horizon: the turn goes on from duty2
    assert [names for _, names in duty(rota)] == [["duty0"], ["duty1"], ["duty2"], ["duty0"], ["duty1"], ["duty2"]]


def test_a_group_is_on_duty_together(community):
    users = members(community, 4)
    rota = make_rota(community, users, slots=((9, 12, 2),), groups=["甲", "甲", "乙", "乙"])
    generate(rota, days=4)
    assert [names for _, names in duty(rota)] == [["duty0", "duty1"], ["duty2", "duty3"]] * 2


def test_people_per_shift(community):
    rota = make_rota(community, members(community, 5), slots=((9, 12, 2),))
    generate(rota, days=5)
    shifts = duty(rota)
    assert all(len(names) == 2 for _, names in shifts)
    counts = [sum(name in names for _, names in shifts) for name in (f"duty{i}" for i in range(5))]
    assert counts == [2, 2, 2, 2, 2]


def test_leave_is_skipped_and_the_turn_is_made_up(community):
    users = members(community, 3)
    Leave.objects.create(user=users[1], starts_at=at(0, 0), ends_at=at(2, 0), reason="回老家")
    rota = make_rota(community, users)
    generate(rota, days=6)
    shifts = duty(rota)
    assert "duty1" not in shifts[0][1] + shifts[1][1]
    counts = [sum(f"duty{i}" in names for _, names in shifts) for i in range(3)]
    assert counts == [2, 2, 2]


def test_never_two_overlapping_shifts_across_rotas(community):
    users = members(community, 2)
    patrol = make_rota(community, users, name="夜间巡逻", slots=((8, 12, 1),))
    room = make_rota(community, users, name="调解室", slots=((10, 14, 1),))
    generate(patrol, days=7)
    generate(room, days=7)
    for assignment in ShiftAssignment.objects.filter(shift__rota=room).select_related("shift"):
        clash = ShiftAssignment.objects.filter(user=assignment.user, shift__rota=patrol,
                                               shift__starts_at__lt=assignment.shift.ends_at,
                                               shift__ends_at__gt=assignment.shift.starts_at)
        assert not clash.exists()
    # Two members and one daily 8–12 patrol: the one off patrol takes the room, so every room shift is filled.
    assert all(names for _, names in duty(room))


def test_nobody_free_leaves_the_shift_unfilled(community):
    user = members(community, 1)
    patrol = make_rota(community, user, name="巡逻", slots=((8, 12, 1),))
    room = make_rota(community, user, name="调解室", slots=((11, 13, 1),))
    generate(patrol, days=1)
    result = generate(room, days=1)
    assert (result.created, result.assigned, result.unfilled) == (1, 0, 1)


def test_qualification_required_and_unexpired_on_the_shift_date(community):
    users = members(community, 3)
    qualification = qualify(community, users[:1], name="消防培训")
    MemberQualification.objects.create(user=users[1], qualification=qualification,
                                       expires_on=at(2, 0).date())  # valid through Wednesday
    rota = make_rota(community, users, qualification=qualification)
    generate(rota, days=5)
    on_duty = {name for _, names in duty(rota) for name in names}
    assert "duty2" not in on_duty  # never trained
    thursday_on = [names for start, names in duty(rota) if start.date() >= at(3, 0).date()]
    assert all(names == ["duty0"] for names in thursday_on)
    assert ["duty1"] in [names for start, names in duty(rota) if start.date() <= at(2, 0).date()]


def test_overnight_slot_ends_the_next_day(community):
    rota = make_rota(community, members(community, 2), slots=((22, 6, 1),))
    generate(rota, days=1)
    shift = Shift.objects.get(rota=rota)
    assert (shift.starts_at, shift.ends_at) == (at(0, 22), at(1, 6))


def test_rrule_pattern(community):
    rota = make_rota(community, members(community, 2), rrule="FREQ=MONTHLY;BYDAY=1TU")
    generate(rota, days=70)
    starts = [start for start, _ in duty(rota)]
    assert starts == [at(1, 9), at(36, 9), at(64, 9)]  # the first Tuesdays of March, April and May 2026


def test_pattern_starts_after_now(community):
    rota = make_rota(community, members(community, 2), slots=((9, 12, 1), (7, 8, 1)))
    found = pattern_shifts(slots=list(rota.slots.all()), start=MONDAY, until=MONDAY + DAY)
    # Monday 07:00 had started at 08:00.
    assert [(start, day) for _, start, _, day in found] == [(at(0, 9), at(0, 9).date()), (at(1, 7), at(1, 7).date())]


def test_change_regenerates_only_untouched_future_shifts(community, committee_staff):
    users = members(community, 3)
    rota = make_rota(community, users)
    generate(rota, days=7)
    past = ShiftAssignment.objects.get(shift__starts_at=at(0, 9))  # Monday 09:00
    later = MONDAY + dt.timedelta(hours=30)  # Tuesday 14:00: Monday's and Tuesday's shifts are past
    checked_in = ShiftAssignment.objects.get(shift__starts_at=at(2, 9))
    checked_in.checked_in_at = at(2, 8, 45)  # (a test shortcut: checked in ahead of the clock)
    checked_in.save()
    offered = ShiftAssignment.objects.get(shift__starts_at=at(3, 9))
    SwapOffer.objects.create(assignment=offered, offered_by=offered.user)
    reminded = ShiftAssignment.objects.get(shift__starts_at=at(4, 9))
    reminded.reminded_day_before_at = at(3, 9, 5)
    reminded.save()
    kept_ids = {past.shift_id, checked_in.shift_id, offered.shift_id, reminded.shift_id, ShiftAssignment.objects.get(
        shift__starts_at=at(1, 9)).shift_id}
    untouched_before = set(Shift.objects.filter(rota=rota, starts_at__gte=at(5, 0)).values_list("pk", flat=True))

    # The manager moves the shift to the afternoon and drops a member.
    rota_save(actor=committee_staff, community=community, rota=rota,
              fields={"name": rota.name, "kind": rota.kind, "horizon_weeks": 1},
              manager=None, members=[(users[0], ""), (users[2], "")],
              slots=[SlotSpec(id=rota.slots.get().pk, start_time=dt.time(14), end_time=dt.time(17),
                              weekdays=tuple(range(7)), starts_on=MONDAY.date())], now=later)

    remaining = set(Shift.objects.filter(rota=rota).values_list("pk", flat=True))
    assert kept_ids <= remaining
    assert not (untouched_before & remaining)
    new = Shift.objects.filter(rota=rota, starts_at__gte=at(5, 0))
    assert {timezone_hour(s.starts_at) for s in new} == {14}
    assert not ShiftAssignment.objects.filter(shift__in=new, user=users[1]).exists()
    assert Shift.objects.get(pk=past.shift_id).starts_at == at(0, 9)
    # The past and touched shifts keep their people.
    assert ShiftAssignment.objects.get(pk=past.pk).user_id == past.user_id
    assert ShiftAssignment.objects.get(pk=checked_in.pk).checked_in_at == at(2, 8, 45)


def timezone_hour(moment):
    from django.utils import timezone

    return timezone.localtime(moment).hour


def test_regenerate_twice_is_stable(community):
    rota = make_rota(community, members(community, 3))
    generate(rota, days=7)
    rota_regenerate(rota=rota, now=MONDAY)
    first = duty(rota)
    rota_regenerate(rota=rota, now=MONDAY)
    assert duty(rota) == first


def test_leave_recorded_later_takes_the_person_off(community):
    users = members(community, 3)
    rota = make_rota(community, users, slots=((9, 12, 1),))
    rota.horizon_weeks = 1
    rota.save()
    generate(rota, days=7)
    leave_record(user=users[0], starts_at=at(2, 0), ends_at=at(5, 0), reason="住院", now=MONDAY)
    on_leave = ShiftAssignment.objects.filter(user=users[0], shift__starts_at__gte=at(2, 0),
                                              shift__starts_at__lt=at(5, 0))
    assert not on_leave.exists()
    assert ShiftAssignment.objects.filter(user=users[0], shift__starts_at=at(0, 9)).exists()


def test_inactive_rota_generates_nothing(community):
    rota = make_rota(community, members(community, 2))
    rota.active = False
    rota.save()
    assert generate(rota).created == 0


def test_fairness_report(community):
    users = members(community, 3)
    rota = make_rota(community, users, slots=((9, 12, 1), (14, 16, 1)))
    generate(rota, days=6)
    rows = rota_fairness(rota=rota, year=2026, month=3)
    by_name = {row["user"].username: row for row in rows}
    assert sum(row["shifts"] for row in rows) == 12
    assert sum(row["hours"] for row in rows) == pytest.approx(6 * 5)
    assert max(r["hours"] for r in rows) - min(r["hours"] for r in rows) <= 3
    assert set(by_name) == {"duty0", "duty1", "duty2"}


def test_hours_spread_fairly_over_a_year(community):
    rota = make_rota(community, members(community, 4), slots=((8, 16, 1), (16, 20, 1), (20, 8, 1)))
    generate(rota, days=365)
    hours = {}
    for a in ShiftAssignment.objects.filter(shift__rota=rota).select_related("shift", "user"):
        hours[a.user.username] = hours.get(a.user.username, 0) + a.shift.hours
    assert len(hours) == 4
    assert max(hours.values()) - min(hours.values()) <= 12  # within one and a half shifts over 8,760 hours
