"""The owner register's state changes (issue 15, item 1): the Excel import (preview, then confirm: all rows or
none), unmasking an owner's phone (logged), publishing the roster of the statutory notice (frozen).

The import reuses the core's residents import (``communities.services.imports``): its sheet reader, its staging
between preview and confirmation (a claimed file, so two clicks import once) and its phone checks. It touches only
units that exist: it sets ``Unit.floor_area`` and ``Unit.entrance``, the unit's ``AreaRecord`` and its owner
``Residency`` rows (an owner no longer listed is moved out, dated, never deleted)."""
import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policy
from communities.models import Community, Person, PersonalDataAccess, Residency, Unit, normalize_phone
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.imports import (NO, YES, import_staged, parsed_rows, stage_claim,
                                          stage_release, stage_write, stored_phone_conflicts)
from communities.services.personal_data import log_personal_data_access

from ..models import AreaRecord, AreaSource, RosterPublication
from ..selectors import owners_register as sel

OWNER = Residency.Relation.OWNER
STAGE_KIND = "talents.owners_register"
ACTION = "talents.register.manage"

COLUMNS = {
    "楼栋": "building", "building": "building",
    "单元": "entrance", "entrance": "entrance",
    "房号": "room", "room": "room",
    "专有面积": "floor_area", "floor area": "floor_area",
    "面积来源": "source", "area source": "source",
    "证号": "document_number", "certificate": "document_number",
    "业主姓名": "owner", "owner": "owner",
    "手机": "phone", "phone": "phone",
    "共有人": "co_owners", "co-owners": "co_owners",
    "开发商未售": "developer_held", "developer held": "developer_held",
}
TEMPLATE_HEADERS = ["楼栋", "单元", "房号", "专有面积", "面积来源", "证号", "业主姓名", "手机", "共有人", "开发商未售"]
REQUIRED = ["building", "room", "floor_area", "source", "owner", "developer_held"]
FIELD_LABELS = {"building": gettext_lazy("楼栋"), "room": gettext_lazy("房号"), "floor_area": gettext_lazy("专有面积"),
                "source": gettext_lazy("面积来源"), "owner": gettext_lazy("业主姓名"),
                "developer_held": gettext_lazy("开发商未售")}
# The sheet names the source in Chinese (the template's words), whatever the page's language.
SOURCES = {"不动产登记簿": AreaSource.REGISTER, "登记簿": AreaSource.REGISTER, "register": AreaSource.REGISTER,
           "测绘面积": AreaSource.SURVEY, "测绘": AreaSource.SURVEY, "survey": AreaSource.SURVEY,
           "买卖合同": AreaSource.CONTRACT, "合同": AreaSource.CONTRACT, "contract": AreaSource.CONTRACT}
CO_OWNER_SPLIT = re.compile(r"[、，,;；/]")
NAME_PHONE = re.compile(r"^(?P<name>[^()（）]+?)\s*[(（](?P<phone>[^()（）]*)[)）]$")


@dataclass
class CoOwner:
    name: str
    phone: str = ""


@dataclass
class RegisterRow:
    number: int
    building: str
    entrance: str
    room: str
    floor_area: Decimal
    source: str
    document_number: str
    owner: str
    phone: str
    co_owners: list[CoOwner]
    developer_held: bool


@dataclass
class RegisterReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0
    units_changed: list[tuple[str, str]] = field(default_factory=list)
    records_created: int = 0
    owners_added: list[str] = field(default_factory=list)
    owners_moved_out: list[str] = field(default_factory=list)
    people_created: int = 0
    developer_units: int = 0
    token: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class _DryRun(Exception):
    """Raised inside the preview's savepoint so that everything it wrote is rolled back."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _phone(raw: str, errors: list[str]) -> str:
    try:
        return normalize_phone(raw)
    except ValidationError:
        errors.append(_("手机“%(v)s”格式不正确") % {"v": raw})
        return ""


def _co_owners(raw: str, owner: str, errors: list[str]) -> list[CoOwner]:
    """``李四、王五(13800138000)``: names, each with an optional phone in brackets (to tell a co-owner who owns
    another unit too)."""
    out, seen = [], {owner} if owner else set()
    for part in (p.strip() for p in CO_OWNER_SPLIT.split(raw) if p.strip()):
        match = NAME_PHONE.match(part)
        name, phone = (match["name"].strip(), _phone(match["phone"].strip(), errors)) if match else (part, "")
        if name in seen:
            errors.append(_("共有人“%(n)s”重复填写（或与业主同名）") % {"n": name})
            continue
        seen.add(name)
        out.append(CoOwner(name, phone))
    return out


def _parse(record: dict, errors: list[str]) -> RegisterRow | None:
    building, room = _text(record.get("building")), _text(record.get("room"))
    for value, label in ((building, _("楼栋")), (room, _("房号"))):
        if not value:
            errors.append(_("“%(col)s”不能为空") % {"col": label})
    area_raw = _text(record.get("floor_area"))
    area = None
    try:
        area = Decimal(area_raw)
        if not area.is_finite() or area <= 0 or area > 10000:
            raise InvalidOperation
        area = area.quantize(Decimal("0.01"))
    except InvalidOperation:
        errors.append(_("专有面积“%(v)s”应为大于0的数字(平方米)") % {"v": area_raw})
    source_raw = _text(record.get("source"))
    source = SOURCES.get(source_raw.lower(), "")
    if not source:
        errors.append(_("面积来源“%(v)s”应为 不动产登记簿、测绘面积 或 买卖合同") % {"v": source_raw})
    document = _text(record.get("document_number"))
    if source == AreaSource.REGISTER and not document:
        errors.append(_("面积来源为不动产登记簿时，请填写不动产权证号"))
    held_raw = _text(record.get("developer_held")).lower()
    if held_raw not in YES | NO:
        errors.append(_("开发商未售“%(v)s”应填“是”或“否”") % {"v": held_raw})
    held = held_raw in YES
    owner, phone_raw = _text(record.get("owner")), _text(record.get("phone"))
    phone = _phone(phone_raw, errors) if phone_raw else ""
    co_owners = _co_owners(_text(record.get("co_owners")), owner, errors)
    if held and (owner or co_owners):
        errors.append(_("开发商未售的房屋不填业主和共有人"))
    elif not held and not owner:
        errors.append(_("“业主姓名”不能为空；尚未出售的房屋请在“开发商未售”填“是”"))
    if errors:
        return None
    return RegisterRow(record["_row"], building, _text(record.get("entrance")), room, area, source, document, owner,
                       phone, co_owners, held)


def _cross_check(rows: list[RegisterRow], community: Community, report: RegisterReport) -> None:
    """Rows against the stored estate and against each other."""
    units = {(u.building.name, u.room): u for u in Unit.objects.filter(building__community=community)
             .select_related("building")}
    buildings = {name for name, _room in units}
    seen_unit, seen_phone = {}, {}
    for row in rows:
        if row.building not in buildings:
            report.errors.append((row.number, _("楼栋“%(b)s”不存在") % {"b": row.building}))
        elif (row.building, row.room) not in units:
            report.errors.append((row.number, _("%(b)s 没有房号“%(r)s”") % {"b": row.building, "r": row.room}))
        previous = seen_unit.setdefault((row.building, row.room), row.number)
        if previous != row.number:
            report.errors.append((row.number, _("%(b)s %(r)s 与第 %(n)s 行重复")
                                  % {"b": row.building, "r": row.room, "n": previous}))
        for name, phone in [(row.owner, row.phone)] + [(c.name, c.phone) for c in row.co_owners]:
            if not phone:
                continue
            first = seen_phone.setdefault(phone, (name, row.number))
            if first[0] != name:
                report.errors.append((row.number, _("手机 %(p)s 在第 %(r)s 行属于“%(n)s”，同一号码不能登记给两个人")
                                      % {"p": phone, "r": first[1], "n": first[0]}))
    report.errors.extend(stored_phone_conflicts(
        [(row.number, name, phone) for row in rows
         for name, phone in [(row.owner, row.phone)] + [(c.name, c.phone) for c in row.co_owners] if phone],
        community))


def _checked_rows(*, actor, community, file, report: RegisterReport) -> list[RegisterRow]:
    policy.require(actor, ACTION, community)
    rows = parsed_rows(file, _parse, report, columns=COLUMNS, required=REQUIRED, labels=FIELD_LABELS)
    if rows is None:
        return []
    _cross_check(rows, community, report)
    report.errors.sort(key=lambda e: e[0])
    return rows


# --- writing -------------------------------------------------------------------------------------------------

def _owner_person(name, phone, current: list, by_phone: dict, report) -> Person:
    """The person a name (and phone) means for this unit: by phone; else the unit's current owner of that name;
    else a new person."""
    person = by_phone.get(phone) if phone else None
    if person is None:
        person = next((r.person for r in current if r.person.name == name and (not phone or not r.person.phone)),
                      None)
        if person is not None and phone and not person.phone:
            person.phone = phone
            person.save(update_fields=["phone"])
    if person is None:
        person = Person.objects.create(name=name, phone=phone)
        report.people_created += 1
    if phone:
        by_phone[phone] = person
    return person


def _write(rows: list[RegisterRow], community, report: RegisterReport, actor, now) -> None:
    today = timezone.localdate(now)
    units = {(u.building.name, u.room): u for u in Unit.objects.filter(building__community=community)
             .select_related("building").select_for_update(of=("self",))}
    records = {r.unit_id: r for r in AreaRecord.objects.filter(unit__building__community=community)}
    current: dict[int, list[Residency]] = {}
    for residency in (Residency.objects.filter(unit__building__community=community, moved_out__isnull=True)
                      .select_related("person").order_by("id")):
        current.setdefault(residency.unit_id, []).append(residency)
    phones = [p for row in rows for p in [row.phone] + [c.phone for c in row.co_owners] if p]
    by_phone = {p.phone: p for p in Person.objects.filter(phone__in=phones)}
    imported = {}
    for row in rows:
        unit = units[(row.building, row.room)]
        label = f"{row.building} {row.room}"
        changes = []
        if unit.floor_area != row.floor_area:
            changes.append(_("专有面积 %(a)s → %(b)s") % {"a": unit.floor_area, "b": row.floor_area})
        if row.entrance and unit.entrance != row.entrance:
            changes.append(_("单元 %(a)s → %(b)s") % {"a": unit.entrance or "—", "b": row.entrance})
        if changes:
            unit.floor_area, unit.entrance = row.floor_area, row.entrance or unit.entrance
            unit.save(update_fields=["floor_area", "entrance"])
            report.units_changed.append((label, "；".join(changes)))
        record = records.get(unit.pk)
        fields = {"source": row.source, "document_number": row.document_number, "developer_held": row.developer_held}
        if record is None:
            AreaRecord.objects.create(unit=unit, recorded_by=actor, recorded_at=now, **fields)
            report.records_created += 1
        elif any(getattr(record, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(record, k, v)
            record.recorded_by, record.recorded_at = actor, now
            record.save(update_fields=[*fields, "recorded_by", "recorded_at"])
        report.developer_units += row.developer_held
        here = current.get(unit.pk, [])
        owners_now = [r for r in here if r.relation == OWNER]
        wanted = [_owner_person(name, phone, owners_now, by_phone, report)
                  for name, phone in ([(row.owner, row.phone)] if row.owner else [])
                  + [(c.name, c.phone) for c in row.co_owners]]
        wanted_ids = {p.pk for p in wanted}
        for residency in here:
            gone = residency.relation == OWNER and residency.person_id not in wanted_ids
            becomes_owner = residency.relation != OWNER and residency.person_id in wanted_ids
            if gone or becomes_owner:
                residency.moved_out = max(today, residency.moved_in)
                residency.save(update_fields=["moved_out"])
                if gone:
                    report.owners_moved_out.append(f"{label} {residency.person.name}")
        kept = {r.person_id for r in owners_now if r.person_id in wanted_ids}
        for person in wanted:
            imported[person.pk] = person
            if person.pk not in kept:
                Residency.objects.create(person=person, unit=unit, relation=OWNER, moved_in=today)
                report.owners_added.append(f"{label} {person.name}")
                kept.add(person.pk)
    log_personal_data_access(viewer=actor, entries=[(p, community.pk) for p in imported.values()],
                             purpose=gettext_lazy("Excel 导入业主名册"), kind=PersonalDataAccess.Kind.IMPORT)
    audit(actor=actor, action="talents.register.import", community=community, rows=report.rows,
          units_changed=len(report.units_changed), records_created=report.records_created,
          owners_added=len(report.owners_added), owners_moved_out=len(report.owners_moved_out),
          people_created=report.people_created)


def register_import_preview(*, actor, community, file, now=None) -> tuple[RegisterReport, list[RegisterRow]]:
    """Check the sheet and say what importing it would do; writes nothing (the import runs in a savepoint that is
    rolled back). Returns the report and, when it is good, the rows to stage."""
    now = now or timezone.now()
    report = RegisterReport()
    rows = _checked_rows(actor=actor, community=community, file=file, report=report)
    if report.errors:
        return report, []
    try:
        with transaction.atomic():
            _write(rows, community, report, actor, now)
            raise _DryRun
    except _DryRun:
        pass
    return report, rows


def register_import(*, actor, community, file, now=None) -> RegisterReport:
    """Check and import a sheet in one go (a script, a test): all rows or none."""
    now = now or timezone.now()
    report = RegisterReport()
    rows = _checked_rows(actor=actor, community=community, file=file, report=report)
    if report.ok:
        with transaction.atomic():
            _write(rows, community, report, actor, now)
    return report


def _row_json(row: RegisterRow) -> dict:
    return dict(asdict(row), floor_area=str(row.floor_area))


def _row_from_json(data: dict) -> RegisterRow:
    return RegisterRow(**dict(data, floor_area=Decimal(data["floor_area"]),
                              co_owners=[CoOwner(**c) for c in data["co_owners"]]))


def register_import_stage(*, actor, community, rows: list[RegisterRow], report: RegisterReport) -> str:
    """Keep the previewed rows for the confirmation; returns the token that names them."""
    return stage_write(actor=actor, community=community, kind=STAGE_KIND,
                       data={"rows": [_row_json(r) for r in rows], "report_rows": report.rows})


def register_import_confirm(*, actor, community, token: str, now=None) -> RegisterReport | None:
    """Import the staged rows of ``token`` once; None when there is nothing (left) to import: confirmed already,
    expired, or not this person's."""
    policy.require(actor, ACTION, community)
    now = now or timezone.now()
    payload = import_staged(actor=actor, token=token, kind=STAGE_KIND)
    if payload is None or payload["community"] != community.pk:
        return None
    claimed = stage_claim(token)
    if claimed is None:
        return None
    report = RegisterReport(rows=payload["report_rows"])
    rows = [_row_from_json(r) for r in payload["rows"]]
    _cross_check(rows, community, report)  # the estate may have changed since the preview
    if report.ok:
        with transaction.atomic():
            _write(rows, community, report, actor, now)
        claimed.unlink(missing_ok=True)
    else:
        stage_release(claimed, token)
    return report


def register_template_workbook():
    from communities.exports import xlsx_workbook

    return xlsx_workbook(sheet_title="业主名册", headers=TEMPLATE_HEADERS, write_only=False, rows=[
        ["1号楼", "1单元", "101", 89.5, "不动产登记簿", "沪(2010)宝字不动产权第012345号", "张三", "13800138000",
         "李四", "否"],
        ["1号楼", "1单元", "102", 76, "测绘面积", "", "王五", "", "", "否"],
        ["1号楼", "2单元", "103", 92.3, "买卖合同", "", "", "", "", "是"],
    ])


# --- unmasking and publishing ------------------------------------------------------------------------------

def owner_phone_unmask(*, actor, residency: Residency) -> str:
    """The owner's phone in clear, for committee staff, logged (``PersonalDataAccess``) every time."""
    policy.require(actor, ACTION, residency)
    if residency.relation != OWNER:
        raise DomainError(_("这条登记不是业主。"), code="relation")
    log_personal_data_access(viewer=actor, entries=[(residency.person, policy.community_of(residency))],
                             purpose=gettext_lazy("业主名册：联系业主"))
    return residency.person.phone


REPUBLISH_SECONDS = 10 * 60


def roster_publish(*, actor, community: Community, note: str = "", now=None) -> tuple[RosterPublication, bool]:
    """Freeze the masked roster of ``community`` as it is now (the statutory notice); returns (publication,
    created). Publishing the same roster again within ten minutes (a double click) returns the first one."""
    policy.require(actor, ACTION, community)
    now = now or timezone.now()
    with transaction.atomic():
        Community.objects.select_for_update().filter(pk=community.pk).first()
        rows = sel.register_rows(community=community)
        if not rows:
            raise DomainError(_("本小区还没有房屋登记，不能公示业主名册。"), code="empty")
        snapshot = sel.roster_snapshot(rows)
        last = sel.latest_roster(community=community)
        if last and last.snapshot == snapshot and now - last.published_at < dt.timedelta(seconds=REPUBLISH_SECONDS):
            return last, False
        publication = RosterPublication.objects.create(
            community=community, published_at=now, published_by=actor, note=note[:200], snapshot=snapshot,
            heads=snapshot["totals"]["heads"], total_area=Decimal(snapshot["totals"]["area"]))
        audit(actor=actor, action="talents.register.publish", community=community, publication=publication.pk,
              heads=publication.heads, area=snapshot["totals"]["area"])
    return publication, True
