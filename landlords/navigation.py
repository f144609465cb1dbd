"""The 蓉治社 entry of the menu and its tile on the home page (registered with the core in LandlordsConfig.ready:
the menu through ``register_nav``, the tile as a home panel, ``landlords.door.home_panel``).

It is on every page of every signed-in user, so it must stay cheap:
- whether the entry shows is exact on every request, from the facts loaded once per request (no query);
- the unread badge is a count only, kept BADGE_SECONDS in this process's memory. Its query plans five
  EXISTS subqueries (bench_town: ~4 ms planning and ~3 ms building it in the ORM, on every page), for a
  number that may lag a new announcement or a change of residence by those few seconds. The reader's own
  entry is dropped when they open an announcement (``badge_forget``).
"""
import time

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.selectors.navigation import NavItem

from .selectors.hub import served_for

BADGE_SECONDS = 20
_BADGE_MAX_ENTRIES = 5000
# (user id, date joined) -> (count, monotonic expiry). The date keeps a reused id from reading another
# user's count (a recreated test database, say).
_badges: dict[tuple, tuple[int, float]] = {}


def hub_entry(user) -> NavItem | None:
    """The hub's entry with its hint and unread badge, where this app serves one of the user's communities."""
    if not served_for(user=user):
        return None
    return NavItem(_("蓉治社"), reverse("landlords:hub"), "people", _("二房东自治：一室二群三定、积分卡"),
                   badge=_unread(user))


def landlords_nav(user) -> list[NavItem]:
    entry = hub_entry(user)
    # No hint: the home page shows the hub as this app's panel (landlords.door.home_panel), not as a core tile.
    return [NavItem(entry.label, entry.url, entry.icon, badge=entry.badge)] if entry else []


def _key(user) -> tuple:
    return (user.pk, user.date_joined)


def _unread(user) -> int:
    """Unread announcements of the user's channels: one query at most every BADGE_SECONDS per process."""
    from .selectors.channels import unread_count

    if BADGE_SECONDS <= 0:  # the tests' setting (tests/conftest.py): every page counts
        return unread_count(user)
    key, now = _key(user), time.monotonic()
    cached = _badges.get(key)
    if cached is not None and cached[1] > now:
        return cached[0]
    count = unread_count(user)
    if len(_badges) >= _BADGE_MAX_ENTRIES:
        _badges.clear()
    _badges[key] = (count, now + BADGE_SECONDS)
    return count


def badge_forget(user) -> None:
    """The user read something: count again on their next page (in this process)."""
    _badges.pop(_key(user), None)
