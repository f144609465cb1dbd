"""Access rules of the owners' hub's fund area (issue 15). Shared helpers: ``talents.policies.owners``.

The fund's pages use the hub's two shared rules: ``talents.owners.view`` (everyone of the estate, tenants included:
the ledger by building and the statements are public, 沪物业规定 art. 67; names masked) and ``talents.fund.manage``
(committee staff: bookings, freezes, statements, the warnings' steps). One more, below: a household's own line
in full, for its owners."""
from communities.models import Role
from communities.policy import STAFF_ROLES, Rule

from .owners import is_owner, owner_q

RULES: dict[str, Rule] = {
    # 我家的维修资金: an owner of the estate sees their households' lines (and staff, every line).
    "talents.fund.household": Rule(frozenset(STAFF_ROLES), town=False, extra=is_owner,
                                   extra_roles=frozenset({Role.RESIDENT}), extra_scope=owner_q()),
}
