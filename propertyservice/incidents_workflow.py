"""An incident's steps, declared once on the core engine (``communities.statemachine``).

Relations to an incident: ``manager`` (station staff, the heads, the village's committee staff:
``propertyservice.incident.manage``), ``responder`` (a team member who acknowledged their dispatch) and
``reporter`` (the villager who reported it; they follow it and take no step). A public warning is not always
needed (an elder who fell), so dispatch may follow detection directly. The manager may also record arrival
and handling for a responder who reported them by phone.

Acknowledging a dispatch and the escalation chain are not steps of the incident: they are rows of
``IncidentDispatch`` (``propertyservice.services.incidents``), so the incident stays "dispatched" while the
chain is called.
"""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from communities.statemachine import StateMachine, Transition, transitions

from .models import Incident, IncidentEvent

S = Incident.Status
MANAGER, RESPONDER, REPORTER = "manager", "responder", "reporter"
SVC = "propertyservice.services.incidents."
FORMS = "propertyservice.forms.incidents."

TRANSITIONS: list[Transition] = [
    *transitions("warn", [S.DETECTED], S.WARNED, {MANAGER}, _("发布预警"),
                 form=FORMS + "WarnForm", service=SVC + "incident_warn"),
    *transitions("dispatch", [S.DETECTED, S.WARNED], S.DISPATCHED, {MANAGER}, _("派遣队员"),
                 form=FORMS + "DispatchForm", service=SVC + "incident_dispatch"),
    *transitions("arrive", [S.DISPATCHED], S.ON_SITE, {RESPONDER, MANAGER}, _("已到场"),
                 service=SVC + "incident_arrive"),
    *transitions("handle", [S.ON_SITE], S.HANDLED, {RESPONDER, MANAGER}, _("处置完毕"),
                 form=FORMS + "HandleForm", service=SVC + "incident_handle"),
    *transitions("close", [S.HANDLED], S.CLOSED, {MANAGER}, _("关闭事件"),
                 form=FORMS + "CloseForm", service=SVC + "incident_close"),
]
EVENT_LABELS = {
    "detect": _("发现"), "call": _("呼叫队员"), "acknowledge": _("队员响应"), "time_out": _("超时未响应，呼叫下一位"),
    "chain_exhausted": _("值守名单已呼叫完，无人响应"), "open_case": _("开立后续维修案件"), "recall": _("再次呼叫"),
    **{t.action: t.label for t in TRANSITIONS},
}
# The steps' short names on the page's timeline (发现→预警 3 分钟).
STEP_LABELS = {"detect": _("发现"), "warn": _("预警"), "dispatch": _("派遣"), "arrive": _("到场"), "handle": _("处置"),
               "close": _("关闭")}
# The steps whose moments the page and the board measure, in order, with the field that keeps each.
MOMENTS = [("detect", "detected_at"), ("warn", "warned_at"), ("dispatch", "dispatched_at"),
           ("arrive", "arrived_at"), ("handle", "handled_at"), ("close", "closed_at")]


def incident_relations(user, incident) -> set[str]:
    from communities import policy

    from .models import IncidentDispatch

    relations = set()
    if user is None:
        return relations
    if policy.can(user, "propertyservice.incident.manage", incident):
        relations.add(MANAGER)
    if IncidentDispatch.objects.filter(incident=incident, user_id=user.pk,
                                       status=IncidentDispatch.Status.ACKNOWLEDGED).exists():
        relations.add(RESPONDER)
    if incident.detected_by_id == user.pk:
        relations.add(REPORTER)
    return relations


def _may_see(user, incident) -> bool:
    from communities import policy

    return policy.can(user, "propertyservice.incident.view", incident)


def _repeat(incident, action, actor, relations):
    """A step whose moment is already kept is a repeat (a double click, two staff at once), even when a call or
    an acknowledgement came after it on the timeline; for an actor who could not take it, a refusal."""
    moment = dict(MOMENTS).get(action)
    if moment is None or getattr(incident, moment) is None:
        return False
    if relations & INCIDENTS.who_may(action):
        return True
    raise PermissionDenied


INCIDENTS = StateMachine(
    name="propertyservice.incident", model=Incident, event_model=IncidentEvent, subject="incident",
    transitions=TRANSITIONS, relations=incident_relations, may_see=_may_see, id_argument="incident_id",
    repeat_rule=_repeat,
)
