"""Access rules of the owners' hub's register area (issue 15). Shared helpers: ``talents.policies.owners``.

The published roster (业主名册公示) is for everyone of the estate (``talents.owners.view``); the register itself,
with names, phones and the import, is the committee staff's."""
from communities.policy import STAFF_ROLES, Rule

RULES: dict[str, Rule] = {
    # The owner register (names in clear, phones masked, unmasking logged), its Excel import and publishing the
    # roster: committee staff of the estate.
    "talents.register.manage": Rule(frozenset(STAFF_ROLES), town=False),
}
