from django.shortcuts import render

from ..picker import community_for
from ..policy import guard
from ..selectors.qr import qr_cards


@guard("case.qr_sheet")
def qr_sheet(request):
    """A printable sheet of QR codes, one per building and public place, to post where residents see them."""
    community = community_for(request, "case.qr_sheet").community
    cards = qr_cards(community=community, absolute_url=request.build_absolute_uri)
    return render(request, "communities/qr_sheet.html", {"community": community, "cards": cards})
