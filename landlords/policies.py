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

RULES: dict[str, Rule] = {}
COMMUNITY_PATH: dict = {}

# --- documents: the charter (《蓉治社自治章程》) and the tenant covenant (《租户公约》) ----------------
from communities.policy import ALL_ROLES  # noqa: E402

from .models import DocumentAcknowledgement, DocumentVersion  # noqa: E402


def _officer(user, obj) -> bool:
    """A 蓉治社 officer of the object's community may draft the charter."""
    from .selectors.documents import is_officer

    return is_officer(user, policy.community_of(obj))


def _drafted_it(user, obj) -> bool:
    return isinstance(obj, DocumentVersion) and obj.drafted_by_id == user.pk


RULES.update({
    # Every member of the community reads the current texts and their history.
    "document.view": Rule(ALL_ROLES),
    # The charter: drafted by committee staff or team officers, adopted by committee staff.
    "charter.draft": Rule(STAFF, town=False, extra=_officer, extra_roles=SUBLANDLORDS),
    "charter.adopt": Rule(STAFF, town=False),
    "charter.acknowledge": Rule(SUBLANDLORDS, town=False),
    # The covenant: the team (sublandlords, officers among them) drafts, committee staff approve.
    "covenant.draft": Rule(SUBLANDLORDS, town=False),
    "covenant.approve": Rule(STAFF, town=False),
    "covenant.acknowledge": Rule(frozenset({Role.TENANT}), town=False),
    # A sublandlord records the paper signature of one of their own tenants (the service checks whose).
    "covenant.record_paper": Rule(SUBLANDLORDS, town=False),
    # Withdrawing a draft: committee staff, or whoever drafted it.
    "document.withdraw": Rule(STAFF, town=False, extra=_drafted_it, extra_roles=ALL_ROLES),
    # Who has and has not acknowledged (names and masked phones).
    "charter.report": Rule(LEADERS),
    "covenant.report": Rule(LEADERS),
})
COMMUNITY_PATH.update({
    DocumentVersion: "community",
    DocumentAcknowledgement: "version__community",
})


def register() -> None:
    """Called once from the app config: add this app's rules to the core table."""
    for action, rule in RULES.items():
        if action in policy.RULES and policy.RULES[action] is not rule:
            raise RuntimeError(f"landlords.policies: action {action!r} is already defined")
        policy.RULES[action] = rule
    policy.COMMUNITY_PATH.update(COMMUNITY_PATH)
