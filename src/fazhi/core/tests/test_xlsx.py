"""The shared .xlsx writer, read back with openpyxl: fitted widths (CJK counts double), wrapped
long text, a bold frozen header with an autofilter, the print setup and its title line,
formula escaping, cell types, and memory that does not grow with the rows."""

import datetime as dt
import io
import tracemalloc

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core import xlsx
from fazhi.core.testing.xlsx import column_width as width

HEADER = ["编号", "目标任务", "单位代码", "完成时限", "数量"]


def write(rows, header=HEADER, **kwargs):
    out = io.BytesIO()
    counts = xlsx.write_workbook(out, sheets=[("责任分解表", header, rows)], **kwargs)
    out.seek(0)
    return counts, load_workbook(out)


def rows(n=20):
    return [(f"1.{i}", "完善政府工作规则" * (1 + i % 2), f"D{i:02d}", dt.date(2026, 6, 30), i) for i in range(n)]


def test_widths_fit_the_content_and_count_cjk_double():
    _, wb = write([("1.1", "依法行政", "D01", dt.date(2026, 6, 30), 3)])
    widths = {c: width(wb.active, c) for c in "ABCDE"}
    # 编号: the header (4) + the autofilter button (3) + 1; 目标任务: 4 CJK = 8, + 3 + 1
    assert widths["A"] == 8 and widths["B"] == 12
    assert widths["D"] == 12  # 完成时限 (8 + 3 + 1), wider than a date (10)
    _, wb = write([("1.1", "完善政府工作规则建立重大决策机制", "D01", None, None)])  # 16 CJK = 32
    assert width(wb.active, "B") == 32 + 1
    assert wb.active.row_dimensions[2].height is None  # one line: the default height


def test_text_wider_than_the_limit_wraps_at_the_limit():
    long = "规范决策权限、决策程序、决策责任;重大决策实行群众参与、专家论证、合法性审查"
    assert xlsx.text_width(long) > xlsx.MAX_WIDTH
    _, wb = write([("1.1", long, "D01", None, 1)])
    ws = wb.active
    assert width(ws, "B") == xlsx.MAX_WIDTH
    assert ws["B2"].alignment.wrap_text and ws["B2"].alignment.vertical == "top"
    assert ws["B2"].value == long  # wrapped, never cut
    lines = -(-xlsx.text_width(long) // xlsx.MAX_WIDTH)
    assert lines == 2 and ws.row_dimensions[2].height == pytest.approx(xlsx.LINE_HEIGHT * 2 + 2, abs=0.75)


def test_row_height_follows_line_breaks_and_text_past_the_fitted_rows():
    _, wb = write(rows(xlsx.FIT_ROWS) + [("1.x", "第一行\n第二行\n第三行", "D01" * 30, None, 1)])
    ws = wb.active
    room = width(ws, "C") - 1
    expected = xlsx.LINE_HEIGHT * max(3, -(-90 // room)) + 2
    assert ws.row_dimensions[xlsx.FIT_ROWS + 2].height == pytest.approx(expected, abs=0.75)  # whole pixels


def test_widths_come_from_the_first_rows_only():
    later = [("1.x", "很长很长很长很长很长很长很长很长很长很长很长很长很长很长", "D01", None, 1)]
    _, wb = write(rows(xlsx.FIT_ROWS) + later)
    assert width(wb.active, "B") < xlsx.MAX_WIDTH  # fitted on the rows held back
    assert wb.active.cell(xlsx.FIT_ROWS + 2, 2).value == later[0][1]  # and the row is still written


def test_bold_frozen_header_and_autofilter():
    counts, wb = write(rows(20))
    ws = wb.active
    assert counts == [20]
    assert [c.value for c in ws[1]] == HEADER
    assert all(c.font.b for c in ws[1])
    assert not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:E21"


def test_a_ledger_too_wide_for_a4_prints_on_a3():
    header = [f"第{i}列较长的标题" for i in range(26)]
    _, wb = write([["内容"] * 26], header=header)
    assert wb.active.page_setup.paperSize == 8  # A3: 26 columns on A4 shrink below legible


def test_a_ledger_too_wide_for_a3_prints_over_several_pages_repeating_its_first_column():
    header = [f"第{i}列较长的标题" for i in range(40)]
    _, wb = write([["内容"] * 40], header=header)
    ws = wb.active
    assert ws.page_setup.paperSize == 8
    assert ws.page_setup.fitToWidth >= 2  # side by side rather than shrunk unread
    assert ws.print_title_cols == "$A:$A" and ws.print_title_rows == "$1:$1"


def test_print_setup_and_title_line():
    generated = timezone.make_aware(dt.datetime(2026, 11, 27, 9, 30))
    _, wb = write(rows(5), title="责任分解表 · 2026年创建周期", criteria="单位 D01(含下级)、状态 未开始",
                  generated=generated)
    ws = wb.active
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, so it may be left out
    assert ws.page_setup.fitToHeight == 0  # as many pages long as needed
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_options.gridLines
    assert ws.oddHeader.left.text == "责任分解表 · 2026年创建周期"
    assert ws.oddHeader.center.text == "筛选: 单位 D01(含下级)、状态 未开始"
    assert ws.oddHeader.right.text == "生成时间 2026-11-27 09:30"
    assert ws.oddFooter.center.text == "第 &P 页,共 &N 页"
    assert wb.properties.title == "责任分解表 · 2026年创建周期"
    assert wb.properties.subject == "筛选: 单位 D01(含下级)、状态 未开始"


def test_no_filter_says_everything_and_a_long_one_is_shortened_to_excels_limit():
    _, wb = write(rows(1), title="进度")
    assert wb.active.oddHeader.center.text == "筛选: 全部"
    header = xlsx._print_header("进度 & 备案", "类别 " + "很长" * 200, dt.datetime(2026, 1, 1))
    assert len(header) <= xlsx.HEADER_LIMIT and header.endswith("&R生成时间 2026-01-01 00:00")
    assert "进度 && 备案" in header and "…" in header
    assert "&C" not in xlsx._print_header("模板", None, dt.datetime(2026, 1, 1))


def test_text_that_starts_a_formula_is_escaped():
    _, wb = write([("=1+1", "@SUM(A1)", "-2+3", "+1", "<r><t>x</t></r>")], header=list("ABCDE"))
    ws = wb.active
    assert [c.value for c in ws[2]] == ["'=1+1", "'@SUM(A1)", "'-2+3", "'+1", "'<r><t>x</t></r>"]
    assert all(c.data_type == "s" for c in ws[2])
    for v in ("=1+1", "@SUM(A1)", "-2+3", "<r><t>x</t></r>", "plain", "'quoted"):
        assert xlsx.unescape_cell(str(xlsx.safe_cell(v))) == v


def test_cell_types():
    aware = timezone.make_aware(dt.datetime(2026, 3, 1, 8, 5))
    _, wb = write([("a", dt.date(2026, 6, 30), aware, 2.5, None, True)], header=list("ABCDEF"))
    ws = wb.active
    assert ws["B2"].value == dt.datetime(2026, 6, 30) and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["C2"].value == dt.datetime(2026, 3, 1, 8, 5)  # local time, as the pages show it
    assert ws["D2"].value == 2.5 and ws["E2"].value is None and ws["F2"].value == "是"


def test_several_sheets_get_valid_distinct_names():
    out = io.BytesIO()
    xlsx.write_workbook(out, sheets=[("按单位/类别", ["a"], [("x",)]), ("按单位/类别", ["a"], []),
                                     (xlsx.Sheet("很长" * 20, ["a"], []))], title="进度")
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["按单位_类别", "按单位_类别(2)", "很长" * 15 + "很"]
    assert wb.worksheets[0].oddHeader.left.text == "进度 · 按单位_类别"
    assert wb.worksheets[1].auto_filter.ref == "A1"  # an empty sheet still has its header


def test_response_streams_the_file_as_an_attachment():
    response = xlsx.xlsx_response(filename="责任分解表-20261127.xlsx", sheets=[("表", ["a"], [("x",)])])
    assert response.streaming and response["Content-Type"] == xlsx.CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E8%B4%A3%E4%BB%BB%E5%88%86%E8%A7%A3%E8%A1%A8-20261127.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.active.oddHeader.left.text == "责任分解表-20261127"


def test_more_rows_than_excel_holds_is_refused_not_cut(monkeypatch):
    from fazhi.core.errors import InvalidInput

    monkeypatch.setattr(xlsx, "MAX_ROWS", 30)
    with pytest.raises(InvalidInput, match="超过 Excel 一张表 30 行的上限"):
        write(rows(31))
    assert write(rows(30))[0] == [30]


@pytest.mark.slow
def test_memory_stays_flat_whatever_the_row_count(tmp_path):
    def peak(n):
        tracemalloc.start()
        # every row wraps (so has a height of its own), as long titles do
        generated = ((f"1.{i}", "完善政府工作规则" * (3 + i % 2), f"D{i:02d}", dt.date(2026, 6, 30), i)
                     for i in range(n))
        xlsx.write_workbook(tmp_path / f"{n}.xlsx", sheets=[("t", HEADER, generated)])
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(2_000), peak(40_000)
    assert large < small * 1.5 + 1_000_000, (small, large)
