"""Which villages the station app serves for a user, the station team of a village, and the station's people
(heads, posts, staff with their certificates, recruits, training): reads only, a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from communities import extensions, policy
from communities.models import Backbone, Person, Role, Team, User
from communities.picker import community_url

from ..metrics import Measure
from ..models import (
    ALERT_DAYS, RECRUIT_OPEN, Certificate, Recruit, StaffPost, StationPost, StationProfile, TrainingAttendance,
    TrainingSession,
)

APP_LABEL = "propertyservice"


def hub_communities(*, user, action: str = "propertyservice.hub") -> QuerySet:
    """The communities this app serves (``CommunityApp``) in which ``user`` may do ``action``, by name."""
    return policy.communities_for(user, action).filter(apps__app_label=APP_LABEL).order_by("name")


def served_for(*, user, action: str = "propertyservice.hub") -> bool:
    """``hub_communities(...).exists()`` for every page's menu, from the facts loaded once per request."""
    served = extensions.served_community_ids(APP_LABEL, user=user)
    allowed = policy.community_ids_for(user, action)
    return bool(served) if allowed is None else not served.isdisjoint(allowed)


def station_team(*, community) -> Team | None:
    """The village's property service station (core ``Team`` of kind station), or None."""
    return Team.objects.filter(community=community, kind=Team.Kind.STATION).order_by("pk").first()


# --- the station and its people (/property/station/) ------------------------------------------------------


def lapsing_q(*, today) -> Q:
    """Certificates that lapse within ALERT_DAYS, or already have."""
    return Q(expires_on__isnull=False, expires_on__lte=today + dt.timedelta(days=ALERT_DAYS))


def person_url(person, community) -> str:
    return community_url("propertyservice:station_person", community, person.pk)


def station_heads(*, community) -> list[Backbone]:
    """The heads (负责人) in office today, with their person: one query."""
    return list(Backbone.objects.filter(team__community=community, team__kind=Team.Kind.STATION,
                                        office=Backbone.Office.STATION_HEAD, term_end__isnull=True)
                .select_related("user__person").order_by("term_start", "id"))


def station_head_users(*, community) -> list[User]:
    return [b.user for b in station_heads(community=community)]


def station_profile(*, community):
    return StationProfile.objects.filter(community=community).first()


def station_posts(*, community) -> list:
    """The posts, each with its current holders (``holders_now``) and its rotas: three queries."""
    now_holders = Prefetch("holders", queryset=StaffPost.objects.filter(until__isnull=True).select_related("person")
                           .order_by("since", "id"), to_attr="holders_now")
    return list(StationPost.objects.filter(community=community).select_related("qualification")
                .prefetch_related(now_holders, "rotas").order_by("id"))


@dataclass
class StaffRow:
    person: Person
    posts: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    worst: str = "valid"  # the lapsing standing of their worst certificate


def _staff_people(community):
    staff_ids = Person.objects.filter(user__memberships__community=community,
                                      user__memberships__role=Role.STATION_STAFF).values("pk")
    post_ids = StaffPost.objects.filter(community=community, until__isnull=True).values("person_id")
    return (Person.objects.filter(Q(pk__in=staff_ids) | Q(pk__in=post_ids))
            .prefetch_related(
                Prefetch("station_posts", queryset=StaffPost.objects.filter(community=community, until__isnull=True)
                         .select_related("post"), to_attr="posts_now"),
                Prefetch("station_certificates", queryset=Certificate.objects.filter(community=community)
                         .order_by("kind"), to_attr="certs_here"))
            .order_by("name", "pk"))


RANK = {"valid": 0, "lapsing": 1, "lapsed": 2}


def station_staff(*, community, now=None) -> list[StaffRow]:
    """Everyone of the station (station staff of the village, and anyone holding a post) with their current
    posts and certificates, each certificate's standing (``valid``/``lapsing``/``lapsed``): three queries."""
    today = timezone.localdate(now or timezone.now())
    rows = []
    for person in _staff_people(community):
        for cert in person.certs_here:
            cert.state = cert.standing(today)
        worst = max((c.state for c in person.certs_here), key=RANK.__getitem__, default="valid")
        rows.append(StaffRow(person, person.posts_now, person.certs_here, worst))
    return rows


@dataclass
class TrainingRecord:
    sessions: list
    hours: object
    count: int


def training_record(*, person, community) -> TrainingRecord:
    """The sessions ``person`` attended here, newest first, and their hours: one query."""
    sessions = [a.session for a in TrainingAttendance.objects.filter(
        person=person, present=True, session__community=community).select_related("session")
        .order_by("-session__starts_at")]
    return TrainingRecord(sessions, sum((s.hours for s in sessions), start=0), len(sessions))


def staff_person(*, community, person_id: int):
    """A person of the station (staff, a post holder or a recruit), or None."""
    return (Person.objects.filter(pk=person_id).filter(
        Q(user__memberships__community=community, user__memberships__role=Role.STATION_STAFF)
        | Q(pk__in=StaffPost.objects.filter(community=community).values("person_id"))
        | Q(pk__in=Recruit.objects.filter(community=community).values("person_id"))).distinct().first())


def person_posts(*, person, community) -> list:
    return list(StaffPost.objects.filter(community=community, person=person).select_related("post")
                .order_by("-since", "-id"))


def person_certificates(*, person, community, now=None) -> list:
    today = timezone.localdate(now or timezone.now())
    certs = list(Certificate.objects.filter(community=community, person=person).order_by("kind"))
    for cert in certs:
        cert.state = cert.standing(today)
    return certs


def hire_candidates(*, community):
    """Who may be entered as an applicant: the people of the village (residents and members)."""
    return (Person.objects.filter(Q(user__memberships__community=community)
                                  | Q(residencies__unit__building__community=community,
                                      residencies__moved_out__isnull=True))
            .distinct().order_by("name", "pk"))


# --- recruitment and training -----------------------------------------------------------------------------

def recruits(*, community, open_only: bool = False) -> list:
    qs = Recruit.objects.filter(community=community).select_related("person", "post")
    if open_only:
        qs = qs.filter(status__in=RECRUIT_OPEN)
    return list(qs.order_by("-created_at", "-id"))


def recruit_for(*, community, recruit_id: int):
    return (Recruit.objects.filter(community=community, pk=recruit_id).select_related("person", "post", "community")
            .prefetch_related("events__actor", "assessments__assessor").first())


def training_sessions(*, community) -> list:
    return list(TrainingSession.objects.filter(community=community)
                .annotate(present_count=Count("attendances", filter=Q(attendances__present=True)))
                .order_by("-starts_at", "-id"))


def attendance_people(*, community) -> QuerySet:
    """Who the attendance form lists: the station's people and the recruits in progress."""
    recruit_ids = Recruit.objects.filter(community=community, status__in=RECRUIT_OPEN).values("person_id")
    staff_ids = Person.objects.filter(user__memberships__community=community,
                                      user__memberships__role=Role.STATION_STAFF).values("pk")
    return Person.objects.filter(Q(pk__in=staff_ids) | Q(pk__in=recruit_ids)).order_by("name", "pk")


# --- the board (constant queries) ---------------------------------------------------------------------------

def board_station(*, community, now=None) -> dict:
    """Certificates lapsing within 30 days (or lapsed) and the recruits in progress: two queries."""

    today = timezone.localdate(now or timezone.now())
    lapsing = list(Certificate.objects.filter(community=community).filter(lapsing_q(today=today))
                   .select_related("person").order_by("expires_on", "pk"))  # a village's staff: a dozen at most
    for cert in lapsing:
        cert.state = cert.standing(today)
    in_progress = dict(Recruit.objects.filter(community=community, status__in=RECRUIT_OPEN)
                       .values_list("status").annotate(n=Count("pk")).order_by())
    return {"lapsing": lapsing, "recruits": sum(in_progress.values()), "by_status": in_progress}


def station_staff_people(*, community) -> QuerySet:
    """The village's station staff (the role), by name: whom the station's rules bind."""
    staff_ids = Person.objects.filter(user__memberships__community=community,
                                      user__memberships__role=Role.STATION_STAFF).values("pk")
    return Person.objects.filter(pk__in=staff_ids).order_by("name", "pk")


# --- the station's objective check (propertyservice.metrics) -----------------------------------------------

def certified_measure(*, community, start, end):
    """持证上岗: of the people holding a post that needs a certificate on the last day of the period, how many
    held a valid one that day (one query)."""
    day = end - dt.timedelta(days=1)
    valid = Certificate.objects.filter(community=community, person_id=OuterRef("person_id"),
                                       kind=OuterRef("post__certificate_kind")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day))
    rows = list(StaffPost.objects.filter(community=community, since__lte=day).exclude(post__certificate_kind="")
                .filter(Q(until__isnull=True) | Q(until__gte=day)).annotate(ok=Exists(valid))
                .values_list("ok", flat=True))
    part = sum(rows)
    return Measure(part, len(rows), gettext("%(part)d / %(whole)d 人持有效证书上岗") % {"part": part, "whole": len(rows)})
