"""Over-capacity flags (疑似群租/隔断): committee staff open a 房屋隔断 case from a flag in one step."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from communities import policy
from communities.models import Case, CaseCategory, Unit
from communities.models.cases import OPEN_STATUSES
from communities.services.cases import case_file, case_origin_record
from communities.services.errors import DomainError

from ..door import RENTAL_FLAG_ORIGIN
from ..selectors.rentals import PARTITION_CATEGORY
from .rentals import active_tenant_count


def flag_case_open(*, actor, unit: Unit) -> tuple[Case, bool]:
    """File a 房屋隔断 case about an over-capacity let unit; the core routes it (to the unit's sublandlord).

    Returns (case, created). While a case about it is open, a second request returns that case.
    """
    if not policy.can(actor, "landlords.rental.flag_case", unit):
        raise PermissionDenied
    with transaction.atomic():
        # Lock the unit: two staff (or a double click) must not open two cases for one flag.
        unit = Unit.objects.select_for_update(of=("self",)).select_related("building__community").get(pk=unit.pk)
        existing = Case.objects.filter(unit=unit, category__code=PARTITION_CATEGORY, status__in=OPEN_STATUSES) \
            .order_by("-created_at").first()
        if existing is not None:
            return existing, False
        tenants = active_tenant_count(unit)
        if not unit.is_let or tenants <= unit.capacity:
            raise DomainError(_("这套房屋目前没有超过核定人数，无需立案。"), code="not_flagged")
        community = unit.building.community
        category = CaseCategory.objects.filter(community=community, code=PARTITION_CATEGORY, active=True).first()
        if category is None:
            raise DomainError(_("本社区还没有启用“房屋隔断”诉求类别，请先在派单规则中设置。"), code="category")
        description = _("在住租客 %(n)s 人，超过核定居住人数 %(cap)s 人，疑似群租或房屋隔断，请二房东核实整改。") % {
            "n": tenants, "cap": unit.capacity}
        case = case_file(filed_by=actor, reporter=actor, community=community, category=category, unit=unit,
                         description=description, channel=Case.Channel.PATROL)
        case_origin_record(case=case, kind=RENTAL_FLAG_ORIGIN, object_id=unit.pk)
    return case, True
