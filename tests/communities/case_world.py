"""Shared set-up of the case page tests (test_case_views, test_case_lists): constants, helpers and
the fixtures of a community with a dispatched case."""
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from communities.models import (
    CaseStatus,
    Role,
)
from communities.services import case_workflow as wf
from communities.services.cases import case_file

from ..factories import (
    CaseCategoryFactory,
    UnitFactory,
    make_member,
)
from .test_case_services import make_world, reload

S = CaseStatus
CHINESE = re.compile(r"[\u4e00-\u9fff]")
NOT_ALLOWED = "您不能对这件诉求进行这项操作。"
ALREADY_DONE = "这项操作之前已经完成，无需重复。"
REQUIRED = "这个字段是必填项。"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def detail_url(case):
    return reverse("communities:case_detail", args=[case.pk])


def action_url(case, action):
    return reverse("communities:case_action", args=[case.pk, action])


def texts(response):
    """The messages waiting after this response (earlier ones stay until a page shows them)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def last_message(response):
    return texts(response)[-1]


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def category(community):
    return CaseCategoryFactory(community=community, code="corridor_clutter", name="楼道堆物")


@pytest.fixture
def neighbour(community, building):
    return make_member(community, Role.RESIDENT, username="neighbour", unit=UnitFactory(building=building, room="303"),
                       name="隔壁赵阿姨")


@pytest.fixture
def dispatched(community, category, building, resident, landlord, committee_staff):
    """王阿姨's case about the corridor of 1号楼, dispatched to 陈师傅 (the sublandlord)."""
    case = case_file(filed_by=resident, community=community, category=category, building=building,
                     description="3楼楼道堆满纸箱，过不去人")
    wf.case_dispatch(case_id=case.pk, actor=committee_staff, handler_user=landlord)
    return reload(case)


@pytest.fixture
def world(community, building, unit, resident, landlord, committee_staff, party_secretary, outsider, town_secretary):
    return make_world(community, building, reporter=resident, handler=landlord, staff=committee_staff,
                      secretary=party_secretary, outsider=outsider, town_secretary=town_secretary)
