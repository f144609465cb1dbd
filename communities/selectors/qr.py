"""QR codes for a community's buildings and public places. Each encodes a signed short address, ``/q/<code>/``:
a member of the community goes on to the filing form with the place set; anyone else lands on a page that says
what the code is, how to sign in or register, and the committee's phone."""
from typing import Callable, NamedTuple

import segno
from django.core import signing
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
    buildings = (Building.objects.filter(community=community).select_related("village_group")
                 .order_by(Natural("village_group__name"), Natural("name")))
    places = PublicPlace.objects.filter(community=community).order_by(Natural("name"))
    cards = [_card(_building_label(b), absolute_url(landing_path(b))) for b in buildings]
    cards += [_card(p.name, absolute_url(landing_path(p))) for p in places]
    return cards


# Signed so that a code cannot be edited into another community's place id; the salt keeps these signatures
# apart from any other use of SECRET_KEY.
SIGNER = signing.Signer(salt="communities.qr.place", sep=".")
KINDS = {"b": Building, "p": PublicPlace}


def place_code(place) -> str:
    kind = "b" if isinstance(place, Building) else "p"
    return SIGNER.sign(f"{kind}{place.pk}")


def landing_path(place) -> str:
    return reverse("communities:qr_landing", args=[place_code(place)])


def filing_path(place) -> str:
    """Where a member goes from the code: the filing form with this place chosen."""
    param = "building" if isinstance(place, Building) else "place"
    return f"{reverse('communities:case_new')}?{param}={place.pk}"


def place_for_code(code: str):
    """The building or public place a code names, or None for a forged, garbled or stale one."""
    try:
        value = SIGNER.unsign(code)
    except signing.BadSignature:
        return None
    model, pk = KINDS.get(value[:1]), value[1:]
    if model is None or not pk.isdigit() or len(pk) > 12:
        return None
    related = ("community", "village_group") if model is Building else ("community",)
    return model.objects.select_related(*related).filter(pk=int(pk)).first()


def place_label(place) -> str:
    return _building_label(place) if isinstance(place, Building) else place.name


def _building_label(building: Building) -> str:
    if building.village_group_id:
        return f"{building.village_group.name} {building.name}"
    return building.name


def _card(label: str, url: str) -> QrCard:
    title = _("扫码反映“%(place)s”的问题") % {"place": label}
    svg = segno.make(url, error="m").svg_inline(scale=4, omitsize=True, svgclass="qr-code", title=title)
    # role="img" makes screen readers announce the <title> instead of the drawing's paths.
    return QrCard(label=label, url=url, svg=svg.replace("<svg ", '<svg role="img" ', 1))
