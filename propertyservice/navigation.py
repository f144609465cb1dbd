"""The 物业服务站 entry of the menu and its card on the home page (registered in ``propertyservice.door``).

On every page of every signed-in user, so it runs no query: whether it shows comes from the facts loaded once
per request (``communities.extensions.served_community_ids``)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.selectors.navigation import NavItem

from .selectors.station import served_for


def hub_entry(user) -> NavItem | None:
    if not served_for(user=user):
        return None
    return NavItem(_("物业服务站"), reverse("propertyservice:hub"), "buildings", _("巡逻、热线、停车、充电棚和服务评价"))


def station_nav(user) -> list[NavItem]:
    entry = hub_entry(user)
    # No hint: the home page shows the hub as this app's panel (door.home_panel), not as a core tile.
    return [NavItem(entry.label, entry.url, entry.icon)] if entry else []
