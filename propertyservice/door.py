"""光明村's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins
and demo seeders. Registered from ``PropertyserviceConfig.ready``; each provider checks access itself."""
from communities import extensions
from communities.extensions import Panel

# (name, dotted path) run by seed_demo after the core's demo, in this order: the station and its people first,
# since the other areas (patrols, incidents, hotline, gate, parking, sheds, evaluation) name them.
DEMO_SEEDERS: list[tuple[str, str]] = [
    ("光明村 物业服务站", "propertyservice.demo.station_app.demo_app_seed"),
    ("光明村 服务站与人员", "propertyservice.demo.station.demo_station_seed"),
    ("光明村 巡逻与垃圾清运", "propertyservice.demo.patrols.demo_patrols_seed"),  # with the 门岗安保 rota
    ("光明村 突发事件与应急志愿队", "propertyservice.demo.incidents.demo_incidents_seed"),
    ("光明村 24 小时热线", "propertyservice.demo.hotline.demo_hotline_seed"),  # its night call finds the guard
    ("光明村 门岗与停车", "propertyservice.demo.parking.demo_parking_seed"),
    ("光明村 充电棚、飞线充电和意见箱", "propertyservice.demo.sheds.demo_sheds_seed"),
    ("光明村 服务站考核", "propertyservice.demo.evaluation.demo_evaluation_seed"),
]


def home_panel(request, obj) -> Panel | None:
    """The 物业服务站 card on the home page, for members of a village this app serves."""
    from .navigation import hub_entry

    entry = hub_entry(request.user)
    return Panel("propertyservice/panels/home_hub.html", {"entry": entry}) if entry else None


def register() -> None:
    """Called once from ``PropertyserviceConfig.ready``."""
    from . import hotline_door, station_rules
    from .incidents_door import incident_origin
    from .navigation import station_nav
    from .selectors.evaluation import SUBJECT, station_source
    from .views.patrols_cards import shift_panel as patrols_shift_panel

    extensions.register_nav(station_nav)
    extensions.register_panel("home", home_panel)
    hotline_door.register()  # a case filed from a call links back to it
    station_rules.register()  # the station's management rules, a core document kind
    extensions.register_panel("shift", patrols_shift_panel)  # patrol flags and the hand-over note (交接班)
    extensions.register_case_origin("propertyservice.incident", incident_origin)  # a follow-up case
    extensions.register_evaluation_source(SUBJECT, station_source)  # the objective checks of the evaluation
