"""The programme's rules, each in one place: when an assignment is due, which reporting
period is current, when a warning turns yellow or red, who may do what."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from fazhi.core.scoping import scope_for
from fazhi.deadlines import rules as deadline_rules
from fazhi.programme.models import (
    DONE, DUE_CONTINUOUS, DUE_DATE, DUE_PHASE, NOT_STARTED, OPEN_STATUSES, PERIOD_MONTHS, REPORT_SUBMITTED,
    SUBMITTED, Programme, Task,
)

# Plan 五(四): 工作机构和工作方案 4月底前报领导小组办公室备案 — the deadline engine's rule.
WORKPLAN_RULE = "programme.workplan_file"
DEFAULT_REPORT_PERIOD = "quarterly"
# The filing runs on this procedure definition (procedures/data/programme.workplan_filing.json, then the office's versions).
WORKPLAN_PROCEDURE = "programme.workplan_filing"


def warning_days() -> int:
    return deadline_rules.warning_days()


def overdue_q(today: date) -> Q:
    """Overdue, as a filter: the unit still owes the work and the last day has passed (the one
    warning rule, deadlines/rules.py). `warning_level` below is the same rule in memory."""
    return Q(status__in=OPEN_STATUSES) & deadline_rules.overdue_q(today)


def due_soon_q(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES) & deadline_rules.due_soon_q(today)


def warning_level(*, status: str, due: date, today: date) -> str:
    """The one warning rule (deadlines/rules.py) for what is still owed; '' when nothing is
    owed (submitted or done)."""
    if status not in OPEN_STATUSES:
        return ""
    return deadline_rules.level(due, today)


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def periods(programme: Programme, period: str) -> list[tuple[str, date]]:
    """The reporting periods of a continuous task: (label, last day), calendar-aligned,
    from the programme's start to its end."""
    months = PERIOD_MONTHS[period]
    result = []
    year, month = programme.start.year, programme.start.month
    # Align to the calendar: the period containing the start.
    month = ((month - 1) // months) * months + 1
    while True:
        end_month = month + months - 1
        end = _month_end(year, end_month)
        if period == "monthly":
            label = f"{year}-{month:02d}"
        elif period == "quarterly":
            label = f"{year}Q{(month - 1) // 3 + 1}"
        elif period == "half_yearly":
            label = f"{year}H{(month - 1) // 6 + 1}"
        else:
            label = f"{year}"
        result.append((label, min(end, programme.end)))
        if end >= programme.end:
            return result
        month += months
        if month > 12:
            year, month = year + 1, month - 12


_QUARTERS = {"1": "一", "2": "二", "3": "三", "4": "四"}
_HALVES = {"1": "上半年", "2": "下半年"}


def period_display(label: str) -> str:
    """A period label as people write it: 2026Q1 → 2026年第一季度, 2026H2 → 2026年下半年,
    2026-01 → 2026年1月, 2026 → 2026年度. Unknown shapes are shown as stored."""
    label = (label or "").strip()
    year, sep, rest = label[:4], label[4:5], label[5:]
    if not year.isdigit() or len(year) != 4:
        return label
    if not sep:
        return f"{year}年度"
    if sep == "Q" and rest in _QUARTERS:
        return f"{year}年第{_QUARTERS[rest]}季度"
    if sep == "H" and rest in _HALVES:
        return f"{year}年{_HALVES[rest]}"
    if sep == "-" and rest.isdigit() and 1 <= int(rest) <= 12 and len(rest) == 2:
        return f"{year}年{int(rest)}月"
    return label


def fixed_date_due(programme: Programme, month_day: str) -> date:
    if month_day == "04-30":
        from fazhi.deadlines.services import deadline_compute

        return deadline_compute(WORKPLAN_RULE, programme.start).due
    month, day = (int(x) for x in month_day.split("-"))
    due = date(programme.start.year, month, day)
    return due if due >= programme.start else date(programme.start.year + 1, month, day)


def first_due(task: Task, programme: Programme, phase_ends: dict[str, date]) -> tuple[date, str]:
    """(due date, period label) of a new assignment of `task`."""
    if task.due_kind == DUE_DATE:
        return fixed_date_due(programme, task.due_month_day), ""
    if task.due_kind == DUE_PHASE:
        return phase_ends[task.due_phase], ""
    assert task.due_kind == DUE_CONTINUOUS
    label, end = periods(programme, task.report_period or DEFAULT_REPORT_PERIOD)[0]
    return end, label


def next_period(task: Task, programme: Programme, label: str) -> tuple[str, date] | None:
    """The period after `label`, or None when the programme has no more."""
    seq = periods(programme, task.report_period or DEFAULT_REPORT_PERIOD)
    labels = [lbl for lbl, _ in seq]
    i = labels.index(label) if label in labels else -1
    return seq[i + 1] if i + 1 < len(seq) else None


def can_act_for_unit(user, unit) -> bool:
    """Unit admins and staff of the unit (or a unit above it) act for it; the office may too
    (e.g. entering a paper report). Leaders and inspectors never write here."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_report(user, assignment) -> bool:
    """Who may report on an assignment or start it: its unit's people, or the office."""
    return can_act_for_unit(user, assignment.unit)


def report_refusal(assignment) -> str:
    """Why the assignment takes no report now ('' when it does): one is waiting, or it is done."""
    if assignment.status == SUBMITTED:
        return "已有报送正在等待审核,请等待审核结果或先撤回"
    if assignment.status == DONE:
        return "该任务已完成,无需再报送"
    return ""


def can_report_now(user, assignment) -> bool:
    """Whether to offer 报送进展: the right person, and the assignment takes a report now."""
    return can_report(user, assignment) and not report_refusal(assignment)


def start_refusal(assignment) -> str:
    return "" if assignment.status == NOT_STARTED else "只有未开始的任务可以标记为进行中"


def can_start(user, assignment) -> bool:
    return can_report(user, assignment) and not start_refusal(assignment)


def can_withdraw(user, report) -> bool:
    """Who may take back a report: its unit's own people (admin or staff of the unit or a unit
    above). The office never withdraws: it returns the report, with a reason, as its review."""
    return scope_for(user).acts_for(report.assignment.unit)


def withdraw_refusal(report) -> str:
    return "" if report.status == REPORT_SUBMITTED else "只有待审核的报送可以撤回"


def can_withdraw_now(user, report) -> bool:
    return can_withdraw(user, report) and not withdraw_refusal(report)


def can_review(user) -> bool:
    return scope_for(user).is_office


def can_file_workplan(user, unit) -> bool:
    return can_act_for_unit(user, unit)


def filed_late(filing) -> bool:
    """Filed after its due date (the due day ends at 24:00, China Standard Time)."""
    from django.utils import timezone

    return timezone.localtime(filing.filed_at).date() > filing.due


def filed_on_time_q():
    """`not filed_late` as a query (for the 按时报备率): `__date` truncates in the current time
    zone, China Standard Time, as `filed_late` does. A test checks the two agree."""
    from django.db.models import F

    return Q(filed_at__date__lte=F("due"))


def filing_lateness(filing, *, due: date, today: date) -> str:
    """A unit's work-plan filing: 'filed_late', 'unfiled_late' (nothing filed and the due day
    is over) or '' (on time, or not yet due)."""
    if filing is None:
        return "unfiled_late" if due < today else ""
    return "filed_late" if filed_late(filing) else ""
