"""Excel exports of the programme: the table (task × unit), the tasks in the import's format
(exported, edited, imported again), per-unit progress, filing status, and the import template.
Through the same scoped selectors as the pages, written by the one writer of core/xlsx.py."""

from __future__ import annotations

from django.utils import timezone

from fazhi.core.errors import InvalidInput
from fazhi.core.xlsx import Sheet, xlsx_response
from fazhi.org.models import PLAN_UNIT_KINDS, Unit
from fazhi.programme import imports, rules, selectors, services
from fazhi.programme.forms import FilterForm
from fazhi.programme.models import ASSIGNMENT_STATUSES, PERIODS, PHASE_LABELS, PHASES, Task

STATUS = dict(ASSIGNMENT_STATUSES)
WARN = {"red": "逾期", "yellow": "临期", "": ""}
LATENESS = {"unfiled_late": "逾期未报", "filed_late": "逾期报备", "": ""}
FILTER_LABELS = {name: field.label for name, field in FilterForm.base_fields.items()}  # the page's labels


def filters_text(filters) -> str:
    """The table's filters in words, for the export's title line ('' = everything)."""
    parts = []
    if filters.unit:
        parts.append(f"单位 {filters.unit}(含下级)")
    if filters.category:
        parts.append(f"类别 {filters.category}")
    if filters.status:
        parts.append(f"状态 {STATUS[filters.status]}")
    if filters.phase:
        parts.append(f"阶段 {PHASE_LABELS[filters.phase]}")
    for name in ("overdue", "due_soon"):
        value = getattr(filters, name)
        if value is not None:
            parts.append(f"{FILTER_LABELS[name]} {'是' if value else '否'}")
    return "、".join(parts)


def export_table(*, user, programme, today, query):
    filters = selectors.TableFilters.from_query(query, user=user, programme=programme)
    if filters.errors:
        field, message = next(iter(filters.errors.items()))
        raise InvalidInput(f"「{FILTER_LABELS.get(field, field)}」{message}", field=field)
    qs, _ = selectors.assignment_table(user=user, programme=programme, filters=filters, today=today)
    # Tuples, not model instances: a third of the time of a large export went to building them.
    values = qs.values_list("task__code", "category", "task__title", "unit__code", "unit__name", "is_lead", "phase",
                            "period_label", "due", "status")
    warning, period_display = rules.warning_level, rules.period_display
    rows = (
        (code, category, title, unit_code, unit_name, "牵头" if is_lead else "责任", PHASE_LABELS.get(phase, ""),
         period and period_display(period), due, STATUS[status], WARN[warning(status=status, due=due, today=today)])
        for code, category, title, unit_code, unit_name, is_lead, phase, period, due, status
        in values.iterator(chunk_size=2000)
    )
    label = imports.COLUMN_LABELS  # the columns it shares with the import keep the import's names
    header = [label["code"], label["category"], label["task"], "单位代码", "单位", "牵头/责任", "阶段", "报送期",
              label["due"], "状态", "预警"]
    return xlsx_response(filename=f"责任分解表-{today:%Y%m%d}.xlsx", sheets=[("责任分解表", header, rows)],
                         title=f"责任分解表(任务分解明细)· {programme.name}", criteria=filters_text(filters))


def task_rows(tasks):
    """A task as a row of the import: exporting and importing again changes nothing."""
    for t in tasks:
        leads = "; ".join(sorted(u.code for u in t.lead_units.all()))
        yield (t.code, t.category, t.title, t.requirement, leads, imports.unit_spec_text(t.responsible_spec),
               imports.due_text(t), t.evidence)


def export_tasks(*, user, programme, today, query):
    """The responsibility table itself, one row per task, in the import's columns. Everything:
    it is the table to edit and import again (the table page's filters are about assignments)."""
    tasks = (Task.objects.visible_to(user).filter(programme=programme, voided_at__isnull=True)
             .prefetch_related("lead_units").order_by("code"))
    return xlsx_response(filename=f"目标任务-导入格式-{today:%Y%m%d}.xlsx",
                         sheets=[("目标任务", imports.HEADER, task_rows(tasks))],
                         title=f"责任分解表(目标任务,导入格式)· {programme.name}", criteria="")


def export_progress(*, user, programme, today, query):
    units = selectors.units_with_assignments(user=user, programme=programme)

    def rows():
        batch = []
        for unit in units.iterator(chunk_size=500):
            batch.append(unit)
            if len(batch) == 500:
                yield from _progress_rows(user, programme, today, batch)
                batch = []
        yield from _progress_rows(user, programme, today, batch)

    header = ["单位代码", "单位", "任务分解", "已完成", "待审核", "退回", "逾期", "完成率(%)"]
    cat_header = ["类别", "任务分解", "已完成", "待审核", "退回", "逾期", "完成率(%)"]
    cats = ((r["category"], r["total"], r["done"], r["submitted"], r["returned"], r["overdue"], r["rate"])
            for r in selectors.overview_by_category(user=user, programme=programme, today=today))
    return xlsx_response(filename=f"创建进度-{today:%Y%m%d}.xlsx", title=f"创建进度 · {programme.name}",
                         sheets=[("按单位", header, rows()), ("按类别", cat_header, cats)])


def _progress_rows(user, programme, today, units):
    for unit, r in selectors.overview_by_unit(user=user, programme=programme, today=today, units=units):
        yield (unit.code, unit.name, r["total"], r["done"], r["submitted"], r["returned"], r["overdue"], r["rate"])


def export_filings(*, user, programme, today, query):
    due = services.workplan_due(programme)
    units = selectors.filing_status(user=user)

    def rows():
        unit_list = list(units)
        filings = selectors.filings_for(user=user, units=unit_list, programme=programme)
        for unit in unit_list:
            f = filings.get(unit.pk)
            if f is None:
                yield (unit.code, unit.name, "未报备", "",
                       LATENESS[rules.filing_lateness(None, due=due, today=today)], "", "", "", "", "")
                continue
            filed = timezone.localtime(f.filed_at)
            yield (unit.code, unit.name, f.get_status_display(), f"{filed:%Y-%m-%d %H:%M}",
                   LATENESS[rules.filing_lateness(f, due=due, today=today)] or "按时",
                   f.head_name, f.head_phone, f.deputy_name, f.deputy_phone,
                   "、".join(f"{s['name']} {s['phone']}" for s in f.staff))

    header = ["单位代码", "单位", "状态", "报备时间", "是否按时", "一把手", "一把手电话", "分管领导", "分管领导电话", "专人"]
    return xlsx_response(filename=f"工作机构和方案备案-{today:%Y%m%d}.xlsx", sheets=[("备案情况", header, rows())],
                         title=f"工作机构和方案备案 · {programme.name}")


EXPORTS = {"table": export_table, "tasks": export_tasks, "progress": export_progress, "filings": export_filings}


# ---------------------------------------------------------------- the import template

_L, _MAX = imports.COLUMN_LABELS, imports.MAX_LENGTHS
NOTES = [  # one row per import column, in its order, with the import's own limits
    (_L["code"], "必填", f"任务编号:{imports.CODE_RULE},在表中不重复。"
                         "编号已存在的任务按本行更新,新编号新增任务。", "1.1"),
    (_L["category"], "必填", f"创建标准的类别,最多 {_MAX['category']} 个字。", "建章立制"),
    (_L["task"], "必填", f"最多 {_MAX['task']} 个字。", "完善政府工作规则"),
    (_L["requirement"], "选填", "不限字数。", "规范决策权限、决策程序"),
    (_L["lead_units"], "必填", "单位代码,多个以分号分隔;或写 全部(所有部门和镇办)、示范重点单位。单位代码见「单位代码」表。",
     "LGO"),
    (_L["responsible_units"], "选填", "同上;可空(只有牵头单位)。牵头单位和责任单位各得到一条任务分解。"
                                    f"单位代码合计至多 {_MAX['responsible_units']} 个字符。", "全部"),
    (_L["due"], "必填", "三种写法之一:"
                     f"阶段:{'/'.join(label for _, label in PHASES)}(在该阶段结束时完成);"
                     f"持续:{'/'.join(label for _, label in PERIODS)}(定期报送,只写“持续”即每季度);"
                     "日期:月-日(每年的固定日期,如 日期:04-30)。英文写法 phase:implementation、continuous:monthly、"
                     "date:04-30 也可。", "阶段:组织实施"),
    (_L["evidence"], "选填", "需要上传的材料,不限字数。", "会议纪要;合法性审查意见"),
]


def import_template(*, user, programme, today):
    """The template: the header, two example rows (refused if left in), notes, the unit codes."""
    units = list(Unit.objects.visible_to(user).filter(active=True).order_by("sort_order", "code")
                 .values_list("code", "name", "kind", "demonstration_key_unit"))
    kinds = dict(Unit._meta.get_field("kind").choices)
    plan_units = [code for code, _, kind, _ in units if kind in PLAN_UNIT_KINDS][:2] or ["单位代码"]
    examples = [
        (f"{imports.EXAMPLE_PREFIX}1", "建章立制", "(示例)完善政府工作规则", "导入前请删除示例行",
         plan_units[0], "全部", "阶段:组织实施", "政府工作规则;会议纪要"),
        (f"{imports.EXAMPLE_PREFIX}2", "(示例)依法决策", "(示例)重大行政决策目录年度公布", "",
         plan_units[0], "; ".join(plan_units), "日期:04-30", "决策目录"),
    ]
    return xlsx_response(
        filename="责任分解表-导入模板.xlsx", title=f"责任分解表导入模板 · {programme.name}", criteria=None,
        sheets=[Sheet("目标任务", imports.HEADER, examples),
                Sheet("填写说明", ["列", "必填", "填写说明", "示例"], NOTES),
                Sheet("单位代码", ["单位代码", "单位", "类型", "示范重点单位"],
                      ((code, name, kinds.get(kind, kind), "是" if key else "")
                       for code, name, kind, key in units))])
