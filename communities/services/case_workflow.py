"""One service per case transition. Each begins and applies its step through the engine
(communities.workflow.CASES, communities.statemachine), appends a CaseEvent and writes the notifications, all in one transaction.
Repeating a transition that already happened changes nothing and says so."""
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import extensions, policy, workflow
from ..models import Agency, Case, CaseEvent, CaseRating, CaseReferral, CaseStatus, Team
from . import case_notify as n
from .errors import DomainError
from .photos import photo_process, photos_attach


@dataclass
class Outcome:
    case: Case
    changed: bool
    event: CaseEvent | None = None


def _lock(case_id: int) -> Case:
    return workflow.CASES.lock(case_id)


def _begin(case_id: int, actor, action: str):
    """Lock the case and check the table (the engine). Returns (case, None) when the action already happened."""
    step = workflow.CASES.begin(case_id, actor, action)
    return step.obj, step


def _apply(case: Case, step, actor, *, note: str = "", fields=(), data=None, at=None) -> CaseEvent:
    event = workflow.CASES.apply(step, actor, note=note, fields=fields, data=data, at=at)
    if step.transition.target == CaseStatus.CLOSED:
        extensions.send_on_commit(extensions.case_closed, Case, case=case, actor=actor)
    return event


def _need(text: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code="note")
    return text


def case_dispatch(*, case_id: int, actor, handler_user=None, handler_team: Team | None = None,
                  note: str = "") -> Outcome:
    if (handler_user is None) == (handler_team is None):
        raise DomainError(_("请选择一位处理人或一个团队。"), code="handler")
    with transaction.atomic():
        case, t = _begin(case_id, actor, "dispatch")
        if t.repeat or (case.handler_user == handler_user and case.handler_team == handler_team
                         and case.status == CaseStatus.DISPATCHED):
            return Outcome(case, False)
        _check_handler(case, handler_user, handler_team)
        case.handler_user, case.handler_team = handler_user, handler_team
        case.dispatched_at = timezone.now()
        event = _apply(case, t, actor, note=note, fields=["handler_user", "handler_team", "dispatched_at"],
                       data={"handler_user": handler_user and handler_user.pk,
                             "handler_team": handler_team and handler_team.pk})
        n.tell(n.handler_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("新诉求派给您处理：%(case)s"), case))
    return Outcome(case, True, event)


def _check_handler(case: Case, handler_user, handler_team) -> None:
    if handler_team is not None and handler_team.community_id != case.community_id:
        raise DomainError(_("只能派给本社区的团队。"), code="handler")
    if handler_user is not None and not policy.roles_in(handler_user, case.community_id):
        raise DomainError(_("只能派给本社区的人员。"), code="handler")


def case_refer(*, case_id: int, actor, agency: Agency, note: str) -> Outcome:
    """Refer to an outside agency (公安, 城管 …); the referring staff member follows it up as handler."""
    note = _need(note, _("请写明转办的原因和要求。"))
    with transaction.atomic():
        case, t = _begin(case_id, actor, "refer")
        if t.repeat:
            return Outcome(case, False)
        now = timezone.now()
        CaseReferral.objects.create(case=case, agency=agency, note=note, referred_by=actor, at=now)
        case.handler_user, case.handler_team = actor, None
        case.dispatched_at = case.dispatched_at or now
        case.acknowledged_at = case.acknowledged_at or now
        event = _apply(case, t, actor, note=note, at=now, data={"agency": agency.pk},
                       fields=["handler_user", "handler_team", "dispatched_at", "acknowledged_at"])
        n.tell(n.reporter_and_followers(case), case=case, actor=actor,
               title=n.title(gettext_lazy("您反映的问题已转交职能部门：%(case)s"), case), body=agency.name)
    return Outcome(case, True, event)


def case_acknowledge(*, case_id: int, actor, note: str = "") -> Outcome:
    with transaction.atomic():
        case, t = _begin(case_id, actor, "acknowledge")
        if t.repeat:
            return Outcome(case, False)
        case.acknowledged_at = timezone.now()
        # Lateness to acknowledge is over; lateness to fix starts its own round of escalation.
        case.escalation_level, case.escalated_at = 0, None
        event = _apply(case, t, actor, note=note, fields=["acknowledged_at", "escalation_level", "escalated_at"],
                       at=case.acknowledged_at)
        n.tell(n.reporter_and_followers(case), case=case, actor=actor,
               title=n.title(gettext_lazy("您反映的问题已有人接手处理：%(case)s"), case))
    return Outcome(case, True, event)


def case_report_fixed(*, case_id: int, actor, note: str, photos=()) -> Outcome:
    note = _need(note, _("请说明是怎样解决的。"))
    processed = [photo_process(upload=p) for p in photos or ()]
    with transaction.atomic():
        case, t = _begin(case_id, actor, "report_fixed")
        if t.repeat:
            return Outcome(case, False)
        case.fixed_at = timezone.now()
        event = _apply(case, t, actor, note=note, fields=["fixed_at"], at=case.fixed_at)
        photos_attach(case=case, event=event, uploaded_by=actor, processed=processed)
        n.tell(n.staff_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("待上门验收：%(case)s"), case))
        n.tell(n.reporter_and_followers(case), case=case, actor=actor,
               title=n.title(gettext_lazy("处理人报告问题已解决，等待居委验收：%(case)s"), case))
    return Outcome(case, True, event)


def case_verify_pass(*, case_id: int, actor, note: str, visited_at=None, photos=()) -> Outcome:
    note = _need(note, _("请填写上门验收的情况。"))
    visited_at = visited_at or timezone.now()
    if visited_at > timezone.now() + timedelta(minutes=5):
        raise DomainError(_("验收时间不能晚于现在。"), code="visited_at")
    processed = [photo_process(upload=p) for p in photos or ()]
    with transaction.atomic():
        case, t = _begin(case_id, actor, "verify_pass")
        if t.repeat:
            return Outcome(case, False)
        case.closed_at = timezone.now()
        event = _apply(case, t, actor, note=note, fields=["closed_at"], at=case.closed_at,
                       data={"visited_at": visited_at.isoformat()})
        photos_attach(case=case, event=event, uploaded_by=actor, processed=processed)
        n.tell(n.handler_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("验收通过，已办结：%(case)s"), case))
        n.tell(n.reporter_and_followers(case), case=case, actor=actor,
               title=n.title(gettext_lazy("您反映的问题已办结，请评价：%(case)s"), case),
               body=gettext_lazy("请告诉我们您是否满意：满意、基本满意或不满意。"))
    return Outcome(case, True, event)


def case_verify_fail(*, case_id: int, actor, note: str) -> Outcome:
    note = _need(note, _("请写明验收不通过的原因，处理人会看到。"))
    with transaction.atomic():
        case, t = _begin(case_id, actor, "verify_fail")
        if t.repeat:
            return Outcome(case, False)
        case.reopen_count += 1
        case.fixed_at = None
        event = _apply(case, t, actor, note=note, fields=["reopen_count", "fixed_at"])
        n.tell(n.handler_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("验收未通过，请继续处理：%(case)s"), case), body=note)
    return Outcome(case, True, event)


def case_reject(*, case_id: int, actor, reason: str) -> Outcome:
    reason = _need(reason, _("请写明不予受理的原因，反映人会看到。"))
    with transaction.atomic():
        case, t = _begin(case_id, actor, "reject")
        if t.repeat:
            return Outcome(case, False)
        case.closed_at = timezone.now()
        event = _apply(case, t, actor, note=reason, fields=["closed_at"], at=case.closed_at)
        n.tell(n.reporter_and_followers(case) + n.handler_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("诉求不予受理：%(case)s"), case), body=reason)
    return Outcome(case, True, event)


def case_merge(*, case_id: int, actor, into_id: int, note: str = "") -> Outcome:
    """A duplicate is merged into the original: its reporter and followers follow the original and are told."""
    with transaction.atomic():
        case, t = _begin(case_id, actor, "merge")
        if t.repeat:
            return Outcome(case, False)
        original = Case.objects.select_for_update().filter(pk=into_id, community_id=case.community_id).first()
        if original is None or original.pk == case.pk or not original.is_open or original.merged_into_id:
            raise DomainError(_("只能合并到本社区另一件未办结的诉求。"), code="merge")
        case.merged_into = original
        case.closed_at = timezone.now()
        event = _apply(case, t, actor, note=note, fields=["merged_into", "closed_at"], data={"into": original.pk})
        told = n.reporter_and_followers(case)
        original.followers.add(*[u for u in told if u.pk != original.reporter_id])
        n.tell(told + n.handler_users(case), case=original, actor=actor,
               title=n.title(gettext_lazy("您反映的问题与已有诉求相同，已合并，进展请看：%(case)s"), original))
    return Outcome(case, True, event)


def case_withdraw(*, case_id: int, actor, reason: str = "") -> Outcome:
    with transaction.atomic():
        case, t = _begin(case_id, actor, "withdraw")
        if t.repeat:
            return Outcome(case, False)
        case.closed_at = timezone.now()
        event = _apply(case, t, actor, note=reason, fields=["closed_at"], at=case.closed_at)
        n.tell(n.staff_users(case) + n.handler_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("反映人已撤回：%(case)s"), case))
    return Outcome(case, True, event)


def case_rate(*, case_id: int, actor, score: str, reasons=(), partly_fixed: bool = False,
              comment: str = "") -> Outcome:
    """回访: the reporter rates a closed case once."""
    if score not in CaseRating.Score.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"), code="score")
    reasons = [r for r in reasons if r in RATING_REASONS]
    with transaction.atomic():
        case = _lock(case_id)
        if case.reporter_id != actor.pk:
            raise PermissionDenied
        if CaseRating.objects.filter(case=case).exists():
            return Outcome(case, False)
        if case.status != CaseStatus.CLOSED:
            raise DomainError(_("诉求办结后才能评价。"), code="state")
        CaseRating.objects.create(case=case, rater=actor, score=score, reasons=reasons, partly_fixed=partly_fixed,
                                  comment=comment.strip()[:1000])
        event = CaseEvent.objects.create(case=case, actor=actor, action="rate", from_status=case.status,
                                         to_status=case.status, note=comment.strip()[:1000],
                                         data={"score": score, "reasons": reasons, "partly_fixed": partly_fixed})
        if score == CaseRating.Score.UNSATISFIED or partly_fixed:
            n.tell(n.staff_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("居民不满意：%(case)s"), case))
    return Outcome(case, True, event)


RATING_REASONS = {"speed": "速度", "attitude": "态度", "result": "结果"}


def case_reopen(*, case_id: int, actor, reason: str) -> Outcome:
    """After an unsatisfied or partly-fixed rating the reporter may send the case back, once."""
    reason = _need(reason, _("请写明还有什么没解决。"))
    with transaction.atomic():
        case, t = _begin(case_id, actor, "reopen")
        if t.repeat:
            return Outcome(case, False)
        rating = CaseRating.objects.filter(case=case).first()
        if rating is None or not (rating.score == CaseRating.Score.UNSATISFIED or rating.partly_fixed):
            raise DomainError(_("只有评价为不满意或只解决了一部分时，才能要求重新办理。"), code="reopen")
        if case.rating_reopened:
            raise DomainError(_("每件诉求只能要求重新办理一次。"), code="reopen")
        now = timezone.now()
        case.rating_reopened = True
        case.reopen_count += 1
        case.closed_at = case.fixed_at = None
        case.fix_due_at = now + timedelta(hours=case.category.fix_hours)
        case.escalation_level, case.escalated_at = 0, None
        event = _apply(case, t, actor, note=reason, at=now,
                       fields=["rating_reopened", "reopen_count", "closed_at", "fixed_at", "fix_due_at",
                               "escalation_level", "escalated_at"])
        n.tell(n.handler_users(case) + n.staff_users(case), case=case, actor=actor,
               title=n.title(gettext_lazy("居民要求重新办理：%(case)s"), case), body=reason)
    return Outcome(case, True, event)
