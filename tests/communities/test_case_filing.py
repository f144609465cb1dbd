"""The case services after the transition table: filing and routing, following, a failed verification,
merging, rating and reopening (communities.services.cases / case_workflow)."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from communities.models import (
    Case,
    CaseEvent,
    CaseRating,
    Notification,
    Role,
    RoutingRule,
    Team,
)
from communities.services import case_workflow as wf
from communities.services.cases import case_file, case_follow
from communities.services.errors import DomainError

from ..factories import (
    BuildingFactory,
    CaseCategoryFactory,
    PersonFactory,
    TeamFactory,
    UnitFactory,
    make_member, team_join,
)
from .case_world import (  # noqa: F401 - fixtures
    S,
    footprint,
    reload,
    world,
)


# --- filing and routing ---------------------------------------------------------------------------------------

@pytest.fixture
def category(community):
    return CaseCategoryFactory(community=community, code="noise", name="噪音扰民")


@pytest.fixture
def sublandlord_rule(community):
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD,
                               only_let_units=True, priority=10)
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.COMMITTEE, priority=100)


def test_a_case_about_a_let_unit_goes_straight_to_its_sublandlord(community, category, let_unit, tenant, landlord,
                                                                  committee_staff, sublandlord_rule):
    case = case_file(filed_by=tenant, community=community, category=category, unit=let_unit,
                     description="隔壁夜里很吵")

    assert case.status == S.DISPATCHED
    assert (case.handler_user, case.handler_team) == (landlord, None)
    assert case.building == let_unit.building
    dispatch = case.events.get(action="dispatch")
    assert dispatch.actor is None and dispatch.data["auto"] is True
    assert (dispatch.from_status, dispatch.to_status) == (S.SUBMITTED, S.DISPATCHED)
    assert Notification.objects.filter(recipient=landlord, title__contains="新诉求派给您处理").count() == 1
    # The committee is not asked to dispatch what is already dispatched.
    assert not Notification.objects.filter(recipient=committee_staff).exists()
    assert Notification.objects.filter(recipient=tenant, title__contains="已收到").count() == 1


def test_a_let_unit_whose_sublandlord_has_no_account_waits_for_the_committee(community, category, building,
                                                                          resident, committee_staff,
                                                                          sublandlord_rule):
    unit = UnitFactory(building=building, room="502", is_let=True, sublandlord=PersonFactory(name="没账号的房东"))
    case = case_file(filed_by=resident, community=community, category=category, unit=unit, description="楼上漏水")
    assert case.status == S.SUBMITTED
    assert case.handler_user is None
    assert Notification.objects.filter(recipient=committee_staff, title__contains="待派单").count() == 1


def test_a_village_case_goes_to_the_station_team(village, station_staff):
    station = TeamFactory(community=village, name="光明村物业服务站", kind=Team.Kind.STATION)
    team_join(station, station_staff)
    RoutingRule.objects.create(community=village, target=RoutingRule.Target.TEAM, team=station, priority=10)
    villager = make_member(village, Role.RESIDENT, username="villager", name="村民老李")
    category = CaseCategoryFactory(community=village, code="parking", name="停车")
    place = BuildingFactory(community=village, name="村口停车场")

    case = case_file(filed_by=villager, community=village, category=category, building=place,
                     description="车堵住了消防通道")

    assert case.status == S.DISPATCHED
    assert (case.handler_user, case.handler_team) == (None, station)
    assert case.events.get(action="dispatch").actor is None
    assert Notification.objects.filter(recipient=station_staff, title__contains="新诉求派给您处理").count() == 1


def test_without_a_matching_rule_the_case_waits_and_committee_staff_are_told(community, category, building,
                                                                           resident, committee_staff,
                                                                           party_secretary):
    second_staff = make_member(community, Role.COMMITTEE_STAFF, username="staff2", name="居委小刘")
    case = case_file(filed_by=resident, community=community, category=category, building=building,
                     description="楼道灯坏了")

    assert case.status == S.SUBMITTED
    assert list(case.events.values_list("action", flat=True)) == ["file"]
    told = set(Notification.objects.filter(title__contains="待派单").values_list("recipient", flat=True))
    assert told == {committee_staff.pk, second_staff.pk}
    assert case.ack_due_at - case.created_at == timedelta(hours=category.ack_hours)


def test_a_rule_for_another_category_does_not_apply(community, category, building, resident, committee_staff):
    other = CaseCategoryFactory(community=community, code="leak", name="房屋漏水")
    team = TeamFactory(community=community, name="维修队")
    RoutingRule.objects.create(community=community, category=other, target=RoutingRule.Target.TEAM, team=team)
    case = case_file(filed_by=resident, community=community, category=category, building=building,
                     description="半夜唱歌")
    assert case.status == S.SUBMITTED


def nothing_filed():
    return not Case.objects.exists() and not CaseEvent.objects.exists() and not Notification.objects.exists()


def test_filing_refuses_a_category_of_another_community(community, other_community, building, resident,
                                                        committee_staff):
    foreign = CaseCategoryFactory(community=other_community, code="noise", name="噪音扰民")
    with pytest.raises(DomainError, match="本社区的问题类别"):
        case_file(filed_by=resident, community=community, category=foreign, building=building, description="吵")
    assert nothing_filed()


def test_filing_refuses_an_inactive_category(community, building, resident):
    retired = CaseCategoryFactory(community=community, code="old", name="旧类别", active=False)
    with pytest.raises(DomainError, match="本社区的问题类别"):
        case_file(filed_by=resident, community=community, category=retired, building=building, description="吵")
    assert nothing_filed()


def test_filing_refuses_a_unit_or_building_of_another_community(community, other_community, category, resident):
    foreign_unit = UnitFactory(building=BuildingFactory(community=other_community, name="8号楼"), room="808")
    with pytest.raises(DomainError, match="所选房屋不在本社区"):
        case_file(filed_by=resident, community=community, category=category, unit=foreign_unit, description="吵")
    with pytest.raises(DomainError, match="所选楼栋不在本社区"):
        case_file(filed_by=resident, community=community, category=category, building=foreign_unit.building,
                  description="吵")
    assert nothing_filed()


def test_filing_refuses_an_empty_description(community, category, building, resident):
    with pytest.raises(DomainError, match="请描述一下情况"):
        case_file(filed_by=resident, community=community, category=category, building=building,
                  description="  \n ")
    assert nothing_filed()


@pytest.mark.parametrize("how", ["hotline", "for-a-neighbour"])
def test_a_resident_cannot_file_on_someone_elses_behalf(community, category, building, resident, how):
    neighbour = make_member(community, Role.RESIDENT, username="neighbour", name="邻居")
    kwargs = ({"channel": Case.Channel.HOTLINE, "reporter_name": "赵大爷"} if how == "hotline"
              else {"reporter": neighbour})
    with pytest.raises(PermissionDenied):
        case_file(filed_by=resident, community=community, category=category, building=building,
                  description="吵", **kwargs)
    assert nothing_filed()


def test_a_user_of_another_community_cannot_file_here(community, category, building, outsider):
    with pytest.raises(PermissionDenied):
        case_file(filed_by=outsider, community=community, category=category, building=building, description="吵")
    assert nothing_filed()


def test_on_behalf_filing_needs_the_reporters_name(community, category, building, committee_staff):
    with pytest.raises(DomainError, match="反映人姓名"):
        case_file(filed_by=committee_staff, community=community, category=category, building=building,
                  description="来访反映楼道堆物", channel=Case.Channel.WALK_IN, reporter_name="  ")
    assert nothing_filed()


def test_committee_staff_file_on_behalf_of_a_caller(community, category, building, committee_staff):
    case = case_file(filed_by=committee_staff, community=community, category=category, building=building,
                     description="热线反映夜间施工", channel=Case.Channel.HOTLINE, reporter_name=" 赵大爷 ",
                     reporter_phone="138 0013 8000")
    assert (case.reporter, case.filed_by, case.channel) == (None, committee_staff, Case.Channel.HOTLINE)
    assert (case.reporter_name, case.reporter_phone) == ("赵大爷", "13800138000")
    assert case.events.get().data == {"channel": "hotline"}


def test_station_staff_file_what_a_patrol_found_and_a_resident_may_not_file_for_others(community, category,
                                                                                         building):
    guard = make_member(community, Role.STATION_STAFF, username="patrol-guard")
    case = case_file(filed_by=guard, community=community, category=category, building=building,
                     description="巡逻发现楼道飞线充电", channel=Case.Channel.PATROL, reporter_name="巡逻员")
    assert (case.filed_by, case.channel) == (guard, Case.Channel.PATROL)
    resident = make_member(community, Role.RESIDENT, username="not-an-operator")
    with pytest.raises(PermissionDenied):
        case_file(filed_by=resident, community=community, category=category, building=building,
                  description="替邻居反映", channel=Case.Channel.HOTLINE, reporter_name="邻居")


# --- follow ------------------------------------------------------------------------------------------------------

def test_following_an_open_case_once(world):
    case = world.at(S.DISPATCHED)
    assert case_follow(case_id=case.pk, user=world.neighbour) is True
    assert case_follow(case_id=case.pk, user=world.neighbour) is False
    assert case_follow(case_id=case.pk, user=world.reporter) is False
    assert list(case.followers.all()) == [world.neighbour]
    assert case.events.filter(action="follow").count() == 1


def test_following_is_refused_for_a_closed_case_and_for_an_outsider(world):
    closed = world.at(S.CLOSED)
    with pytest.raises(DomainError, match="已经结束"):
        case_follow(case_id=closed.pk, user=world.neighbour)
    with pytest.raises(PermissionDenied):
        case_follow(case_id=world.original.pk, user=world.outsider)
    assert not world.original.followers.exists() and not closed.followers.exists()


def test_a_flats_own_case_cannot_be_followed_by_a_neighbour(world, unit):
    """Following is not a way in (case.follow): only what the similar-case box shows, a shared place's case."""
    flat_case = world.file(unit=unit, building=None, description="我家卫生间漏水")
    with pytest.raises(PermissionDenied):
        case_follow(case_id=flat_case.pk, user=world.neighbour)
    assert not flat_case.followers.exists() and not flat_case.events.filter(action="follow").exists()


# --- verify_fail ------------------------------------------------------------------------------------------------

def test_verify_fail_sends_it_back_counts_it_and_tells_the_handler(world):
    case = world.at(S.AWAITING_VERIFICATION)
    wf.case_verify_fail(case_id=case.pk, actor=world.staff, note="还有两箱没清走")
    case.refresh_from_db()
    assert (case.status, case.reopen_count, case.fixed_at) == (S.IN_PROGRESS, 1, None)
    told = Notification.objects.get(recipient=world.handler, title__contains="验收未通过")
    assert told.body == "还有两箱没清走"
    assert told.url.endswith(f"/cases/{case.pk}/")

    wf.case_report_fixed(case_id=case.pk, actor=world.handler, note="都清走了")
    wf.case_verify_fail(case_id=case.pk, actor=world.staff, note="楼梯口还有一辆自行车")
    assert reload(case).reopen_count == 2
    assert Notification.objects.filter(recipient=world.handler, title__contains="验收未通过").count() == 2


def test_verify_fail_needs_a_reason(world):
    case = world.at(S.AWAITING_VERIFICATION)
    before = footprint(case)
    with pytest.raises(DomainError, match="验收不通过的原因"):
        wf.case_verify_fail(case_id=case.pk, actor=world.staff, note="")
    assert footprint(case) == before


# --- merge --------------------------------------------------------------------------------------------------------

def test_merge_makes_the_duplicates_reporter_follow_the_original_and_tells_them(world):
    original = world.file(reporter=world.neighbour, description="5楼楼道堆物")
    wf.case_dispatch(case_id=original.pk, actor=world.staff, handler_user=world.handler)
    duplicate = world.file(description="5楼楼道又堆满了")

    outcome = wf.case_merge(case_id=duplicate.pk, actor=world.staff, into_id=original.pk, note="同一处堆物")

    duplicate.refresh_from_db()
    assert outcome.changed and duplicate.status == S.DUPLICATE and duplicate.merged_into == original
    assert list(original.followers.all()) == [world.reporter]
    told = Notification.objects.get(recipient=world.reporter, title__contains="已合并")
    assert told.url.endswith(f"/cases/{original.pk}/")
    assert reload(original).status == S.DISPATCHED


@pytest.mark.parametrize("into", ["itself", "closed", "other-community", "a-duplicate", "missing"])
def test_merge_is_refused_into_itself_a_closed_case_or_another_communitys(world, outsider, into):
    duplicate = world.at(S.SUBMITTED)
    if into == "itself":
        target = duplicate.pk
    elif into == "closed":
        target = world.at(S.CLOSED).pk
    elif into == "other-community":
        other = outsider.memberships.get().community
        target = case_file(filed_by=outsider, community=other,
                           category=CaseCategoryFactory(community=other, code="noise", name="噪音扰民"),
                           description="别的社区的事").pk
    elif into == "a-duplicate":
        target = world.at(S.DUPLICATE).pk
    else:
        target = 987654
    before = footprint(duplicate)
    with pytest.raises(DomainError, match="只能合并到本社区另一件未办结的诉求"):
        wf.case_merge(case_id=duplicate.pk, actor=world.staff, into_id=target)
    assert footprint(duplicate) == before


# --- rating and reopening --------------------------------------------------------------------------------------------

def test_only_the_reporter_rates(world):
    case = world.at(S.CLOSED)
    for someone in (world.staff, world.handler, world.neighbour, world.secretary):
        with pytest.raises(PermissionDenied):
            wf.case_rate(case_id=case.pk, actor=someone, score=CaseRating.Score.SATISFIED)
    assert not CaseRating.objects.exists()


@pytest.mark.parametrize("status", [S.SUBMITTED, S.DISPATCHED, S.IN_PROGRESS, S.AWAITING_VERIFICATION])
def test_rating_waits_until_the_case_is_closed(world, status):
    case = world.at(status)
    before = footprint(case)
    with pytest.raises(DomainError, match="办结后才能评价"):
        wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.SATISFIED)
    assert footprint(case) == before


def test_rating_happens_once(world):
    case = world.at(S.CLOSED)
    first = wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.BASIC, reasons=["speed"],
                         comment="还行")
    second = wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)
    assert (first.changed, second.changed) == (True, False)
    rating = CaseRating.objects.get(case=case)
    assert (rating.score, rating.reasons, rating.rater) == (CaseRating.Score.BASIC, ["speed"], world.reporter)
    assert case.events.filter(action="rate").count() == 1


def test_rating_refuses_an_unknown_score(world):
    case = world.at(S.CLOSED)
    with pytest.raises(DomainError, match="满意"):
        wf.case_rate(case_id=case.pk, actor=world.reporter, score="great")
    assert not CaseRating.objects.exists()


def test_an_unsatisfied_rating_tells_the_committee(world):
    case = world.at(S.CLOSED)
    wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)
    assert Notification.objects.filter(recipient=world.staff, title__contains="居民不满意").count() == 1


@pytest.mark.parametrize("score,partly_fixed", [(CaseRating.Score.UNSATISFIED, False),
                                                (CaseRating.Score.BASIC, True)],
                         ids=["unsatisfied", "partly-fixed"])
def test_reopen_after_an_unsatisfied_or_partly_fixed_rating_works_once(world, score, partly_fixed):
    case = world.at(S.CLOSED)
    wf.case_rate(case_id=case.pk, actor=world.reporter, score=score, partly_fixed=partly_fixed)

    outcome = wf.case_reopen(case_id=case.pk, actor=world.reporter, reason="过了两天又堆上了")

    case.refresh_from_db()
    assert outcome.changed
    assert (case.status, case.rating_reopened, case.reopen_count) == (S.IN_PROGRESS, True, 1)
    assert case.closed_at is None and case.fixed_at is None
    assert case.fix_due_at > outcome.event.at
    assert Notification.objects.filter(recipient=world.handler, title__contains="重新办理").count() == 1

    # Fixed and verified again; a second reopen is refused.
    wf.case_report_fixed(case_id=case.pk, actor=world.handler, note="这次彻底清走了")
    wf.case_verify_pass(case_id=case.pk, actor=world.staff, note="看过了")
    before = footprint(case)
    with pytest.raises(DomainError, match="只能要求重新办理一次"):
        wf.case_reopen(case_id=case.pk, actor=world.reporter, reason="还是不满意")
    assert footprint(case) == before


@pytest.mark.parametrize("score", [CaseRating.Score.SATISFIED, None], ids=["satisfied", "not-rated"])
def test_reopen_is_refused_after_a_satisfied_rating_or_without_one(world, score):
    case = world.at(S.CLOSED)
    if score:
        wf.case_rate(case_id=case.pk, actor=world.reporter, score=score)
    before = footprint(case)
    with pytest.raises(DomainError, match="不满意或只解决了一部分"):
        wf.case_reopen(case_id=case.pk, actor=world.reporter, reason="想再看看")
    assert footprint(case) == before


def test_reopen_needs_a_reason(world):
    case = world.at(S.CLOSED)
    wf.case_rate(case_id=case.pk, actor=world.reporter, score=CaseRating.Score.UNSATISFIED)
    before = footprint(case)
    with pytest.raises(DomainError, match="还有什么没解决"):
        wf.case_reopen(case_id=case.pk, actor=world.reporter, reason=" ")
    assert footprint(case) == before
