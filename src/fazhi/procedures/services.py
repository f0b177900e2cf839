"""Writes of procedures: publish a definition version (from a form or JSON), start a record's run,
append step records through the gate (`rules.missing_before`). Each write is one transaction."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.core.services import attachments_add, event_record
from fazhi.procedures import rules, selectors
from fazhi.procedures.models import ProcedureDefinition, ProcedureRun, ProcedureStep, StepRecord

STEP_MISSING = "procedure.step_missing"
CLOSED = "procedure.closed"


def known_rules() -> frozenset[str]:
    from fazhi.deadlines.catalogue import RULES

    return frozenset(RULES)


def definition_check(data) -> dict:
    """The cleaned definition, or InvalidInput naming the first bad row and field (all errors in `errors`)."""
    cleaned, errors = rules.validate_definition(data, known_rules=known_rules())
    if errors:
        key, message = next(iter(errors.items()))
        error = InvalidInput(message if key.startswith("steps") or key == "__all__" else f"「{key}」{message}",
                             field=key if key != "__all__" else None)
        error.errors = errors
        raise error
    return cleaned


@transaction.atomic
def definition_publish(*, data, actor) -> ProcedureDefinition:
    """Publish `data` as the next version of its code (version 1 for a new code). Only the office."""
    if actor is not None and not rules.can_manage_definitions(actor):
        raise NotAllowed("只有法制办可以修改程序定义")
    cleaned = definition_check(data)
    definition = _publish(cleaned, actor=actor, Definition=ProcedureDefinition, Step=ProcedureStep)
    if actor is not None:
        event_record(verb="procedures.definition_published", actor=actor, obj=definition,
                     summary=f"发布程序「{definition.name}」第 {definition.version} 版", data={"code": definition.code})
    return definition


def _publish(cleaned: dict, *, actor, Definition, Step):
    """Also used by migrations with their historical models."""
    last = Definition.objects.filter(code=cleaned["code"]).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            definition = Definition.objects.create(code=cleaned["code"], version=last + 1, name=cleaned["name"],
                                                   note=cleaned["note"], created_by=actor)
    except IntegrityError:
        raise Conflict("同一程序刚刚由他人发布了新版本,请刷新后在最新版本上修改", code="procedure.version_taken") from None
    # A migration's historical Step may predate a field (deadline_action before 0002): give it only its own.
    fields = {f.name for f in Step._meta.get_fields()}
    Step.objects.bulk_create([
        Step(definition=definition, position=i, **{k: v for k, v in s.items() if k in fields})
        for i, s in enumerate(cleaned["steps"], 1)
    ])
    return definition


def definition_import(*, raw: bytes | str, actor) -> ProcedureDefinition:
    """A definition exported as JSON (`selectors.definition_as_dict`), published as the next version."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        where = f"第 {e.lineno} 行第 {e.colno} 列" if isinstance(e, json.JSONDecodeError) else "编码"
        raise InvalidInput(f"文件不是有效的 UTF-8 JSON({where}有误),请上传本系统导出的程序定义文件",
                           field="file") from None
    return definition_publish(data=data, actor=actor)


# ---------------------------------------------------------------- shipped definitions (data/*.json)


def builtin_files() -> dict[str, dict]:
    found = {}
    for entry in resources.files("fazhi.procedures").joinpath("data").iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            found[data["code"]] = data
    return found


def builtin_load(*, apps=None, code: str | None = None) -> int:
    """Publish each shipped definition whose code has no version yet (never a second version: the
    office's versions win). `apps`: a migration's historical apps. Returns how many were published."""
    Definition = apps.get_model("procedures", "ProcedureDefinition") if apps else ProcedureDefinition
    Step = apps.get_model("procedures", "ProcedureStep") if apps else ProcedureStep
    loaded = 0
    for data in builtin_files().values():
        if code and data["code"] != code:
            continue
        if Definition.objects.filter(code=data["code"]).exists():
            continue
        with transaction.atomic():
            _publish(definition_check(data), actor=None, Definition=Definition, Step=Step)
        loaded += 1
    return loaded


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    from django.db import connections

    if "procedures_proceduredefinition" in connections[using].introspection.table_names():
        builtin_load()


# ---------------------------------------------------------------- runs and step records


@transaction.atomic
def run_start(*, obj, unit, code: str) -> ProcedureRun:
    """Start `obj` on the version of `code` in force now; a record already started keeps its version."""
    run = ProcedureRun.objects.for_object(obj, code).first()
    if run is not None:
        return run
    definition = selectors.definition_current(code)
    if definition is None:
        raise InvalidInput(f"程序「{code}」尚未定义,请联系法制办在程序定义页发布", field="procedure")
    from django.contrib.contenttypes.models import ContentType

    return ProcedureRun.objects.create(definition=definition, code=code, unit=unit, object_id=str(obj.pk),
                                       content_type=ContentType.objects.get_for_model(obj))


def _locked(run: ProcedureRun):
    """Serialise the acts on one run: the gate reads the records the act will be appended after."""
    ProcedureRun.objects.select_for_update().filter(pk=run.pk).values_list("pk", flat=True).first()
    return selectors.run_facts(run)


def step_gate(run: ProcedureRun, step_code: str, facts=None) -> rules.StepSpec:
    """Refuse (409) an act on `step_code` whose required steps do not count, naming each with its basis;
    or on a run already closed. Returns the step."""
    specs = selectors.run_specs(run)
    step = next((s for s in specs if s.code == step_code), None)
    if step is None:
        raise InvalidInput(f"程序「{run.definition.name}」第 {run.definition.version} 版没有步骤 {step_code}", field="step")
    facts = selectors.run_facts(run) if facts is None else facts
    state = rules.run_state(specs, facts)
    if state.closed_by is not None:
        closing = next(s for s in specs if s.code == state.closed_by.step)
        label = closing.outcome(state.closed_by.outcome).label
        raise Conflict(f"「{run.definition.name}」已{label},不能再办理「{step.name}」", code=CLOSED)
    missing = rules.missing_before(specs, facts, step_code)
    if missing:
        raise Conflict(f"不能办理「{step.name}」:{rules.missing_message(missing)}", code=STEP_MISSING)
    return step


def _may_act(run: ProcedureRun, step_code: str, actor) -> None:
    spec = next((s for s in selectors.run_specs(run) if s.code == step_code), None)
    if spec is not None and not rules.can_complete(actor, spec, run.unit):
        raise NotAllowed(rules.role_refusal(spec))


def _step_row(run, code):
    return ProcedureStep.objects.get(definition_id=run.definition_id, code=code)


def _act_date(act_date) -> date:
    today = timezone.localdate()
    problem = rules.act_date_problem(act_date, today)
    if problem:
        raise InvalidInput(problem, field="act_date")
    return act_date or today


@transaction.atomic
def step_complete(*, run: ProcedureRun, step: str, actor, outcome: str = "", note: str = "", files=(),
                  act_date: date | None = None) -> StepRecord:
    """Record that `step` was done (with `outcome` if the step has outcomes), through the gate."""
    _may_act(run, step, actor)
    spec = step_gate(run, step, _locked(run))
    problem = rules.outcome_problem(spec, outcome)
    if problem:
        raise InvalidInput(problem, field="outcome")
    problem = rules.note_problem(spec, outcome, note)
    if problem:
        raise InvalidInput(problem, field="note")
    if spec.attachments_required and not files and not selectors.step_has_attachments(run, step):
        raise InvalidInput(f"「{spec.name}」须附材料,请上传文件", field="files")
    record = StepRecord.objects.create(run=run, step=_step_row(run, step), kind=rules.DONE, outcome=outcome,
                                       act_date=_act_date(act_date), actor=actor, note=note.strip())
    if files:
        attachments_add(obj=record, unit=run.unit, files=files, actor=actor)
    _clock_drive(run, spec, on=record.act_date, actor=actor)
    return record


def _clock_drive(run: ProcedureRun, spec: rules.StepSpec, *, on: date, actor) -> None:
    """The step's effect on the record's clock of its deadline rule, for every module: `start` opens it
    (or restarts it, the old start kept in its events, when the step is done again after a return);
    `stop` closes the open clock of that rule on the record, on time or late as the clock decides. A stop
    with no open clock does nothing: the clock may be owed elsewhere (the programme's filing deadline is
    its own work-list source) or predate the step. Only a step done calls this: 不适用 moves no clock."""
    from fazhi.deadlines import services as deadlines
    from fazhi.deadlines.models import Deadline

    if not spec.deadline_rule or spec.deadline_action not in rules.DEADLINE_ACTIONS:
        return  # versions published before deadline_action existed leave it blank: no effect, as before
    purpose = rules.clock_purpose(run.code, spec.deadline_rule)
    if spec.deadline_action == rules.START:
        obj = run.content_type.model_class()._base_manager.get(pk=run.object_id)
        deadlines.deadline_open(obj=obj, unit=run.unit, purpose=purpose, rule_id=spec.deadline_rule, start=on,
                                actor=actor)
        return
    open_clocks = Deadline.objects.filter(content_type_id=run.content_type_id, object_id=run.object_id,
                                          rule_id=spec.deadline_rule, status=Deadline.OPEN)
    # Ours first; else the one another service opened for that rule on the record.
    clock = open_clocks.filter(purpose=purpose).first() or open_clocks.order_by("id").first()
    if clock is not None:
        deadlines.deadline_close(deadline=clock, met=True, on=on, actor=actor)


@transaction.atomic
def step_not_applicable(*, run: ProcedureRun, step: str, actor, reason: str,
                        act_date: date | None = None) -> StepRecord:
    """Mark a conditional step 不适用, with the reason; it counts once the office approves."""
    _may_act(run, step, actor)
    spec = step_gate(run, step, _locked(run))
    problem = rules.not_applicable_problem(spec, reason)
    if problem:
        raise InvalidInput(problem[1], field=problem[0])
    return StepRecord.objects.create(run=run, step=_step_row(run, step), kind=rules.NOT_APPLICABLE,
                                     act_date=_act_date(act_date), actor=actor, note=reason.strip())


@transaction.atomic
def not_applicable_decide(*, record: StepRecord, actor, approve: bool, note: str = "") -> StepRecord:
    """The office approves (or rejects, with a reason) a 不适用 mark; the decision is itself a record."""
    if not rules.can_decide_not_applicable(actor):
        raise NotAllowed("只有法制办可以批准步骤不适用")
    facts = _locked(record.run)
    if record.kind != rules.NOT_APPLICABLE or any(f.refers_to == record.pk for f in facts):
        raise InvalidInput("只能对尚未决定的不适用申请作出决定", field="record")
    if not approve and not note.strip():
        raise InvalidInput("驳回不适用申请须说明理由", field="note")
    return StepRecord.objects.create(run=record.run, step=record.step,
                                     kind=rules.NA_APPROVED if approve else rules.NA_REJECTED,
                                     act_date=timezone.localdate(), actor=actor, note=note.strip(), refers_to=record)
