"""Reads of the e-bike sheds, flying wires and the suggestion box; each a fixed number of queries."""
import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.dates import local_midnight
from communities.models import OPEN_STATUSES, Case, TopicProposal
from communities.models.meetings import OPEN_KINDS

from ..metrics import Measure
from ..models import ChargingPort, ChargingSession, ChargingShed, FlyingWireReport, SafetyCheck, Suggestion
from .station import hub_communities

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today(now=None) -> dt.date:
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


def sheds_with_ports(*, community, now=None) -> list[ChargingShed]:
    """The village's sheds, each with ``port_list``, ``free``/``charging``/``fault`` counts and ``today_check``
    (or None): three queries."""
    day = today(now)
    sheds = list(ChargingShed.objects.filter(community=community).select_related("village_group").prefetch_related(
        Prefetch("ports", to_attr="port_list"),
        Prefetch("checks", queryset=SafetyCheck.objects.filter(day=day).select_related("checked_by"),
                 to_attr="today_checks")))
    for shed in sheds:
        states = [p.state for p in shed.port_list]
        shed.free = states.count(ChargingPort.State.FREE)
        shed.charging = states.count(ChargingPort.State.CHARGING)
        shed.fault = states.count(ChargingPort.State.FAULT)
        shed.today_check = shed.today_checks[0] if shed.today_checks else None
    return sheds


def shed_for(*, user, pk: int, action: str = "propertyservice.shed.view") -> ChargingShed:
    return policy.get_object_or_404_for(user, action, ChargingShed.objects.select_related("community",
                                                                                         "village_group"), pk=pk)


def shed_page(*, shed: ChargingShed, now=None, sessions: int = 30) -> dict:
    """A shed's ports (with the open session of each), today's check and its latest sessions: four queries."""
    day = today(now)
    ports = list(shed.ports.all())
    open_sessions = {s.port_id: s for s in ChargingSession.objects.filter(shed=shed, ended_at__isnull=True)}
    for port in ports:
        port.open_session = open_sessions.get(port.pk)
    check = SafetyCheck.objects.filter(shed=shed, day=day).select_related("checked_by__person", "fault_port").first()
    latest = list(ChargingSession.objects.filter(shed=shed, ended_at__isnull=False).select_related("port")[:sessions])
    return {"ports": ports, "check": check, "sessions": latest}


# --- flying wires -----------------------------------------------------------------------------------------------

def flying_places(*, community, since=None) -> list[dict]:
    """Places with flying wires, most reported first: {place_key, label, count, last}. One query."""
    rows = FlyingWireReport.objects.filter(community=community)
    if since is not None:
        rows = rows.filter(reported_at__gte=since)
    return list(rows.values("place_key").annotate(count=Count("pk"), last=Max("reported_at"),
                                                   label=Max("place_label")).order_by("-count", "-last"))


def flying_reports(*, community, limit: int = 50) -> list[FlyingWireReport]:
    return list(FlyingWireReport.objects.filter(community=community).select_related("case", "reported_by")[:limit])


def my_flying_reports(*, user, community, limit: int = 20) -> list[FlyingWireReport]:
    return list(FlyingWireReport.objects.filter(community=community, reported_by=user).select_related("case")[:limit])


# --- suggestions ----------------------------------------------------------------------------------------------

def _with_meeting(suggestions: list[Suggestion]) -> list[Suggestion]:
    """``open_meeting``: the meeting a suggestion's topic was put on, when every member may open it."""
    for suggestion in suggestions:
        topic = suggestion.topic
        meeting = topic.meeting if topic and topic.status == TopicProposal.Status.ACCEPTED else None
        suggestion.open_meeting = meeting if meeting is not None and meeting.kind in OPEN_KINDS else None
    return suggestions


def suggestions_box(*, community, limit: int = 50) -> list[Suggestion]:
    """The box as villagers read it (one query); the template hides the author of an anonymous one."""
    return _with_meeting(list(Suggestion.objects.filter(community=community).select_related(
        "author__person", "topic__meeting")[:limit]))


def my_suggestions(*, user, community) -> list[Suggestion]:
    return _with_meeting(list(Suggestion.objects.filter(community=community, author=user).select_related(
        "topic__meeting")))


def suggestions_count(*, community, start: dt.date, end: dt.date) -> dict:
    """Suggestions posted, answered and turned into topics in start ≤ day < end (for the evaluation)."""
    return Suggestion.objects.filter(community=community, created_at__gte=local_midnight(start),
                                     created_at__lt=local_midnight(end)).aggregate(
        posted=Count("pk"), answered=Count("pk", filter=~Q(answer="")),
        topics=Count("pk", filter=Q(topic__isnull=False)),
        done=Count("pk", filter=~Q(answer="") | Q(topic__isnull=False)))


# --- hub and board cards ---------------------------------------------------------------------------------------

def hub_card(*, request, community) -> dict:
    """The hub card: free ports now (one query) and the links the user may open."""
    user = request.user
    if not policy.can(user, "propertyservice.shed.view", community):
        return {}
    ports = ChargingPort.objects.filter(shed__community=community).aggregate(
        total=Count("pk"), free=Count("pk", filter=Q(state=ChargingPort.State.FREE)))
    return {"ports": ports, "slug": community.slug,
            "may_report": policy.can(user, "propertyservice.flying.report", community),
            "may_post": policy.can(user, "propertyservice.suggestion.post", community),
            "may_places": policy.can(user, "propertyservice.flying.places", community)}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def board_card(*, request, community, now=None) -> dict:
    """The board card for the month so far: faults open, checks missed, flying wires and the top repeat places.
    Four queries whatever the number of sheds, checks or reports."""
    day = today(now)
    start = month_start(day)
    faults = ChargingShed.objects.filter(community=community).aggregate(
        sheds=Count("pk", distinct=True), sheds_fault=Count("pk", filter=Q(state=ChargingShed.State.FAULT),
                                                            distinct=True),
        ports_fault=Count("ports", filter=Q(ports__state=ChargingPort.State.FAULT), distinct=True))
    # Today is not missed yet: the days before today are due, today's checks count as done.
    checks = SafetyCheck.objects.filter(shed__community=community, day__gte=start, day__lte=day).aggregate(
        done=Count("pk"), before=Count("pk", filter=Q(day__lt=day)))
    expected = faults["sheds"] * (day - start).days
    flying = FlyingWireReport.objects.filter(community=community, reported_at__gte=local_midnight(start)).count()
    top = [p for p in flying_places(community=community, since=local_midnight(day) - dt.timedelta(days=90))
           if p["count"] > 1][:3]
    return {"faults": faults, "checks_done": checks["done"], "checks_missed": max(0, expected - checks["before"]),
            "flying": flying, "top_places": top, "slug": community.slug,
            "open_cases": _open_shed_cases(community=community)}


def _open_shed_cases(*, community) -> int:
    return Case.objects.filter(community=community, category__code__in=("charging_shed", "flying_wire"),
                               status__in=OPEN_STATUSES).count()


def board_context(*, request, community) -> dict:
    if not policy.can(request.user, "propertyservice.shed.manage", community):
        return {}
    return {**board_card(request=request, community=community),
            "may_places": policy.can(request.user, "propertyservice.flying.places", community),
            "may_answer": policy.can(request.user, "propertyservice.suggestion.answer", community)}


# --- the evaluation's metrics ----------------------------------------------------------------------------------

def no_flying_wires(*, community, start: dt.date, end: dt.date) -> Measure:
    """Days of the period without a new flying-wire report, of the days in the period. A count where lower is
    better (reports found) is turned into a share where higher is better: 30 days with 3 report days → 27 / 30.
    One query."""
    days = (end - start).days
    report_days = {timezone.localtime(at, SHANGHAI).date() for at in FlyingWireReport.objects.filter(
        community=community, reported_at__gte=local_midnight(start), reported_at__lt=local_midnight(end)).values_list(
        "reported_at", flat=True)}
    clean = max(0, days - len(report_days))
    note = _("%(part)s / %(whole)s 天无新发现飞线充电") % {"part": clean, "whole": days}
    return Measure(part=clean, whole=max(0, days), note=note)


def sheds_safe(*, community, start: dt.date, end: dt.date) -> Measure:
    """Daily safety checks done and passed, of days × sheds. Two queries."""
    sheds = ChargingShed.objects.filter(community=community).count()
    whole = sheds * max(0, (end - start).days)
    passed = SafetyCheck.objects.filter(shed__community=community, day__gte=start, day__lt=end).filter(
        passed_q()).count()
    note = _("%(part)s / %(whole)s 次安全检查完成且正常") % {"part": passed, "whole": whole}
    return Measure(part=passed, whole=whole, note=note)


def suggestions_measure(*, community, start: dt.date, end: dt.date) -> Measure:
    """Suggestions answered (or taken to a meeting) of those posted in the period. One query."""
    counts = suggestions_count(community=community, start=start, end=end)
    done = counts["done"]
    note = _("%(part)s / %(whole)s 条村民意见已答复") % {"part": done, "whole": counts["posted"]}
    return Measure(part=done, whole=counts["posted"], note=note)


def passed_q() -> Q:
    """A check that found nothing wrong (``SafetyCheck.passed`` as a filter)."""
    return Q(smoke_detector=True, sprinkler=True, camera=True, extinguisher=True, fault_port__isnull=True)


def served(*, user, action: str):
    return hub_communities(user=user, action=action)
