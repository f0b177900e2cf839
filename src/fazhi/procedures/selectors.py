"""Reads of procedures: definitions in force, a definition as data (export), a record's run with the
state of each step (done / missing, with basis) for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from fazhi.deadlines.models import Deadline
from fazhi.procedures import rules
from fazhi.procedures.models import ProcedureDefinition, ProcedureRun, ProcedureStep, StepRecord

EXPORT_FIELDS = ("code", "name", "mandatory", "condition", "requires", "basis", "role", "attachments_required",
                 "deadline_rule", "deadline_action", "outcomes")


def definitions_current(*, user):
    """The version in force of every procedure the user may read (every role may read them)."""
    return ProcedureDefinition.objects.visible_to(user).latest_versions().order_by("code")


def definition_current(code: str) -> ProcedureDefinition | None:
    definition = ProcedureDefinition.objects.filter(code=code).order_by("-version").first()
    if definition is None:
        from fazhi.procedures.services import builtin_load

        # A database emptied without a migrate (never in production): the shipped definition, once.
        if builtin_load(code=code):
            definition = ProcedureDefinition.objects.filter(code=code).order_by("-version").first()
    return definition


def definition_get(*, user, code: str, version: int | None = None) -> ProcedureDefinition | None:
    qs = ProcedureDefinition.objects.visible_to(user).filter(code=code).select_related("created_by")
    return (qs.filter(version=version) if version else qs.order_by("-version")).first()


def definition_versions(*, user, code: str):
    return ProcedureDefinition.objects.visible_to(user).filter(code=code).select_related("created_by").order_by("-version")


def definition_steps(definition: ProcedureDefinition) -> list[ProcedureStep]:
    return list(definition.steps.order_by("position"))


def step_as_dict(step: ProcedureStep) -> dict:
    return {name: getattr(step, name) for name in EXPORT_FIELDS}


def definition_as_dict(definition: ProcedureDefinition) -> dict:
    """The export: what `services.definition_import` takes back (as the next version)."""
    return {"code": definition.code, "version": definition.version, "name": definition.name, "note": definition.note,
            "steps": [step_as_dict(s) for s in definition_steps(definition)]}


def deadline_labels(steps) -> dict[str, str]:
    """「起算: 规范性文件合法性审核(15个工作日)」 for each step (row or spec) with a deadline rule, by step
    code, with the office's period in force (one query)."""
    from fazhi.deadlines.catalogue import RULES
    from fazhi.deadlines.models import RuleSetting

    steps = [s for s in steps if s.deadline_rule]
    if not steps:
        return {}
    settings = dict(RuleSetting.objects.filter(rule_id__in={s.deadline_rule for s in steps})
                    .values_list("rule_id", "period"))
    labels = {}
    for s in steps:
        rule = RULES.get(s.deadline_rule)
        name = f"{rule.name}({rule.period_text(settings.get(rule.id) if rule.configurable else None)})" if rule \
            else s.deadline_rule
        action = rules.DEADLINE_ACTIONS.get(s.deadline_action, "起算或办结未定")
        labels[s.code] = f"{action}: {name}"
    return labels


def specs(definition: ProcedureDefinition) -> list[rules.StepSpec]:
    return [rules.spec_from_dict(step_as_dict(s)) for s in definition_steps(definition)]


def run_specs(run: ProcedureRun) -> list[rules.StepSpec]:
    cache = run.__dict__.setdefault("_specs", None)
    if cache is None:
        cache = run.__dict__["_specs"] = specs(run.definition)
    return cache


def run_for(obj, code: str) -> ProcedureRun | None:
    return ProcedureRun.objects.for_object(obj, code).select_related("definition", "unit").first()


def run_records(run: ProcedureRun) -> list[StepRecord]:
    return list(run.records.select_related("step", "actor").order_by("id"))


def _fact(r: StepRecord) -> rules.Fact:
    return rules.Fact(id=r.pk, step=r.step.code, kind=r.kind, outcome=r.outcome, refers_to=r.refers_to_id)


def run_facts(run: ProcedureRun) -> list[rules.Fact]:
    rows = run.records.order_by("id").values_list("id", "step__code", "kind", "outcome", "refers_to_id")
    return [rules.Fact(id=i, step=s, kind=k, outcome=o, refers_to=ref) for i, s, k, o, ref in rows]


def step_has_attachments(run: ProcedureRun, step_code: str) -> bool:
    from fazhi.core.models import Attachment

    ids = [str(pk) for pk in run.records.filter(step__code=step_code, kind=rules.DONE).values_list("pk", flat=True)]
    return bool(ids) and Attachment.objects.active().filter(
        content_type=ContentType.objects.get_for_model(StepRecord), object_id__in=ids).exists()


@dataclass
class StepView:
    spec: rules.StepSpec
    state: str
    missing: list[rules.Missing]
    records: list[StepRecord]
    clock: Deadline | None = None  # the record's clock this step starts or stops, if any
    clock_label: str = ""

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS[self.state]

    @property
    def role_label(self) -> str:
        return rules.STEP_ROLES[self.spec.role]

    @property
    def done(self) -> bool:
        return self.state in (rules.COMPLETED, rules.NA_COUNTED)


@dataclass
class RunView:
    run: ProcedureRun
    steps: list[StepView]
    closed_by: rules.Fact | None
    pending_not_applicable: list[StepRecord]

    def may_act(self, code: str) -> bool:
        """The gate's answer for one step, for a page deciding whether to offer it."""
        return self.closed_by is None and not next(s for s in self.steps if s.spec.code == code).missing


def run_view(run: ProcedureRun) -> RunView:
    """Every step of the run's version with its state, what is missing before it (the gate) and its records."""
    records = run_records(run)
    facts = [_fact(r) for r in records]
    specs_ = run_specs(run)
    state = rules.run_state(specs_, facts)
    decided = {r.refers_to_id for r in records if r.refers_to_id}
    clocks = run_clocks(run, specs_)
    labels = deadline_labels(specs_)
    steps = [StepView(spec=s, state=state.states[s.code], missing=rules.missing_before(specs_, facts, s.code),
                      records=[r for r in records if r.step.code == s.code], clock=clocks.get(s.code),
                      clock_label=labels.get(s.code, "")) for s in specs_]
    pending = [r for r in records if r.kind == rules.NOT_APPLICABLE and r.pk not in decided]
    return RunView(run=run, steps=steps, closed_by=state.closed_by, pending_not_applicable=pending)


def run_clocks(run: ProcedureRun, specs_: list[rules.StepSpec]) -> dict[str, Deadline]:
    """The clock each step with a deadline rule drives on the run's record, by step code (one query): the
    procedure's own (services._clock_drive), else the latest clock of that rule another service keeps."""
    wanted = {s.deadline_rule for s in specs_ if s.deadline_rule}
    if not wanted:
        return {}
    found = list(Deadline.objects.filter(content_type_id=run.content_type_id, object_id=run.object_id,
                                         rule_id__in=wanted).order_by("-id"))
    result = {}
    for s in specs_:
        of_rule = [d for d in found if d.rule_id == s.deadline_rule]
        purpose = rules.clock_purpose(run.code, s.deadline_rule)
        clock = next((d for d in of_rule if d.purpose == purpose), None) or next(iter(of_rule), None)
        if clock is not None:
            result[s.code] = clock
    return result


def run_attachments(*, user, run: ProcedureRun, extra: Q | None = None):
    """The evidence lodged on a run's step records (and `extra`, e.g. the record's own files), scoped."""
    from fazhi.core.models import Attachment

    ids = [str(pk) for pk in run.records.values_list("pk", flat=True)] if run else []
    q = Q(content_type=ContentType.objects.get_for_model(StepRecord), object_id__in=ids)
    if extra is not None:
        q |= extra
    return Attachment.objects.visible_to(user).active().filter(q).order_by("uploaded_at", "id")
