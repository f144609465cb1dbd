"""郡园's side of the door (``communities.extensions``): its menu entries, panels on core pages, case origins and
demo seeders. Registered from ``TalentsConfig.ready``; each provider checks access itself."""

# (name, dotted path) run by seed_demo after the core's demo, in this order.
DEMO_SEEDERS: list[tuple[str, str]] = [
    ("talents.classes", "talents.demo.classes.demo_classes_seed"),  # classes, a full children's class with a waitlist
]


def register() -> None:
    """Called once from ``TalentsConfig.ready``."""
    from communities import extensions

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
