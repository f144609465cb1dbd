"""Filing a case, following one, and routing it on arrival."""
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import extensions, policy
from ..models import Case, CaseCategory, CaseEvent, CaseOrigin, CaseStatus, Community, normalize_phone
from . import case_notify as n
from .errors import DomainError
from .photos import pending_photos_take, photo_process, photos_attach
from .routing import route_for

MAX_DESCRIPTION = 2000


def case_file(*, filed_by, community: Community, category: CaseCategory, description: str, reporter=None,
              unit=None, building=None, public_place=None, place_text: str = "", anonymous: bool = False,
              channel: str = Case.Channel.APP, reporter_name: str = "", reporter_phone: str = "",
              photos=(), pending_photos=()) -> Case:
    """A resident (or committee staff on someone's behalf) files a case; it is routed at once if a rule matches.

    ``pending_photos`` are the filer's photos kept from an earlier attempt (``pending_photos_keep``): they
    become the case's photos, after the new ``photos``, and are deleted once the case is committed."""
    # A case from a meeting is the filer's own (they took it up there), not one filed for someone else.
    own_channel = channel in (Case.Channel.APP, Case.Channel.MEETING)
    on_behalf = not own_channel or (reporter is not None and reporter != filed_by)
    if on_behalf:
        if not policy.can(filed_by, "case.file_on_behalf", community):
            raise PermissionDenied
    else:
        reporter = filed_by
        if not policy.can(filed_by, "case.file", community):
            raise PermissionDenied
    _check_place(community=community, category=category, unit=unit, building=building, public_place=public_place)
    description = (description or "").strip()
    if not description:
        raise DomainError(_("请描述一下情况。"), code="description")
    if reporter is None and not reporter_name.strip():
        raise DomainError(_("代为登记时请填写反映人姓名。"), code="reporter")
    try:
        reporter_phone = normalize_phone(reporter_phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="phone") from None
    processed = [photo_process(upload=p) for p in photos]  # refuse bad photos before writing anything
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            community=community, category=category, reporter=reporter, filed_by=filed_by, channel=channel,
            reporter_name=reporter_name.strip(), reporter_phone=reporter_phone,
            anonymous=anonymous, unit=unit, building=building or (unit.building if unit else None),
            public_place=public_place, place_text=place_text.strip()[:200], description=description[:MAX_DESCRIPTION],
            created_at=now, ack_due_at=now + timedelta(hours=category.ack_hours),
            fix_due_at=now + timedelta(hours=category.fix_hours),
        )
        event = CaseEvent.objects.create(case=case, actor=filed_by, action="file", to_status=CaseStatus.SUBMITTED,
                                         at=now, data={"channel": channel})
        processed += pending_photos_take(photos=[p for p in pending_photos if p.uploaded_by_id == filed_by.pk])
        photos_attach(case=case, event=event, uploaded_by=filed_by, processed=processed)
        _route_on_arrival(case=case, now=now)
    return case


def case_origin_record(*, case: Case, kind: str, object_id: int) -> CaseOrigin:
    """Record that ``case`` was filed from the app object ``kind`` #``object_id`` (a kind registered with
    ``extensions.register_case_origin``). Called by the filing service in its own transaction; a second call
    for the same case keeps the first origin and returns it."""
    if kind not in extensions.CASE_ORIGINS:
        raise ValueError(f"case origin {kind!r} is not registered (extensions.register_case_origin)")
    origin, _created = CaseOrigin.objects.get_or_create(
        case=case, defaults={"app_label": kind.partition(".")[0], "kind": kind, "object_id": object_id})
    return origin


def _check_place(*, community, category, unit, building, public_place) -> None:
    if category.community_id != community.pk or not category.active:
        raise DomainError(_("请选择本社区的问题类别。"), code="category")
    if unit is not None and unit.building.community_id != community.pk:
        raise DomainError(_("所选房屋不在本社区。"), code="place")
    if building is not None and building.community_id != community.pk:
        raise DomainError(_("所选楼栋不在本社区。"), code="place")
    if unit is not None and building is not None and unit.building_id != building.pk:
        raise DomainError(_("所选房屋不在所选楼栋。"), code="place")
    if public_place is not None and public_place.community_id != community.pk:
        raise DomainError(_("所选地点不在本社区。"), code="place")


def _route_on_arrival(*, case: Case, now) -> None:
    route = route_for(case=case)
    if route.found:
        case.status = CaseStatus.DISPATCHED
        case.handler_user, case.handler_team = route.user, route.team
        case.dispatched_at = now
        case.save(update_fields=["status", "handler_user", "handler_team", "dispatched_at"])
        CaseEvent.objects.create(case=case, actor=None, action="dispatch", from_status=CaseStatus.SUBMITTED,
                                 to_status=CaseStatus.DISPATCHED, at=now,
                                 data={"auto": True, "handler_user": route.user and route.user.pk,
                                       "handler_team": route.team and route.team.pk})
        n.tell(n.handler_users(case), case=case, title=n.title(gettext_lazy("新诉求派给您处理：%(case)s"), case))
    else:
        n.tell(n.staff_users(case), case=case, title=n.title(gettext_lazy("新诉求待派单：%(case)s"), case))
    n.tell([case.reporter], case=case, title=n.title(gettext_lazy("已收到您反映的问题：%(case)s"), case),
           body=gettext_lazy("我们会尽快处理，处理进展会通知您。"))


def case_follow(*, case_id: int, user) -> bool:
    """Follow an open case instead of filing a duplicate. Returns False if already following.

    Only what the similar-case box could show (``case.follow``: an open case at a shared place of the
    user's community): following is not a way into someone's flat case."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not policy.roles_in(user, case.community_id):
            raise PermissionDenied
        if not case.is_open:
            raise DomainError(_("这件诉求已经结束，不能再关注。"), code="state")
        if case.reporter_id == user.pk or case.followers.filter(pk=user.pk).exists():
            return False
        if not policy.can(user, "case.follow", case):
            raise PermissionDenied
        case.followers.add(user)
        CaseEvent.objects.create(case=case, actor=user, action="follow", from_status=case.status,
                                 to_status=case.status)
    return True
