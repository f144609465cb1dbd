"""One service per transition of a co-building need (共建需求). Each locks the need, checks the actor and the
state against the table beside the model (landlords.models.needs), appends a NeedEvent and writes the
notifications in the same transaction. Repeating a transition that already happened changes nothing."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Community, Role, Team
from communities.selectors.places import users_with_role
from communities.selectors.teams import is_member as is_team_member
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.photos import photo_process
from communities.services.texts import deferred

from ..models import CommunityNeed, NeedEvent, NeedStatus
from ..models.needs import (
    CANDIDATE, GIVER, NEED_TRANSITIONS, STAFF, NeedTransition, need_targets, need_transition, need_who,
)
from .need_photos import need_photo_store


@dataclass
class NeedOutcome:
    need: CommunityNeed
    changed: bool
    event: NeedEvent | None = None


def need_relations(user, need: CommunityNeed) -> set[str]:
    """How ``user`` stands to ``need``: staff, a candidate giver, the giver."""
    relations = set()
    if policy.can(user, "need.manage", need):
        relations.add(STAFF)
    if policy.can(user, "need.claim", need):
        relations.add(CANDIDATE)
    if policy.can(user, "need.deliver", need):
        relations.add(GIVER)
    return relations


def need_actions_for(user, need: CommunityNeed) -> list[NeedTransition]:
    """The transitions the need page offers this user now."""
    relations = need_relations(user, need)
    return [t for t in NEED_TRANSITIONS if t.source == need.status and t.who in relations]


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

def _lock(need_id: int) -> CommunityNeed:
    return (CommunityNeed.objects.select_for_update(of=("self",))
            .select_related("community", "claimed_by__person", "team").get(pk=need_id))


def _begin(need_id: int, actor, action: str) -> tuple[CommunityNeed, NeedTransition | None]:
    """Lock the need and check the table; (need, None) when the actor's same action already happened."""
    need = _lock(need_id)
    if not policy.can(actor, "need.view", need):
        raise PermissionDenied
    allowed = need_who(action) in need_relations(actor, need)
    transition = need_transition(need.status, action)
    if transition is None:
        last = need.events.order_by("-at", "-id").first()
        repeated = need.status in need_targets(action) and last is not None and last.action == action
        if action == "claim" and allowed and need.claimed_by_id:
            # Claimed: by this user (a double click: "已认领"), or by someone else, who is named.
            if need.claimed_by_id != actor.pk:
                raise DomainError(_("这项需求已由 %(name)s 认领，请选择其他需求。") % {"name": need.giver_name},
                                  code="taken")
            if need.status == NeedStatus.CLAIMED:
                return need, None
        if repeated and (last.actor_id == actor.pk or allowed):
            return need, None  # a double click, or two staff confirming at once: nothing changes
        raise DomainError(_("这项需求现在是“%(status)s”，不能进行这项操作。") % {
            "status": need.get_status_display()}, code="state")
    if not allowed:
        raise PermissionDenied
    return need, transition


def _apply(need: CommunityNeed, t: NeedTransition, actor, *, note: str = "", fields=()) -> NeedEvent:
    from_status = need.status
    need.status = t.target
    need.save(update_fields=["status", *fields])
    return NeedEvent.objects.create(need=need, actor=actor, action=t.action, from_status=from_status,
                                    to_status=t.target, note=note)


def _need_url(need: CommunityNeed) -> str:
    return reverse("landlords:need_detail", args=[need.pk])


def _tell_staff(need: CommunityNeed, template, actor) -> None:
    for user in users_with_role(community_id=need.community_id, role=Role.COMMITTEE_STAFF):
        if user.pk != actor.pk:
            notify(recipient=user, title=deferred(template, need=need.title, giver=need.giver_name),
                   url=_need_url(need))


def _tell_giver(need: CommunityNeed, template, actor, body: str = "") -> None:
    if need.claimed_by_id and need.claimed_by_id != actor.pk:
        notify(recipient=need.claimed_by, title=deferred(template, need=need.title), body=body, url=_need_url(need))


def need_claim(*, need_id: int, actor, team: Team | None = None) -> NeedOutcome:
    """A sublandlord claims an open need, for themselves or for a team they belong to."""
    with transaction.atomic():
        need, t = _begin(need_id, actor, "claim")
        if t is None:
            return NeedOutcome(need, False)
        if team is not None and (team.community_id != need.community_id
                                 or not is_team_member(team, actor)):
            raise DomainError(_("只能代表自己所在的本社区团队认领。"), code="team")
        need.claimed_by, need.team, need.claimed_at = actor, team, timezone.now()
        event = _apply(need, t, actor, fields=["claimed_by", "team", "claimed_at"])
        _tell_staff(need, gettext_lazy("%(giver)s 认领了共建需求：%(need)s"), actor)
    return NeedOutcome(need, True, event)


def need_release(*, need_id: int, actor, note: str = "") -> NeedOutcome:
    """The giver gives a claimed need back to the list."""
    note = _text(note, limit=500, field=_("说明"))
    with transaction.atomic():
        need, t = _begin(need_id, actor, "release")
        if t is None:
            return NeedOutcome(need, False)
        giver = need.giver_name
        need.claimed_by, need.team, need.claimed_at = None, None, None
        event = _apply(need, t, actor, note=note, fields=["claimed_by", "team", "claimed_at"])
        for user in users_with_role(community_id=need.community_id, role=Role.COMMITTEE_STAFF):
            notify(recipient=user, title=deferred(gettext_lazy("%(giver)s 放弃了认领：%(need)s"), need=need.title,
                                                  giver=giver), url=_need_url(need))
    return NeedOutcome(need, True, event)


def need_deliver(*, need_id: int, actor, photo, note: str = "") -> NeedOutcome:
    """The giver reports the need delivered, with a photo of what was given."""
    note = _text(note, limit=1000, field=_("说明"))
    if not photo:
        raise DomainError(_("请上传一张交付的照片。"), code="photo")
    processed = photo_process(upload=photo)  # before the lock: decoding a photo takes a while
    with transaction.atomic():
        need, t = _begin(need_id, actor, "deliver")
        if t is None:
            return NeedOutcome(need, False)
        need.delivered_at = timezone.now()
        event = _apply(need, t, actor, note=note, fields=["delivered_at"])
        need_photo_store(need=need, event=event, uploaded_by=actor, processed=processed)
        _tell_staff(need, gettext_lazy("待确认：%(giver)s 已交付共建需求 %(need)s"), actor)
    return NeedOutcome(need, True, event)


def need_confirm(*, need_id: int, actor, note: str = "") -> NeedOutcome:
    """Staff confirm the delivery: the need goes on the 共建榜 with its giver."""
    note = _text(note, limit=1000, field=_("说明"))
    with transaction.atomic():
        need, t = _begin(need_id, actor, "confirm")
        if t is None:
            return NeedOutcome(need, False)
        need.confirmed_at = timezone.now()
        event = _apply(need, t, actor, note=note, fields=["confirmed_at"])
        _tell_giver(need, gettext_lazy("居委已确认完成，感谢您的共建：%(need)s"), actor, body=note)
    return NeedOutcome(need, True, event)


def need_send_back(*, need_id: int, actor, reason: str) -> NeedOutcome:
    """Staff send a delivery back to the giver, saying why."""
    reason = _text(reason, limit=1000, field=_("原因"), required_message=_("请写明退回的原因，认领人会看到。"))
    with transaction.atomic():
        need, t = _begin(need_id, actor, "send_back")
        if t is None:
            return NeedOutcome(need, False)
        need.delivered_at = None
        event = _apply(need, t, actor, note=reason, fields=["delivered_at"])
        _tell_giver(need, gettext_lazy("共建需求被退回，请补充：%(need)s"), actor, body=reason)
    return NeedOutcome(need, True, event)


def need_withdraw(*, need_id: int, actor, reason: str = "") -> NeedOutcome:
    """Staff take a need off the list (no longer needed); its claimant hears of it."""
    reason = _text(reason, limit=1000, field=_("原因"))
    with transaction.atomic():
        need, t = _begin(need_id, actor, "withdraw")
        if t is None:
            return NeedOutcome(need, False)
        event = _apply(need, t, actor, note=reason)
        _tell_giver(need, gettext_lazy("共建需求已撤下：%(need)s"), actor, body=reason)
    return NeedOutcome(need, True, event)


NEED_SERVICES = {"claim": need_claim, "release": need_release, "deliver": need_deliver, "confirm": need_confirm,
                 "send_back": need_send_back, "withdraw": need_withdraw}
