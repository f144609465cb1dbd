"""Flying-wire reports (飞线充电): a patrol or a villager reports one with a photo and the place; it is filed as a
core case in the community's 飞线充电 category (created if missing) and routed as the core routes every case.

《上海市非机动车安全管理条例》第二十九条 bans flying-lead charging; 第四十四条 fines it ¥50–200. The photo is the
case's photo: the core shows it to the case's reporter, handler and staff only, never on a public page."""
import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Role, Unit, VillageGroup
from communities.services.errors import DomainError

from ..models import FlyingWireReport
from .sheds import case_category, file_station_case

CATEGORY = ("flying_wire", gettext_lazy("飞线充电"), 12, 48)  # as the core's default category list
REPEAT_WINDOW = dt.timedelta(days=90)
DOUBLE_SUBMIT = dt.timedelta(minutes=10)


def place_key(*, unit, village_group, place_text: str) -> str:
    """The same house (or, without one, the same group and place text, spaces and case ignored) is one place."""
    if unit is not None:
        return f"unit:{unit.pk}"
    text = re.sub(r"\s+", "", place_text or "").lower()
    return f"group:{village_group.pk if village_group else 0}:{text}"[:240]


def flying_wire_report(*, actor, community, photo, village_group: VillageGroup | None = None, unit: Unit | None = None,
                       place_text: str = "", note: str = "", now=None) -> tuple[FlyingWireReport, bool]:
    """Report a flying wire. The photo is required; the place is a house or a described place. The same reporter
    sending the same place again within minutes is a double submission: (report, False)."""
    now = now or timezone.now()
    if not policy.can(actor, "propertyservice.flying.report", community):
        raise PermissionDenied
    if not photo:
        raise DomainError(_("请拍一张飞线充电的照片（不要拍人脸）。"), code="photo")
    place_text = (place_text or "").strip()[:200]
    if unit is not None and unit.building.community_id != community.pk:
        raise DomainError(_("所选房屋不在本村。"), code="place")
    if village_group is not None and village_group.community_id != community.pk:
        raise DomainError(_("所选村民小组不在本村。"), code="place")
    if unit is None and not place_text:
        raise DomainError(_("请选择房屋或写明具体位置。"), code="place")
    if unit is not None and village_group is None:
        village_group = unit.building.village_group
    key = place_key(unit=unit, village_group=village_group, place_text=place_text)
    staff = bool(policy.roles_in(actor, community) & {Role.STATION_STAFF, Role.COMMITTEE_STAFF})
    with transaction.atomic():
        recent = FlyingWireReport.objects.select_for_update().filter(community=community, place_key=key)
        double = recent.filter(reported_by=actor, reported_at__gt=now - DOUBLE_SUBMIT).first()
        if double is not None:
            return double, False
        earlier = recent.filter(reported_at__gt=now - REPEAT_WINDOW, reported_at__lte=now).count()
        label = _place_label(unit=unit, village_group=village_group, place_text=place_text)
        number = earlier + 1
        code, name, ack, fix = CATEGORY
        category = case_category(community=community, code=code, name=name, ack_hours=ack, fix_hours=fix)
        description = _("发现飞线充电：%(place)s（90 天内第 %(n)s 次）。") % {"place": label, "n": number}
        if note.strip():
            description += " " + note.strip()[:500]
        case = file_station_case(actor=actor, community=community, category=category, description=description,
                                 place_text=label[:200], unit=unit, photos=[photo]) if staff else _villager_case(
            actor=actor, community=community, category=category, description=description, label=label, unit=unit,
            photo=photo)
        report = FlyingWireReport.objects.create(
            community=community, village_group=village_group, unit=unit, place_text=place_text, place_key=key,
            place_label=label[:300], repeat_number=number, reported_by=actor, reported_at=now, case=case,
            channel=FlyingWireReport.Channel.PATROL if staff else FlyingWireReport.Channel.VILLAGER)
    return report, True


def _villager_case(*, actor, community, category, description, label, unit, photo):
    from communities.services.cases import case_file

    return case_file(filed_by=actor, community=community, category=category, description=description,
                     unit=unit, place_text=label[:200], photos=[photo])


def _place_label(*, unit, village_group, place_text: str) -> str:
    parts = []
    if unit is not None:
        parts.append(f"{unit.building.name} {unit.room}")
    elif village_group is not None:
        parts.append(village_group.name)
    if place_text:
        parts.append(place_text)
    return " ".join(parts)
