"""The thresholds of Civil Code art. 278 and the village quorum, by hand-computed boundary cases."""
from decimal import Decimal

from communities import decisions as d


def _met(checks):
    return [c.met for c in checks]


def test_participation_exactly_two_thirds_is_enough():
    # 6 of 9 owners, 200.00 of 300.00 m²: exactly 2/3 of both ("以上" includes the number, art. 1259).
    assert _met(d.owners_participation(voted=6, eligible=9, voted_area=Decimal("200.00"),
                                       eligible_area=Decimal("300.00"))) == [True, True]
    # 5 of 9 owners is below; 199.99 of 300 m² is below.
    assert _met(d.owners_participation(voted=5, eligible=9, voted_area=Decimal("199.99"),
                                       eligible_area=Decimal("300.00"))) == [False, False]


def test_ordinary_matter_exactly_half_is_not_more_than_half():
    # 3 of 6 participants and 150 of 300 m²: exactly half, not "过半数".
    assert _met(d.owners_approval(special=False, yes=3, voted=6, yes_area=Decimal(150),
                                  voted_area=Decimal(300))) == [False, False]
    assert _met(d.owners_approval(special=False, yes=4, voted=6, yes_area=Decimal("150.01"),
                                  voted_area=Decimal(300))) == [True, True]


def test_special_matter_exactly_three_quarters_passes():
    # 6 of 8 participants, 225 of 300 m²: exactly 3/4 of both.
    assert _met(d.owners_approval(special=True, yes=6, voted=8, yes_area=Decimal(225),
                                  voted_area=Decimal(300))) == [True, True]
    # 5 of 8 and 224.99 of 300: short on both.
    assert _met(d.owners_approval(special=True, yes=5, voted=8, yes_area=Decimal("224.99"),
                                  voted_area=Decimal(300))) == [False, False]


def test_no_participants_meets_nothing():
    assert _met(d.owners_approval(special=False, yes=0, voted=0, yes_area=0, voted_area=0)) == [False, False]


def test_village_quorum_either_test_suffices():
    # 50 of 100 adults is exactly half (not more); 20 of 30 households is exactly 2/3: quorate.
    checks = d.villagers_quorum(present=50, adults=100, households_present=20, households=30)
    assert _met(checks) == [False, True] and d.quorum_met("villagers", checks)
    checks = d.villagers_quorum(present=50, adults=100, households_present=19, households=30)
    assert not d.quorum_met("villagers", checks)
    checks = d.villagers_quorum(present=51, adults=100, households_present=0, households=30)
    assert d.quorum_met("villagers", checks)


def test_representatives_quorum_and_majority_of_present():
    assert _met(d.representatives_quorum(present=20, representatives=30)) == [True]
    assert _met(d.representatives_quorum(present=19, representatives=30)) == [False]
    assert _met(d.majority_of_present(yes=10, present=20)) == [False]
    assert _met(d.majority_of_present(yes=11, present=20)) == [True]
