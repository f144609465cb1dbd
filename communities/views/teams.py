"""A team's backbones: committee staff appoint members to an office (骨干, 主理人, 负责人 …) and end terms.
Elected officers come from a published election (communities.services.teams.backbones_from_election)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..forms.teams import BackboneAppointForm, BackboneEndForm
from ..models import Backbone, Team
from ..policy import guard
from ..selectors.teams import active_members, current_backbones
from ..services.errors import DomainError
from ..services.teams import backbone_appoint, backbone_end


def _team(request, pk) -> Team:
    return policy.get_object_or_404_for(request.user, "team.appoint", Team.objects.select_related("community"),
                                        pk=pk)


@guard("team.appoint")
def team_backbones(request, pk):
    team = _team(request, pk)
    members = list(active_members(team))
    form = BackboneAppointForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = next(m for m in members if m.pk == data["user"])
        try:
            row, created = backbone_appoint(actor=request.user, team=team, user=user, office=data["office"],
                                            term_start=data["term_start"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if created:
                messages.success(request, _("已任命 %(name)s 为%(office)s。") % {
                    "name": user.display_name(), "office": row.get_office_display()})
            else:
                messages.info(request, _("%(name)s 已是%(office)s，未作改动。") % {
                    "name": user.display_name(), "office": row.get_office_display()})
            return redirect("communities:team_backbones", pk=team.pk)
    return render(request, "communities/team_backbones.html", {
        "team": team, "community": team.community, "form": form, "backbones": current_backbones(team),
        "end_form": BackboneEndForm(), "members": members,
    }, status=400 if request.method == "POST" else 200)


@guard("team.appoint")
@require_POST
def backbone_end_view(request, pk):
    row = get_object_or_404(Backbone.objects.select_related("team__community", "user__person"), pk=pk)
    team = _team(request, row.team_id)
    form = BackboneEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的卸任日期。"))
        return redirect("communities:team_backbones", pk=team.pk)
    try:
        ended = backbone_end(actor=request.user, backbone_id=row.pk, term_end=form.cleaned_data["term_end"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if ended:
            messages.success(request, _("%(name)s 的%(office)s任期已结束。") % {
                "name": row.user.display_name(), "office": row.get_office_display()})
        else:
            messages.info(request, _("这个任期已经结束。"))
    return redirect("communities:team_backbones", pk=team.pk)
