"""The demo serves 光明村 with this app (the ``CommunityApp`` row); each area's seeder adds its data after."""
from communities.models import Community, CommunityApp


def demo_app_seed() -> dict:
    """Returns what was created (seed_demo prints it): ``{"served": 1}`` the first time, ``{}`` after."""
    community = Community.objects.filter(slug="guangming").first()
    if community is None:
        return {}
    _row, created = CommunityApp.objects.get_or_create(community=community, app_label="propertyservice")
    return {"served": 1} if created else {}
