"""The station hub (/property/) and the heads' board."""
from communities.policy import Rule

from .base import ALL, STATION_AND_STAFF

RULES: dict[str, Rule] = {
    # The hub: every member of a village the app serves; town roles read it.
    "propertyservice.hub": Rule(ALL),
    # The heads' board (负责人看板): station staff (the heads are station staff) and the village's committee staff.
    "propertyservice.board": Rule(STATION_AND_STAFF),
}
