"""Access rules of the 郡园 app (``talents.…``), registered into the core policy table (communities.policy).

Each area keeps its rules in its own module of this package; ``register`` adds them all."""
from communities import extensions

AREAS = ("studios", "classes", "services", "squads",
         # the owners' hub (issue 15): shared rules, then one module per area
         "owners", "owners_register", "owners_committee", "owners_election", "owners_assembly", "owners_repairs",
         "owners_fund", "owners_company")


def register() -> None:
    from importlib import import_module

    for area in AREAS:
        extensions.register_rules("talents", import_module(f"{__name__}.{area}").RULES)
