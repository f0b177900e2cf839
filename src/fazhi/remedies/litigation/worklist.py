"""This register's entries in the one work list (deadlines/worklist.py), called from RemediesConfig.ready: the
cases' stored clocks (答辩举证) link to the case page, and every open accountability record is owed (the unit
names the leaders responsible, the office closes it) — on the office's and the unit's lists, without a due
date (no legal period applies)."""

from __future__ import annotations

from django.db.models import DateField, F, Value
from django.urls import reverse

ACCOUNTABILITY = "litigation.accountability"


def _open(user, unit_path):
    from fazhi.remedies.litigation.models import ACC_OPEN, LitigationAccountability

    qs = LitigationAccountability.objects.visible_to(user).filter(status=ACC_OPEN).order_by()
    return qs.in_subtree(unit_path) if unit_path else qs


def _rows(user, today, unit_path, state):
    from fazhi.deadlines.worklist import columns

    qs = _open(user, unit_path)
    if state in ("overdue", "due_soon"):
        qs = qs.none()  # no due date: neither red nor yellow
    return columns(qs, kind=ACCOUNTABILITY, id=F("id"), unit=F("unit_id"),
                   due=Value(None, output_field=DateField()), state=Value("open"),
                   title=F("litigation__case_number"))


def _counts(user, today, unit_path):
    return {"open": _open(user, unit_path).count(), "overdue": 0, "due_soon": 0}


def register() -> None:
    from fazhi.deadlines.worklist import Source, register_record, register_source

    # 答辩期限 (行政诉讼法 第67条) has no 中止 or 延长: only a corrected receipt date counts it anew.
    register_record("remedies.Litigation", "行政应诉", "litigation-detail", title_field="case_number",
                    acts_on_record="案件页面的「修改案件信息」更正收到起诉状副本日期(答辩期限不中止、不延长)")
    register_source(Source(kind=ACCOUNTABILITY, label="败诉责任追究", rows=_rows, counts=_counts,
                           link=lambda item: reverse("litigation-accountability", args=[int(item.record_id)])))
