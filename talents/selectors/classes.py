"""Reads of the classes area: what a page shows, in a fixed number of queries however many sessions and entries
there are (issue 13 item 14; the tests assert it)."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities import policy
from communities.models import Person

from ..models import (
    OPEN_ENROLMENT, SEAT_HOLDING, ClassSession, Enrolment, EnrolmentEvent, EnrolmentPerson, FeaturedClass,
    Guardianship, PhotoConsent, SessionAttendance, TalentClass,
)

LIVE = (ClassSession.Status.SCHEDULED, ClassSession.Status.MOVED)
S = Enrolment.Status


def _waiting_ahead():
    """The entry's place on the waitlist: 1 + the waiting entries of its class before it."""
    ahead = (Enrolment.objects.filter(talent_class=OuterRef("talent_class"), status=S.WAITING,
                                      position__lt=OuterRef("position"))
             .order_by().values("talent_class").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1


def _seats_taken_q():
    return Coalesce(Sum("enrolments__seats", filter=Q(enrolments__status__in=SEAT_HOLDING)), Value(0))


def _entries_with_people():
    return Enrolment.objects.select_related("account__person").prefetch_related(
        Prefetch("people", queryset=EnrolmentPerson.objects.select_related("person").order_by("pk")))


@dataclass
class PersonChoice:
    person_id: int
    name: str
    is_child: bool


@dataclass
class ClassPage:
    talent_class: TalentClass
    next_sessions: list
    seats_taken: int
    waiting: int
    entries: list  # the viewer's own entries, open first
    people: list  # whom the viewer may enrol (themself, their children)
    teachers: list
    consents: dict = field(default_factory=dict)  # person id -> consented

    @property
    def seats_left(self) -> int:
        return max(self.talent_class.capacity - self.seats_taken, 0)

    @property
    def open_entry(self):
        return next((e for e in self.entries if e.status in OPEN_ENROLMENT), None)


def class_for_page():
    """The queryset a class page fetches its class from (studio, team, community, organiser in one row)."""
    return TalentClass.objects.select_related("studio__team__community", "organiser__person")


def class_page(*, talent_class: TalentClass, user, now: dt.datetime) -> ClassPage:
    next_sessions = list(ClassSession.objects.filter(talent_class=talent_class, ends_at__gte=now)
                         .exclude(status=ClassSession.Status.HELD).order_by("starts_at")[:6])
    counts = Enrolment.objects.filter(talent_class=talent_class).aggregate(
        taken=Coalesce(Sum("seats", filter=Q(status__in=SEAT_HOLDING)), Value(0)),
        waiting=Count("pk", filter=Q(status=S.WAITING)))
    entries = sorted(
        _entries_with_people().filter(talent_class=talent_class, account_id=user.pk).annotate(rank=_waiting_ahead())
        .prefetch_related(Prefetch("events", queryset=EnrolmentEvent.objects.select_related("actor__person")))
        .order_by("-requested_at", "-pk")[:5],
        key=lambda e: (e.status not in OPEN_ENROLMENT, -e.pk))
    people = my_people(user=user, community_id=talent_class.studio.team.community_id)
    person_ids = [p.person_id for p in people]
    consents = dict(PhotoConsent.objects.filter(talent_class=talent_class, person_id__in=person_ids)
                    .values_list("person_id", "consented"))
    teachers = list(talent_class.teachers.select_related("person").order_by("pk"))
    return ClassPage(talent_class, next_sessions, counts["taken"], counts["waiting"], entries, people, teachers,
                     consents)


def my_people(*, user, community_id: int) -> list[PersonChoice]:
    """Whom ``user`` may enrol in a class of the community: themself (if they have a person record) and the
    children linked to them as guardian there."""
    found = []
    own = Person.objects.filter(user_id=user.pk).values_list("pk", "name").first()
    if own:
        found.append(PersonChoice(own[0], own[1], False))
    for pk, name in (Guardianship.objects.filter(guardian_id=user.pk, community_id=community_id)
                     .order_by("created_at", "pk").values_list("child_id", "child__name")):
        found.append(PersonChoice(pk, name, True))
    return found


def classes_listed(*, user, now: dt.datetime):
    """The open classes the user may see, with seats taken and the next session's start."""
    next_start = (ClassSession.objects.filter(talent_class=OuterRef("pk"), status__in=LIVE, starts_at__gte=now)
                  .order_by("starts_at").values("starts_at")[:1])
    qs = (TalentClass.objects.filter(status=TalentClass.Status.OPEN)
          .select_related("studio__team").annotate(taken=_seats_taken_q(), next_start=Subquery(next_start))
          .order_by("next_start", "title", "pk"))
    return policy.scope(user, "talents.class.view", qs)


def my_entries(*, user):
    """The user's entries, and those of their children made by another guardian: offers first, then the open
    ones, then the closed ones (newest first)."""
    child_ids = Guardianship.objects.filter(guardian_id=user.pk).values("child_id")
    rows = list(_entries_with_people().select_related("talent_class__studio__team")
                .filter(Q(account_id=user.pk) | Q(people__person_id__in=child_ids)).distinct()
                .annotate(rank=_waiting_ahead()).order_by("-requested_at", "-pk")[:100])
    order = {S.OFFERED: 0, S.ENROLLED: 1, S.WAITING: 2, S.REQUESTED: 3}
    return sorted(rows, key=lambda e: (order.get(e.status, 9), -e.requested_at.timestamp()))


def waitlist(*, talent_class: TalentClass):
    """Every entry of a class for its hosts and staff: the enrolled and offered, the list in order, the closed."""
    rows = list(_entries_with_people().filter(talent_class=talent_class).annotate(rank=_waiting_ahead())
                .prefetch_related(Prefetch("events", queryset=EnrolmentEvent.objects.select_related("actor__person")))
                .order_by("position", "pk"))
    order = {S.OFFERED: 0, S.ENROLLED: 1, S.WAITING: 2, S.REQUESTED: 3}
    return sorted(rows, key=lambda e: (order.get(e.status, 9), e.position or 0, e.pk))


def entry_for_page():
    return (_entries_with_people().select_related("talent_class__studio__team__community")
            .prefetch_related(Prefetch("events", queryset=EnrolmentEvent.objects.select_related("actor__person"))))


# --- the week and a studio's next sessions ------------------------------------------------------------------------

def week_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00 of ``now``'s local week."""
    local = timezone.localtime(now)
    monday = (local - dt.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday, monday + dt.timedelta(days=7)


def _sessions_of_open_classes():
    return (ClassSession.objects.filter(talent_class__status=TalentClass.Status.OPEN)
            .exclude(status=ClassSession.Status.CANCELLED)
            .select_related("talent_class__studio__team"))


def week_sessions(*, community_ids, now: dt.datetime, limit: int = 40) -> list:
    """本周活动: this week's sessions of every studio of these communities, featured ones first, then by time.
    ``community_ids`` None: every community (town roles)."""
    start, end = week_bounds(now)
    qs = _sessions_of_open_classes().filter(starts_at__gte=start, starts_at__lt=end)
    if community_ids is not None:
        qs = qs.filter(talent_class__studio__team__community_id__in=list(community_ids))
    featured = FeaturedClass.objects.filter(talent_class=OuterRef("talent_class"))
    return list(qs.annotate(featured=Exists(featured)).order_by("-featured", "starts_at", "pk")[:limit])


def studio_next_sessions(*, studio, now: dt.datetime, limit: int = 6) -> tuple[list, list]:
    """A studio's own next sessions, and the next sessions of the other studios' classes it features."""
    upcoming = _sessions_of_open_classes().filter(ends_at__gte=now).exclude(status=ClassSession.Status.HELD)
    own = list(upcoming.filter(talent_class__studio=studio).order_by("starts_at", "pk")[:limit])
    featured_ids = FeaturedClass.objects.filter(studio=studio).values("talent_class_id")
    featured = list(upcoming.filter(talent_class_id__in=featured_ids).order_by("starts_at", "pk")[:limit])
    return own, featured


# --- attendance -----------------------------------------------------------------------------------------------

@dataclass
class AttendanceRow:
    person: Person
    present: bool | None
    photo_ok: bool
    is_child: bool
    guardian_name: str = ""
    pickup: object = None  # the Guardianship row of the entry's account, for the pick-up contact


def attendance_sheet(*, session: ClassSession) -> list[AttendanceRow]:
    """The people enrolled in the session's class, with their mark, photo consent and pick-up contact."""
    people = list(EnrolmentPerson.objects.filter(enrolment__talent_class_id=session.talent_class_id,
                                                 enrolment__status=S.ENROLLED)
                  .select_related("person__child_profile", "enrolment__account__person").order_by("person__name", "pk"))
    marks = dict(SessionAttendance.objects.filter(session=session).values_list("person_id", "present"))
    consents = dict(PhotoConsent.objects.filter(talent_class_id=session.talent_class_id)
                    .values_list("person_id", "consented"))
    links = {(g.guardian_id, g.child_id): g for g in Guardianship.objects.filter(
        child_id__in=[ep.person_id for ep in people]).select_related("guardian__person")}
    rows = []
    for ep in people:
        link = links.get((ep.enrolment.account_id, ep.person_id))
        rows.append(AttendanceRow(ep.person, marks.get(ep.person_id), consents.get(ep.person_id, False),
                                  link is not None, ep.enrolment.account.display_name() if link else "", link))
    return rows
