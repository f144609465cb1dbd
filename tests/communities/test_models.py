"""Constraints live in the database, not only in forms."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communities.models import Person, Residency, Unit, mask_phone, normalize_phone

from ..factories import PersonFactory, ResidencyFactory, UnitFactory


@pytest.mark.parametrize("raw,stored", [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("+86-138-0013-8000", "13800138000"),
    ("0086 13800138000", "13800138000"),
    ("021-6688 1234", "02166881234"),
    ("", ""),
])
def test_phone_is_normalised(raw, stored):
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize("raw", ["12345", "1380013800", "23800138000", "abc", "138001380001"])
def test_bad_phone_is_refused_in_chinese(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert "手机号码格式不正确" in str(exc.value)


def test_phone_mask():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("02166881234") == "021****1234"
    assert mask_phone("") == ""


def _violates(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        kwargs.pop("factory")(**kwargs)


def test_phone_is_stored_once(db):
    PersonFactory(phone="13800138000")
    _violates(factory=PersonFactory, phone="13800138000")
    PersonFactory(phone="")
    PersonFactory(phone="")  # many people may have no phone on record


def test_one_active_residency_per_person_and_unit(db):
    first = ResidencyFactory()
    _violates(factory=ResidencyFactory, person=first.person, unit=first.unit)
    first.moved_out = dt.date(2025, 6, 1)
    first.save()
    ResidencyFactory(person=first.person, unit=first.unit, moved_in=dt.date(2025, 7, 1))  # moved back in


def test_move_out_cannot_precede_move_in(db):
    _violates(factory=ResidencyFactory, moved_in=dt.date(2025, 6, 1), moved_out=dt.date(2025, 5, 1))


def test_only_a_let_unit_has_a_sublandlord(db):
    landlord = PersonFactory()
    _violates(factory=UnitFactory, is_let=False, sublandlord=landlord)
    assert UnitFactory(is_let=True, sublandlord=landlord).sublandlord == landlord


def test_unit_room_is_unique_in_its_building(db):
    unit = UnitFactory(room="101")
    _violates(factory=UnitFactory, building=unit.building, room="101")


@pytest.mark.parametrize("field,value", [("floor_area", Decimal("-1")), ("capacity", 0)])
def test_unit_figures_are_sane(db, field, value):
    _violates(factory=UnitFactory, **{field: value})


def test_sublandlord_cannot_be_deleted_while_letting(db):
    landlord = PersonFactory()
    UnitFactory(is_let=True, sublandlord=landlord)
    with pytest.raises(Exception), transaction.atomic():
        landlord.delete()
    assert Person.objects.filter(pk=landlord.pk).exists()
    assert Unit.objects.filter(sublandlord=landlord).exists()


def test_rejected_registration_needs_a_reason(db, unit):
    from communities.models import RegistrationRequest

    from ..factories import UserFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationRequest.objects.create(user=UserFactory(), unit=unit, name="x", phone="13800000000",
                                           relation="owner", moved_in=dt.date(2025, 1, 1), status="rejected")
    assert Residency.objects.count() == 0


@pytest.mark.parametrize("text, found", [
    ("13800138000", True), ("138 0013 8000", True), ("１３８００１３８０００", True), ("+86-138-0013-8000", True),
    ("021 6688 1234", True), ("2号楼301室 vs 403室租客", False), ("2026-11-08 19:00 调解", False),
    ("1号楼 1301室和1302室", False), ("房租 3500 元，押金 7000 元", False), ("", False),
])
def test_contains_phone_sees_through_spacing_and_full_width_digits(text, found):
    from communities.models.people import contains_phone

    assert contains_phone(text) is found
