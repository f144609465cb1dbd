"""Community titles (社区身份): committee staff find a person of their community by name, award a title,
and see and revoke the titles held. Thin views over communities.services.titles."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..forms.titles import PersonSearchForm, TitleAwardForm
from ..models import CommunityTitle
from ..picker import community_for, community_url
from ..policy import guard
from ..selectors.titles import community_titles, people_of_community, people_search, titles_for
from ..services.errors import DomainError
from ..services.titles import title_award, title_revoke


@guard("title.award")
def title_manage(request):
    community = community_for(request, "title.award").community
    award_form = TitleAwardForm(request.POST or None)
    if request.method == "POST" and award_form.is_valid():
        data = award_form.cleaned_data
        person = get_object_or_404(people_of_community(community=community), pk=data["person"])
        try:
            title, created = title_award(actor=request.user, community=community, person=person,
                                         kind=data["kind"], other_name=data["other_name"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if created:
                messages.success(request, _("已授予 %(name)s “%(title)s”身份。") % {"name": person.name,
                                                                              "title": title.name})
            else:
                messages.info(request, _("%(name)s 已有“%(title)s”身份，未作改动。") % {"name": person.name,
                                                                                 "title": title.name})
        return redirect(community_url("communities:title_manage", community))
    search = PersonSearchForm(request.GET or None)
    found = people_search(community=community, query=search.cleaned_data["q"]) if search.is_valid() else []
    titles = list(community_titles(community=community))
    return render(request, "communities/title_manage.html", {
        "community": community, "search": search, "found": found, "titles": titles,
        "found_titles": titles_for(people=found, community=community),
        "kinds": CommunityTitle.Kind.choices, "other_kind": CommunityTitle.Kind.OTHER,
        "award_error": award_form.errors if request.method == "POST" else None,
    }, status=400 if request.method == "POST" else 200)


@guard("title.award")
@require_POST
def title_revoke_view(request, pk):
    title = policy.get_object_or_404_for(request.user, "title.award",
                                         CommunityTitle.objects.select_related("community", "person"), pk=pk)
    if title_revoke(actor=request.user, title_id=title.pk):
        messages.success(request, _("已撤销 %(name)s 的“%(title)s”身份。") % {"name": title.person.name,
                                                                        "title": title.name})
    else:
        messages.info(request, _("这个身份已撤销。"))
    return redirect(community_url("communities:title_manage", title.community))
