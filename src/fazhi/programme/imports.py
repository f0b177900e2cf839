"""Import of the responsibility table (.xlsx or .csv with the columns of
data/responsibility_table.csv). Every bad row is reported; nothing is imported unless all
rows are valid; importing the same file twice changes nothing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from fazhi.core.errors import InvalidInput
from fazhi.org.models import Unit
from fazhi.programme import services
from fazhi.programme.models import DUE_CONTINUOUS, DUE_DATE, DUE_PHASE, PERIODS, PHASES, Programme

COLUMNS = ["code", "category", "task", "requirement", "lead_units", "responsible_units", "due", "evidence"]
COLUMN_LABELS = {"code": "编号", "category": "类别", "task": "目标任务", "requirement": "工作要求",
                 "lead_units": "牵头单位", "responsible_units": "责任单位", "due": "完成时限", "evidence": "佐证材料"}
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{COLUMN_LABELS.get(self.column, self.column)}」: {self.reason}"


class ImportRejected(InvalidInput):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"导入失败: {len(errors)} 处错误,未导入任何内容。" + ";".join(str(e) for e in errors[:5]),
                         field="file")

    def as_dict(self) -> dict:
        return {"detail": self.message,
                "errors": {"file": [str(e) for e in self.errors]},
                "rows": [{"row": e.row, "column": e.column, "reason": e.reason} for e in self.errors]}


def read_rows(upload) -> list[dict]:
    """Rows as dicts of the known columns (header row = row 1) from .xlsx or .csv content."""
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(upload, read_only=True, data_only=True)
        except Exception:
            raise InvalidInput("无法读取该 Excel 文件,请确认是 .xlsx 格式", field="file")
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in r] for r in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("CSV 文件须为 UTF-8 编码,或改用 .xlsx", field="file")
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    if not rows:
        raise InvalidInput("文件是空的", field="file")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput(f"缺少列: {', '.join(missing)}(表头须为 {','.join(COLUMNS)})", field="file")
    index = {c: header.index(c) for c in COLUMNS}
    out = []
    for number, r in enumerate(rows[1:], start=2):
        if not any(r):
            continue
        out.append({"_row": number, **{c: (r[i] if i < len(r) else "") for c, i in index.items()}})
    return out


def _check_units(spec: str, units_by_code: dict, column: str, row: int, errors: list, allow_empty: bool):
    if not spec:
        if not allow_empty:
            errors.append(RowError(row, column, "不能为空"))
        return
    if spec in ("ALL", "KEY"):
        return
    unknown = [c for c in (x.strip().upper() for x in spec.split(";")) if c and c not in units_by_code]
    if unknown:
        errors.append(RowError(row, column, f"未知的单位代码 {', '.join(unknown)}(可用 ALL、KEY 或以分号分隔的单位代码)"))


def _parse_due(value: str, row: int, errors: list) -> dict | None:
    phases = dict(PHASES)
    periods = dict(PERIODS)
    if value.startswith("phase:"):
        key = value[6:]
        if key not in phases:
            errors.append(RowError(row, "due", f"未知的阶段「{key}」(可用: {', '.join(phases)})"))
            return None
        return {"due_kind": DUE_PHASE, "due_phase": key, "due_month_day": "", "report_period": ""}
    if value == "continuous" or value.startswith("continuous:"):
        period = value.split(":", 1)[1] if ":" in value else "quarterly"
        if period not in periods:
            errors.append(RowError(row, "due", f"未知的报送周期「{period}」(可用: {', '.join(periods)})"))
            return None
        return {"due_kind": DUE_CONTINUOUS, "due_phase": "", "due_month_day": "", "report_period": period}
    if value.startswith("date:"):
        md = value[5:]
        try:
            month, day = (int(x) for x in md.split("-"))
            date(2024, month, day)  # a leap year accepts 02-29
        except ValueError:
            errors.append(RowError(row, "due", f"日期「{md}」无效,格式为 date:MM-DD"))
            return None
        return {"due_kind": DUE_DATE, "due_phase": "", "due_month_day": f"{month:02d}-{day:02d}", "report_period": ""}
    errors.append(RowError(row, "due", f"「{value}」无效: 应为 phase:阶段、continuous[:周期] 或 date:MM-DD"))
    return None


def validate(rows: list[dict], units_by_code: dict) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    clean = []
    for r in rows:
        n = r["_row"]
        code = r["code"]
        if not code:
            errors.append(RowError(n, "code", "不能为空"))
        elif not CODE_RE.match(code):
            errors.append(RowError(n, "code", "只能包含字母、数字和 . _ -,最长 20 位"))
        elif code in seen:
            errors.append(RowError(n, "code", f"与第 {seen[code]} 行重复"))
        else:
            seen[code] = n
        for column, limit in (("category", 40), ("task", 300)):
            if not r[column]:
                errors.append(RowError(n, column, "不能为空"))
            elif len(r[column]) > limit:
                errors.append(RowError(n, column, f"不能超过 {limit} 个字"))
        _check_units(r["lead_units"], units_by_code, "lead_units", n, errors, allow_empty=False)
        _check_units(r["responsible_units"], units_by_code, "responsible_units", n, errors, allow_empty=True)
        due = _parse_due(r["due"], n, errors)
        if due:
            clean.append({"code": code, "category": r["category"], "title": r["task"],
                          "requirement": r["requirement"], "lead_spec": r["lead_units"],
                          "responsible_spec": r["responsible_units"], "evidence": r["evidence"], **due})
    return clean, errors


def import_table(*, programme: Programme, upload, actor=None) -> dict:
    """Validate every row, then import all in one transaction. Returns counts."""
    units_by_code = {u.code: u for u in Unit.objects.all()}
    clean, errors = validate(read_rows(upload), units_by_code)
    if errors:
        raise ImportRejected(errors)
    created_tasks = changed_tasks = created_assignments = 0
    with transaction.atomic():
        existing = set(programme.tasks.values_list("code", flat=True))
        for row in clean:
            _, changed, n = services.task_upsert(programme=programme, row=row, units_by_code=units_by_code,
                                                 actor=actor)
            created_tasks += row["code"] not in existing
            changed_tasks += changed and row["code"] in existing
            created_assignments += n
    return {"rows": len(clean), "tasks_created": created_tasks, "tasks_changed": changed_tasks,
            "assignments_created": created_assignments}
