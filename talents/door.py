"""郡园's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins and
demo seeders. Registered from ``TalentsConfig.ready``; each provider checks access itself."""
from communities import extensions
from communities.extensions import Panel

# (name, dotted path) run by seed_demo after the core's demo, in this order: the studios first, since the
# other areas (classes, services, squads) name them.
DEMO_SEEDERS: list[tuple[str, str]] = [
    ("郡园 studios, hosts and followers", "talents.demo.studios.demo_studios_seed"),
    ("talents.classes", "talents.demo.classes.demo_classes_seed"),  # classes, a full children's class with a waitlist
    ("talents_services", "talents.demo.services.demo_services_seed"),
    ("talents_mothers", "talents.demo.mothers.demo_mothers_seed"),
    ("talents_squads", "talents.demo.squads.demo_squads_seed"),
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
    extensions.register_nav(classes_nav)


def classes_nav(user) -> list:
    """达人课堂 (the classes, my classes and my children's) for members of a community the app serves."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from communities import policy
    from communities.selectors.navigation import NavItem

    if not policy.can(user, "talents.class.view"):
        return []
    return [NavItem(_("达人课堂"), reverse("talents:class_list"), "easel", _("报名参加达人开的课"))]
