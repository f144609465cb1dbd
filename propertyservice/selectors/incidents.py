"""Reads of incidents and the emergency team, each a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.dates import local_midnight
from communities.models import Team, TeamMember

from ..incidents_workflow import EVENT_LABELS, INCIDENTS, MOMENTS, STEP_LABELS
from ..incidents_workflow import MANAGER as MANAGER_RELATION
from ..metrics import Measure
from ..models import Incident, IncidentDispatch, IncidentEvent, IncidentWarning, ResponderProfile
from ..models.incidents import EMERGENCY_TEAM_NAME, response_targets

# The board's medians: minutes from detection to each of these steps.
MEDIAN_STEPS = [("warn", "warned_at"), ("dispatch", "dispatched_at"), ("arrive", "arrived_at"),
                ("handle", "handled_at")]


def emergency_team(*, community) -> Team | None:
    """The village's 物业服务志愿队 (core ``Team`` of kind volunteer_team), or None."""
    teams = Team.objects.filter(community=community, kind=Team.Kind.VOLUNTEER_TEAM).order_by("pk")
    return teams.filter(name=EMERGENCY_TEAM_NAME).first() or teams.first()


def dispatch_candidates(*, community, skill: str = "", now: dt.datetime | None = None) -> list[ResponderProfile]:
    """The team's members who can be called now, in on-call order: an open membership, not away, on duty at
    this hour (白天/夜间/全天), with ``skill`` (any skill when empty)."""
    now = now or timezone.now()
    team = emergency_team(community=community)
    if team is None:
        return []
    profiles = (ResponderProfile.objects.filter(member__team=team, member__left_at__isnull=True,
                                                member__user__is_active=True)
                .select_related("member__user__person").order_by("on_call_order", "pk"))
    # The skills are a short list on each of a village team's few members: filtered here, on any database.
    return [p for p in profiles if (not skill or skill in p.skills) and p.available_at(now)]


def incidents_for(*, user, community, limit: int = 100) -> list[Incident]:
    """The village's incidents ``user`` may see, newest first (a villager: their own reports; a member: the ones
    they were called to)."""
    qs = policy.scope(user, "propertyservice.incident.view", Incident.objects.filter(community=community))
    return list(qs.select_related("detected_by__person").order_by("-detected_at", "-id")[:limit])


def incident_for_page(*, user, pk: int) -> Incident:
    return policy.get_object_or_404_for(user, "propertyservice.incident.view",
                                        Incident.objects.select_related("community", "detected_by__person", "case"),
                                        pk=pk)


@dataclass(frozen=True)
class Moment:
    action: str
    label: str
    at: dt.datetime
    minutes: int | None  # since the step before (None for the first)
    since_detected: int
    previous: str = ""  # the step before's label


def incident_moments(incident: Incident) -> list[Moment]:
    """The steps taken, in order, with the minutes between each and the one before (发现→预警 3 分钟 …)."""
    moments, previous = [], None
    for action, field in MOMENTS:
        at = getattr(incident, field)
        if at is None:
            continue
        moments.append(Moment(action, str(STEP_LABELS[action]), at,
                              None if previous is None else _minutes(previous.at, at),
                              _minutes(incident.detected_at, at), previous.label if previous else ""))
        previous = moments[-1]
    return moments


def incident_page(*, incident: Incident, user) -> dict:
    """Everything the incident page shows: the steps with their gaps, the warnings, the chain, the timeline and
    the actions the table offers this user."""
    events = list(IncidentEvent.objects.filter(incident=incident).select_related("actor__person"))
    warnings = list(IncidentWarning.objects.filter(incident=incident).select_related("village_group", "building"))
    chain = list(IncidentDispatch.objects.filter(incident=incident).select_related("user__person")
                 .order_by("position"))
    relations = INCIDENTS.relations(user, incident)
    moments = incident_moments(incident)
    arrived = next((m for m in moments if m.action == "arrive"), None)
    return {
        "moments": moments, "warnings": warnings, "chain": chain,
        "events": [(e, EVENT_LABELS.get(e.action, e.action)) for e in events],
        "actions": INCIDENTS.actions_for(incident.status, relations),
        "relations": relations, "target": incident.target_minutes(), "targets": response_targets(),
        "met_target": None if arrived is None else arrived.since_detected <= incident.target_minutes(),
        "exhausted": bool(chain) and incident.status == Incident.Status.DISPATCHED and all(
            d.status in (IncidentDispatch.Status.TIMED_OUT, IncidentDispatch.Status.STOOD_DOWN) for d in chain),
        # The chain names the team's members: the station and the members called see it; a reporter sees progress.
        "show_chain": bool({MANAGER_RELATION} & relations) or any(d.user_id == user.pk for d in chain),
        "my_call": next((d for d in chain if d.user_id == user.pk and d.status == IncidentDispatch.Status.CALLED),
                        None),
    }


def _minutes(start, end) -> int:
    return round((end - start).total_seconds() / 60)


def warnings_for(*, user, community, now: dt.datetime | None = None, hours: int = 24) -> list[IncidentWarning]:
    """The warnings of the last ``hours`` addressed to ``user`` in ``community``: to all households, to the
    village group or the building they live in; one per incident (its channels are one warning). One query."""
    from communities.models import Building

    now = now or timezone.now()
    homes = Building.objects.filter(units__residencies__person__user=user,
                                    units__residencies__moved_out__isnull=True, community=community)
    since = now - dt.timedelta(hours=hours)
    rows = (IncidentWarning.objects.filter(incident__community=community, issued_at__gte=since, issued_at__lte=now)
            .filter(Q(audience=IncidentWarning.Audience.ALL) | Q(building__in=homes.values("pk"))
                    | Q(village_group__in=homes.values("village_group_id")))
            .select_related("incident", "village_group", "building").order_by("-issued_at", "incident_id", "id"))
    seen, shown = set(), []
    for warning in rows:
        if warning.incident_id not in seen:
            seen.add(warning.incident_id)
            shown.append(warning)
    return shown


# --- the heads' board ---------------------------------------------------------------------------------------------

def _month_start(day: dt.date, back: int = 0) -> dt.date:
    year, month = day.year, day.month - back
    while month <= 0:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


def incidents_board(*, community, now: dt.datetime | None = None, months: int = 6) -> dict:
    """This month's incidents (real and drills apart, open ones) and, per month of the last ``months``, the
    median minutes from detection to warning, dispatch, arrival and handling of real incidents. Two queries."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    this_month = local_midnight(_month_start(today))
    first = local_midnight(_month_start(today, months - 1))
    counts = Incident.objects.filter(community=community, detected_at__gte=this_month).aggregate(
        real=Count("pk", filter=Q(drill=False)), drills=Count("pk", filter=Q(drill=True)),
        open=Count("pk", filter=Q(drill=False) & ~Q(status=Incident.Status.CLOSED)))
    rows = Incident.objects.filter(community=community, drill=False, detected_at__gte=first).values_list(
        "detected_at", *[field for _action, field in MEDIAN_STEPS])
    per_month: dict[dt.date, list] = {_month_start(today, back): [] for back in range(months)}
    for detected_at, *moments in rows:
        month = _month_start(timezone.localtime(detected_at).date())
        if month in per_month:
            per_month[month].append((detected_at, moments))
    table = []
    for month in sorted(per_month):
        found = per_month[month]
        medians = []
        for i, _step in enumerate(MEDIAN_STEPS):
            gaps = [_minutes(detected, moments[i]) for detected, moments in found if moments[i] is not None]
            medians.append(median(gaps) if gaps else None)
        table.append({"month": month, "count": len(found), "medians": medians})
    return {"counts": counts, "months": table, "targets": response_targets()}


# --- the metric -----------------------------------------------------------------------------------------------------

def incident_response_measure(*, community, start: dt.date, end: dt.date) -> Measure:
    """Real incidents that reached on-site in the period (arrival day, Asia/Shanghai), and of them those whose
    arrival met the station's target for their urgency. One query."""
    targets = response_targets()
    rows = list(Incident.objects.filter(community=community, drill=False, arrived_at__gte=local_midnight(start),
                                        arrived_at__lt=local_midnight(end)).values_list("urgency", "detected_at", "arrived_at"))
    met = sum(1 for urgency, detected, arrived in rows if _minutes(detected, arrived) <= targets[urgency])
    return Measure(part=Decimal(met), whole=Decimal(len(rows)),
                   note=_("%(met)s / %(n)s 起按承诺时间到场") % {"met": met, "n": len(rows)})


# --- the team -------------------------------------------------------------------------------------------------------

def team_page(*, community) -> dict:
    """The 物业服务志愿队: its members with their emergency profiles, in on-call order. Two queries."""
    team = emergency_team(community=community)
    if team is None:
        return {"team": None, "rows": []}
    members = list(TeamMember.objects.filter(team=team, left_at__isnull=True, user__is_active=True)
                   .select_related("user__person", "responder_profile"))

    def order(member):
        profile = getattr(member, "responder_profile", None)
        return (profile.on_call_order if profile else 10_000, member.pk)

    rows = [(m, getattr(m, "responder_profile", None)) for m in sorted(members, key=order)]
    return {"team": team, "rows": rows}


def responder_of(member) -> ResponderProfile | None:
    return ResponderProfile.objects.filter(member=member).first()
