"""Import of the responsibility table (.xlsx or .csv): the header of the app's own export
「目标任务(导入格式)」 — 编号, 类别, 目标任务, 工作要求, 牵头单位, 责任单位, 完成时限, 佐证材料 —
with the English column names (code, category, …) accepted as aliases. Every bad row is
reported (the first IMPORT_MAX_ERRORS of them listed); nothing is imported unless all rows
are valid; importing the same file twice, or the export of the table, changes nothing.
A file over IMPORT_MAX_ROWS rows is refused as soon as reading passes the limit."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from fazhi.core.errors import InvalidInput
from fazhi.core.xlsx import unescape_cell
from fazhi.org.models import Unit
from fazhi.programme import services
from fazhi.programme.models import DUE_CONTINUOUS, DUE_DATE, DUE_PHASE, PERIODS, PHASES, Programme, Task

COLUMNS = [
    ("code", "编号"), ("category", "类别"), ("task", "目标任务"), ("requirement", "工作要求"),
    ("lead_units", "牵头单位"), ("responsible_units", "责任单位"), ("due", "完成时限"), ("evidence", "佐证材料"),
]
COLUMN_LABELS = dict(COLUMNS)
HEADER = [label for _, label in COLUMNS]  # what the export and the template write
# Lengths the database holds (PostgreSQL refuses longer text: a row error here, not a 500 there).
MAX_LENGTHS = {column: Task._meta.get_field(field).max_length
               for column, field in (("code", "code"), ("category", "category"), ("task", "title"),
                                     ("responsible_units", "responsible_spec"))}
CODE_RE = re.compile(rf"^[0-9A-Za-z][0-9A-Za-z._-]{{0,{MAX_LENGTHS['code'] - 1}}}$")
CODE_RULE = f"只能包含字母、数字和 . _ -,以字母或数字开头,最长 {MAX_LENGTHS['code']} 位"
HEADER_SCAN_ROWS = 10  # a title line or two above the header is allowed
MAX_COLUMNS = 50  # cells read per row: a sheet claiming 16,384 columns is not padded out
EXAMPLE_PREFIX = "示例"  # the template's example rows

ALL, KEY = "ALL", "KEY"
UNIT_SPEC_ALIASES = {"ALL": ALL, "全部": ALL, "KEY": KEY, "示范重点单位": KEY}
UNIT_SEPARATORS = re.compile(r"[;;,,、\s]+")

# 完成时限: 阶段:组织实施 | 持续:每季度 (持续 alone = 每季度) | 日期:04-30; English as aliases.
DUE_PHASE_WORDS, DUE_CONTINUOUS_WORDS, DUE_DATE_WORDS = ("阶段", "phase"), ("持续", "continuous"), ("日期", "date")
PHASE_LABELS = dict(PHASES)
PERIOD_LABELS = dict(PERIODS)
DEFAULT_PERIOD = "quarterly"
DUE_EXAMPLES = "阶段:组织实施、持续:每季度 或 日期:04-30"


def limits() -> tuple[int, int]:
    return settings.FAZHI["IMPORT_MAX_ROWS"], settings.FAZHI["IMPORT_MAX_ERRORS"]


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    @property
    def label(self) -> str:
        return COLUMN_LABELS.get(self.column, self.column)

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.label}」: {self.reason}"


class ImportRejected(InvalidInput):
    """Row errors: the first `listed` of them are kept, the rest only counted."""

    def __init__(self, errors: list[RowError], *, listed: int | None = None):
        listed = limits()[1] if listed is None else listed
        self.total = len(errors)
        self.errors = errors[:listed]
        self.unlisted = self.total - len(self.errors)
        super().__init__(f"导入失败: 共 {self.total} 处错误,未导入任何内容。"
                         + ";".join(str(e) for e in self.errors[:5]), field="file")

    @property
    def unlisted_message(self) -> str:
        return f"另有 {self.unlisted} 处错误未列出,请先改正以上错误后重新导入" if self.unlisted else ""

    def as_dict(self) -> dict:
        messages = [str(e) for e in self.errors] + ([self.unlisted_message] if self.unlisted else [])
        return {"detail": self.message, "errors": {"file": messages}, "total": self.total,
                "unlisted": self.unlisted,
                "rows": [{"row": e.row, "column": e.column, "label": e.label, "reason": e.reason} for e in self.errors]}


# ---------------------------------------------------------------- 完成时限, both ways


def due_text(task) -> str:
    """The 完成时限 cell of a task (or anything with its due_* fields), as the import reads it."""
    if task.due_kind == DUE_PHASE:
        return f"阶段:{PHASE_LABELS.get(task.due_phase, task.due_phase)}"
    if task.due_kind == DUE_DATE:
        return f"日期:{task.due_month_day}"
    return f"持续:{PERIOD_LABELS[task.report_period or DEFAULT_PERIOD]}"


def _choice(value: str, choices: list[tuple[str, str]]) -> str | None:
    """A phase or period by its Chinese label or its English code."""
    for key, label in choices:
        if value in (key, label):
            return key
    return None


def _month_day(text: str) -> str | None:
    m = re.fullmatch(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        return None
    month, day = int(m[1]), int(m[2])
    try:
        date(2024, month, day)  # a leap year accepts 02-29
    except ValueError:
        return None
    return f"{month:02d}-{day:02d}"


def parse_due(value: str) -> dict | str:
    """The due fields of a task from a 完成时限 cell, or the reason it is not understood."""
    kind, _, arg = value.replace(":", ":").partition(":")
    kind, arg = kind.strip().lower(), arg.strip()
    phases = "、".join(label for _, label in PHASES)
    if kind in DUE_PHASE_WORDS:
        key = _choice(arg, PHASES)
        if key is None:
            return f"未知的阶段「{arg}」,可用: {phases}(如 阶段:组织实施)"
        return {"due_kind": DUE_PHASE, "due_phase": key, "due_month_day": "", "report_period": ""}
    if kind in DUE_CONTINUOUS_WORDS:
        period = _choice(arg, PERIODS) if arg else DEFAULT_PERIOD
        if period is None:
            return (f"未知的报送周期「{arg}」,可用: {'、'.join(label for _, label in PERIODS)}"
                    "(如 持续:每季度;只写“持续”即每季度报送)")
        return {"due_kind": DUE_CONTINUOUS, "due_phase": "", "due_month_day": "", "report_period": period}
    if kind in DUE_DATE_WORDS:
        md = _month_day(arg)
        if md is None:
            return f"日期「{arg}」无效,应写作 日期:月-日,如 日期:04-30"
        return {"due_kind": DUE_DATE, "due_phase": "", "due_month_day": md, "report_period": ""}
    if not value:
        return f"不能为空,应写作 {DUE_EXAMPLES}"
    return f"「{value}」无法识别,应写作 {DUE_EXAMPLES}(阶段可用: {phases})"


def unit_spec(value: str) -> str:
    """A 牵头单位/责任单位 cell in its stored form: ALL, KEY or codes joined by ';'."""
    value = value.strip()
    if alias := UNIT_SPEC_ALIASES.get(value.upper()):
        return alias
    return ";".join(c.upper() for c in UNIT_SEPARATORS.split(value) if c)


def unit_spec_text(spec: str) -> str:
    """The stored spec as the export writes it (a space after each ';' lets a printed cell wrap)."""
    return spec.replace(";", "; ")


# ---------------------------------------------------------------- reading


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unescape_cell(str(v).strip())


def _xlsx_rows(upload):
    from openpyxl import load_workbook

    from fazhi.core.uploads import check_zip_expansion

    check_zip_expansion(upload, getattr(upload, "name", "") or "导入文件", field="file")
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise InvalidInput("无法读取该 Excel 文件,请确认是 .xlsx 格式(.xls 请先另存为 .xlsx)", field="file") from None
    try:
        # Read-only: rows are parsed as they are asked for, so stopping early stops the reading.
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True, max_col=min(ws.max_column or MAX_COLUMNS, MAX_COLUMNS))
        while True:
            try:
                r = next(rows)
            except StopIteration:
                return
            except Exception:  # a damaged sheet is only found while reading it
                raise InvalidInput("Excel 文件内容已损坏,无法读取;请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入",
                                   field="file") from None
            yield [_cell(v) for v in r]
    finally:
        wb.close()


def _csv_rows(upload):
    head = upload.read(64 * 1024)
    upload.seek(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"  # Excel's "CSV" on a Chinese Windows
    text = io.TextIOWrapper(getattr(upload, "file", upload), encoding=encoding, newline="")
    try:
        for r in csv.reader(text):
            yield [_cell(c) for c in r[:MAX_COLUMNS]]
    except UnicodeDecodeError:
        raise InvalidInput("CSV 文件的编码无法识别,请另存为 UTF-8 编码的 CSV,或改用 .xlsx", field="file") from None
    except csv.Error as e:
        raise InvalidInput(f"CSV 文件格式有误({e}),请改用 .xlsx", field="file") from None
    finally:
        text.detach()


def _header_index(row: list[str]) -> dict[str, int]:
    names = {}
    for key, label in COLUMNS:
        names[label] = key
        names[key] = key
    index: dict[str, int] = {}
    for i, h in enumerate(row):
        key = names.get(re.sub(r"[\s*]", "", h).lower())
        if key and key not in index:
            index[key] = i
    return index


def _header_problem(row: list[str], index: dict[str, int]) -> str:
    expected = "、".join(HEADER)
    if "单位代码" in row and "状态" in row:
        return ("这是「责任分解表」明细(每个单位一行)的导出,不能导入;请在本页导出「目标任务(导入格式)」"
                f"或下载模板,表头为: {expected}")
    missing = [COLUMN_LABELS[k] for k, _ in COLUMNS if k not in index]
    return f"缺少列: {'、'.join(missing)}(表头须为: {expected};也可用英文 {','.join(k for k, _ in COLUMNS)})"


def read_rows(upload, *, max_rows: int | None = None) -> list[dict]:
    """Rows as dicts of the known columns, numbered as the spreadsheet numbers them. The header is
    the first row (of the first HEADER_SCAN_ROWS) naming at least half of the columns. Reading stops,
    and the file is refused, once more than `max_rows` rows (or twice as many, blank rows included)
    follow the header."""
    max_rows = limits()[0] if max_rows is None else max_rows
    head = upload.read(4)
    upload.seek(0)
    rows = _xlsx_rows(upload) if head.startswith(b"PK") else _csv_rows(upload)
    try:
        index, header_row, first = None, 0, None
        for number, r in enumerate(rows, start=1):
            if first is None and any(r):
                first = r
            found = _header_index(r)
            if len(found) * 2 >= len(COLUMNS):
                index, header_row = found, number
                break
            if number >= HEADER_SCAN_ROWS:
                break
        if first is None:
            raise InvalidInput("文件是空的(或前几行都是空行),请使用模板填写后导入", field="file")
        if index is None or len(index) < len(COLUMNS):
            raise InvalidInput(_header_problem(r if index is not None else first, index or {}), field="file")
        out = []
        for number, r in enumerate(rows, start=header_row + 1):
            if len(out) >= max_rows or number - header_row > 2 * max_rows:
                raise InvalidInput(
                    f"文件超过导入上限 {max_rows} 行(读到第 {number} 行时停止),未导入任何内容;"
                    f"请删去多余的空行,或分成每个不超过 {max_rows} 行的文件分别导入", field="file")
            if any(r):
                out.append({"_row": number, **{c: (r[i] if i < len(r) else "") for c, i in index.items()}})
        return out
    finally:
        rows.close()


# ---------------------------------------------------------------- checking


def _check_units(value: str, units_by_code: dict, column: str, row: int, errors: list, allow_empty: bool) -> str:
    spec = unit_spec(value)
    if not spec:
        if not allow_empty:
            errors.append(RowError(row, column, "不能为空,请填写单位代码(多个以分号分隔),或 全部、示范重点单位"))
        return spec
    if spec in (ALL, KEY):
        return spec
    unknown = [c for c in spec.split(";") if c not in units_by_code]
    if unknown:
        errors.append(RowError(row, column, f"未知的单位代码 {'、'.join(unknown[:20])}"
                                            f"{f' 等 {len(unknown)} 个' if len(unknown) > 20 else ''}"
                                            "(可填单位代码,多个以分号分隔;"
                                            "或 全部(ALL)、示范重点单位(KEY);单位代码见模板的「单位代码」表)"))
    elif column in MAX_LENGTHS and len(spec) > MAX_LENGTHS[column]:
        errors.append(RowError(row, column, f"单位代码合计超过 {MAX_LENGTHS[column]} 个字符;单位很多时请改写 全部 "
                                            "或 示范重点单位,或把任务拆成几行(编号不同)"))
    return spec


def validate(rows: list[dict], units_by_code: dict) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    clean = []
    for r in rows:
        n = r["_row"]
        code = r["code"]
        if not code:
            errors.append(RowError(n, "code", "不能为空"))
        elif code.startswith(EXAMPLE_PREFIX):
            errors.append(RowError(n, "code", "这是模板中的示例行,请删除后再导入"))
        elif not CODE_RE.match(code):
            errors.append(RowError(n, "code", f"{CODE_RULE}(如 1.1)"))
        elif code in seen:
            errors.append(RowError(n, "code", f"与第 {seen[code]} 行重复"))
        else:
            seen[code] = n
        for column in ("category", "task"):
            limit = MAX_LENGTHS[column]
            if not r[column]:
                errors.append(RowError(n, column, "不能为空"))
            elif len(r[column]) > limit:
                errors.append(RowError(n, column, f"不能超过 {limit} 个字(现有 {len(r[column])} 个)"))
        lead = _check_units(r["lead_units"], units_by_code, "lead_units", n, errors, allow_empty=False)
        responsible = _check_units(r["responsible_units"], units_by_code, "responsible_units", n, errors,
                                   allow_empty=True)
        due = parse_due(r["due"])
        if isinstance(due, str):
            errors.append(RowError(n, "due", due))
            continue
        clean.append({"code": code, "category": r["category"], "title": r["task"],
                      "requirement": r["requirement"], "lead_spec": lead, "responsible_spec": responsible,
                      "evidence": r["evidence"], **due})
    return clean, errors


def import_table(*, programme: Programme, upload, actor=None) -> dict:
    """Validate every row, then import all in one transaction. Returns counts."""
    rows = read_rows(upload)
    units_by_code = {u.code: u for u in Unit.objects.all()}
    clean, errors = validate(rows, units_by_code)
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
