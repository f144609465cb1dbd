"""The gate's state changes: a visitor or an outside vehicle comes in, leaves, pays.

A vehicle's fee is always computed with the standard in force AT ENTRY (kept on the entry), by the one pure
function ``propertyservice.parking_fee.parking_fee``; each charge records the standard's version. Every change
locks the entry, so a double tap on 离开 or 收款 is a repeat, not a second charge."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.services.audit import audit
from communities.services.errors import DomainError

from ..models import GateEntry, ParkingCharge, VehicleClass
from ..models.gate import EXEMPT
from ..parking_fee import FeeError, parking_fee
from ..parking_plates import plate_normalize
from ..selectors import parking as parking_sel


def gate_enter(*, actor, community, kind: str, plate: str = "", vehicle_class: str = "", visiting: str = "",
               reason: str = "", now=None) -> tuple[GateEntry, bool]:
    """Log a visitor or an outside vehicle in. Returns (entry, created): a plate already in is the same car."""
    now = now or timezone.now()
    if kind not in GateEntry.Kind.values:
        raise DomainError(_("请选择访客或车辆。"), code="kind")
    if kind == GateEntry.Kind.VISITOR:
        plate, vehicle_class = "", ""
        if not visiting.strip():
            raise DomainError(_("请填写走访对象（哪一户或哪个村民小组）。"), code="visiting")
    else:
        plate = plate_normalize(plate)
        vehicle_class = vehicle_class or VehicleClass.CAR
        if vehicle_class not in VehicleClass.values:
            raise DomainError(_("请选择车辆类别。"), code="vehicle_class")
    with transaction.atomic():
        if plate:
            existing = (GateEntry.objects.select_for_update()
                        .filter(community=community, plate=plate, exited_at__isnull=True).first())
            if existing:
                return existing, False
        registered = parking_sel.whitelisted(community=community, plate=plate) if plate else None
        whitelisted = bool(registered and registered.unit_id)
        if registered and registered.vehicle_class in EXEMPT:
            vehicle_class = registered.vehicle_class
        standard = None
        if kind == GateEntry.Kind.VEHICLE:
            if not whitelisted and vehicle_class not in EXEMPT:
                if parking_sel.occupancy(community=community)["full"]:
                    raise DomainError(_("车位已满，暂停外来车辆入场。"), code="full")
            standard = parking_sel.standard_in_force(community=community, at=now)
        try:
            with transaction.atomic():
                entry = GateEntry.objects.create(
                    community=community, kind=kind, plate=plate, vehicle_class=vehicle_class,
                    whitelisted=whitelisted, visiting=visiting.strip(), reason=reason.strip(), entered_at=now,
                    standard=standard, logged_by=actor)
        except IntegrityError:
            # Two gate phones logged the same plate at once: the other one's row is the entry.
            return GateEntry.objects.get(community=community, plate=plate, exited_at__isnull=True), False
        audit(actor=actor, action="propertyservice.gate.enter", community=community, entry=entry.pk, plate=plate)
    return entry, True


def _fee(entry: GateEntry, until: dt.datetime):
    if entry.standard is None:
        return None
    try:
        return parking_fee(entry=entry.entered_at, exit=until, vehicle_class=entry.vehicle_class,
                           whitelisted=entry.whitelisted, standard=entry.standard.as_standard(),
                           paid_until=entry.paid_until)
    except FeeError as error:
        raise DomainError(str(error), code="exit_before_entry") from None


def _locked(entry: GateEntry) -> GateEntry:
    return GateEntry.objects.select_for_update(of=("self",)).select_related("standard", "community").get(pk=entry.pk)


def _charge(entry, fee, *, actor, until, leaving) -> ParkingCharge:
    return ParkingCharge.objects.create(
        entry=entry, standard=entry.standard, standard_version=fee.version, amount=fee.amount,
        breakdown=[{"label": line.label, "amount": str(line.amount)} for line in fee.lines],
        charged_until=until, leaving=leaving, computed_by=actor, computed_at=until)


def gate_exit(*, actor, entry: GateEntry, now=None) -> ParkingCharge | None:
    """离开: a visitor, a free vehicle or a paid car inside its grace goes out at once (None); otherwise the
    fee up to now is recorded as a charge waiting for payment (returned). A repeat returns the same charge and
    an entry already out changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(entry)
        if entry.exited_at is not None:
            return None
        waiting = entry.charges.filter(paid_at__isnull=True).first()
        if waiting:
            return waiting
        if now < entry.entered_at:
            raise DomainError(_("离场时间早于入场时间。"), code="exit_before_entry")
        fee = _fee(entry, now) if entry.kind == GateEntry.Kind.VEHICLE else None
        if fee is not None and fee.amount > 0:
            charge = _charge(entry, fee, actor=actor, until=now, leaving=True)
            audit(actor=actor, action="propertyservice.gate.charge", community=entry.community,
                  entry=entry.pk, charge=charge.pk, amount=str(fee.amount), version=fee.version)
            return charge
        entry.exited_at, entry.exited_by = now, actor
        entry.save(update_fields=["exited_at", "exited_by"])
        audit(actor=actor, action="propertyservice.gate.exit", community=entry.community, entry=entry.pk)
    return None


def gate_prepay(*, actor, entry: GateEntry, now=None) -> ParkingCharge | None:
    """先付费: the fee up to now, to be paid before the car leaves (then it has the grace minutes to go)."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(entry)
        if entry.exited_at is not None or entry.kind != GateEntry.Kind.VEHICLE:
            return None
        waiting = entry.charges.filter(paid_at__isnull=True).first()
        if waiting:
            return waiting
        fee = _fee(entry, now)
        if fee is None or fee.amount <= 0:
            return None
        return _charge(entry, fee, actor=actor, until=now, leaving=False)


def _receipt_number(charge: ParkingCharge, now) -> str:
    return f"TC{timezone.localtime(now):%Y%m%d}-{charge.pk:06d}"


def charge_pay(*, actor, charge: ParkingCharge, method: str, now=None) -> tuple[ParkingCharge, bool]:
    """收款 (cash or WeChat, recorded, never processed here): the receipt number is given, the stay is paid up to
    the charge's time, and a car charged on its way out leaves. A repeat changes nothing (False)."""
    now = now or timezone.now()
    if method not in ParkingCharge.Method.values:
        raise DomainError(_("请选择付款方式：现金或微信。"), code="method")
    with transaction.atomic():
        # The entry first, then the charge: the order gate_exit takes them in, so the two never deadlock.
        entry = _locked(charge.entry)
        charge = ParkingCharge.objects.select_for_update().get(pk=charge.pk)
        if charge.paid_at is not None:
            return charge, False
        charge.method, charge.paid_at, charge.received_by = method, now, actor
        charge.number = _receipt_number(charge, now)
        charge.save(update_fields=["method", "paid_at", "received_by", "number"])
        entry.paid_until = charge.charged_until
        fields = ["paid_until"]
        if charge.leaving:
            entry.exited_at, entry.exited_by = max(charge.charged_until, entry.entered_at), actor
            fields += ["exited_at", "exited_by"]
        entry.save(update_fields=fields)
        audit(actor=actor, action="propertyservice.gate.pay", community=entry.community, charge=charge.pk,
              amount=str(charge.amount), method=method, number=charge.number)
    return charge, True


def charge_cancel(*, actor, charge: ParkingCharge) -> bool:
    """The driver came back in (or the charge was a mistake): an unpaid charge is dropped, the car stays in."""
    with transaction.atomic():
        charge = ParkingCharge.objects.select_for_update().filter(pk=charge.pk, paid_at__isnull=True).first()
        if charge is None:
            return False
        audit(actor=actor, action="propertyservice.gate.charge_cancel", community=charge.entry.community,
              charge=charge.pk, amount=str(charge.amount))
        charge.delete()
    return True

