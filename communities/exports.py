"""The one way an Excel file leaves the app: every export (cases, tenants, the scorecard, the residents'
import template) builds its workbook and its download response here.

- Column widths come from the longest rendered value of each column (a CJK character counts as two), so no
  column is too narrow for what it holds; dates and datetimes are real Excel dates with a number format and
  a width that fits the format, so they never show as ``###``.
- A text cell that starts with ``= + - @`` (or a tab / carriage return) would be read as a formula by Excel
  or by a spreadsheet the file is pasted into (CSV/formula injection, OWASP): it is written as text with a
  leading apostrophe.
- The download's name may be Chinese: ``Content-Disposition`` carries an ASCII fallback and the UTF-8 name
  as ``filename*`` (RFC 5987 / RFC 6266), so no browser sees a raw non-ASCII header.
"""
import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Width (in Excel character units) a formatted date needs, with a little room for the filter arrow.
DATE_WIDTH = 12
DATETIME_WIDTH = 18
MIN_WIDTH = 6
MAX_WIDTH = 60
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_response(*, filename: str, sheet_title: str, headers: Sequence, rows: Iterable[Sequence],
                  ascii_filename: str = "", write_only: bool = True) -> HttpResponse:
    """A download of one sheet: ``headers`` then ``rows`` (values: str, numbers, dates, aware datetimes,
    None). ``filename`` may be Chinese; ``ascii_filename`` is what an old browser shows instead."""
    workbook = xlsx_workbook(sheet_title=sheet_title, headers=headers, rows=rows, write_only=write_only)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(filename, ascii_filename=ascii_filename)
    workbook.save(response)
    return response


def xlsx_workbook(*, sheet_title: str, headers: Sequence, rows: Iterable[Sequence], write_only: bool = True):
    """The workbook itself (for callers that save it elsewhere, or tests)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    table = [[str(h) for h in headers]] + [[_cell_value(v) for v in row] for row in rows]
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet(str(sheet_title)) if write_only else workbook.active
    if not write_only:
        sheet.title = str(sheet_title)
    # Widths before the first row: a write-only sheet writes its <cols> ahead of the data.
    for index, width in enumerate(column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for values in table:
        if write_only:
            sheet.append([_write_only_cell(sheet, v, WriteOnlyCell) for v in values])
        else:
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                _style(cell)
    return workbook


def column_widths(table: Sequence[Sequence]) -> list[float]:
    """Each column's width: its longest rendered value, dates by their format's width."""
    widths: list[float] = []
    for row in table:
        for index, value in enumerate(row):
            if index == len(widths):
                widths.append(MIN_WIDTH)
            widths[index] = max(widths[index], _rendered_width(value))
    return [min(MAX_WIDTH, w) for w in widths]


def attachment_disposition(filename: str, *, ascii_filename: str = "") -> str:
    """``attachment`` with an ASCII fallback name and the real (possibly Chinese) name as ``filename*``."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_"
                       for c in (ascii_filename or filename))
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def escape_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell_value(value):
    if isinstance(value, dt.datetime):
        # Excel has no time zones: a datetime is written as Shanghai wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str):
        return escape_formula(value)
    return value


def _rendered_width(value) -> float:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return DATETIME_WIDTH
    if isinstance(value, dt.date):
        return DATE_WIDTH
    text = str(value)
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest) + 2


def _write_only_cell(sheet, value, cell_class):
    cell = cell_class(sheet, value=value)
    _style(cell)
    return cell


def _style(cell) -> None:
    value = cell.value
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        # A string is a string, even one openpyxl would take for a formula.
        cell.data_type = "s"
