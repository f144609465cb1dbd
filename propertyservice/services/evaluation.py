"""The station's evaluation, the changes: a villager scores for their household, staff type in a paper form,
the monthly close, the improvement actions. Each calls the core engine (``communities.services.evaluations``)
after finding the household and the month; the engine enforces one score per household."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from communities.selectors import evaluations as core_sel
from communities.services import evaluations as core
from communities.services.errors import DomainError

from ..selectors import evaluation as sel
from ..selectors.evaluation import SUBJECT


def villager_score(*, actor, community, answers: dict, now=None) -> int:
    """A villager's answers for their own household this month (the month opened if it is not yet)."""
    now = now or timezone.now()
    unit = sel.household_of(user=actor, community=community)
    if unit is None:
        raise DomainError(_("您在本村没有登记的住户，不能代表一户评价。请到村委登记。"), code="no_household")
    evaluation = core.evaluation_open(community=community, subject=SUBJECT, now=now)
    return core.household_score(actor=actor, evaluation=evaluation, unit=unit, answers=answers,
                                person=actor.person, now=now)


def paper_enter(*, actor, community, unit, answers: dict, month: dt.date | None = None, now=None) -> int:
    """A paper form typed in by staff (纸质评价表): the household, its answers, the month (default this one)."""
    now = now or timezone.now()
    evaluation = core.evaluation_open(community=community, subject=SUBJECT, month=month, now=now)
    return core.household_score(actor=actor, evaluation=evaluation, unit=unit, answers=answers, paper=True, now=now)


def close_last_month(*, now=None) -> int:
    """Close every served village's last month on or after the 2nd (a day for the last paper forms): open it
    under the standard in force if nobody scored, then freeze it. Safe to run twice: a closed month is left."""
    now = now or timezone.now()
    today = timezone.localtime(now, core_sel.SHANGHAI).date()
    if today.day < 2:
        return 0
    this = today.replace(day=1)
    last = core_sel.previous_month(this)
    closed = 0
    for community in Community.objects.filter(apps__app_label="propertyservice"):
        if core_sel.standard_in_force(community=community, subject=SUBJECT) is None \
                and core_sel.evaluation_of(community=community, subject=SUBJECT, month=last) is None:
            continue
        core.evaluation_open(community=community, subject=SUBJECT, month=last, now=now)
    for evaluation_id in sel.open_evaluations_to_close(before=this):
        closed += core.evaluation_close(evaluation_id=evaluation_id, now=now)
    return closed


def action_assign(*, actor, action, owner, due_on: dt.date) -> bool:
    """Name the owner and the due date of an improvement action; a new owner is told in their inbox."""
    from django.db import transaction
    from django.utils.translation import gettext_lazy

    from communities.picker import community_url
    from communities.services.notifications import notify
    from communities.services.texts import deferred

    previous = action.owner_id
    with transaction.atomic():
        changed = core.action_assign(actor=actor, action=action, owner=owner, due_on=due_on)
        if changed and owner is not None and owner.pk != previous and owner.pk != actor.pk:
            notify(recipient=owner,
                   title=deferred(gettext_lazy("整改事项：%(name)s"), name=action.criterion.name),
                   body=deferred(gettext_lazy("服务站考核中“%(name)s”得分低于整改线，请在 %(due)s 前完成整改并写明整改情况。"),
                                 name=action.criterion.name, due=due_on.isoformat()),
                   url=community_url("propertyservice:evaluation", action.community))
    return changed
