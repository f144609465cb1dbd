"""The co-building needs list's state machine, declared once: (state, action) -> (next state, who may act), on
the engine (``communities.statemachine``), the way ``communities.workflow`` declares the cases'.

"Who" names a relation between the user and the need, decided by ``need_relations``: a ``candidate`` may
claim it (policy ``need.claim``), the ``giver`` is the claimant or a member of the team it was claimed for
(``need.deliver``), ``staff`` manage the community's needs (``need.manage``). Every service of
``communities.services.needs`` begins and applies its step through ``NEEDS``; the need page offers only
``NEEDS.actions_for(status, relations)`` and takes each action's form and service from the table.
"""
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from .models import CommunityNeed, NeedEvent
from .models import NeedStatus as S
from .services.errors import DomainError
from .statemachine import StateMachine, Transition, transitions

CANDIDATE, GIVER, STAFF = "candidate", "giver", "staff"

F = "communities.forms.needs."
SVC = "communities.services.needs.need_"


def _t(action, sources, target, who, label, form, **flags):
    return transitions(action, sources, target, who, label, form=F + form, service=SVC + action, **flags)


TRANSITIONS: list[Transition] = [
    *_t("claim", [S.OPEN], S.CLAIMED, {CANDIDATE}, _("认领"), "NeedClaimForm"),
    *_t("release", [S.CLAIMED], S.OPEN, {GIVER}, _("放弃认领"), "NeedNoteForm", danger=True),
    *_t("deliver", [S.CLAIMED], S.DELIVERED, {GIVER}, _("交付并上传照片"), "NeedDeliverForm"),
    *_t("confirm", [S.DELIVERED], S.CONFIRMED, {STAFF}, _("确认完成"), "NeedNoteForm"),
    *_t("send_back", [S.DELIVERED], S.CLAIMED, {STAFF}, _("退回补充"), "NeedReasonForm"),
    *_t("withdraw", [S.OPEN, S.CLAIMED], S.WITHDRAWN, {STAFF}, _("撤下需求"), "NeedWithdrawForm", danger=True),
]
NEED_ACTION_LABELS = {"post": _("发布需求"), **{t.action: t.label for t in TRANSITIONS}}


def need_relations(user, need) -> set[str]:
    """How ``user`` stands to ``need``: staff, a candidate giver, the giver."""
    from . import policy  # the policy reads the models this module imports: asked when first needed

    relations = set()
    if policy.can(user, "need.manage", need):
        relations.add(STAFF)
    if policy.can(user, "need.claim", need):
        relations.add(CANDIDATE)
    if policy.can(user, "need.deliver", need):
        relations.add(GIVER)
    return relations


def _may_view(user, need) -> bool:
    from . import policy

    return policy.can(user, "need.view", need)


def _claim_repeat(need, action, actor, relations):
    """A claim on a claimed need: this user's own (a double click: "已认领"), or someone else's, who is named."""
    if action != "claim" or CANDIDATE not in relations or not need.claimed_by_id:
        return None
    if need.claimed_by_id != actor.pk:
        raise DomainError(_gettext("这项需求已由 %(name)s 认领，请选择其他需求。") % {"name": need.giver_name},
                          code="taken")
    return True if need.status == S.CLAIMED else None


def _refusal(need) -> DomainError:
    return DomainError(_gettext("这项需求现在是“%(status)s”，不能进行这项操作。") % {"status": need.get_status_display()},
                       code="state")


NEEDS = StateMachine(
    name="needs", model=CommunityNeed, event_model=NeedEvent, subject="need", transitions=TRANSITIONS,
    relations=need_relations, may_see=_may_view, refusal=_refusal, repeat_rule=_claim_repeat,
    # A double click by whoever took the step is a repeat even once they lost the relation (a released need).
    repeat_by_same_actor=True, id_argument="need_id",
    lock=lambda: CommunityNeed.objects.select_related("community", "claimed_by__person", "team"),
)
