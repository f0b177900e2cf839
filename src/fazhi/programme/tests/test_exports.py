"""The programme's Excel exports (/programme/export/<kind>.xlsx): streamed, scoped like the
pages, filters passed through and named on the printed title line, readable (widths, bold frozen
header, autofilter, landscape fit to width), text that a spreadsheet would run as a formula
escaped, and a query count that does not grow with the rows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core.testing.xlsx import column_width
from fazhi.org.models import Unit
from fazhi.programme import selectors, services
from fazhi.programme.models import DONE, Assignment, CategoryTally, Tally, Task

from .conftest import pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ["table", "tasks", "progress", "filings"]

TABLE_HEADER = ["编号", "类别", "目标任务", "单位代码", "单位", "牵头/责任", "阶段", "报送期", "完成时限", "状态", "预警"]
PROGRESS_HEADER = ["单位代码", "单位", "任务分解", "已完成", "待审核", "退回", "逾期", "完成率(%)"]
CATEGORY_HEADER = ["类别", "任务分解", "已完成", "待审核", "退回", "逾期", "完成率(%)"]
FILINGS_HEADER = ["单位代码", "单位", "状态", "报备时间", "是否按时", "一把手", "一把手电话", "分管领导", "分管领导电话", "专人"]
TASKS_HEADER = ["编号", "类别", "目标任务", "工作要求", "牵头单位", "责任单位", "完成时限", "佐证材料"]
SHEETS = {
    "table": [("责任分解表", TABLE_HEADER)],
    "tasks": [("目标任务", TASKS_HEADER)],
    "progress": [("按单位", PROGRESS_HEADER), ("按类别", CATEGORY_HEADER)],
    "filings": [("备案情况", FILINGS_HEADER)],
}
D01_UNITS = {"D01", "D01-FZ", "D01-ZD"}


def url(kind: str, query: str = "") -> str:
    return reverse("programme-export", args=[kind]) + (f"?{query}" if query else "")


def export(client, kind: str, query: str = ""):
    """(response, workbook) — the body read through `streaming_content`."""
    response = client.get(url(kind, query))
    assert response.status_code == 200, response
    assert response.streaming is True
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK"), "an .xlsx is a zip file"
    return response, load_workbook(io.BytesIO(body))


def rows(ws) -> list[tuple]:
    """Data rows (below the header) of a sheet, as value tuples."""
    return [r for r in ws.iter_rows(min_row=2, values_only=True)]


def header(ws) -> list:
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def add_task(programme, code: str, unit_codes: list[str] | str, *, title: str = "附加任务") -> int:
    """A task with one assignment per unit, through the service; returns assignments created."""
    spec = unit_codes if isinstance(unit_codes, str) else ";".join(unit_codes)
    row = {"code": code, "category": "附加类别", "title": title, "requirement": "", "lead_spec": "",
           "responsible_spec": spec, "due_kind": "phase", "due_phase": "implementation", "due_month_day": "",
           "report_period": "", "evidence": ""}
    _, _, created = services.task_upsert(programme=programme, row=row, units_by_code={u.code: u for u in Unit.objects.all()})
    return created


def finish(assignment, world) -> None:
    """Report (as the unit's demo admin) and accept: a task due at a phase's end is then done."""
    r = services.report_submit(assignment=assignment, actor=world.user(assignment.unit.code.lower()), text="完成",
                               files=[pdf()], expected_version=assignment.version)
    services.report_review(report=r, actor=world.user("fzb"), accept=True)


# ---------------------------------------------------------------- shape and scoping


@pytest.mark.parametrize("kind", KINDS)
def test_office_export_is_a_streamed_workbook_with_the_headers(world, programme, kind):
    response, wb = export(world.client("fzb"), kind)
    assert [(ws.title, header(ws)) for ws in wb.worksheets] == SHEETS[kind]
    assert f"{timezone.localdate():%Y%m%d}.xlsx" in response["Content-Disposition"]


def test_table_has_one_row_per_visible_assignment(world, programme):
    fzb = world.user("fzb")
    _, wb = export(world.client("fzb"), "table")
    data = rows(wb["责任分解表"])
    expected = Assignment.objects.visible_to(fzb).filter(programme=programme)
    assert len(data) == expected.count() > 100
    assert sorted((r[0], r[3]) for r in data) == sorted(expected.values_list("task__code", "unit__code"))
    assert {r[3] for r in data} >= {"D01", "D02", "LGO"}
    first = next(r for r in data if (r[0], r[3]) == ("1.1", "D01"))
    task = Task.objects.get(programme=programme, code="1.1")
    a = Assignment.objects.get(task=task, unit__code="D01")
    assert first[:8] == ("1.1", "建章立制", task.title, "D01", "区城市管理局", "责任", "组织实施", None)  # empty 报送期
    assert first[8].date() == a.due  # openpyxl reads the date cell back as a datetime
    assert first[9] == "未开始"
    assert next(r for r in data if (r[0], r[3]) == ("1.1", "LGO"))[5] == "牵头"


def test_unit_admin_exports_only_their_units(world, programme):
    d01 = world.user("d01")
    client = world.client("d01")

    _, wb = export(client, "table")
    data = rows(wb.active)
    assert len(data) == Assignment.objects.visible_to(d01).filter(programme=programme).count() > 0
    assert {r[3] for r in data} <= D01_UNITS
    assert "D01" in {r[3] for r in data}

    _, wb = export(client, "progress")
    by_unit = rows(wb["按单位"])
    assert [r[0] for r in by_unit] == ["D01"]  # its sections hold no assignments
    d01_total = Assignment.objects.filter(programme=programme, unit__code="D01").count()
    assert by_unit[0][2] == d01_total
    by_category = rows(wb["按类别"])
    assert sum(r[1] for r in by_category) == d01_total

    _, wb = export(client, "filings")
    assert [r[0] for r in rows(wb.active)] == ["D01"]  # sections do not file

    # and no export leaks a D02 row, whatever the filter: a unit it may not see is refused
    refused = client.get(url("table", "unit=D02"))
    assert refused.status_code == 400 and "D02" in refused.content.decode() and not refused.streaming
    for kind, query in [("table", ""), ("progress", ""), ("filings", "")]:
        _, wb = export(client, kind, query)
        for ws in wb.worksheets[:1]:
            assert not [r for r in rows(ws) if r[0] == "D02" or (len(r) > 3 and r[3] == "D02")], (kind, query)


def test_office_progress_and_filings_cover_every_unit(world, programme):
    fzb = world.user("fzb")
    a = programme.tasks.get(code="1.1").assignments.get(unit__code="D01")
    finish(a, world)

    _, wb = export(world.client("fzb"), "progress")
    by_unit = rows(wb["按单位"])
    units = list(selectors.units_with_assignments(user=fzb, programme=programme).values_list("code", flat=True))
    assert [r[0] for r in by_unit] == units
    assert sum(r[2] for r in by_unit) == Assignment.objects.filter(programme=programme).count()
    assert sum(r[3] for r in by_unit) == 1
    d01 = next(r for r in by_unit if r[0] == "D01")
    assert d01[3] == 1 and d01[7] == round(100 / d01[2], 1)
    cats = rows(wb["按类别"])
    assert [r[0] for r in cats] == sorted(set(Task.objects.filter(programme=programme).values_list("category", flat=True)))
    assert sum(r[1] for r in cats) == Assignment.objects.filter(programme=programme).count()

    services.workplan_file(programme=programme, unit=world.unit("D02"), actor=world.user("d02"), files=[pdf("方案.pdf")],
                           data={"head_name": "张局长", "head_phone": "0915-1", "deputy_name": "李副局长",
                                 "deputy_phone": "0915-2", "staff": [{"name": "王专人", "phone": "138"}]})
    _, wb = export(world.client("fzb"), "filings")
    data = rows(wb.active)
    filers = selectors.filing_status(user=fzb)
    assert [r[0] for r in data] == list(filers.values_list("code", flat=True))
    assert len(data) == 27  # 12 departments, 4 subdistricts, 11 towns
    d02 = next(r for r in data if r[0] == "D02")
    assert d02[2] == "已报备" and d02[5:] == ("张局长", "0915-1", "李副局长", "0915-2", "王专人 138")
    assert next(r for r in data if r[0] == "D03")[2] == "未报备"


# ---------------------------------------------------------------- filters


def test_table_filters_pass_through(world, programme):
    task = programme.tasks.get(code="1.1")
    for code in ("D01", "D02"):
        finish(task.assignments.get(unit__code=code), world)
    done = Assignment.objects.filter(programme=programme, status=DONE)
    assert done.count() >= 2

    client = world.client("fzb")
    _, wb = export(client, "table", "status=done")
    data = rows(wb.active)
    assert len(data) == done.count()
    assert {r[9] for r in data} == {"已完成"}
    assert sorted((r[0], r[3]) for r in data) == sorted(done.values_list("task__code", "unit__code"))

    _, wb = export(client, "table", "unit=D02")
    data = rows(wb.active)
    assert {r[3] for r in data} == {"D02"}
    assert len(data) == Assignment.objects.filter(programme=programme, unit__code="D02").count()

    _, wb = export(client, "table", "status=done&unit=D01")
    assert [(r[0], r[3], r[9]) for r in rows(wb.active)] == [("1.1", "D01", "已完成")]

    _, wb = export(client, "table", "phase=mobilization")
    data = rows(wb.active)
    assert data and {r[6] for r in data} == {"动员部署"}

    _, wb = export(world.client("d01"), "table", "status=done")
    assert [(r[0], r[3]) for r in rows(wb.active)] == [("1.1", "D01")]


# ---------------------------------------------------------------- formula escaping


def cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_text_that_starts_a_formula_is_escaped(world, programme):
    hyperlink = '=HYPERLINK("http://x")'
    Task.objects.filter(programme=programme, code="1.1").update(title=hyperlink)
    Unit.objects.filter(code="D01").update(name="-2+3")
    # the category is copied onto the assignments and the tallies: change it everywhere
    for model in (Task, Assignment, Tally, CategoryTally):
        model.objects.filter(programme=programme, category="建章立制").update(category="+1+1")
    services.workplan_file(programme=programme, unit=world.unit("D01"), actor=world.user("d01"), files=[pdf("方案.pdf")],
                           data={"head_name": "@SUM(A1)", "head_phone": "\t=1+1", "deputy_name": "李副局长",
                                 "deputy_phone": "0915-2", "staff": [{"name": "王专人", "phone": "138"}]})
    client = world.client("fzb")

    _, wb = export(client, "table")
    row = next(r for r in rows(wb.active) if (r[0], r[3]) == ("1.1", "D01"))
    assert row[2] == "'" + hyperlink
    assert row[1] == "'+1+1"
    assert row[4] == "'-2+3"

    _, wb = export(client, "progress")
    assert next(r for r in rows(wb["按单位"]) if r[0] == "D01")[1] == "'-2+3"
    assert "'+1+1" in [r[0] for r in rows(wb["按类别"])]

    _, wb = export(client, "filings")
    row = next(r for r in rows(wb.active) if r[0] == "D01")
    assert row[1] == "'-2+3"
    assert row[5] == "'@SUM(A1)"
    assert row[6] == "'=1+1"  # the service strips the leading tab; the formula that remains is escaped

    for kind in KINDS:
        _, wb = export(client, kind)
        formulas = [c.coordinate for c in cells(wb) if c.data_type == "f"]
        assert not formulas, (kind, formulas)


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_is_sent_to_login(world, programme, kind):
    response = world.client().get(url(kind))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("kind", KINDS)
def test_user_without_a_role_is_refused(world, programme, kind):
    response = world.client("nobody").get(url(kind))
    assert response.status_code == 403
    assert not response.streaming


@pytest.mark.parametrize("kind", ["nope", "assignments", "TABLE"])
def test_unknown_kind_is_404(world, programme, kind):
    assert world.client("fzb").get(url(kind)).status_code == 404


def test_no_current_programme_is_404(world):
    assert world.client("fzb").get(url("table")).status_code == 404


# ---------------------------------------------------------------- cost


def _export_queries(client, kind: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(kind))
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(body), read_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(min_row=2))
    wb.close()
    return len(ctx.captured_queries), n


@pytest.mark.parametrize("kind", ["table", "tasks", "progress"])
def test_query_count_does_not_grow_with_the_rows(world, programme, kind):
    client = world.client("fzb")
    client.get(url(kind))  # warm up: session, content types

    assert add_task(programme, "9.1", ["D01", "D02", "D03", "D04", "D05"]) == 5
    queries_5, rows_5 = _export_queries(client, kind)

    # 45 more: every department and town office (27) and 18 more units, sections included
    assert add_task(programme, "9.2", "ALL") == 27
    more = list(Unit.objects.order_by("code").values_list("code", flat=True)[:18])
    assert add_task(programme, "9.3", more) == 18
    queries_50, rows_50 = _export_queries(client, kind)

    if kind == "table":
        assert rows_50 == rows_5 + 45
    elif kind == "tasks":
        assert rows_50 == rows_5 + 2
    else:
        assert rows_50 >= rows_5
    assert queries_50 == queries_5, f"{kind}: {queries_5} queries with 5 extra assignments, {queries_50} with 50"


# ---------------------------------------------------------------- readable and printable


def test_every_export_is_formatted_for_reading_and_printing(world, programme):
    client = world.client("fzb")
    for kind in KINDS:
        _, wb = export(client, kind)
        for ws in wb.worksheets:
            assert ws.freeze_panes == "A2", (kind, ws.title)
            assert all(c.font.b for c in ws[1]), (kind, ws.title)
            assert ws.auto_filter.ref.startswith("A1:"), (kind, ws.title)
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
            assert ws.oddHeader.left.text.endswith("测试创建周期" + ("" if len(wb.worksheets) == 1 else f" · {ws.title}"))
            assert ws.oddHeader.center.text.startswith("筛选: ")
            assert ws.oddHeader.right.text.startswith(f"生成时间 {timezone.localdate():%Y-%m-%d}")
            assert all(6 <= column_width(ws, chr(65 + i)) <= 40 for i in range(len(header(ws)))), (kind, ws.title)


def test_table_export_widths_wrap_and_title_line(world, programme):
    long_title = "完善政府工作规则,建立重大决策规则机制,规范决策权限、决策程序、决策责任"
    Task.objects.filter(programme=programme, code="1.1").update(title=long_title)
    _, wb = export(world.client("fzb"), "table", "unit=D02&status=not_started")
    ws = wb.active
    widths = {h: column_width(ws, chr(65 + i)) for i, h in enumerate(header(ws))}
    assert widths["目标任务"] == 40  # capped: the long titles wrap
    cell = next(r[2] for r in ws.iter_rows(min_row=2) if r[0].value == "1.1")
    assert cell.value == long_title and cell.alignment.wrap_text
    assert widths["编号"] < 12 and widths["完成时限"] < 16  # short columns stay narrow
    assert widths["单位"] >= 2 * len("区城市管理局")  # CJK counts double
    assert ws.oddHeader.left.text == "责任分解表(任务分解明细)· 测试创建周期"
    assert ws.oddHeader.center.text == "筛选: 单位 D02(含下级)、状态 未开始"
    assert len(rows(ws)) == Assignment.objects.filter(unit__code="D02", status="not_started").count()


def test_table_export_refuses_a_bad_filter_in_chinese(world, programme):
    response = world.client("fzb").get(url("table", "status=bogus"))
    assert response.status_code == 400
    assert response.content.decode().startswith("导出失败: 「状态」未知的状态「bogus」")


def test_tasks_export_is_the_table_in_the_import_format(world, programme):
    _, wb = export(world.client("d01"), "tasks")  # reference data: every role may read the table
    data = {r[0]: r for r in rows(wb.active)}
    assert len(data) == Task.objects.filter(programme=programme).count() == 16
    task = Task.objects.get(programme=programme, code="1.4")
    assert data["1.4"] == ("1.4", task.category, task.title, task.requirement, "LGO",
                           "; ".join(f"D{i:02d}" for i in range(1, 13)), "阶段:组织实施", task.evidence)
    assert data["1.1"][5] == "ALL" and data["1.2"][6] == "持续:每季度"
    assert wb.active.oddHeader.left.text == "责任分解表(目标任务,导入格式)· 测试创建周期"
