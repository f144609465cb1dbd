"""demo_team_seed on top of the core demo: last year's published election with officers, and an open
by-election in which ``landlord`` has not voted yet. Idempotent."""
from communities.models import Election, ElectionVoter, User
from landlords.models import TeamOfficer
from landlords.services.demo_team import OPEN_TITLE, PAST_TITLE, demo_team_seed
from tests.communities.demo_seeded import seed_output, seeded  # noqa: F401


def test_demo_team_seed(seeded):  # noqa: F811
    created = demo_team_seed()
    assert created["members"] >= 80 and created["officers"] == 8
    past = Election.objects.get(title=PAST_TITLE)
    assert past.status == Election.Status.PUBLISHED and past.tally["voted"] > 0
    offices = sorted(TeamOfficer.objects.filter(election=past, until__isnull=True).values_list("office", flat=True))
    assert offices == ["backbone"] * 5 + ["president"] + ["vice_president"] * 2
    open_one = Election.objects.get(title=OPEN_TITLE)
    landlord = User.objects.get(username="landlord")
    assert open_one.status == Election.Status.OPEN
    assert ElectionVoter.objects.get(election=open_one, user=landlord).has_voted is False
    again = demo_team_seed()
    assert again["past_election"] is None and again["open_election"] is None
    assert Election.objects.filter(title__in=[PAST_TITLE, OPEN_TITLE]).count() == 2
