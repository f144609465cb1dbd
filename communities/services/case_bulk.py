"""Bulk dispatch from the committee's list: one handler for many cases, each through ``case_dispatch``.

Every case is its own transaction (the service's): a case that cannot be dispatched (wrong state, handler of
another community, not the user's to dispatch) is reported by its number and leaves the others done; no case
is ever half-dispatched. Dispatching again to the same handler changes nothing (the service says so), so a
double-clicked button is harmless.
"""
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .. import policy
from ..models import Case
from .case_workflow import case_dispatch
from .errors import DomainError


@dataclass
class BulkOutcome:
    changed: list = field(default_factory=list)  # case ids dispatched now
    unchanged: list = field(default_factory=list)  # already with this handler
    failed: list = field(default_factory=list)  # (case id, message)


def cases_dispatch_bulk(*, actor, case_ids, handler_user=None, handler_team=None, note: str = "") -> BulkOutcome:
    outcome = BulkOutcome()
    ids = list(dict.fromkeys(case_ids))  # in the order ticked, each once
    mine = set(policy.scope(actor, "case.dispatch", Case.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    for case_id in ids:
        if case_id not in mine:
            outcome.failed.append((case_id, _("找不到这件诉求，或您不能给它派单。")))
            continue
        try:
            result = case_dispatch(case_id=case_id, actor=actor, handler_user=handler_user,
                                   handler_team=handler_team, note=note)
        except DomainError as exc:
            outcome.failed.append((case_id, exc.message))
        except PermissionDenied:
            outcome.failed.append((case_id, _("您不能给这件诉求派单。")))
        else:
            (outcome.changed if result.changed else outcome.unchanged).append(case_id)
    return outcome
