"""Access rules of the 蓉庭 app, registered into the core policy module (communities.policy).

The core decides every access through ``policy.can``/``policy.scope``; this module only adds the
landlords app's actions to its table, and tells ``scope`` how each model reaches its community.
Each area adds its rules in its own block below.
"""
from communities import policy
from communities.models import Role
from communities.policy import Rule

STAFF = frozenset({Role.COMMITTEE_STAFF})
LEADERS = frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY})
SUBLANDLORDS = frozenset({Role.SUBLANDLORD})

RULES: dict[str, Rule] = {
    # --- elections area: the 蓉治社 team page (members, officers, its elections) for every member of the
    # community. The elections themselves use the core's election.* rules.
    "team.view": Rule(frozenset(Role.values)),
}
COMMUNITY_PATH: dict = {}


def register() -> None:
    """Called once from the app config: add this app's rules to the core table."""
    for action, rule in RULES.items():
        if action in policy.RULES and policy.RULES[action] is not rule:
            raise RuntimeError(f"landlords.policies: action {action!r} is already defined")
        policy.RULES[action] = rule
    policy.COMMUNITY_PATH.update(COMMUNITY_PATH)
