"""Import units and residents from an Excel sheet: all rows or none, and only after a preview.

1. ``residents_import_preview`` reads and checks the sheet and works out what it would create and change by
   doing the import inside a savepoint that is rolled back: the counts and lists are exactly what the real
   import will do, and nothing stays written. A good sheet is staged (``import_stage``): its parsed rows go
   to a file named by an unguessable token, so the confirmation does not upload the file again.
2. ``residents_import_confirm`` claims the staged rows (a rename, so two clicks on 确认导入 import once) and
   imports them. A building that does not exist yet is created only when the person confirmed it by name on
   the preview; otherwise nothing is written and the building is named.

Staged files live in ``settings.RESIDENTS_IMPORT_DIR`` (default: ``import-staging`` beside MEDIA_ROOT), are
readable only by the person who uploaded them, and are dropped after ``STAGE_SECONDS``.
"""
import datetime as dt
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Building, Community, Person, PersonalDataAccess, Residency, Unit, VillageGroup, normalize_phone
from .audit import audit
from .personal_data import log_personal_data_access

# Column header (Chinese, as in the template) -> field. English headers are accepted too.
COLUMNS = {
    "楼栋": "building", "building": "building",
    "村民小组": "village_group", "village group": "village_group",
    "楼层": "floor", "floor": "floor",
    "房号": "room", "room": "room",
    "面积": "floor_area", "floor area": "floor_area",
    "核定人数": "capacity", "capacity": "capacity",
    "是否出租": "is_let", "let": "is_let",
    "姓名": "name", "name": "name",
    "手机": "phone", "phone": "phone",
    "关系": "relation", "relation": "relation",
    "入住日期": "moved_in", "moved in": "moved_in",
}
TEMPLATE_HEADERS = ["楼栋", "村民小组", "楼层", "房号", "面积", "核定人数", "是否出租", "姓名", "手机", "关系", "入住日期"]
REQUIRED = ["building", "floor", "room", "floor_area"]
RELATIONS = {"业主": "owner", "owner": "owner", "家庭成员": "family", "family": "family",
             "租客": "tenant", "tenant": "tenant"}
YES = {"是", "y", "yes", "true", "1", "出租"}
NO = {"否", "n", "no", "false", "0", "", "自住"}
MAX_ROWS = 10000
FIELD_LABELS = {
    "building": gettext_lazy("楼栋"), "floor": gettext_lazy("楼层"), "room": gettext_lazy("房号"),
    "floor_area": gettext_lazy("面积"),
}


@dataclass
class ImportRow:
    number: int
    building: str
    village_group: str
    floor: int
    room: str
    floor_area: Decimal
    capacity: int
    is_let: bool
    name: str = ""
    phone: str = ""
    relation: str = ""
    moved_in: dt.date | None = None


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    units_created: int = 0
    units_updated: int = 0
    people_created: int = 0
    residencies_created: int = 0
    residencies_existing: int = 0
    rows: int = 0
    # What the preview lists: new buildings (to confirm), new flats, changed flats with their changes.
    new_buildings: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    changed_units: list[tuple[str, str]] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)
    token: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class _DryRun(Exception):
    """Raised inside the preview's savepoint so that everything it wrote is rolled back."""


class _Unconfirmed(Exception):
    def __init__(self, names):
        super().__init__(names)
        self.names = names


PREVIEW_LIST_LIMIT = 200   # rows of each preview list shown; the counts are always complete
STAGE_SECONDS = 2 * 60 * 60


class SheetError(Exception):
    pass


def read_sheet(file, *, columns: dict | None = None, required: list | None = None,
               labels: dict | None = None) -> list[dict]:
    """Rows of the first sheet as {field: value}, with the spreadsheet row number under '_row'. ``columns``
    (header → field), ``required`` (fields) and ``labels`` (field → header named when missing) default to the
    residents' sheet; another import (the owner register in ``talents``) passes its own."""
    columns = COLUMNS if columns is None else columns
    required = REQUIRED if required is None else required
    labels = FIELD_LABELS if labels is None else labels
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise SheetError(_("无法读取该文件：请上传 Excel (.xlsx) 表格，可先下载模板。")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise SheetError(_("表格是空的。"))
    fields = [columns.get(str(h).strip().lower() if h is not None else "", None) for h in header]
    missing = [str(labels[f]) for f in required if f not in fields]
    if missing:
        raise SheetError(_("表头缺少这些列：%(cols)s。请使用模板。") % {"cols": "、".join(missing)})
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        record = {"_row": number}
        for f, v in zip(fields, values):
            if f:
                record[f] = v
        out.append(record)
        if len(out) > MAX_ROWS:
            raise SheetError(_("一次最多导入 %(n)s 行，请分批导入。") % {"n": MAX_ROWS})
    workbook.close()
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse(record: dict, errors: list[str]) -> ImportRow | None:
    def need(name, label):
        value = _text(record.get(name))
        if not value:
            errors.append(_("“%(col)s”不能为空") % {"col": label})
        return value

    building = need("building", _("楼栋"))
    room = need("room", _("房号"))
    floor_raw = need("floor", _("楼层"))
    area_raw = need("floor_area", _("面积"))
    floor = area = None
    try:
        floor = int(floor_raw) if floor_raw else None
        if floor is not None and not -5 <= floor <= 100:
            raise ValueError
    except ValueError:
        errors.append(_("楼层“%(v)s”不是有效的整数") % {"v": floor_raw})
    try:
        area = Decimal(area_raw) if area_raw else None
        if area is not None and (area <= 0 or area > 10000):
            raise InvalidOperation
    except InvalidOperation:
        errors.append(_("面积“%(v)s”应为大于0的数字(平方米)") % {"v": area_raw})
    capacity_raw = _text(record.get("capacity")) or "4"
    capacity = None
    try:
        capacity = int(capacity_raw)
        if not 1 <= capacity <= 50:
            raise ValueError
    except ValueError:
        errors.append(_("核定人数“%(v)s”应为1到50之间的整数") % {"v": capacity_raw})
    let_raw = _text(record.get("is_let")).lower()
    if let_raw not in YES | NO:
        errors.append(_("是否出租“%(v)s”应填“是”或“否”") % {"v": let_raw})
    name = _text(record.get("name"))
    phone_raw = _text(record.get("phone"))
    relation_raw = _text(record.get("relation")).lower()
    moved_in = record.get("moved_in")
    phone = relation = ""
    if name or phone_raw or relation_raw:
        if not name:
            errors.append(_("填写了居民信息时“姓名”不能为空"))
        try:
            phone = normalize_phone(phone_raw)
        except ValidationError:
            errors.append(_("手机“%(v)s”格式不正确") % {"v": phone_raw})
        relation = RELATIONS.get(relation_raw, "")
        if not relation:
            errors.append(_("关系“%(v)s”应为 业主、家庭成员 或 租客") % {"v": relation_raw})
        moved_in = _date(moved_in, errors)
    else:
        moved_in = None
    if errors:
        return None
    return ImportRow(record["_row"], building, _text(record.get("village_group")), floor, room, area,
                     capacity, let_raw in YES, name, phone, relation, moved_in)


def _date(value, errors) -> dt.date | None:
    if value in (None, ""):
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append(_("入住日期“%(v)s”应为 2026-03-01 这样的日期") % {"v": _text(value)})
        return None


def _cross_check(rows: list[ImportRow], community: Community, report: ImportReport) -> None:
    """Rows that disagree with each other or with what is stored."""
    seen_phone: dict[str, tuple[str, int]] = {}
    seen_unit: dict[tuple[str, str], tuple[Decimal, int]] = {}
    for row in rows:
        if row.phone:
            previous = seen_phone.get(row.phone)
            if previous and previous[0] != row.name:
                report.errors.append((row.number, _("手机 %(p)s 在第 %(r)s 行属于“%(n)s”，同一号码不能登记给两个人")
                                      % {"p": row.phone, "r": previous[1], "n": previous[0]}))
            seen_phone.setdefault(row.phone, (row.name, row.number))
        key = (row.building, row.room)
        previous_unit = seen_unit.get(key)
        if previous_unit and previous_unit[0] != row.floor_area:
            report.errors.append((row.number, _("%(b)s %(u)s 的面积与第 %(r)s 行不一致")
                                  % {"b": row.building, "u": row.room, "r": previous_unit[1]}))
        seen_unit.setdefault(key, (row.floor_area, row.number))
        if community.kind != Community.Kind.VILLAGE and row.village_group:
            report.errors.append((row.number, _("居民区没有村民小组，请清空“村民小组”列")))
    report.errors.extend(stored_phone_conflicts([(r.number, r.name, r.phone) for r in rows], community))


def stored_phone_conflicts(rows: list[tuple[int, str, str]], community: Community) -> list[tuple[int, str]]:
    """(row number, message) for each (row number, name, phone) whose phone is stored under another name; for
    every import that names people by phone."""
    errors = []
    phones = [phone for _n, _name, phone in rows if phone]
    stored = {p.phone: p for p in Person.objects.filter(phone__in=phones)}
    # A name is said only for people of this community: the sheet must not become a phone-to-name lookup
    # across the town (issue 12, item 13).
    ours = set(Person.objects.filter(pk__in=[p.pk for p in stored.values()]).filter(
        Q(residencies__unit__building__community=community, residencies__moved_out__isnull=True)
        | Q(user__memberships__community=community)).values_list("pk", flat=True))
    for number, name, phone in rows:
        person = stored.get(phone)
        if person is None or person.name == name:
            continue
        if person.pk in ours:
            message = _("手机 %(p)s 已登记为“%(n)s”，与本行姓名不符") % {"p": phone, "n": person.name}
        else:
            message = _("手机 %(p)s 已登记在本社区以外的人名下，不能导入；请核对号码，或请镇里的工作人员处理")
            message %= {"p": phone}
        errors.append((number, message))
    return errors


def parsed_rows(file, parse, report, **sheet) -> list | None:
    """Read the sheet (``read_sheet(file, **sheet)``) and ``parse(record, errors)`` each data row: the rows that
    parsed; every other row's problems go to ``report.errors`` as (row number, text), and ``report.rows`` counts the
    data rows. None when the sheet itself cannot be read (its problem is row 0). The residents' import and an app's
    own imports (郡园's owner register) share this."""
    try:
        records = read_sheet(file, **sheet)
    except SheetError as exc:
        report.errors.append((0, str(exc)))
        return None
    rows = []
    for record in records:
        errors: list[str] = []
        row = parse(record, errors)
        if errors:
            report.errors.append((record["_row"], "；".join(errors)))
        else:
            rows.append(row)
    report.rows = len(records)
    if not records:
        report.errors.append((0, _("表格中没有数据行。")))
    return rows


def _checked_rows(*, actor, community: Community, file, report: ImportReport) -> list[ImportRow]:
    policy.require(actor, "residents.import", community)
    rows = parsed_rows(file, _parse, report)
    if rows is None:
        return []
    _cross_check(rows, community, report)
    report.errors.sort()
    return rows


def residents_import_preview(*, actor, community: Community, file) -> tuple[ImportReport, list[ImportRow]]:
    """Check the sheet and say what importing it would do; writes nothing (the import runs in a savepoint
    that is rolled back). Returns the report and, when it is good, the rows to stage."""
    report = ImportReport()
    rows = _checked_rows(actor=actor, community=community, file=file, report=report)
    if report.errors:
        return report, []
    try:
        with transaction.atomic():
            _write(rows, community, report, actor, confirmed_buildings=None)
            raise _DryRun
    except _DryRun:
        pass
    return report, rows


def residents_import(*, actor, community: Community, file, confirmed_buildings=()) -> ImportReport:
    """Check and import a sheet in one go (the preview's rows, or a sheet in a script or test): all rows or
    none. A building not stored yet must be named in ``confirmed_buildings``."""
    report = ImportReport()
    rows = _checked_rows(actor=actor, community=community, file=file, report=report)
    if report.errors:
        return report
    return _import_rows(actor=actor, community=community, rows=rows, report=report,
                        confirmed_buildings=confirmed_buildings)


def _import_rows(*, actor, community, rows, report, confirmed_buildings) -> ImportReport:
    try:
        with transaction.atomic():
            _write(rows, community, report, actor, confirmed_buildings=set(confirmed_buildings))
    except _Unconfirmed as exc:
        fresh = ImportReport(rows=report.rows)
        fresh.new_buildings = exc.names
        fresh.errors.append((0, _("这些楼栋还没有登记，请在预览中确认新建：%(names)s。没有导入任何数据。")
                             % {"names": "、".join(exc.names)}))
        return fresh
    return report


# --- staging between the preview and the confirmation -------------------------------------------------

def _stage_dir() -> Path:
    folder = Path(getattr(settings, "RESIDENTS_IMPORT_DIR", None) or Path(settings.MEDIA_ROOT).parent
                  / "import-staging")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _row_json(row: ImportRow) -> dict:
    data = asdict(row)
    data["floor_area"] = str(row.floor_area)
    data["moved_in"] = row.moved_in.isoformat() if row.moved_in else None
    return data


def _row_from_json(data: dict) -> ImportRow:
    data = dict(data, floor_area=Decimal(data["floor_area"]),
                moved_in=dt.date.fromisoformat(data["moved_in"]) if data["moved_in"] else None)
    return ImportRow(**data)


def stage_write(*, actor, community: Community, data: dict, kind: str = "residents", now=None) -> str:
    """Keep a preview's parsed rows (``data``, JSON-able) for its confirmation; returns the token that names
    them. ``kind`` keeps two imports' staged files apart (a token of one is nothing to the other)."""
    now = time.time() if now is None else now
    folder = _stage_dir()
    for old in folder.glob("*.json"):  # stale previews nobody confirmed
        if old.stat().st_mtime < now - STAGE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    payload = {**data, "kind": kind, "actor": actor.pk, "community": community.pk, "at": now}
    path = folder / f"{token}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return token


def stage_claim(token: str) -> Path | None:
    """Claim the staged file of ``token`` (a rename: of two clicks one wins); None when it is gone. Give it back
    with ``stage_release`` or drop it with ``Path.unlink`` when the import is done."""
    path = _staged_path(token)
    if path is None:
        return None
    claimed = path.with_suffix(f".claimed-{secrets.token_hex(4)}")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None  # the other click got there first
    return claimed


def stage_release(claimed: Path, token: str) -> None:
    """Put a claimed file back (the import was refused), for another try."""
    os.rename(claimed, _staged_path(token))


def import_stage(*, actor, community: Community, rows: list[ImportRow], report: ImportReport, now=None) -> str:
    """Keep the previewed rows for the confirmation; returns the token that names them."""
    return stage_write(actor=actor, community=community, now=now, data={
        "rows": [_row_json(r) for r in rows], "report_rows": report.rows, "new_buildings": report.new_buildings,
        "preview": {k: v for k, v in asdict(report).items() if k not in ("errors", "token")}})


def staged_preview(payload: dict, token: str) -> ImportReport:
    """The preview as it was shown, to show again (a confirmation that still lacks a building)."""
    return ImportReport(**payload["preview"], token=token)


def _staged_path(token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        return None
    return _stage_dir() / f"{token}.json"


def import_staged(*, actor, token: str, kind: str = "residents") -> dict | None:
    """The staged preview of ``token`` if it is this person's, of this ``kind`` and still fresh, else None
    (read only)."""
    path = _staged_path(token)
    if path is None or not path.exists():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    if (payload["actor"] != actor.pk or payload.get("kind", "residents") != kind
            or payload["at"] < time.time() - STAGE_SECONDS):
        return None
    return payload


def residents_import_confirm(*, actor, community: Community, token: str, confirmed_buildings=()) -> ImportReport | None:
    """Import the staged rows of ``token`` once. None when there is nothing (left) to import: confirmed
    already, expired, or not this person's. The rows are claimed by renaming their file, so a second click
    finds nothing; if the import is refused (a building not confirmed) they are put back for another try."""
    policy.require(actor, "residents.import", community)
    payload = import_staged(actor=actor, token=token)
    if payload is None or payload["community"] != community.pk:
        return None
    claimed = stage_claim(token)
    if claimed is None:
        return None
    report = ImportReport(rows=payload["report_rows"])
    rows = [_row_from_json(r) for r in payload["rows"]]
    _cross_check(rows, community, report)  # what is stored may have changed since the preview
    if not report.errors:
        report = _import_rows(actor=actor, community=community, rows=rows, report=report,
                              confirmed_buildings=confirmed_buildings)
    if report.ok:
        claimed.unlink(missing_ok=True)
    else:
        stage_release(claimed, token)
    return report


def _write(rows, community, report, actor, *, confirmed_buildings):
    """Write the rows, noting in ``report`` what was created and changed. ``confirmed_buildings``: the new
    buildings the person agreed to create (None in the preview, which is rolled back anyway)."""
    groups = {g.name: g for g in VillageGroup.objects.filter(community=community)}
    buildings = {b.name: b for b in Building.objects.filter(community=community)}
    units = {(u.building.name, u.room): u for u in Unit.objects.filter(building__community=community)
             .select_related("building")}
    people = {p.phone: p for p in Person.objects.filter(phone__in=[r.phone for r in rows if r.phone])}
    touched, imported = set(), {}
    for row in rows:
        group = None
        if row.village_group:
            group = groups.get(row.village_group)
            if group is None:
                group = VillageGroup.objects.create(community=community, name=row.village_group)
                report.new_groups.append(row.village_group)
            groups[row.village_group] = group
        building = buildings.get(row.building)
        if building is None:
            building = buildings[row.building] = Building.objects.create(
                community=community, name=row.building, village_group=group)
            report.new_buildings.append(row.building)
        unit = units.get((row.building, row.room))
        if unit is None:
            unit = units[(row.building, row.room)] = Unit.objects.create(
                building=building, floor=row.floor, room=row.room, floor_area=row.floor_area,
                capacity=row.capacity, is_let=row.is_let)
            report.units_created += 1
            report.created_units.append(f"{row.building} {row.room}")
            touched.add(unit.pk)
        elif unit.pk not in touched and (unit.floor_area, unit.capacity, unit.floor, unit.is_let) != (
                row.floor_area, row.capacity, row.floor, row.is_let):
            report.changed_units.append((f"{row.building} {row.room}", _unit_changes(unit, row)))
            unit.floor_area, unit.capacity, unit.floor = row.floor_area, row.capacity, row.floor
            if not row.is_let:
                unit.sublandlord = None
            unit.is_let = row.is_let
            unit.save(update_fields=["floor_area", "capacity", "floor", "is_let", "sublandlord"])
            report.units_updated += 1
            touched.add(unit.pk)
        if not row.name:
            continue
        person = _person_for_row(row, unit, people)
        if person is None:
            person = Person.objects.create(name=row.name, phone=row.phone)
            if row.phone:
                people[row.phone] = person
            report.people_created += 1
            report.new_people.append(row.name)
        imported[person.pk] = person
        residency, created = Residency.objects.get_or_create(
            person=person, unit=unit, moved_out__isnull=True,
            defaults={"relation": row.relation, "moved_in": row.moved_in})
        if created:
            report.residencies_created += 1
        else:
            report.residencies_existing += 1
    unconfirmed = [] if confirmed_buildings is None else [
        name for name in report.new_buildings if name not in confirmed_buildings]
    if unconfirmed:
        raise _Unconfirmed(unconfirmed)
    log_personal_data_access(viewer=actor, entries=[(p, community.pk) for p in imported.values()],
                             purpose=gettext_lazy("Excel 导入居民"), kind=PersonalDataAccess.Kind.IMPORT)
    audit(actor=actor, action="residents.import", community=community, rows=report.rows,
          units_created=report.units_created, units_updated=report.units_updated,
          people_created=report.people_created, residencies_created=report.residencies_created)


def _unit_changes(unit: Unit, row: ImportRow) -> str:
    changes = []
    for label, old, new in ((_("面积"), unit.floor_area, row.floor_area), (_("核定人数"), unit.capacity, row.capacity),
                            (_("楼层"), unit.floor, row.floor)):
        if old != new:
            changes.append(f"{label} {old:g} → {new:g}" if isinstance(old, Decimal) else f"{label} {old} → {new}")
    if unit.is_let != row.is_let:
        changes.append(_("改为出租") if row.is_let else _("改为自住(原二房东解除)"))
    return "；".join(changes)


def _person_for_row(row: ImportRow, unit: Unit, people: dict) -> Person | None:
    """The stored person a row means: by phone, or, for a row without one, the person of that
    name already living in that unit without a phone (so re-importing a sheet adds no one twice)."""
    if row.phone:
        return people.get(row.phone)
    if unit.pk is None:
        return None
    return (Person.objects.filter(name=row.name, phone="", residencies__unit=unit,
                                  residencies__moved_out__isnull=True).first())


def template_workbook():
    from ..exports import xlsx_workbook

    return xlsx_workbook(sheet_title="居民", headers=TEMPLATE_HEADERS, write_only=False, rows=[
        ["1号楼", "", 3, "301", 89.5, 4, "否", "张三", "13800138000", "业主", "2020-05-01"],
        ["1号楼", "", 3, "302", 76, 3, "是", "", "", "", ""],
    ])
