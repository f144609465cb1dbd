"""Which villages the station app serves for a user, and the station team of a village."""
from django.db.models import QuerySet

from communities import extensions, policy
from communities.models import Team

APP_LABEL = "propertyservice"


def hub_communities(*, user, action: str = "propertyservice.hub") -> QuerySet:
    """The communities this app serves (``CommunityApp``) in which ``user`` may do ``action``, by name."""
    return policy.communities_for(user, action).filter(apps__app_label=APP_LABEL).order_by("name")


def served_for(*, user, action: str = "propertyservice.hub") -> bool:
    """``hub_communities(...).exists()`` for every page's menu, from the facts loaded once per request."""
    served = extensions.served_community_ids(APP_LABEL, user=user)
    allowed = policy.community_ids_for(user, action)
    return bool(served) if allowed is None else not served.isdisjoint(allowed)


def station_team(*, community) -> Team | None:
    """The village's property service station (core ``Team`` of kind station), or None."""
    return Team.objects.filter(community=community, kind=Team.Kind.STATION).order_by("pk").first()
