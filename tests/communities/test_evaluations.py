"""The core service-evaluation engine: the decision that adopts a standard (motion_adopted), weights and
missing measures, one score per household (in the app and from paper), the version in force, closing a month
(results frozen, one improvement action per low criterion) and the trend. Clock fixed (``now=``)."""
import datetime as dt
from decimal import Decimal

import pytest

from communities import extensions
from communities.models import (
    AuditEvent, Election, Evaluation, EvaluationStandard, ImprovementAction, ResidentScore, Role,
)
from communities.selectors import evaluations as sel
from communities.selectors.elections import motion_adopted
from communities.services import evaluations as svc
from communities.services.errors import DomainError
from tests.factories import BuildingFactory, PersonFactory, ResidencyFactory, UnitFactory, make_member

from .evaluation_world import AGAINST, CRITERIA, NOW, SUBJECT, adopted_standard, village_motion
from .vote_world import decision, owner_of, run_to_published, unit

pytestmark = pytest.mark.django_db
MARCH, FEB, APRIL = dt.date(2026, 3, 1), dt.date(2026, 2, 1), dt.date(2026, 4, 1)


def source(*, community, criterion_key, start, end):
    return (29, 30) if criterion_key == "patrols_completed" else None


@pytest.fixture(autouse=True)
def station_source(monkeypatch):
    monkeypatch.setitem(extensions.EVALUATION_SOURCES, SUBJECT, source)


@pytest.fixture
def staff(village):
    return make_member(village, Role.COMMITTEE_STAFF, username="cunwei", name="钱伟")


@pytest.fixture
def houses(village):
    """Two households: 丁 and his wife in the first, 施 in the second; a third household with nobody in the app."""
    building = BuildingFactory(community=village, name="丁钱1排")
    h1, h2, h3 = (UnitFactory(building=building, room=f"{i}号") for i in (1, 2, 3))
    ding = make_member(village, Role.RESIDENT, username="ding", unit=h1, name="丁老伯")
    wife = make_member(village, Role.RESIDENT, username="dingqi", unit=h1, name="丁阿婆",
                       relation="family")
    shi = make_member(village, Role.RESIDENT, username="shi", unit=h2, name="施大叔")
    ResidencyFactory(person=PersonFactory(name="钱奶奶"), unit=h3)
    return {"h1": h1, "h2": h2, "h3": h3, "ding": ding, "wife": wife, "shi": shi}


def answers(standard, *labels):
    residents = list(standard.criteria.filter(group="residents").order_by("order"))
    return {c.pk: label for c, label in zip(residents, labels)}


# --- the decision ---------------------------------------------------------------------------------------------

def test_a_published_villagers_vote_that_passed_adopts(staff, village):
    assert motion_adopted(motion=village_motion(staff, village))


def test_a_failed_or_unpublished_vote_does_not(staff, village):
    assert not motion_adopted(motion=village_motion(staff, village, choice=AGAINST, title="否决"))
    unpublished = village_motion(staff, village, publish=False, title="未公布")
    assert unpublished.election.status != Election.Status.PUBLISHED
    assert not motion_adopted(motion=unpublished)


def test_an_owners_vote_is_not_a_village_decision(community):
    staff = make_member(community, Role.COMMITTEE_STAFF, username="rt-staff")
    building = BuildingFactory(community=community)
    owners = [owner_of(community, unit(building, 100), username=f"o{i}") for i in range(3)]
    election, (motion,) = decision(staff, community, motions=[("通过标准", "ordinary")])
    tally = run_to_published(staff, election, [(o, {motion: "for"}, None) for o in owners])
    assert tally["motions"][0]["passed"]  # it passed, under the owners' rule …
    assert not motion_adopted(motion=motion)  # … which is not a villagers' meeting


def test_a_standard_is_adopted_only_by_a_passed_village_motion(staff, village):
    draft = svc.standard_draft(actor=staff, community=village, subject=SUBJECT, title="标准", criteria=CRITERIA)
    with pytest.raises(DomainError, match="表决通过"):
        svc.standard_adopt(actor=staff, standard=draft, motion=village_motion(staff, village, choice=AGAINST))
    draft.refresh_from_db()
    assert draft.status == EvaluationStandard.Status.DRAFT
    motion = village_motion(staff, village, title="通过")
    assert svc.standard_adopt(actor=staff, standard=draft, motion=motion)
    assert not svc.standard_adopt(actor=staff, standard=draft, motion=motion)  # a repeat
    draft.refresh_from_db()
    assert (draft.status, draft.motion, draft.version) == (EvaluationStandard.Status.ADOPTED, motion, 1)


# --- the score ------------------------------------------------------------------------------------------------

def test_weights_and_a_missing_measure(staff, village, houses):
    """巡逻 29/30 = 0.9667; 飞线 has no measure (暂无数据, left out); no case due: cases left out; residents:
    环境 (满意 1 + 一般 0.6) / 2 = 0.8, 态度 0.8 → 0.8. Overall (0.9667×50 + 0.8×25) / 75 = 0.9111."""
    standard = adopted_standard(staff, village)
    evaluation = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    person = houses["ding"].person
    svc.household_score(actor=houses["ding"], evaluation=evaluation, unit=houses["h1"], person=person,
                        answers=answers(standard, "满意", "基本满意"), now=NOW)
    svc.household_score(actor=houses["shi"], evaluation=evaluation, unit=houses["h2"], person=houses["shi"].person,
                        answers=answers(standard, "一般", "基本满意"), now=NOW)
    figures = sel.month_figures(community=village, subject=SUBJECT, month=MARCH, now=NOW)
    values = {f.criterion.name: f.value for f in figures.criteria}
    assert values == {"巡逻完成率": Decimal("0.9667"), "飞线整治": None, "诉求解决率": None,
                      "环境卫生满意度": Decimal("0.8"), "服务态度满意度": Decimal("0.8")}
    assert next(f for f in figures.criteria if f.criterion.name == "飞线整治").note == "暂无数据"
    assert figures.groups == {"objective": Decimal("0.9667"), "cases": None, "residents": Decimal("0.8")}
    assert figures.overall == Decimal("0.9111")


def test_one_score_per_household_and_the_same_person_may_correct(staff, village, houses):
    standard = adopted_standard(staff, village)
    evaluation = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    kw = {"evaluation": evaluation, "unit": houses["h1"], "now": NOW}
    assert svc.household_score(actor=houses["ding"], person=houses["ding"].person,
                               answers=answers(standard, "满意", "满意"), **kw) == 2
    with pytest.raises(DomainError, match="每户每月只能评一次"):
        svc.household_score(actor=houses["wife"], person=houses["wife"].person,
                            answers=answers(standard, "不满意", "不满意"), **kw)
    assert svc.household_score(actor=houses["ding"], person=houses["ding"].person,
                               answers=answers(standard, "满意", "满意"), **kw) == 0  # a double submission
    assert svc.household_score(actor=houses["ding"], person=houses["ding"].person,
                               answers=answers(standard, "满意", "一般"), **kw) == 1  # he corrects one
    assert sorted(ResidentScore.objects.values_list("label", flat=True)) == ["一般", "满意"]
    corrected = AuditEvent.objects.get(action="evaluation.score_correct")
    assert (corrected.detail["was"], corrected.detail["now"]) == ("满意", "一般")


def test_only_a_resident_of_the_household_scores_it(staff, village, houses):
    standard = adopted_standard(staff, village)
    evaluation = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    with pytest.raises(DomainError, match="在册居民"):
        svc.household_score(actor=houses["shi"], person=houses["shi"].person, evaluation=evaluation,
                            unit=houses["h1"], answers=answers(standard, "满意", "满意"), now=NOW)
    with pytest.raises(DomainError, match="每一个问题"):
        svc.household_score(actor=houses["shi"], person=houses["shi"].person, evaluation=evaluation,
                            unit=houses["h2"], answers={}, now=NOW)
    assert not ResidentScore.objects.exists()


def test_paper_form_entered_by_staff_counts_for_the_household(staff, village, houses):
    standard = adopted_standard(staff, village)
    evaluation = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    svc.household_score(actor=staff, evaluation=evaluation, unit=houses["h1"], paper=True,
                        answers=answers(standard, "基本满意", "一般"), now=NOW)
    score = ResidentScore.objects.get(criterion__name="环境卫生满意度")
    assert (score.paper, score.entered_by, score.person, score.value) == (True, staff, None, Decimal("0.8"))
    with pytest.raises(DomainError, match="只能评一次"):  # the household answered on paper already
        svc.household_score(actor=houses["ding"], person=houses["ding"].person, evaluation=evaluation,
                            unit=houses["h1"], answers=answers(standard, "满意", "满意"), now=NOW)


def test_the_version_in_force_stays_with_its_month(staff, village, houses):
    v1 = adopted_standard(staff, village)
    march = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    v2 = adopted_standard(staff, village, title="服务站考核标准（修订）",
                          criteria=[{"name": "村民总体满意度", "group": "residents"}])
    v1.refresh_from_db()
    assert (v1.status, v2.status, v2.version) == ("retired", "adopted", 2)
    assert svc.evaluation_open(community=village, subject=SUBJECT, now=NOW).standard == v1
    assert svc.evaluation_close(evaluation_id=march.pk, now=NOW)
    march.refresh_from_db()
    assert march.standard == v1 and {r.criterion.standard_id for r in march.results.all()} == {v1.pk}
    april = svc.evaluation_open(community=village, subject=SUBJECT, month=APRIL, now=NOW)
    assert april.standard == v2


def test_a_low_score_opens_one_improvement_action(staff, village, houses):
    standard = adopted_standard(staff, village)
    evaluation = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    svc.household_score(actor=houses["ding"], person=houses["ding"].person, evaluation=evaluation,
                        unit=houses["h1"], answers=answers(standard, "不满意", "满意"), now=NOW)
    assert svc.evaluation_close(evaluation_id=evaluation.pk, now=NOW)
    assert not svc.evaluation_close(evaluation_id=evaluation.pk, now=NOW)  # twice: nothing more
    action = ImprovementAction.objects.get()
    assert (action.criterion.name, action.score, action.status) == ("环境卫生满意度", Decimal("0"), "open")
    with pytest.raises(DomainError, match="已经结算"):
        svc.household_score(actor=houses["shi"], person=houses["shi"].person, evaluation=evaluation,
                            unit=houses["h2"], answers=answers(standard, "满意", "满意"), now=NOW)
    later = NOW + dt.timedelta(days=31)
    assert [a.overdue for a in sel.actions_of(community=village, subject=SUBJECT, now=later)] == [True]
    with pytest.raises(DomainError, match="整改情况"):
        svc.action_close(actor=staff, action=action, closing_note=" ", now=later)
    assert svc.action_close(actor=staff, action=action, closing_note="垃圾房每日冲洗两次", now=later)
    assert not svc.action_close(actor=staff, action=action, closing_note="again", now=later)
    assert [a.overdue for a in sel.actions_of(community=village, subject=SUBJECT, now=later)] == [False]


def test_trend_reads_closed_months_and_the_current_one_live(staff, village, houses):
    standard = adopted_standard(staff, village)
    feb = svc.evaluation_open(community=village, subject=SUBJECT, month=FEB, now=NOW)
    svc.household_score(actor=houses["ding"], person=houses["ding"].person, evaluation=feb, unit=houses["h1"],
                        answers=answers(standard, "一般", "一般"), now=NOW)
    svc.evaluation_close(evaluation_id=feb.pk, now=NOW)
    march = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    svc.household_score(actor=houses["ding"], person=houses["ding"].person, evaluation=march, unit=houses["h1"],
                        answers=answers(standard, "满意", "满意"), now=NOW)
    rows = sel.trend(community=village, subject=SUBJECT, months=6, now=NOW)
    assert [r["month"] for r in rows][-3:] == [dt.date(2026, 1, 1), FEB, MARCH] and len(rows) == 6
    assert [r["criteria"].get("环境卫生满意度") for r in rows[-3:]] == [None, Decimal("0.6"), Decimal("1")]
    assert rows[-2]["overall"] == Evaluation.objects.get(month=FEB).overall
    assert rows[-1]["overall"] > rows[-2]["overall"]


def test_a_value_entered_by_hand_replaces_the_measured_one(staff, village, houses):
    standard = adopted_standard(staff, village)
    evaluation = svc.evaluation_open(community=village, subject=SUBJECT, now=NOW)
    wires = standard.criteria.get(name="飞线整治")
    with pytest.raises(DomainError, match="0 到 1"):
        svc.result_enter(actor=staff, evaluation=evaluation, criterion=wires, value=Decimal("1.5"))
    svc.result_enter(actor=staff, evaluation=evaluation, criterion=wires, value=Decimal("0.5"), note="入户检查 20 户")
    figures = sel.month_figures(community=village, subject=SUBJECT, month=MARCH, now=NOW)
    entered = next(f for f in figures.criteria if f.criterion == wires)
    assert (entered.value, entered.source, entered.low) == (Decimal("0.5"), "entered", True)
    svc.evaluation_close(evaluation_id=evaluation.pk, now=NOW)
    assert evaluation.results.get(criterion=wires).source == "entered"
    assert ImprovementAction.objects.filter(criterion=wires).exists()
    with pytest.raises(DomainError, match="已经结算"):
        svc.result_enter(actor=staff, evaluation=evaluation, criterion=wires, value=None)
