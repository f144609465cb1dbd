"""Fixtures for 郡园's studios: the community served by the app, its staff, two studios with one host each, a
resident; fixed dates (Asia/Shanghai), never today's."""
import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Community, Role
from talents.services.studios import studio_create

from ..factories import CommunityFactory, make_member, serve

TZ = timezone.get_default_timezone()
TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=TZ)


@pytest.fixture
def junyuan(db):
    community = CommunityFactory(name="郡园居民区", slug="junyuan", kind=Community.Kind.RESIDENTIAL)
    serve(community, "talents")
    return community


@pytest.fixture
def j_staff(junyuan):
    return make_member(junyuan, Role.COMMITTEE_STAFF, username="staff_junyuan", name="李倩")


@pytest.fixture
def host(junyuan):
    return make_member(junyuan, Role.TALENT, username="talent", name="书法达人")


@pytest.fixture
def other_host(junyuan):
    return make_member(junyuan, Role.TALENT, username="host_xianghui", name="香道达人")


@pytest.fixture
def j_resident(junyuan):
    return make_member(junyuan, Role.RESIDENT, username="j_resident", name="郡园王阿姨")


@pytest.fixture
def moxiang(junyuan, j_staff, host):
    return studio_create(actor=j_staff, community=junyuan, name="墨香工作室", slug="moxiang",
                         talent_kind="calligraphy", tagline="免费书法课", description="长者班和少儿班",
                         hosts=[host], today=TODAY)


@pytest.fixture
def xianghui(junyuan, j_staff, other_host):
    return studio_create(actor=j_staff, community=junyuan, name="香荟工作室", slug="xianghui",
                         talent_kind="aroma", hosts=[other_host], today=TODAY)


@pytest.fixture
def zhenjiu(junyuan, j_staff, other_host):
    return studio_create(actor=j_staff, community=junyuan, name="针灸工作室", slug="zhenjiu",
                         talent_kind="acupuncture", hosts=[other_host], today=TODAY)
