"""Writes of the e-bike sheds: charging sessions (start, stop, the vendor's file), the daily safety check and
repairs. Records only: nothing here switches a port or reads a meter (RULES.md "E-bike sheds").

Fees are split as the price board shows them (发改办价格〔2024〕537号): electricity = kWh × electricity price;
service = kWh × service fee per kWh, or the started blocks of ``block_hours`` × the fee per block."""
import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Case, CaseCategory
from communities.services.audit import audit
from communities.services.cases import case_file
from communities.services.errors import DomainError

from ..models import ChargingPort, ChargingSession, ChargingShed, SafetyCheck

SHANGHAI = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
SHED_FAULT_CATEGORY = ("charging_shed", gettext_lazy("充电棚故障"), 4, 48)
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 5000


def _need(user, action: str, obj) -> None:
    if not policy.can(user, action, obj):
        raise PermissionDenied


def case_category(*, community, code: str, name, ack_hours: int, fix_hours: int) -> CaseCategory:
    """The community's case category ``code``, created if it does not exist (idempotent: the unique
    (community, code) pair makes a second call, or a race, find the first)."""
    category = CaseCategory.objects.filter(community=community, code=code).first()
    if category is not None:
        return category
    try:
        with transaction.atomic():
            return CaseCategory.objects.create(community=community, code=code, name=str(name), ack_hours=ack_hours,
                                               fix_hours=fix_hours, order=90)
    except IntegrityError:
        return CaseCategory.objects.get(community=community, code=code)


def file_station_case(*, actor, community, category, description: str, place_text: str = "", unit=None,
                      photos=()) -> Case:
    """A case the station found itself (channel 巡查发现). The core lets only those who may file on someone's
    behalf use that channel; anyone else files it as their own report (channel 网上提交)."""
    patrol = policy.can(actor, "case.file_on_behalf", community)
    return case_file(filed_by=actor, community=community, category=category, description=description,
                     reporter=actor, unit=unit, place_text=place_text, photos=photos,
                     channel=Case.Channel.PATROL if patrol else Case.Channel.APP)


# --- fees --------------------------------------------------------------------------------------------------------

def fees_for(*, shed: ChargingShed, kwh: Decimal, started_at, ended_at) -> tuple[Decimal, Decimal]:
    """(electricity, service) in yuan for a session, as the price board says."""
    electricity = (kwh * shed.electricity_price).quantize(CENT, ROUND_HALF_UP)
    if shed.bills_by_time:
        blocks = max(1, math.ceil((ended_at - started_at) / dt.timedelta(hours=shed.block_hours)))
        service = shed.service_fee_per_block * blocks
    else:
        service = kwh * (shed.service_fee_per_kwh or Decimal("0"))
    return electricity, service.quantize(CENT, ROUND_HALF_UP)


# --- sessions entered by staff ---------------------------------------------------------------------------------

def session_start(*, actor, port_id: int, now=None) -> tuple[ChargingSession, bool]:
    """Record that a charge started on a port. A second press while it charges is a repeat: (session, False)."""
    now = now or timezone.now()
    with transaction.atomic():
        port = ChargingPort.objects.select_for_update(of=("self",)).select_related("shed").get(pk=port_id)
        _need(actor, "propertyservice.shed.manage", port)
        open_session = ChargingSession.objects.filter(port=port, ended_at__isnull=True).first()
        if open_session is not None:
            return open_session, False
        if port.state == ChargingPort.State.FAULT:
            raise DomainError(_("该端口故障，修好前不能登记充电。"), code="fault")
        session = ChargingSession.objects.create(shed=port.shed, port=port, started_at=now, entered_by=actor)
        port.state = ChargingPort.State.CHARGING
        port.save(update_fields=["state"])
    return session, True


def session_stop(*, actor, session_id: int, kwh, now=None) -> tuple[ChargingSession, bool]:
    """Record the end of a charge with the metered kWh; the fee is split into electricity and service. A second
    press is a repeat: (session, False)."""
    now = now or timezone.now()
    kwh = _decimal(kwh)
    if kwh is None or kwh < 0 or kwh > 100:
        raise DomainError(_("请填写电表读数（0–100 千瓦时）。"), code="kwh")
    with transaction.atomic():
        session = ChargingSession.objects.select_for_update(of=("self",)).select_related("shed").get(pk=session_id)
        _need(actor, "propertyservice.shed.manage", session)
        if session.ended_at is not None:
            return session, False
        if now <= session.started_at:
            raise DomainError(_("结束时间要晚于开始时间。"), code="time")
        session.ended_at, session.kwh = now, kwh
        session.electricity_fee, session.service_fee = fees_for(shed=session.shed, kwh=kwh,
                                                                started_at=session.started_at, ended_at=now)
        session.save(update_fields=["ended_at", "kwh", "electricity_fee", "service_fee"])
        port = ChargingPort.objects.select_for_update().get(pk=session.port_id)
        if port.state == ChargingPort.State.CHARGING:
            port.state = ChargingPort.State.FREE
            port.save(update_fields=["state"])
    return session, True


def port_repair(*, actor, port_id: int) -> bool:
    """A faulty port is repaired (free again). Returns False when it was not faulty."""
    with transaction.atomic():
        port = ChargingPort.objects.select_for_update(of=("self",)).select_related("shed__community").get(pk=port_id)
        _need(actor, "propertyservice.shed.manage", port)
        if port.state != ChargingPort.State.FAULT:
            return False
        port.state = ChargingPort.State.FREE
        port.save(update_fields=["state"])
        audit(actor=actor, action="propertyservice.port.repair", community=port.shed.community, port=port.pk)
    return True


def shed_repair(*, actor, shed_id: int) -> bool:
    """The shed's safety equipment is working again. Returns False when the shed was not marked faulty."""
    with transaction.atomic():
        shed = ChargingShed.objects.select_for_update(of=("self",)).select_related("community").get(pk=shed_id)
        _need(actor, "propertyservice.shed.manage", shed)
        if shed.state != ChargingShed.State.FAULT:
            return False
        shed.state = ChargingShed.State.OK
        shed.save(update_fields=["state"])
        audit(actor=actor, action="propertyservice.shed.repair", community=shed.community, shed=shed.pk)
    return True


# --- the daily safety check ------------------------------------------------------------------------------------

def safety_check_record(*, actor, shed_id: int, smoke_detector: bool, sprinkler: bool, camera: bool,
                        extinguisher: bool, fault_port_id: int | None = None, note: str = "",
                        now=None) -> tuple[SafetyCheck, bool]:
    """Today's safety check of a shed. One per shed and day: a second submission (a double click, or a colleague
    a minute later) is a repeat and changes nothing: (check, False). A fault sets the shed (or the port) to 故障
    and files one core case for the station."""
    now = now or timezone.now()
    day = timezone.localtime(now, SHANGHAI).date()
    with transaction.atomic():
        shed = ChargingShed.objects.select_for_update(of=("self",)).select_related("community").get(pk=shed_id)
        _need(actor, "propertyservice.shed.manage", shed)
        existing = SafetyCheck.objects.filter(shed=shed, day=day).first()
        if existing is not None:
            return existing, False
        port = None
        if fault_port_id:
            port = ChargingPort.objects.select_for_update().filter(pk=fault_port_id, shed=shed).first()
            if port is None:
                raise DomainError(_("请选择本充电棚的端口。"), code="port")
        check = SafetyCheck.objects.create(
            shed=shed, day=day, smoke_detector=smoke_detector, sprinkler=sprinkler, camera=camera,
            extinguisher=extinguisher, fault_port=port, note=(note or "").strip()[:500], checked_by=actor,
            checked_at=now)
        if check.passed:
            return check, True
        if check.faults:
            shed.state = ChargingShed.State.FAULT
            shed.save(update_fields=["state"])
        if port is not None and port.state != ChargingPort.State.FAULT:
            port.state = ChargingPort.State.FAULT
            port.save(update_fields=["state"])
        check.case = _fault_case(actor=actor, check=check, shed=shed, port=port)
        check.save(update_fields=["case"])
    return check, True


def _fault_case(*, actor, check: SafetyCheck, shed: ChargingShed, port) -> Case:
    code, name, ack, fix = SHED_FAULT_CATEGORY
    category = case_category(community=shed.community, code=code, name=name, ack_hours=ack, fix_hours=fix)
    faults = [str(f).removesuffix("正常") for f in check.faults]
    if port is not None:
        faults.append(_("%(number)s号端口") % {"number": port.number})
    description = _("每日安全检查发现故障：%(shed)s，%(faults)s。") % {"shed": shed.name, "faults": "、".join(faults)}
    if check.note:
        description += " " + check.note
    return file_station_case(actor=actor, community=shed.community, category=category, description=description,
                             place_text=f"{shed.name} {shed.place}".strip())


# --- the vendor's file ----------------------------------------------------------------------------------------

COLUMNS = {
    "session_id": ("订单号", "session_id", "id"),
    "shed": ("充电棚", "shed"),
    "port": ("端口", "端口号", "port"),
    "start": ("开始时间", "开始", "start"),
    "end": ("结束时间", "结束", "end"),
    "kwh": ("电量", "电量kwh", "电量(kwh)", "kwh"),
    "fee": ("费用", "金额", "fee"),
}


@dataclass
class ImportRow:
    line: int
    status: str  # "imported" | "repeat" | "refused"
    reason: str = ""
    session: ChargingSession | None = None


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def repeats(self) -> int:
        return self.count("repeat")

    @property
    def refused(self) -> int:
        return self.count("refused")


def sessions_import(*, actor, community, data: bytes) -> ImportReport:
    """Import the vendor's sessions file (CSV: 订单号, 充电棚, 端口, 开始时间, 结束时间, 电量, 费用). Row by row: a
    bad row is refused with its reason and writes nothing; a row whose 订单号 is already in is a repeat and changes
    nothing, so importing the same file twice adds nothing. The fee is split as electricity = kWh × the board's
    electricity price, the rest the service fee."""
    _need(actor, "propertyservice.shed.manage", community)
    reader = _reader(data)
    header = next(reader, None)
    columns = _columns(header)
    sheds = {shed.name: shed for shed in ChargingShed.objects.filter(community=community)}
    ports = {(p.shed_id, p.number): p for p in ChargingPort.objects.filter(shed__community=community)}
    report = ImportReport()
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if line > MAX_IMPORT_ROWS + 1:
            raise DomainError(_("一次最多导入 %(n)s 行。") % {"n": MAX_IMPORT_ROWS}, code="rows")
        try:
            report.rows.append(_import_row(actor=actor, line=line, sheds=sheds, ports=ports,
                                           row={key: _cell(values, i) for key, i in columns.items()}))
        except DomainError as error:
            report.rows.append(ImportRow(line=line, status="refused", reason=str(error.message)))
    return report


def _reader(data: bytes):
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(_("文件太大（最多 1 MB），请分批导入。"), code="size")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return csv.reader(io.StringIO(data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    raise DomainError(_("无法识别文件编码，请另存为 UTF-8 的 CSV 文件。"), code="encoding")


def _columns(header) -> dict[str, int]:
    if not header:
        raise DomainError(_("文件是空的。"), code="empty")
    names = [h.strip().lower().replace(" ", "") for h in header]
    columns = {}
    for key, aliases in COLUMNS.items():
        found = next((i for i, name in enumerate(names) if name in aliases), None)
        if found is None:
            raise DomainError(_("第一行缺少“%(column)s”列。第一行应为：订单号,充电棚,端口,开始时间,结束时间,电量,费用")
                              % {"column": aliases[0]}, code="header")
        columns[key] = found
    return columns


def _cell(values, index) -> str:
    return values[index].strip() if index < len(values) else ""


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _time(value: str, label) -> dt.datetime:
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return dt.datetime.strptime(value, pattern).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    raise DomainError(_("%(label)s“%(value)s”无法识别，应为 2026-03-10 08:30 的格式。") % {"label": label, "value": value},
                      code="time")


def _import_row(*, actor, line: int, sheds: dict, ports: dict, row: dict) -> ImportRow:
    vendor_id = row["session_id"][:64]
    if not vendor_id:
        raise DomainError(_("缺少订单号。"), code="id")
    shed = sheds.get(row["shed"])
    if shed is None:
        raise DomainError(_("没有名为“%(name)s”的充电棚。") % {"name": row["shed"]}, code="shed")
    port = ports.get((shed.pk, int(row["port"]))) if row["port"].isdigit() else None
    if port is None:
        raise DomainError(_("%(shed)s没有%(port)s号端口。") % {"shed": shed.name, "port": row["port"]}, code="port")
    started_at, ended_at = _time(row["start"], _("开始时间")), _time(row["end"], _("结束时间"))
    if ended_at <= started_at:
        raise DomainError(_("结束时间要晚于开始时间。"), code="time")
    kwh, fee = _decimal(row["kwh"]), _decimal(row["fee"])
    if kwh is None or not 0 <= kwh <= 100:
        raise DomainError(_("电量“%(value)s”应为 0–100 之间的数字。") % {"value": row["kwh"]}, code="kwh")
    if fee is None or not 0 <= fee <= 1000:
        raise DomainError(_("费用“%(value)s”应为 0–1000 之间的数字。") % {"value": row["fee"]}, code="fee")
    electricity = (kwh * shed.electricity_price).quantize(CENT, ROUND_HALF_UP)
    if fee.quantize(CENT, ROUND_HALF_UP) < electricity:
        raise DomainError(_("费用 %(fee)s 元低于电费 %(electricity)s 元（电量 × 电价），请核对。")
                          % {"fee": fee, "electricity": electricity}, code="fee")
    existing = ChargingSession.objects.filter(shed=shed, vendor_session_id=vendor_id).first()
    if existing is not None:
        return ImportRow(line=line, status="repeat", reason=_("订单号 %(id)s 已导入，未改动。") % {"id": vendor_id},
                         session=existing)
    try:
        with transaction.atomic():
            session = ChargingSession.objects.create(
                shed=shed, port=port, started_at=started_at, ended_at=ended_at, kwh=kwh,
                electricity_fee=electricity, service_fee=fee.quantize(CENT, ROUND_HALF_UP) - electricity,
                source=ChargingSession.Source.IMPORT, vendor_session_id=vendor_id, entered_by=actor)
    except IntegrityError:
        # Imported by someone else a moment ago (the unique (shed, 订单号) pair): a repeat.
        return ImportRow(line=line, status="repeat", reason=_("订单号 %(id)s 已导入，未改动。") % {"id": vendor_id})
    return ImportRow(line=line, status="imported", session=session)
