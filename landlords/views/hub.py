from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.policy import guard

from ..selectors.hub import duty_rota, team_meetings
from ..selectors.rentals import hub_rentals_context
from ..selectors.team import landlord_team
from .picking import pick_team_community

# Each area of the app puts its links on the hub in its own fragment, under its heading.
HUB_AREAS = (
    ("rentals", _("出租房屋与租客登记")),
    ("mediation", _("一室二群")),
    ("team", _("团队与选举")),
    ("documents", _("章程与租户公约")),
    ("needs", _("共建需求清单")),
)


def _hub_fragments() -> list[tuple[str, str]]:
    found = []
    for area, heading in HUB_AREAS:
        name = f"landlords/fragments/hub_{area}.html"
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append((name, heading))
    return found


@guard("landlords.hub")
def hub(request):
    """蓉治社: the team, "one room, two groups, three fixed", and what the user can do there."""
    picked = pick_team_community(request, "landlords.hub")
    community = picked.community
    rota = duty_rota(community=community)
    user = request.user
    return render(request, "landlords/hub.html", {
        "community": community,
        "communities": picked.choices,
        "team": landlord_team(community),
        "meetings": team_meetings(user=user, community=community),
        "rota": rota,
        "rota_visible": rota is not None and policy.can(user, "rota.view", rota),
        "scorecard": policy.can(user, "landlords.scorecard_view", community),
        "fragments": _hub_fragments(),
        **hub_rentals_context(user=user),
    })
