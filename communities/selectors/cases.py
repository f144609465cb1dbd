"""Reads of cases: what a user may see, lists with filters, the detail timeline."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import policy, workflow
from ..dates import local_midnight
from ..models import (
    OPEN_STATUSES, Case, CaseEvent, CasePhoto, CaseRating, CaseReferral, CaseStatus, Community, PendingPhoto, Person, Residency, Unit, User,
)
from .personal_data import Subject, reporter_subject

# Joined in the list query: few, because PostgreSQL's planning time grows steeply with each further join
# (bench_town: 0.5 ms with these three, 30 ms with all seven, on the case table's 23 indexes); the
# rest come in one small query each.
LIST_JOINED = ("community", "category", "building")

from .teams import team_ids_of  # noqa: E402


def overdue_q(now) -> Q:
    """Not acknowledged by its acknowledge deadline, or not fixed by its fix deadline."""
    late_ack = Q(status__in=[CaseStatus.SUBMITTED, CaseStatus.DISPATCHED], ack_due_at__lt=now)
    # Awaiting verification counts too: a fix the committee has not come to verify is still overdue.
    late_fix = Q(status__in=[CaseStatus.SUBMITTED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS,
                             CaseStatus.AWAITING_VERIFICATION], fix_due_at__lt=now)
    return late_ack | late_fix


def _with_person(relation: str) -> Prefetch:
    return Prefetch(relation, queryset=User.objects.select_related("person"))


def list_prefetches() -> tuple:
    """What a row of a case list shows (``case_cards.case_card``): the place. Not the handler."""
    return (Prefetch("unit", queryset=Unit.objects.select_related("building")), "public_place")


def handler_prefetches() -> tuple:
    """The handler, person or team, for pages and exports that name it."""
    return (_with_person("handler_user"), "handler_team")


def for_list(qs: QuerySet) -> QuerySet:
    return qs.select_related(*LIST_JOINED).prefetch_related(*list_prefetches())


def cases_visible(*, user, action: str = "case.view") -> QuerySet:
    return policy.scope(user, action, Case.objects.all())


def my_cases(*, user) -> QuerySet:
    """My own reports and the cases I follow; ``is_mine`` tells them apart (the list labels 我关注的)."""
    mine = ExpressionWrapper(Q(reporter=user), output_field=BooleanField())
    return (for_list(Case.objects.filter(Q(reporter=user) | Q(followers=user)).distinct())
            .annotate(is_mine=mine).order_by("-created_at", "-id"))


def work_queue(*, user) -> QuerySet:
    team_ids = team_ids_of(user)
    return for_list(Case.objects.filter(Q(handler_user=user) | Q(handler_team__in=team_ids))
                    .filter(status__in=[CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS,
                                        CaseStatus.AWAITING_VERIFICATION])).order_by("fix_due_at", "created_at")


@dataclass
class CaseFilters:
    community: Community | None = None
    status: str = ""
    category: int | None = None
    building: int | None = None
    handler: int | None = None
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


def staff_cases(*, user, filters: CaseFilters, now=None) -> QuerySet:
    """The committee's list: every case of the user's communities, filtered."""
    qs = policy.scope(user, "case.list", Case.objects.all())
    f = filters
    if f.community:
        qs = qs.filter(community=f.community)
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.building:
        qs = qs.filter(building_id=f.building)
    if f.handler:
        qs = qs.filter(handler_user_id=f.handler)
    if f.overdue:
        qs = qs.filter(overdue_q(now or timezone.now()))
    if f.date_from:
        qs = qs.filter(created_at__gte=local_midnight(f.date_from))
    if f.date_to:
        qs = qs.filter(created_at__lt=local_midnight(f.date_to + timedelta(days=1)))
    if f.q:
        text = f.q.strip()
        match = Q(description__icontains=text) | Q(place_text__icontains=text) | Q(category__name__icontains=text)
        if text.lstrip("#").isdigit():
            match |= Q(pk=int(text.lstrip("#")))
        qs = qs.filter(match)
    return for_list(qs).order_by("-created_at")


def for_table(qs: QuerySet, *, now=None) -> QuerySet:
    """The desktop table's columns beyond a card's: handler (person or team), reporter with their person,
    and whether the case is overdue (``overdue_q``), at a fixed number of queries per page."""
    return qs.prefetch_related(*handler_prefetches(), _with_person("reporter")).annotate(
        is_overdue=ExpressionWrapper(overdue_q(now or timezone.now()), output_field=BooleanField()))


def similar_open_cases(*, user, community_id: int, building_id: int | None = None,
                       public_place_id: int | None = None, category_id: int | None = None,
                       limit: int = 5) -> list[Case]:
    """Other people's open cases at the same shared place, shown before filing so people can follow one
    instead: the building's public parts (never a flat's own case: ``policy.shared_place_q``, the same scope
    as ``case.follow``) or the public place, of the chosen category when one is chosen. The box shows no
    names, so only the place, category, status and one line of the description are loaded."""
    if not (building_id or public_place_id):
        return []
    qs = Case.objects.filter(policy.shared_place_q(), community_id=community_id).exclude(reporter=user)
    if public_place_id:
        qs = qs.filter(public_place_id=public_place_id)
    else:
        qs = qs.filter(building_id=building_id)
    if category_id:
        qs = qs.filter(category_id=category_id)
    return list(qs.select_related("category", "building", "public_place").order_by("-created_at", "-id")[:limit])


def pending_photos_of(*, user, token: str) -> list[PendingPhoto]:
    """The user's photos kept under a filing form's ``photo_token``, not expired; another user's token (or
    none) finds nothing (``case.pending_photo``)."""
    if not token or len(token) > 43:
        return []
    qs = PendingPhoto.objects.filter(token=token, expires_at__gt=timezone.now())
    return list(policy.scope(user, "case.pending_photo", qs).order_by("id"))


MERGE_TARGETS_LIMIT = 50


def merge_targets(*, case: Case) -> QuerySet:
    """The open cases a duplicate may be merged into: same community, at the same building (or public place;
    with neither, the community's), not itself, not merged themselves; newest first."""
    qs = Case.objects.filter(community_id=case.community_id, status__in=OPEN_STATUSES, merged_into__isnull=True)
    if case.building_id:
        qs = qs.filter(building_id=case.building_id)
    elif case.public_place_id:
        qs = qs.filter(public_place_id=case.public_place_id)
    ids = list(qs.exclude(pk=case.pk).order_by("-created_at", "-id").values_list("pk", flat=True)[:MERGE_TARGETS_LIMIT])
    return Case.objects.filter(pk__in=ids).select_related("category").order_by("-created_at", "-id")


def case_for_detail(*, user, case_id: int) -> Case:
    """The case row for its page: what the access check, the actions and the header need, and the id of its
    last event (``last_event_id``), which versions its history. The history itself (place, handler team,
    people, events, photos) is loaded by ``case_load_history``, only when the page needs it."""
    last_event = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-id").values("id")[:1]
    qs = Case.objects.select_related(*LIST_JOINED, "rating", "origin").annotate(last_event_id=Subquery(last_event))
    return policy.get_object_or_404_for(user, "case.view", qs, pk=case_id)


def case_for_summary(*, user, case_id: int) -> Case:
    """The case row for the reduced page of a follower (``case.view_summary``): its category and place."""
    qs = Case.objects.select_related(*LIST_JOINED, "unit__building", "public_place")
    return policy.get_object_or_404_for(user, "case.view_summary", qs, pk=case_id)


def case_load_history(case: Case) -> None:
    """Everything the case page shows beyond the case row, in five queries whatever the number of events."""
    prefetch_related_objects(
        [case], Prefetch("unit", queryset=Unit.objects.select_related("building")), "public_place",
        "handler_team", "merged_into",
        Prefetch("events", queryset=CaseEvent.objects.prefetch_related(
            Prefetch("photos", queryset=CasePhoto.objects.order_by("id"))).order_by("at", "id")))
    _attach_people(case)


PEOPLE = ("reporter", "handler_user", "filed_by")


def _attach_people(case: Case) -> None:
    """The reporter, the handler, whoever filed it and the actors of its events, with their persons, in one
    query: they are mostly the same few people, and a join or a prefetch per relation would cost more."""
    events = case.events.all()
    users = User.objects.select_related("person").in_bulk(
        ({getattr(case, f"{name}_id") for name in PEOPLE} | {e.actor_id for e in events}) - {None})
    for name in PEOPLE:
        Case._meta.get_field(name).set_cached_value(case, users.get(getattr(case, f"{name}_id")))
    actor = CaseEvent._meta.get_field("actor")
    for event in events:
        actor.set_cached_value(event, users.get(event.actor_id))


def referrals_of(case: Case) -> list[CaseReferral]:
    """The case's referrals to agencies, without a query for the cases never referred: a referral is always
    made with a "refer" event (``case_refer``), and few cases have one."""
    if not any(event.action == "refer" for event in case.events.all()):
        return []
    return list(CaseReferral.objects.select_related("agency").filter(case=case).order_by("at", "id"))


# Past-tense labels for the timeline ("dispatched"), distinct from the buttons ("dispatch").
EVENT_LABELS = {
    "file": pgettext_lazy("case timeline", "提交"), "dispatch": pgettext_lazy("case timeline", "派单"),
    "refer": pgettext_lazy("case timeline", "转职能部门"), "acknowledge": pgettext_lazy("case timeline", "接单处理"),
    "report_fixed": pgettext_lazy("case timeline", "报告已解决"),
    "verify_pass": pgettext_lazy("case timeline", "上门验收通过"),
    "verify_fail": pgettext_lazy("case timeline", "验收不通过，退回"),
    "reject": pgettext_lazy("case timeline", "不予受理"), "merge": pgettext_lazy("case timeline", "合并为重复件"),
    "withdraw": pgettext_lazy("case timeline", "撤回"), "reopen": pgettext_lazy("case timeline", "要求重新办理"),
    "rate": pgettext_lazy("case timeline", "回访评价"), "follow": pgettext_lazy("case timeline", "有居民关注"),
    "escalate": pgettext_lazy("case timeline", "超时督办"),
}


@dataclass
class TimelineEntry:
    label: str
    at: datetime
    actor_label: str
    note: str
    photos: list


def timeline(*, case: Case, show_reporter: bool) -> list[TimelineEntry]:
    entries = []
    for event in case.events.all():
        label = str(EVENT_LABELS.get(event.action, event.action))
        if event.action == "dispatch" and event.data.get("auto"):
            label = str(pgettext_lazy("case timeline", "自动派单"))
        elif event.action == "escalate":
            label = str(_("超时督办：第 %(level)s 级")) % {"level": event.data.get("level")}
        elif event.action == "rate":
            label = f"{label}：{CaseRating.Score(event.data['score']).label}"
        if event.actor_id is None:
            actor = str(_("系统"))
        elif event.actor_id == case.reporter_id and not show_reporter:
            actor = str(_("反映人"))
        else:
            actor = event.actor.display_name()
        entries.append(TimelineEntry(label, event.at, actor, event.note, list(event.photos.all())))
    return entries


def case_view_model(*, user, case: Case) -> dict:
    """What the detail page may show this user: allowed actions, and whether the reporter is named. From the
    case row alone (``case_for_detail``); the history is ``case_history``."""
    relations = policy.case_relations(user, case)
    staff = "staff" in relations or "secretary" in relations
    show_reporter = staff or "reporter" in relations or ("handler" in relations and not case.anonymous)
    rating = getattr(case, "rating", None)  # RelatedObjectDoesNotExist is an AttributeError
    actions = workflow.actions_for(case.status, relations)
    if case.status == CaseStatus.CLOSED:
        can_reopen = (rating is not None and (rating.score == "unsatisfied" or rating.partly_fixed)
                      and not case.rating_reopened)
        actions = [t for t in actions if t.action != "reopen" or can_reopen]
    return {
        "relations": relations,
        "actions": actions,
        "show_reporter": show_reporter,
        "show_reporter_phone": policy.can(user, "case.reporter_contact", case),
        "can_rate": "reporter" in relations and case.status == CaseStatus.CLOSED and rating is None,
        "rating": rating,
    }


def unit_tenants(*, unit_id: int) -> list:
    """The tenants living in a flat now (``Residency``, relation tenant), for the case page's handler; their
    phones go through the personal-data path (``residency_subjects``, decided per flat)."""
    return list(Residency.objects.filter(unit_id=unit_id, moved_out__isnull=True,
                                         relation=Residency.Relation.TENANT)
                .select_related("person", "unit__building").order_by("moved_in", "id"))


def reporter_contact(case: Case) -> Subject:
    """The reporter's phone, to reveal to those who may see it (``case.reporter_contact``): the person's
    phone, or the one a walk-in caller gave. Read on every visit, never kept with the page."""
    person = Person.objects.filter(user_id=case.reporter_id).first() if case.reporter_id else None
    return reporter_subject(case, person)


def case_history(*, case: Case, show_reporter: bool) -> dict:
    """The case's place, people, referrals and timeline (``case_load_history`` loads them)."""
    case_load_history(case)
    return {"timeline": timeline(case=case, show_reporter=show_reporter), "referrals": referrals_of(case)}
