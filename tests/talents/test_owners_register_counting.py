"""The owner register's counting by the law (SPC interpretation on building co-ownership, arts. 8–9), on the
world's hand-counted estate (``owners_world``'s docstring) and its edge cases; the same figures as the core roll."""
from decimal import Decimal

import pytest

from communities.electorates import owners_roll
from communities.models import Residency, Unit
from talents.models import AreaRecord
from talents.selectors.owners_register import mask_name, register_rows, register_summary

from ..factories import PersonFactory, ResidencyFactory
from .owners_world import estate, owners  # noqa: F401

pytestmark = pytest.mark.django_db
OWNER = Residency.Relation.OWNER


def _summary(community, building=None):
    return register_summary(register_rows(community=community, building=building))


def test_the_whole_estate_counts_eight_heads_and_1100_square_metres(estate, owners):
    s = _summary(estate.community)
    assert (s.heads, s.area) == (8, Decimal("1100"))
    assert (s.units, s.owned_units, s.owner_persons) == (10, 8, 8)  # 甲 owns two, 乙 and 丙 share one
    assert (s.developer_units, s.developer_area) == (2, Decimal("260"))
    assert (s.co_owned_units, s.multi_unit_heads) == (1, 1)
    areas = sorted(g["area"] for g in s.groups)
    assert areas == [Decimal(a) for a in ("80", "90", "95", "100", "105", "150", "220")]


def test_one_building_counts_its_own_owners_and_its_developer_units(estate, owners):
    s = _summary(estate.community, estate.buildings["1号楼"])
    assert (s.heads, s.area, s.developer_units) == (7, Decimal("800"), 1)


def test_the_register_agrees_with_the_core_roll(estate, owners):
    roll = [v for v in owners_roll(None, Unit.objects.filter(building__community=estate.community)) if v.counted]
    s = _summary(estate.community)
    assert (len(roll), sum(v.weight for v in roll)) == (s.heads, s.area)


def test_a_co_owner_who_owns_another_unit_alone_joins_the_two_groups(estate, owners):
    # 丁 (202, 100 m²) becomes a co-owner of 戊's 103 (90 m²): 丁 and 戊 are one head with 190 m².
    ResidencyFactory(person=owners["d"].person, unit=estate.unit("1号楼", "103"), relation=OWNER)
    s = _summary(estate.community)
    assert (s.heads, s.area) == (7, Decimal("1100"))
    joined = [g for g in s.groups if len(g["units"]) == 2 and len(g["persons"]) == 2]
    assert [g["area"] for g in joined] == [Decimal("190")]


def test_a_chain_of_co_ownership_is_one_head(estate, owners):
    # 丙 (co-owner of 102 with 乙) also co-owns 辛's 2号楼101: 乙, 丙 and 辛 are one head, 80 + 150 m².
    bing = Residency.objects.get(unit=estate.unit("1号楼", "102"), person__name="丙业主").person
    ResidencyFactory(person=bing, unit=estate.unit("2号楼", "101"), relation=OWNER)
    s = _summary(estate.community)
    assert s.heads == 7
    assert Decimal("230") in [g["area"] for g in s.groups]


def test_developer_units_count_as_one_head_however_many(estate, owners):
    # 己 sells 203 back to the developer (moved out): three unsold units, still one head.
    Residency.objects.filter(unit=estate.unit("1号楼", "203")).update(moved_out="2026-03-01")
    AreaRecord.objects.create(unit=estate.unit("1号楼", "203"), developer_held=True)
    s = _summary(estate.community)
    assert (s.heads, s.developer_units, s.developer_area) == (7, 3, Decimal("355"))
    row = next(r for r in register_rows(community=estate.community) if r.unit.room == "203")
    assert row.developer_held and row.problem == ""


def test_a_unit_without_owner_or_flag_is_shown_as_a_problem(estate, owners):
    AreaRecord.objects.create(unit=estate.unit("1号楼", "104"))
    row = next(r for r in register_rows(community=estate.community) if r.unit.room == "104")
    assert "开发商" in row.problem
    ResidencyFactory(person=PersonFactory(), unit=estate.unit("1号楼", "104"), relation=OWNER)
    AreaRecord.objects.filter(unit=estate.unit("1号楼", "104")).update(developer_held=True)
    row = next(r for r in register_rows(community=estate.community) if r.unit.room == "104")
    assert row.problem == "已有业主，却标为开发商未售"


def test_tenants_and_family_are_not_owners(estate, owners):
    ResidencyFactory(person=PersonFactory(), unit=estate.unit("1号楼", "104"), relation=Residency.Relation.TENANT)
    ResidencyFactory(person=PersonFactory(), unit=estate.unit("1号楼", "101"), relation=Residency.Relation.FAMILY)
    assert _summary(estate.community).heads == 8


def test_buildings_come_in_natural_order(estate):
    from tests.factories import BuildingFactory, UnitFactory

    UnitFactory(building=BuildingFactory(community=estate.community, name="10号楼"), room="101", floor=1)
    names = [r.unit.building.name for r in register_rows(community=estate.community)]
    assert names.index("2号楼") < names.index("10号楼")


def test_names_are_masked_to_the_first_character():
    assert [mask_name(n) for n in ("张三", "欧阳娜娜", "", " 李")] == ["张*", "欧*", "", "李*"]


def test_the_demo_seeder_does_nothing_without_junyuan(estate):
    from talents.demo.owners_register import demo_owners_register_seed

    assert demo_owners_register_seed() == {}
    assert not AreaRecord.objects.exists()
