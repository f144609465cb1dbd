"""Building blocks for the classes tests: 郡园 with a studio (墨香, its host a Backbone 主理人), committee staff,
guardians with children, and a class. Time moves by passing ``now=``; "now" is a fixed Monday in Shanghai."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from communities.models import Backbone, Community, Role, Team
from talents.models import Studio, TalentClass
from talents.services.children import child_add

from ..clock import frozen_at
from ..factories import CommunityFactory, make_member, serve

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)  # the tests' "now"
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY.date() + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=SHANGHAI)


def make_studio(community, *, name="墨香工作室", slug="moxiang", host=None, kind=Studio.TalentKind.CALLIGRAPHY):
    team = Team.objects.create(community=community, name=name, kind=Team.Kind.STUDIO)
    studio = Studio.objects.create(team=team, slug=slug, talent_kind=kind)
    if host is not None:
        Backbone.objects.create(team=team, user=host, office=Backbone.Office.STUDIO_HOST, term_start=dt.date(2025, 1, 1),
                                source=Backbone.Source.APPOINTED, appointed_by=host)
    return studio


def make_class(studio, *, organiser, capacity=2, audience=TalentClass.Audience.EVERYONE, age_min=None, age_max=None,
               allocation=TalentClass.Allocation.FIRST_COME, opens_at=None, kind=TalentClass.Kind.FREE, fee=None,
               title="书法班", teachers=None, rrule="FREQ=WEEKLY;BYDAY=TU", first_starts_at=None, **extra) -> TalentClass:
    talent_class = TalentClass.objects.create(
        studio=studio, title=title, audience=audience, age_min=age_min, age_max=age_max, capacity=capacity,
        rrule=rrule, first_starts_at=first_starts_at or at(1, 15), duration_minutes=90, place="党群服务中心二楼书画室",
        kind=kind, fee=fee, organiser=organiser, allocation=allocation, opens_at=opens_at or MONDAY - DAY,
        status=TalentClass.Status.OPEN, **extra)
    talent_class.teachers.set(teachers if teachers is not None else [organiser])
    return talent_class


def resident(community, username, name=None):
    return make_member(community, Role.RESIDENT, username=username, name=name or username)


def with_children(user, community, *kids):
    """Register children (name, birth year, birth month) under ``user`` as guardian; their Person ids."""
    ids = []
    for i, (name, year, month) in enumerate(kids):
        link = child_add(guardian=user, community=community, name=name, birth_year=year, birth_month=month,
                         relation="grandparent", pickup_phone=f"1390000{user.pk % 100:02d}{i:02d}", consent=True,
                         now=MONDAY)
        ids.append(link.child_id)
    return ids


def own(user) -> list[int]:
    return [user.person.pk]


@pytest.fixture
def junyuan(db):
    community = CommunityFactory(name="郡园居民区", slug="junyuan", kind=Community.Kind.RESIDENTIAL)
    serve(community, "talents")
    return community


@pytest.fixture
def host(junyuan):
    return make_member(junyuan, Role.TALENT, username="talent", name="书法达人")


@pytest.fixture
def studio(junyuan, host):
    return make_studio(junyuan, host=host)


@pytest.fixture
def jy_staff(junyuan):
    return make_member(junyuan, Role.COMMITTEE_STAFF, username="staff_junyuan", name="李倩")


@pytest.fixture
def other_host(junyuan):
    """The host of another studio (书香) of the same community."""
    user = make_member(junyuan, Role.TALENT, username="talent2", name="阅读达人")
    make_studio(junyuan, name="书香工作室", slug="shuxiang", host=user, kind=Studio.TalentKind.READING)
    return user


@pytest.fixture
def gate_open(monkeypatch):
    """The studios area's qualification gate (``talents.selectors.studios.may_offer``, another branch) says yes;
    the gate itself is tested in test_classes_integration.py once the branches are merged."""
    calls = []

    def may_offer(*, studio, offer, on):
        calls.append(offer)
        return True, ""

    monkeypatch.setattr("talents.services.classes._may_offer", may_offer)
    return calls


frozen = frozen_at(MONDAY)
