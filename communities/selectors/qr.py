"""QR codes for a community's buildings and public places: scanning one opens the filing form with the place set."""
from typing import Callable, NamedTuple

import segno
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Building, Community, PublicPlace
from ..natural import Natural


class QrCard(NamedTuple):
    label: str
    url: str
    svg: str  # inline <svg> with a <title>; segno escapes the label


def qr_cards(*, community: Community, absolute_url: Callable[[str], str]) -> list[QrCard]:
    """One card per building, then one per public place (two queries however many there are).

    ``absolute_url`` turns a path into a full URL, e.g. ``request.build_absolute_uri``.
    """
    filing = reverse("communities:case_new")
    buildings = (Building.objects.filter(community=community).select_related("village_group")
                 .order_by(Natural("village_group__name"), Natural("name")))
    places = PublicPlace.objects.filter(community=community).order_by(Natural("name"))
    cards = [_card(_building_label(b), absolute_url(f"{filing}?building={b.pk}")) for b in buildings]
    cards += [_card(p.name, absolute_url(f"{filing}?place={p.pk}")) for p in places]
    return cards


def _building_label(building: Building) -> str:
    if building.village_group_id:
        return f"{building.village_group.name} {building.name}"
    return building.name


def _card(label: str, url: str) -> QrCard:
    title = _("扫码反映“%(place)s”的问题") % {"place": label}
    svg = segno.make(url, error="m").svg_inline(scale=4, omitsize=True, svgclass="qr-code", title=title)
    # role="img" makes screen readers announce the <title> instead of the drawing's paths.
    return QrCard(label=label, url=url, svg=svg.replace("<svg ", '<svg role="img" ', 1))
