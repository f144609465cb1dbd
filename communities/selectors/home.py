"""What each role sees first."""
from .. import policy
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ..models import OPEN_STATUSES, Case, CaseStatus, RegistrationRequest, Role
from .cases import overdue_q, work_queue
from .navigation import navigation_for
from .places import communities_visible, community_figures, my_units
from .registrations import registrations_to_review


# 长辈模式 keeps the home page to the few things an older resident comes for: report a problem, follow the
# ones reported, read the community's notices. Everything else stays in the menu.
ELDER_TILES = ("communities:case_new", "communities:case_mine", "communities:notification_list")


def home_tiles(*, user) -> list:
    """The home page's cards: every menu entry with a hint, or in elder mode only ``ELDER_TILES``."""
    tiles = [item for item in navigation_for(user) if item.hint]
    if user.elder_mode:
        wanted = {reverse(name) for name in ELDER_TILES}
        tiles = [item for item in tiles if item.url in wanted]
    return tiles


def home_for(*, user) -> dict:
    roles = policy.all_roles(user)
    context = {
        "roles": sorted(roles),
        "role_labels": [Role(r).label for r in sorted(roles)],
        "town_role_label": user.get_town_role_display() if policy.is_town(user) else "",
        "tiles": home_tiles(user=user),
        "more_in_menu": user.elder_mode,
        "my_units": list(my_units(user=user)),
        "pending_registration": RegistrationRequest.objects.filter(
            user=user, status=RegistrationRequest.Status.PENDING).select_related("unit__building").first(),
    }
    context.update(case_counts(user=user))
    if policy.can(user, "registration.review"):
        context["registrations_waiting"] = registrations_to_review(user=user).count()
    if policy.can(user, "directory.view") and not user.elder_mode:
        communities = list(communities_visible(user=user, action="directory.view"))
        context["community_cards"] = [(c, community_figures(community=c)) for c in communities]
    else:
        context["communities"] = list(communities_visible(user=user))
    return context


def case_counts(*, user) -> dict:
    """What waits for this user: cases to rate, to handle, to dispatch or verify (one query each)."""
    counts = {}
    if policy.can(user, "case.file"):
        counts["to_rate"] = Case.objects.filter(reporter=user, status=CaseStatus.CLOSED, rating__isnull=True).count()
        counts["my_open"] = Case.objects.filter(reporter=user, status__in=OPEN_STATUSES).count()
    if policy.can(user, "case.queue"):
        counts["queue"] = work_queue(user=user).count()
    if policy.can(user, "case.list"):
        counts.update(policy.scope(user, "case.list", Case.objects.all()).aggregate(
            to_dispatch=Count("id", filter=Q(status=CaseStatus.SUBMITTED)),
            to_verify=Count("id", filter=Q(status=CaseStatus.AWAITING_VERIFICATION)),
            overdue=Count("id", filter=overdue_q(timezone.now())),
        ))
    return counts
