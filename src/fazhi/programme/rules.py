"""The programme's rules, each in one place: when an assignment is due, which reporting
period is current, when a warning turns yellow or red, who may do what."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from fazhi.core.scoping import OFFICE, scope_for
from fazhi.programme.models import (
    DUE_CONTINUOUS, DUE_DATE, DUE_PHASE, OPEN_STATUSES, PERIOD_MONTHS, Programme, Task,
)

# Plan 五(四): 工作机构和工作方案 4月底前报领导小组办公室备案 — the deadline engine's rule.
WORKPLAN_RULE = "programme.workplan_file"
DEFAULT_REPORT_PERIOD = "quarterly"


def warning_days() -> int:
    return settings.FAZHI["WARNING_DAYS"]


def overdue_q(today: date) -> Q:
    """Overdue, as a filter: the unit still owes the work and the last day has passed.
    `warning_level` below is the same rule for a record in memory."""
    return Q(status__in=OPEN_STATUSES, due__lt=today)


def due_soon_q(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, due__gte=today, due__lte=today + timedelta(days=warning_days()))


def warning_level(*, status: str, due: date, today: date) -> str:
    """'red' once overdue (a period ends at 24:00 of its last day), 'yellow' within the
    warning window, '' otherwise or when nothing is owed (submitted or done)."""
    if status not in OPEN_STATUSES:
        return ""
    if due < today:
        return "red"
    if due <= today + timedelta(days=warning_days()):
        return "yellow"
    return ""


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
    return scope.has_role(OFFICE) or scope.acts_for(unit)


def can_report(user, assignment) -> bool:
    return can_act_for_unit(user, assignment.unit)


def can_review(user) -> bool:
    return scope_for(user).has_role(OFFICE)


def can_file_workplan(user, unit) -> bool:
    return can_act_for_unit(user, unit)
