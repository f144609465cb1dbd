from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms import CategoryFormSet, RoutingRuleFormSet
from ..models import CaseCategory, RoutingRule
from ..picker import community_for, community_url
from ..policy import guard
from ..services.routing_admin import routing_save


@guard("case.routing")
def routing_edit(request):
    community = community_for(request, "case.routing").community
    data = request.POST if request.method == "POST" else None
    rules = RoutingRuleFormSet(data, prefix="rules", form_kwargs={"community": community},
                               queryset=RoutingRule.objects.filter(community=community).select_related(
                                   "category", "team", "user"))
    categories = CategoryFormSet(data, prefix="categories",
                                 queryset=CaseCategory.objects.filter(community=community))
    if request.method == "POST":
        if rules.is_valid() and categories.is_valid():
            routing_save(actor=request.user, community=community, rules_formset=rules,
                         categories_formset=categories)
            messages.success(request, _("派单规则和办理时限已保存。"))
            return redirect(community_url("communities:routing_edit", community))
        messages.error(request, _("有内容需要修改，请看下面的提示。"))
    return render(request, "communities/routing_edit.html",
                  {"community": community, "rules": rules, "categories": categories},
                  status=400 if request.method == "POST" else 200)
