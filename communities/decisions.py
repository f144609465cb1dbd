"""Whether a vote is valid and a motion passes: the thresholds of the law, in exact arithmetic.

Pure functions over counts (``int``) and areas (``Decimal``), compared as ``Fraction`` so that exactly
two thirds is two thirds. Sources (``/work/shared/RULES.md``):

- Owners (业主共同决定), Civil Code art. 278: participation by owners holding at least 2/3 of the
  exclusive floor area AND at least 2/3 of the owners; then, among those who took part, more than half of
  both for ordinary matters, at least 3/4 of both for raising the maintenance fund, rebuilding, changing
  the use of common parts (items 6–8). "以上" includes the number itself (Civil Code art. 1259);
  "过半数" does not.
- Villagers' meeting (村民会议), Shanghai's measures under the Village Committee Organisation Law: quorum
  more than half of adult villagers or at least 2/3 of households; decisions by a majority of those
  present. Villagers' representatives' meeting: quorum 2/3 of representatives, majority of those present.
"""
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

HALF, TWO_THIRDS, THREE_QUARTERS = Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)


@dataclass(frozen=True)
class Check:
    """One threshold: ``part`` of ``whole`` against ``need`` (strictly more when ``strict``)."""
    label: str
    part: str
    whole: str
    need: str  # "2/3"
    strict: bool
    met: bool

    def as_dict(self) -> dict:
        return asdict(self)


def _frac(value) -> Fraction:
    return Fraction(Decimal(value)) if not isinstance(value, int) else Fraction(value)


def reaches(part, whole, need: Fraction, *, strict: bool) -> bool:
    """part/whole ≥ need (or > need when strict); nothing of nothing reaches no threshold."""
    whole = _frac(whole)
    if whole <= 0:
        return False
    share = _frac(part) / whole
    return share > need if strict else share >= need


def check(label: str, part, whole, need: Fraction, *, strict: bool) -> Check:
    return Check(label=label, part=str(part), whole=str(whole), need=f"{need.numerator}/{need.denominator}",
                 strict=strict, met=reaches(part, whole, need, strict=strict))


def owners_participation(*, voted: int, eligible: int, voted_area, eligible_area) -> list[Check]:
    """Art. 278 para. 2: at least 2/3 of the owners and of the exclusive area took part."""
    return [
        check(_("参与表决人数达到业主总人数三分之二以上"), voted, eligible, TWO_THIRDS, strict=False),
        check(_("参与表决专有面积达到总面积三分之二以上"), voted_area, eligible_area, TWO_THIRDS, strict=False),
    ]


def owners_approval(*, special: bool, yes: int, voted: int, yes_area, voted_area) -> list[Check]:
    """Art. 278 para. 2, counted among those who took part: 3/4 or more of both (items 6–8), else more
    than half of both."""
    if special:
        return [
            check(_("同意人数达到参与表决人数四分之三以上"), yes, voted, THREE_QUARTERS, strict=False),
            check(_("同意面积达到参与表决面积四分之三以上"), yes_area, voted_area, THREE_QUARTERS, strict=False),
        ]
    return [
        check(_("同意人数超过参与表决人数的一半"), yes, voted, HALF, strict=True),
        check(_("同意面积超过参与表决面积的一半"), yes_area, voted_area, HALF, strict=True),
    ]


def villagers_quorum(*, present: int, adults: int, households_present: int, households: int) -> list[Check]:
    """Either test suffices: more than half of adult villagers, or 2/3 of households (see ``quorum_met``)."""
    return [
        check(_("到会村民超过本村十八周岁以上村民的一半"), present, adults, HALF, strict=True),
        check(_("到会户数达到本村户数的三分之二以上"), households_present, households, TWO_THIRDS, strict=False),
    ]


def representatives_quorum(*, present: int, representatives: int) -> list[Check]:
    return [check(_("到会村民代表达到三分之二以上"), present, representatives, TWO_THIRDS, strict=False)]


def majority_of_present(*, yes: int, present: int) -> list[Check]:
    return [check(_("同意人数超过到会人数的一半"), yes, present, HALF, strict=True)]


def quorum_met(rule: str, checks: list[Check]) -> bool:
    """The village meeting's two quorum tests are alternatives; every other list must all be met."""
    if rule == "villagers":
        return any(c.met for c in checks)
    return all(c.met for c in checks)
