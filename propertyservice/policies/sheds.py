"""E-bike sheds, flying wires and the suggestion box (issue 14 items 9–10).

- Station staff and the village's committee staff manage the sheds: sessions, the daily safety checks, the
  vendor's file.
- Every member of the village reads the sheds and their price board, reports a flying wire and posts a
  suggestion; the suggestion box's list shows an anonymous suggestion without its author.
- The heads (负责人) and the committee see the flying-wire places by count and answer suggestions (or turn one
  into a meeting topic).
Another village's sheds, reports and suggestions are a 404 (``get_object_or_404_for``)."""
from django.db.models import Q

from communities.models import Community, Role
from communities.policy import Rule

from ..models import FlyingWireReport, Suggestion
from .base import ALL, STAFF, STATION, STATION_AND_STAFF, heads_q, is_head

LEADERS = STAFF | frozenset({Role.PARTY_SECRETARY})


def _headed_q(prefix: str):
    return lambda user: Q(**{f"{prefix}in": Community.objects.filter(heads_q(user))})


HEADS_SCOPE = {Community: heads_q, FlyingWireReport: _headed_q("community__"), Suggestion: _headed_q("community__")}

RULES: dict[str, Rule] = {
    # The sheds, their ports and the price board: every member of the village; town roles read them.
    "propertyservice.shed.view": Rule(ALL),
    # Sessions, safety checks, the vendor import, repairs: station staff and committee staff.
    "propertyservice.shed.manage": Rule(STATION_AND_STAFF, town=False),
    # Reporting a flying wire (飞线充电): villagers and staff alike.
    "propertyservice.flying.report": Rule(ALL, town=False),
    # The flying-wire places by count: the heads, the committee and the Party secretary.
    "propertyservice.flying.places": Rule(LEADERS, extra=is_head, extra_roles=STATION, extra_scope=HEADS_SCOPE),
    # The suggestion box: every member posts and reads it (anonymous authors hidden).
    "propertyservice.suggestion.post": Rule(ALL, town=False),
    # Answering a suggestion or turning it into a meeting topic: the heads and the committee.
    "propertyservice.suggestion.answer": Rule(LEADERS, town=False, extra=is_head, extra_roles=STATION,
                                              extra_scope=HEADS_SCOPE),
}
