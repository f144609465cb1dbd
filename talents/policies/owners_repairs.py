"""Access rules of the owners' hub's repairs area (issue 15). Shared helpers: ``talents.policies.owners``.

A repair project is public to the whole estate — owners, tenants and family members alike ("tenants see projects
but not votes"): the vote's own page is the assembly area's. Its steps are entered by committee staff."""
from communities.policy import ALL_ROLES, STAFF_ROLES, Rule

RULES: dict[str, Rule] = {
    # The project list, a project page, its photos and files, the panel on a reporting case.
    "talents.repairs.view": Rule(ALL_ROLES),
    # Every step of a project: create, link cases, appraisal, plan, vote, emergency route, audit … publish.
    "talents.repairs.manage": Rule(frozenset(STAFF_ROLES), town=False),
}
