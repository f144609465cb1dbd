"""Electorate providers (communities.electorates): who is on the roll, with what weight, who votes as one.
Every expected roll is worked out by hand in the test's docstring."""
import datetime as dt
from decimal import Decimal

import pytest

from communities import electorates
from communities.models import Election, Residency
from tests.factories import BuildingFactory

from .vote_world import NOW, SHANGHAI, owner_of, person_in, unit

F = Residency.Relation.FAMILY


def _election(community, electorate, staff):
    return Election(community=community, electorate=electorate, created_by=staff,
                    counting=Election.Counting.HEADCOUNT_AND_AREA)


def _roll(rows):
    """(name, counted, weight, grouped) per row, in the provider's order."""
    return [(row.name(), row.counted, row.weight, bool(row.share_key)) for row in rows]


def test_owners_of_units_hand_computed(community, building, committee_staff, other_community):
    """U1 60 and U3 100 belong to A: one head, 160 m². U2 80 is co-owned by B and C, and C alone owns U8 30:
    B and C vote as one, 110 m². D (no account) owns U4 50; F moved out of U4 and is not an owner now.
    U5 90 and U6 40 are unsold: the developer, one head, 130 m². T rents in U1 and is no owner.
    Heads 4 (A, B+C, D, developer); area 160 + 110 + 50 + 130 = 450."""
    u1, u2, u3, u4, u5, u6, u8 = (unit(building, a) for a in (60, 80, 100, 50, 90, 40, 30))
    a = owner_of(community, u1, u3, username="a")
    b = owner_of(community, u2, username="b")
    c = owner_of(community, u2, u8, username="c")
    person_in(u4, name="D")
    gone = person_in(u4, name="F")
    gone.residencies.update(moved_out=dt.date(2025, 1, 1))
    owner_of(community, u1, username="t", relation=Residency.Relation.TENANT)
    # a unit in another community is not on this roll
    unit(BuildingFactory(community=other_community), 999)

    roll = electorates.unit_owners(_election(community, "unit_owners", committee_staff), NOW)
    assert _roll(roll) == [
        ("a", True, Decimal("160.00"), False),
        ("b", True, Decimal("110.00"), True), ("c", False, Decimal(0), True),
        ("D", True, Decimal("50.00"), False),
        ("开发商（未售房屋 2 套）", True, Decimal("130.00"), False),
    ]
    assert roll[1].share_key == roll[2].share_key != ""
    assert [r.user_id for r in roll] == [a.pk, b.pk, c.pk, None, None]
    assert sum(r.counted for r in roll) == 4 and sum(r.weight for r in roll) == Decimal(450)


def test_an_owner_without_an_active_account_votes_on_paper(community, building, committee_staff):
    u = unit(building, 70)
    user = owner_of(community, u, username="inactive")
    user.is_active = False
    user.save(update_fields=["is_active"])
    (row,) = electorates.unit_owners(_election(community, "unit_owners", committee_staff), NOW)
    assert row.user is None and row.person == user.person and row.weight == Decimal(70)


@pytest.fixture
def villagers(village):
    """Household 1: 王 (owner, born 1970), 王小 (family, born 2008-06-15: 18 today), 王幼 (family, born
    2008-06-16: 17 today). Household 2: 李 (owner, no birth date: of age, a reading), 李子 (family, no birth
    date: not counted). Household 3: only a tenant 周 (born 1980), who is no villager."""
    group = BuildingFactory(community=village, name="一组")
    h1, h2, h3 = unit(group, 0, "1号"), unit(group, 0, "2号"), unit(group, 0, "3号")
    owner_of(village, h1, username="wang", name="王", born=dt.date(1970, 3, 1))
    person_in(h1, name="王小", relation=F, born=dt.date(2008, 6, 15))
    person_in(h1, name="王幼", relation=F, born=dt.date(2008, 6, 16))
    person_in(h2, name="李")
    person_in(h2, name="李子", relation=F)
    person_in(h3, name="周", relation=Residency.Relation.TENANT, born=dt.date(1980, 1, 1))
    return h1, h2, h3


def test_village_adults_hand_computed(village, villagers, station_staff):
    """Adults on 15 June 2026: 王, 王小 (18 that day), 李. Three votes in two households."""
    h1, h2, _h3 = villagers
    roll = electorates.village_adults(_election(village, "village_adults", station_staff), NOW)
    assert [(r.name(), r.counted, r.household) for r in roll] == [
        ("王", True, str(h1.pk)), ("王小", True, str(h1.pk)), ("李", True, str(h2.pk))]


def test_village_households_one_vote_each(village, villagers, station_staff):
    """Two households with adults: two heads; any adult of a household may cast its vote."""
    h1, h2, _h3 = villagers
    roll = electorates.village_households(_election(village, "village_households", station_staff), NOW)
    assert [(r.name(), r.counted, r.share_key) for r in roll] == [
        ("王", True, f"unit:{h1.pk}"), ("王小", False, f"unit:{h1.pk}"), ("李", True, f"unit:{h2.pk}")]


def test_the_day_before_the_eighteenth_birthday_is_not_of_age(village, villagers, station_staff):
    """On 14 June 2026 王小 is 17: the roll has 王 and 李 only."""
    day_before = dt.datetime(2026, 6, 14, 23, 30, tzinfo=SHANGHAI)
    roll = electorates.village_adults(_election(village, "village_adults", station_staff), day_before)
    assert [r.name() for r in roll] == ["王", "李"]


def test_adult_cutoff_in_shanghai_and_on_29_february():
    # 16:30 UTC on 14 June is already 15 June in Shanghai.
    assert electorates.adult_cutoff(dt.datetime(2026, 6, 14, 16, 30, tzinfo=dt.timezone.utc)) == dt.date(2008, 6, 15)
    assert electorates.adult_cutoff(dt.datetime(2028, 2, 29, 12, 0, tzinfo=SHANGHAI)) == dt.date(2010, 2, 28)


def test_providers_offered_by_community_kind(community, village):
    core = lambda c: {k for k, _ in electorates.choices(c) if "." not in k}  # noqa: E731 - apps' keys have a dot
    assert core(community) == {"role", "unit_owners"}
    assert core(village) == {"role", "village_adults", "village_households"}
    # an app's provider for residential estates (郡园's owners by scope) is offered there only
    assert "talents.owners" in dict(electorates.choices(community))
    assert "talents.owners" not in dict(electorates.choices(village))
    with pytest.raises(LookupError):
        electorates.get("nobody")


def test_an_app_adds_its_electorate_through_the_door_under_its_own_name():
    from django.core.exceptions import ImproperlyConfigured

    from communities import electorates, extensions

    def roll(election, now):
        return []

    with pytest.raises(ImproperlyConfigured):
        extensions.register_electorate("talents", "squad_members", "小分队成员", roll)
    extensions.register_electorate("talents", "talents.test_squad", "小分队成员", roll)
    try:
        assert ("talents.test_squad", "小分队成员") in electorates.choices()
        assert electorates.get("talents.test_squad").build is roll
    finally:
        electorates._REGISTRY.pop("talents.test_squad", None)
