"""The case state machine, declared once: (state, action) -> (next state, who may act).

"Who" names a relation between the user and the case, decided by ``case_relations``:
the reporter, the current handler (a person or a member of the handling team), committee
staff of the case's community (or town staff), and the Party secretary. Services consult
``transition_for``; the case page offers only ``actions_for(user, case)``.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import CaseStatus as S

REPORTER, HANDLER, STAFF, SECRETARY = "reporter", "handler", "staff", "secretary"


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    who: frozenset
    label: str


def _t(action, sources, target, who, label):
    return [Transition(action, source, target, frozenset(who), label) for source in sources]


TRANSITIONS: list[Transition] = [
    *_t("dispatch", [S.SUBMITTED, S.DISPATCHED], S.DISPATCHED, {STAFF}, _("派单")),
    *_t("refer", [S.SUBMITTED, S.DISPATCHED], S.IN_PROGRESS, {STAFF}, _("转职能部门")),
    *_t("acknowledge", [S.DISPATCHED], S.IN_PROGRESS, {HANDLER}, _("接单处理")),
    *_t("report_fixed", [S.IN_PROGRESS], S.AWAITING_VERIFICATION, {HANDLER}, _("报告已解决")),
    *_t("verify_pass", [S.AWAITING_VERIFICATION], S.CLOSED, {STAFF}, _("上门验收通过")),
    *_t("verify_fail", [S.AWAITING_VERIFICATION], S.IN_PROGRESS, {STAFF}, _("验收不通过，退回")),
    *_t("reject", [S.SUBMITTED, S.DISPATCHED], S.REJECTED, {STAFF}, pgettext_lazy("case action", "不予受理")),
    *_t("merge", [S.SUBMITTED, S.DISPATCHED], S.DUPLICATE, {STAFF}, _("合并为重复件")),
    *_t("withdraw", [S.SUBMITTED], S.WITHDRAWN, {REPORTER}, _("撤回")),
    # 回访: an unsatisfied or partly-fixed rating may send the case back once.
    *_t("reopen", [S.CLOSED], S.IN_PROGRESS, {REPORTER}, _("重新办理")),
]

_TABLE = {(t.source, t.action): t for t in TRANSITIONS}
ACTIONS = sorted({t.action for t in TRANSITIONS})


def transition_for(status: str, action: str) -> Transition | None:
    return _TABLE.get((status, action))


def target_of(action: str) -> set[str]:
    """Every state an action can lead to (for recognising a repeated request)."""
    return {t.target for t in TRANSITIONS if t.action == action}


def who_may(action: str) -> frozenset:
    """Every relation that may take ``action`` in some state."""
    return frozenset().union(*(t.who for t in TRANSITIONS if t.action == action))


def actions_for(status: str, relations: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status and t.who & relations]
