"""Excel exports of the programme: the table, per-unit progress, filing status. Streamed,
through the same scoped selectors as the pages."""

from __future__ import annotations

from django.utils import timezone

from fazhi.core.xlsx import xlsx_response
from fazhi.programme import rules, selectors, services
from fazhi.programme.models import ASSIGNMENT_STATUSES, PHASE_LABELS

STATUS = dict(ASSIGNMENT_STATUSES)
WARN = {"red": "逾期", "yellow": "临期", "": ""}


def export_table(*, user, programme, today, query):
    filters = selectors.TableFilters.from_query(query)
    if filters.errors:
        from fazhi.core.errors import InvalidInput

        field, message = next(iter(filters.errors.items()))
        raise InvalidInput(f"「{field}」{message}", field=field)
    qs, _ = selectors.assignment_table(user=user, programme=programme, filters=filters, today=today)
    rows = (
        (a.task.code, a.category, a.task.title, a.unit.code, a.unit.name, "牵头" if a.is_lead else "责任",
         PHASE_LABELS.get(a.phase, ""), a.period_label, a.due, STATUS[a.status],
         WARN[rules.warning_level(status=a.status, due=a.due, today=today)])
        for a in qs.iterator(chunk_size=2000)
    )
    header = ["编号", "类别", "目标任务", "单位代码", "单位", "牵头/责任", "阶段", "报送期", "完成时限", "状态", "预警"]
    return xlsx_response(filename=f"责任分解表-{today:%Y%m%d}.xlsx", sheets=[("责任分解表", header, rows)])


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
    return xlsx_response(filename=f"创建进度-{today:%Y%m%d}.xlsx",
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
                yield (unit.code, unit.name, "未报备", "", "逾期未报" if today > due else "", "", "", "", "", "")
                continue
            filed = timezone.localtime(f.filed_at)
            yield (unit.code, unit.name, f.get_status_display(), f"{filed:%Y-%m-%d %H:%M}",
                   "逾期报备" if f.filed_late else "按时", f.head_name, f.head_phone, f.deputy_name, f.deputy_phone,
                   "、".join(f"{s['name']} {s['phone']}" for s in f.staff))

    header = ["单位代码", "单位", "状态", "报备时间", "是否按时", "一把手", "一把手电话", "分管领导", "分管领导电话", "专人"]
    return xlsx_response(filename=f"工作机构和方案备案-{today:%Y%m%d}.xlsx", sheets=[("备案情况", header, rows())])


EXPORTS = {"table": export_table, "progress": export_progress, "filings": export_filings}
