from django.shortcuts import render

from .. import policy
from ..models import Community
from ..policy import guard
from ..selectors.qr import qr_cards


@guard("case.qr_sheet")
def qr_sheet(request, slug):
    """A printable sheet of QR codes, one per building and public place, to post where residents see them."""
    community = policy.get_object_or_404_for(request.user, "case.qr_sheet", Community.objects.all(), slug=slug)
    cards = qr_cards(community=community, absolute_url=request.build_absolute_uri)
    return render(request, "communities/qr_sheet.html", {"community": community, "cards": cards})
