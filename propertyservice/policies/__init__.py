"""Access rules of the 光明村 app (``propertyservice.…``), registered into the core policy table
(communities.policy).

Each area keeps its rules in its own module of this package; ``register`` adds them all. ``base`` holds the
role sets and the station relations every area uses (station staff, the station's heads)."""
from communities import extensions

AREAS = ("hub", "station", "patrols", "incidents", "hotline", "gate", "parking", "sheds", "evaluation")


def register() -> None:
    from importlib import import_module

    for area in AREAS:
        extensions.register_rules("propertyservice", import_module(f"{__name__}.{area}").RULES)
