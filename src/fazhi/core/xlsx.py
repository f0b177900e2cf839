"""The one .xlsx writer of every export: columns fitted to their content, a bold frozen header
with an autofilter, and a print setup (A4 landscape, fit to the page width, the header row
repeated on every page, a title line with the export's filter and time of generation).

XlsxWriter in constant-memory mode: each row goes to a temporary file as soon as the next one
starts, so memory stays flat at any row count; the finished file is then streamed in chunks.
XlsxWriter was measured against openpyxl's write-only mode, with and without lxml (bench/README.md).
Rows are consumed as they come, so column widths are fitted on the header and the first
`FIT_ROWS` rows, held back until the widths are set; a column wider than `MAX_WIDTH` is set to it.
Text wraps, and a row whose text needs more than one line gets the height for it (LibreOffice
does not fit row heights when it opens a file, so the writer does).
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

from fazhi.core.errors import InvalidInput

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FIT_ROWS = 1000  # rows held back to fit the widths: a few hundred KB at most
MIN_WIDTH, MAX_WIDTH = 6, 40  # in widths of a Latin character; a CJK character counts 2
FONT_SIZE = 10
LINE_HEIGHT = 14  # points per line of wrapped text at FONT_SIZE (CJK fonts are taller than Latin ones)
HEADER_LIMIT = 255  # Excel ignores a longer page header
STREAM_BLOCK = 256 * 1024
MAX_ROWS = 1_048_575  # Excel's rows per sheet, less the header; XlsxWriter would drop the rest silently


A4_WIDTH = 180
A3_WIDTH = 254  # A3 is √2 times as wide


def safe_cell(value):
    """Text a spreadsheet could read as a formula is escaped with a leading quote. So is text that
    XlsxWriter would take for raw rich-text XML (`<r>…</r>`), which it writes unescaped."""
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES)
                                   or (value.startswith("<r>") and value.endswith("</r>"))):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """The inverse of `safe_cell`, for reading back an export (the import)."""
    if value.startswith("'") and (value[1:].startswith(FORMULA_PREFIXES) or value[1:].startswith("<r>")):
        return value[1:]
    return value


def text_width(text: str) -> int:
    """Display width of one line: wide (CJK) characters count 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, room: int) -> int:
    """Lines a wrapped cell takes. Width estimated from the UTF-8 length (a CJK character is 3 bytes,
    2 wide): exact enough for a row height, and computed in C for every row of a large export."""
    if "\n" not in text:
        return -(-(len(text) + (len(text.encode()) - len(text)) // 2) // room)
    return sum(max(1, _lines(line, room)) for line in text.split("\n"))


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max(text_width(line) for line in value.split("\n"))
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


class _Formats:
    def __init__(self, wb):
        base = {"valign": "top", "font_size": FONT_SIZE}
        self.header = wb.add_format({**base, "bold": True, "text_wrap": True, "bg_color": "#E7E6E6", "border": 1})
        self.wrap = wb.add_format({**base, "text_wrap": True})  # every text cell: nothing is ever cut
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.datetime = wb.add_format({**base, "num_format": "yyyy-mm-dd hh:mm", "align": "left"})
        self.number = wb.add_format(base)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


def _print_header(title: str, criteria: str | None, generated: dt.datetime) -> str:
    """&L title &C filter &R time; the filter is shortened to stay within Excel's limit. No filter
    line at all when `criteria` is None (a template, say)."""
    left = f'&L&"-,Bold"{_header_text(title)}'
    right = f"&R生成时间 {generated:%Y-%m-%d %H:%M}"
    if criteria is None:
        return left + right
    room = HEADER_LIMIT - len(left) - len(right) - len("&C筛选: ")
    crit = _header_text(criteria or "全部")
    if len(crit) > room:
        crit = crit[:room - 1].rstrip("&") + "…"
    return f"{left}&C筛选: {crit}{right}"


def _sheet_name(title: str, used: set) -> str:
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name.lower())
    return name


def write_sheet(wb, formats: _Formats, sheet: Sheet, *, print_header: str) -> int:
    """Write one sheet; returns its number of data rows."""
    ws = wb.add_worksheet(sheet.title)
    header = list(sheet.header)
    rows = iter(sheet.rows)
    held = [list(r) for r in islice(rows, FIT_ROWS)]
    widths = [text_width(h) + 3 for h in header]  # + the autofilter button
    for r in held:
        for c, v in enumerate(r[:len(widths)]):
            widths[c] = max(widths[c], _width(v))
    room = []  # characters a line of the column holds
    for c, w in enumerate(widths):
        width = min(max(w + 1, MIN_WIDTH), MAX_WIDTH)
        ws.set_column(c, c, width)
        room.append(width - 1)
    total_width = sum(room) + len(room)

    for c, h in enumerate(header):
        ws.write_string(0, c, safe_cell(str(h)), formats.header)
    write_string, write_number, write_datetime, set_row = ws.write_string, ws.write_number, ws.write_datetime, ws.set_row
    text = formats.wrap
    # XlsxWriter (3.3) keeps a row's height (row_info, row_sizes) after writing the row out, even in
    # constant-memory mode: drop it once the row is written (rows before `previous_row` are), or memory
    # grows with the rows. test_memory_stays_flat_whatever_the_row_count guards this.
    row_info, row_sizes, tall = ws.row_info, ws.row_sizes, []
    n = 0
    for n, row in enumerate(chain(held, rows), start=1):
        if n > MAX_ROWS:
            raise InvalidInput(f"「{sheet.title}」超过 Excel 一张表 {MAX_ROWS:,} 行的上限,"
                               "请加筛选条件(如按单位或类别)分几次导出", field="export")
        lines = 1
        for c, v in enumerate(row):
            t = type(v)
            if t is str:
                if v:
                    write_string(n, c, safe_cell(v), text)
                    if len(v) * 2 > room[c]:  # else it fits whatever the characters
                        lines = max(lines, _lines(v, room[c]))
                    elif "\n" in v:
                        lines = max(lines, v.count("\n") + 1)
            elif v is None:
                continue
            elif t is int or t is float or t is Decimal:
                write_number(n, c, v, formats.number)
            elif t is dt.date:
                write_datetime(n, c, v, formats.date)
            elif t is dt.datetime:
                write_datetime(n, c, timezone.localtime(v).replace(tzinfo=None) if timezone.is_aware(v) else v,
                               formats.datetime)
            elif t is bool:
                write_string(n, c, "是" if v else "否", text)
            else:
                write_string(n, c, safe_cell(str(v)), text)
        if lines > 1:
            set_row(n, LINE_HEIGHT * lines + 2)
            tall.append(n)
        if tall and tall[0] < ws.previous_row:
            written = ws.previous_row
            for r in tall:
                if r < written:
                    del row_info[r], row_sizes[r]
            tall = [r for r in tall if r >= written]

    last_col = max(len(header) - 1, 0)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, last_col)
    ws.set_landscape()
    # A4 landscape holds about A4_WIDTH character widths legibly; a wider ledger goes on A3 rather than shrink unread,
    # and one wider than A3 holds goes over several A3 pages side by side, each repeating the first column (the
    # record's number), rather than shrinking to a size nobody can read.
    ws.set_paper(8 if total_width > A4_WIDTH else 9)  # 8 = A3, 9 = A4
    pages_wide = max(1, math.ceil(total_width / A3_WIDTH))
    ws.fit_to_pages(pages_wide, 0)  # as many pages long as needed
    if pages_wide > 1:
        ws.repeat_columns(0)
    ws.repeat_rows(0)
    ws.hide_gridlines(0)  # print the grid: a table on paper needs its lines
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    ws.set_header(print_header, {"margin": 0.3})
    ws.set_footer("&C第 &P 页,共 &N 页", {"margin": 0.3})
    return n


def write_workbook(target, *, sheets: Iterable, title: str = "", criteria: str | None = "",
                   generated: dt.datetime | None = None) -> list[int]:
    """Write the sheets (Sheet, or (title, header, rows) tuples) to a path or a binary file;
    returns each sheet's number of data rows."""
    generated = timezone.localtime(generated or timezone.now()).replace(tzinfo=None)
    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    wb.set_properties({"title": title, "subject": "" if criteria is None else f"筛选: {criteria or '全部'}",
                       "comments": f"生成时间 {generated:%Y-%m-%d %H:%M}", "created": generated})
    formats = _Formats(wb)
    used: set = set()
    counts = []
    sheets = [s if isinstance(s, Sheet) else Sheet(*s) for s in sheets]
    try:
        for s in sheets:
            s.title = _sheet_name(s.title, used)
            page_title = title if len(sheets) == 1 or not title else f"{title} · {s.title}"
            counts.append(write_sheet(wb, formats, s, print_header=_print_header(page_title or s.title, criteria,
                                                                                 generated)))
    except BaseException:
        for ws in wb.worksheets():  # the rows spooled so far: not worth assembling into a file
            if fh := getattr(ws, "row_data_fh", None):
                fh.close()
        raise
    wb.close()
    return counts


def xlsx_response(*, filename: str, sheets: Iterable, title: str = "", criteria: str | None = "") -> FileResponse:
    """The workbook as a download. `title` names the export on every printed page, beside `criteria`
    (the filter, in words; empty means everything, None leaves it out) and the time of generation."""
    spool = tempfile.TemporaryFile()
    try:
        write_workbook(spool, sheets=sheets, title=title or filename.rsplit(".", 1)[0], criteria=criteria)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
    response.block_size = STREAM_BLOCK
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
