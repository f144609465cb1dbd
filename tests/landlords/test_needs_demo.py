"""The needs demo on top of the core demo seed: six confirmed benches with their givers, open and claimed needs,
社区监督员 for the ``landlord`` login; a second run creates nothing."""
from django.urls import reverse

from communities.models import CommunityTitle, User
from landlords.models import CommunityNeed, NeedStatus
from landlords.services.demo_needs import demo_needs_seed

from ..communities.demo_seeded import seed_output, seeded  # noqa: F401


def test_demo_needs_seed(seeded, client):
    created = demo_needs_seed()
    assert created == {"needs": 10, "titles": 2}
    benches = CommunityNeed.objects.filter(title__startswith="爱心座椅", status=NeedStatus.CONFIRMED)
    assert benches.count() == 6
    assert {b.claimed_by.username for b in benches} == {"landlord", "landlord2", "landlord3", "landlord4",
                                                        "landlord5", "landlord6"}
    assert CommunityNeed.objects.filter(status=NeedStatus.OPEN).count() == 2
    assert CommunityNeed.objects.filter(status=NeedStatus.CLAIMED).count() == 2
    for need in CommunityNeed.objects.all():
        assert need.events.last().to_status == need.status
    landlord = User.objects.get(username="landlord")
    assert CommunityTitle.objects.filter(person__user=landlord, kind="supervisor", revoked_at=None).exists()
    assert demo_needs_seed() == {"needs": 0, "titles": 0}

    client.force_login(User.objects.get(username="resident"))
    page = client.get(reverse("landlords:need_list")).content.decode()
    board = page[page.index("谁捐了什么"):]
    assert board.count("爱心座椅") == 6 and landlord.display_name() in board and "社区监督员" in board
    client.force_login(landlord)
    assert "社区监督员" in client.get(reverse("accounts:profile")).content.decode()
