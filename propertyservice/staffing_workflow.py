"""A recruit's steps, declared once on the core engine (``communities.statemachine``).

applied --start_training--> training --pass--> passed --hire--> hired
                             training --fail--> failed --retake--> training
and a head or committee staff may withdraw an application that is not hired. Every step is the managers'
(heads of the station and the village's committee staff: ``propertyservice.station.manage``). The services
in ``propertyservice.services.staffing`` take each step through ``RECRUITMENT.begin``/``apply``; a double
click finds its own event and is a repeat.
"""
from django.utils.translation import gettext_lazy as _

from communities.statemachine import StateMachine, Transition, transitions

from .models import Recruit, RecruitEvent

S = Recruit.Status
MANAGER = "manager"

TRANSITIONS: list[Transition] = [
    *transitions("start_training", [S.APPLIED], S.TRAINING, {MANAGER}, _("开始培训"),
                 service="propertyservice.services.staffing.recruit_start_training"),
    *transitions("pass", [S.TRAINING], S.PASSED, {MANAGER}, _("考核通过")),
    *transitions("fail", [S.TRAINING], S.FAILED, {MANAGER}, _("考核未通过")),
    *transitions("retake", [S.FAILED], S.TRAINING, {MANAGER}, _("重新培训补考"),
                 service="propertyservice.services.staffing.recruit_retake"),
    *transitions("hire", [S.PASSED], S.HIRED, {MANAGER}, _("录用上岗")),
    *transitions("withdraw", [S.APPLIED, S.TRAINING, S.FAILED, S.PASSED], S.WITHDRAWN, {MANAGER}, _("撤回报名"),
                 danger=True, service="propertyservice.services.staffing.recruit_withdraw"),
]
EVENT_LABELS = {"applied": _("报名"), **{t.action: t.label for t in TRANSITIONS}}


def recruit_relations(user, recruit) -> set[str]:
    from communities import policy

    return {MANAGER} if policy.can(user, "propertyservice.station.manage", recruit) else set()


def _may_see(user, recruit) -> bool:
    from communities import policy

    return policy.can(user, "propertyservice.station.staff", recruit)


RECRUITMENT = StateMachine(
    name="propertyservice.recruitment", model=Recruit, event_model=RecruitEvent, subject="recruit",
    transitions=TRANSITIONS, relations=recruit_relations, may_see=_may_see, id_argument="recruit_id",
)
