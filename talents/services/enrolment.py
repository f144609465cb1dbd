"""Enrolment and the fair waitlist (issue 13 item 4). The rules, each kept here once:

- an entry counts as many seats as it has people and is enrolled only if all of them fit, otherwise it waits;
- the allocation rule is the class's, published before it opens: 先到先得, or 抽签 for the entries made before
  ``opens_at``, drawn at ``opens_at`` with a stored seed (``talents.lottery``), the order kept on the class and
  in each entry's event; entries made after the opening are first come, behind the drawn ones;
- a freed seat is offered to the next waiting entry (in list order) whose people all fit the free seats AND
  still meet the audience rule on the day of the offer; the entries passed over get an event saying why; an
  offer holds its seats for ``offer_hours`` (24 h by default) and is told in the inbox; accepted → enrolled,
  declined or unanswered (``offers_expire``, on the beat) → it passes on;
- anyone leaves the list or the class in one step, which frees the seats and makes the next offer;
- staff move an entry (to the front, or straight in) only with a reason, kept on its timeline.

Concurrency: every service here locks the class row first (``SELECT … FOR UPDATE``) and only then reads the
seats taken, so two people taking the last seat at the same moment are served one after the other: exactly one
gets it, the other waits. Nothing else writes an entry of a class without that lock.
"""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.texts import deferred
from communities.statemachine import Step

from ..audience import audience_refusal, entrant_of
from ..enrolment_workflow import ENROLMENT
from ..lottery import lottery_order, new_seed
from ..models import (
    OPEN_ENROLMENT, SEAT_HOLDING, Enrolment, EnrolmentEvent, EnrolmentPerson, Guardianship, TalentClass,
)

S = Enrolment.Status
LOTTERY = TalentClass.Allocation.LOTTERY


# --- small pieces ---------------------------------------------------------------------------------------------

def _lock_class(class_id: int) -> TalentClass:
    return TalentClass.objects.select_for_update(of=("self",)).select_related("studio__team").get(pk=class_id)


def _today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def _step(entry: Enrolment, action: str, actor, *, at, note: str = "", fields=(), data=None) -> EnrolmentEvent:
    """One step of the table (``ENROLMENT``); a step the entry's status does not allow is refused."""
    transition = ENROLMENT.transition_for(entry.status, action)
    if transition is None:
        raise ENROLMENT.refusal(entry)
    return ENROLMENT.apply(Step(entry, transition, set(), entry.status), actor, note=note, fields=fields,
                           data=data or {}, at=at)


def _event(entry: Enrolment, action: str, actor, *, at, note: str = "", data=None) -> EnrolmentEvent:
    """An event that changes no status (the entry's creation, being passed over)."""
    return EnrolmentEvent.objects.create(enrolment=entry, actor=actor, action=action, to_status=entry.status,
                                         note=note, data=data or {}, at=at)


def seats_taken(talent_class) -> int:
    """Seats of the enrolled and the offered entries (an offer holds its seats until answered)."""
    return (Enrolment.objects.filter(talent_class=talent_class, status__in=SEAT_HOLDING)
            .aggregate(n=Sum("seats"))["n"] or 0)


def _next_position(talent_class) -> int:
    last = Enrolment.objects.filter(talent_class=talent_class).aggregate(p=Max("position"))["p"]
    return (last or 0) + 1


def _class_url(talent_class) -> str:
    return reverse("talents:class_detail", args=[talent_class.pk])


def _entrants(entry: Enrolment):
    return [entrant_of(ep.person) for ep in entry.people.all()]


def _tell(entry: Enrolment, title, body) -> None:
    notify(recipient=entry.account, title=title, body=body, url=_class_url(entry.talent_class))


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- allocation (always under the class lock) -------------------------------------------------------------------

def _allocate(talent_class: TalentClass, now: dt.datetime, *, direct: bool = False) -> list[Enrolment]:
    """Give the free seats to the waiting entries, in list order: each to the next entry that fits them whole
    and meets the audience rule today. ``direct``: enrol at once (the lottery draw, everyone asked in advance);
    otherwise offer for ``offer_hours``. The entries passed over for an offer get an event saying why."""
    if talent_class.status != TalentClass.Status.OPEN:
        return []
    if talent_class.allocation == LOTTERY and talent_class.lottery_drawn_at is None:
        return []
    free = talent_class.capacity - seats_taken(talent_class)
    if free <= 0:
        return []
    waiting = list(Enrolment.objects.filter(talent_class=talent_class, status=S.WAITING)
                   .select_related("account").prefetch_related("people__person__child_profile")
                   .order_by("position", "id"))
    given, passed = [], []
    for entry in waiting:
        if free <= 0:
            break
        entry.talent_class = talent_class
        refusal = audience_refusal(talent_class, _entrants(entry), on=_today(now))
        if refusal:
            passed.append((entry, "audience", refusal))
            continue
        if entry.seats > free:
            passed.append((entry, "seats", _("空出 %(free)s 个名额，这条报名有 %(seats)s 人，不拆开报名。")
                           % {"free": free, "seats": entry.seats}))
            continue
        _give(talent_class, entry, now, direct=direct)
        for skipped, why, note in passed:
            _event(skipped, "passed_over", None, at=now, note=note, data={"why": why, "to": entry.pk})
        passed = []
        free -= entry.seats
        given.append(entry)
    return given


def _give(talent_class: TalentClass, entry: Enrolment, now: dt.datetime, *, direct: bool) -> None:
    if direct:
        entry.enrolled_at = now
        _step(entry, "enrol", None, at=now, fields=["enrolled_at"], data={"seats": entry.seats})
        _tell(entry, deferred(gettext_lazy("报名成功：%(title)s"), title=talent_class.title),
              deferred(gettext_lazy("您报名的 %(seats)s 人已获得名额。不能参加时请在课程页面点“退出”，把名额让给候补的人。"),
                       seats=entry.seats))
        return
    entry.offer_expires_at = now + dt.timedelta(hours=talent_class.offer_hours)
    _step(entry, "offer", None, at=now, fields=["offer_expires_at"],
          data={"seats": entry.seats, "expires_at": timezone.localtime(entry.offer_expires_at).isoformat()})
    _tell(entry, deferred(gettext_lazy("候补到名额：%(title)s"), title=talent_class.title),
          deferred(gettext_lazy("有 %(seats)s 个名额为您保留到 %(deadline)s。请在课程页面确认报名或放弃；逾期未确认，名额顺延给下一位。"),
                   seats=entry.seats, deadline=_local(entry.offer_expires_at)))


def _draw(talent_class: TalentClass, now: dt.datetime, seed: int | None) -> list[int]:
    """The lottery: the entries made before the opening, ordered by id and shuffled by the seed, join the list in
    that order; then the seats go to them in it (enrolled at once: they all asked in advance)."""
    seed = new_seed() if seed is None else seed
    entries = {e.pk: e for e in Enrolment.objects.filter(talent_class=talent_class, status=S.REQUESTED)}
    order = lottery_order(entries, seed)
    talent_class.lottery_seed, talent_class.lottery_drawn_at, talent_class.lottery_order = seed, now, order
    talent_class.save(update_fields=["lottery_seed", "lottery_drawn_at", "lottery_order"])
    base = _next_position(talent_class)
    for rank, pk in enumerate(order, start=1):
        entry = entries[pk]
        entry.position = base + rank - 1
        _step(entry, "draw", None, at=now, fields=["position"],
              note=_("随机种子 %(seed)s，抽签顺序第 %(rank)s 位（共 %(total)s 条）。") % {
                  "seed": seed, "rank": rank, "total": len(order)},
              data={"seed": seed, "rank": rank, "order": order})
    given = {e.pk for e in _allocate(talent_class, now, direct=True)}
    for pk in order:
        if pk not in given:
            entry = entries[pk]
            _tell(entry, deferred(gettext_lazy("抽签结果：%(title)s"), title=talent_class.title),
                  deferred(gettext_lazy("这次抽签您排在候补中。有人退出时，名额会按顺序留给候补的人，并在消息里通知您。")))
    return order


# --- the services ----------------------------------------------------------------------------------------------

def _people_for(*, actor, person_ids, talent_class):
    """The people ``actor`` may enrol: themself and the children linked to them as guardian (in this community).
    Anyone else is refused."""
    from communities.models import Person

    wanted = {int(pk) for pk in person_ids}
    if not wanted:
        raise DomainError(_("请选择要报名的人。"), code="empty")
    community_id = talent_class.studio.team.community_id
    allowed = set(Person.objects.filter(user=actor).values_list("pk", flat=True))
    allowed |= set(Guardianship.objects.filter(guardian=actor, community_id=community_id)
                   .values_list("child_id", flat=True))
    if not wanted <= allowed:
        raise DomainError(_("只能为自己和登记在您名下的孩子报名（孩子须由监护人报名）。"), code="not_guardian")
    return list(Person.objects.filter(pk__in=wanted).select_related("child_profile").order_by("pk"))


def enrolment_request(*, talent_class: TalentClass, actor, person_ids, now: dt.datetime | None = None
                      ) -> tuple[Enrolment, bool]:
    """Ask for a class for these people. Returns (entry, created): a second request of the same account while
    its entry is open (a double-submitted form) makes nothing and returns that entry."""
    now = now or timezone.now()
    with transaction.atomic():
        talent_class = _lock_class(talent_class.pk)
        if not policy.can(actor, "talents.class.enrol", talent_class):
            raise PermissionDenied
        existing = Enrolment.objects.filter(talent_class=talent_class, account=actor,
                                            status__in=OPEN_ENROLMENT).first()
        if existing is not None:
            return existing, False
        if talent_class.status != TalentClass.Status.OPEN:
            raise DomainError(_("这门课现在不接受报名。"), code="closed")
        lottery = talent_class.allocation == LOTTERY
        if now < talent_class.opens_at and not lottery:
            raise DomainError(_("%(at)s 开始报名，先到先得。") % {"at": _local(talent_class.opens_at)}, code="early")
        people = _people_for(actor=actor, person_ids=person_ids, talent_class=talent_class)
        refusal = audience_refusal(talent_class, [entrant_of(p) for p in people], on=_today(now))
        if refusal:
            raise DomainError(refusal, code="audience")
        taken = (EnrolmentPerson.objects.filter(enrolment__talent_class=talent_class, person__in=people,
                                                enrolment__status__in=OPEN_ENROLMENT)
                 .select_related("person").first())
        if taken is not None:
            raise DomainError(_("%(name)s 已经在这门课的报名里（由另一个账号报名）。") % {"name": taken.person.name},
                              code="duplicate_person")
        if lottery and now >= talent_class.opens_at and talent_class.lottery_drawn_at is None:
            _draw(talent_class, now, None)  # the entries made in advance go first, as published
        entry = _create(talent_class=talent_class, actor=actor, people=people, now=now,
                        before_draw=lottery and now < talent_class.opens_at)
        _record_referral(entry, actor)
    return entry, True


def _create(*, talent_class, actor, people, now, before_draw: bool) -> Enrolment:
    seats = len(people)
    if before_draw:
        entry = Enrolment.objects.create(talent_class=talent_class, account=actor, seats=seats, status=S.REQUESTED,
                                         requested_at=now)
        EnrolmentPerson.objects.bulk_create([EnrolmentPerson(enrolment=entry, person=p) for p in people])
        _event(entry, "requested", actor, at=now, data={"seats": seats, "draw_at": timezone.localtime(talent_class.opens_at).isoformat()})
        return entry
    _allocate(talent_class, now)  # anyone eligible ahead in the list is offered first
    fits = talent_class.capacity - seats_taken(talent_class) >= seats
    entry = Enrolment.objects.create(
        talent_class=talent_class, account=actor, seats=seats, requested_at=now,
        status=S.ENROLLED if fits else S.WAITING, enrolled_at=now if fits else None,
        position=_next_position(talent_class))
    EnrolmentPerson.objects.bulk_create([EnrolmentPerson(enrolment=entry, person=p) for p in people])
    _event(entry, "enrolled" if fits else "waitlisted", actor, at=now,
           data={"seats": seats, "position": entry.position})
    return entry


def _record_referral(entry: Enrolment, actor) -> None:
    """A trial class with a partner merchant: the enrolment is a referral (class → merchant); nothing is sold."""
    talent_class = entry.talent_class
    if not (talent_class.is_trial and talent_class.partner_merchant_id):
        return
    from talents.models import Merchant  # the studios branch's model
    from talents.services.merchants import merchant_referral_record

    merchant = Merchant.objects.get(pk=talent_class.partner_merchant_id)
    merchant_referral_record(merchant=merchant, source_kind="talents.enrolment", source_id=entry.pk, user=actor)


def _lock_entry(entry_id: int) -> tuple[TalentClass, Enrolment]:
    class_id = Enrolment.objects.filter(pk=entry_id).values_list("talent_class_id", flat=True).first()
    if class_id is None:
        raise Enrolment.DoesNotExist
    talent_class = _lock_class(class_id)
    entry = (Enrolment.objects.select_for_update(of=("self",)).select_related("account")
             .prefetch_related("people__person__child_profile").get(pk=entry_id))
    entry.talent_class = talent_class
    return talent_class, entry


def _own(entry: Enrolment, actor) -> None:
    if entry.account_id != actor.pk:
        raise PermissionDenied


def enrolment_leave(*, entry_id: int, actor, now: dt.datetime | None = None) -> bool:
    """Leave the list or the class, in one step; the seats go to the next entry. False: already left."""
    now = now or timezone.now()
    with transaction.atomic():
        talent_class, entry = _lock_entry(entry_id)
        _own(entry, actor)
        if entry.status not in OPEN_ENROLMENT:
            return False
        held = entry.status in SEAT_HOLDING
        entry.closed_at = now
        _step(entry, "leave", actor, at=now, fields=["closed_at"], data={"seats": entry.seats})
        if held:
            _allocate(talent_class, now)
    return True


ACCEPTED, REPEAT, TOO_LATE = "accepted", "repeat", "too_late"


def offer_accept(*, entry_id: int, actor, now: dt.datetime | None = None) -> str:
    """Take the offered seats: ``accepted``; ``repeat`` when already enrolled; ``too_late`` when the deadline
    passed (the offer expires now and passes on)."""
    now = now or timezone.now()
    with transaction.atomic():
        talent_class, entry = _lock_entry(entry_id)
        _own(entry, actor)
        if entry.status == S.ENROLLED:
            return REPEAT
        if entry.status != S.OFFERED:
            raise ENROLMENT.refusal(entry)
        if now > entry.offer_expires_at:
            _expire(talent_class, entry, now)
            _allocate(talent_class, now)
            return TOO_LATE
        entry.enrolled_at = now
        _step(entry, "accept", actor, at=now, fields=["enrolled_at"], data={"seats": entry.seats})
    return ACCEPTED


def offer_decline(*, entry_id: int, actor, now: dt.datetime | None = None) -> bool:
    """Turn the offer down: the seats pass on. False: already declined."""
    now = now or timezone.now()
    with transaction.atomic():
        talent_class, entry = _lock_entry(entry_id)
        _own(entry, actor)
        if entry.status == S.DECLINED:
            return False
        entry.closed_at = now
        _step(entry, "decline", actor, at=now, fields=["closed_at"])
        _allocate(talent_class, now)
    return True


def _expire(talent_class, entry, now) -> None:
    entry.closed_at = now
    _step(entry, "expire", None, at=now, fields=["closed_at"],
          note=_("名额保留到 %(deadline)s，未确认。") % {"deadline": _local(entry.offer_expires_at)})
    _tell(entry, deferred(gettext_lazy("名额已顺延：%(title)s"), title=talent_class.title),
          deferred(gettext_lazy("保留给您的名额到期未确认，已顺延给下一位。您可以重新报名排队。")))


def class_offers_expire(*, talent_class_id: int, now: dt.datetime | None = None) -> int:
    """The offers of one class past their deadline expire and pass on. Idempotent: a second run finds none."""
    now = now or timezone.now()
    with transaction.atomic():
        talent_class = _lock_class(talent_class_id)
        due = list(Enrolment.objects.filter(talent_class=talent_class, status=S.OFFERED, offer_expires_at__lt=now)
                   .select_related("account").order_by("offer_expires_at", "id"))
        for entry in due:
            entry.talent_class = talent_class
            _expire(talent_class, entry, now)
        if due:
            _allocate(talent_class, now)
    return len(due)


def class_lottery_draw(*, talent_class_id: int, now: dt.datetime | None = None, seed: int | None = None) -> bool:
    """Draw the lottery of a class at (or after) its opening time; False when it was drawn already."""
    now = now or timezone.now()
    with transaction.atomic():
        talent_class = _lock_class(talent_class_id)
        if talent_class.allocation != LOTTERY or talent_class.lottery_drawn_at is not None:
            return False
        if talent_class.status != TalentClass.Status.OPEN or now < talent_class.opens_at:
            raise DomainError(_("%(at)s 报名开始时才能抽签。") % {"at": _local(talent_class.opens_at)}, code="early")
        _draw(talent_class, now, seed)
    return True


FRONT, ENROL = "front", "enrol"


def enrolment_staff_move(*, entry_id: int, actor, to: str, reason: str, now: dt.datetime | None = None) -> bool:
    """Committee staff move an entry to the front of the list (``front``) or straight in (``enrol``), only with
    a reason, which its timeline keeps and shows. False: it is already there."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明调整的原因：它会记在这条报名的记录里，报名人也能看到。"), code="reason")
    with transaction.atomic():
        talent_class, entry = _lock_entry(entry_id)
        if not policy.can(actor, "talents.class.staff_move", talent_class):
            raise PermissionDenied
        if to == FRONT:
            return _move_front(talent_class, entry, actor, reason, now)
        if to == ENROL:
            return _staff_enrol(talent_class, entry, actor, reason, now)
        raise DomainError(_("请选择怎样调整。"), code="to")


def _move_front(talent_class, entry, actor, reason, now) -> bool:
    if entry.status != S.WAITING:
        raise ENROLMENT.refusal(entry)
    first = (Enrolment.objects.filter(talent_class=talent_class, status=S.WAITING).exclude(pk=entry.pk)
             .aggregate(p=Min("position"))["p"])
    if first is None or entry.position < first:
        return False
    old, entry.position = entry.position, first - 1
    _step(entry, "staff_front", actor, at=now, note=reason, fields=["position"], data={"from": old, "to": entry.position})
    _allocate(talent_class, now)
    return True


def _staff_enrol(talent_class, entry, actor, reason, now) -> bool:
    if entry.status == S.ENROLLED:
        return False
    held = entry.seats if entry.status == S.OFFERED else 0
    free = talent_class.capacity - seats_taken(talent_class) + held
    if entry.seats > free:
        raise DomainError(_("名额不够：还剩 %(free)s 个，这条报名有 %(seats)s 人。可以先把它移到候补第一位。")
                          % {"free": max(free, 0), "seats": entry.seats}, code="full")
    entry.enrolled_at = now
    _step(entry, "staff_enrol", actor, at=now, note=reason, fields=["enrolled_at"], data={"seats": entry.seats})
    _tell(entry, deferred(gettext_lazy("报名成功：%(title)s"), title=talent_class.title),
          deferred(gettext_lazy("居委工作人员为您办理了报名，原因：%(reason)s"), reason=reason))
    return True


def class_allocate(*, talent_class_id: int, now: dt.datetime | None = None) -> int:
    """Offer the seats a change of the class freed (more seats, a class opened): the host's edit calls it."""
    now = now or timezone.now()
    with transaction.atomic():
        return len(_allocate(_lock_class(talent_class_id), now))
