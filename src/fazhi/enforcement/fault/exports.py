"""执法过错责任追究台账 as a streamed .xlsx (core/xlsx.py), through the same scoped selector and filters as the list."""

from __future__ import annotations

from django.utils import timezone

from fazhi.core.xlsx import xlsx_response
from fazhi.enforcement.fault import selectors

HEADER = ["认定日期", "责任单位代码", "责任单位", "案件类别", "案号", "责任人员", "发现途径", "过错情形", "过错事实",
          "责任类型", "状态", "追究方式", "处理决定日期", "处理决定文号", "国家赔偿金额(元)", "赔偿支付日期", "赔偿决定书文号",
          "作废原因"]


def register_xlsx(*, user, query):
    filters = selectors.Filters.parse(query, user)
    qs = selectors.records(user=user, filters=filters)
    today = timezone.localdate()

    def rows():
        for r in qs.iterator(chunk_size=1000):
            yield (r.found_on, r.unit.code, r.unit.name, r.case_kind_label, r.case_number,
                   "、".join(o.name for o in r.officers.all()), r.get_source_display(), r.get_fault_kind_display(),
                   r.fault, r.get_responsibility_display(), r.status_label, r.get_sanction_display(), r.sanction_on,
                   r.sanction_ref, r.compensation_paid, r.compensation_on, r.compensation_ref, r.void_reason)

    return xlsx_response(filename=f"执法过错责任追究台账-{today:%Y%m%d}.xlsx",
                         sheets=[("执法过错责任追究", HEADER, rows())], title="执法过错责任追究台账",
                         criteria=filters.describe())
