"""The demo serves 光明村 with this app (the ``CommunityApp`` row); each area's seeder adds its data after."""
from communities.models import Community, CommunityApp


def demo_app_seed() -> None:
    community = Community.objects.filter(slug="guangming").first()
    if community is not None:
        CommunityApp.objects.get_or_create(community=community, app_label="propertyservice")
