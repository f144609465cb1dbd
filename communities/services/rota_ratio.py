"""The child-to-adult ratio of a session (宝妈轮流): the rota sets at most ``children_per_adult`` children per adult
on duty, the manager sets how many children a shift expects, and a shift whose expected children exceed what its
adults may look after alerts the rota's manager in the inbox, once per breach.

The guard is stored on the shift (``ratio_alerted_at``): set by a conditional UPDATE when the manager is told,
cleared when the shift is back within the ratio, so a later breach is told again and a repeated check tells
nothing. The check re-runs whenever the count or the adults may change: the manager's count, a swap, a leave or
any other regeneration of the rota (communities.services.rota_generation), a change of the rota's ratio.
"""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Rota, Shift
from ..selectors.rotas import ratio_breach
from .audit import audit
from .errors import DomainError
from .rota_duty import local, rota_managers, shift_label, tell
from .texts import deferred

MAX_CHILDREN = 200


def shift_ratio_check(*, shift_id: int, now=None) -> bool:
    """Compare one shift's expected children with its adults on duty; True if this call alerted the manager."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = (Shift.objects.select_for_update(of=("self",)).select_related("rota__manager")
                 .filter(pk=shift_id).first())
        if shift is None:
            return False
        breach = ratio_breach(per_adult=shift.rota.children_per_adult, children=shift.children_expected,
                              adults=shift.assignments.count())
        if breach is None or shift.ends_at <= now:
            if breach is None and shift.ratio_alerted_at is not None:
                Shift.objects.filter(pk=shift_id).update(ratio_alerted_at=None)
            return False
        if Shift.objects.filter(pk=shift_id, ratio_alerted_at__isnull=True).update(ratio_alerted_at=now) != 1:
            return False
        tell(rota_managers(shift.rota), shift=shift,
             title=deferred(gettext_lazy("师生比不足：%(shift)s"), shift=shift_label(shift)),
             body=deferred(gettext_lazy(
                 "%(time)s 开始的班次：%(adults)s名成人对应%(children)s名儿童，要求不超过1:%(ratio)s，"
                 "至少需要%(needed)s名成人。请增派人手或减少儿童人数。"),
                 time=local(shift.starts_at), adults=breach.adults, children=breach.children,
                 ratio=breach.per_adult, needed=breach.adults_needed))
    return True


def rota_ratio_recheck(*, rota: Rota, now=None) -> int:
    """Re-run the check on every coming shift of ``rota`` with a count of children; the number of alerts sent."""
    now = now or timezone.now()
    ids = list(rota.shifts.filter(ends_at__gt=now).exclude(children_expected=None, ratio_alerted_at=None)
               .values_list("pk", flat=True))
    return sum(shift_ratio_check(shift_id=pk, now=now) for pk in ids)


def shift_children_set(*, shift: Shift, count: int | None, actor, now=None) -> bool:
    """The rota manager sets how many children a session expects (None: not known); False when unchanged."""
    now = now or timezone.now()
    if not policy.can(actor, "rota.manage", shift):
        raise PermissionDenied
    if count is not None and not 0 <= count <= MAX_CHILDREN:
        raise DomainError(deferred(gettext_lazy("儿童人数应在 0 到 %(max)s 之间。"), max=MAX_CHILDREN), code="count")
    with transaction.atomic():
        locked = Shift.objects.select_for_update(of=("self",)).select_related("rota__community").get(pk=shift.pk)
        if locked.ends_at <= now:
            raise DomainError(gettext_lazy("班次已结束，不能再修改儿童人数。"), code="past")
        if locked.children_expected == count:
            return False
        locked.children_expected = count
        locked.save(update_fields=["children_expected"])
        audit(actor=actor, action="rota.children_set", community=locked.rota.community, shift=locked.pk,
              children=count)
        shift_ratio_check(shift_id=locked.pk, now=now)
    return True
