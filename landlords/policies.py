"""Access rules of the 蓉庭 app, registered into the core policy module (communities.policy).

The core decides every access through ``policy.can``/``policy.scope``; this module only adds the
landlords app's actions to its table, and tells ``scope`` how each model reaches its community.
Each area adds its rules in its own block below.
"""
from django.db.models import Q

from communities import policy
from communities.models import Role
from communities.policy import Rule, _team_ids

from .models import CommunityNeed

STAFF = frozenset({Role.COMMITTEE_STAFF})
LEADERS = frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY})
SUBLANDLORDS = frozenset({Role.SUBLANDLORD})

RULES: dict[str, Rule] = {}
COMMUNITY_PATH: dict = {}


# --- needs: the co-building needs list (共建需求清单) ---------------------------------------------------------
def _gives_need(user, need) -> bool:
    """The claimant of a need, or a member of the team it was claimed for."""
    if getattr(need, "claimed_by_id", None) == user.pk:
        return True
    team_id = getattr(need, "team_id", None)
    return bool(team_id and team_id in _team_ids(user))


def _gives_need_q(user):
    return Q(claimed_by=user) | Q(team__in=_team_ids(user))


RULES.update({
    # Every member of the community sees the list and who gave what (共建榜).
    "need.view": Rule(policy.ALL_ROLES),
    # Committee staff post needs, confirm deliveries, send them back and withdraw needs.
    "need.manage": Rule(STAFF, town=False),
    # Who may claim an open need: sublandlords in this issue (talents and squads later).
    "need.claim": Rule(SUBLANDLORDS, town=False),
    # Releasing or delivering a claimed need: its giver only.
    "need.deliver": Rule(frozenset(), town=False, extra=_gives_need, extra_roles=policy.ALL_ROLES,
                         extra_scope=_gives_need_q),
    # The photos (posted and delivered): leaders, the team's sublandlords and the giver, not every resident.
    "need.photo": Rule(LEADERS | SUBLANDLORDS, extra=_gives_need, extra_roles=policy.ALL_ROLES,
                       extra_scope=_gives_need_q),
})
COMMUNITY_PATH[CommunityNeed] = "community"


def register() -> None:
    """Called once from the app config: add this app's rules to the core table."""
    for action, rule in RULES.items():
        if action in policy.RULES and policy.RULES[action] is not rule:
            raise RuntimeError(f"landlords.policies: action {action!r} is already defined")
        policy.RULES[action] = rule
    policy.COMMUNITY_PATH.update(COMMUNITY_PATH)
