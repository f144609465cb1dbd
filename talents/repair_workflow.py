"""A repair project's steps, declared once on the core engine (``communities.statemachine``).

The ordinary route (沪物业规定第六十四至七十二条): discovered → (appraisal) → use plan (使用方案: items, budget, who
shares the cost) → the sharing owners' vote (民法典第二百七十八条: using the fund, more than half of both tallies,
after participation of two thirds of both) → cost audit (审价) → contract → works → acceptance (验收) → payment from
the fund → the final account published (公示).

The emergency route (沪物业规定第七十三条): a facade or seepage danger certified by a qualified appraisal body;
the owners' committee approves the emergency use within 7 days of the certification's submission (the days are
counted from the day after, 民法典第二百零一条), or — when the 7 days ran out — staff refer it to the district
housing department (宝山区房屋管理局); either way the project then goes on without the owners' vote
(``emergency_proceed``), the reason recorded.

"Who" is a relation to the project: ``staff`` (``talents.repairs.manage``) or the ``clock`` (the beat task).
``link`` (a reporting case), ``emergency_approve``, ``refer`` and ``progress`` (a works update) are steps that may
repeat in their state; their services decide what a double submission is.
"""
from django.utils.translation import gettext_lazy as _

from communities.statemachine import StateMachine, Transition, transitions

from .models import RepairEvent, RepairProject

S = RepairProject.Status
STAFF, CLOCK = "staff", "clock"
OPEN_STATES = [S.DISCOVERED, S.APPRAISED, S.PLANNED, S.VOTING, S.APPROVED, S.AUDITED, S.CONTRACTED, S.WORKS,
               S.ACCEPTED]
EMERGENCY_STATES = [S.APPRAISED, S.PLANNED]
F = "talents.forms.owners_repairs."
V = "talents.services.owners_repairs."


def _loop(action, states, who, label, **flags) -> list[Transition]:
    """An action that keeps the state (one row per state it may be taken in)."""
    return [t for state in states for t in transitions(action, [state], state, who, label, **flags)]


TRANSITIONS: list[Transition] = [
    *_loop("link", OPEN_STATES, {STAFF}, _("关联工单"), form=F + "LinkCaseForm", service=V + "repair_link_case"),
    *transitions("appraise", [S.DISCOVERED], S.APPRAISED, {STAFF}, _("登记鉴定"),
                 form=F + "AppraisalForm", service=V + "repair_appraise"),
    *transitions("plan", [S.DISCOVERED, S.APPRAISED], S.PLANNED, {STAFF}, _("拟定使用方案"),
                 form=F + "PlanForm", service=V + "repair_plan"),
    *transitions("vote_open", [S.PLANNED], S.VOTING, {STAFF}, _("发起业主表决"),
                 form=F + "VoteOpenForm", service=V + "repair_vote_open"),
    *transitions("vote_passed", [S.VOTING], S.APPROVED, {STAFF}, _("表决通过")),
    *transitions("vote_failed", [S.VOTING], S.PLANNED, {STAFF}, _("表决未通过，退回方案")),
    *_loop("emergency_approve", EMERGENCY_STATES, {STAFF}, _("登记业委会同意紧急使用"),
           form=F + "EmergencyApprovalForm", service=V + "repair_emergency_approve"),
    *_loop("emergency_overdue", EMERGENCY_STATES, {CLOCK}, _("业委会超过7日未批准")),
    *_loop("refer", EMERGENCY_STATES, {STAFF}, _("报区房屋管理局"),
           form=F + "ReferralForm", service=V + "repair_refer"),
    *transitions("emergency_proceed", [S.PLANNED], S.APPROVED, {STAFF}, _("按紧急程序实施（不经业主表决）"),
                 danger=True, form=F + "ProceedForm", service=V + "repair_emergency_proceed"),
    *transitions("audit", [S.APPROVED], S.AUDITED, {STAFF}, _("登记审价"),
                 form=F + "AuditForm", service=V + "repair_audit"),
    *transitions("contract", [S.AUDITED], S.CONTRACTED, {STAFF}, _("登记施工合同"),
                 form=F + "ContractForm", service=V + "repair_contract"),
    *transitions("progress", [S.CONTRACTED, S.WORKS], S.WORKS, {STAFF}, _("更新施工进度"),
                 form=F + "ProgressForm", service=V + "repair_progress"),
    *transitions("accept", [S.WORKS], S.ACCEPTED, {STAFF}, _("登记验收"),
                 form=F + "AcceptanceForm", service=V + "repair_accept"),
    *transitions("pay", [S.ACCEPTED], S.PAID, {STAFF}, _("从维修资金支付"),
                 form=F + "PaymentForm", service=V + "repair_pay"),
    *transitions("publish", [S.PAID], S.PUBLISHED, {STAFF}, _("公示决算"),
                 form=F + "PublishForm", service=V + "repair_publish"),
]
EVENT_LABELS = {"discover": _("发现问题，登记维修项目"), **{t.action: t.label for t in TRANSITIONS}}


def repair_relations(user, project) -> set[str]:
    from communities import policy

    if user is None:
        return {CLOCK}
    return {STAFF} if policy.can(user, "talents.repairs.manage", project) else set()


def _may_see(user, project) -> bool:
    from communities import policy

    return user is not None and policy.can(user, "talents.repairs.view", project)


REPAIRS = StateMachine(
    name="talents.repairs", model=RepairProject, event_model=RepairEvent, subject="project",
    transitions=TRANSITIONS, relations=repair_relations, may_see=_may_see, id_argument="project_id",
)
