"""Parking: the station's heads (负责人) and the village's committee staff manage the fee standards, spaces,
cameras and exempt vehicles and see the cash report; villagers register their own household's plates and see
their own; the posted standard (明码标价) is public."""
from django.db.models import Q

from communities.models import Community
from communities.policy import Rule

from ..models import Camera, FeeStandard, ParkingCharge, ParkingSpace, Vehicle
from .base import STAFF, STATION, VILLAGERS, heads_q, is_head


def _headed(prefix: str):
    return lambda user: Q(**{f"{prefix}__in": Community.objects.filter(heads_q(user)).values("pk")})


RULES: dict[str, Rule] = {
    # Standards, spaces, cameras, exempt vehicles, the cash report: committee staff, and the station's heads.
    "propertyservice.parking.manage": Rule(STAFF, town=False, extra=is_head, extra_roles=STATION, extra_scope={
        FeeStandard: _headed("community"), ParkingSpace: _headed("community"), Camera: _headed("community"),
        Vehicle: _headed("community"), ParkingCharge: _headed("entry__community")}),
    # Registering one's own household's vehicles (free in the village) and seeing them.
    "propertyservice.parking.register": Rule(VILLAGERS, town=False),
}
