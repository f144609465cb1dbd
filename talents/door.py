"""郡园's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins and
demo seeders. Registered from ``TalentsConfig.ready``; each provider checks access itself."""

# (name, dotted path) run by seed_demo after the core's demo, in this order.
DEMO_SEEDERS: list[tuple[str, str]] = [
    ("talents_services", "talents.demo.services.demo_services_seed"),
    ("talents_mothers", "talents.demo.mothers.demo_mothers_seed"),
    ("talents_squads", "talents.demo.squads.demo_squads_seed"),
]


def register() -> None:
    """Called once from ``TalentsConfig.ready``."""
