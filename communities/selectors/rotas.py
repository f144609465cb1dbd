"""Reads for the rota pages: scoped by the policy first, with a fixed number of queries however many rows."""
import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext

from .. import policy
from ..dates import local_midnight
from ..models import Rota, Shift, ShiftAssignment, SwapOffer, User

MY_SHIFTS_AHEAD = dt.timedelta(days=14)


def rotas_visible(*, user):
    return (policy.scope(user, "rota.view", Rota.objects.all())
            .select_related("community", "manager__person", "required_qualification").order_by("community", "name"))


def user_has_rotas(*, user) -> bool:
    return user.is_authenticated and Rota.objects.filter(Q(members__user=user) | Q(manager=user)).exists()


def _assignments_prefetch():
    return Prefetch("assignments", queryset=ShiftAssignment.objects.select_related("user__person").prefetch_related(
        Prefetch("swap_offers", queryset=SwapOffer.objects.filter(status=SwapOffer.Status.OPEN), to_attr="open_offers")
    ).order_by("id"))


@dataclass
class Day:
    date: dt.date
    shifts: list


def rota_pattern(*, rota: Rota) -> list[str]:
    """The rota's slots in plain words ("每周一、周三 22:00–06:00 · 2人"), one query."""
    return [gettext("%(when)s · 每班%(people)s人") % {"when": slot.describe(), "people": slot.people}
            for slot in rota.slots.all()]


def rota_week(*, rota: Rota, week_start: dt.date) -> list[Day]:
    """The seven days from ``week_start`` with their shifts and who is on them (three queries)."""
    shifts = (rota.shifts.filter(starts_at__gte=local_midnight(week_start),
                                 starts_at__lt=local_midnight(week_start + dt.timedelta(days=7)))
              .prefetch_related(_assignments_prefetch()).order_by("starts_at", "slot_id"))
    days = [Day(week_start + dt.timedelta(days=i), []) for i in range(7)]
    for shift in shifts:
        shift.staffed = len(shift.assignments.all())
        shift.ratio = ratio_breach(per_adult=rota.children_per_adult, children=shift.children_expected,
                                   adults=shift.staffed)
        days[(timezone.localtime(shift.starts_at).date() - week_start).days].shifts.append(shift)
    return days


def rota_fairness(*, rota: Rota, year: int, month: int) -> list[dict]:
    """Shifts and hours per member in one month (local time), members without shifts included."""
    first = dt.date(year, month, 1)
    after = first + dt.timedelta(days=calendar.monthrange(year, month)[1])
    rows = (ShiftAssignment.objects.filter(shift__rota=rota, shift__starts_at__gte=local_midnight(first),
                                           shift__starts_at__lt=local_midnight(after))
            .values_list("user_id", "shift__starts_at", "shift__ends_at", "missed_at"))
    totals: dict[int, dict] = {}
    for user_id, starts_at, ends_at, missed_at in rows:
        row = totals.setdefault(user_id, {"shifts": 0, "hours": 0.0, "missed": 0})
        row["shifts"] += 1
        row["hours"] += (ends_at - starts_at).total_seconds() / 3600
        row["missed"] += missed_at is not None
    member_ids = list(rota.members.values_list("user_id", flat=True))
    users = User.objects.select_related("person").in_bulk(set(member_ids) | set(totals))
    report = [{"user": users[uid], **totals.get(uid, {"shifts": 0, "hours": 0.0, "missed": 0})} for uid in users]
    return sorted(report, key=lambda row: (-row["hours"], row["user"].display_name()))


# Check-in opens this long before the shift and closes at its end.
CHECK_IN_OPENS = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class CheckInWindow:
    """When a shift's 签到 is possible: the service refuses outside it, the shift page greys the button."""
    opens_at: dt.datetime
    closes_at: dt.datetime

    def state(self, now) -> str:
        if now < self.opens_at:
            return "early"
        return "open" if now <= self.closes_at else "closed"

    def is_open(self, now) -> bool:
        return self.state(now) == "open"


def check_in_window(shift: Shift) -> CheckInWindow:
    return CheckInWindow(opens_at=shift.starts_at - CHECK_IN_OPENS, closes_at=shift.ends_at)


def shift_for_page(*, shift_id: int):
    return (Shift.objects.select_related("rota__community", "rota__manager__person", "rota__required_qualification")
            .prefetch_related(_assignments_prefetch()).filter(pk=shift_id))


@dataclass
class MyShifts:
    today: list
    upcoming: list
    my_offers: list
    offers_to_take: list


def _offers():
    return SwapOffer.objects.select_related("assignment__shift__rota", "offered_by__person").order_by(
        "assignment__shift__starts_at")


def my_shifts(*, user, now=None) -> MyShifts:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    tomorrow = local_midnight(today + dt.timedelta(days=1))
    mine = (ShiftAssignment.objects.filter(user=user, shift__ends_at__gt=local_midnight(today),
                                           shift__starts_at__lt=now + MY_SHIFTS_AHEAD)
            .select_related("shift__rota").prefetch_related(
                Prefetch("swap_offers", queryset=SwapOffer.objects.filter(status=SwapOffer.Status.OPEN),
                         to_attr="open_offers"))
            .order_by("shift__starts_at"))
    mine = list(mine)
    open_offers = _offers().filter(status=SwapOffer.Status.OPEN, assignment__shift__starts_at__gt=now)
    return MyShifts(
        today=[a for a in mine if a.shift.starts_at < tomorrow],
        upcoming=[a for a in mine if a.shift.starts_at >= tomorrow],
        my_offers=list(open_offers.filter(offered_by=user)),
        offers_to_take=list(open_offers.filter(assignment__shift__rota__members__user=user).exclude(offered_by=user)),
    )


def swap_market(*, user, now=None) -> list[SwapOffer]:
    """Open offers of future shifts in the rotas the user may see."""
    now = now or timezone.now()
    rota_ids = rotas_visible(user=user).values("pk")
    return list(_offers().filter(Q(assignment__shift__rota__in=rota_ids), status=SwapOffer.Status.OPEN,
                                 assignment__shift__starts_at__gt=now))


def week_start_for(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- the child-to-adult ratio (宝妈轮流) ------------------------------------------------------------

@dataclass(frozen=True)
class RatioBreach:
    """A session with more children per adult on duty than its rota allows."""
    adults: int
    children: int
    per_adult: int

    @property
    def adults_needed(self) -> int:
        return -(-self.children // self.per_adult)

    @property
    def message(self) -> str:
        return gettext("低于师生比：%(adults)s名成人对应%(children)s名儿童，要求不超过1:%(ratio)s（至少需要%(needed)s名成人）。") % {
            "adults": self.adults, "children": self.children, "ratio": self.per_adult, "needed": self.adults_needed}


def ratio_breach(*, per_adult: int | None, children: int | None, adults: int) -> RatioBreach | None:
    """The breach when ``children`` exceed ``adults`` × ``per_adult`` (None without a ratio or a count)."""
    if not per_adult or children is None or children <= adults * per_adult:
        return None
    return RatioBreach(adults=adults, children=children, per_adult=per_adult)


@dataclass(frozen=True)
class OnDuty:
    """Someone on a shift that covers a moment: who, the shift, and whether they have checked in."""
    user: User
    shift: Shift
    checked_in: bool


def on_duty_now(*, community, kinds=(), rota_ids=(), at=None) -> list[OnDuty]:
    """Who is on duty at ``at`` (default now) in ``community``: the people assigned to a shift of an active rota
    that covers the moment (starts ≤ at < ends), of the rota kinds ``kinds`` (``Rota.Kind`` values) or the rotas
    ``rota_ids`` (both empty: every rota), not marked absent. Those who have checked in come first, then by the
    shift's start. One query. For the station's hotline at night (``kinds=[Rota.Kind.SECURITY]``) and any post
    that asks "who is on now"."""
    at = at or timezone.now()
    qs = ShiftAssignment.objects.filter(
        shift__rota__community=community, shift__rota__active=True, shift__starts_at__lte=at, shift__ends_at__gt=at,
        missed_at__isnull=True, checked_out_at__isnull=True)
    if kinds:
        qs = qs.filter(shift__rota__kind__in=list(kinds))
    if rota_ids:
        qs = qs.filter(shift__rota_id__in=list(rota_ids))
    rows = qs.select_related("user__person", "shift__rota").order_by("shift__starts_at", "pk")
    duty = [OnDuty(user=a.user, shift=a.shift, checked_in=a.checked_in_at is not None) for a in rows]
    return sorted(duty, key=lambda d: not d.checked_in)  # stable: checked in first, each group by start
