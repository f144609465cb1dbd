"""Patrols, hand-over notes and garbage collection: station staff patrol and log; the station's heads and the
village's committee staff manage the routes (and print their QR codes); villagers have no part here."""
from django.db.models import Q

from communities import policy
from communities.models import Community
from communities.policy import Rule

from ..models import PatrolCheckpoint, PatrolRoute
from .base import STAFF, STATION, STATION_AND_STAFF, heads_q, is_head


def _heads_here(user, obj) -> bool:
    """A head of the station of the village ``obj`` (a route, a checkpoint, the village) belongs to."""
    community = policy.community_of(obj)
    return is_head(user, community if isinstance(community, Community) else Community(pk=community))


def _headed(prefix: str):
    return lambda user: Q(**{f"{prefix}in": Community.objects.filter(heads_q(user)).values("pk")})


RULES: dict[str, Rule] = {
    # Walking a patrol (my patrol, scanning checkpoints), writing and reading hand-over notes: station staff.
    # Being on the shift is checked by the services (anyone else is refused, 403).
    "propertyservice.patrols.patrol": Rule(STATION, town=False),
    # The garbage log (sorting checks, hand-overs to the town's collection): station staff.
    "propertyservice.patrols.garbage": Rule(STATION, town=False),
    # Runs, flags and scan photos: station staff and the village's committee staff.
    "propertyservice.patrols.view": Rule(STATION_AND_STAFF),
    # Routes and checkpoints (and printing their QR codes): the station's heads and committee staff.
    "propertyservice.patrols.manage": Rule(STAFF, town=False, extra=_heads_here, extra_roles=STATION, extra_scope={
        Community: heads_q, PatrolRoute: _headed("community__"), PatrolCheckpoint: _headed("route__community__")}),
}
