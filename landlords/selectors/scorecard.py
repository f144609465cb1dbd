"""The landlord scorecard (二房东履职积分卡): how each sublandlord of a community answers for their flats.

Per sublandlord, over a period ending now:
- cases on their let units (filed in the period; rejected, duplicate and withdrawn not counted);
- median hours from dispatch to acknowledgement, and from dispatch to reported fix;
- verification pass rate: on-site verifications passed ÷ verifications done (each failed visit counts);
- satisfaction rate: the core's definition (communities.selectors.rates), on their units' cases;
- duty shifts served (checked in) and missed, on the community's rotas;
- meetings attended (checked in) in the community;
- tenant registrations on time: registrations entered within 3 days of move-in ÷ registrations made.
The number of queries does not depend on the number of sublandlords.
"""
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Attendance, Case, CaseEvent, Person, ShiftAssignment, Team
from communities.natural import name_key
from communities.selectors.rates import EXCLUDED, Rate, rate_counts, rate_sources
from communities.selectors.teams import kind_member_user_ids

PERIODS = {30: _("近30天"), 90: _("近90天"), 365: _("近一年")}
DEFAULT_DAYS = 90


@dataclass
class ScoreRow:
    person: Person
    units: int
    cases: int = 0
    median_ack_hours: float | None = None
    median_fix_hours: float | None = None
    verification: Rate = Rate()
    satisfaction: Rate = Rate()
    shifts_served: int = 0
    shifts_missed: int = 0
    meetings_attended: int = 0
    registrations: Rate = Rate()
    titles: list = field(default_factory=list)
    rank: int | None = None  # by satisfaction (rank_rows): the phone's cards show it


COLUMNS = [("name", _("姓名")), ("units", _("出租房屋")), ("cases", _("诉求")), ("ack", _("响应用时(小时)")),
           ("fix", _("办结用时(小时)")), ("verification", _("验收通过率")), ("satisfaction", _("满意率")),
           ("served", _("值班签到")), ("missed", _("值班缺勤")), ("meetings", _("参会")),
           ("registrations", _("按时登记率"))]

# Sortable columns: name → key on a row. None (no data) always sorts last.
SORT_KEYS = {
    "name": lambda r: name_key(r.person.name),  # by pinyin
    "units": lambda r: r.units,
    "cases": lambda r: r.cases,
    "ack": lambda r: r.median_ack_hours,
    "fix": lambda r: r.median_fix_hours,
    "verification": lambda r: r.verification.value,
    "satisfaction": lambda r: r.satisfaction.value,
    "served": lambda r: r.shifts_served,
    "missed": lambda r: r.shifts_missed,
    "meetings": lambda r: r.meetings_attended,
    "registrations": lambda r: r.registrations.value,
}


def sublandlords_of(*, community):
    """The community's sublandlords: the members of its 蓉治社 (communities.selectors.teams), with the number of
    its units each lets."""
    members = kind_member_user_ids(community=community, kind=Team.Kind.LANDLORD_TEAM)
    return (Person.objects.filter(user_id__in=members)
            .annotate(units=Count("sublet_units", distinct=True,
                                  filter=Q(sublet_units__building__community=community)))
            .select_related("user").order_by("name", "id"))


def scorecard(*, community, days: int = DEFAULT_DAYS, only_person=None, now=None) -> list[ScoreRow]:
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    people = sublandlords_of(community=community)
    if only_person is not None:
        people = people.filter(pk=only_person.pk)
    rows = {p.pk: ScoreRow(person=p, units=p.units) for p in people}
    if not rows:
        return []
    ids = list(rows)
    by_user = {row.person.user_id: row for row in rows.values() if row.person.user_id}
    cases = Case.objects.filter(community=community, unit__sublandlord_id__in=ids)
    _cases_and_times(rows, cases.exclude(status__in=EXCLUDED).filter(created_at__gte=since))
    _verifications(rows, community=community, ids=ids, since=since)
    satisfaction = rate_sources(cases=cases, start=since, end=now, now=now)["satisfaction"]
    for (pid,), counts in rate_counts(satisfaction, sublandlord=F("case__unit__sublandlord_id")).items():
        rows[pid].satisfaction = Rate(counts["numerator"], counts["denominator"])
    _duty(by_user, community=community, since=since, now=now)
    _meetings(by_user, community=community, since=since, now=now)
    _registrations(rows, ids=ids, since=since)
    _titles(rows, community=community, ids=ids)
    return list(rows.values())


def _hours(start, end) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds() / 3600


def _cases_and_times(rows, cases) -> None:
    ack, fix = defaultdict(list), defaultdict(list)
    for pid, created, dispatched, acknowledged, fixed in cases.values_list(
            "unit__sublandlord_id", "created_at", "dispatched_at", "acknowledged_at", "fixed_at"):
        rows[pid].cases += 1
        start = dispatched or created
        if (hours := _hours(start, acknowledged)) is not None:
            ack[pid].append(hours)
        if (hours := _hours(start, fixed)) is not None:
            fix[pid].append(hours)
    for pid, values in ack.items():
        rows[pid].median_ack_hours = statistics.median(values)
    for pid, values in fix.items():
        rows[pid].median_fix_hours = statistics.median(values)


def _verifications(rows, *, community, ids, since) -> None:
    counts = (CaseEvent.objects.filter(case__community=community, case__unit__sublandlord_id__in=ids, at__gte=since,
                                       action__in=["verify_pass", "verify_fail"])
              .values("case__unit__sublandlord_id")
              .annotate(done=Count("id"), passed=Count("id", filter=Q(action="verify_pass"))).order_by())
    for row in counts:
        rows[row["case__unit__sublandlord_id"]].verification = Rate(row["passed"], row["done"])


def _duty(by_user, *, community, since, now) -> None:
    if not by_user:
        return
    counts = (ShiftAssignment.objects.filter(user_id__in=list(by_user), shift__rota__community=community,
                                             shift__starts_at__gte=since, shift__starts_at__lt=now)
              .values("user_id")
              .annotate(served=Count("id", filter=Q(checked_in_at__isnull=False)),
                        missed=Count("id", filter=Q(missed_at__isnull=False))).order_by())
    for row in counts:
        by_user[row["user_id"]].shifts_served = row["served"]
        by_user[row["user_id"]].shifts_missed = row["missed"]


def _meetings(by_user, *, community, since, now) -> None:
    if not by_user:
        return
    counts = (Attendance.objects.filter(user_id__in=list(by_user), meeting__community=community,
                                        meeting__starts_at__gte=since, meeting__starts_at__lt=now)
              .values("user_id").annotate(n=Count("id")).order_by())
    for row in counts:
        by_user[row["user_id"]].meetings_attended = row["n"]


def _registrations(rows, *, ids, since) -> None:
    from ..models.rentals import TenantRegistration

    counts = (TenantRegistration.objects.filter(sublandlord_id__in=ids, registered_at__gte=since)
              .values("sublandlord_id")
              .annotate(made=Count("id"), on_time=Count("id", filter=Q(is_late=False))).order_by())
    for row in counts:
        rows[row["sublandlord_id"]].registrations = Rate(row["on_time"], row["made"])


def _titles(rows, *, community, ids) -> None:
    from communities.selectors.titles import titles_for

    for pid, titles in titles_for(people=ids, community=community).items():
        rows[pid].titles = [title.name for title in titles]


def rank_rows(rows: list[ScoreRow]) -> list[ScoreRow]:
    """Give each row its rank by satisfaction rate (满意率, highest first): equal rates share a rank (1, 1, 3);
    a row without ratings has none. The rows keep their order."""
    rated = sorted((r for r in rows if r.satisfaction.value is not None), key=lambda r: -r.satisfaction.value)
    for row in rows:
        row.rank = None
    for position, row in enumerate(rated, start=1):
        before = rated[position - 2] if position > 1 else None
        row.rank = before.rank if before is not None and before.satisfaction.value == row.satisfaction.value \
            else position
    return rows


def sort_rows(rows: list[ScoreRow], sort: str) -> tuple[list[ScoreRow], str]:
    """Rows sorted by ``sort`` ("cases", "-satisfaction" …); unknown keys sort by name."""
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"))
    if key is None:
        return sorted(rows, key=SORT_KEYS["name"]), "name"
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing, sort
