"""Reads of the programme module, all through the scoping rule. Totals come from the
tallies (a few rows), never from counting the assignments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from fazhi.core.filters import FilterError, clean_text, clean_unit_code, parse_bool, visible_unit_path
from fazhi.core.scoping import scope_for
from fazhi.org.models import PLAN_UNIT_KINDS, Unit
from fazhi.programme import rules
from fazhi.programme.models import (
    ASSIGNMENT_STATUSES, DONE, PHASES, REPORT_RETURNED, RETURNED, Assignment, CategoryTally, Programme, ProgressReport,
    Tally, WorkPlanFiling,
)


def current_programme() -> Programme | None:
    return Programme.objects.current()


def _choices(pairs) -> str:
    return "、".join(f"{code}({label})" for code, label in pairs)


@dataclass
class TableFilters:
    unit: str = ""
    category: str = ""
    status: str = ""
    overdue: bool | None = None
    phase: str = ""
    due_soon: bool | None = None  # 临期: due within the warning window and still owed
    errors: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_query(cls, q, *, user=None, programme: Programme | None = None) -> TableFilters:
        """The filters of a query string (pages, exports and the API alike); what is not understood goes to
        `errors` (filter → Chinese message). With `user`, the unit must be one the user may see; with
        `programme`, the category one of its categories."""
        f = cls()
        text = lambda v: clean_text(v, max_length=40)  # noqa: E731
        for name, clean in (("unit", clean_unit_code), ("category", text), ("status", text), ("phase", text),
                            ("overdue", parse_bool), ("due_soon", parse_bool)):
            try:
                setattr(f, name, clean(q.get(name, "")))
            except FilterError as e:
                f.errors[name] = str(e)
        if f.status and f.status not in dict(ASSIGNMENT_STATUSES):
            f.errors["status"] = f"未知的状态「{f.status}」,可选: {_choices(ASSIGNMENT_STATUSES)}"
            f.status = ""
        if f.phase and f.phase not in dict(PHASES):
            f.errors["phase"] = f"未知的阶段「{f.phase}」,可选: {_choices(PHASES)}"
            f.phase = ""
        if f.unit and user is not None and "unit" not in f.errors:
            try:
                f.cache["path"] = visible_unit_path(user, f.unit)
            except FilterError as e:
                f.errors["unit"] = str(e)
                f.cache["path"] = None
        if f.category and programme is not None and "category" not in f.errors:
            # the same list the page offers as choices
            if f.category not in programme_categories(programme):
                f.errors["category"] = f"未知的类别「{f.category}」,请从列表中选择类别"
        return f

    def as_query(self) -> str:
        from urllib.parse import urlencode

        pairs = {"unit": self.unit, "category": self.category, "status": self.status, "phase": self.phase}
        if self.overdue is not None:
            pairs["overdue"] = "true" if self.overdue else "false"
        if self.due_soon is not None:
            pairs["due_soon"] = "true" if self.due_soon else "false"
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
    if f.due_soon is True:
        qs = qs.filter(rules.due_soon_q(today))
    elif f.due_soon is False:
        qs = qs.exclude(rules.due_soon_q(today))
    return qs


def assignment_table(*, user, programme: Programme, filters: TableFilters, today: date):
    """(page queryset ordered by due, total) — the total from the tallies."""
    qs = _apply(Assignment.objects.visible_to(user).filter(programme=programme), filters, today,
                by_unit=True)
    qs = qs.select_related("unit", "task").order_by("due", "id")
    return qs, tally_count(user=user, programme=programme, filters=filters, today=today)


def tallies(*, user, programme: Programme, by_unit: bool = False):
    """The tally rows behind a user's totals. Someone who sees every unit reads the district-wide
    CategoryTally rows (the same sums from far fewer rows) unless a unit is asked for; everyone
    else reads the Tally rows of the units they may see."""
    if scope_for(user).all_units and not by_unit:
        return CategoryTally.objects.filter(programme=programme)
    return Tally.objects.visible_to(user).filter(programme=programme)


def tally_count(*, user, programme: Programme, filters: TableFilters, today: date) -> int:
    by_unit = bool(filters.unit)
    qs = _apply(tallies(user=user, programme=programme, by_unit=by_unit), filters, today, by_unit=by_unit)
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


def completion_rate(done: int, total: int) -> float | None:
    """完成率 in percent, one decimal; None for no data (0/0), never 0%.

    The rule is the rate `programme.completion` (programme/rates.py: assignments 已完成 ÷ all
    assignments, counted on Assignment). The overview counts from the tallies, a cache of those
    Assignment counts kept by the services so a page costs the same at any table size;
    test_rates checks both give the same numbers."""
    from fazhi.core.rates import fraction

    value = fraction(done, total)
    return None if value is None else round(100 * value, 1)


def overview_by_category(*, user, programme: Programme, today: date) -> list[dict]:
    """Completion per category: 完成率 = 已完成 ÷ 全部任务分解 (from the tallies)."""
    base = tallies(user=user, programme=programme)
    rows = (base.values("category").annotate(**_status_sums(today))
            .order_by("category"))
    return [_with_rates(r) for r in rows]


def overview_by_unit(*, user, programme: Programme, today: date, units):
    """Completion per unit for one page of units (the caller paginates the units)."""
    unit_ids = [u.pk for u in units]
    rows = {r["unit_id"]: r for r in Tally.objects.visible_to(user).filter(programme=programme, unit_id__in=unit_ids)
            .values("unit_id").annotate(**_status_sums(today)).order_by()}
    return [(u, _with_rates(rows.get(u.pk, {}))) for u in units]


def overview_unit_chart(*, user, programme: Programme) -> dict:
    """Completion rate of every unit in the user's scope, for the chart: one aggregate query over
    the tallies (not the table's page of units)."""
    rows = (Tally.objects.visible_to(user).filter(programme=programme)
            .values("unit_id", "unit__code", "unit__name", "unit__short_name", "unit__sort_order")
            .annotate(total=Sum("count"), done=Sum("count", filter=Q(status=DONE)))
            .filter(total__gt=0).order_by("unit__sort_order", "unit__code"))
    chart = {"labels": [], "rates": [], "codes": []}
    for r in rows:
        chart["labels"].append(r["unit__short_name"] or r["unit__name"])
        chart["rates"].append(completion_rate(r["done"] or 0, r["total"]))
        chart["codes"].append(r["unit__code"])
    return chart


def overview_totals(*, user, programme: Programme, today: date, by_category: list[dict] | None = None) -> dict:
    rows = by_category if by_category is not None else overview_by_category(user=user, programme=programme, today=today)
    total = {k: sum(r[k] for r in rows) for k in ("total", "done", "submitted", "returned", "overdue")}
    total["rate"] = completion_rate(total["done"], total["total"])
    return total


def units_with_assignments(*, user, programme: Programme):
    """The units that appear in the overview (paginated by the caller)."""
    has_work = Tally.objects.filter(programme=programme, unit_id=OuterRef("pk"), count__gt=0)
    return Unit.objects.visible_to(user).filter(Exists(has_work)).order_by("sort_order", "code")


def programme_categories(programme: Programme) -> list[str]:
    """The programme's categories (for filter choices), from the district tallies."""
    return list(CategoryTally.objects.filter(programme=programme, count__gt=0).values_list("category", flat=True)
                .distinct().order_by("category"))


def work_list(*, user, programme: Programme, today: date):
    """The unit's own assignments still owing something, by due date; a returned one carries the
    office's latest reason (`return_reason`) so the list can say why."""
    last_return = (ProgressReport.objects.filter(assignment=OuterRef("pk"), status=REPORT_RETURNED)
                   .order_by("-reviewed_at", "-id").values("review_reason")[:1])
    return (Assignment.objects.visible_to(user).filter(programme=programme).exclude(status=DONE)
            .select_related("unit", "task").annotate(return_reason=Subquery(last_return)).order_by("due", "id"))


def work_list_top(*, user, programme: Programme, today: date, n: int = 10) -> list:
    """The first `n` of the work list for the home page, returned items first: the office is
    waiting on those. Two small queries, each stopping at `n` rows."""
    returned = list(work_list(user=user, programme=programme, today=today).filter(status=RETURNED)[:n])
    rest = work_list(user=user, programme=programme, today=today).exclude(status=RETURNED)
    return returned + (list(rest[:n - len(returned)]) if len(returned) < n else [])


def work_list_count(*, user, programme: Programme) -> int:
    """How many assignments the work list holds, from the tallies."""
    base = tallies(user=user, programme=programme)
    return base.exclude(status=DONE).aggregate(n=Sum("count"))["n"] or 0


def review_queue(*, user, unit_path: str | None = None):
    """Reports waiting for the office, oldest first; with `unit_path`, one unit and its sub-units."""
    qs = ProgressReport.objects.visible_to(user).filter(status="submitted")
    if unit_path:
        qs = qs.in_subtree(unit_path)
    return qs.select_related("assignment__task", "unit", "submitted_by").order_by("submitted_at", "id")


def review_queue_units(*, user) -> list[dict]:
    """The units with reports waiting (code, name, count), for the queue's unit filter."""
    rows = (ProgressReport.objects.visible_to(user).filter(status="submitted")
            .values("unit__code", "unit__name", "unit__short_name", "unit__sort_order")
            .annotate(n=Count("id")).order_by("unit__sort_order", "unit__code"))
    return [{"code": r["unit__code"], "name": r["unit__short_name"] or r["unit__name"], "count": r["n"]} for r in rows]


def report_files(*, user, reports) -> dict[int, list]:
    """Evidence of a page of reports, one query: report id → its attachments."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.core.models import Attachment

    files: dict[int, list] = {}
    for att in (Attachment.objects.visible_to(user).active()
                .filter(content_type=ContentType.objects.get_for_model(ProgressReport),
                        object_id__in=[str(r.pk) for r in reports]).order_by("id")):
        files.setdefault(int(att.object_id), []).append(att)
    return files


def warning_counts(*, user, programme: Programme, today: date) -> dict:
    base = tallies(user=user, programme=programme)
    agg = base.aggregate(red=Sum("count", filter=rules.overdue_q(today)),
                         yellow=Sum("count", filter=rules.due_soon_q(today)))
    return {"red": agg["red"] or 0, "yellow": agg["yellow"] or 0}


def filing_status(*, user):
    """Every unit that must file its work plan: the departments and town offices."""
    return (Unit.objects.visible_to(user).filter(kind__in=PLAN_UNIT_KINDS, active=True)
            .order_by("sort_order", "code"))


def workplan_procedure(filing):
    """The filing's procedure run with each step's state (done / missing, with basis); None before filing."""
    from fazhi.procedures import selectors as procedures
    from fazhi.programme.rules import WORKPLAN_PROCEDURE

    run = procedures.run_for(filing, WORKPLAN_PROCEDURE) if filing else None
    return procedures.run_view(run) if run else None


def workplan_files(*, user, filing, procedure):
    """The filing's evidence: lodged with its procedure's step records (and on the filing itself before)."""
    if filing is None:
        return []
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from fazhi.procedures import selectors as procedures

    own = Q(content_type=ContentType.objects.get_for_model(filing), object_id=str(filing.pk))
    return procedures.run_attachments(user=user, run=procedure.run if procedure else None, extra=own)


def filings_for(*, user, units, programme: Programme) -> dict:
    return {f.unit_id: f for f in WorkPlanFiling.objects.visible_to(user).filter(programme=programme, unit__in=units)
            .select_related("filed_by")}


def bulletin_by_unit(*, user, programme: Programme, start: date, end: date) -> list[dict]:
    """Completion per unit of the assignments due within [start, end]: the rate `programme.completion`
    of this programme (one grouped query, scoped) with the units' names (one more)."""
    from fazhi.core import rates
    from fazhi.programme.rates import COMPLETION

    by_unit = rates.compute_by_unit(COMPLETION, user, start=start, end=end, cycle=programme)
    units = Unit.objects.filter(pk__in=by_unit).order_by("sort_order", "code")
    return [{"unit": u.short_name or u.name, "code": u.code, "total": by_unit[u.pk]["denominator"],
             "done": by_unit[u.pk]["numerator"]} for u in units]


def bulletin_overdue(*, user, programme: Programme, start: date, end: date, today: date):
    """The assignments due within the period and overdue today, by due date."""
    return (Assignment.objects.visible_to(user).filter(programme=programme, due__range=(start, end))
            .filter(rules.overdue_q(today)).select_related("task", "unit").order_by("due", "unit__sort_order", "id"))
