"""Rentals: the sublandlord declares a let unit's rooms, registers tenants moving in and out; committee staff
are told at once (第一时间共享) through the outbox, in the same transaction as the change."""
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Person, Residency, Role, Unit, normalize_phone
from communities.selectors.places import users_with_role
from communities.services.errors import DomainError
from communities.services.identity import person_for_contact
from communities.services.notifications import notify
from communities.services.texts import deferred

from ..models import RentalDeclaration, TenantRegistration
from ..models.rentals import registration_is_late
from .figures import landlords_figures_on_commit

MAX_MOVE_IN_AGE_DAYS = 365
MAX_NOTE = 500


def rental_declare(*, actor, unit: Unit, rooms: int, partitions_note: str = "") -> tuple[RentalDeclaration, bool]:
    """The sublandlord declares how many rooms (or partitions) the unit is let as. Returns (declaration, changed)."""
    if not policy.can(actor, "landlords.rental.manage", unit):
        raise PermissionDenied
    if rooms is None or int(rooms) < 1:
        raise DomainError(_("出租间数至少为 1。"), code="rooms")
    note = (partitions_note or "").strip()[:MAX_NOTE]
    with transaction.atomic():
        declaration = RentalDeclaration.objects.select_for_update().filter(unit=unit).first()
        if declaration is not None and declaration.rooms == int(rooms) and declaration.partitions_note == note:
            return declaration, False
        if declaration is None:
            declaration = RentalDeclaration(unit=unit)
        declaration.rooms, declaration.partitions_note = int(rooms), note
        declaration.declared_by, declaration.declared_at = actor, timezone.now()
        declaration.save()
    return declaration, True


def _check_move_in(moved_in: date, today: date) -> None:
    if moved_in > today:
        raise DomainError(_("入住日期不能晚于今天，请在租客实际入住后登记。"), code="moved_in")
    if (today - moved_in).days > MAX_MOVE_IN_AGE_DAYS:
        raise DomainError(_("入住日期早于一年前，请核对日期；如确是早年入住的租客，请联系居委登记。"), code="moved_in")


def _clean_contact(name: str, phone: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写租客姓名。"), code="name")
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="phone") from None
    if not phone:
        raise DomainError(_("请填写租客手机号码。"), code="phone")
    return name[:50], phone


def tenant_register(*, actor, unit: Unit, name: str, phone: str, moved_in: date) -> tuple[TenantRegistration, bool]:
    """Register a tenant moving into a let unit. Returns (registration, created).

    A person of the unit's community known by this phone and name is reused; a phone of someone elsewhere, or
    of someone here under another name, is refused and nothing is written. Registering the same person again while they live in
    the unit creates nothing (a double-clicked button, or two phones of the same sublandlord).
    """
    if not policy.can(actor, "landlords.rental.manage", unit):
        raise PermissionDenied
    name, phone = _clean_contact(name, phone)
    now = timezone.now()
    _check_move_in(moved_in, timezone.localdate(now))
    with transaction.atomic():
        # The unit's row serialises registrations of one unit: two quick submissions never both create.
        unit = Unit.objects.select_for_update(of=("self",)).select_related("building__community").get(pk=unit.pk)
        # Looked up among the persons of this community only, and bound only when the name matches too
        # (communities.services.identity): never someone elsewhere, never a name the sublandlord could not see.
        person, created = person_for_contact(community=unit.building.community, name=name, phone=phone)
        residency = None
        if not created:
            residency = Residency.objects.filter(person=person, unit=unit, moved_out__isnull=True).first()
            existing = TenantRegistration.objects.filter(residency=residency).first() if residency else None
            if existing is not None:
                return existing, False
            if residency is not None and residency.relation != Residency.Relation.TENANT:
                raise DomainError(_("该手机号的人员已作为业主或家庭成员登记在这套房屋。"), code="relation")
        if residency is None:
            residency = Residency.objects.create(person=person, unit=unit, relation=Residency.Relation.TENANT,
                                                 moved_in=moved_in)
        registration = TenantRegistration.objects.create(
            unit=unit, sublandlord_id=unit.sublandlord_id, residency=residency, moved_in=residency.moved_in,
            registered_at=now, registered_by=actor,
            is_late=registration_is_late(moved_in=residency.moved_in, registered_at=now),
        )
        _tell_staff_move_in(registration=registration, person=person, unit=unit)
        landlords_figures_on_commit(community_id=unit.building.community_id)
    return registration, True


def active_tenant_count(unit: Unit) -> int:
    return Residency.objects.filter(unit=unit, moved_out__isnull=True, relation=Residency.Relation.TENANT).count()


def _staff_of(unit: Unit):
    return users_with_role(community_id=unit.building.community_id, role=Role.COMMITTEE_STAFF)


def _tell_staff_move_in(*, registration: TenantRegistration, person: Person, unit: Unit) -> None:
    tenants = active_tenant_count(unit)
    body = deferred(gettext_lazy("入住日期 %(date)s，在住租客 %(n)s 人，核定 %(cap)s 人。"),
                    date=registration.moved_in.isoformat(), n=tenants, cap=unit.capacity)
    if registration.is_late:
        body = deferred(gettext_lazy("%(body)s 逾期登记（入住超过3天后才登记）。"), body=body)
    if tenants > unit.capacity:
        body = deferred(gettext_lazy("%(body)s 超过核定人数，疑似群租或房屋隔断。"), body=body)
    title = deferred(gettext_lazy("租客入住登记：%(unit)s %(name)s"), unit=str(unit), name=person.name)
    url = reverse("landlords:tenant_registration_detail", args=[registration.pk])
    for staff in _staff_of(unit):
        notify(recipient=staff, title=title, body=body, url=url)


def tenant_move_out(*, actor, registration_id: int, moved_out: date) -> tuple[TenantRegistration, bool]:
    """Register a tenant moving out. Returns (registration, changed); a second submission changes nothing."""
    with transaction.atomic():
        registration = (TenantRegistration.objects.select_for_update()
                        .select_related("unit__building__community", "residency__person").get(pk=registration_id))
        if not policy.can(actor, "landlords.tenant_registration.move_out", registration):
            raise PermissionDenied
        if registration.moved_out is not None:
            return registration, False
        if moved_out < registration.moved_in:
            raise DomainError(_("迁出日期不能早于入住日期（%(date)s）。") % {"date": registration.moved_in.isoformat()},
                              code="moved_out")
        now = timezone.now()
        if moved_out > timezone.localdate(now):
            raise DomainError(_("迁出日期不能晚于今天，请在租客实际迁出后登记。"), code="moved_out")
        residency = registration.residency
        residency.moved_out = moved_out
        residency.save(update_fields=["moved_out"])
        registration.moved_out, registration.move_out_registered_at = moved_out, now
        registration.save(update_fields=["moved_out", "move_out_registered_at"])
        unit = registration.unit
        title = deferred(gettext_lazy("租客迁出登记：%(unit)s %(name)s"), unit=str(unit),
                         name=residency.person.name)
        body = deferred(gettext_lazy("迁出日期 %(date)s，在住租客 %(n)s 人，核定 %(cap)s 人。"),
                        date=moved_out.isoformat(), n=active_tenant_count(unit), cap=unit.capacity)
        url = reverse("landlords:tenant_registration_detail", args=[registration.pk])
        for staff in _staff_of(unit):
            notify(recipient=staff, title=title, body=body, url=url)
        landlords_figures_on_commit(community_id=unit.building.community_id)
    return registration, True


def move_in_bounds(today: date | None = None) -> tuple[date, date]:
    """The earliest and latest move-in dates a registration accepts (for the form's hints)."""
    today = today or timezone.localdate()
    return today - timedelta(days=MAX_MOVE_IN_AGE_DAYS), today
