"""Partner merchants: the staff list with referral counts and the form; a merchant's page for members."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_safe
from django.utils.translation import gettext as _

from communities import policy
from communities.models import mask_phone
from communities.picker import community_for
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.merchants import MerchantForm
from ..selectors import merchants as sel
from ..selectors.studios import hub_communities
from ..services.merchants import FIELDS, merchant_save


@guard("talents.merchant.manage")
@require_safe
def merchant_list(request):
    action = "talents.merchant.manage"
    picked = community_for(request, action, choices=hub_communities(user=request.user, action=action))
    return render(request, "talents/merchants/merchant_list.html", {
        "community": picked.community, "communities": picked.choices,
        "merchants": sel.merchants_with_counts(user=request.user, community=picked.community),
    })


@guard("talents.merchant.view")
@require_safe
def merchant_detail(request, pk):
    merchant = sel.merchant_for(user=request.user, pk=pk)
    staff = policy.can(request.user, "talents.merchant.manage", merchant)
    return render(request, "talents/merchants/merchant_detail.html", {
        "merchant": merchant, "community": merchant.community, "staff": staff,
        "phone": merchant.phone if staff else mask_phone(merchant.phone),
        "referrals": sel.merchant_referral_count(merchant=merchant) if staff else None,
    })


def _form_page(request, *, community, merchant=None, communities=None):
    initial = {name: getattr(merchant, name) for name in FIELDS} if merchant else None
    form = MerchantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            row, changed = merchant_save(actor=request.user, community=community, merchant=merchant,
                                         **form.cleaned_data)
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("已保存。") if changed else _("没有改动。"))
            return redirect("talents:merchant_detail", pk=row.pk)
    return render(request, "talents/merchants/merchant_form.html", {
        "form": form, "community": community, "communities": communities, "merchant": merchant,
    }, status=400 if request.method == "POST" else 200)


@guard("talents.merchant.manage")
def merchant_new(request):
    action = "talents.merchant.manage"
    picked = community_for(request, action, choices=hub_communities(user=request.user, action=action))
    return _form_page(request, community=picked.community, communities=picked.choices)


@guard("talents.merchant.manage")
def merchant_edit(request, pk):
    merchant = sel.merchant_for(user=request.user, pk=pk, action="talents.merchant.manage")
    return _form_page(request, community=merchant.community, merchant=merchant)


urlpatterns = [
    path("merchants/", merchant_list, name="merchant_list"),
    path("merchants/new/", merchant_new, name="merchant_new"),
    path("merchants/<int:pk>/", merchant_detail, name="merchant_detail"),
    path("merchants/<int:pk>/edit/", merchant_edit, name="merchant_edit"),
]
