"""Demo data for the volunteer-hours record (平台记录) and one certificate (证明), after the rotas:

郡园: the mothers (mum1 … mum6) taught reading and homework in pairs on Tuesdays and Saturdays for the last twelve
weeks; each past session is a Shift of the teaching rota they checked in and out of, so their hours come from the
real check-out path (``shift_hours_record``). One mother checked out late (over 1.5× the slot: 待审核); one asked
for a correction and staff corrected her entry (the old row kept); staff typed in a reading-corner clean-up that
waits for a second person (待确认); mum1's certificate for her first two months was published on the notice board
ten days ago and issued three days ago with the register's first number of the year.

A community that already has hours is left alone, so a second run creates nothing.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import Community, Rota, Shift, ShiftAssignment, User, VolunteerHours
from ..services.hours import (
    certificate_issue, certificate_propose, hours_correct, hours_correction_request, hours_enter_manual,
    shift_hours_record,
)

MOTHER_PAIRS = (("mum1", "mum2"), ("mum3", "mum4"), ("mum5", "mum6"))
WEEKS = 12
LATE_SESSION = 5       # the session whose second mother checked out late
CORRECTED_SESSION = 8  # the session whose first mother asked for a correction


def _slot_for(rota: Rota, weekday: int):
    return next((s for s in rota.slots.all() if weekday in s.weekdays), None)


def _past_sessions(rota: Rota, *, now) -> list[tuple]:
    """(slot, starts_at, ends_at) of the rota's Tuesday and Saturday sessions in the last WEEKS weeks."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    sessions = []
    for days_back in range(WEEKS * 7, 0, -1):
        day = today - dt.timedelta(days=days_back)
        if day.weekday() not in (1, 5):
            continue
        slot = _slot_for(rota, day.weekday())
        if slot is None:
            continue
        starts = dt.datetime.combine(day, slot.start_time, tzinfo=tz)
        sessions.append((slot, starts, dt.datetime.combine(day, slot.end_time, tzinfo=tz)))
    return sessions


def _teach(*, rota, slot, starts, ends, users, index: int) -> list:
    shift, _ = Shift.objects.get_or_create(rota=rota, slot=slot, starts_at=starts,
                                           defaults={"ends_at": ends, "people": 2})
    entries = []
    for k, user in enumerate(users):
        checked_in = starts - dt.timedelta(minutes=5 + k * 3)
        checked_out = ends + dt.timedelta(minutes=2 + (index % 4))
        if index == LATE_SESSION and k == 1:
            checked_out = ends + dt.timedelta(minutes=110)  # forgot to check out: waits for review
        if index == CORRECTED_SESSION and k == 0:
            checked_out = ends + dt.timedelta(minutes=40)
        assignment, _ = ShiftAssignment.objects.get_or_create(
            shift=shift, user=user, defaults={"checked_in_at": checked_in, "checked_out_at": checked_out})
        entry, _ = shift_hours_record(assignment=assignment, now=checked_out)
        entries.append(entry)
    return entries


def demo_hours_seed(*, now=None) -> int:
    """Returns the number of entries created."""
    now = now or timezone.now()
    community = Community.objects.filter(slug="junyuan").first()
    rota = Rota.objects.filter(community=community, kind=Rota.Kind.TEACHING).first() if community else None
    if rota is None or VolunteerHours.objects.filter(community=community).exists():
        return 0
    users = User.objects.in_bulk([u for pair in MOTHER_PAIRS for u in pair] + ["staff_junyuan", "talent"],
                                 field_name="username")
    staff = users["staff_junyuan"]
    with transaction.atomic():
        corrected = None
        for index, (slot, starts, ends) in enumerate(_past_sessions(rota, now=now)):
            pair = [users[name] for name in MOTHER_PAIRS[index % len(MOTHER_PAIRS)]]
            entries = _teach(rota=rota, slot=slot, starts=starts, ends=ends, users=pair, index=index)
            if index == CORRECTED_SESSION:
                corrected = entries[0]
        if corrected is not None:
            asked = corrected.ends_at + dt.timedelta(days=1)
            request, _ = hours_correction_request(entry=corrected, actor=corrected.volunteer, now=asked, message=(
                "那天课后和家长聊了半小时才签退，实际授课只到 18:00，请按 90 分钟记。"))
            hours_correct(entry=corrected, actor=staff, minutes=90 + 5, request=request,
                          reason="志愿者申请：签退晚于下课，按签到到下课计。", now=asked + dt.timedelta(hours=3))
        day = timezone.localdate(now) - dt.timedelta(days=2)
        tz = timezone.get_current_timezone()
        hours_enter_manual(actor=staff, volunteer=users["mum3"], community=community, activity="书香工作室读书角整理",
                           place="党群服务中心 书香工作室",
                           starts_at=dt.datetime.combine(day, dt.time(14, 0), tzinfo=tz),
                           ends_at=dt.datetime.combine(day, dt.time(16, 0), tzinfo=tz), now=now)
        sessions = _past_sessions(rota, now=now)
        if sessions:
            first_day = timezone.localdate(sessions[0][1])
            notice = now - dt.timedelta(days=10)
            period_to = min(first_day + dt.timedelta(days=60), timezone.localdate(notice) - dt.timedelta(days=1))
            certificate = certificate_propose(actor=staff, community=community, volunteer=users["mum1"],
                                              period_from=first_day, period_to=period_to, person_in_charge="周敏",
                                              now=notice)
            certificate_issue(certificate=certificate, actor=staff, now=now - dt.timedelta(days=3))
    return VolunteerHours.objects.filter(community=community).count()
