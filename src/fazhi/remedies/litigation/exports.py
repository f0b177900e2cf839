"""行政应诉台账 as a streamed .xlsx (core/xlsx.py), through the same scoped selector and filters as the list."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from fazhi.core.xlsx import xlsx_response
from fazhi.deadlines.selectors import clock_subquery
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation import rules, selectors

HEADER = ["受理法院", "案号", "案由", "审级", "被告单位代码", "被告单位", "原告", "第三人", "被诉行政行为", "文书号",
          "复议后起诉(复议案号)", "收到起诉状副本", "答辩期限届满", "答辩举证日期", "按期答辩", "庭审次数", "本单位出庭次数",
          "负责人出庭次数", "上诉", "二审法院及案号", "状态", "生效裁判结果", "生效日期", "败诉", "败诉原因", "责任追究"]


def ledger_xlsx(*, user, query):
    filters = selectors.CaseFilters.parse(query)
    qs = (selectors.cases(user=user, filters=filters).select_related("accountability")
          .annotate(answer_due=clock_subquery(m.Litigation, rules.ANSWER_PURPOSE), n_hearings=Count("hearings"),
                    n_appeared=Count("hearings", filter=Q(hearings__appeared=True)),
                    n_leader=Count("hearings", filter=Q(hearings__leader_appeared=True))))
    today = timezone.localdate()

    def rows():
        for c in qs.iterator(chunk_size=1000):
            on_time = "—" if c.answer_on_time is None else c.answer_label
            acc = c.accountability if hasattr(c, "accountability") else None  # absent: no record
            yield (c.court, c.case_number, c.cause, c.get_court_level_display(), c.unit.code, c.unit.name,
                   c.plaintiff_names, c.third_party_names, c.act_name, c.act_number,
                   c.reconsideration_number if c.after_reconsideration else "否", c.received_on, c.answer_due,
                   c.answered_on, on_time, c.n_hearings, c.n_appeared, c.n_leader,
                   f"{c.get_appealed_by_display()} {c.appealed_on}" if c.appealed_on else "",
                   f"{c.appeal_court} {c.appeal_number}".strip(), c.status_label, c.get_result_display(),
                   c.effective_on, "败诉" if c.lost else ("" if c.lost is None else "否"), c.loss_cause_labels,
                   acc.get_status_display() if acc else "")

    return xlsx_response(filename=f"行政应诉台账-{today:%Y%m%d}.xlsx", sheets=[("行政应诉台账", HEADER, rows())],
                         title="行政应诉台账", criteria=filters.describe())
