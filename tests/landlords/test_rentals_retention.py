"""Tenant records are anonymised TENANT_RECORD_RETENTION_MONTHS after move-out (task, command, service)."""
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from communities.models import AuditEvent, Person, Residency
from landlords.models import TenantRegistration
from landlords.models.rentals import ANONYMISED_NAME
from landlords.services.rentals import tenant_move_out
from landlords.services.tenant_retention import tenant_records_anonymise
from tests.factories import ResidencyFactory, UnitFactory, UserFactory

from .rentals_helpers import clock, register  # noqa: F401

pytestmark = pytest.mark.django_db


def moved_out_on(clock, landlord, unit, day, **kwargs):
    """A tenant registered and moved out on ``day`` (the clock is put back to 2026-06-15 afterwards)."""
    clock.set(day.year, day.month, day.day, 12, 0)
    registration, _ = register(landlord, unit, moved_in=day, **kwargs)
    tenant_move_out(actor=landlord, registration_id=registration.pk, moved_out=day)
    clock.set(2026, 6, 15, 10, 0)
    return registration


def test_cut_off_is_six_months_by_default(clock, let_unit, landlord):
    old = moved_out_on(clock, landlord, let_unit, dt.date(2025, 12, 14))    # one day before the cut-off
    edge = moved_out_on(clock, landlord, let_unit, dt.date(2025, 12, 15))   # exactly six months: kept
    report = tenant_records_anonymise()
    assert report.cutoff == dt.date(2025, 12, 15) and (report.registrations, report.people) == (1, 1)
    old.refresh_from_db(), edge.refresh_from_db()
    assert old.anonymised_at == clock.now and edge.anonymised_at is None
    person = Person.objects.get(pk=old.residency.person_id)
    assert (person.name, person.phone) == (ANONYMISED_NAME, "")
    assert Person.objects.get(pk=edge.residency.person_id).phone
    # the unit and dates stay, so counts still add up
    assert Residency.objects.get(pk=old.residency_id).moved_out == dt.date(2025, 12, 14)


@override_settings(TENANT_RECORD_RETENTION_MONTHS=1)
def test_setting_changes_the_cut_off(clock, let_unit, landlord):
    moved_out_on(clock, landlord, let_unit, dt.date(2026, 5, 14))
    assert tenant_records_anonymise().registrations == 1


def test_active_tenants_are_never_touched(clock, let_unit, landlord):
    clock.set(2025, 6, 20, 9, 0)
    active, _ = register(landlord, let_unit, moved_in=dt.date(2025, 6, 20))
    clock.set(2026, 6, 15, 10, 0)
    assert tenant_records_anonymise().registrations == 0
    assert TenantRegistration.objects.get(pk=active.pk).anonymised_at is None


def test_second_run_changes_nothing_and_writes_no_audit(clock, let_unit, landlord):
    moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 10))
    first = tenant_records_anonymise()
    second = tenant_records_anonymise()
    assert (first.registrations, first.people) == (1, 1)
    assert (second.registrations, second.people) == (0, 0)
    audits = AuditEvent.objects.filter(action="tenants.anonymise")
    assert audits.count() == 1 and audits.get().detail["registrations"] == 1


def test_people_with_an_account_or_another_home_are_kept(clock, community, building, let_unit, landlord):
    with_account = moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 10), phone="13900000001")
    Person.objects.filter(pk=with_account.residency.person_id).update(user=UserFactory(username="former"))
    moved_on = moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 11), phone="13900000002")
    ResidencyFactory(person=moved_on.residency.person, unit=UnitFactory(building=building, room="808"),
                     relation=Residency.Relation.TENANT, moved_in=dt.date(2025, 1, 11))
    recent_again = moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 12), phone="13900000003")
    moved_out_on(clock, landlord, let_unit, dt.date(2026, 5, 1), phone="13900000003")  # moved out last month
    report = tenant_records_anonymise()
    assert (report.registrations, report.people, report.kept) == (0, 0, 3)
    for registration in (with_account, moved_on, recent_again):
        assert Person.objects.get(pk=registration.residency.person_id).phone.startswith("139")
        assert TenantRegistration.objects.get(pk=registration.pk).anonymised_at is None


def test_a_sublandlord_who_once_rented_is_kept(clock, building, let_unit, landlord):
    registration = moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 10), phone="13900000009")
    UnitFactory(building=building, room="909", is_let=True, sublandlord=registration.residency.person)
    assert tenant_records_anonymise().people == 0


def test_dry_run_counts_and_changes_nothing(clock, let_unit, landlord):
    registration = moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 10))
    report = tenant_records_anonymise(dry_run=True)
    assert (report.registrations, report.people) == (1, 1)
    assert TenantRegistration.objects.get(pk=registration.pk).anonymised_at is None
    assert not AuditEvent.objects.filter(action="tenants.anonymise").exists()


def test_command_prints_what_it_did(clock, let_unit, landlord):
    moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 10))
    out = StringIO()
    call_command("anonymise_tenants", "--dry-run", stdout=out)
    assert out.getvalue().startswith(
        "Would anonymise 1 tenant registrations and 1 people (moved out before 2025-12-15)")
    out = StringIO()
    call_command("anonymise_tenants", stdout=out)
    assert out.getvalue().startswith("Anonymised 1 tenant registrations and 1 people")
    out = StringIO()
    call_command("anonymise_tenants", stdout=out)
    assert out.getvalue().startswith("Anonymised 0 tenant registrations and 0 people")


def test_celery_task_runs_the_service(clock, let_unit, landlord, settings):
    from landlords.tasks import anonymise_tenant_records
    moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 10))
    anonymise_tenant_records.apply()
    assert TenantRegistration.objects.filter(anonymised_at__isnull=False).count() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-tenant-records"]
    assert entry["task"] == "landlords.tasks.anonymise_tenant_records" and entry["schedule"] == 86400.0


def test_an_anonymised_tenant_is_not_reused_by_a_new_registration(clock, let_unit, landlord):
    old = moved_out_on(clock, landlord, let_unit, dt.date(2025, 1, 10), phone="13900000007")
    tenant_records_anonymise()
    new, created = register(landlord, let_unit, phone="13900000007")
    assert created and new.residency.person_id != old.residency.person_id
    assert Person.objects.get(pk=old.residency.person_id).name == ANONYMISED_NAME
