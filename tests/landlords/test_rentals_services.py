"""Registering tenants moving in and out, declaring rooms: the services, with their refusals."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from communities.models import Notification, Person, Residency
from communities.services.errors import DomainError
from landlords.models import RentalDeclaration, TenantRegistration
from landlords.models.rentals import registration_is_late
from landlords.services.rentals import rental_declare, tenant_move_out, tenant_register

from .rentals_helpers import SHANGHAI, clock, landlord2, let_unit2, register  # noqa: F401

pytestmark = pytest.mark.django_db


def test_move_in_creates_person_residency_and_registration(clock, let_unit, landlord, committee_staff):
    registration, created = tenant_register(actor=landlord, unit=let_unit, name=" 张三 ", phone="138 0013 8000",
                                            moved_in=dt.date(2026, 6, 14))
    assert created
    person = registration.residency.person
    assert (person.name, person.phone) == ("张三", "13800138000")
    assert registration.residency.relation == Residency.Relation.TENANT
    assert registration.residency.moved_in == registration.moved_in == dt.date(2026, 6, 14)
    assert registration.sublandlord == landlord.person and registration.registered_by == landlord
    assert not registration.is_late
    note = Notification.objects.get(recipient=committee_staff)
    assert "张三" in note.title and "138" not in note.title + note.body
    assert note.url == f"/landlords/rentals/registrations/{registration.pk}/"


def test_every_committee_staff_member_is_told_of_move_in_and_out(clock, community, let_unit, landlord,
                                                                 committee_staff, party_secretary):
    from communities.models import Role
    from tests.factories import make_member
    staff2 = make_member(community, Role.COMMITTEE_STAFF, username="staff2")
    registration, _ = register(landlord, let_unit)
    tenant_move_out(actor=landlord, registration_id=registration.pk, moved_out=dt.date(2026, 6, 15))
    for user in (committee_staff, staff2):
        titles = list(Notification.objects.filter(recipient=user).values_list("title", flat=True))
        assert len(titles) == 2 and any("入住" in t for t in titles) and any("迁出" in t for t in titles)
    assert not Notification.objects.filter(recipient=party_secretary).exists()


def _lives_in(community, *, name, phone):
    from tests.factories import BuildingFactory, ResidencyFactory, UnitFactory
    unit = UnitFactory(building=BuildingFactory(community=community))
    return ResidencyFactory(person=Person.objects.create(name=name, phone=phone), unit=unit).person


def test_a_person_of_the_community_known_by_phone_and_name_is_reused(clock, community, let_unit, landlord):
    known = _lives_in(community, name="张三", phone="13800138000")
    registration, created = register(landlord, let_unit, name=" 张三", phone="13800138000")
    assert created and registration.residency.person == known
    assert Person.objects.filter(phone="13800138000").count() == 1


def test_a_phone_of_this_community_under_another_name_creates_nothing(clock, community, let_unit, landlord,
                                                                     committee_staff):
    _lives_in(community, name="张三", phone="13800138000")
    with pytest.raises(DomainError, match="姓名与您填写的不一致") as refused:
        register(landlord, let_unit, name="李四", phone="13800138000")
    assert "张三" not in str(refused.value.message)
    assert not TenantRegistration.objects.exists() and not Residency.objects.filter(unit=let_unit).exists()
    assert not Notification.objects.filter(recipient=committee_staff).exists()


def test_a_resident_of_another_community_with_the_same_phone_is_never_registered(clock, let_unit, landlord,
                                                                                 other_community):
    elsewhere = _lives_in(other_community, name="王五", phone="13900001234")
    for name in ("王五", "王小五"):  # even with the right name: they are not this community's to register
        with pytest.raises(DomainError, match="不能在本社区登记") as refused:
            register(landlord, let_unit, name=name, phone="13900001234")
        assert "王五" not in str(refused.value.message)
    assert not TenantRegistration.objects.exists()
    assert list(Residency.objects.filter(person=elsewhere).values_list("unit__building__community", flat=True)) == [
        other_community.pk]


def test_double_submission_registers_once(clock, let_unit, landlord, committee_staff):
    first, created1 = register(landlord, let_unit, phone="13800138000")
    second, created2 = register(landlord, let_unit, phone="+86-138-0013-8000")
    assert (created1, created2) == (True, False) and first == second
    assert TenantRegistration.objects.count() == 1 and Residency.objects.filter(unit=let_unit).count() == 1
    assert Notification.objects.filter(recipient=committee_staff).count() == 1


@pytest.mark.parametrize("kwargs,code", [
    ({"phone": "12345"}, "phone"),
    ({"phone": ""}, "phone"),
    ({"name": "  "}, "name"),
    ({"moved_in": dt.date(2026, 6, 16)}, "moved_in"),   # tomorrow
    ({"moved_in": dt.date(2025, 6, 14)}, "moved_in"),   # 366 days back
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(clock, let_unit, landlord, kwargs, code):
    data = {"name": "张三", "phone": "13800138000", "moved_in": dt.date(2026, 6, 15), **kwargs}
    with pytest.raises(DomainError) as exc:
        tenant_register(actor=landlord, unit=let_unit, **data)
    assert exc.value.code == code and str(exc.value.message)
    assert not TenantRegistration.objects.exists() and not Person.objects.filter(phone="13800138000").exists()


def test_move_in_a_year_back_is_accepted(clock, let_unit, landlord):
    registration, _ = register(landlord, let_unit, moved_in=dt.date(2025, 6, 15))
    assert registration.is_late


def test_another_sublandlords_unit_is_refused(clock, let_unit, landlord2):
    with pytest.raises(PermissionDenied):
        register(landlord2, let_unit)
    assert not TenantRegistration.objects.exists()


def test_staff_and_tenants_do_not_register_tenants(clock, let_unit, committee_staff, tenant):
    for user in (committee_staff, tenant):
        with pytest.raises(PermissionDenied):
            register(user, let_unit)


# --- the late flag: more than 3 Shanghai calendar days after the move-in -----------------------------

@pytest.mark.parametrize("registered,late", [
    (dt.datetime(2026, 6, 4, 23, 59, tzinfo=SHANGHAI), False),  # 3 days after
    (dt.datetime(2026, 6, 5, 0, 0, tzinfo=SHANGHAI), True),     # 4 days after
    # 16:30 UTC on the 4th is 00:30 on the 5th in Shanghai: late, although the UTC date says 3 days
    (dt.datetime(2026, 6, 4, 16, 30, tzinfo=dt.timezone.utc), True),
    (dt.datetime(2026, 6, 4, 15, 59, tzinfo=dt.timezone.utc), False),
    (dt.datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI), False),    # same day
])
def test_late_flag_counts_shanghai_days(registered, late):
    assert registration_is_late(moved_in=dt.date(2026, 6, 1), registered_at=registered) is late


@pytest.mark.parametrize("days,late", [(3, False), (4, True)])
def test_registration_stores_the_late_flag(clock, let_unit, landlord, days, late):
    registration, _ = register(landlord, let_unit, moved_in=dt.date(2026, 6, 15) - dt.timedelta(days=days))
    registration.refresh_from_db()
    assert registration.is_late is late


# --- move-out ----------------------------------------------------------------------------------------

def test_move_out_ends_the_residency_and_is_harmless_twice(clock, let_unit, landlord, committee_staff):
    registration, _ = register(landlord, let_unit, moved_in=dt.date(2026, 6, 1))
    reg, changed = tenant_move_out(actor=landlord, registration_id=registration.pk, moved_out=dt.date(2026, 6, 10))
    assert changed and reg.moved_out == dt.date(2026, 6, 10) and reg.move_out_registered_at == clock.now
    assert Residency.objects.get(pk=registration.residency_id).moved_out == dt.date(2026, 6, 10)
    _, changed = tenant_move_out(actor=landlord, registration_id=registration.pk, moved_out=dt.date(2026, 6, 12))
    assert not changed
    assert TenantRegistration.objects.get(pk=registration.pk).moved_out == dt.date(2026, 6, 10)
    assert Notification.objects.filter(recipient=committee_staff, title__contains="迁出").count() == 1


@pytest.mark.parametrize("moved_out", [dt.date(2026, 5, 31), dt.date(2026, 6, 16)])
def test_move_out_before_move_in_or_in_the_future_is_refused(clock, let_unit, landlord, moved_out):
    registration, _ = register(landlord, let_unit, moved_in=dt.date(2026, 6, 1))
    with pytest.raises(DomainError):
        tenant_move_out(actor=landlord, registration_id=registration.pk, moved_out=moved_out)
    assert TenantRegistration.objects.get(pk=registration.pk).moved_out is None
    assert Residency.objects.get(pk=registration.residency_id).moved_out is None


def test_move_out_on_the_move_in_day_is_accepted(clock, let_unit, landlord):
    registration, _ = register(landlord, let_unit, moved_in=dt.date(2026, 6, 15))
    assert tenant_move_out(actor=landlord, registration_id=registration.pk, moved_out=dt.date(2026, 6, 15))[1]


def test_another_sublandlord_cannot_register_a_move_out(clock, let_unit, landlord, landlord2):
    registration, _ = register(landlord, let_unit)
    with pytest.raises(PermissionDenied):
        tenant_move_out(actor=landlord2, registration_id=registration.pk, moved_out=dt.date(2026, 6, 15))


def test_a_tenant_who_moved_out_can_be_registered_again(clock, let_unit, landlord):
    first, _ = register(landlord, let_unit, phone="13800138000", moved_in=dt.date(2026, 6, 1))
    tenant_move_out(actor=landlord, registration_id=first.pk, moved_out=dt.date(2026, 6, 5))
    second, created = register(landlord, let_unit, phone="13800138000", moved_in=dt.date(2026, 6, 14))
    assert created and second != first and second.residency.person == first.residency.person


# --- rooms declared -------------------------------------------------------------------------------------

def test_declare_rooms_then_repeat_changes_nothing(let_unit, landlord):
    declaration, changed = rental_declare(actor=landlord, unit=let_unit, rooms=3, partitions_note=" 客厅隔出一间 ")
    assert changed and declaration.rooms == 3 and declaration.partitions_note == "客厅隔出一间"
    assert not rental_declare(actor=landlord, unit=let_unit, rooms=3, partitions_note="客厅隔出一间")[1]
    assert rental_declare(actor=landlord, unit=let_unit, rooms=2)[1]
    assert RentalDeclaration.objects.get(unit=let_unit).rooms == 2
    let_unit.refresh_from_db()
    assert let_unit.capacity == 2  # the capacity is the committee's, never the landlord's


def test_declare_needs_at_least_one_room_and_own_unit(let_unit, landlord, landlord2):
    with pytest.raises(DomainError):
        rental_declare(actor=landlord, unit=let_unit, rooms=0)
    with pytest.raises(PermissionDenied):
        rental_declare(actor=landlord2, unit=let_unit, rooms=2)
    assert not RentalDeclaration.objects.exists()
