"""The co-building needs list (共建需求清单): thin views over communities.services.needs, guarded by the policy.
Each action's form and service come from the table (communities.need_workflow)."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import policy
from ..forms.needs import NeedClaimForm, NeedPostForm
from ..models import NeedStatus
from ..need_workflow import NEEDS
from ..policy import guard
from ..selectors.teams import teams_of
from ..selectors.needs import giver_titles, need_for, needs_given, needs_list
from ..selectors.titles import titles_for
from ..services.errors import DomainError
from ..services.needs import need_actions_for, need_post
from .photos import photo_response


def _done_message(action):
    return {"claim": _("您已认领这项需求，感谢参与共建！"), "release": _("已放弃认领，需求回到清单。"),
            "deliver": _("已交付，等待居委确认。"), "confirm": _("已确认完成，已记入共建榜。"),
            "send_back": _("已退回给认领人补充。"), "withdraw": _("需求已撤下。")}[action]


def _teams_of(user, need):
    return teams_of(user, community=need.community_id)


def _action_form(action, user, need, data=None, files=None):
    form_class = NEEDS.form_class(action)
    if form_class is NeedClaimForm:
        return form_class(data, teams=_teams_of(user, need))
    return form_class(data, files)


@guard("need.view")
def need_list(request):
    status = request.GET.get("status", "")
    needs = list(needs_list(user=request.user, status=status))
    given = needs_given(user=request.user)
    return render(request, "communities/needs/need_list.html", {
        "needs": needs, "given": given, "titles": giver_titles(needs + given), "status": status,
        "statuses": NeedStatus.choices, "can_post": policy.can(request.user, "need.manage"),
    })


@guard("need.manage")
def need_new(request):
    communities = policy.communities_for(request.user, "need.manage").order_by("name")
    form = NeedPostForm(request.POST or None, request.FILES or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = need_post(actor=request.user, community=data["community"], title=data["title"],
                             description=data["description"], quantity=data["quantity"], photo=data["photo"])
        except DomainError as exc:
            form.add_error("photo" if exc.code.startswith("photo") else None, exc.message)
        else:
            messages.success(request, _("需求已发布到共建需求清单。"))
            return redirect("communities:need_detail", pk=need.pk)
    return render(request, "communities/needs/need_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@guard("need.view")
def need_detail(request, pk, forms=None, open_action=""):
    need = need_for(user=request.user, need_id=pk)
    forms = forms or {}
    action_forms = [(t, forms.get(t.action) or _action_form(t.action, request.user, need))
                    for t in need_actions_for(request.user, need)]
    people = [e.actor.person for e in need.events.all() if getattr(e.actor, "person", None) is not None]
    return render(request, "communities/needs/need_detail.html", {
        "need": need, "action_forms": action_forms, "open_action": open_action,
        "danger_actions": NEEDS.danger_actions,
        "titles": titles_for(people=people, community=need.community_id),
        "can_see_photos": policy.can(request.user, "need.photo", need),
    }, status=400 if forms else 200)


@guard("need.view")
@require_POST
def need_action(request, pk, action):
    if action not in NEEDS.actions:
        raise Http404
    need = need_for(user=request.user, need_id=pk)
    form = _action_form(action, request.user, need, request.POST, request.FILES)
    if not form.is_valid():
        return need_detail(request, pk, forms={action: form}, open_action=action)
    data = form.cleaned_data
    try:
        outcome = NEEDS.run(action, obj_id=need.pk, actor=request.user, data=data)
    except DomainError as exc:
        if action in ("deliver", "send_back") or exc.code.startswith("photo"):
            form.add_error("photo" if exc.code.startswith("photo") else None, exc.message)
            return need_detail(request, pk, forms={action: form}, open_action=action)
        messages.error(request, exc.message)
    else:
        if outcome.changed:
            messages.success(request, _done_message(action))
        else:
            messages.info(request, _("已认领。") if action == "claim" else _("这项操作已完成，无需重复提交。"))
    return redirect("communities:need_detail", pk=need.pk)


@guard("need.photo")
@require_safe
def need_photo(request, pk, photo_id):
    need = need_for(user=request.user, need_id=pk, action="need.photo")
    photo = get_object_or_404(need.photos.all(), pk=photo_id)
    return photo_response(photo, name=f"need-{need.pk}-photo-{photo.pk}")
