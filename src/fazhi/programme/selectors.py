"""Reads of the programme module, all through the scoping rule. Totals come from the
tallies (a few rows), never from counting the assignments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, Sum

from fazhi.core.scoping import scope_for
from fazhi.org.models import PLAN_UNIT_KINDS, Unit
from fazhi.programme import rules
from fazhi.programme.models import (
    ASSIGNMENT_STATUSES, DONE, PHASES, Assignment, CategoryTally, Programme, ProgressReport, Tally,
    WorkPlanFiling,
)


def current_programme() -> Programme | None:
    return Programme.objects.current()


@dataclass
class TableFilters:
    unit: str = ""
    category: str = ""
    status: str = ""
    overdue: bool | None = None
    phase: str = ""
    errors: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_query(cls, q) -> "TableFilters":
        f = cls(unit=q.get("unit", "").strip().upper(), category=q.get("category", "").strip(),
                status=q.get("status", "").strip(), phase=q.get("phase", "").strip())
        overdue = q.get("overdue", "").strip().lower()
        if overdue in ("true", "1", "yes"):
            f.overdue = True
        elif overdue in ("false", "0", "no"):
            f.overdue = False
        elif overdue:
            f.errors["overdue"] = "只能是 true 或 false"
        if f.status and f.status not in dict(ASSIGNMENT_STATUSES):
            f.errors["status"] = f"未知的状态「{f.status}」(可用: {', '.join(dict(ASSIGNMENT_STATUSES))})"
        if f.phase and f.phase not in dict(PHASES):
            f.errors["phase"] = f"未知的阶段「{f.phase}」(可用: {', '.join(dict(PHASES))})"
        if len(f.category) > 40:
            f.errors["category"] = "类别过长"
        return f

    def as_query(self) -> str:
        from urllib.parse import urlencode

        pairs = {"unit": self.unit, "category": self.category, "status": self.status, "phase": self.phase}
        if self.overdue is not None:
            pairs["overdue"] = "true" if self.overdue else "false"
        return urlencode({k: v for k, v in pairs.items() if v})


def _unit_path(f: TableFilters) -> str | None:
    if "path" not in f.cache:
        f.cache["path"] = Unit.objects.filter(code=f.unit).values_list("path", flat=True).first()
    return f.cache["path"]


def _apply(qs, f: TableFilters, today: date, *, by_unit: bool):
    if f.unit and by_unit:
        path = _unit_path(f)
        qs = qs.in_subtree(path) if path else qs.none()
    if f.category:
        qs = qs.filter(category=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.phase:
        qs = qs.filter(phase=f.phase)
    if f.overdue is True:
        qs = qs.filter(rules.overdue_q(today))
    elif f.overdue is False:
        qs = qs.exclude(rules.overdue_q(today))
    return qs


def assignment_table(*, user, programme: Programme, filters: TableFilters, today: date):
    """(page queryset ordered by due, total) — the total from the tallies."""
    qs = _apply(Assignment.objects.visible_to(user).filter(programme=programme), filters, today,
                by_unit=True)
    qs = qs.select_related("unit", "task").order_by("due", "id")
    return qs, tally_count(user=user, programme=programme, filters=filters, today=today)


def tally_count(*, user, programme: Programme, filters: TableFilters, today: date) -> int:
    if scope_for(user).all_units and not filters.unit:
        base = CategoryTally.objects.filter(programme=programme)
        qs = _apply(base, filters, today, by_unit=False)
    else:
        qs = _apply(Tally.objects.visible_to(user).filter(programme=programme), filters, today,
                    by_unit=True)
    return qs.aggregate(n=Sum("count"))["n"] or 0


def _status_sums(today: date) -> dict:
    return {
        "total": Sum("count"),
        "done": Sum("count", filter=Q(status=DONE)),
        "submitted": Sum("count", filter=Q(status="submitted")),
        "returned": Sum("count", filter=Q(status="returned")),
        "overdue": Sum("count", filter=rules.overdue_q(today)),
    }


def _with_rates(row: dict) -> dict:
    """完成率 = 已完成 ÷ 全部任务分解 (one place for the formula)."""
    counts = {k: row.get(k) or 0 for k in ("total", "done", "submitted", "returned", "overdue")}
    return {**row, **counts, "rate": completion_rate(counts["done"], counts["total"])}


def completion_rate(done: int, total: int) -> float:
    return round(100 * done / total, 1) if total else 0.0


def overview_by_category(*, user, programme: Programme, today: date) -> list[dict]:
    """Completion per category: 完成率 = 已完成 ÷ 全部任务分解 (from the tallies)."""
    scope = scope_for(user)
    base = (CategoryTally.objects.filter(programme=programme) if scope.all_units
            else Tally.objects.visible_to(user).filter(programme=programme))
    rows = (base.values("category").annotate(**_status_sums(today))
            .order_by("category"))
    return [_with_rates(r) for r in rows]


def overview_by_unit(*, user, programme: Programme, today: date, units):
    """Completion per unit for one page of units (the caller paginates the units)."""
    unit_ids = [u.pk for u in units]
    rows = {r["unit_id"]: r for r in Tally.objects.visible_to(user).filter(programme=programme, unit_id__in=unit_ids)
            .values("unit_id").annotate(**_status_sums(today)).order_by()}
    return [(u, _with_rates(rows.get(u.pk, {}))) for u in units]


def overview_totals(*, user, programme: Programme, today: date, by_category: list[dict] | None = None) -> dict:
    rows = by_category if by_category is not None else overview_by_category(user=user, programme=programme, today=today)
    total = {k: sum(r[k] for r in rows) for k in ("total", "done", "submitted", "returned", "overdue")}
    total["rate"] = completion_rate(total["done"], total["total"])
    return total


def units_with_assignments(*, user, programme: Programme):
    """The units that appear in the overview (paginated by the caller)."""
    has_work = Tally.objects.filter(programme=programme, unit_id=OuterRef("pk"), count__gt=0)
    return Unit.objects.visible_to(user).filter(Exists(has_work)).order_by("sort_order", "code")


def work_list(*, user, programme: Programme, today: date):
    """The unit's own assignments still owing something, by due date (returned first when equal)."""
    return (Assignment.objects.visible_to(user).filter(programme=programme).exclude(status=DONE)
            .select_related("unit", "task").order_by("due", "id"))


def work_list_count(*, user, programme: Programme) -> int:
    """How many assignments the work list holds, from the tallies."""
    base = (CategoryTally.objects.filter(programme=programme) if scope_for(user).all_units
            else Tally.objects.visible_to(user).filter(programme=programme))
    return base.exclude(status=DONE).aggregate(n=Sum("count"))["n"] or 0


def review_queue(*, user):
    return (ProgressReport.objects.visible_to(user).filter(status="submitted")
            .select_related("assignment__task", "unit", "submitted_by").order_by("submitted_at", "id"))


def warning_counts(*, user, programme: Programme, today: date) -> dict:
    base = (CategoryTally.objects.filter(programme=programme) if scope_for(user).all_units
            else Tally.objects.visible_to(user).filter(programme=programme))
    agg = base.aggregate(red=Sum("count", filter=rules.overdue_q(today)),
                         yellow=Sum("count", filter=rules.due_soon_q(today)))
    return {"red": agg["red"] or 0, "yellow": agg["yellow"] or 0}


def filing_status(*, user):
    """Every unit that must file its work plan: the departments and town offices."""
    return (Unit.objects.visible_to(user).filter(kind__in=PLAN_UNIT_KINDS, active=True)
            .order_by("sort_order", "code"))


def filings_for(*, user, units, programme: Programme) -> dict:
    return {f.unit_id: f for f in WorkPlanFiling.objects.visible_to(user).filter(programme=programme, unit__in=units)
            .select_related("filed_by")}
