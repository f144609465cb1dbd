"""The owners' hub's seams (issue 15): the scoped owners' roll, the fund's split and refusals, the hub page."""
from decimal import Decimal

import pytest

from communities.models import Election
from communities.services import elections as core
from communities.services.errors import DomainError
from talents.models import FundEntry, FundFreeze, OwnersAssembly, RepairProject, Scope
from talents.services.assemblies import assembly_create
from talents.services.owners_fund import fund_pay_project, split_by_area

from .owners_world import NOW, at, community, estate, frozen, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db


def _roll(assembly):
    core.election_open(election=assembly.election, actor=assembly.created_by, now=NOW)
    voters = assembly.election.voters.filter(counted=True)
    return voters.count(), sum((v.weight for v in voters), Decimal(0))


@pytest.mark.parametrize("scope,building,entrance,heads,area", [
    (Scope.ESTATE, None, "", 8, Decimal("1100")),
    (Scope.BUILDING, "1号楼", "", 7, Decimal("800")),
    (Scope.ENTRANCE, "1号楼", "1单元", 3, Decimal("400")),
])
def test_the_roll_of_a_vote_is_the_owners_of_its_scope(estate, owners, staff, scope, building, entrance, heads, area):
    assembly = assembly_create(actor=staff, community=estate.community, kind=OwnersAssembly.Kind.REPAIR,
                               title="外墙维修", motions=[("使用维修资金维修外墙", "ordinary")], scope=scope,
                               building=estate.buildings.get(building), entrance=entrance,
                               opens_at=at(0, 9), closes_at=at(10, 18))
    assert assembly.election.rule == Election.Rule.OWNERS
    assert assembly.election.counting == Election.Counting.HEADCOUNT_AND_AREA
    assert _roll(assembly) == (heads, area)


def test_a_scope_outside_the_estate_is_refused(estate, other_estate, staff):
    with pytest.raises(DomainError) as exc:
        assembly_create(actor=staff, community=estate.community, kind=OwnersAssembly.Kind.REPAIR, title="x",
                        scope=Scope.BUILDING, building=other_estate.buildings["1号楼"])
    assert exc.value.code == "building"
    assert not OwnersAssembly.objects.exists() and not Election.objects.exists()


def test_split_by_area_adds_up_to_the_cent(estate):
    units = [estate.unit("1号楼", r) for r in ("101", "102", "201")]  # 100, 80, 120 m²
    parts = split_by_area(Decimal("100.00"), units)
    assert [p for _u, p in parts] == [Decimal("33.33"), Decimal("26.67"), Decimal("40.00")]
    assert sum(p for _u, p in parts) == Decimal("100.00")


def _fund(estate, staff, amount="1000.00"):
    for unit in estate.units.values():
        FundEntry.objects.create(community=estate.community, building=unit.building, unit=unit,
                                 kind=FundEntry.Kind.INITIAL, amount=Decimal(amount), booked_on=NOW.date(),
                                 recorded_by=staff)


def _project(estate, staff, **kw):
    return RepairProject.objects.create(community=estate.community, title="1单元屋面渗漏", kind="leak",
                                        scope=Scope.ENTRANCE, building=estate.buildings["1号楼"], entrance="1单元",
                                        created_by=staff, **kw)


def test_a_payment_is_booked_on_the_sharing_households_by_area(estate, staff):
    _fund(estate, staff)
    rows = fund_pay_project(actor=staff, project=_project(estate, staff), amount=Decimal("400.00"), on=NOW.date())
    assert sorted((r.unit.room, r.amount) for r in rows) == [
        ("101", Decimal("-100.00")), ("102", Decimal("-80.00")), ("201", Decimal("-120.00")),
        ("202", Decimal("-100.00"))]


def test_a_payment_beyond_the_sharing_households_balance_or_while_frozen_is_refused(estate, staff):
    _fund(estate, staff, "100.00")  # the four households of 1单元 hold 400.00
    project = _project(estate, staff)
    with pytest.raises(DomainError) as exc:
        fund_pay_project(actor=staff, project=project, amount=Decimal("400.01"), on=NOW.date())
    assert exc.value.code == "balance"
    FundFreeze.objects.create(community=estate.community, reason="换届移交", conditions="新一届业委会备案",
                              started_on=NOW.date(), created_by=staff)
    with pytest.raises(DomainError) as exc:
        fund_pay_project(actor=staff, project=project, amount=Decimal("10"), on=NOW.date())
    assert exc.value.code == "frozen"
    assert not FundEntry.objects.filter(kind=FundEntry.Kind.PAYMENT).exists()
    project.emergency = True  # the emergency route of art. 73 is open while the fund is frozen
    assert len(fund_pay_project(actor=staff, project=project, amount=Decimal("10"), on=NOW.date())) == 4


def test_only_staff_book_payments(estate, owners, staff):
    _fund(estate, staff)
    with pytest.raises(DomainError):
        fund_pay_project(actor=owners["a"], project=_project(estate, staff), amount=Decimal("1"), on=NOW.date())


def test_the_owners_hub_opens_for_the_estate_and_not_for_another(client, estate, owners, tenant, outsider, frozen):
    client.force_login(tenant)
    page = client.get("/talents/owners/")
    assert page.status_code == 200
    assert "不能参与表决" in page.content.decode()
    client.force_login(owners["a"])
    assert "不能参与表决" not in client.get("/talents/owners/").content.decode()
    client.force_login(outsider)
    assert client.get(f"/talents/owners/?community={estate.community.slug}").status_code == 404


def test_a_committee_term_needs_an_odd_number_a_director_and_three_to_five_years(estate, owners, staff):
    import datetime as dt

    from communities.models import Backbone
    from talents.models import CommitteeTerm
    from talents.services.committee_terms import committee_term_start

    O = Backbone.Office
    start = NOW.date()
    members = [(owners["a"], O.DIRECTOR), (owners["b"], O.COMMITTEE_MEMBER), (owners["d"], O.COMMITTEE_MEMBER)]
    with pytest.raises(DomainError) as exc:  # 1,100 m² ≤ 10,000 m²: three are allowed, four are not (even)
        committee_term_start(actor=staff, community=estate.community, members=members + [(owners["e"], O.COMMITTEE_MEMBER)],
                             started_on=start, ends_on=start.replace(year=start.year + 5))
    assert exc.value.code == "size"
    with pytest.raises(DomainError) as exc:
        committee_term_start(actor=staff, community=estate.community, members=members, started_on=start,
                             ends_on=start.replace(year=start.year + 6))
    assert exc.value.code == "term"
    first = committee_term_start(actor=staff, community=estate.community, members=members, started_on=start,
                                 ends_on=start.replace(year=start.year + 5))
    second = committee_term_start(actor=staff, community=estate.community, members=members,
                                  started_on=start.replace(year=start.year + 5),
                                  ends_on=start.replace(year=start.year + 10))
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.ended_on == second.started_on - dt.timedelta(days=1)
    assert first.end_reason == CommitteeTerm.End.EXPIRED
    assert set(second.team.backbones.values_list("office", flat=True)) == {O.DIRECTOR, O.COMMITTEE_MEMBER}
    with pytest.raises(DomainError):
        committee_term_start(actor=owners["a"], community=estate.community, members=members, started_on=start,
                             ends_on=start.replace(year=start.year + 3))
