"""Access rules of the owners' hub's fund area (issue 15). Shared helpers: ``talents.policies.owners``."""
from communities.policy import Rule

RULES: dict[str, Rule] = {}
