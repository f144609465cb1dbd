"""Import units and residents from an Excel sheet: all rows or none."""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
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

    @property
    def ok(self) -> bool:
        return not self.errors


class SheetError(Exception):
    pass


def read_sheet(file) -> list[dict]:
    """Rows of the first sheet as {field: value}, with the spreadsheet row number under '_row'."""
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
    fields = [COLUMNS.get(str(h).strip().lower() if h is not None else "", None) for h in header]
    missing = [str(FIELD_LABELS[f]) for f in REQUIRED if f not in fields]
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
    phones = [r.phone for r in rows if r.phone]
    stored = dict(Person.objects.filter(phone__in=phones).values_list("phone", "name"))
    for row in rows:
        if row.phone in stored and stored[row.phone] != row.name:
            report.errors.append((row.number, _("手机 %(p)s 已登记为“%(n)s”，与本行姓名不符")
                                  % {"p": row.phone, "n": stored[row.phone]}))


def residents_import(*, actor, community: Community, file) -> ImportReport:
    """Validate every row; import all of them in one transaction, or none and say which rows and why."""
    policy.require(actor, "residents.import", community)
    report = ImportReport()
    try:
        records = read_sheet(file)
    except SheetError as exc:
        report.errors.append((0, str(exc)))
        return report
    rows = []
    for record in records:
        errors: list[str] = []
        row = _parse(record, errors)
        if errors:
            report.errors.append((record["_row"], "；".join(errors)))
        else:
            rows.append(row)
    report.rows = len(records)
    if not records:
        report.errors.append((0, _("表格中没有数据行。")))
    _cross_check(rows, community, report)
    if report.errors:
        report.errors.sort()
        return report
    with transaction.atomic():
        _write(rows, community, report, actor)
    return report


def _write(rows, community, report, actor):
    groups = {g.name: g for g in VillageGroup.objects.filter(community=community)}
    buildings = {b.name: b for b in Building.objects.filter(community=community)}
    units = {(u.building.name, u.room): u for u in Unit.objects.filter(building__community=community)
             .select_related("building")}
    people = {p.phone: p for p in Person.objects.filter(phone__in=[r.phone for r in rows if r.phone])}
    touched, imported = set(), {}
    for row in rows:
        group = None
        if row.village_group:
            group = groups.get(row.village_group) or VillageGroup.objects.create(community=community,
                                                                                  name=row.village_group)
            groups[row.village_group] = group
        building = buildings.get(row.building)
        if building is None:
            building = buildings[row.building] = Building.objects.create(
                community=community, name=row.building, village_group=group)
        unit = units.get((row.building, row.room))
        if unit is None:
            unit = units[(row.building, row.room)] = Unit.objects.create(
                building=building, floor=row.floor, room=row.room, floor_area=row.floor_area,
                capacity=row.capacity, is_let=row.is_let)
            report.units_created += 1
            touched.add(unit.pk)
        elif unit.pk not in touched and (unit.floor_area, unit.capacity, unit.floor, unit.is_let) != (
                row.floor_area, row.capacity, row.floor, row.is_let):
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
        imported[person.pk] = person
        residency, created = Residency.objects.get_or_create(
            person=person, unit=unit, moved_out__isnull=True,
            defaults={"relation": row.relation, "moved_in": row.moved_in})
        if created:
            report.residencies_created += 1
        else:
            report.residencies_existing += 1
    log_personal_data_access(viewer=actor, entries=[(p, community.pk) for p in imported.values()],
                             purpose=gettext_lazy("Excel 导入居民"), kind=PersonalDataAccess.Kind.IMPORT)
    audit(actor=actor, action="residents.import", community=community, rows=report.rows,
          units_created=report.units_created, units_updated=report.units_updated,
          people_created=report.people_created, residencies_created=report.residencies_created)


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
