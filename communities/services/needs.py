"""One service per transition of a co-building need (共建需求), on the state-machine engine: each begins its
step with ``NEEDS.begin`` (lock the need, check the actor and the state against the table in
``communities.need_workflow``), checks its own input, and ends with ``NEEDS.apply`` (save, append the NeedEvent).
The notifications are outbox rows written in the same transaction. Repeating a step that already happened
changes nothing."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Community, CommunityNeed, NeedEvent, NeedPhoto, Role, Team
from ..need_workflow import NEEDS, need_relations
from ..selectors.places import users_with_role
from ..selectors.teams import is_member as is_team_member
from ..statemachine import Transition
from .errors import DomainError
from .notifications import notify
from .photos import ProcessedPhoto, photo_process, photos_store
from .texts import deferred


@dataclass
class NeedOutcome:
    need: CommunityNeed
    changed: bool
    event: NeedEvent | None = None


def need_actions_for(user, need: CommunityNeed) -> list[Transition]:
    """The transitions the need page offers this user now."""
    return NEEDS.actions_for(need.status, need_relations(user, need))


def need_team_may_claim(*, need: CommunityNeed, team: Team, actor) -> bool:
    """Whether ``actor`` may claim ``need`` for ``team``: a team of the need's community that they belong to.

    The one place that says who counts as a member of the giving team (a claim for a team names it on the
    共建榜)."""
    return team.community_id == need.community_id and is_team_member(team, actor)


def need_photo_store(*, need: CommunityNeed, event: NeedEvent, uploaded_by, processed: ProcessedPhoto) -> NeedPhoto:
    """Save one processed photo of ``need`` (through the core's one photo store)."""
    return photos_store(photos=[NeedPhoto(need=need, event=event, uploaded_by=uploaded_by)],
                        processed=[processed])[0]


def _text(value: str, *, limit: int, field: str, required_message=None) -> str:
    value = (value or "").strip()
    if required_message is not None and not value:
        raise DomainError(required_message, code=field)
    if len(value) > limit:
        raise DomainError(_("%(field)s最多 %(limit)s 个字。") % {"field": field, "limit": limit}, code=field)
    return value


def need_post(*, actor, community: Community, title: str, description: str = "", quantity: str = "",
              photo=None) -> CommunityNeed:
    """Committee staff post a need, optionally with a photo of the spot."""
    if not policy.can(actor, "need.manage", community):
        raise PermissionDenied
    title = _text(title, limit=100, field=_("需求"), required_message=_("请填写需求名称。"))
    description = _text(description, limit=2000, field=_("说明"))
    quantity = _text(quantity, limit=100, field=_("数量"))
    processed = photo_process(upload=photo) if photo else None
    with transaction.atomic():
        need = CommunityNeed.objects.create(community=community, title=title, description=description,
                                            quantity=quantity, posted_by=actor)
        event = NeedEvent.objects.create(need=need, actor=actor, action="post", to_status=need.status,
                                         at=need.posted_at)
        if processed:
            need_photo_store(need=need, event=event, uploaded_by=actor, processed=processed)
    return need


# --- transitions -------------------------------------------------------------------------------------------

def _need_url(need: CommunityNeed) -> str:
    return reverse("communities:need_detail", args=[need.pk])


def _tell_staff(need: CommunityNeed, template, actor, giver: str | None = None) -> None:
    """Every committee staff member but the actor; ``giver`` when the need no longer names one (released)."""
    for user in users_with_role(community_id=need.community_id, role=Role.COMMITTEE_STAFF):
        if user.pk != actor.pk:
            notify(recipient=user, title=deferred(template, need=need.title, giver=giver or need.giver_name),
                   url=_need_url(need))


def _tell_giver(need: CommunityNeed, template, actor, body: str = "") -> None:
    if need.claimed_by_id and need.claimed_by_id != actor.pk:
        notify(recipient=need.claimed_by, title=deferred(template, need=need.title), body=body, url=_need_url(need))


def need_claim(*, need_id: int, actor, team: Team | None = None) -> NeedOutcome:
    """A sublandlord claims an open need, for themselves or for a team they belong to."""
    with transaction.atomic():
        step = NEEDS.begin(need_id, actor, "claim")
        if step.repeat:
            return NeedOutcome(step.obj, False)
        need = step.obj
        if team is not None and not need_team_may_claim(need=need, team=team, actor=actor):
            raise DomainError(_("只能代表自己所在的本社区团队认领。"), code="team")
        need.claimed_by, need.team, need.claimed_at = actor, team, timezone.now()
        event = NEEDS.apply(step, actor, fields=["claimed_by", "team", "claimed_at"])
        _tell_staff(need, gettext_lazy("%(giver)s 认领了共建需求：%(need)s"), actor)
    return NeedOutcome(need, True, event)


def need_release(*, need_id: int, actor, note: str = "") -> NeedOutcome:
    """The giver gives a claimed need back to the list."""
    note = _text(note, limit=500, field=_("说明"))
    with transaction.atomic():
        step = NEEDS.begin(need_id, actor, "release")
        if step.repeat:
            return NeedOutcome(step.obj, False)
        need = step.obj
        giver = need.giver_name
        need.claimed_by, need.team, need.claimed_at = None, None, None
        event = NEEDS.apply(step, actor, note=note, fields=["claimed_by", "team", "claimed_at"])
        _tell_staff(need, gettext_lazy("%(giver)s 放弃了认领：%(need)s"), actor, giver=giver)
    return NeedOutcome(need, True, event)


def need_deliver(*, need_id: int, actor, photo, note: str = "") -> NeedOutcome:
    """The giver reports the need delivered, with a photo of what was given."""
    note = _text(note, limit=1000, field=_("说明"))
    if not photo:
        raise DomainError(_("请上传一张交付的照片。"), code="photo")
    processed = photo_process(upload=photo)  # before the lock: decoding a photo takes a while
    with transaction.atomic():
        step = NEEDS.begin(need_id, actor, "deliver")
        if step.repeat:
            return NeedOutcome(step.obj, False)
        need = step.obj
        need.delivered_at = timezone.now()
        event = NEEDS.apply(step, actor, note=note, fields=["delivered_at"])
        need_photo_store(need=need, event=event, uploaded_by=actor, processed=processed)
        _tell_staff(need, gettext_lazy("待确认：%(giver)s 已交付共建需求 %(need)s"), actor)
    return NeedOutcome(need, True, event)


def need_confirm(*, need_id: int, actor, note: str = "") -> NeedOutcome:
    """Staff confirm the delivery: the need goes on the 共建榜 with its giver."""
    note = _text(note, limit=1000, field=_("说明"))
    with transaction.atomic():
        step = NEEDS.begin(need_id, actor, "confirm")
        if step.repeat:
            return NeedOutcome(step.obj, False)
        need = step.obj
        need.confirmed_at = timezone.now()
        event = NEEDS.apply(step, actor, note=note, fields=["confirmed_at"])
        _tell_giver(need, gettext_lazy("居委已确认完成，感谢您的共建：%(need)s"), actor, body=note)
    return NeedOutcome(need, True, event)


def need_send_back(*, need_id: int, actor, reason: str) -> NeedOutcome:
    """Staff send a delivery back to the giver, saying why."""
    reason = _text(reason, limit=1000, field=_("原因"), required_message=_("请写明退回的原因，认领人会看到。"))
    with transaction.atomic():
        step = NEEDS.begin(need_id, actor, "send_back")
        if step.repeat:
            return NeedOutcome(step.obj, False)
        need = step.obj
        need.delivered_at = None
        event = NEEDS.apply(step, actor, note=reason, fields=["delivered_at"])
        _tell_giver(need, gettext_lazy("共建需求被退回，请补充：%(need)s"), actor, body=reason)
    return NeedOutcome(need, True, event)


def need_withdraw(*, need_id: int, actor, reason: str = "") -> NeedOutcome:
    """Staff take a need off the list (no longer needed); its claimant hears of it."""
    reason = _text(reason, limit=1000, field=_("原因"))
    with transaction.atomic():
        step = NEEDS.begin(need_id, actor, "withdraw")
        if step.repeat:
            return NeedOutcome(step.obj, False)
        need = step.obj
        event = NEEDS.apply(step, actor, note=reason)
        _tell_giver(need, gettext_lazy("共建需求已撤下：%(need)s"), actor, body=reason)
    return NeedOutcome(need, True, event)


