"""Importing the responsibility table: the Chinese header of the app's own export (English
accepted), all rows valid or nothing, twice changes nothing, export → import changes nothing,
a changed task reaches its assignments with history and exact tallies, and the caps."""

import io
from importlib import resources

import pytest
import xlsxwriter
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.core.models import Event
from fazhi.programme import imports, rules, services
from fazhi.programme.models import DONE, Assignment, CategoryTally, Phase, Tally, Task
from fazhi.programme.tests.test_permissions import ProgrammeCases

HEADER = ["code", "category", "task", "requirement", "lead_units", "responsible_units", "due", "evidence"]
CN_HEADER = ["编号", "类别", "目标任务", "工作要求", "牵头单位", "责任单位", "完成时限", "佐证材料"]
CN_DUE = {"phase:mobilization": "阶段:动员部署", "phase:implementation": "阶段:组织实施",
          "phase:self_check": "阶段:自查整改", "phase:acceptance": "阶段:考核验收", "continuous": "持续",
          "date:04-30": "日期:04-30"}


def xlsx(rows, header=HEADER, *, above=()) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for line in above:
        ws.append(line)
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
            Event.objects.count(), tallies())


def tallies():
    return (sorted((t.unit_id, t.category, t.phase, t.status, t.due, t.count) for t in Tally.objects.filter(count__gt=0)),
            sorted((t.category, t.phase, t.status, t.due, t.count) for t in CategoryTally.objects.filter(count__gt=0)))


def assert_tallies_equal_a_recount(programme):
    kept = tallies()
    services.tallies_rebuild(programme)
    assert tallies() == kept


def export_tasks(client) -> bytes:
    response = client.get(reverse("programme-export", args=["tasks"]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def upload(body: bytes, name="目标任务.xlsx") -> io.BytesIO:
    f = io.BytesIO(body)
    f.name = name
    return f


def finish(a, world):
    from .conftest import pdf

    r = services.report_submit(assignment=a, actor=world.user(a.unit.code.lower()), text="完成", files=[pdf()],
                               expected_version=a.version)
    services.report_review(report=r, actor=world.user("fzb"), accept=True)


# ---------------------------------------------------------------- same file, own export


def test_the_same_xlsx_twice_changes_nothing(world, programme):
    before = snapshot()
    result = imports.import_table(programme=programme, upload=xlsx(bundled_rows()), actor=world.user("fzb"))
    assert result == {"rows": 16, "tasks_created": 0, "tasks_changed": 0, "assignments_created": 0}
    assert snapshot() == before


def test_chinese_headers_and_due_words_read_as_the_english_ones(world, programme):
    before = snapshot()
    rows = [r[:6] + [CN_DUE[r[6]]] + r[7:] for r in bundled_rows()]
    result = imports.import_table(programme=programme, upload=xlsx(rows, CN_HEADER), actor=world.user("fzb"))
    assert result["tasks_changed"] == 0 and result["assignments_created"] == 0
    assert snapshot() == before


def test_export_then_import_changes_nothing(world, programme):
    """The round trip: the tasks export, imported as it is, writes no history, no event, no row."""
    finish(programme.tasks.get(code="1.1").assignments.get(unit__code="D01"), world)
    client = world.client("fzb")
    body = export_tasks(client)
    ws = load_workbook(io.BytesIO(body)).active
    assert [c.value for c in ws[1]] == CN_HEADER
    dues = {r[0]: r[6] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert dues["1.1"] == "阶段:组织实施" and dues["1.2"] == "持续:每季度"

    before = snapshot()
    result = imports.import_table(programme=programme, upload=upload(body), actor=world.user("fzb"))
    assert result == {"rows": 16, "tasks_created": 0, "tasks_changed": 0, "assignments_created": 0}
    assert snapshot() == before
    # and through the page, as a user would
    response = client.post(reverse("programme-import"), {"file": upload(body)})
    assert response.status_code == 302
    assert snapshot() == before


def test_exported_text_that_looks_like_a_formula_comes_back_unchanged(world, programme):
    task = programme.tasks.get(code="1.1")
    task.title, task.evidence = "=HYPERLINK(\"x\")", "-2+3"
    task.save()
    body = export_tasks(world.client("fzb"))
    row = next(r for r in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) if r[0] == "1.1")
    assert row[2] == "'=HYPERLINK(\"x\")" and row[7] == "'-2+3"  # escaped in the file
    before = snapshot()
    imports.import_table(programme=programme, upload=upload(body), actor=world.user("fzb"))
    assert snapshot() == before


# ---------------------------------------------------------------- a changed task reaches its assignments


def test_a_changed_row_updates_its_task_and_keeps_history(world, programme):
    rows = bundled_rows()
    rows[0][2] = "完善政府工作规则(修订)"
    result = imports.import_table(programme=programme, upload=xlsx(rows), actor=world.user("fzb"))
    assert result["tasks_changed"] == 1
    task = programme.tasks.get(code="1.1")
    assert task.title == "完善政府工作规则(修订)" and task.history.count() == 2


def test_a_changed_category_moves_each_assignment_with_history_and_exact_tallies(world, programme):
    client = world.client("fzb")
    task = programme.tasks.get(code="1.1")
    finish(task.assignments.get(unit__code="D01"), world)
    wb = load_workbook(io.BytesIO(export_tasks(client)))
    ws = wb.active
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "1.1")
    row[1].value = "依法决策"
    out = io.BytesIO()
    wb.save(out)

    assignments = {a.pk: a.version for a in task.assignments.all()}
    history_before = Assignment.history.count()
    result = imports.import_table(programme=programme, upload=upload(out.getvalue()), actor=world.user("fzb"))
    assert result["tasks_changed"] == 1

    assert set(task.assignments.values_list("category", flat=True)) == {"依法决策"}
    for a in task.assignments.all():
        assert a.version == assignments[a.pk] + 1
        latest = a.history.first()
        assert latest.category == "依法决策" and latest.history_change_reason == "导入责任分解表"
        assert latest.history_user == world.user("fzb")
    assert Assignment.history.count() == history_before + len(assignments)
    assert_tallies_equal_a_recount(programme)
    assert CategoryTally.objects.filter(programme=programme, category="依法决策", status=DONE).get().count == 1
    event = Event.objects.filter(verb="programme.task_imported").order_by("-id").first()
    assert event.data == {"assignments_created": 0, "assignments_updated": len(assignments)}


def test_a_changed_due_moves_the_work_still_owed(world, programme):
    task = programme.tasks.get(code="1.1")
    done = task.assignments.get(unit__code="D01")
    finish(done, world)
    done.refresh_from_db()
    rows = [r[:6] + [CN_DUE[r[6]]] + r[7:] for r in bundled_rows()]
    rows[0][6] = "阶段:考核验收"
    imports.import_table(programme=programme, upload=xlsx(rows, CN_HEADER), actor=world.user("fzb"))

    acceptance_end = Phase.objects.get(programme=programme, key="acceptance").end
    task.refresh_from_db()
    assert (task.due_kind, task.due_phase) == ("phase", "acceptance")
    open_ = task.assignments.exclude(pk=done.pk)
    assert set(open_.values_list("phase", "due")) == {("acceptance", acceptance_end)}
    kept = task.assignments.get(pk=done.pk)
    assert (kept.phase, kept.due, kept.status) == ("acceptance", done.due, DONE)  # done work keeps its date
    assert_tallies_equal_a_recount(programme)

    # to a continuous task: the first reporting period, as a new assignment would get
    rows[0][6] = "持续:每月"
    imports.import_table(programme=programme, upload=xlsx(rows, CN_HEADER), actor=world.user("fzb"))
    label, end = rules.periods(programme, "monthly")[0]
    assert set(task.assignments.exclude(pk=done.pk).values_list("phase", "due", "period_label")) == {("", end, label)}
    assert_tallies_equal_a_recount(programme)


# ---------------------------------------------------------------- messages in Chinese


def test_every_bad_row_is_reported_with_chinese_labels_and_nothing_imported(world, programme):
    before = snapshot()
    rows = bundled_rows() + [
        ["9.1", "新类别", "任务一", "", "LGO", "D99", "阶段:组织实施", ""],       # unknown unit
        ["9.2", "", "任务二", "", "LGO", "全部", "sometime", ""],                 # empty category, bad due
        ["9.1", "新类别", "重复", "", "", "KEY", "日期:02-30", ""],              # dup code, no lead, bad date
        ["9.3", "新类别", "任务三", "", "LGO", "", "阶段:验收", ""],             # unknown phase
        ["9.4", "新类别", "任务四", "", "LGO", "", "持续:每周", ""],             # unknown period
    ]
    with pytest.raises(imports.ImportRejected) as exc:
        imports.import_table(programme=programme, upload=xlsx(rows), actor=world.user("fzb"))
    found = {(e.row, e.column) for e in exc.value.errors}
    assert found == {(18, "responsible_units"), (19, "category"), (19, "due"), (20, "code"), (20, "lead_units"),
                     (20, "due"), (21, "due"), (22, "due")}
    messages = {(e.row, e.column): str(e) for e in exc.value.errors}
    assert "D99" in messages[18, "responsible_units"] and "「责任单位」" in messages[18, "responsible_units"]
    assert messages[19, "due"].startswith("第 19 行「完成时限」")
    assert "阶段:组织实施" in messages[19, "due"] and "phase" not in messages[19, "due"]
    assert "日期:04-30" in messages[20, "due"]
    assert "动员部署、组织实施、自查整改、考核验收" in messages[21, "due"]
    assert "每月、每季度、每半年、每年" in messages[22, "due"]
    assert snapshot() == before


@pytest.mark.parametrize("cell, expected", [
    ("阶段:动员部署", ("phase", "mobilization", "", "")),
    ("阶段:组织实施", ("phase", "implementation", "", "")),
    ("phase:self_check", ("phase", "self_check", "", "")),
    ("阶段:acceptance", ("phase", "acceptance", "", "")),
    ("持续", ("continuous", "", "", "quarterly")),
    ("持续:每月", ("continuous", "", "", "monthly")),
    ("continuous:half_yearly", ("continuous", "", "", "half_yearly")),
    ("持续:每年", ("continuous", "", "", "yearly")),
    ("日期:04-30", ("date", "", "04-30", "")),
    ("日期:4月30日", ("date", "", "04-30", "")),
    ("date:2-29", ("date", "", "02-29", "")),
])
def test_due_words_and_their_english_aliases(cell, expected):
    due = imports.parse_due(cell)
    assert (due["due_kind"], due["due_phase"], due["due_month_day"], due["report_period"]) == expected


@pytest.mark.parametrize("kind, phase, md, period, text", [
    ("phase", "mobilization", "", "", "阶段:动员部署"),
    ("continuous", "", "", "quarterly", "持续:每季度"),
    ("continuous", "", "", "monthly", "持续:每月"),
    ("date", "", "04-30", "", "日期:04-30"),
])
def test_due_text_is_read_back_as_the_same_due(kind, phase, md, period, text):
    task = Task(due_kind=kind, due_phase=phase, due_month_day=md, report_period=period)
    assert imports.due_text(task) == text
    assert imports.parse_due(text) == {"due_kind": kind, "due_phase": phase, "due_month_day": md,
                                       "report_period": period}


@pytest.mark.parametrize("cell, spec", [
    ("ALL", "ALL"), ("全部", "ALL"), ("key", "KEY"), ("示范重点单位", "KEY"),
    ("D01;D02", "D01;D02"), ("d01; D02", "D01;D02"), ("D01、D02,D03", "D01;D02;D03"), ("", ""),
])
def test_unit_lists(cell, spec):
    assert imports.unit_spec(cell) == spec


def test_missing_columns_are_named_in_chinese(world, programme):
    with pytest.raises(imports.InvalidInput, match="缺少列: 完成时限") as exc:
        imports.import_table(programme=programme, upload=xlsx([["1"] * 7], header=HEADER[:6] + ["evidence"]))
    assert "编号、类别、目标任务" in exc.value.message


def test_the_detail_export_is_refused_with_a_pointer_to_the_right_one(world, programme):
    response = world.client("fzb").get(reverse("programme-export", args=["table"]))
    with pytest.raises(imports.InvalidInput, match="导入格式") as exc:
        imports.import_table(programme=programme, upload=upload(b"".join(response.streaming_content)))
    assert "每个单位一行" in exc.value.message


def test_a_title_line_above_the_header_is_allowed(world, programme):
    before = snapshot()
    imports.import_table(programme=programme, upload=xlsx(bundled_rows(), above=[["责任分解表(2026年)"], []]),
                         actor=world.user("fzb"))
    assert snapshot() == before


def test_not_a_spreadsheet(world, programme):
    bad = io.BytesIO(b"PK\x03\x04garbage")
    with pytest.raises(imports.InvalidInput, match="损坏|无法读取"):
        imports.import_table(programme=programme, upload=bad)


def test_a_damaged_sheet_is_a_message_not_a_500(world, programme):
    """Found only while the rows are read (a shared string that does not exist): refused in Chinese."""
    import zipfile

    good, out = zipfile.ZipFile(xlsx([])), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for member in good.infolist():
            data = good.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row r='9'><c r='A9' t='s'><v>999</v></c></row></sheetData>")
            z.writestr(member, data)
    with pytest.raises(imports.InvalidInput, match="已损坏") as e:
        imports.import_table(programme=programme, upload=upload(out.getvalue()))
    assert e.value.field == "file"


def test_a_responsible_list_longer_than_the_database_holds_is_a_row_error(world, programme):
    """responsible_spec holds 500 characters: PostgreSQL would refuse more (a 500), SQLite would keep it."""
    from fazhi.org.models import Unit

    codes = [f"Z{i:03d}" for i in range(110)]  # 110 × "Z000;" > 500 characters
    root = Unit.objects.get(code="D01")
    for code in codes:
        Unit.objects.create(code=code, name=f"测试单位{code}", parent=root, kind=root.kind)
    row = ["9.9", "建章立制", "新任务", "", "LGO", ";".join(codes), "阶段:组织实施", ""]
    before = snapshot()
    with pytest.raises(imports.ImportRejected) as e:
        imports.import_table(programme=programme, upload=xlsx([row], CN_HEADER), actor=world.user("fzb"))
    assert [(r.row, r.label) for r in e.value.errors] == [(2, "责任单位")]
    assert "超过 500 个字符" in e.value.errors[0].reason
    assert snapshot() == before


def test_the_template_notes_and_the_table_export_use_the_import_labels_and_limits():
    from fazhi.programme import exports

    assert [note[0] for note in exports.NOTES] == imports.HEADER
    assert f"最多 {Task._meta.get_field('title').max_length} 个字" in exports.NOTES[2][2]
    assert imports.CODE_RE.fullmatch("A" * 20) and not imports.CODE_RE.fullmatch("A" * 21)


def test_a_gbk_csv_from_excel_is_read(world, programme):
    text = ",".join(CN_HEADER) + "\n9.8,新类别,新任务,,LGO,D01,阶段:组织实施,\n"
    result = imports.import_table(programme=programme, upload=io.BytesIO(text.encode("gb18030")),
                                  actor=world.user("fzb"))
    assert result["tasks_created"] == 1
    assert Task.objects.get(code="9.8").category == "新类别"


def test_import_page_reports_rows_and_imports_valid_files(world, programme):
    client = world.client("fzb")
    rows = bundled_rows() + [["9.9", "新类别", "新任务", "要求", "LGO", "D01;D02", "持续:每月", "记录"]]
    ok = client.post(reverse("programme-import"), {"file": xlsx(rows)})
    assert ok.status_code == 302
    assert Assignment.objects.filter(task__code="9.9").count() == 3  # D01, D02 and the lead LGO
    bad = client.post(reverse("programme-import"), {"file": xlsx([["", "", "", "", "", "", "", ""]] + [
        ["8.1", "类", "任务", "", "ZZZ", "", "phase:x", ""]])})
    body = bad.content.decode()
    assert bad.status_code == 400
    assert "未知的单位代码 ZZZ" in body and "未知的阶段「x」" in body and "未导入任何内容" in body
    assert "<td>牵头单位</td>" in body and "<td>完成时限</td>" in body  # columns by their Chinese names


def test_import_page_links_the_template_and_the_export(world, programme):
    body = world.client("fzb").get(reverse("programme-import")).content.decode()
    assert reverse("programme-import-template") in body
    assert reverse("programme-export", args=["tasks"]) in body
    assert "编号、类别、目标任务、工作要求、牵头单位、责任单位、完成时限、佐证材料" in body
    assert "5000 行" in body


# ---------------------------------------------------------------- the template


def template(client):
    response = client.get(reverse("programme-import-template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    return b"".join(response.streaming_content)


def test_template_has_the_header_examples_notes_and_unit_codes(world, programme):
    wb = load_workbook(io.BytesIO(template(world.client("fzb"))))
    assert wb.sheetnames == ["目标任务", "填写说明", "单位代码"]
    tasks = wb["目标任务"]
    assert [c.value for c in tasks[1]] == CN_HEADER
    examples = list(tasks.iter_rows(min_row=2, values_only=True))
    assert len(examples) == 2 and all(r[0].startswith("示例") for r in examples)
    notes = {r[0]: r for r in wb["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert list(notes) == CN_HEADER
    assert "阶段:动员部署/组织实施/自查整改/考核验收" in notes["完成时限"][2]
    assert "持续:每月/每季度/每半年/每年" in notes["完成时限"][2]
    assert notes["编号"][1] == "必填" and notes["工作要求"][1] == "选填"
    codes = [r[0] for r in wb["单位代码"].iter_rows(min_row=2, values_only=True)]
    assert {"D01", "LGO", "T15"} <= set(codes)
    assert tasks.freeze_panes == "A2" and tasks["A1"].font.b


def test_the_template_as_it_is_imports_nothing_and_says_why(world, programme):
    before = snapshot()
    with pytest.raises(imports.ImportRejected) as exc:
        imports.import_table(programme=programme, upload=upload(template(world.client("fzb"))))
    assert [(e.row, e.reason) for e in exc.value.errors] == [(2, "这是模板中的示例行,请删除后再导入"),
                                                             (3, "这是模板中的示例行,请删除后再导入")]
    assert snapshot() == before


def test_the_template_filled_in_imports(world, programme):
    wb = load_workbook(io.BytesIO(template(world.client("fzb"))))
    ws = wb["目标任务"]
    ws.delete_rows(2, 2)
    ws.append(["9.5", "依法决策", "公布重大行政决策目录", "", "LGO", "D01、D02", "日期:04-30", "决策目录"])
    out = io.BytesIO()
    wb.save(out)
    result = imports.import_table(programme=programme, upload=upload(out.getvalue()), actor=world.user("fzb"))
    assert result["tasks_created"] == 1 and result["assignments_created"] == 3
    task = Task.objects.get(programme=programme, code="9.5")
    assert (task.due_kind, task.due_month_day, task.responsible_spec) == ("date", "04-30", "D01;D02")


class TestImportTemplate(ProgrammeCases):
    url_name = "programme-import-template"

    def url(self, world, unit):
        return reverse("programme-import-template")

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403  # only the office imports

    def test_office(self, world):
        assert world.client("fzb").get(self.url(world, None)).status_code == 200



# ---------------------------------------------------------------- caps


def big_xlsx(n: int, *, bad: bool = False) -> io.BytesIO:
    """n rows, written fast (XlsxWriter's constant-memory mode)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, CN_HEADER)
    for i in range(1, n + 1):
        ws.write_row(i, 0, [f"X{i}", "类", "任务", "", "NOPE" if bad else "LGO", "", "阶段:组织实施", ""])
    wb.close()
    out.seek(0)
    out.name = "大文件.xlsx"
    return out


@pytest.fixture
def cells_read(monkeypatch):
    """How many cells the import read."""
    count = [0]
    real = imports._cell

    def counting(v):
        count[0] += 1
        return real(v)

    monkeypatch.setattr(imports, "_cell", counting)
    return count


def test_a_file_over_the_row_cap_is_refused_early(world, programme, cells_read):
    before = snapshot()
    with pytest.raises(imports.InvalidInput) as exc:
        imports.import_table(programme=programme, upload=big_xlsx(12_000))
    assert "导入上限 5000 行" in exc.value.message and "未导入任何内容" in exc.value.message
    assert cells_read[0] <= 5002 * 8  # stopped at the first row over the cap, not at row 12,001
    assert snapshot() == before


def test_a_big_csv_is_refused_early_too(world, programme, cells_read, settings):
    settings.FAZHI = {**settings.FAZHI, "IMPORT_MAX_ROWS": 100}
    lines = [",".join(CN_HEADER)] + [f"X{i},类,任务,,LGO,,阶段:组织实施," for i in range(100_000)]
    with pytest.raises(imports.InvalidInput, match="导入上限 100 行"):
        imports.import_table(programme=programme, upload=io.BytesIO("\n".join(lines).encode()))
    assert cells_read[0] <= 102 * 8


def test_blank_rows_count_toward_the_reading_limit(world, programme, settings):
    settings.FAZHI = {**settings.FAZHI, "IMPORT_MAX_ROWS": 10}
    rows = [["9.1", "类", "任务", "", "LGO", "", "阶段:组织实施", ""]] + [[""] * 8] * 30
    with pytest.raises(imports.InvalidInput, match="导入上限 10 行"):
        imports.import_table(programme=programme, upload=xlsx(rows + [["9.2", "类", "任务", "", "LGO", "", "持续", ""]],
                                                                CN_HEADER))


def test_errors_beyond_the_cap_are_counted_not_listed(world, programme):
    client = world.client("fzb")
    response = client.post(reverse("programme-import"), {"file": big_xlsx(250, bad=True)})
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count("未知的单位代码 NOPE") == 200
    assert "共 250 处,列出前 200 处" in body
    assert "另有 50 处错误未列出" in body
    with pytest.raises(imports.ImportRejected) as exc:
        imports.import_table(programme=programme, upload=big_xlsx(250, bad=True))
    assert (exc.value.total, len(exc.value.errors), exc.value.unlisted) == (250, 200, 50)
    assert exc.value.as_dict()["errors"]["file"][-1] == "另有 50 处错误未列出,请先改正以上错误后重新导入"
