"""The one Excel helper (communities/exports.py): widths, date formats, formula escaping, the download name."""
import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.exports import (
    DATE_FORMAT,
    DATE_WIDTH,
    DATETIME_FORMAT,
    DATETIME_WIDTH,
    MAX_WIDTH,
    XLSX_CONTENT_TYPE,
    attachment_disposition,
    xlsx_response,
)
from tests.factories import CaseFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def _response(rows, headers=("编号", "名称", "提交时间", "日期")):
    return xlsx_response(filename="诉求清单-20260228.xlsx", ascii_filename="cases-20260228.xlsx",
                         sheet_title="诉求", headers=headers, rows=rows)


@pytest.mark.parametrize("write_only", [True, False])
def test_dates_are_real_dates_with_a_format_and_a_width_that_fits(write_only):
    at = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.timezone.utc)  # 07:30 on 1 March in Shanghai
    response = xlsx_response(filename="x.xlsx", sheet_title="诉求", headers=["提交时间", "日期"],
                             rows=[[at, dt.date(2026, 12, 31)]], write_only=write_only)
    sheet = _sheet(response)
    submitted, day = sheet["A2"], sheet["B2"]
    assert submitted.value == dt.datetime(2026, 3, 1, 7, 30) and submitted.number_format == DATETIME_FORMAT
    assert day.value == dt.datetime(2026, 12, 31) and day.number_format == DATE_FORMAT
    # "2026-03-01 07:30" is 16 characters, "2026-12-31" 10: the columns are wider than that.
    assert sheet.column_dimensions["A"].width == DATETIME_WIDTH > len("2026-03-01 07:30")
    assert sheet.column_dimensions["B"].width == DATE_WIDTH > len("2026-12-31")


def test_widths_follow_the_longest_value_counting_chinese_as_two():
    sheet = _sheet(_response([[1, "短", None, None], [22, "蓉庭居民区三号楼东侧", None, None]]))
    assert sheet.column_dimensions["B"].width == 2 * len("蓉庭居民区三号楼东侧") + 2
    assert sheet.column_dimensions["A"].width >= 2 * len("编号")  # the header counts too
    long = _sheet(_response([[1, "长" * 200, None, None]]))
    assert long.column_dimensions["B"].width == MAX_WIDTH


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_text_that_would_be_a_formula_is_escaped(text):
    cell = _sheet(_response([[1, text, None, None]]))["B2"]
    assert cell.data_type == "s" and cell.value == "'" + text


def test_ordinary_text_and_numbers_are_left_alone():
    sheet = _sheet(_response([[-5, "138****1234", None, None], [2.5, "王阿姨-3号楼", None, None]]))
    assert [c.value for c in sheet["A"][1:]] == [-5, 2.5]
    assert [c.value for c in sheet["B"][1:]] == ["138****1234", "王阿姨-3号楼"]


def test_the_download_has_a_chinese_name_and_an_ascii_fallback():
    response = _response([])
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="cases-20260228.xlsx"; ')
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == "诉求清单-20260228.xlsx"
    assert header.isascii()
    assert _sheet(response).title == "诉求"


def test_a_hostile_name_cannot_break_the_header():
    header = attachment_disposition('a";\r\nSet-Cookie: x=1.xlsx')
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2
    assert attachment_disposition("plain.xlsx") == 'attachment; filename="plain.xlsx"'


@pytest.mark.django_db
def test_the_case_export_uses_it(client, committee_staff, community):
    CaseFactory(community=community, created_at=dt.datetime(2026, 2, 28, 20, 0, tzinfo=SHANGHAI))
    client.force_login(committee_staff)
    response = client.get(reverse("communities:case_export"))
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = _sheet(response)
    assert sheet["B2"].value == dt.datetime(2026, 2, 28, 20, 0) and sheet["B2"].number_format == DATETIME_FORMAT
    assert sheet.column_dimensions["B"].width == DATETIME_WIDTH  # 提交时间


@pytest.mark.django_db
def test_the_import_template_uses_it(client, committee_staff):
    client.force_login(committee_staff)
    response = client.get(reverse("communities:residents_import_template"))
    assert response["Content-Disposition"].startswith('attachment; filename="residents-template.xlsx"; ')
    sheet = _sheet(response)
    assert all(sheet.column_dimensions[c].width >= 6 for c in "ABCDEFGHIJK")


@pytest.mark.django_db
def test_the_case_export_has_description_closing_time_and_rating(client, committee_staff, community, resident,
                                                                  django_assert_max_num_queries):
    from communities.models import CaseRating, CaseStatus

    closed = CaseFactory(community=community, status=CaseStatus.CLOSED, description="=1+1 楼道灯不亮\n第二行",
                         created_at=dt.datetime(2026, 2, 20, 9, 0, tzinfo=SHANGHAI),
                         closed_at=dt.datetime(2026, 2, 22, 18, 30, tzinfo=SHANGHAI))
    CaseRating.objects.create(case=closed, rater=resident, score=CaseRating.Score.BASIC,
                              reasons=["speed", "result"], partly_fixed=True)
    for _ in range(3):
        CaseFactory(community=community, description="另一件")
    client.force_login(committee_staff)
    client.get(reverse("home"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("communities:case_export"))
    sheet = _sheet(response)
    headers = [c.value for c in sheet[1]]
    for title in ("情况描述", "验收时间", "评价", "评价原因"):
        assert title in headers
    column = {title: index for index, title in enumerate(headers)}
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == closed.pk)
    description = row[column["情况描述"]]
    assert description.value == "'=1+1 楼道灯不亮\n第二行" and description.data_type == "s"
    assert row[column["验收时间"]].value == dt.datetime(2026, 2, 22, 18, 30)
    assert row[column["验收时间"]].number_format == DATETIME_FORMAT
    assert row[column["评价"]].value == "基本满意"
    assert row[column["评价原因"]].value == "速度、结果、只解决了一部分"
    other = next(r for r in sheet.iter_rows(min_row=2) if r[0].value != closed.pk)
    assert other[column["评价"]].value is None and other[column["验收时间"]].value is None
    from openpyxl.utils import get_column_letter
    widths = {t: sheet.column_dimensions[get_column_letter(i + 1)].width for t, i in column.items()}
    assert widths["验收时间"] == DATETIME_WIDTH
    assert widths["情况描述"] >= len("=1+1 ") + 2 * len("楼道灯不亮")  # fits its longest line
