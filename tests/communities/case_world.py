"""Shared set-up of the case tests (services, filing, clock, pages, lists, page cache): constants, helpers,
the people around one case (``World``) and the fixtures of a community with a dispatched case."""
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from communities.models import (
    Agency,
    Case,
    CaseEvent,
    CaseRating,
    CaseReferral,
    CaseStatus,
    Notification,
    Role,
    RoutingRule,
    Team,
    mask_phone,
)
from communities.services import case_workflow as wf
from communities.services.cases import case_file

from ..factories import (
    CaseCategoryFactory,
    TeamFactory,
    UnitFactory,
    make_member,
    team_join,
)

S = CaseStatus
CHINESE = re.compile(r"[\u4e00-\u9fff]")
NOT_ALLOWED = "您不能对这件诉求进行这项操作。"
ALREADY_DONE = "这项操作之前已经完成，无需重复。"
REQUIRED = "这个字段是必填项。"


# --- the people around one case ------------------------------------------------------------------------

class World:
    """One community's case and everyone who may (or may not) act on it.

    ``reporter``, ``handler`` and ``staff`` are the three relations of the state table; the rest are
    people who must be refused: the Party secretary, a neighbour, another sublandlord, an outsider.
    """

    def __init__(self, *, community, building, category, reporter, handler, staff, secretary, neighbour,
                 other_landlord, outsider, town_secretary, team, agency):
        self.community, self.building, self.category = community, building, category
        self.reporter, self.handler, self.staff = reporter, handler, staff
        self.secretary, self.neighbour, self.other_landlord = secretary, neighbour, other_landlord
        self.outsider, self.town_secretary = outsider, town_secretary
        self.team, self.agency = team, agency
        # Duplicates are merged into this one; filed up front so it never shows in a "nothing changed" check.
        self.original = self.file(reporter=neighbour, description="3楼楼道堆满纸箱")

    def persona(self, name):
        return {
            "reporter": self.reporter, "handler": self.handler, "staff": self.staff, "secretary": self.secretary,
            "neighbour": self.neighbour, "other_landlord": self.other_landlord, "outsider": self.outsider,
            "town_secretary": self.town_secretary,
        }[name]

    def file(self, *, reporter=None, description="楼道里堆满了纸箱，过不去人", **kwargs):
        kwargs.setdefault("building", self.building)
        return case_file(filed_by=reporter or self.reporter, community=self.community, category=self.category,
                         description=description, **kwargs)

    def at(self, status, *, via=None) -> Case:
        """A case brought to ``status`` through the real services, as people would."""
        case = self.file()
        if status == S.SUBMITTED:
            return case
        if status == S.WITHDRAWN:
            wf.case_withdraw(case_id=case.pk, actor=self.reporter, reason="邻居已经搬走了")
            return reload(case)
        if status == S.IN_PROGRESS and via == "refer":
            wf.case_refer(case_id=case.pk, actor=self.staff, agency=self.agency, note="涉及消防隐患，转城管")
            return reload(case)
        wf.case_dispatch(case_id=case.pk, actor=self.staff, handler_user=self.handler)
        if status == S.DISPATCHED:
            return reload(case)
        if status == S.REJECTED:
            wf.case_reject(case_id=case.pk, actor=self.staff, reason="不属于本社区管辖")
            return reload(case)
        if status == S.DUPLICATE:
            wf.case_merge(case_id=case.pk, actor=self.staff, into_id=self.original.pk)
            return reload(case)
        wf.case_acknowledge(case_id=case.pk, actor=self.handler)
        if status == S.IN_PROGRESS:
            return reload(case)
        wf.case_report_fixed(case_id=case.pk, actor=self.handler, note="纸箱已经清走")
        if status == S.AWAITING_VERIFICATION:
            return reload(case)
        wf.case_verify_pass(case_id=case.pk, actor=self.staff, note="上门查看，楼道已通畅")
        assert status == S.CLOSED
        return reload(case)


def reload(case) -> Case:
    return Case.objects.get(pk=case.pk)


def footprint(case) -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "case": Case.objects.filter(pk=case.pk).values().get(),
        "events": list(CaseEvent.objects.filter(case_id=case.pk).values_list("id", flat=True)),
        "followers": sorted(case.followers.values_list("id", flat=True)),
        "notifications": Notification.objects.count(),
        "ratings": CaseRating.objects.count(),
        "referrals": CaseReferral.objects.count(),
        "all_cases": sorted(Case.objects.values_list("id", "status")),
    }


def make_world(community, building, *, reporter, handler, staff, secretary, outsider, town_secretary):
    neighbour = make_member(community, Role.RESIDENT, username="neighbour",
                            unit=UnitFactory(building=building, room="303"), name="隔壁赵阿姨")
    other_landlord = make_member(community, Role.SUBLANDLORD, username="landlord2", name="另一位二房东")
    team = TeamFactory(community=community, name="楼道治理小分队", kind=Team.Kind.SQUAD)
    team_join(team, make_member(community, Role.VOLUNTEER, username="volunteer", name="志愿者小王"))
    agency, _ = Agency.objects.get_or_create(code="test-chengguan", defaults={"name": "测试城管中队"})
    category = CaseCategoryFactory(community=community, code="corridor_clutter", name="楼道堆物")
    return World(community=community, building=building, category=category, reporter=reporter, handler=handler,
                 staff=staff, secretary=secretary, neighbour=neighbour, other_landlord=other_landlord,
                 outsider=outsider, town_secretary=town_secretary, team=team, agency=agency)


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


# --- an anonymous reporter (test_case_views, test_case_page_cache) ---------------------------------------

SECRET_NAME, SECRET_PHONE = "韩梅梅", "13912348888"


@pytest.fixture
def anonymous_case(community, category, let_unit, landlord, committee_staff, party_secretary):
    """A tenant of 陈师傅's flat complains about the flat anonymously; it is routed to 陈师傅."""
    reporter = make_member(community, Role.TENANT, username="hanmeimei", name=SECRET_NAME)
    reporter.person.phone = SECRET_PHONE
    reporter.person.save()
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD, priority=10)
    landlord.email = "chen@example.com"
    landlord.save()
    case = case_file(filed_by=reporter, community=community, category=category, unit=let_unit, anonymous=True,
                     description="房间隔成了六间，住了十几个人")
    assert case.handler_user == landlord
    wf.case_acknowledge(case_id=case.pk, actor=landlord)
    wf.case_report_fixed(case_id=case.pk, actor=landlord, note="隔断已拆")
    wf.case_verify_fail(case_id=case.pk, actor=committee_staff, note="还有两间没拆")
    return reload(case)


def secret_free(text):
    return SECRET_NAME not in text and SECRET_PHONE not in text and mask_phone(SECRET_PHONE) not in text
