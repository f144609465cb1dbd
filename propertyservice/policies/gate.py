"""The gate (门岗): station staff log visitors and outside vehicles in and out, charge and take payment; the
village's committee staff may too (they employ the station). Villagers and other roles: 403; another village:
404."""
from communities.policy import Rule

from .base import STATION_AND_STAFF

RULES: dict[str, Rule] = {
    # The gate page, log in / log out, charge, take payment, print a receipt.
    "propertyservice.gate.operate": Rule(STATION_AND_STAFF, town=False),
}
