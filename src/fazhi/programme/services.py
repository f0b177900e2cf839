"""Writes of the programme module. Each is one transaction: validation, the change, the
tallies, the history and a domain event."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.core.services import attachments_add, event_record, versioned_update
from fazhi.org.models import PLAN_UNIT_KINDS, Unit
from fazhi.procedures import actions as procedure_actions
from fazhi.procedures import services as procedure_services
from fazhi.programme import rules
from fazhi.programme.models import (
    DONE, DUE_CONTINUOUS, FILING_ARCHIVED, FILING_FILED, FILING_RETURNED, IN_PROGRESS, PHASES, REPORT_ACCEPTED,
    REPORT_RETURNED, REPORT_SUBMITTED, REPORT_WITHDRAWN, RETURNED, SUBMITTED, Assignment, CategoryTally, Phase,
    Programme, ProgressReport, Tally, Task, WorkPlanFiling,
)

# ---------------------------------------------------------------- tallies


def _key(a) -> tuple:
    return (a.programme_id, a.unit_id, a.category, a.phase, a.status, a.due)


def _tally_add(counts: Counter) -> None:
    """Apply +/- counts keyed by (programme, unit, category, phase, status, due)."""
    by_unit: Counter = Counter()
    by_category: Counter = Counter()
    for (programme_id, unit_id, category, phase, status, due), n in counts.items():
        if n:
            by_unit[(programme_id, unit_id, category, phase, status, due)] += n
            by_category[(programme_id, category, phase, status, due)] += n
    _bump(Tally, ("programme_id", "unit_id", "category", "phase", "status", "due"), by_unit)
    _bump(CategoryTally, ("programme_id", "category", "phase", "status", "due"), by_category)


def _bump(model, key_fields: tuple[str, ...], counts: Counter) -> None:
    """Add `counts` to the tally rows, creating missing ones, in one upsert statement
    (INSERT … ON CONFLICT DO UPDATE; PostgreSQL, SQLite ≥ 3.24): two transactions adding the
    same new key both succeed, where an update-then-create would collide on the unique key.
    Rows go in key order so concurrent writers lock them in the same order (no deadlock)."""
    rows = sorted((key, n) for key, n in counts.items() if n)
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in key_fields]
    columns = [qn(f.column) for f in fields]
    count = qn(model._meta.get_field("count").column)
    for start in range(0, len(rows), 500):
        batch = rows[start:start + 500]
        params = []
        for key, n in batch:
            params += [f.get_db_prep_save(v, connection) for f, v in zip(fields, key, strict=True)] + [n]
        values = ", ".join(["(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}, {count}) VALUES {values} "
                f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET {count} = {table}.{count} + EXCLUDED.{count}",
                params,
            )


def tally_move(before: tuple | None, after: tuple | None) -> None:
    counts: Counter = Counter()
    if before is not None:
        counts[before] -= 1
    if after is not None:
        counts[after] += 1
    _tally_add(counts)


def _bulk_in_batches(model, objects, size: int = 2000) -> None:
    """bulk_create from a generator in fixed-size batches: memory stays flat at any row count."""
    from itertools import islice

    while batch := list(islice(objects, size)):
        model.objects.bulk_create(batch)


@transaction.atomic
def tallies_rebuild(programme: Programme | None = None) -> int:
    """Recount every tally from the assignments (repair, or after bulk loads)."""
    scope = {"programme": programme} if programme else {}
    Tally.objects.filter(**scope).delete()
    CategoryTally.objects.filter(**scope).delete()
    rows = (Assignment.objects.filter(**scope)
            .values("programme_id", "unit_id", "category", "phase", "status", "due")
            .annotate(n=Count("id")).order_by())
    _bulk_in_batches(Tally, (Tally(count=r.pop("n"), **r) for r in rows.iterator(chunk_size=2000)))
    crows = (Assignment.objects.filter(**scope)
             .values("programme_id", "category", "phase", "status", "due").annotate(n=Count("id")).order_by())
    _bulk_in_batches(CategoryTally, (CategoryTally(count=r.pop("n"), **r) for r in crows.iterator(chunk_size=2000)))
    return Tally.objects.filter(**scope).count()


# ---------------------------------------------------------------- programme and phases


@transaction.atomic
def programme_create(*, name: str, start: date, end: date, phases: dict[str, tuple[date, date]], actor=None) -> Programme:
    if end <= start:
        raise InvalidInput("结束日期必须晚于开始日期", field="end")
    missing = [label for key, label in PHASES if key not in phases]
    if missing:
        raise InvalidInput(f"缺少阶段: {'、'.join(missing)}", field="phases")
    for key, (p_start, p_end) in phases.items():
        if p_end < p_start or p_start < start or p_end > end:
            raise InvalidInput(f"阶段「{dict(PHASES)[key]}」的日期应在创建周期内且结束不早于开始", field="phases")
    for old in Programme.objects.filter(is_current=True):
        old.is_current = False
        old._change_reason = f"新的创建周期「{name}」开始"
        old.save()  # with its history, unlike a queryset update
    programme = Programme.objects.create(name=name, start=start, end=end, is_current=True)
    for key, (p_start, p_end) in phases.items():
        Phase.objects.create(programme=programme, key=key, start=p_start, end=p_end)
    event_record(verb="programme.created", summary=f"建立创建周期: {name}", actor=actor, obj=programme)
    return programme


def phase_ends(programme: Programme) -> dict[str, date]:
    return dict(Phase.objects.filter(programme=programme).values_list("key", "end"))


# ---------------------------------------------------------------- tasks and assignments


def resolve_units(spec: str, units_by_code: dict[str, Unit]) -> list[Unit]:
    """ALL = every department and town office; KEY = the demonstration key units; else codes."""
    spec = spec.strip()
    if not spec:
        return []
    if spec == "ALL":
        return [u for u in units_by_code.values() if u.kind in PLAN_UNIT_KINDS and u.active]
    if spec == "KEY":
        return [u for u in units_by_code.values() if u.demonstration_key_unit and u.active]
    return [units_by_code[c.strip().upper()] for c in spec.split(";") if c.strip()]


@transaction.atomic
def task_upsert(*, programme: Programme, row: dict, units_by_code: dict[str, Unit], actor=None) -> tuple[Task, bool, int]:
    """Create or update a task from a validated row; create its missing assignments.
    Returns (task, changed, assignments created). Same row twice: nothing changes."""
    fields = {k: row[k] for k in ("category", "title", "requirement", "responsible_spec", "due_kind", "due_phase",
                                  "due_month_day", "report_period", "evidence")}
    task = Task.objects.filter(programme=programme, code=row["code"]).first()
    changed = False
    updated = 0
    if task is None:
        task = Task.objects.create(programme=programme, code=row["code"], **fields)
        changed = True
    else:
        diff = {k: v for k, v in fields.items() if getattr(task, k) != v}
        if diff:
            task = versioned_update(task, expected_version=task.version, changes=diff, reason=IMPORT_REASON)
            changed = True
            updated = _assignments_follow(task, programme, diff, actor)
    leads = sorted(resolve_units(row["lead_spec"], units_by_code), key=lambda u: u.pk)
    if sorted(task.lead_units.values_list("pk", flat=True)) != [u.pk for u in leads]:
        task.lead_units.set(leads)
        changed = True
    responsible = resolve_units(row["responsible_spec"], units_by_code)
    targets = {u.pk: (u, False) for u in responsible}
    for u in leads:
        targets.setdefault(u.pk, (u, True))
    existing = set(Assignment.objects.filter(task=task).values_list("unit_id", flat=True))
    due, label = rules.first_due(task, programme, phase_ends(programme))
    new = [
        Assignment(task=task, unit=u, programme=programme, category=task.category,
                   phase=task.due_phase, is_lead=is_lead, due=due, period_label=label)
        for pk, (u, is_lead) in targets.items() if pk not in existing
    ]
    bulk_create_with_history(new, Assignment, default_user=actor if getattr(actor, "pk", None) else None,
                             default_change_reason=IMPORT_REASON)
    _tally_add(Counter(_key(a) for a in new))
    if changed or new:
        event_record(verb="programme.task_imported", summary=f"导入目标任务 {task.code}", actor=actor, obj=task,
                     data={"assignments_created": len(new), "assignments_updated": updated})
    return task, changed, len(new)


IMPORT_REASON = "导入责任分解表"
DUE_FIELDS = ("due_kind", "due_phase", "due_month_day", "report_period")


def _assignments_follow(task: Task, programme: Programme, diff: dict, actor) -> int:
    """A re-imported task's change reaches its assignments, each with its history and its tallies
    moved: the copied category and phase always; a changed 完成时限 only where work is still owed
    (as a new assignment would get it; a continuous task's assignment keeps its current period if
    the new cycle has it). Returns the assignments changed."""
    due_changed = any(k in diff for k in DUE_FIELDS)
    if "category" not in diff and not due_changed:
        return 0
    from simple_history.utils import bulk_update_with_history

    first_due, first_label = rules.first_due(task, programme, phase_ends(programme))
    periods = (dict(rules.periods(programme, task.report_period or rules.DEFAULT_REPORT_PERIOD))
               if task.due_kind == DUE_CONTINUOUS else {})
    counts: Counter = Counter()
    changed = []
    for a in Assignment.objects.select_for_update(of=("self",)).filter(task=task).order_by("pk"):
        changes = {"category": task.category, "phase": task.due_phase}
        if due_changed and a.status != DONE:
            if a.period_label and a.period_label in periods:
                changes["due"] = periods[a.period_label]
            else:
                changes.update(due=first_due, period_label=first_label)
        changes = {k: v for k, v in changes.items() if getattr(a, k) != v}
        if not changes:
            continue
        counts[_key(a)] -= 1
        for k, v in changes.items():
            setattr(a, k, v)
        a.version += 1
        counts[_key(a)] += 1
        changed.append(a)
    bulk_update_with_history(changed, Assignment, ["category", "phase", "due", "period_label", "version"],
                             batch_size=1000, default_user=actor if getattr(actor, "pk", None) else None,
                             default_change_reason=IMPORT_REASON)
    _tally_add(counts)
    return len(changed)


@transaction.atomic
def assignment_start(*, assignment: Assignment, actor, expected_version: int | None) -> Assignment:
    """The unit marks the work as begun (未开始 → 进行中)."""
    if not rules.can_report(actor, assignment):
        raise NotAllowed("只有本单位人员可以更新本单位的任务")
    if refusal := rules.start_refusal(assignment):
        raise InvalidInput(refusal, field="status")
    before = _key(assignment)
    assignment = versioned_update(assignment, expected_version=expected_version, changes={"status": IN_PROGRESS})
    tally_move(before, _key(assignment))
    event_record(verb="programme.assignment_started", summary=f"{assignment} 开始实施", actor=actor,
                 unit=assignment.unit, obj=assignment)
    return assignment


# ---------------------------------------------------------------- progress reports


@transaction.atomic
def report_submit(*, assignment: Assignment, actor, text: str, files, expected_version: int | None) -> ProgressReport:
    """A unit reports progress with evidence; the assignment waits for the office's review."""
    if not rules.can_report(actor, assignment):
        raise NotAllowed("只有本单位人员可以报送本单位的进展")
    if not text or not text.strip():
        raise InvalidInput("请填写进展情况", field="text")
    if refusal := rules.report_refusal(assignment):
        raise InvalidInput(refusal, field="status")
    if not files:
        raise InvalidInput("请上传佐证材料(至少一个文件)", field="files")
    before = _key(assignment)
    assignment = versioned_update(assignment, expected_version=expected_version, changes={"status": SUBMITTED})
    tally_move(before, _key(assignment))
    report = ProgressReport.objects.create(assignment=assignment, unit=assignment.unit, text=text.strip(),
                                           period_label=assignment.period_label, submitted_by=actor)
    attachments_add(obj=report, unit=assignment.unit, files=files, actor=actor)
    event_record(verb="programme.report_submitted", summary=f"{assignment} 报送进展", actor=actor,
                 unit=assignment.unit, obj=assignment, data={"report": report.pk})
    return report


@transaction.atomic
def report_withdraw(*, report: ProgressReport, actor, reason: str) -> ProgressReport:
    if not rules.can_withdraw(actor, report):
        raise NotAllowed("只有本单位人员可以撤回本单位的报送;法制办请用“退回”并写明理由")
    if refusal := rules.withdraw_refusal(report):
        raise InvalidInput(refusal, field="status")
    if not reason.strip():
        raise InvalidInput("撤回必须填写原因", field="reason")
    assignment = Assignment.objects.select_for_update().get(pk=report.assignment_id)
    before = _key(assignment)
    versioned_update(report, expected_version=report.version, changes={"status": REPORT_WITHDRAWN,
                                                                        "review_reason": reason}, reason=reason)
    assignment = versioned_update(assignment, expected_version=assignment.version, changes={"status": IN_PROGRESS},
                                  reason=reason)
    tally_move(before, _key(assignment))
    event_record(verb="programme.report_withdrawn", summary=f"{assignment} 撤回报送", actor=actor,
                 unit=assignment.unit, obj=assignment, reason=reason)
    return report


@transaction.atomic
def report_review(*, report: ProgressReport, actor, accept: bool, reason: str = "",
                  expected_version: int | None = None) -> ProgressReport:
    """The office accepts a report (the assignment is done, or moves to its next period),
    or returns it with a reason (the assignment goes back to the unit's list)."""
    if not rules.can_review(actor):
        raise NotAllowed("只有法制办可以审核进展报送")
    if report.status != REPORT_SUBMITTED:
        raise InvalidInput(f"该报送{report.get_status_display()},不能再审核", field="status")
    if not accept and not reason.strip():
        raise InvalidInput("退回必须填写理由", field="reason")
    report = versioned_update(report, expected_version=expected_version if expected_version is not None else report.version,
                              reason=reason, changes={
                                  "status": REPORT_ACCEPTED if accept else REPORT_RETURNED, "reviewed_by": actor,
                                  "reviewed_at": timezone.now(), "review_reason": reason.strip()})
    assignment = Assignment.objects.select_related("task", "programme").select_for_update().get(pk=report.assignment_id)
    before = _key(assignment)
    if not accept:
        changes = {"status": RETURNED}
    elif assignment.task.due_kind == DUE_CONTINUOUS:
        nxt = rules.next_period(assignment.task, assignment.programme, assignment.period_label)
        changes = ({"status": IN_PROGRESS, "period_label": nxt[0], "due": nxt[1]} if nxt
                   else {"status": DONE, "completed_at": timezone.now()})
    else:
        changes = {"status": DONE, "completed_at": timezone.now()}
    assignment = versioned_update(assignment, expected_version=assignment.version, changes=changes, reason=reason)
    tally_move(before, _key(assignment))
    verb, word = ("programme.report_accepted", "通过") if accept else ("programme.report_returned", "退回")
    event_record(verb=verb, summary=f"{assignment} 的报送被{word}", actor=actor, unit=assignment.unit,
                 obj=assignment, reason=reason, data={"report": report.pk})
    return report


def reports_review_bulk(*, report_ids: list[int], actor, accept: bool, reason: str, visible) -> int:
    """Review many reports at once; all or nothing. `visible` is the caller's scoped queryset."""
    if not report_ids:
        raise InvalidInput("请至少选择一条报送", field="reports")
    with transaction.atomic():
        # of=self: the caller's queryset may outer-join nullable relations, which PostgreSQL cannot lock.
        reports = list(visible.filter(pk__in=report_ids).select_for_update(of=("self",)))
        if len(reports) != len(set(report_ids)):
            raise InvalidInput("部分报送不存在或无权审核", field="reports")
        for report in reports:
            report_review(report=report, actor=actor, accept=accept, reason=reason)
    return len(reports)


# ---------------------------------------------------------------- work-plan filing


def workplan_due(programme: Programme) -> date:
    return rules.fixed_date_due(programme, "04-30")


def _workplan_run(filing: WorkPlanFiling):
    """The filing's run through the procedure `programme.workplan_filing`, started on the version in force."""
    return procedure_services.run_start(obj=filing, unit=filing.unit, code=rules.WORKPLAN_PROCEDURE)


@transaction.atomic
def workplan_file(*, programme: Programme, unit: Unit, actor, data: dict, files,
                  expected_version: int | None = None, act_date: date | None = None) -> WorkPlanFiling:
    """A unit files (or re-files after a return) its creation body and work plan: the procedure's step
    `file`, whose gate and rules (evidence required, closed once archived) decide."""
    if not rules.can_file_workplan(actor, unit):
        raise NotAllowed("只有本单位人员可以报备本单位的工作机构和方案")
    for field, label in [("head_name", "一把手姓名"), ("head_phone", "一把手电话"), ("deputy_name", "分管领导姓名"),
                         ("deputy_phone", "分管领导电话")]:
        if not str(data.get(field, "")).strip():
            raise InvalidInput(f"请填写{label}", field=field)
    staff = [s for s in data.get("staff", []) if s.get("name", "").strip()]
    if not staff:
        raise InvalidInput("请至少填写一名专人(姓名和电话)", field="staff")
    for i, s in enumerate(staff, 1):
        if not s.get("phone", "").strip():
            raise InvalidInput(f"第 {i} 名专人缺少电话", field="staff")
    filing = WorkPlanFiling.objects.filter(programme=programme, unit=unit).first()
    fields = {k: str(data.get(k, "")).strip() for k in ("head_name", "head_title", "head_phone", "deputy_name",
                                                      "deputy_title", "deputy_phone", "plan_summary")}
    fields["staff"] = [{"name": s["name"].strip(), "phone": s["phone"].strip()} for s in staff]
    if filing is None:
        filing = WorkPlanFiling.objects.create(programme=programme, unit=unit, due=workplan_due(programme),
                                               filed_at=timezone.now(), filed_by=actor, **fields)
    else:
        _workplan_gate(filing, "file")
        filing = versioned_update(filing, expected_version=expected_version, changes={
            **fields, "status": FILING_FILED, "filed_at": timezone.now(), "filed_by": actor})
    procedure_services.step_complete(run=_workplan_run(filing), step="file", actor=actor, files=files,
                                     act_date=act_date)
    event_record(verb="programme.workplan_filed", summary=f"{unit.display_name} 报备创建工作机构和方案",
                 actor=actor, unit=unit, obj=filing)
    return filing


def _workplan_gate(filing: WorkPlanFiling, step: str) -> None:
    """The procedure's gate, in the programme's words where the filing is archived (a 400 the unit can read)."""
    try:
        procedure_services.step_gate(_workplan_run(filing), step)
    except Conflict as e:
        if e.code == procedure_services.CLOSED and step == "file":
            raise InvalidInput("方案已归档,如需修改请联系法制办", field="status") from None
        raise


@transaction.atomic
def workplan_review(*, filing: WorkPlanFiling, actor, archive: bool, reason: str = "",
                    expected_version: int | None = None) -> WorkPlanFiling:
    """The office archives a filing (收集整理归档) or returns it for correction with a reason: the procedure's
    step `review`, refused (409, procedure.step_missing) unless the filing step counts."""
    if not rules.can_review(actor):
        raise NotAllowed("只有法制办可以审核备案")
    if not archive and not reason.strip():
        raise InvalidInput("退回必须填写理由", field="reason")
    run = _workplan_run(filing)
    procedure_services.step_complete(run=run, step="review", actor=actor, outcome="archive" if archive else "return",
                                     note=reason)
    filing = versioned_update(filing, expected_version=expected_version if expected_version is not None else filing.version,
                              reason=reason, changes={"status": FILING_ARCHIVED if archive else FILING_RETURNED,
                                                      "reviewed_by": actor, "review_reason": reason.strip()})
    event_record(verb="programme.workplan_archived" if archive else "programme.workplan_returned",
                 summary=f"{filing.unit.display_name} 的方案{'已归档' if archive else '被退回'}", actor=actor,
                 unit=filing.unit, obj=filing, reason=reason)
    return filing


FILING_FIELDS = ("head_name", "head_title", "head_phone", "deputy_name", "deputy_title", "deputy_phone", "plan_summary")


def workplan_step(filing: WorkPlanFiling, act, actor):
    """The filing's steps through the generic step actions (POST /api/v1/workplans/{id}/steps/): `file` files
    again with the data on record and the files sent; `review` archives or returns (the note is the reason)."""
    if act.decide is None and not act.not_applicable:
        if act.step == "file":
            data = {k: getattr(filing, k) for k in FILING_FIELDS} | {"staff": filing.staff}
            return workplan_file(programme=filing.programme, unit=filing.unit, actor=actor, data=data, files=act.files,
                                 expected_version=filing.version, act_date=act.act_date)
        if act.step == "review":
            return workplan_review(filing=filing, actor=actor, archive=act.outcome == "archive",
                                   reason=act.note or act.reason)
    return procedure_actions.act_default(run=_workplan_run(filing), act=act, actor=actor)


WORKPLAN_STEP_ACTIONS = procedure_actions.StepActions(code=rules.WORKPLAN_PROCEDURE, perform=workplan_step)


@transaction.atomic
def phase_update(*, phase: Phase, start: date, end: date, actor, expected_version: int | None,
                 reason: str = "") -> tuple[Phase, int]:
    """The office sets a phase's dates (the plan leaves 实施步骤 empty). Open assignments due at
    the end of this phase move with it, each with its history. Returns (phase, assignments moved)."""
    if not rules.can_review(actor):
        raise NotAllowed("只有法制办可以设置创建阶段")
    programme = phase.programme
    if end < start:
        raise InvalidInput("阶段结束日期不能早于开始日期", field="end")
    if start < programme.start or end > programme.end:
        raise InvalidInput(f"阶段日期应在创建周期 {programme.start} 至 {programme.end} 之内", field="start")
    phase = versioned_update(phase, expected_version=expected_version, changes={"start": start, "end": end},
                             reason=reason)
    from simple_history.utils import bulk_update_with_history

    moving = list(Assignment.objects.select_for_update(of=("self",)).filter(
        programme=programme, phase=phase.key, task__due_kind="phase").exclude(status=DONE).exclude(due=end))
    counts: Counter = Counter()
    for a in moving:
        counts[_key(a)] -= 1
        a.due = end
        a.version += 1
        counts[_key(a)] += 1
    bulk_update_with_history(moving, Assignment, ["due", "version"], batch_size=1000,
                             default_user=actor, default_change_reason=reason or f"{phase.get_key_display()}阶段调整")
    _tally_add(counts)
    event_record(verb="programme.phase_changed", summary=f"{phase.get_key_display()}阶段调整为 {start} 至 {end}",
                 actor=actor, obj=phase, reason=reason, data={"moved": len(moving)})
    return phase, len(moving)


def overdue_record(*, today: date, batch: int = 2000) -> int:
    """Write one `programme.assignment_overdue` event for each assignment that has become overdue
    (once per due date), so the unit, the office and the history see when it went red. Run daily
    (`fazhi remind`); running it twice writes nothing new."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.core.models import Event
    ct = ContentType.objects.get_for_model(Assignment)
    written = 0
    overdue = (Assignment.objects.filter(rules.overdue_q(today))
               .select_related("task", "unit").order_by("id"))
    chunk: list[Assignment] = []

    def flush():
        nonlocal written
        ids = [str(a.pk) for a in chunk]
        seen = {(e.object_id, e.data.get("due")) for e in Event.objects.filter(
            verb="programme.assignment_overdue", content_type=ct, object_id__in=ids).only("object_id", "data")}
        new = [Event(verb="programme.assignment_overdue", content_type=ct, object_id=str(a.pk), unit_id=a.unit_id,
                     summary=f"{a.task.code} · {a.unit.display_name} 已逾期(完成时限 {a.due})",
                     data={"due": a.due.isoformat()})
               for a in chunk if (str(a.pk), a.due.isoformat()) not in seen]
        Event.objects.bulk_create(new)
        written += len(new)
        chunk.clear()

    for a in overdue.iterator(chunk_size=batch):
        chunk.append(a)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return written
