"""Importing the owner register from Excel: preview first, then confirm; all rows or none; each bad row named by
its number; an owner no longer listed is moved out (dated), never deleted; confirming twice imports once."""
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from communities.models import AuditEvent, Person, PersonalDataAccess, Residency, Unit
from talents.models import AreaRecord, AreaSource
from talents.services.owners_register import (TEMPLATE_HEADERS, register_import, register_import_confirm,
                                              register_import_preview, register_import_stage)

from .owners_world import NOW, estate, frozen, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db
OWNER = Residency.Relation.OWNER
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Rows 2-5: 101 keeps 甲 (area corrected, certificate), 102 gets 乙 with a new co-owner 壬 instead of 丙,
# 104 stays unsold, 2号楼102 is sold to 癸 who co-owns it with 甲 (named with 甲's phone).
GOOD = [
    ["1号楼", "1单元", "101", 101.25, "不动产登记簿", "沪(2010)宝字不动产权第000101号", "甲业主", "13800000001", "", "否"],
    ["1号楼", "1单元", "102", 80, "测绘面积", "", "乙业主", "", "壬业主", "否"],
    ["1号楼", "2单元", "104", 110, "测绘面积", "", "", "", "", "是"],
    ["2号楼", "1单元", "102", 150, "买卖合同", "", "癸业主", "13900009999", "甲业主(13800000001)", "否"],
]


def xlsx(rows, headers=TEMPLATE_HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("register.xlsx", out.getvalue(), content_type=XLSX)


@pytest.fixture
def world(estate, owners, staff):
    a = owners["a"].person
    a.phone = "13800000001"
    a.save(update_fields=["phone"])
    return estate


def _owners(unit):
    current = unit.residencies.filter(relation=OWNER, moved_out__isnull=True)
    return sorted(current.values_list("person__name", flat=True))


def test_a_good_sheet_updates_areas_records_and_owners(world, staff, owners):
    report = register_import(actor=staff, community=world.community, file=xlsx(GOOD), now=NOW)
    assert report.ok, report.errors
    u101 = Unit.objects.get(pk=world.unit("1号楼", "101").pk)
    assert u101.floor_area == Decimal("101.25")
    record = AreaRecord.objects.get(unit=u101)
    assert (record.source, record.document_number, record.recorded_by) == (
        AreaSource.REGISTER, "沪(2010)宝字不动产权第000101号", staff)
    assert _owners(world.unit("1号楼", "102")) == ["乙业主", "壬业主"]
    # 丙 is moved out, dated, not deleted
    bing = Residency.objects.get(unit=world.unit("1号楼", "102"), person__name="丙业主")
    assert bing.moved_out == NOW.date() and Person.objects.filter(name="丙业主").exists()
    assert _owners(world.unit("2号楼", "102")) == ["甲业主", "癸业主"]
    assert Residency.objects.filter(person=owners["a"].person, relation=OWNER, moved_out__isnull=True).count() == 3
    assert AreaRecord.objects.get(unit=world.unit("1号楼", "104")).developer_held
    assert report.records_created == 4 and report.people_created == 2
    assert report.owners_moved_out == ["1号楼 102 丙业主"]
    assert AuditEvent.objects.filter(action="talents.register.import").count() == 1
    assert PersonalDataAccess.objects.filter(viewer=staff, kind=PersonalDataAccess.Kind.IMPORT).count() == 4


def test_reimporting_the_same_sheet_changes_nothing(world, staff):
    register_import(actor=staff, community=world.community, file=xlsx(GOOD), now=NOW)
    before = Residency.objects.count(), Person.objects.count()
    report = register_import(actor=staff, community=world.community, file=xlsx(GOOD), now=NOW)
    assert report.ok and (Residency.objects.count(), Person.objects.count()) == before
    assert (report.owners_added, report.owners_moved_out, report.units_changed, report.records_created) == (
        [], [], [], 0)


BAD = [  # (row, expected words)
    (["9号楼", "", "101", 90, "测绘面积", "", "某人", "", "", "否"], "楼栋“9号楼”不存在"),
    (["1号楼", "", "909", 90, "测绘面积", "", "某人", "", "", "否"], "1号楼 没有房号“909”"),
    (["1号楼", "", "101", -3, "测绘面积", "", "甲业主", "", "", "否"], "专有面积“-3”应为大于0的数字"),
    (["1号楼", "", "101", "九十", "测绘面积", "", "甲业主", "", "", "否"], "专有面积“九十”"),
    (["1号楼", "", "101", 90, "估算", "", "甲业主", "", "", "否"], "面积来源“估算”应为"),
    (["1号楼", "", "101", 90, "不动产登记簿", "", "甲业主", "", "", "否"], "请填写不动产权证号"),
    (["1号楼", "", "102", 80, "测绘面积", "", "乙业主", "", "丙业主、丙业主", "否"], "共有人“丙业主”重复填写"),
    (["1号楼", "", "102", 80, "测绘面积", "", "乙业主", "", "乙业主", "否"], "共有人“乙业主”重复填写"),
    (["1号楼", "", "101", 90, "测绘面积", "", "甲业主", "12345", "", "否"], "手机“12345”格式不正确"),
    (["1号楼", "", "104", 110, "测绘面积", "", "某人", "", "", "是"], "开发商未售的房屋不填业主"),
    (["1号楼", "", "104", 110, "测绘面积", "", "", "", "", "否"], "“业主姓名”不能为空"),
    (["1号楼", "", "104", 110, "测绘面积", "", "", "", "", "也许"], "开发商未售“也许”应填“是”或“否”"),
    (["1号楼", "", "201", 120, "测绘面积", "", "冒名", "13800000001", "", "否"], "手机 13800000001 已登记为“甲业主”"),
]


def _state():
    return (list(Residency.objects.order_by("pk").values_list("pk", "moved_out")),
            list(Unit.objects.order_by("pk").values_list("pk", "floor_area")), Person.objects.count())


@pytest.mark.parametrize("bad,words", BAD)
def test_each_bad_row_is_named_by_its_number_and_nothing_is_written(world, staff, bad, words):
    before = _state()
    report, rows = register_import_preview(actor=staff, community=world.community, file=xlsx(GOOD + [bad]), now=NOW)
    assert not report.ok and rows == []
    assert {n for n, _m in report.errors} == {6}
    assert any(words in m for _n, m in report.errors)
    report = register_import(actor=staff, community=world.community, file=xlsx(GOOD + [bad]), now=NOW)
    assert not report.ok
    assert _state() == before and not AreaRecord.objects.exists() and not AuditEvent.objects.exists()


def test_a_unit_listed_twice_and_a_phone_given_to_two_names_are_refused(world, staff):
    rows = GOOD + [GOOD[1], ["1号楼", "1单元", "201", 120, "测绘面积", "", "某人", "13900009999", "", "否"]]
    report, _rows = register_import_preview(actor=staff, community=world.community, file=xlsx(rows), now=NOW)
    assert [n for n, _m in report.errors] == [6, 7]
    assert "与第 3 行重复" in report.errors[0][1]
    assert "在第 5 行属于“癸业主”" in report.errors[1][1]


def test_a_sheet_without_the_columns_or_rows_is_refused(world, staff):
    report, _ = register_import_preview(actor=staff, community=world.community, file=xlsx([], headers=["楼栋", "房号"]))
    assert "表头缺少这些列" in report.errors[0][1]
    report, _ = register_import_preview(actor=staff, community=world.community, file=xlsx([]))
    assert "没有数据行" in report.errors[0][1]
    report, _ = register_import_preview(actor=staff, community=world.community,
                                        file=SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert "无法读取该文件" in report.errors[0][1]


def test_the_preview_writes_nothing_and_confirming_twice_imports_once(world, staff):
    report, rows = register_import_preview(actor=staff, community=world.community, file=xlsx(GOOD), now=NOW)
    assert report.ok and len(report.owners_added) == 3 and report.owners_moved_out == ["1号楼 102 丙业主"]
    assert not AreaRecord.objects.exists() and not Person.objects.filter(name="壬业主").exists()
    token = register_import_stage(actor=staff, community=world.community, rows=rows, report=report)
    first = register_import_confirm(actor=staff, community=world.community, token=token, now=NOW)
    assert first.ok and AreaRecord.objects.count() == 4
    assert register_import_confirm(actor=staff, community=world.community, token=token, now=NOW) is None
    assert Person.objects.filter(name="壬业主").count() == 1
    assert AuditEvent.objects.filter(action="talents.register.import").count() == 1


def test_a_token_is_its_uploaders_and_not_the_residents_import(world, staff, owners):
    from communities.services.imports import residents_import_confirm
    from tests.factories import make_member
    from communities.models import Role

    report, rows = register_import_preview(actor=staff, community=world.community, file=xlsx(GOOD), now=NOW)
    token = register_import_stage(actor=staff, community=world.community, rows=rows, report=report)
    staff2 = make_member(world.community, Role.COMMITTEE_STAFF, username="jy_staff2")
    assert register_import_confirm(actor=staff2, community=world.community, token=token) is None
    assert residents_import_confirm(actor=staff, community=world.community, token=token) is None
    assert register_import_confirm(actor=staff, community=world.community, token=token, now=NOW).ok


def test_only_committee_staff_import(world, owners, tenant):
    for user in (owners["a"], tenant):
        with pytest.raises(PermissionDenied):
            register_import_preview(actor=user, community=world.community, file=xlsx(GOOD))


def test_the_pages_preview_then_confirm_once(client, world, staff, frozen):
    client.force_login(staff)
    url = f"/talents/owners/register/import/?community={world.community.slug}"
    assert client.get(url).status_code == 200
    page = client.post(url, {"file": xlsx(GOOD)})
    assert page.status_code == 200 and "确认导入" in page.content.decode()
    assert not AreaRecord.objects.exists()
    token = page.context["preview"].token
    done = client.post(url, {"step": "confirm", "token": token})
    assert done.status_code == 200 and "导入成功" in done.content.decode()
    again = client.post(url, {"step": "confirm", "token": token})
    assert "没有再次导入" in again.content.decode()
    assert AuditEvent.objects.filter(action="talents.register.import").count() == 1


def test_the_page_lists_bad_rows_with_400(client, world, staff, frozen):
    client.force_login(staff)
    page = client.post(f"/talents/owners/register/import/?community={world.community.slug}",
                       {"file": xlsx(GOOD + [BAD[0][0]])})
    assert page.status_code == 400
    assert "第 6 行" in page.content.decode() and "楼栋“9号楼”不存在" in page.content.decode()


def test_the_template_downloads_with_the_columns(client, world, staff):
    client.force_login(staff)
    response = client.get(f"/talents/owners/register/import/template.xlsx?community={world.community.slug}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == TEMPLATE_HEADERS


def test_import_pages_refuse_tenants_and_outsiders(client, world, tenant, outsider):
    client.force_login(tenant)
    assert client.get(f"/talents/owners/register/import/?community={world.community.slug}").status_code == 403
    client.force_login(outsider)
    assert client.get(f"/talents/owners/register/import/?community={world.community.slug}").status_code == 403
