"""An enrolment's steps, declared once on the core engine (``communities.statemachine``): from which status
each action leads where, and who takes it.

"Who" is a relation to the entry: the ``holder`` (the account that made it), ``staff`` (committee staff:
``talents.class.staff_move``) or the ``clock`` (the allocation the services run under the class's row lock:
the lottery draw, a freed seat, an offer's deadline). The services in ``talents.services.enrolment`` lock the
class first, then apply each step through ``ENROLMENT.apply``, which saves the status and appends the
``EnrolmentEvent``; the class page offers only ``ENROLMENT.actions_for(status, {HOLDER})``.

Creating an entry is not a step: its first event is ``requested`` (lottery), ``waitlisted`` or ``enrolled``.
``passed_over`` (a freed seat went to an entry behind this one: too many people for the seats, or no longer
within the audience rule on that day) is an event without a change of status.
"""
from django.utils.translation import gettext_lazy as _

from communities.statemachine import StateMachine, Transition, transitions

from .models import Enrolment, EnrolmentEvent

S = Enrolment.Status
HOLDER, STAFF, CLOCK = "holder", "staff", "clock"

TRANSITIONS: list[Transition] = [
    *transitions("draw", [S.REQUESTED], S.WAITING, {CLOCK}, _("抽签排序")),
    *transitions("enrol", [S.REQUESTED, S.WAITING], S.ENROLLED, {CLOCK}, _("报名成功")),
    *transitions("offer", [S.WAITING], S.OFFERED, {CLOCK}, _("候补到名额")),
    *transitions("accept", [S.OFFERED], S.ENROLLED, {HOLDER}, _("确认报名")),
    *transitions("decline", [S.OFFERED], S.DECLINED, {HOLDER}, _("放弃名额"), danger=True),
    *transitions("expire", [S.OFFERED], S.EXPIRED, {CLOCK}, _("逾期未确认")),
    *transitions("leave", [S.REQUESTED, S.WAITING, S.OFFERED, S.ENROLLED], S.LEFT, {HOLDER}, _("退出")),
    *transitions("staff_front", [S.WAITING], S.WAITING, {STAFF}, _("移到候补第一位")),
    *transitions("staff_enrol", [S.WAITING, S.OFFERED], S.ENROLLED, {STAFF}, _("直接报名")),
]
EVENT_LABELS = {
    "requested": _("登记报名，等待抽签"), "waitlisted": _("进入候补"), "enrolled": _("报名成功"),
    "passed_over": _("名额顺延给后面的报名"), **{t.action: t.label for t in TRANSITIONS},
}


def enrolment_relations(user, entry) -> set[str]:
    from communities import policy

    if user is None:
        return {CLOCK}
    relations = set()
    if entry.account_id == user.pk:
        relations.add(HOLDER)
    if policy.can(user, "talents.class.staff_move", entry):
        relations.add(STAFF)
    return relations


ENROLMENT = StateMachine(
    name="talents.enrolment", model=Enrolment, event_model=EnrolmentEvent, subject="enrolment",
    transitions=TRANSITIONS, relations=enrolment_relations, id_argument="entry_id",
)
