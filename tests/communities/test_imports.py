"""Importing units and residents from an Excel sheet: all rows or none, with every bad row named."""
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from communities.models import (
    AuditEvent, Building, Membership, Person, PersonalDataAccess, Residency, Role, Unit, VillageGroup,
)
from communities.services import imports as import_service
from communities.services.imports import residents_import_confirm, residents_import_preview
from tests.factories import UserFactory, make_member

from .form_posts import form_data

HEADERS = ["楼栋", "村民小组", "楼层", "房号", "面积", "核定人数", "是否出租", "姓名", "手机", "关系", "入住日期"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Spreadsheet rows 2-5: two households in 1号楼 (one let), an empty flat in 2号楼.
GOOD_ROWS = [
    ["1号楼", "", 3, "301", 89.5, 4, "否", "张三", "13800138000", "业主", "2020-05-01"],
    ["1号楼", "", 3, "301", 89.5, 4, "否", "张小三", "13800138001", "家庭成员", "2020-05-01"],
    ["1号楼", "", 3, "302", 76, 3, "是", "李四", "+86 137-0000-0001", "租客", dt.datetime(2023, 1, 15)],
    ["2号楼", "", 1, "101", 60, 2, "否", "", "", "", ""],
]

def residents_import(*, actor, community, file, confirmed_buildings=None):
    """The service with every building of this module's sheets confirmed (they name new ones on purpose);
    what happens without the confirmation is tested under "preview and confirmation" below."""
    if confirmed_buildings is None:
        confirmed_buildings = ["1号楼", "2号楼", "丁钱12号"]
    return import_service.residents_import(actor=actor, community=community, file=file,
                                           confirmed_buildings=confirmed_buildings)


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name="居民.xlsx", content_type=XLSX):
    return SimpleUploadedFile(name, content, content_type=content_type)


def with_row(index, **changes):
    """GOOD_ROWS with the row at ``index`` (spreadsheet row index + 2) changed."""
    rows = [list(r) for r in GOOD_ROWS]
    for column, value in changes.items():
        rows[index][HEADERS.index(column)] = value
    return rows


def counts():
    return {model.__name__: model.objects.count() for model in (Building, Unit, Person, Residency, VillageGroup)}


def post_import(client, community, file):
    return client.post(reverse("communities:residents_import"), {"community": community.pk, "file": file})


def confirm_import(client, preview_page: str, *, tick_all=True):
    """Press 确认导入 on the preview as shown (new buildings ticked unless ``tick_all`` is False)."""
    data = form_data(preview_page, "import-confirm")
    data.pop("buildings", None)
    if tick_all:
        data["buildings"] = re.findall(r'name="buildings" value="([^"]+)"', preview_page)
    return client.post(reverse("communities:residents_import"), data)


# --- a good sheet ---------------------------------------------------------------

def test_good_sheet_creates_units_people_and_residencies(committee_staff, community):
    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))

    assert report.ok, report.errors
    assert (report.rows, report.units_created, report.people_created, report.residencies_created) == (4, 3, 3, 3)
    assert report.residencies_existing == 0
    assert sorted(Building.objects.filter(community=community).values_list("name", flat=True)) == ["1号楼", "2号楼"]
    flat = Unit.objects.get(building__community=community, building__name="1号楼", room="301")
    assert (flat.floor, flat.floor_area, flat.capacity, flat.is_let) == (3, Decimal("89.50"), 4, False)
    let = Unit.objects.get(building__name="1号楼", room="302")
    assert let.is_let and let.capacity == 3
    assert set(flat.residencies.values_list("person__name", "relation", "moved_in")) == {
        ("张三", "owner", dt.date(2020, 5, 1)), ("张小三", "family", dt.date(2020, 5, 1))}
    tenant = Residency.objects.get(unit=let)
    assert (tenant.person.name, tenant.person.phone, tenant.relation, tenant.moved_in) == (
        "李四", "13700000001", "tenant", dt.date(2023, 1, 15))
    assert not Unit.objects.get(building__name="2号楼", room="101").residencies.exists()


def test_import_page_reports_success(client, committee_staff, community):
    client.force_login(committee_staff)

    preview = post_import(client, community, upload(xlsx(GOOD_ROWS)))
    assert preview.status_code == 200 and "导入成功" not in preview.content.decode()
    response = confirm_import(client, preview.content.decode())

    assert response.status_code == 200
    page = response.content.decode()
    assert "导入成功" in page
    assert "共 4 行" in page and "新建房屋 3 户" in page and "新建人员 3 人" in page and "新增居住登记 3 条" in page
    assert Residency.objects.filter(unit__building__community=community).count() == 3


def test_import_is_audited_and_logged_as_personal_data_access(committee_staff, community):
    residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))

    logged = PersonalDataAccess.objects.filter(viewer=committee_staff, kind=PersonalDataAccess.Kind.IMPORT,
                                               community=community)
    assert set(logged.values_list("person__name", flat=True)) == {"张三", "张小三", "李四"}
    event = AuditEvent.objects.get(action="residents.import")
    assert (event.actor, event.community) == (committee_staff, community)
    assert event.detail["residencies_created"] == 3


def test_reimporting_the_same_sheet_creates_no_duplicates(committee_staff, community):
    residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))
    before = counts()

    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))

    assert report.ok, report.errors
    assert (report.units_created, report.units_updated, report.people_created, report.residencies_created) == (
        0, 0, 0, 0)
    assert report.residencies_existing == 3
    assert counts() == before


def test_reimporting_a_resident_without_phone_creates_no_duplicates(committee_staff, community):
    rows = [["1号楼", "", 3, "301", 89.5, 4, "否", "王奶奶", "", "业主", "2010-01-01"]]
    residents_import(actor=committee_staff, community=community, file=upload(xlsx(rows)))

    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(rows)))

    assert report.ok, report.errors
    assert Person.objects.filter(name="王奶奶").count() == 1
    assert Residency.objects.filter(unit__room="301", moved_out__isnull=True).count() == 1


def test_reimport_with_a_changed_area_updates_the_unit(committee_staff, community):
    residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))

    report = residents_import(actor=committee_staff, community=community,
                              file=upload(xlsx([["2号楼", "", 1, "101", 65.5, 2, "否", "", "", "", ""]])))

    assert report.ok and report.units_updated == 1 and report.units_created == 0
    assert Unit.objects.get(building__name="2号楼", room="101").floor_area == Decimal("65.50")


def test_existing_person_with_the_same_name_and_phone_is_reused(committee_staff, community):
    known = Person.objects.create(name="张三", phone="13800138000")

    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))

    assert report.ok and report.people_created == 2
    assert Residency.objects.get(person=known).unit.room == "301"


def test_village_sheet_creates_village_groups(village):
    staff = make_member(village, Role.COMMITTEE_STAFF, username="villagestaff")
    rows = [["丁钱12号", "丁钱", 1, "1", 120, 6, "是", "", "", "", ""]]

    report = residents_import(actor=staff, community=village, file=upload(xlsx(rows)))

    assert report.ok, report.errors
    assert Building.objects.get(community=village, name="丁钱12号").village_group.name == "丁钱"


def test_residential_sheet_may_not_name_village_groups(committee_staff, community):
    rows = with_row(0, 村民小组="丁钱")

    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(rows)))

    assert [row for row, _ in report.errors] == [2]
    assert "居民区没有村民小组" in report.errors[0][1]
    assert not Building.objects.exists()


# --- a sheet with a bad row: nothing is imported ---------------------------------

BAD_ROW_CASES = {
    "bad-phone": (dict(手机="12345"), "手机“12345”格式不正确"),
    "missing-room": (dict(房号=""), "“房号”不能为空"),
    "negative-area": (dict(面积=-5), "面积“-5”应为大于0的数字"),
    "zero-area": (dict(面积=0), "面积“0”应为大于0的数字"),
    "unknown-relation": (dict(关系="邻居"), "关系“邻居”应为 业主、家庭成员 或 租客"),
    "bad-date": (dict(入住日期="明年"), "入住日期“明年”应为 2026-03-01 这样的日期"),
    "bad-let": (dict(是否出租="也许"), "是否出租“也许”应填“是”或“否”"),
    "phone-given-to-two-names": (dict(手机="13800138000"), "手机 13800138000 在第 2 行属于“张三”，同一号码不能登记给两个人"),
    "phone-without-name": (dict(姓名=""), "填写了居民信息时“姓名”不能为空"),
}


@pytest.fixture
def stored_person(db):
    """Someone already registered with 张小三's phone under another name."""
    return Person.objects.create(name="赵六", phone="13800138001")


def bad_sheet(case):
    changes, _ = BAD_ROW_CASES[case]
    return xlsx(with_row(1, **changes))  # the second data row: spreadsheet row 3


@pytest.mark.parametrize("case", list(BAD_ROW_CASES))
def test_one_bad_row_imports_nothing_and_names_the_row(committee_staff, community, case):
    before = counts()

    report = residents_import(actor=committee_staff, community=community, file=upload(bad_sheet(case)))

    assert not report.ok
    assert [row for row, _ in report.errors] == [3]
    assert BAD_ROW_CASES[case][1] in report.errors[0][1]
    assert counts() == before
    assert not PersonalDataAccess.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("case", list(BAD_ROW_CASES))
def test_import_page_lists_the_bad_row_and_why(client, committee_staff, community, case):
    client.force_login(committee_staff)
    before = counts()

    response = post_import(client, community, upload(bad_sheet(case)))

    assert response.status_code == 400
    page = response.content.decode()
    assert "没有导入任何数据" in page and "导入成功" not in page
    assert "第 3 行" in page and BAD_ROW_CASES[case][1] in page
    assert counts() == before


def test_phone_stored_under_another_name_imports_nothing(client, committee_staff, community, stored_person):
    stored_person.user = UserFactory(username="zhaoliu")  # 赵六 is one of this community's people
    stored_person.save(update_fields=["user"])
    Membership.objects.create(user=stored_person.user, community=community, role=Role.RESIDENT)
    client.force_login(committee_staff)
    before = counts()

    response = post_import(client, community, upload(xlsx(GOOD_ROWS)))

    assert response.status_code == 400
    page = response.content.decode()
    assert "第 3 行" in page and "手机 13800138001 已登记为“赵六”，与本行姓名不符" in page
    assert counts() == before
    stored_person.refresh_from_db()
    assert stored_person.name == "赵六"


def test_a_phone_of_someone_elsewhere_is_refused_without_their_name(client, committee_staff, community,
                                                                     other_community, stored_person):
    """Issue 12 item 13: the import must not tell staff whose phone it is in another community (or none)."""
    other = make_member(other_community, Role.RESIDENT, username="elsewhere", name="钱七")
    Person.objects.filter(user=other).update(phone="13800138000")
    client.force_login(committee_staff)
    before = counts()
    page = post_import(client, community, upload(xlsx(GOOD_ROWS))).content.decode()
    assert "手机 13800138000 已登记在本社区以外的人名下" in page and "手机 13800138001 已登记在本社区以外的人名下" in page
    assert "钱七" not in page and "赵六" not in page
    assert counts() == before


def test_every_bad_row_is_listed(committee_staff, community):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][HEADERS.index("手机")] = "12345"
    rows[3][HEADERS.index("面积")] = -1

    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(rows)))

    assert [row for row, _ in report.errors] == [3, 5]
    assert not Unit.objects.exists()


def test_same_room_with_two_areas_is_refused(committee_staff, community):
    report = residents_import(actor=committee_staff, community=community,
                              file=upload(xlsx(with_row(1, 面积=90))))

    assert [row for row, _ in report.errors] == [3]
    assert "面积与第 2 行不一致" in report.errors[0][1]
    assert not Unit.objects.exists()


# --- files that are not a usable sheet -----------------------------------------

def test_text_file_named_xlsx_is_refused(client, committee_staff, community):
    client.force_login(committee_staff)
    before = counts()

    response = post_import(client, community, upload("楼栋,房号\n1号楼,301\n".encode(), name="居民.xlsx"))

    assert response.status_code == 400
    assert "无法读取该文件：请上传 Excel (.xlsx) 表格" in response.content.decode()
    assert counts() == before


def test_csv_file_is_refused(client, committee_staff, community):
    client.force_login(committee_staff)
    before = counts()
    csv = ",".join(HEADERS) + "\n1号楼,,3,301,89.5,4,否,张三,13800138000,业主,2020-05-01\n"

    response = post_import(client, community, upload(csv.encode(), name="居民.csv", content_type="text/csv"))

    assert "请上传 .xlsx 格式的 Excel 表格" in response.content.decode()
    assert "导入成功" not in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("headers,rows,message", [
    (["楼栋", "楼层", "姓名"], [["1号楼", 3, "张三"]], "表头缺少这些列：房号、面积"),
    (HEADERS, [], "表格中没有数据行"),
], ids=["missing-columns", "headers-only"])
def test_sheet_without_usable_rows_is_refused(client, committee_staff, community, headers, rows, message):
    client.force_login(committee_staff)

    response = post_import(client, community, upload(xlsx(rows, headers=headers)))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Unit.objects.exists()


def test_english_headers_are_accepted(committee_staff, community):
    english = ["building", "village group", "floor", "room", "floor area", "capacity", "let", "name", "phone",
               "relation", "moved in"]

    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS, english)))

    assert report.ok and report.residencies_created == 3


# --- template -----------------------------------------------------------------

def test_template_download_has_the_headers(client, committee_staff):
    client.force_login(committee_staff)

    response = client.get(reverse("communities:residents_import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS


def test_template_imports_as_is(client, committee_staff, community):
    client.force_login(committee_staff)
    template = client.get(reverse("communities:residents_import_template")).content

    preview = post_import(client, community, upload(template, name="residents-template.xlsx"))
    imported = confirm_import(client, preview.content.decode())

    assert imported.status_code == 200 and "导入成功" in imported.content.decode()
    assert Unit.objects.filter(building__community=community).count() == 2


# --- access -------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["resident", "party_secretary", "landlord"])
def test_other_roles_cannot_import(client, request, community, persona):
    client.force_login(request.getfixturevalue(persona))
    before = counts()

    assert client.get(reverse("communities:residents_import")).status_code == 403
    assert client.get(reverse("communities:residents_import_template")).status_code == 403
    assert post_import(client, community, upload(xlsx(GOOD_ROWS))).status_code == 403
    assert counts() == before


def test_other_roles_are_refused_by_the_service_too(resident, community):
    before = counts()
    with pytest.raises(PermissionDenied):
        residents_import(actor=resident, community=community, file=upload(xlsx(GOOD_ROWS)))
    assert counts() == before


def test_anonymous_is_sent_to_login(client, community):
    login = reverse("accounts:login")
    for response in (
        client.get(reverse("communities:residents_import")),
        client.get(reverse("communities:residents_import_template")),
        post_import(client, community, upload(xlsx(GOOD_ROWS))),
    ):
        assert response.status_code == 302 and response["Location"].startswith(login)
    assert not Unit.objects.exists()


def test_staff_are_offered_only_their_own_community(client, committee_staff, community, other_community):
    client.force_login(committee_staff)

    page = client.get(reverse("communities:residents_import")).content.decode()

    assert f'<option value="{community.pk}"' in page
    assert f'<option value="{other_community.pk}"' not in page and other_community.name not in page


def test_staff_cannot_import_into_another_community(client, committee_staff, other_community):
    client.force_login(committee_staff)
    before = counts()

    response = post_import(client, other_community, upload(xlsx(GOOD_ROWS)))

    assert "选择一个有效的选项" in response.content.decode()
    assert "导入成功" not in response.content.decode()
    assert counts() == before
    assert not Building.objects.filter(community=other_community).exists()
    assert not PersonalDataAccess.objects.exists()


def test_staff_of_another_community_cannot_import_here(community, other_community):
    other_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="otherstaff")

    with pytest.raises(PermissionDenied):
        residents_import(actor=other_staff, community=community, file=upload(xlsx(GOOD_ROWS)))
    assert not Building.objects.filter(community=community).exists()


# --- preview and confirmation (issue 12 item 8) ------------------------------------------------------------

def test_the_preview_writes_nothing_and_says_what_would_change(client, committee_staff, community):
    residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS[:1])))
    before = counts()
    audits, logs = AuditEvent.objects.count(), PersonalDataAccess.objects.count()
    client.force_login(committee_staff)
    changed = with_row(0, 面积=95)
    changed[1][HEADERS.index("面积")] = 95  # the same flat, on its second row
    response = post_import(client, community, upload(xlsx(changed)))
    page = response.content.decode()
    assert response.status_code == 200 and "预览：确认后才会写入" in page
    assert "将新建房屋 2 户，更新房屋 1 户，新建人员 2 人，新增居住登记 2 条，已有登记 1 条" in page
    assert "1号楼 301" in page and "89.50 → 95" in page  # the change, flat by flat
    assert "2号楼" in page and "这些楼栋还没有登记" in page  # flagged, 1号楼 is not: it exists
    assert counts() == before
    assert (AuditEvent.objects.count(), PersonalDataAccess.objects.count()) == (audits, logs)


def test_confirming_twice_imports_once(client, committee_staff, community):
    client.force_login(committee_staff)
    preview = post_import(client, community, upload(xlsx(GOOD_ROWS))).content.decode()
    first = confirm_import(client, preview)
    assert first.status_code == 200 and "导入成功" in first.content.decode()
    after = counts()
    again = confirm_import(client, preview)
    assert again.status_code == 200 and "导入成功" not in again.content.decode()
    assert "已经导入过或已过期" in again.content.decode()
    assert counts() == after and AuditEvent.objects.filter(action="residents.import").count() == 1


def test_a_new_building_is_created_only_when_confirmed(client, committee_staff, community):
    client.force_login(committee_staff)
    before = counts()
    preview = post_import(client, community, upload(xlsx(GOOD_ROWS))).content.decode()
    assert 'name="buildings" value="1号楼"' in preview and 'name="buildings" value="2号楼"' in preview
    refused = confirm_import(client, preview, tick_all=False)
    assert refused.status_code == 400 and "请核对名称" in refused.content.decode()
    assert "预览：确认后才会写入" in refused.content.decode()  # the preview is still there to confirm
    assert counts() == before
    done = confirm_import(client, refused.content.decode())
    assert done.status_code == 200 and "导入成功" in done.content.decode()
    assert set(Building.objects.filter(community=community).values_list("name", flat=True)) == {"1号楼", "2号楼"}


def test_the_service_refuses_an_unconfirmed_building_and_writes_nothing(committee_staff, community):
    before = counts()
    report = residents_import(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)),
                              confirmed_buildings=["1号楼"])
    assert not report.ok and "2号楼" in report.errors[0][1] and report.new_buildings == ["2号楼"]
    assert counts() == before


def test_a_preview_is_only_for_the_person_who_uploaded_it(client, committee_staff, community):
    report, rows = residents_import_preview(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))
    token = import_service.import_stage(actor=committee_staff, community=community, rows=rows, report=report)
    colleague = make_member(community, Role.COMMITTEE_STAFF, username="colleague")
    before = counts()
    assert residents_import_confirm(actor=colleague, community=community, token=token,
                                    confirmed_buildings=["1号楼", "2号楼"]) is None
    assert residents_import_confirm(actor=committee_staff, community=community, token="../../etc/passwd") is None
    assert counts() == before
    assert residents_import_confirm(actor=committee_staff, community=community, token=token,
                                    confirmed_buildings=["1号楼", "2号楼"]).ok


def test_a_stale_preview_cannot_be_confirmed(committee_staff, community, monkeypatch):
    report, rows = residents_import_preview(actor=committee_staff, community=community, file=upload(xlsx(GOOD_ROWS)))
    token = import_service.import_stage(actor=committee_staff, community=community, rows=rows, report=report,
                                        now=1_000_000.0)
    monkeypatch.setattr(import_service.time, "time", lambda: 1_000_000.0 + import_service.STAGE_SECONDS + 1)
    assert residents_import_confirm(actor=committee_staff, community=community, token=token,
                                    confirmed_buildings=["1号楼", "2号楼"]) is None
    assert not Unit.objects.exists()


def test_a_bad_file_gets_a_clear_message_and_no_preview(client, committee_staff, community):
    client.force_login(committee_staff)
    response = post_import(client, community, upload(b"not a workbook"))
    page = response.content.decode()
    assert response.status_code == 400 and "无法读取该文件" in page
    assert "确认导入" not in page
