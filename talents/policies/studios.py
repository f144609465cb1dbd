"""Studios: who may see, follow and manage them."""
from communities.models import Role
from communities.policy import Rule

ALL = frozenset(Role.values)

RULES: dict[str, Rule] = {
    # The 郡园 hub and the studio pages: every member of a community the app serves.
    "talents.hub": Rule(ALL),
}
