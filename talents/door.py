"""郡园's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins and
demo seeders. Registered from ``TalentsConfig.ready``; each provider checks access itself."""

# (name, dotted path) run by seed_demo after the core's demo, in this order.
DEMO_SEEDERS: list[tuple[str, str]] = []


def register() -> None:
    """Called once from ``TalentsConfig.ready``."""
