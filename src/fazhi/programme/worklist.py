"""The programme's sources of the one work list (deadlines/worklist.py): open assignments, and
work-plan filings a unit owes. Registered in ProgrammeConfig.ready."""

from __future__ import annotations

from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Sum, Value, When
from django.db.models.functions import Concat
from django.urls import reverse

from fazhi.deadlines import rules as deadline_rules
from fazhi.deadlines.worklist import STATES, Source, columns, state_q
from fazhi.programme import rules
from fazhi.programme.models import FILING_RETURNED, OPEN_STATUSES, RETURNED, Assignment, Tally, WorkPlanFiling

ASSIGNMENT, WORKPLAN = "programme.assignment", "programme.workplan"


def _programme(user=None, today=None):
    """The current programme and its work-plan due date, read once per user object and day (the
    list asks for them in each source's rows and counts)."""
    from fazhi.programme.selectors import current_programme
    from fazhi.programme.services import workplan_due

    cached = getattr(user, "_fazhi_worklist_programme", None)
    if cached is not None and cached[0] == today:
        return cached[1], cached[2]
    programme = current_programme()
    due = workplan_due(programme) if programme else None
    if user is not None:
        user._fazhi_worklist_programme = (today, programme, due)
    return programme, due


def _assignment_rows(user, today, unit_path, state):
    programme, _ = _programme(user, today)
    qs = Assignment.objects.visible_to(user).filter(status__in=OPEN_STATUSES)
    qs = qs.filter(programme=programme) if programme else qs.none()
    if unit_path:
        qs = qs.in_subtree(unit_path)
    qs = qs.filter(state_q(state, today))
    return columns(qs, kind=ASSIGNMENT, id=F("id"), unit=F("unit_id"), due=F("due"), state=F("status"),
                   title=Concat(F("task__code"), Value(" "), F("task__title")),
                   rank=Case(When(status=RETURNED, then=Value(0)), default=Value(1), output_field=IntegerField()))


def _assignment_counts(user, today, unit_path):
    """From the tallies (kept with every change), not by counting the assignments."""
    programme, _ = _programme(user, today)
    if programme is None:
        return dict.fromkeys(STATES, 0)
    qs = Tally.objects.visible_to(user).filter(programme=programme, status__in=OPEN_STATUSES)
    if unit_path:
        qs = qs.in_subtree(unit_path)
    agg = qs.aggregate(open=Sum("count"), overdue=Sum("count", filter=rules.overdue_q(today)),
                       due_soon=Sum("count", filter=rules.due_soon_q(today)))
    return {k: agg[k] or 0 for k in STATES}


def _owing_units(user, unit_path, programme):
    """Units that must file (selectors.filing_status) with no filing yet, or one returned for 补正."""
    from fazhi.programme.selectors import filing_status

    qs = filing_status(user=user).order_by()
    if unit_path:
        qs = qs.in_subtree(unit_path)
    settled = WorkPlanFiling.objects.filter(programme=programme, unit=OuterRef("pk")).exclude(status=FILING_RETURNED)
    return qs.exclude(Exists(settled))


def _due_in(state, due, today) -> bool:
    return state == "open" or deadline_rules.level(due, today) == {"overdue": "red", "due_soon": "yellow"}[state]


def _workplan_rows(user, today, unit_path, state):
    programme, due = _programme(user, today)
    if programme is None:
        return columns(WorkPlanFiling.objects.none(), kind=WORKPLAN, id=F("id"), unit=F("unit_id"),
                       title=Value(""), due=F("due"), state=F("status"))
    qs = _owing_units(user, unit_path, programme)
    if not _due_in(state, due, today):
        qs = qs.none()
    returned = WorkPlanFiling.objects.filter(programme=programme, unit=OuterRef("pk"), status=FILING_RETURNED)
    return columns(qs, kind=WORKPLAN, id=F("code"), unit=F("id"), title=Value("报备创建工作机构和工作方案"),
                   due=Value(due), state=Case(When(Exists(returned), then=Value("returned")),
                                              default=Value("unfiled"), output_field=CharField()),
                   rank=Case(When(Exists(returned), then=Value(0)), default=Value(1), output_field=IntegerField()))


def _workplan_counts(user, today, unit_path):
    programme, due = _programme(user, today)
    if programme is None:
        return dict.fromkeys(STATES, 0)
    n = _owing_units(user, unit_path, programme).count()
    level = deadline_rules.level(due, today)
    return {"open": n, "overdue": n if level == "red" else 0, "due_soon": n if level == "yellow" else 0}


SOURCES = [
    Source(kind=ASSIGNMENT, label="创建任务", rows=_assignment_rows, counts=_assignment_counts,
           link=lambda item: reverse("assignment-detail", args=[int(item.record_id)])),
    Source(kind=WORKPLAN, label="工作方案备案", rows=_workplan_rows, counts=_workplan_counts,
           link=lambda item: reverse("workplan-file", args=[item.record_id])),
]
