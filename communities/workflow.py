"""The case state machine, declared once: (state, action) -> (next state, who may act), on the engine
(``communities.statemachine``).

"Who" names a relation between the user and the case, decided by ``case_relations``:
the reporter, the current handler (a person or a member of the handling team), committee
staff of the case's community (or town staff), and the Party secretary. Services begin and apply every
step through ``CASES``; the case page offers only ``actions_for(user, case)``, and its forms, services
and red buttons come from the table's ``form``, ``service`` and ``danger``.
"""
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Case, CaseEvent
from .models import CaseStatus as S
from .services.errors import DomainError
from .statemachine import StateMachine, Transition, transitions

REPORTER, HANDLER, STAFF, SECRETARY = "reporter", "handler", "staff", "secretary"

F = "communities.forms."
SVC = "communities.services.case_workflow.case_"


def _t(action, sources, target, who, label, form, **flags):
    return transitions(action, sources, target, who, label, form=F + form, service=SVC + action, **flags)


TRANSITIONS: list[Transition] = [
    *_t("dispatch", [S.SUBMITTED, S.DISPATCHED], S.DISPATCHED, {STAFF}, _("派单"), "DispatchForm"),
    *_t("refer", [S.SUBMITTED, S.DISPATCHED], S.IN_PROGRESS, {STAFF}, _("转职能部门"), "ReferForm"),
    *_t("acknowledge", [S.DISPATCHED], S.IN_PROGRESS, {HANDLER}, _("接单处理"), "OptionalNoteForm"),
    *_t("report_fixed", [S.IN_PROGRESS], S.AWAITING_VERIFICATION, {HANDLER}, _("报告已解决"), "FixedForm"),
    *_t("verify_pass", [S.AWAITING_VERIFICATION], S.CLOSED, {STAFF}, _("上门验收通过"), "VerifyPassForm"),
    *_t("verify_fail", [S.AWAITING_VERIFICATION], S.IN_PROGRESS, {STAFF}, _("验收不通过，退回"), "NoteForm", danger=True),
    *_t("reject", [S.SUBMITTED, S.DISPATCHED], S.REJECTED, {STAFF}, pgettext_lazy("case action", "不予受理"),
       "NoteForm", danger=True, arguments={"note": "reason"}),
    *_t("merge", [S.SUBMITTED, S.DISPATCHED], S.DUPLICATE, {STAFF}, _("合并为重复件"), "MergeForm", danger=True,
       arguments={"into": "into_id"}),
    *_t("withdraw", [S.SUBMITTED], S.WITHDRAWN, {REPORTER}, _("撤回"), "OptionalNoteForm", danger=True, arguments={"note": "reason"}),
    # 回访: an unsatisfied or partly-fixed rating may send the case back once.
    *_t("reopen", [S.CLOSED], S.IN_PROGRESS, {REPORTER}, _("重新办理"), "NoteForm", arguments={"note": "reason"}),
]



def _relations(user, case) -> set[str]:
    from . import policy  # the policy module reads this table's relations: imported when first asked

    return policy.case_relations(user, case)


def _may_view(user, case) -> bool:
    from . import policy

    return policy.can(user, "case.view", case)


def _refusal(case) -> DomainError:
    return DomainError(_gettext("这件诉求现在是“%(status)s”，不能进行这项操作。") % {"status": case.get_status_display()},
                       code="state")


CASES = StateMachine(
    name="cases", model=Case, event_model=CaseEvent, subject="case", transitions=TRANSITIONS,
    relations=_relations, may_see=_may_view, refusal=_refusal,
    lock=lambda: Case.objects.select_related("community", "category", "unit__building", "building",
                                             "public_place", "handler_user", "handler_team", "reporter"),
)
ACTIONS = CASES.actions
transition_for = CASES.transition_for
target_of = CASES.targets_of
who_may = CASES.who_may
actions_for = CASES.actions_for
