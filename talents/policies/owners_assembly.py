"""Access rules of the owners' hub's assembly area (issue 15). Shared helpers: ``talents.policies.owners``.

Everyone of the estate sees its assemblies (tenants too: they see that a vote is on, not a ballot: the roll
decides who votes, ``communities.services.elections.ballot_cast``); committee staff run them; only owners
request an extraordinary assembly."""
from communities.policy import ALL_ROLES, STAFF_ROLES, Rule

from .owners import is_owner, owner_q

RULES: dict[str, Rule] = {
    # The list and an assembly's page (motions, thresholds, turnout, published results).
    "talents.assembly.view": Rule(ALL_ROLES),
    # Creating and opening assemblies, the estate's voting rules, recording deliveries of ballots.
    "talents.assembly.manage": Rule(frozenset(STAFF_ROLES), town=False),
    # Asking for an extraordinary assembly (沪物业规定: called when 20 % of owners ask): owners only.
    "talents.assembly.request": Rule(frozenset(), town=False, extra=is_owner, extra_roles=ALL_ROLES,
                                     extra_scope=owner_q()),
}
