"""The assembly area (issue 15): thresholds on the test world's hand-computed figures, the item of art. 278 that
sets the matter, deemed consent, requests for an extraordinary assembly at 20 %.

1号楼 (7 heads, 800 m²): 甲 220, 乙丙 80, 丁 100, 戊 90, 己 95 (paper), 庚 105, the developer 110 (paper).
1号楼1单元 (3 heads, 400 m²): 甲 220, 乙丙 80, 丁 100. 1号楼2单元 (4 heads, 400 m²): 戊 90, 己 95, 庚 105, developer 110."""
from decimal import Decimal

import pytest

from communities.models import Motion, Notification
from communities.services.election_count import election_tally
from communities.services.errors import DomainError
from talents.models import AssemblyCallDue, AssemblyRequest, MotionBasis, OwnersAssembly, Scope
from talents.selectors import owners_assembly as sel
from talents.services import owners_assembly as svc

from ..factories import UnitFactory, make_member
from .assembly_helpers import make_assembly, paper, publish, roll_row, vote
from .owners_world import (NOW, community, estate, other_estate, outsider, owners, staff, staff2,  # noqa: F401
                           tenant)

pytestmark = pytest.mark.django_db
B1 = {"scope": Scope.BUILDING, "building": "1号楼"}


def test_the_item_sets_the_matter_and_they_cannot_disagree(estate, staff):
    a = make_assembly(estate, staff, motions=[("修改议事规则", 1), ("续筹维修资金", 6), ("改建车棚", 7),
                                              ("出租外墙广告位", 8), ("使用维修资金", 5)], open_it=False)
    got = {m.title: (m.matter, m.basis.item) for m in a.election.motions.select_related("basis")}
    assert got == {"修改议事规则": ("ordinary", 1), "续筹维修资金": ("special", 6), "改建车棚": ("special", 7),
                   "出租外墙广告位": ("special", 8), "使用维修资金": ("ordinary", 5)}
    with pytest.raises(DomainError) as exc:
        svc.assembly_motion_add(actor=staff, assembly=a, title="无项", item=10)
    assert exc.value.code == "item"
    assert MotionBasis.objects.count() == 5


def test_the_reason_names_the_item_and_the_threshold():
    assert sel.threshold_reason(item=5, matter="ordinary") == (
        "本议题属于《民法典》第二百七十八条第一款第（五）项使用维修资金，应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。")
    assert "四分之三以上" in sel.threshold_reason(item=6, matter="ordinary")


def test_creating_needs_the_written_notice_and_is_not_doubled(estate, staff, owners):
    kw = dict(actor=staff, community=estate.community, kind=OwnersAssembly.Kind.REGULAR, title="年度会议",
              motions=[("修改管理规约", 2)], notice_sent_on=NOW.date(), notice_housing_office=True)
    with pytest.raises(DomainError) as exc:
        svc.owners_assembly_create(**kw)
    assert exc.value.code == "notice" and "第二十五条" in exc.value.message
    assert not OwnersAssembly.objects.exists()
    svc.owners_assembly_create(**kw, notice_residents_committee=True)
    with pytest.raises(DomainError) as exc:
        svc.owners_assembly_create(**kw, notice_residents_committee=True)
    assert exc.value.code == "duplicate"
    assert OwnersAssembly.objects.count() == 1
    with pytest.raises(Exception):
        svc.owners_assembly_create(**{**kw, "actor": owners["a"]}, notice_residents_committee=True)


def test_enough_owners_but_not_enough_area_fails_participation_then_more_votes_pass(estate, owners, staff, staff2):
    a = make_assembly(estate, staff, **B1)
    for letter in "bdeg":
        vote(a, owners[letter], "for")
    paper(a, staff, staff2, "己业主", "for")
    live = election_tally(election=a.election)  # 5 of 7 heads, 470 of 800 m²
    part = sel.participation(voted=live["voted"], eligible=live["eligible"], voted_area=live["voted_weight"],
                             eligible_area=live["eligible_weight"])
    assert [line["met"] for line in part["lines"]] == [True, False]
    assert part["lines"][1]["short"] == Decimal("63.34")  # 2/3 × 800 = 533.33…, 470 voted
    assert "还差 63.34 m²" in part["verdict"] and "未作出决定" in part["verdict"]
    assert not live["motions"][0]["passed"]
    vote(a, owners["a"], "for")  # 甲: 6 heads, 690 m²
    tally = publish(a, staff)
    assert (tally["voted"], tally["voted_weight"]) == (6, "690.00")
    assert tally["quorum_met"] and tally["motions"][0]["passed"]


def test_exactly_two_thirds_of_the_heads_reaches(estate, owners, staff):
    a = make_assembly(estate, staff, scope=Scope.ENTRANCE, building="1号楼", entrance="1单元")
    vote(a, owners["a"], "for")
    vote(a, owners["d"], "for")  # 2 of 3 heads, 320 of 400 m²
    tally = publish(a, staff)
    assert tally["eligible"] == 3 and tally["quorum_met"] and tally["motions"][0]["passed"]


def test_exactly_half_of_both_does_not_pass(estate, owners, staff, staff2):
    a = make_assembly(estate, staff, scope=Scope.ENTRANCE, building="1号楼", entrance="2单元")
    vote(a, owners["e"], "for")                       # 90
    paper(a, staff, staff2, "开发商", "for")           # 110: 2 of 4 heads, 200 of 400 m² for
    paper(a, staff, staff2, "己业主", "against")
    vote(a, owners["g"], "against")
    tally = publish(a, staff)
    m = tally["motions"][0]
    assert tally["quorum_met"] and (m["counts"]["for"]["n"], m["counts"]["for"]["area"]) == (2, "200.00")
    assert not m["passed"]


@pytest.mark.parametrize("against,passed", [("己业主", True), ("开发商", False)])
def test_a_special_matter_at_exactly_three_quarters(estate, owners, staff, staff2, against, passed):
    a = make_assembly(estate, staff, scope=Scope.ENTRANCE, building="1号楼", entrance="2单元",
                      motions=[("续筹维修资金", 6)])
    vote(a, owners["e"], "for")
    vote(a, owners["g"], "for")
    for name in ("己业主", "开发商"):
        paper(a, staff, staff2, name, "against" if name == against else "for")
    m = publish(a, staff)["motions"][0]
    # 3 of 4 heads both ways; area 305/400 (≥ 3/4) when 己 is against, 290/400 when the developer is.
    assert m["matter"] == Motion.Matter.SPECIAL and m["counts"]["for"]["n"] == 3
    assert m["passed"] is passed


def _fails_by_area(estate, owners, staff, staff2):
    a = make_assembly(estate, staff, **B1)
    for letter in "bdeg":
        vote(a, owners[letter], "for")
    paper(a, staff, staff2, "己业主", "for")
    return a


def test_deemed_consent_counts_a_proven_non_voter_with_the_majority(estate, owners, staff, staff2):
    svc.voting_rules_set(actor=staff, community=estate.community, deemed_consent=True,
                         clause="第十二条 未参与表决的业主，视为同意多数意见。", now=NOW)
    a = _fails_by_area(estate, owners, staff, staff2)
    assert a.deemed_consent is True
    _row, created = svc.ballot_delivery_record(actor=staff, assembly=a, voter_id=roll_row(a, "甲业主").pk,
                                               delivered_on=NOW.date(), method="in_person", signer="甲业主")
    assert created
    assert not svc.ballot_delivery_record(actor=staff, assembly=a, voter_id=roll_row(a, "甲业主").pk,
                                          delivered_on=NOW.date(), method="in_person", signer="甲业主")[1]
    tally = publish(a, staff)
    assert not tally["motions"][0]["passed"]  # the core's result stays as cast
    deemed = sel.deemed_result(assembly=a, tally=tally)
    m = deemed["motions"][0]
    assert deemed["extra"] == {"n": 1, "area": Decimal("220.00")}
    assert (m["majority"], m["voted"], m["voted_area"], m["yes"]) == ("for", 6, Decimal("690.00"), 6)
    assert m["participation"]["met"] and m["passed"]


def test_deemed_consent_needs_delivery_and_the_rule(estate, owners, staff, staff2):
    svc.voting_rules_set(actor=staff, community=estate.community, deemed_consent=True, clause="第十二条", now=NOW)
    a = _fails_by_area(estate, owners, staff, staff2)  # no delivery proven
    m = sel.deemed_result(assembly=a, tally=publish(a, staff))["motions"][0]
    assert m["voted"] == 5 and not m["passed"]
    svc.voting_rules_set(actor=staff, community=estate.community, deemed_consent=False, clause="", now=NOW)
    b = make_assembly(estate, staff, title="第二次", **B1)
    assert b.deemed_consent is False
    assert sel.deemed_result(assembly=b, tally=publish(b, staff)) is None


def test_deemed_consent_only_with_the_clause_and_by_staff(estate, owners, staff):
    with pytest.raises(DomainError) as exc:
        svc.voting_rules_set(actor=staff, community=estate.community, deemed_consent=True, clause=" ", now=NOW)
    assert exc.value.code == "clause"
    with pytest.raises(Exception):
        svc.voting_rules_set(actor=owners["a"], community=estate.community, deemed_consent=False, clause="", now=NOW)
    assert svc.voting_rules_of(estate.community).deemed_consent is False


def test_a_delivery_needs_proof(estate, owners, staff):
    a = make_assembly(estate, staff)
    with pytest.raises(DomainError) as exc:
        svc.ballot_delivery_record(actor=staff, assembly=a, voter_id=roll_row(a, "甲业主").pk,
                                   delivered_on=NOW.date(), method="registered")
    assert exc.value.code == "proof"


def test_the_threshold_of_requests_is_twenty_percent_rounded_up():
    assert [svc.request_threshold(n) for n in (5, 8, 10, 11)] == [1, 2, 2, 3]


def test_requests_reach_twenty_percent_exactly_and_notify_once(estate, owners, staff, tenant):
    c = estate.community
    for room in ("201", "202"):  # two more owners: 10 heads, 20 % = 2
        unit = UnitFactory(building=estate.buildings["2号楼"], room=room, floor=2, entrance="1单元",
                           floor_area=Decimal("100"))
        make_member(c, "resident", username=f"extra{room}", name=f"新业主{room}", unit=unit)
    co_owner = make_member(c, "resident", username="owner_c", name="丙二", unit=estate.unit("1号楼", "102"))
    assert sel.estate_heads(c) == 10
    assert svc.assembly_request_add(actor=owners["a"], community=c, matter="更换物业", now=NOW)[1]
    assert not svc.assembly_request_add(actor=owners["a"], community=c, matter="再提一次", now=NOW)[1]
    assert not AssemblyCallDue.objects.exists()
    assert svc.assembly_request_add(actor=owners["b"], community=c, matter="更换物业", now=NOW)[1]
    assert not svc.assembly_request_add(actor=co_owner, community=c, matter="同一套房", now=NOW)[1]
    progress = sel.request_progress(community=c)
    assert (progress["count"], progress["needed"], progress["reached"]) == (2, 2, True)
    assert Notification.objects.filter(recipient=staff).count() == 1
    svc.assembly_request_add(actor=owners["d"], community=c, matter="更换物业", now=NOW)
    assert Notification.objects.filter(recipient=staff).count() == 1
    with pytest.raises(DomainError) as exc:
        svc.assembly_request_add(actor=tenant, community=c, matter="租客", now=NOW)
    assert exc.value.code == "not_owner"
    assert AssemblyRequest.objects.count() == 3


def test_calling_the_extraordinary_assembly_answers_the_requests(estate, owners, staff):
    c = estate.community
    svc.assembly_request_add(actor=owners["a"], community=c, matter="更换物业", now=NOW)
    svc.assembly_request_add(actor=owners["b"], community=c, matter="更换物业", now=NOW)  # 2 of 8: reached
    assert AssemblyCallDue.objects.filter(answered_by=None).count() == 1
    a = make_assembly(estate, staff, kind=OwnersAssembly.Kind.EXTRAORDINARY, motions=[("解聘物业服务企业", 4)])
    assert not AssemblyRequest.objects.filter(answered_by=None).exists()
    assert AssemblyCallDue.objects.get().answered_by == a
    assert sel.request_progress(community=c)["count"] == 0
