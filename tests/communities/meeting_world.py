"""Shared fixtures of the meeting tests: 蓉庭's committee, the landlords' team 蓉治社, the police, and a
monthly 碰头会 on the first Tuesday at 19:00 in the reception room."""
import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Agency, Meeting, MeetingKind, Notification, Role, Team
from communities.services import meeting_series as ser
from communities.services import meetings as svc

from ..factories import TeamFactory, make_member, serve, team_join

H = dt.timedelta(hours=1)
TZ = timezone.get_default_timezone()
MONTHLY_FIRST_TUESDAY = "FREQ=MONTHLY;BYDAY=1TU"


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def told(user, text="") -> int:
    return Notification.objects.filter(recipient=user, title__contains=text).count()


@pytest.fixture
def landlord2(community):
    return make_member(community, Role.SUBLANDLORD, username="landlord2", name="朱师傅")


@pytest.fixture
def rongzhi(community, landlord, landlord2):
    team = TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    serve(community)
    team_join(team, landlord, landlord2)
    return team


@pytest.fixture
def police(db):
    return Agency.objects.get_or_create(code="police", defaults={"name": "公安派出所"})[0]


@pytest.fixture
def series(community, committee_staff, rongzhi, police):
    """The 碰头会 series, anchored a year back so that the rule has run for a while."""
    return ser.series_create(
        actor=committee_staff, community=community, title="蓉治社碰头会", kind=MeetingKind.CHECK_IN,
        rrule=MONTHLY_FIRST_TUESDAY, first_starts_at=local(2025, 1, 7, 19, 0), duration_minutes=90,
        venue="蓉治社接待室", organiser=committee_staff, standing_topics=["群租/房屋隔断", "违法搭建"],
        invited_teams=[rongzhi], invited_agencies=[police])


@pytest.fixture
def meeting(community, committee_staff, landlord, rongzhi):
    """A one-off 碰头会 two days from now."""
    start = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    return svc.meeting_create(actor=committee_staff, community=community, title="楼道堆物专题碰头会",
                              kind=MeetingKind.CHECK_IN, venue="蓉治社接待室", starts_at=start,
                              ends_at=start + 2 * H, organiser=committee_staff, invited_teams=[rongzhi],
                              agenda=["楼道堆物"])


@pytest.fixture
def open_meeting(community, committee_staff):
    """A residents' deliberation (议事会): every member of the community may see it."""
    start = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    return svc.meeting_create(actor=committee_staff, community=community, title="居民议事会",
                              kind=MeetingKind.DELIBERATION, venue="居委会议室", starts_at=start,
                              ends_at=start + 2 * H, organiser=committee_staff)


def reload(meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)
