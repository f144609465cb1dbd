"""光明村's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins
and demo seeders. Registered from ``PropertyserviceConfig.ready``; each provider checks access itself."""
from communities import extensions
from communities.extensions import Panel

# (name, dotted path) run by seed_demo after the core's demo, in this order: the station and its people first,
# since the other areas (patrols, incidents, hotline, gate, parking, sheds, evaluation) name them.
DEMO_SEEDERS: list[tuple[str, str]] = [
    ("光明村 物业服务站", "propertyservice.demo.station_app.demo_app_seed"),
    ("光明村 服务站考核", "propertyservice.demo.evaluation.demo_evaluation_seed"),
]


def home_panel(request, obj) -> Panel | None:
    """The 物业服务站 card on the home page, for members of a village this app serves."""
    from .navigation import hub_entry

    entry = hub_entry(request.user)
    return Panel("propertyservice/panels/home_hub.html", {"entry": entry}) if entry else None


def register() -> None:
    """Called once from ``PropertyserviceConfig.ready``."""
    from .navigation import station_nav

    extensions.register_nav(station_nav)
    extensions.register_panel("home", home_panel)
    from .selectors.evaluation import SUBJECT, station_source  # the station's objective checks for the evaluation

    extensions.register_evaluation_source(SUBJECT, station_source)
