"""蓉庭's numbers for the Party dashboards, pushed to the core through the door (``extensions.record_figure``).

The dashboard never asks this app: a daily beat task (``landlords.tasks.record_landlords_figures``) records
today's figures for every community the app serves, and a new registration or a move-out records its
community's figure again once it commits, so the dashboard is at most a day behind and usually current."""
import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy

from communities import extensions

from ..models.rentals import TenantRegistration

APP_LABEL = "landlords"
TENANT_REGISTRATIONS = "tenant_registrations"
TENANT_REGISTRATIONS_LABEL = gettext_lazy("在住租客登记")


def landlords_figures_record(*, community_ids=None, day: dt.date | None = None) -> int:
    """Record the active tenant registrations of each served community (``community_ids``: only those).
    Returns the number of figures recorded; running it twice the same day records the same values."""
    day = day or timezone.localdate()
    served = extensions.served_community_ids(APP_LABEL)
    if community_ids is not None:
        served &= set(community_ids)
    counts = dict(TenantRegistration.objects.filter(unit__building__community_id__in=served, moved_out__isnull=True)
                  .values_list("unit__building__community_id").annotate(n=Count("id")).order_by())
    for community_id in sorted(served):
        extensions.record_figure(community=community_id, app_label=APP_LABEL, key=TENANT_REGISTRATIONS, day=day,
                                 value=counts.get(community_id, 0), label=TENANT_REGISTRATIONS_LABEL)
    return len(served)


def landlords_figures_on_commit(*, community_id: int) -> None:
    """Record ``community_id``'s figures again once the current transaction commits."""
    transaction.on_commit(lambda: landlords_figures_record(community_ids=[community_id]))
