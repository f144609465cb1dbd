"""The 郡园达人 entry of the menu and its card on the home page (registered in ``talents.door.register``).

On every page of every signed-in user, so it runs no query: whether it shows comes from the facts loaded
once per request (``communities.extensions.served_community_ids``)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.selectors.navigation import NavItem

from .selectors.studios import served_for


def hub_entry(user) -> NavItem | None:
    if not served_for(user=user):
        return None
    return NavItem(_("郡园达人"), reverse("talents:hub"), "people", _("达人工作室、课程和活动"))


def talents_nav(user) -> list[NavItem]:
    entry = hub_entry(user)
    # No hint: the home page shows the hub as this app's panel (talents.door.home_panel), not as a core tile.
    if not entry:
        return []
    return [NavItem(entry.label, entry.url, entry.icon),
            NavItem(_("业主之家"), reverse("talents:owners_hub"), "building", _("业委会、业主表决、维修项目和维修资金"))]
