"""Who a class is for, decided on a given day: the audience rule the enrolment form and every offer check.

A child's age comes from their birth year and month (``ChildProfile``; no day is kept): on a day in their
birth month they count as having had their birthday. An adult's age from ``Person.birth_date`` when it is
recorded; an adult whose birth date nobody recorded is not refused for it (we do not collect it for this).
"""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Entrant:
    """A person as the audience rule sees them."""
    person_id: int
    name: str
    is_child: bool
    birth_year: int | None = None
    birth_month: int | None = None  # 1–12; with an adult's recorded birth date, its month
    birth_day: int | None = None

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_year is None:
            return None
        had_birthday = (day.month, day.day) >= (self.birth_month or 1, self.birth_day or 1)
        return day.year - self.birth_year - (0 if had_birthday else 1)


def entrant_of(person) -> Entrant:
    """An ``Entrant`` of a Person (with ``child_profile`` loaded, or absent)."""
    profile = getattr(person, "child_profile", None) if _has_profile(person) else None
    if profile is not None:
        return Entrant(person.pk, person.name, True, profile.birth_year, profile.birth_month)
    born = person.birth_date
    return Entrant(person.pk, person.name, False, born.year if born else None, born.month if born else None,
                   born.day if born else None)


def _has_profile(person) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        person.child_profile
    except ObjectDoesNotExist:
        return False
    return True


def _in_range(age, low, high) -> bool:
    return (low is None or age >= low) and (high is None or age <= high)


def _range_words(talent_class) -> str:
    low, high = talent_class.age_min, talent_class.age_max
    if low is not None and high is not None:
        return _("%(low)s–%(high)s 岁") % {"low": low, "high": high}
    if low is not None:
        return _("%(low)s 岁以上") % {"low": low}
    return _("%(high)s 岁以下") % {"high": high}


def audience_refusal(talent_class, entrants: list[Entrant], *, on: dt.date) -> str:
    """Why these people may not take this class on ``on`` (a Chinese sentence), or "" when they may."""
    from .models import TalentClass

    A = TalentClass.Audience
    children = [e for e in entrants if e.is_child]
    ranged = talent_class.age_min is not None or talent_class.age_max is not None
    if talent_class.audience == A.CHILDREN:
        if not children:
            return _("这是儿童课程：请选择要报名的孩子（监护人可以一起报名陪同）。")
        checked = children
    elif talent_class.audience == A.ELDERS:
        if children:
            return _("这是长者课程，孩子不能报名。")
        checked = entrants
    else:
        checked = entrants
    if not ranged:
        return ""
    for entrant in checked:
        age = entrant.age_on(on)
        if age is None:
            if entrant.is_child:
                return _("%(name)s 没有登记出生年月，无法确认年龄。") % {"name": entrant.name}
            continue
        if not _in_range(age, talent_class.age_min, talent_class.age_max):
            return _("%(name)s 在 %(day)s 时 %(age)s 岁，不在本课程的年龄范围（%(range)s）内。") % {
                "name": entrant.name, "day": f"{on:%Y-%m-%d}", "age": age, "range": _range_words(talent_class)}
    return ""
