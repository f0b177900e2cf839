"""Importing the responsibility table from .xlsx: all rows valid or nothing; twice changes nothing."""

import io
from importlib import resources

import pytest
from django.urls import reverse
from openpyxl import Workbook

from fazhi.core.models import Event
from fazhi.programme import imports
from fazhi.programme.models import Assignment, Task

HEADER = ["code", "category", "task", "requirement", "lead_units", "responsible_units", "due", "evidence"]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "表.xlsx"
    return out


def bundled_rows():
    import csv

    text = resources.files("fazhi.programme").joinpath("data/responsibility_table.csv").read_text("utf-8")
    return [list(r.values()) for r in csv.DictReader(io.StringIO(text))]


def snapshot():
    return (Task.objects.count(), Assignment.objects.count(), Task.history.count(), Assignment.history.count(),
            Event.objects.count())


def test_the_same_xlsx_twice_changes_nothing(world, programme):
    before = snapshot()
    result = imports.import_table(programme=programme, upload=xlsx(bundled_rows()), actor=world.user("fzb"))
    assert result == {"rows": 16, "tasks_created": 0, "tasks_changed": 0, "assignments_created": 0}
    assert snapshot() == before


def test_a_changed_row_updates_its_task_and_keeps_history(world, programme):
    rows = bundled_rows()
    rows[0][2] = "完善政府工作规则(修订)"
    result = imports.import_table(programme=programme, upload=xlsx(rows), actor=world.user("fzb"))
    assert result["tasks_changed"] == 1
    task = programme.tasks.get(code="1.1")
    assert task.title == "完善政府工作规则(修订)" and task.history.count() == 2


def test_every_bad_row_is_reported_and_nothing_imported(world, programme):
    before = snapshot()
    rows = bundled_rows() + [
        ["9.1", "新类别", "任务一", "", "LGO", "D99", "phase:implementation", ""],      # unknown unit
        ["9.2", "", "任务二", "", "LGO", "ALL", "sometime", ""],                        # empty category, bad due
        ["9.1", "新类别", "重复", "", "", "KEY", "date:02-30", ""],                     # dup code, no lead, bad date
    ]
    with pytest.raises(imports.ImportRejected) as exc:
        imports.import_table(programme=programme, upload=xlsx(rows), actor=world.user("fzb"))
    found = {(e.row, e.column) for e in exc.value.errors}
    assert found == {(18, "responsible_units"), (19, "category"), (19, "due"), (20, "code"), (20, "lead_units"),
                     (20, "due")}
    assert "D99" in str(exc.value.errors[0])
    assert snapshot() == before


def test_missing_columns_are_named(world, programme):
    with pytest.raises(imports.InvalidInput, match="缺少列: due"):
        imports.import_table(programme=programme, upload=xlsx([["1"] * 7], header=HEADER[:6] + ["evidence"]))


def test_not_a_spreadsheet(world, programme):
    bad = io.BytesIO(b"PK\x03\x04garbage")
    with pytest.raises(imports.InvalidInput, match="无法读取"):
        imports.import_table(programme=programme, upload=bad)


def test_import_page_reports_rows_and_imports_valid_files(world, programme):
    client = world.client("fzb")
    rows = bundled_rows() + [["9.9", "新类别", "新任务", "要求", "LGO", "D01;D02", "continuous:monthly", "记录"]]
    ok = client.post(reverse("programme-import"), {"file": xlsx(rows)})
    assert ok.status_code == 302
    assert Assignment.objects.filter(task__code="9.9").count() == 3  # D01, D02 and the lead LGO
    bad = client.post(reverse("programme-import"), {"file": xlsx([["", "", "", "", "", "", "", ""]] + [
        ["8.1", "类", "任务", "", "ZZZ", "", "phase:x", ""]])})
    body = bad.content.decode()
    assert bad.status_code == 400
    assert "未知的单位代码 ZZZ" in body and "未知的阶段「x」" in body and "未导入任何内容" in body
