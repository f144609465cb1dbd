"""Turn a rota's pattern into shifts and put members on them.

Idempotent: the unique key (rota, slot, starts_at) names each shift, existing keys are skipped, so a
second run creates nothing. The rota row is locked, and so are its members' user rows, so that two
generations that share a member (two rotas, or the same rota twice) run one after the other and never
put one person on two overlapping shifts. All writes are bulk: the number of queries does not grow
with the number of shifts.
"""
import datetime as dt
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from operator import attrgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import rota_copy
from ..models import Leave, MemberQualification, Rota, RotaSlot, Shift, ShiftAssignment, SwapOffer, User
from ..recurrence import starts_between
from .rota_ratio import rota_ratio_recheck

BATCH_SIZE = 5000
# Hours already worked on this rota this long before the window count toward fairness, so that the
# rolling generation (a day more each run) continues the turn instead of starting it again.
FAIRNESS_LOOKBACK = dt.timedelta(days=28)
FAR_PAST = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class GenerationResult:
    created: int = 0
    assigned: int = 0
    unfilled: int = 0
    deleted: int = 0


# --- the pattern --------------------------------------------------------------------------------

def slot_days(slot: RotaSlot, first: dt.date, last: dt.date) -> list[dt.date]:
    """The local dates from ``first`` to ``last`` (inclusive) on which the slot has a shift."""
    first = max(first, slot.starts_on)
    if first > last:
        return []
    if slot.rrule:
        combine = dt.datetime.combine
        hits = starts_between(slot.rrule, dtstart=combine(slot.starts_on, slot.start_time),
                              first=combine(first, dt.time.min), last=combine(last, dt.time.max))
        return sorted({hit.date() for hit in hits})
    weekdays = set(slot.weekdays or [])
    days, day = [], first
    while day <= last:
        if day.weekday() in weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def slot_times(slot: RotaSlot, day: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
    starts_at = dt.datetime.combine(day, slot.start_time, tzinfo=tz)
    # An end at or before the start ends the next day (a night patrol 22:00–06:00).
    end_day = day + dt.timedelta(days=1) if slot.end_time <= slot.start_time else day
    return starts_at, dt.datetime.combine(end_day, slot.end_time, tzinfo=tz)


def pattern_shifts(*, slots, start: dt.datetime, until: dt.datetime) -> list[tuple]:
    """(slot, starts_at, ends_at, local date) of each shift of the pattern starting in [start, until), by time."""
    tz = local_tz()
    # Compared in one time zone object, aware datetimes compare without a UTC-offset call each.
    start, until = timezone.localtime(start, tz), timezone.localtime(until, tz)
    found = []
    combine, one_day = dt.datetime.combine, dt.timedelta(days=1)
    for slot in slots:
        # As slot_times, inlined: this runs once per shift (219,000 times for the benchmark's year).
        start_time, end_time = slot.start_time, slot.end_time
        overnight = end_time <= start_time
        for day in slot_days(slot, start.date(), until.date()):
            starts_at = combine(day, start_time, tzinfo=tz)
            if start <= starts_at < until:
                found.append((slot, starts_at, combine(day + one_day if overnight else day, end_time, tzinfo=tz), day))
    found.sort(key=_pattern_order)
    return found


def _pattern_order(item):
    return item[1], item[0].pk


# --- who is free ----------------------------------------------------------------------------------

@dataclass
class Calendar:
    """Per person: shifts already held (sorted, never overlapping), leave, and qualification expiry."""

    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)
    leave: dict[int, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)
    # user id -> expiry date (None: never expires); only filled when the rota needs a qualification.
    qualified_until: dict[int, dt.date | None] | None = None

    def free(self, user_id: int, starts_at, ends_at) -> bool:
        leaves = self.leave.get(user_id)
        if leaves and any(s < ends_at and e > starts_at for s, e in leaves):
            return False
        held = self.busy.get(user_id)
        if not held:
            return True
        # Held shifts do not overlap, so the latest one starting before ends_at also ends last among them.
        i = bisect_left(held, (ends_at, ends_at))
        return i == 0 or held[i - 1][1] <= starts_at

    def qualified(self, user_id: int, day: dt.date) -> bool:
        if self.qualified_until is None:
            return True
        if user_id not in self.qualified_until:
            return False
        expires = self.qualified_until[user_id]
        return expires is None or expires >= day

    def take(self, user_id: int, starts_at, ends_at) -> None:
        insort(self.busy.setdefault(user_id, []), (starts_at, ends_at))


def load_calendar(*, rota: Rota, user_ids: list[int], lo, hi) -> Calendar:
    cal = Calendar()
    held = ShiftAssignment.objects.filter(user_id__in=user_ids, shift__ends_at__gt=lo, shift__starts_at__lt=hi)
    for user_id, s, e in held.values_list("user_id", "shift__starts_at", "shift__ends_at").order_by("shift__starts_at"):
        cal.busy.setdefault(user_id, []).append((s, e))
    leaves = Leave.objects.filter(user_id__in=user_ids, ends_at__gt=lo, starts_at__lt=hi)
    for user_id, s, e in leaves.values_list("user_id", "starts_at", "ends_at"):
        cal.leave.setdefault(user_id, []).append((s, e))
    if rota.required_qualification_id:
        cal.qualified_until = dict(MemberQualification.objects.filter(
            qualification_id=rota.required_qualification_id, user_id__in=user_ids).values_list("user_id", "expires_on"))
    return cal


# --- whose turn -------------------------------------------------------------------------------------

@dataclass
class Turn:
    """Members on duty together: one person, or a group. ``hours`` and ``last`` make the turn fair."""

    user_ids: list[int]
    order: int
    hours: float = 0.0
    last: dt.datetime = FAR_PAST



# Fewest hours first, then the one whose last duty is longest ago, then the rota's order: with equal
# shifts and everyone free this is plain round-robin.
FAIR_ORDER = attrgetter("hours", "last", "order")


def member_turns(rota: Rota) -> list[Turn]:
    turns, groups = [], {}
    for user_id, order, group in rota.members.order_by("order", "id").values_list("user_id", "order", "group"):
        if group:
            if group not in groups:
                groups[group] = Turn(user_ids=[], order=order)
                turns.append(groups[group])
            groups[group].user_ids.append(user_id)
        else:
            turns.append(Turn(user_ids=[user_id], order=order))
    return turns


def load_history(*, rota: Rota, turns: list[Turn], since) -> None:
    hours, last = {}, {}
    rows = ShiftAssignment.objects.filter(shift__rota=rota, shift__starts_at__gte=since)
    for user_id, s, e in rows.values_list("user_id", "shift__starts_at", "shift__ends_at"):
        hours[user_id] = hours.get(user_id, 0.0) + (e - s).total_seconds() / 3600
        last[user_id] = max(last.get(user_id, FAR_PAST), s)
    for turn in turns:
        turn.hours = sum(hours.get(u, 0.0) for u in turn.user_ids) / len(turn.user_ids)
        turn.last = max((last.get(u, FAR_PAST) for u in turn.user_ids), default=FAR_PAST)
    # A newcomer starts level with the others rather than owing them every shift until caught up.
    veterans = [t.hours for t in turns if t.last != FAR_PAST]
    for turn in turns:
        if turn.last == FAR_PAST and veterans:
            turn.hours = min(veterans)


def pick(turns: list[Turn], cal: Calendar, *, starts_at, ends_at, day: dt.date, people: int) -> list[int]:
    chosen: list[int] = []
    qualified = None if cal.qualified_until is None else cal.qualified
    is_free = cal.free
    for turn in sorted(turns, key=FAIR_ORDER):
        free = [u for u in turn.user_ids if u not in chosen and (qualified is None or qualified(u, day))
                and is_free(u, starts_at, ends_at)]
        # A group goes on duty together: it joins only a shift it can fill without crowding others out.
        if not free or (chosen and len(chosen) + len(free) > people):
            continue
        chosen.extend(free)
        turn.hours += (ends_at - starts_at).total_seconds() / 3600
        turn.last = starts_at
        for u in free:
            cal.take(u, starts_at, ends_at)
        if len(chosen) >= people:
            break
    return chosen


# --- bulk writes --------------------------------------------------------------------------------------
# On PostgreSQL each table is written with one COPY … FROM STDIN (communities.services.rota_copy): the rows
# travel as tab-separated text, which the server parses faster than INSERT … SELECT FROM unnest(arrays), and
# no model instance is built per row. The shifts' ids are taken from their sequence up front, in one query, so
# that the assignments can name their shift without a RETURNING round trip. The text is made on a producer
# thread and streamed while the server inserts it, the picking of who is on duty included. Elsewhere (SQLite
# on a bare machine) it is bulk_create. Every constraint stays as it is: PostgreSQL checks the foreign keys.
# Measured: docs/benchmarks.md.

SHIFT_COPY = f"COPY {Shift._meta.db_table} (id, rota_id, slot_id, starts_at, ends_at, people) FROM STDIN"
ASSIGNMENT_COPY = f"COPY {ShiftAssignment._meta.db_table} (shift_id, user_id, swapped) FROM STDIN"
CHUNK_ROWS = 256  # rows per piece of COPY text handed to the database thread


def write_copy(*, rota: Rota, new: list[tuple], turns: list[Turn], cal: Calendar) -> tuple[int, int]:
    """Staff and write ``new`` with two streamed COPYs; returns (assignments, unfilled shifts)."""
    with connection.cursor() as cursor:
        ids = rota_copy.reserve_ids(cursor, Shift._meta.db_table, len(new))

        def produce(shift_feed, assignment_feed):
            rota_id = rota.pk
            # isoformat() carries the UTC offset, so the server reads the instant whatever its time zone.
            for i in range(0, len(new), CHUNK_ROWS):
                shift_feed.write("".join([f"{pk}\t{rota_id}\t{row[0]}\t{row[1].isoformat()}\t{row[2].isoformat()}"
                                          f"\t{row[3]}\n" for pk, row in zip(ids[i:i + CHUNK_ROWS],
                                                                              new[i:i + CHUNK_ROWS])]))
            shift_feed.close()
            assigned = unfilled = 0
            lines = []
            for pk, (_slot_id, starts_at, ends_at, people, day) in zip(ids, new):
                on_duty = pick(turns, cal, starts_at=starts_at, ends_at=ends_at, day=day, people=people)
                lines.extend([f"{pk}\t{u}\tf\n" for u in on_duty])
                assigned += len(on_duty)
                unfilled += len(on_duty) < people
                if len(lines) >= CHUNK_ROWS:
                    assignment_feed.write("".join(lines))
                    lines = []
            if lines:
                assignment_feed.write("".join(lines))
            return assigned, unfilled

        return rota_copy.copy_streamed(cursor, first_sql=SHIFT_COPY, second_sql=ASSIGNMENT_COPY, produce=produce)


def write_orm(*, rota: Rota, new: list[tuple], turns: list[Turn], cal: Calendar) -> tuple[int, int]:
    """As write_copy, with bulk_create (SQLite)."""
    chosen = [pick(turns, cal, starts_at=starts_at, ends_at=ends_at, day=day, people=people)
              for _slot_id, starts_at, ends_at, people, day in new]
    shifts = Shift.objects.bulk_create([Shift(rota=rota, slot_id=row[0], starts_at=row[1], ends_at=row[2],
                                              people=row[3]) for row in new], batch_size=BATCH_SIZE)
    ShiftAssignment.objects.bulk_create([ShiftAssignment(shift_id=shift.pk, user_id=u)
                                         for shift, on_duty in zip(shifts, chosen) for u in on_duty],
                                        batch_size=BATCH_SIZE)
    return sum(map(len, chosen)), sum(len(on_duty) < row[3] for row, on_duty in zip(new, chosen))


# --- the services --------------------------------------------------------------------------------------

def rota_generate_shifts(*, rota: Rota, until: dt.datetime, now: dt.datetime | None = None) -> GenerationResult:
    """Create the shifts of ``rota``'s pattern that start between now and ``until`` and staff them."""
    now = now or timezone.now()
    result = GenerationResult()
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        # Ordered by pk and locked "of self": the model's ordering joins the community, and a plain FOR UPDATE
        # would lock that row too, so that every generation in a community waited for the one before (and so
        # did every insert referencing the community).
        rota = Rota.objects.select_for_update(of=("self",)).filter(pk=rota.pk).order_by("pk").first()
        if rota is None or not rota.active:
            return result
        wanted = pattern_shifts(slots=list(rota.slots.all()), start=now, until=until)
        existing = set(rota.shifts.filter(starts_at__gte=now, starts_at__lt=until).values_list("slot_id", "starts_at"))
        # Hashing an aware datetime converts it to UTC: skip the test when there is nothing to test against.
        new = [(slot.pk, s, e, slot.people, day) for slot, s, e, day in wanted
               if not existing or (slot.pk, s) not in existing]
        if not new:
            return result
        if own_transaction and connection.vendor == "postgresql":
            # Do not wait for the disk flush at commit. A crash can lose only the last moments' commits, never
            # corrupt them, and generation is idempotent and sends nothing: the next beat run redoes what was lost.
            # Only when this transaction is ours: a caller's transaction may carry writes that must be durable.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        turns, cal = staffing_load(rota=rota, new=new)
        write = write_copy if connection.vendor == "postgresql" else write_orm
        result.assigned, result.unfilled = write(rota=rota, new=new, turns=turns, cal=cal)
        result.created = len(new)
    return result


def staffing_load(*, rota: Rota, new: list[tuple]) -> tuple[list[Turn], Calendar]:
    """The turns and the members' calendar for staffing the new shifts (rows as in rota_generate_shifts)."""
    turns = member_turns(rota)
    user_ids = sorted({u for t in turns for u in t.user_ids})
    # Lock the members (in id order, so two generations cannot deadlock): see the module docstring.
    list(User.objects.select_for_update().filter(pk__in=user_ids).order_by("pk").values_list("pk", flat=True))
    lo, hi = new[0][1], max(row[2] for row in new)
    cal = load_calendar(rota=rota, user_ids=user_ids, lo=lo, hi=hi)
    load_history(rota=rota, turns=turns, since=lo - FAIRNESS_LOOKBACK)
    return turns, cal


def untouched_future_shifts(*, rota: Rota, now):
    """Future shifts nobody has checked into, swapped, offered or been reminded of: the ones a change may redo."""
    # A shift someone was already reminded of stays: redoing it would remind them, or someone else, again.
    touched = (Q(assignments__checked_in_at__isnull=False) | Q(assignments__swapped=True)
               | Q(assignments__reminded_day_before_at__isnull=False))
    offered = SwapOffer.objects.filter(assignment__shift__rota=rota).values("assignment__shift_id")
    return (rota.shifts.filter(starts_at__gt=now)
            .exclude(pk__in=rota.shifts.filter(touched).values("pk"))
            .exclude(pk__in=offered))


def rota_regenerate(*, rota: Rota, now: dt.datetime | None = None) -> GenerationResult:
    """After the rota changed: redo its untouched future shifts; past and touched shifts stay as they are."""
    now = now or timezone.now()
    with transaction.atomic():
        rota = Rota.objects.select_for_update().get(pk=rota.pk)
        redo = untouched_future_shifts(rota=rota, now=now)
        ids = list(redo.values_list("pk", flat=True))
        # What the manager said of a session (its children) and the ratio alert already sent outlive the redo:
        # the shift is the same session, only its people may change.
        kept = {(slot_id, starts_at): (children, alerted) for slot_id, starts_at, children, alerted in
                redo.exclude(children_expected=None, ratio_alerted_at=None)
                .values_list("slot_id", "starts_at", "children_expected", "ratio_alerted_at")}
        ShiftAssignment.objects.filter(shift_id__in=ids).delete()
        deleted = Shift.objects.filter(pk__in=ids).delete()[1].get(Shift._meta.label, 0)
        result = rota_generate_shifts(rota=rota, until=horizon_end(rota=rota, now=now), now=now)
        result.deleted = deleted
        for (slot_id, starts_at), (children, alerted) in kept.items():
            rota.shifts.filter(slot_id=slot_id, starts_at=starts_at).update(children_expected=children,
                                                                            ratio_alerted_at=alerted)
        rota_ratio_recheck(rota=rota, now=now)
    return result


def horizon_end(*, rota: Rota, now) -> dt.datetime:
    return now + dt.timedelta(weeks=rota.horizon_weeks)


def rota_keep_generated(*, rota_id: int, now: dt.datetime | None = None) -> GenerationResult:
    """The beat's step for one rota: shifts generated up to its rolling horizon."""
    now = now or timezone.now()
    rota = Rota.objects.filter(pk=rota_id, active=True).first()
    if rota is None:
        return GenerationResult()
    return rota_generate_shifts(rota=rota, until=horizon_end(rota=rota, now=now), now=now)
