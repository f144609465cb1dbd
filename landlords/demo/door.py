"""蓉庭 at the door in the demo: the app serves 蓉庭居民区 (the ``CommunityApp`` row staff would set in the admin),
and its figures are on the Party dashboard from the start. Both idempotent."""
from communities.models import Community, CommunityApp

from ..services.figures import landlords_figures_record


def demo_served_seed() -> dict:
    community = Community.objects.get(slug="rongting")
    _row, created = CommunityApp.objects.get_or_create(community=community, app_label="landlords")
    return {"served": int(created)}


def demo_figures_seed() -> dict:
    return {"figures": landlords_figures_record()}
