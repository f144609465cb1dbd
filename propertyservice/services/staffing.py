"""Recruitment (application → training → assessment → hired, a failed assessment retaken) and training
(sessions and who attended). Each step of a recruit goes through the core engine
(``propertyservice.staffing_workflow.RECRUITMENT``): it locks the row, checks the manager and the state, and a
double click is a repeat that writes nothing."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.models import Community, Person
from communities.services.audit import audit
from communities.services.errors import DomainError

from ..models import RECRUIT_OPEN, Assessment, Recruit, RecruitEvent, StationPost, TrainingAttendance, TrainingSession
from ..selectors.station import hire_candidates
from ..staffing_workflow import RECRUITMENT
from .station import MANAGE, birth_date_of, security_age_check, staff_post_assign

OPEN = RECRUIT_OPEN
PASS_MARK = 60


@dataclass
class Outcome:
    obj: object
    changed: bool


def recruit_apply(*, actor, community, person: Person, post: StationPost, birth_date: dt.date | None = None,
                  note: str = "", now=None) -> Outcome:
    """An application for ``post``. A security post is refused to anyone under 18 (the birth date is the core
    person's, else the one given here). A second open application of the same person for the same post is the
    first one."""
    if not policy.can(actor, MANAGE, community):
        raise PermissionDenied
    if post.community_id != community.pk:
        raise DomainError(_("请选择本村的岗位。"), code="post")
    if not hire_candidates(community=community).filter(pk=person.pk).exists():
        raise DomainError(_("应聘人须是本村的村民或本村人员。"), code="person")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if birth_date is not None and birth_date >= today:
        raise DomainError(_("出生日期不正确。"), code="birth")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        current = Recruit.objects.filter(community=community, person=person, post=post, status__in=OPEN).first()
        if current is not None:
            return Outcome(current, False)
        birth = person.birth_date or birth_date or birth_date_of(person, community=community)
        security_age_check(post=post, birth=birth, day=today)
        recruit = Recruit.objects.create(community=community, person=person, post=post, note=(note or "").strip(),
                                         birth_date=None if person.birth_date else birth, created_by=actor,
                                         created_at=now)
        RecruitEvent.objects.create(recruit=recruit, actor=actor, action="applied", to_status=recruit.status, at=now)
        audit(actor=actor, action="propertyservice.recruit_apply", community=community, recruit=recruit.pk)
    return Outcome(recruit, True)


def _step(recruit_id: int, actor, action: str, *, note: str = "", fields=(), data=None, now=None) -> Outcome:
    with transaction.atomic():
        step = RECRUITMENT.begin(recruit_id, actor, action)
        if step.repeat:
            return Outcome(step.obj, False)
        RECRUITMENT.apply(step, actor, note=note, fields=fields, data=data, at=now)
    return Outcome(step.obj, True)


def recruit_start_training(*, recruit_id: int, actor, note: str = "", now=None) -> Outcome:
    return _step(recruit_id, actor, "start_training", note=note, now=now)


def recruit_retake(*, recruit_id: int, actor, note: str = "", now=None) -> Outcome:
    """A failed assessment: back to training, to be assessed again."""
    return _step(recruit_id, actor, "retake", note=note, now=now)


def recruit_withdraw(*, recruit_id: int, actor, note: str = "", now=None) -> Outcome:
    return _step(recruit_id, actor, "withdraw", note=note, now=now)


def recruit_assess(*, recruit_id: int, actor, passed: bool, score: int, note: str = "", now=None) -> Outcome:
    """The assessment after training: pass or fail, the score (0–100), who assessed it."""
    if not 0 <= int(score) <= 100:
        raise DomainError(_("得分应在0到100之间。"), code="score")
    if passed and int(score) < PASS_MARK:
        raise DomainError(_("得分不足60分，不能判定为通过。"), code="score")
    now = now or timezone.now()
    with transaction.atomic():
        step = RECRUITMENT.begin(recruit_id, actor, "pass" if passed else "fail")
        if step.repeat:
            return Outcome(step.obj, False)
        assessment = Assessment.objects.create(recruit=step.obj, passed=passed, score=score, assessor=actor,
                                               assessed_at=now, note=(note or "").strip())
        RECRUITMENT.apply(step, actor, note=assessment.note, data={"score": int(score), "assessment": assessment.pk},
                          at=now)
    return Outcome(step.obj, True)


def recruit_hire(*, recruit_id: int, actor, since: dt.date | None = None, now=None) -> Outcome:
    """Hired into the post applied for: the ``StaffPost`` row (the age and certificate rules apply)."""
    now = now or timezone.now()
    with transaction.atomic():
        step = RECRUITMENT.begin(recruit_id, actor, "hire")
        if step.repeat:
            return Outcome(step.obj, False)
        recruit = step.obj
        post = StationPost.objects.select_related("community").get(pk=recruit.post_id)
        row, _changed = staff_post_assign(actor=actor, post=post, person=recruit.person,
                                          since=since or timezone.localdate(now), now=now,
                                          birth=recruit.birth_date)
        RECRUITMENT.apply(step, actor, data={"staff_post": row.pk}, at=now)
    return Outcome(recruit, True)


# --- training -----------------------------------------------------------------------------------------------

def training_session_create(*, actor, community, topic: str, starts_at: dt.datetime, hours: Decimal,
                            trainer: str = "", place: str = "") -> TrainingSession:
    """A training session; the same topic at the same time again is the session already there."""
    if not policy.can(actor, MANAGE, community):
        raise PermissionDenied
    topic = " ".join((topic or "").split())
    if not topic:
        raise DomainError(_("请填写培训内容。"), code="topic")
    if not Decimal("0.5") <= Decimal(hours) <= Decimal("24"):
        raise DomainError(_("学时应在0.5到24之间。"), code="hours")
    with transaction.atomic():
        # The community row orders two presses of the same form: the second finds the first session.
        Community.objects.select_for_update(no_key=True).filter(pk=community.pk).first()
        same = TrainingSession.objects.filter(community=community, topic=topic, starts_at=starts_at).first()
        if same is not None:
            return same
        session = TrainingSession.objects.create(community=community, topic=topic, starts_at=starts_at, hours=hours,
                                                 trainer=(trainer or "").strip(), place=(place or "").strip(),
                                                 created_by=actor)
        audit(actor=actor, action="propertyservice.training_create", community=community, session=session.pk)
    return session


def training_attendance_record(*, actor, session_id: int, people: list[Person], present_ids: set[int]) -> int:
    """Who came to a session, among ``people`` (the attendance form's list): one row per person, updated in
    place, so sending the form twice changes nothing. Returns how many rows changed."""
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session_id)
        if not policy.can(actor, MANAGE, session):
            raise PermissionDenied
        existing = {a.person_id: a for a in TrainingAttendance.objects.filter(session=session)}
        changed = 0
        for person in people:
            present = person.pk in present_ids
            row = existing.get(person.pk)
            if row is None:
                if present:
                    TrainingAttendance.objects.create(session=session, person=person, present=True, recorded_by=actor)
                    changed += 1
            elif row.present != present:
                row.present, row.recorded_by = present, actor
                row.save(update_fields=["present", "recorded_by"])
                changed += 1
        if changed:
            audit(actor=actor, action="propertyservice.training_attendance", community=session.community,
                  session=session.pk, present=len(present_ids))
    return changed
