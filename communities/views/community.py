"""The community page residents open, the committee's contacts form, and the corridor QR landing page."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import policy
from ..forms.community import CommunityContactsForm
from ..picker import community_for
from ..policy import guard, public
from ..selectors.qr import filing_path, place_for_code, place_label
from ..services.community import community_contacts_update


@guard("community.view")
def community_page(request):
    """我的社区: the committee's phone, office hours and address, and how to report a problem."""
    picked = community_for(request, "community.view")
    return render(request, "communities/community_page.html", {
        "community": picked.community, "choices": picked.choices,
        "may_edit": policy.can(request.user, "community.contacts", picked.community),
        "may_register": policy.can(request.user, "resident.register_on_behalf", picked.community),
        # Town staff read every community's page but file no case of their own: no button that answers 403.
        "may_file": policy.can(request.user, "case.file", picked.community),
        "may_see_rooms": policy.can(request.user, "room.view", picked.community)})


@guard("community.contacts")
def community_contacts(request):
    community = community_for(request, "community.contacts").community
    form = CommunityContactsForm(request.POST or None, instance=community)
    if request.method == "POST":
        if form.is_valid():
            changed = community_contacts_update(actor=request.user, community=community, **form.cleaned_data)
            messages.success(request, _("居委联系方式已保存。") if changed else _("没有改动，无需保存。"))
            return redirect(f"{request.path}?community={community.slug}")
        community.refresh_from_db()  # the form wrote the bad input into the instance; the page shows the stored one
    return render(request, "communities/community_contacts.html", {"community": community, "form": form},
                  status=400 if request.method == "POST" else 200)


@public
def qr_landing(request, code):
    """Where a corridor QR code leads. A member of its community goes on to the filing form with the place set;
    someone signed out learns what this is, how to get in and whom to call; a member of another community is
    told whose code it is."""
    place = place_for_code(code)
    if place is None:
        raise Http404
    community = place.community
    context = {"community": community, "place": place_label(place), "next": request.path}
    if not request.user.is_authenticated:
        return render(request, "communities/qr_landing.html", context)
    if policy.can(request.user, "case.file", community):
        return redirect(filing_path(place))
    return render(request, "communities/qr_elsewhere.html", context, status=403)
