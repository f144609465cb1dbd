"""Repair projects (issue 15, the repairs area): every step on the core engine, its refusals and repeats, the
owners' vote scoped to 1号楼 (hand-counted: 7 heads, 800 m², see ``owners_world``), the payment from the fund.

1号楼's roll: 甲 220 m² (101 + 201), 乙丙 80, 丁 100, 戊 90, 己 95 (no login), 庚 105, the developer 110 (104).
Participation needs two thirds of both: 5 of 7 heads (4.67 rounded up) and 533.34 m² of 800."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from communities.models import Election, MotionVote, PaperBallot
from communities.services import paper_ballots
from communities.services.errors import DomainError
from talents.models import FundEntry, FundFreeze, RepairDocument, RepairEvent, RepairItem, RepairPhoto, RepairProject
from talents.services import owners_repairs as svc

from .owners_world import (NOW, at, community, estate, frozen, other_estate, outsider, owners, staff,  # noqa: F401
                           staff2, tenant)
from .repairs_world import approved, fund, jpeg, new_project, pdf, plan, publish, to_works, vote_all

pytestmark = pytest.mark.django_db
S = RepairProject.Status


def _events(project):
    return list(RepairEvent.objects.filter(project=project).values_list("action", flat=True))


# --- discovery, appraisal, plan -----------------------------------------------------------------------------

def test_staff_register_a_project_with_its_cases_and_photos(estate, owners, staff):
    from tests.factories import CaseFactory

    cases = [CaseFactory(community=estate.community, reporter=owners[x]) for x in ("a", "b")]
    project = svc.repair_project_create(actor=staff, community=estate.community, title="1号楼屋面渗漏",
                                        kind="leak", scope="building", building=estate.buildings["1号楼"],
                                        cases=cases, photos=[jpeg()], now=at(0, 9))
    assert project.status == S.DISCOVERED
    assert set(project.cases.all()) == set(cases)
    assert _events(project) == ["discover"]
    assert RepairPhoto.objects.filter(project=project, event__action="discover").count() == 1


def test_only_staff_register_and_not_for_another_estate(estate, other_estate, owners, staff, tenant):
    with pytest.raises(PermissionDenied):
        new_project(estate, owners["a"])
    with pytest.raises(PermissionDenied):
        new_project(estate, tenant)
    with pytest.raises(DomainError) as exc:
        svc.repair_project_create(actor=staff, community=estate.community, title="x", kind="leak",
                                  scope="building", building=other_estate.buildings["1号楼"])
    assert exc.value.code == "building"
    with pytest.raises(DomainError) as exc:
        svc.repair_project_create(actor=staff, community=estate.community, title="x", kind="lift", emergency=True)
    assert exc.value.code == "emergency"
    assert not RepairProject.objects.exists()


def test_linking_a_case_twice_is_one_link_and_another_estates_case_is_refused(estate, other_estate, owners, staff,
                                                                              outsider):
    from tests.factories import CaseFactory

    project = new_project(estate, staff)
    case = CaseFactory(community=estate.community, reporter=owners["d"])
    assert svc.repair_link_case(project_id=project.pk, actor=staff, case=case).changed
    assert not svc.repair_link_case(project_id=project.pk, actor=staff, case=case).changed
    assert _events(project).count("link") == 1
    with pytest.raises(DomainError):
        svc.repair_link_case(project_id=project.pk, actor=staff,
                             case=CaseFactory(community=other_estate.community, reporter=outsider))
    with pytest.raises(PermissionDenied):
        svc.repair_link_case(project_id=project.pk, actor=owners["d"], case=case)


def test_an_emergency_facade_needs_a_certified_appraisal_with_its_report_and_submission_day(estate, staff):
    project = new_project(estate, staff, kind="facade", emergency=True)
    with pytest.raises(DomainError) as exc:  # no appraisal: no plan on the emergency route
        svc.repair_plan(project_id=project.pk, actor=staff, items=[("外墙", "100")], scope="building",
                        building=estate.buildings["1号楼"])
    assert exc.value.code == "appraisal_required"
    base = dict(project_id=project.pk, actor=staff, body="检测站", report_no="JD-1", conclusion="有脱落危险")
    for extra, code in [({"danger_certified": False, "document": pdf(), "submitted_on": NOW.date()}, "not_certified"),
                        ({"danger_certified": True, "submitted_on": NOW.date()}, "file_required"),
                        ({"danger_certified": True, "document": pdf()}, "submitted_on")]:
        with pytest.raises(DomainError) as exc:
            svc.repair_appraise(**base, **extra)
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        svc.repair_appraise(**base, danger_certified=True, submitted_on=NOW.date(),
                            document=_text_file())
    assert exc.value.code == "file_type"
    outcome = svc.repair_appraise(**base, danger_certified=True, submitted_on=NOW.date(), document=pdf())
    assert outcome.changed and outcome.project.status == S.APPRAISED
    assert RepairDocument.objects.get(project=project).kind == RepairDocument.Kind.APPRAISAL
    again = svc.repair_appraise(**base, danger_certified=True, submitted_on=NOW.date(), document=pdf())
    assert not again.changed and RepairDocument.objects.count() == 1


def _text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("report.txt", b"just text", content_type="text/plain")


def test_an_ordinary_project_plans_without_appraisal_and_the_budget_is_the_sum(estate, staff):
    project = new_project(estate, staff)
    with pytest.raises(DomainError) as exc:
        svc.repair_plan(project_id=project.pk, actor=staff, items=[("灯", "-5")], scope="building",
                        building=estate.buildings["1号楼"])
    assert exc.value.code == "amount"
    with pytest.raises(DomainError) as exc:
        svc.repair_plan(project_id=project.pk, actor=staff, items=[], scope="building",
                        building=estate.buildings["1号楼"])
    assert exc.value.code == "items"
    outcome = plan(project, staff, estate)
    assert outcome.project.budget == Decimal("4000.00") and outcome.project.status == S.PLANNED
    assert RepairItem.objects.filter(project=project).count() == 2
    assert not plan(project, staff, estate).changed  # a double submission


def test_a_step_from_the_wrong_state_is_refused(estate, staff):
    project = new_project(estate, staff)
    with pytest.raises(DomainError) as exc:
        svc.repair_audit(project_id=project.pk, actor=staff, auditor="x", audited_amount="1", document=pdf())
    assert exc.value.code == "state"
    with pytest.raises(DomainError) as exc:
        svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=at(5, 9), now=at(0, 10))
    assert exc.value.code == "state"


# --- the owners' vote --------------------------------------------------------------------------------------

def test_the_vote_is_the_sharing_owners_and_passes_with_more_than_half_of_both(estate, owners, staff):
    project = new_project(estate, staff)
    plan(project, staff, estate)
    outcome = svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=at(5, 9), now=at(1, 10))
    election = Election.objects.get(pk=outcome.project.assembly.election_id)
    assert election.rule == Election.Rule.OWNERS and election.status == Election.Status.OPEN
    voters = election.voters.filter(counted=True)
    assert (voters.count(), sum(v.weight for v in voters)) == (7, Decimal("800"))  # 1号楼 only
    assert election.motions.get().matter == "ordinary"
    with pytest.raises(DomainError) as exc:  # before the result is published
        svc.repair_vote_settle(project_id=project.pk, actor=staff)
    assert exc.value.code == "not_published"
    # 5 heads (595 m²) take part: 甲 220, 乙 80, 丁 100 for (3 heads, 400 m²); 戊 90, 庚 105 against.
    vote_all(project, owners, who=("a", "b", "d"))
    vote_all(project, owners, MotionVote.Choice.AGAINST, who=("e", "g"))
    publish(election, staff)
    outcome = svc.repair_vote_settle(project_id=project.pk, actor=staff, now=at(5, 12))
    assert outcome.changed and outcome.project.status == S.APPROVED
    assert not svc.repair_vote_settle(project_id=project.pk, actor=staff).changed


def test_a_vote_without_two_thirds_of_the_area_sends_the_plan_back(estate, owners, staff, staff2):
    project = new_project(estate, staff)
    plan(project, staff, estate)
    election = Election.objects.get(pk=svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=at(5, 9),
                                                            now=at(1, 10)).project.assembly.election_id)
    vote_all(project, owners, who=("b", "d", "e", "g"))  # 4 heads, 375 m²
    motion = election.motions.get()
    ji = election.voters.get(user__isnull=True, weight=Decimal("95"))  # 己, no login: a paper ballot
    paper = paper_ballots.paper_ballot_enter(actor=staff, election=election, voter_id=ji.pk, choices={},
                                             motions={motion.pk: "for"}, now=at(2, 11))
    with pytest.raises(Exception):  # the one who typed it in cannot confirm it
        paper_ballots.paper_ballot_confirm(actor=staff, paper_id=paper.pk, now=at(2, 12))
    paper_ballots.paper_ballot_confirm(actor=staff2, paper_id=paper.pk, now=at(2, 12))
    assert PaperBallot.objects.get(pk=paper.pk).confirmed_at is not None
    election = publish(election, staff)
    assert election.tally["voted"] == 5 and Decimal(election.tally["voted_weight"]) == Decimal("470.00")
    assert not election.tally["quorum_met"]  # 5 of 7 heads, but 470 of 800 m² is less than two thirds
    outcome = svc.repair_vote_settle(project_id=project.pk, actor=staff, now=at(5, 12))
    assert outcome.project.status == S.PLANNED and outcome.project.assembly is None
    assert _events(project)[-1] == "vote_failed"
    # The plan may be voted again.
    assert svc.repair_vote_open(project_id=project.pk, actor=staff, closes_at=at(9, 9), now=at(6, 9)).changed


# --- the emergency route and its 7 days ---------------------------------------------------------------------

def test_the_seven_days_count_from_the_day_after_submission(estate, staff):
    from talents.selectors.owners_repairs import emergency_deadline, emergency_overdue

    from .repairs_world import certified

    project = certified(estate, staff, submitted_day=0)  # submitted Tuesday 2026-03-10
    assert emergency_deadline(project) == NOW.date().replace(day=17)  # day 1 is 03-11, day 7 is 03-17
    assert not emergency_overdue(project, on=NOW.date().replace(day=17))
    assert emergency_overdue(project, on=NOW.date().replace(day=18))


def test_the_committee_approves_within_seven_days_and_the_works_go_on_without_a_vote(estate, staff):
    from .repairs_world import certified

    project = certified(estate, staff, submitted_day=0)
    plan(project, staff, estate)
    with pytest.raises(DomainError) as exc:  # neither approval nor referral yet
        svc.repair_emergency_proceed(project_id=project.pk, actor=staff)
    assert exc.value.code == "not_allowed"
    with pytest.raises(DomainError) as exc:  # 03-18 is the eighth day
        svc.repair_emergency_approve(project_id=project.pk, actor=staff, approved_by="张主任",
                                     approved_at=at(8, 10))
    assert exc.value.code == "overdue"
    outcome = svc.repair_emergency_approve(project_id=project.pk, actor=staff, approved_by="张主任",
                                           approved_at=at(7, 20))  # 03-17 20:00: the seventh day
    assert outcome.changed
    assert not svc.repair_emergency_approve(project_id=project.pk, actor=staff, approved_by="张主任",
                                            approved_at=at(7, 20)).changed
    outcome = svc.repair_emergency_proceed(project_id=project.pk, actor=staff)
    assert outcome.project.status == S.APPROVED and "同意紧急使用" in outcome.project.vote_skipped_reason
    assert outcome.project.assembly is None


def test_after_seven_days_staff_refer_it_to_the_district_and_proceed(estate, staff):
    from talents.models import RepairReferral

    from .repairs_world import certified

    project = certified(estate, staff, submitted_day=0)
    plan(project, staff, estate)
    with pytest.raises(DomainError) as exc:  # 03-17 is still within the 7 days
        svc.repair_refer(project_id=project.pk, actor=staff, referred_on=at(7, 9).date(), reference_no="BS-1")
    assert exc.value.code == "not_overdue"
    outcome = svc.repair_refer(project_id=project.pk, actor=staff, referred_on=at(8, 9).date(),
                               reference_no="BS-FG-2026-018", note="业委会未在7日内答复")
    assert outcome.changed and RepairReferral.objects.get(project=project).referred_to == "宝山区房屋管理局"
    assert not svc.repair_refer(project_id=project.pk, actor=staff, referred_on=at(8, 9).date(),
                                reference_no="BS-FG-2026-018").changed
    outcome = svc.repair_emergency_proceed(project_id=project.pk, actor=staff)
    assert "BS-FG-2026-018" in outcome.project.vote_skipped_reason


def test_the_clock_tells_committee_staff_once(estate, staff, staff2):
    from communities.models import Notification
    from talents.tasks import start_repair_emergency_clocks

    from .repairs_world import certified

    project = certified(estate, staff, submitted_day=-10)  # the 7 days ran out three days ago
    assert svc.repair_emergency_overdue_mark(project_id=project.pk, now=at(0, 10))
    assert not svc.repair_emergency_overdue_mark(project_id=project.pk, now=at(0, 11))
    assert Notification.objects.filter(recipient__in=[staff, staff2]).count() == 2
    assert _events(project)[-1] == "emergency_overdue"
    start_repair_emergency_clocks()  # nothing left to tell
    assert Notification.objects.count() == 2


def test_an_ordinary_project_has_no_emergency_route(estate, staff):
    project = new_project(estate, staff)
    plan(project, staff, estate)
    with pytest.raises(DomainError) as exc:
        svc.repair_emergency_approve(project_id=project.pk, actor=staff, approved_by="x", approved_at=at(1, 9))
    assert exc.value.code == "not_emergency"


# --- audit to publication ------------------------------------------------------------------------------------

def test_audit_contract_works_acceptance_payment_and_publication(estate, owners, staff):
    fund(estate, staff)
    project = approved(new_project(estate, staff), staff, estate, owners)
    with pytest.raises(DomainError) as exc:  # over the budget (4,000) without a note
        svc.repair_audit(project_id=project.pk, actor=staff, auditor="审价所", audited_amount="4200",
                         document=pdf())
    assert exc.value.code == "over_budget"
    with pytest.raises(DomainError) as exc:
        svc.repair_audit(project_id=project.pk, actor=staff, auditor="审价所", audited_amount="3800")
    assert exc.value.code == "file_required"
    project = to_works(project, staff)
    assert project.status == S.WORKS and project.progress == 50
    assert not svc.repair_progress(project_id=project.pk, actor=staff, percent=50, note="脚手架已搭设").changed
    with pytest.raises(DomainError):
        svc.repair_progress(project_id=project.pk, actor=staff, percent=40)
    svc.repair_progress(project_id=project.pk, actor=staff, percent=90, photos=[jpeg()])
    svc.repair_accept(project_id=project.pk, actor=staff, accepted_on=at(10, 9).date(), accepted_by="业委会、居委、施工方",
                      result="合格", photos=[jpeg()])
    with pytest.raises(DomainError) as exc:  # more than the contract
        svc.repair_pay(project_id=project.pk, actor=staff, amount="3800.01", paid_on=at(11, 9).date())
    assert exc.value.code == "over_ceiling"
    outcome = svc.repair_pay(project_id=project.pk, actor=staff, amount="3800.00", paid_on=at(11, 9).date())
    assert outcome.project.status == S.PAID
    rows = FundEntry.objects.filter(project=project, kind=FundEntry.Kind.PAYMENT)
    assert rows.count() == 8 and sum(r.amount for r in rows) == Decimal("-3800.00")  # 1号楼's 8 households
    assert not svc.repair_pay(project_id=project.pk, actor=staff, amount="3800.00", paid_on=at(11, 9).date()).changed
    assert rows.count() == 8
    outcome = svc.repair_publish(project_id=project.pk, actor=staff, final_account="决算 3,800 元",
                                 published_on=at(12, 9).date())
    assert outcome.project.status == S.PUBLISHED
    assert RepairPhoto.objects.filter(project=project).count() == 3


def test_payment_is_refused_while_the_fund_is_frozen_except_on_the_emergency_route(estate, owners, staff):
    fund(estate, staff)
    project = to_works(approved(new_project(estate, staff), staff, estate, owners), staff)
    svc.repair_accept(project_id=project.pk, actor=staff, accepted_on=at(10, 9).date(), accepted_by="业委会",
                      result="合格")
    FundFreeze.objects.create(community=estate.community, reason="换届移交", conditions="新一届业委会备案",
                              started_on=NOW.date(), created_by=staff)
    with pytest.raises(DomainError) as exc:
        svc.repair_pay(project_id=project.pk, actor=staff, amount="3800.00", paid_on=at(11, 9).date())
    assert exc.value.code == "frozen" and "冻结" in exc.value.message
    assert RepairProject.objects.get(pk=project.pk).status == S.ACCEPTED
    assert not FundEntry.objects.filter(kind=FundEntry.Kind.PAYMENT).exists()


def test_payment_beyond_the_sharing_households_balance_is_refused(estate, owners, staff):
    fund(estate, staff, "100.00")  # 1号楼's 8 households hold 800.00
    project = to_works(approved(new_project(estate, staff), staff, estate, owners), staff)
    svc.repair_accept(project_id=project.pk, actor=staff, accepted_on=at(10, 9).date(), accepted_by="业委会",
                      result="合格")
    with pytest.raises(DomainError) as exc:
        svc.repair_pay(project_id=project.pk, actor=staff, amount="3800.00", paid_on=at(11, 9).date())
    assert exc.value.code == "balance"


def test_owners_and_tenants_take_no_step(estate, owners, staff, tenant):
    project = new_project(estate, staff)
    for actor in (owners["a"], tenant):
        with pytest.raises(PermissionDenied):
            plan(project, actor, estate)
