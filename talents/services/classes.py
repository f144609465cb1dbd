"""A studio's classes: created and edited by its hosts (from a phone), featured by other studios' hosts, and the
photo consent of the people in them. What a studio may offer is the studios area's rule (qualifications):
``_may_offer`` asks it, from here only."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policy
from communities.models import AuditEvent, Backbone
from communities.services.errors import DomainError

from ..models import EnrolmentPerson, FeaturedClass, Guardianship, PhotoConsent, Studio, TalentClass
from . import enrolment, sessions

CLASS_FIELDS = ("title", "description", "audience", "age_min", "age_max", "capacity", "rrule", "first_starts_at",
                "duration_minutes", "ends_on", "place", "kind", "fee", "fee_includes", "safety_note", "allocation",
                "opens_at", "offer_hours", "status", "room", "partner_merchant")


def _may_offer(*, studio: Studio, offer: str, on: dt.date) -> tuple[bool, str]:
    """The studios area's gate (a host's recorded qualification): e.g. a children's class needs every teacher's
    background check within a year."""
    from talents.selectors.studios import may_offer

    return may_offer(studio=studio, offer=offer, on=on)


def studio_hosts(studio: Studio):
    """The studio's hosts in office (``Backbone`` 主理人): a new class's default teachers."""
    from communities.models import User

    return User.objects.filter(backbone_terms__team_id=studio.team_id, backbone_terms__term_end__isnull=True,
                               backbone_terms__office=Backbone.Office.STUDIO_HOST)


def _check(studio: Studio, data: dict, now: dt.datetime) -> None:
    if data["kind"] == TalentClass.Kind.TRIAL and data.get("fee") is None:
        raise DomainError(_("体验课须明码标价：请填写收费金额和费用包含的内容。"), code="fee")
    if data["kind"] == TalentClass.Kind.TRIAL and not (data.get("fee_includes") or "").strip():
        raise DomainError(_("体验课须写明费用包含哪些内容（《明码标价和禁止价格欺诈规定》）。"), code="fee")
    if data["kind"] == TalentClass.Kind.FREE:
        data["fee"], data["fee_includes"], data["partner_merchant"] = None, "", None
    community_id = studio.team.community_id
    if data.get("room") is not None and data["room"].community_id != community_id:
        raise DomainError(_("只能选本社区的活动室。"), code="room")
    if data.get("partner_merchant") is not None and data["partner_merchant"].community_id != community_id:
        raise DomainError(_("只能选本社区的合作商户。"), code="merchant")
    if studio.talent_kind == Studio.TalentKind.KARATE and not (data.get("safety_note") or "").strip():
        raise DomainError(_("空手道等有风险的课程须写安全须知（《民法典》第一千一百七十六条、第一千一百九十八条）。"),
                          code="safety")
    offers = ["class"] + (["children"] if data["audience"] == TalentClass.Audience.CHILDREN else [])
    for offer in offers:
        allowed, reason = _may_offer(studio=studio, offer=offer, on=timezone.localtime(now).date())
        if not allowed:
            raise DomainError(reason, code="qualification")


def class_create(*, studio: Studio, actor, data: dict, teachers=None, now: dt.datetime | None = None) -> TalentClass:
    """A new class of ``studio``; its teachers default to the studio's hosts; sessions are generated ahead."""
    now = now or timezone.now()
    if not policy.can(actor, "talents.class.manage", studio):
        raise PermissionDenied
    data = {k: data.get(k) for k in CLASS_FIELDS if k in data}
    _check(studio, data, now)
    with transaction.atomic():
        talent_class = TalentClass.objects.create(studio=studio, organiser=actor, created_at=now, **data)
        talent_class.teachers.set(list(teachers) if teachers else list(studio_hosts(studio)) or [actor])
        AuditEvent.objects.create(actor=actor, community_id=studio.team.community_id, action="talents.class.create",
                                  detail={"class": talent_class.pk, "title": talent_class.title})
        sessions.class_sessions_generate(talent_class=talent_class, now=now)
    return talent_class


def class_update(*, talent_class: TalentClass, actor, data: dict, teachers=None,
                 now: dt.datetime | None = None) -> bool:
    """Edit a class. Seats freed by a larger capacity (or a class opened) are offered at once."""
    now = now or timezone.now()
    if not policy.can(actor, "talents.class.manage", talent_class):
        raise PermissionDenied
    data = {k: data.get(k) for k in CLASS_FIELDS if k in data}
    _check(talent_class.studio, data, now)
    with transaction.atomic():
        locked = TalentClass.objects.select_for_update(of=("self",)).get(pk=talent_class.pk)
        changed = [k for k, v in data.items() if getattr(locked, k) != v]
        if data.get("capacity") is not None and data["capacity"] < enrolment.seats_taken(locked):
            raise DomainError(_("已有 %(taken)s 个名额被占用，名额不能少于这个数。") % {"taken": enrolment.seats_taken(locked)},
                              code="capacity")
        for k in changed:
            setattr(locked, k, data[k])
        if changed:
            locked.save(update_fields=changed)
            AuditEvent.objects.create(actor=actor, community_id=locked.studio.team.community_id,
                                      action="talents.class.update", detail={"class": locked.pk, "fields": changed})
        if teachers is not None:
            locked.teachers.set(list(teachers))
        sessions.class_sessions_generate(talent_class=locked, now=now)
    if changed:
        enrolment.class_allocate(talent_class_id=locked.pk, now=now)
    return bool(changed)


def class_feature(*, talent_class: TalentClass, studio: Studio, actor, on: bool = True) -> bool:
    """A host puts another studio's class on their studio's page (and first on 本周活动), or takes it off."""
    if not policy.can(actor, "talents.class.manage", studio):
        raise PermissionDenied
    if studio.team.community_id != talent_class.studio.team.community_id:
        raise PermissionDenied
    if talent_class.studio_id == studio.pk:
        raise DomainError(_("自己工作室的课程本来就在工作室页面上。"), code="own")
    if on:
        _row, created = FeaturedClass.objects.get_or_create(talent_class=talent_class, studio=studio,
                                                            defaults={"featured_by": actor})
        return created
    return bool(FeaturedClass.objects.filter(talent_class=talent_class, studio=studio).delete()[0])


def photo_consent_set(*, talent_class: TalentClass, person_id: int, actor, consented: bool,
                      now: dt.datetime | None = None) -> PhotoConsent:
    """The person themself, or their guardian for a child, says whether photos of them in this class may be
    published (default: no)."""
    now = now or timezone.now()
    own = getattr(getattr(actor, "person", None), "pk", None) == person_id
    guardian = Guardianship.objects.filter(guardian=actor, child_id=person_id).exists()
    if not (own or guardian):
        raise PermissionDenied
    if not EnrolmentPerson.objects.filter(enrolment__talent_class=talent_class, person_id=person_id).exists():
        raise DomainError(_("只有报名这门课的人才需要照片授权。"), code="not_enrolled")
    row, _created = PhotoConsent.objects.update_or_create(
        talent_class=talent_class, person_id=person_id,
        defaults={"consented": consented, "given_by": actor, "updated_at": now})
    return row
