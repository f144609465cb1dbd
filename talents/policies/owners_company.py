"""Access rules of the owners' hub's company area (issue 15). Shared helpers: ``talents.policies.owners``.

Reading the company page and the 物业之窗 is ``talents.owners.view`` (everyone of the estate, tenants included:
art. 48 makes the window public)."""
from communities.policy import STAFF_ROLES, Rule

from .owners import OWNER_ROLES, is_owner, owner_q

RULES: dict[str, Rule] = {
    # The contract, the company's notice, the window's documents, fee changes, opening a survey: committee staff.
    "talents.company.manage": Rule(frozenset(STAFF_ROLES), town=False),
    # Rating the company in the owners' survey (art. 45): owners of the estate only, not tenants or family.
    "talents.company.rate": Rule(frozenset(), town=False, extra=is_owner, extra_roles=OWNER_ROLES,
                                 extra_scope=owner_q()),
}
