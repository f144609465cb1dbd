"""The 蓉治社 entry of the menu (registered with the core in LandlordsConfig.ready)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.selectors.navigation import NavItem

from .selectors.hub import team_communities


def landlords_nav(user) -> list[NavItem]:
    if not team_communities(user=user).exists():
        return []
    return [NavItem(_("蓉治社"), reverse("landlords:hub"), "people", _("二房东自治：一室二群三定、积分卡"),
                    badge=_unread(user))]


def _unread(user) -> int:
    """Unread announcements of the user's channels (one query)."""
    from .selectors.channels import unread_count

    return unread_count(user)
