"""The election state machine, declared once: draft → open → closed → published, on the engine
(``communities.statemachine``), like the cases' table in ``communities.workflow``.

Only committee staff of the election's community (``election.manage``) take these steps. The timeline is
the community's ``AuditEvent`` rows (``detail.election`` names the election): an election has no event
model of its own, so ``record`` and ``last_event`` write and read those rows. Casting a ballot is not a
transition and writes no row at all (it would link a voter to a ballot).
"""
from types import SimpleNamespace

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Election
from .services.errors import DomainError
from .statemachine import StateMachine, transitions

S = Election.Status
STAFF = "staff"
SVC = "communities.services.elections.election_"

TRANSITIONS = [
    *transitions("open", [S.DRAFT], S.OPEN, {STAFF}, _("开始投票"), service=SVC + "open"),
    *transitions("close", [S.OPEN], S.CLOSED, {STAFF}, _("截止投票"), service=SVC + "close", danger=True),
    *transitions("publish", [S.CLOSED], S.PUBLISHED, {STAFF}, _("公布结果"), service=SVC + "publish"),
]
EDITABLE = {S.DRAFT}
ACTION_NAMES = sorted({t.action for t in TRANSITIONS})


def _relations(user, election) -> set[str]:
    from . import policy  # policy imports the models this module imports: asked at run time

    return {STAFF} if policy.can(user, "election.manage", election) else set()


def _may_see(user, election) -> bool:
    from . import policy

    return policy.can(user, "election.view", election)


def _refusal(election) -> DomainError:
    return DomainError(_gettext("选举“%(title)s”%(status)s，不能进行这项操作。") % {
        "title": election.title, "status": election.get_status_display()}, code="state")


def _record(*, obj, transition, actor, from_state, note, data, at):
    return AuditEvent.objects.create(actor=actor, community_id=obj.community_id, action=f"election.{transition.action}",
                                     at=at, detail={"election": obj.pk, "title": obj.title, **data})


def _last_event(election):
    row = (AuditEvent.objects.filter(community_id=election.community_id, detail__election=election.pk,
                                     action__in=[f"election.{a}" for a in ACTION_NAMES])
           .order_by("-at", "-id").values("action", "actor_id").first())
    if row is None:
        return None
    return SimpleNamespace(action=row["action"].removeprefix("election."), actor_id=row["actor_id"])


ELECTIONS = StateMachine(
    name="elections", model=Election, transitions=TRANSITIONS, relations=_relations, may_see=_may_see,
    refusal=_refusal, record=_record, last_event=_last_event,
    lock=lambda: Election.objects.select_related("community"),
)


def actions_for(user, election) -> list:
    """The steps the election page offers this user now."""
    return ELECTIONS.actions_for(election.status, _relations(user, election))
