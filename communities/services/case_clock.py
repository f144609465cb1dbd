"""What the clock does to cases: escalate overdue ones, remind reporters to rate.

Run by Celery beat (communities.tasks). Each step is claimed with a conditional UPDATE that must
change exactly one row, so a task run twice, or by two workers at once, acts once.
"""
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import OPEN_STATUSES, Case, CaseEvent, CaseRating, CaseStatus, Role
from ..selectors.cases import overdue_q
from ..selectors.clock import SECRETARY_AFTER
from . import case_notify as n


def case_escalate(*, case_id: int, now=None) -> bool:
    """Raise one overdue case one level; True if this call did it."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_related("category", "unit__building", "building", "public_place").filter(
            Q(pk=case_id) & overdue_q(now)).first()
        if case is None:
            return False
        level = case.escalation_level + 1
        # Level 2 counts from this round's level-1 escalation (escalated_at), not from older rounds
        # before an acknowledgement or a reopen reset the level.
        if level > 2 or (level == 2 and not (case.escalated_at and case.escalated_at <= now - SECRETARY_AFTER)):
            return False
        claimed = Case.objects.filter(pk=case_id, escalation_level=level - 1).update(
            escalation_level=level, escalated_at=now)
        if claimed != 1:
            return False  # another worker escalated it first
        CaseEvent.objects.create(case=case, actor=None, action="escalate", from_status=case.status,
                                 to_status=case.status, at=now, data={"level": level})
        role = Role.COMMITTEE_STAFF if level == 1 else Role.PARTY_SECRETARY
        if level == 1:
            template = gettext_lazy("超时督办：%(case)s")
        else:
            template = gettext_lazy("超时未办结，请书记督办：%(case)s")
        n.tell(n.staff_users(case, role), case=case, title=n.title(template, case))
    return True


def case_remind_rating(*, case_id: int, now=None) -> bool:
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Case.objects.filter(pk=case_id, rating_reminded_at__isnull=True,
                                      status=CaseStatus.CLOSED).update(rating_reminded_at=now)
        if claimed != 1 or CaseRating.objects.filter(case_id=case_id).exists():
            return False
        case = Case.objects.select_related("category", "reporter", "unit__building", "building",
                                           "public_place").get(pk=case_id)
        n.tell([case.reporter], case=case, title=n.title(gettext_lazy("请为已办结的诉求评价：%(case)s"), case),
               body=gettext_lazy("您的评价帮助我们改进工作。"))
    return True


__all__ = ["OPEN_STATUSES", "case_escalate", "case_remind_rating"]
