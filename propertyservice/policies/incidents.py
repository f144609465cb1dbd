"""Incidents and the emergency team: who may do what.

- Station staff (the heads among them) and the village's committee staff manage: detect, warn, dispatch,
  close, keep the team's emergency profiles (``propertyservice.incident.manage``).
- A team member who was called acknowledges their own dispatch, then marks on site and handled
  (``propertyservice.incident.respond``: only the dispatch's own member, an extra grant per object).
- A villager reports an incident (detected by resident) and follows their own report
  (``propertyservice.incident.view`` grants the reporter and every member called to it).
- Another village: 404 (``policy.get_object_or_404_for``)."""
from django.db.models import Q

from communities.policy import Rule

from ..models import Incident, IncidentDispatch
from .base import ALL, STATION_AND_STAFF, VILLAGERS


def _sees_incident(user, obj) -> bool:
    incident = obj.incident if isinstance(obj, IncidentDispatch) else obj
    if not isinstance(incident, Incident):
        return False
    return incident.detected_by_id == user.pk or IncidentDispatch.objects.filter(
        incident=incident, user_id=user.pk).exists()


def _sees_q(user) -> Q:
    return Q(detected_by=user) | Q(dispatches__user=user)


def _own_dispatch(user, obj) -> bool:
    return isinstance(obj, IncidentDispatch) and obj.user_id == user.pk


RULES: dict[str, Rule] = {
    # An incident's page and the list: managers see the village's; a reporter and the members called see theirs.
    "propertyservice.incident.view": Rule(STATION_AND_STAFF, extra=_sees_incident, extra_roles=ALL,
                                          extra_scope={Incident: _sees_q}),
    # Report an incident (a villager: detected by resident); the station records one from any source.
    "propertyservice.incident.report": Rule(VILLAGERS | STATION_AND_STAFF, town=False),
    # Detect (from patrol, camera, hotline …), warn, dispatch, close; keep the team's emergency profiles.
    "propertyservice.incident.manage": Rule(STATION_AND_STAFF, town=False),
    # Acknowledge one's own dispatch (the link in the notification).
    "propertyservice.incident.respond": Rule(frozenset(), town=False, extra=_own_dispatch, extra_roles=ALL,
                                             extra_scope={IncidentDispatch: lambda user: Q(user=user)}),
}
