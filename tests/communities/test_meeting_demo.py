"""seed_demo's meetings: a monthly series in each demo community, 蓉庭's 碰头会 with the seed's standing
topics and its joint meeting with the agencies, last month's meeting held with minutes, one proposed
topic; the demo personas see what their role allows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    ActionItem,
    Community,
    Meeting,
    MeetingKind,
    MeetingSeries,
    Minutes,
    TopicProposal,
    User,
)
from communities.demo.meetings import RONGTING_TOPICS, demo_meetings_seed
from communities.recurrence import rule_starts
from communities.services.meeting_series import HORIZON

from .demo_seeded import seed_output, seeded  # noqa: F401 - fixtures


def test_every_community_has_a_monthly_series_with_meetings_ahead(seeded):
    """Every occurrence of the rule within the horizon exists. (Not "at least two": on the evening of
    the last Friday of November only one last-Friday meeting lies within the next 62 days.)"""
    now = timezone.now()
    for community in Community.objects.all():
        series = MeetingSeries.objects.filter(community=community)
        assert series.exists(), community.name
        for s in series:
            assert s.rrule.startswith("FREQ=MONTHLY")
            due = rule_starts(rrule=s.rrule, first_starts_at=s.first_starts_at, after=now, before=now + HORIZON)
            ahead = Meeting.objects.filter(series=s, starts_at__gt=now, starts_at__lte=now + HORIZON)
            assert len(due) >= 1 and sorted(ahead.values_list("occurrence_key", flat=True)) == due, s.title


def test_rongting_check_in_meeting_is_the_seeds(seeded):
    series = MeetingSeries.objects.get(community__slug="rongting", kind=MeetingKind.CHECK_IN)
    assert (series.rrule, series.venue, series.standing_topics) == ("FREQ=MONTHLY;BYDAY=1TU", "蓉治社接待室",
                                                                   RONGTING_TOPICS)
    upcoming = Meeting.objects.filter(series=series, starts_at__gt=timezone.now()).first()
    local = timezone.localtime(upcoming.starts_at)
    assert (local.weekday(), local.hour, local.day <= 7) == (1, 19, True)
    assert list(upcoming.agenda.values_list("title", flat=True)) == RONGTING_TOPICS
    assert upcoming.invites.filter(user__username="landlord").exists()


def test_joint_meeting_invites_police_urban_management_and_property(seeded):
    series = MeetingSeries.objects.get(community__slug="rongting", kind=MeetingKind.JOINT)
    assert set(series.invited_agencies.values_list("name", flat=True)) == {"公安派出所", "城管中队", "物业公司"}


def test_kinds_per_community(seeded):
    assert MeetingSeries.objects.filter(community__slug="junyuan", kind=MeetingKind.DELIBERATION).exists()
    assert MeetingSeries.objects.filter(community__slug="guangming", kind=MeetingKind.VILLAGERS).exists()


def test_last_months_meeting_was_held_and_a_topic_waits(seeded):
    assert Minutes.objects.filter(meeting__community__slug="rongting").count() == 1
    assert ActionItem.objects.filter(owner__username="landlord").exists()
    proposal = TopicProposal.objects.get(community__slug="rongting")
    assert proposal.status == TopicProposal.Status.PROPOSED and proposal.proposed_by.username == "resident"


def test_seeding_meetings_again_creates_nothing(seeded):
    counts = (MeetingSeries.objects.count(), Meeting.objects.count(), TopicProposal.objects.count())
    assert demo_meetings_seed() == 0
    assert (MeetingSeries.objects.count(), Meeting.objects.count(), TopicProposal.objects.count()) == counts


@pytest.mark.parametrize("username,sees,not_sees", [
    ("landlord", ["蓉治社碰头会"], ["郡园居民议事会"]),
    ("resident", [], ["蓉治社碰头会", "郡园居民议事会"]),
    ("talent", ["郡园居民议事会"], ["蓉治社碰头会"]),
    ("outsider", ["美兰花园居民议事会"], ["蓉治社碰头会", "郡园居民议事会", "光明村村民大会"]),
])
def test_demo_personas_see_their_meetings(seeded, client, username, sees, not_sees):
    client.force_login(User.objects.get(username=username))
    page = client.get(reverse("communities:meeting_calendar")).content.decode()
    for title in sees:
        assert title in page
    for title in not_sees:
        assert title not in page
