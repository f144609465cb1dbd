"""Access rules of the owners' hub's election area (issue 15). Shared helpers: ``talents.policies.owners``."""
from communities.policy import ALL_ROLES, STAFF_ROLES, Rule

RULES: dict[str, Rule] = {
    # The election's public timeline (group, steps, published candidates, the result): everyone of the estate,
    # tenants included (the steps are published to all residents; only owners vote, on the core's pages).
    "talents.election.view": Rule(ALL_ROLES),
    # Running the election (the group, the steps, the candidates' checks, the vote, the new term): committee
    # staff of the estate, acting for the town's preparatory group.
    "talents.election.manage": Rule(frozenset(STAFF_ROLES), town=False),
}
