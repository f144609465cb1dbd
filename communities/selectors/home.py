"""What each role sees first."""
from .. import policy
from ..models import RegistrationRequest, Role
from .navigation import navigation_for
from .places import communities_visible, community_figures, my_units
from .registrations import registrations_to_review


def home_for(*, user) -> dict:
    roles = policy.all_roles(user)
    context = {
        "roles": sorted(roles),
        "role_labels": [Role(r).label for r in sorted(roles)],
        "town_role_label": user.get_town_role_display() if policy.is_town(user) else "",
        "tiles": [item for item in navigation_for(user) if item.hint],
        "my_units": list(my_units(user=user)),
        "pending_registration": RegistrationRequest.objects.filter(
            user=user, status=RegistrationRequest.Status.PENDING).select_related("unit__building").first(),
    }
    if policy.can(user, "registration.review"):
        context["registrations_waiting"] = registrations_to_review(user=user).count()
    if policy.can(user, "directory.view"):
        communities = list(communities_visible(user=user, action="directory.view"))
        context["community_cards"] = [(c, community_figures(community=c)) for c in communities]
    else:
        context["communities"] = list(communities_visible(user=user))
    return context
