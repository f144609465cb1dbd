"""郡园's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins and
demo seeders. Registered from ``TalentsConfig.ready``; each provider checks access itself."""
from communities import extensions
from communities.extensions import Panel

# (name, dotted path) run by seed_demo after the core's demo, in this order: the studios first, since the
# other areas (classes, services, squads) name them.
DEMO_SEEDERS: list[tuple[str, str]] = [
    ("郡园 studios, hosts and followers", "talents.demo.studios.demo_studios_seed"),
]


def home_panel(request, obj) -> Panel | None:
    """The 郡园达人 card on the home page, for members of a community this app serves."""
    from .navigation import hub_entry

    entry = hub_entry(request.user)
    return Panel("talents/panels/home_hub.html", {"entry": entry}) if entry else None


def register() -> None:
    """Called once from ``TalentsConfig.ready``."""
    from .navigation import talents_nav

    extensions.register_nav(talents_nav)
    extensions.register_panel("home", home_panel)
