"""Parking's state changes other than the gate's: villagers' vehicles, exempt vehicles, spaces, cameras and the
fee standards (each new version drafted, then in force once its motion is adopted)."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Motion, Unit
from communities.services.audit import audit
from communities.services.errors import DomainError

from ..models import Camera, FeeBand, FeeStandard, ParkingSpace, Vehicle, VehicleClass
from ..models.gate import EXEMPT
from ..parking_plates import plate_normalize
from ..selectors import parking as sel


def vehicle_register(*, actor, unit: Unit, plate: str, vehicle_class: str = VehicleClass.CAR, now=None
                     ) -> tuple[Vehicle, bool]:
    """A villager household's vehicle, free in the village, at most the standard's ``plates_per_household``
    per household. Registering a plate the household already has changes nothing (False)."""
    plate = plate_normalize(plate)
    community = unit.building.community
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)  # two family members registering at once
        existing = Vehicle.objects.filter(community=community, plate=plate).first()
        if existing:
            if existing.unit_id == unit.pk:
                return existing, False
            raise DomainError(_("车牌%(plate)s已登记在其他住户或单位名下。") % {"plate": plate}, code="plate_taken")
        limit = sel.plates_per_household(community=community, at=now)
        if Vehicle.objects.filter(unit=unit).count() >= limit:
            raise DomainError(_("按村里的规定，每户最多登记%(n)s辆车。") % {"n": limit}, code="household_limit")
        vehicle = Vehicle.objects.create(community=community, unit=unit, plate=plate, vehicle_class=vehicle_class,
                                         registered_by=actor, registered_at=now or timezone.now())
        audit(actor=actor, action="propertyservice.parking.vehicle_register", community=community,
              vehicle=vehicle.pk, plate=plate)
    return vehicle, True


def exempt_vehicle_register(*, actor, community, plate: str, vehicle_class: str, note: str = "") -> Vehicle:
    """A police, fire, ambulance or sanitation vehicle that serves the village: never charged (art. 61)."""
    plate = plate_normalize(plate)
    if vehicle_class not in EXEMPT:
        raise DomainError(_("只有警车、消防车、救护车、环卫车可以登记为免费车辆。"), code="not_exempt")
    with transaction.atomic():
        vehicle, created = Vehicle.objects.get_or_create(
            community=community, plate=plate,
            defaults={"vehicle_class": vehicle_class, "owner_note": note, "registered_by": actor})
        if not created and vehicle.unit_id:
            raise DomainError(_("车牌%(plate)s已登记在其他住户或单位名下。") % {"plate": plate}, code="plate_taken")
        if created:
            audit(actor=actor, action="propertyservice.parking.exempt_register", community=community,
                  vehicle=vehicle.pk, plate=plate, vehicle_class=vehicle_class)
    return vehicle


def vehicle_remove(*, actor, vehicle: Vehicle) -> None:
    with transaction.atomic():
        audit(actor=actor, action="propertyservice.parking.vehicle_remove", community=vehicle.community,
              plate=vehicle.plate)
        vehicle.delete()


def space_add(*, actor, community, village_group, number: str, kind: str) -> ParkingSpace:
    number = number.strip()
    if not number:
        raise DomainError(_("请填写车位号。"), code="number")
    if village_group.community_id != community.pk:
        raise DomainError(_("请选择本村的村民小组。"), code="group")
    with transaction.atomic():
        space, created = ParkingSpace.objects.get_or_create(
            community=community, village_group=village_group, number=number, defaults={"kind": kind})
        if not created and space.kind != kind:
            space.kind = kind
            space.save(update_fields=["kind"])
        elif not created:
            return space
        audit(actor=actor, action="propertyservice.parking.space_save", community=community, space=space.pk,
              number=number, kind=kind)
    return space


def camera_save(*, actor, community, camera: Camera | None = None, place: str, maintainer: str,
                last_checked_on: dt.date | None = None, next_check_due: dt.date | None = None,
                note: str = "") -> Camera:
    if last_checked_on and next_check_due and next_check_due < last_checked_on:
        raise DomainError(_("下次检查日期不能早于上次检查。"), code="dates")
    with transaction.atomic():
        if Camera.objects.filter(community=community, place=place).exclude(pk=camera.pk if camera else None).exists():
            raise DomainError(_("这个位置已经登记了监控设备。"), code="place_taken")
        camera = camera or Camera(community=community)
        camera.place, camera.maintainer, camera.note = place, maintainer, note
        camera.last_checked_on, camera.next_check_due = last_checked_on, next_check_due
        camera.save()
        audit(actor=actor, action="propertyservice.gate.camera_save", community=community, camera=camera.pk,
              place=place)
    return camera


def _validate_bands(bands: list[dict]) -> None:
    for band in bands:
        if band["unit_minutes"] < 1:
            raise DomainError(_("计费单位至少1分钟。"), code="unit")
        if band["unit_price"] < 0 or (band.get("cap") is not None and band["cap"] < 0):
            raise DomainError(_("价格不能为负数。"), code="price")


def standard_create(*, actor, community, effective_from: dt.datetime, bands: list[dict], motion: Motion | None = None,
                    title: str = "", free_minutes: int = 60, first_block_minutes: int = 0,
                    first_block_price: Decimal = Decimal("0"), daily_cap: Decimal | None = None,
                    cap_mode: str = FeeStandard.CapMode.CALENDAR, cross_day: str = FeeStandard.CrossDay.CONTINUE,
                    grace_minutes: int = 15, plates_per_household: int = 2) -> FeeStandard:
    """A new version (the next number). It is a draft until ``motion`` is adopted by the villagers."""
    if not bands:
        raise DomainError(_("至少要有一个收费时段。"), code="bands")
    _validate_bands(bands)
    if motion is not None and motion.election.community_id != community.pk:
        raise DomainError(_("请选择本村的表决议题。"), code="motion")
    if min(first_block_price, daily_cap if daily_cap is not None else Decimal("0")) < 0:
        raise DomainError(_("价格不能为负数。"), code="price")
    with transaction.atomic():
        from communities.models import Community

        Community.objects.select_for_update().get(pk=community.pk)  # version numbers in order
        version = (FeeStandard.objects.filter(community=community).aggregate(v=Max("version"))["v"] or 0) + 1
        standard = FeeStandard.objects.create(
            community=community, version=version, title=title or str(_("临时停车收费标准")), motion=motion,
            effective_from=effective_from, free_minutes=free_minutes, first_block_minutes=first_block_minutes,
            first_block_price=first_block_price, daily_cap=daily_cap, cap_mode=cap_mode, cross_day=cross_day,
            grace_minutes=grace_minutes, plates_per_household=plates_per_household, created_by=actor)
        FeeBand.objects.bulk_create(FeeBand(standard=standard, **band) for band in bands)
        audit(actor=actor, action="propertyservice.parking.standard_create", community=community,
              standard=standard.pk, version=version)
    return standard


def standard_link_motion(*, actor, standard: FeeStandard, motion: Motion) -> FeeStandard:
    """Name the villagers' meeting motion that adopts a draft version."""
    if motion.election.community_id != standard.community_id:
        raise DomainError(_("请选择本村的表决议题。"), code="motion")
    with transaction.atomic():
        standard = FeeStandard.objects.select_for_update().get(pk=standard.pk)
        if standard.motion_id == motion.pk:
            return standard
        if standard.motion_id is not None and sel.standard_in_force(community=standard.community) == standard:
            raise DomainError(_("已生效的收费标准不能更换表决议题，请起草新版本。"), code="in_force")
        standard.motion = motion
        standard.save(update_fields=["motion"])
    return standard
