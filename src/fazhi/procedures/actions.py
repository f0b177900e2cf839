"""One way to act on a procedure step, for every module, on its pages and in its API.

A module declares once what its procedure needs (`StepActions`: the procedure code, the extra fields of
some steps, its own router for steps that write to its records); then `act_parse` reads a request (JSON or
a form, the same parse for both) into a `StepAct`, `act_perform` carries it out through the services (the
gate, the roles, the clocks), and `steps_state` / `steps_state_bulk` / `actionable` tell the API and the
pages where a record stands and what the user may do now.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.forms.utils import ErrorDict, ErrorList
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from fazhi.core.converters import MAX_ID
from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.forms import DateInput, MultipleFileField
from fazhi.procedures import rules, selectors, services
from fazhi.procedures.models import ProcedureDefinition, ProcedureRun, ProcedureStep, StepRecord

MAX_TEXT = 2000
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters other than tab and line breaks: refused in text (PostgreSQL refuses NUL outright).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRUE, FALSE = ("true", "1", "on", "yes"), ("false", "0", "off", "no", "")

# Field names as the user sees them: every refusal names one.
LABELS = {"step": "步骤", "date": "办理日期", "outcome": "结果", "note": "说明", "files": "材料",
          "not_applicable": "不适用", "reason": "理由", "decide": "不适用申请", "approve": "批准"}
STATE_NAMES = {rules.COMPLETED: "done", rules.NA_COUNTED: "not_applicable", rules.OPEN: "pending",
               rules.NA_PENDING: "pending"}

# A step record's failed submission on a page, kept for the next page (the form shows it at its field).
SESSION_KEY = "procedures.step_failed"


@dataclass(frozen=True)
class StepActions:
    """What a module declares once for a procedure it runs (e.g. normdocs for "normdoc")."""

    code: str
    # step code -> Django form of the step's extra fields (e.g. "publish": 公布日期/渠道/有效期)
    extras: dict[str, type[forms.Form]] = field(default_factory=dict)
    # (record, act, actor) -> anything: the module's router for steps needing its own writes. It calls
    # services.step_complete / step_not_applicable itself (or `act_default`), in the same transaction.
    perform: Callable[[object, StepAct, object], object] | None = None
    # (record, step code) -> why the step cannot be done now for the record's own state, or None. The page then
    # shows that reason instead of a form the module would refuse (the module's perform refuses the same way).
    blocked: Callable[[object, str], str | None] | None = None


@dataclass(frozen=True)
class StepAct:
    step: str
    act_date: date | None
    outcome: str
    note: str
    files: list
    not_applicable: bool
    reason: str
    decide: int | None
    approve: bool | None
    extra: dict


# ---------------------------------------------------------------- parse


def _refuse(name: str, message: str, label: str | None = None):
    return InvalidInput(f"「{label or LABELS.get(name, name)}」{message}", field=name)


def _is_form(data) -> bool:
    return hasattr(data, "getlist")  # a QueryDict: every value is text


def _text(data, name: str, *, limit: int = MAX_TEXT) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(name, "应为文本(带引号的字符串)")
    value = value.strip()
    if CONTROL_RE.search(value):
        raise _refuse(name, "含有控制字符,请删除后重新提交")
    if len(value) > limit:
        raise _refuse(name, f"至多 {limit} 个字,现有 {len(value)} 个")
    return value


def _bool(data, name: str) -> bool | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and _is_form(data) and value.strip().lower() in TRUE + FALSE:
        return value.strip().lower() in TRUE
    raise _refuse(name, "应为 true 或 false")


def _date(data) -> date | None:
    value = data.get("date")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not DATE_RE.match(value.strip()):
        raise _refuse("date", "应为 YYYY-MM-DD 格式的日期,如 2026-05-12;不填为今天")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise _refuse("date", f"{value.strip()} 不是有效的日期,请检查月份和日") from None
    problem = rules.act_date_problem(day, timezone.localdate())
    if problem:
        raise InvalidInput(problem, field="date")
    return day


def _id(data, name: str) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and _is_form(data) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise _refuse(name, "应为不适用申请的编号(正整数)")
    return value


def _files(data, files) -> list:
    if not _is_form(data) and data.get("files") not in (None, []):
        raise _refuse("files", "须以 multipart/form-data 上传(JSON 请求不能带文件)")
    if files is None:
        return []
    if hasattr(files, "getlist"):
        return list(files.getlist("files"))
    return list(files)


def _spec(run: ProcedureRun, code: str) -> rules.StepSpec | None:
    return next((s for s in selectors.run_specs(run) if s.code == code), None)


def act_parse(data, files, actions: StepActions, run: ProcedureRun, *, actor=None) -> StepAct:
    """The act a request asks for, checked field by field: InvalidInput naming the field in Chinese (never a
    500). `data`: a JSON object or a form's QueryDict; `files`: request.FILES (or a list). With `actor`, a
    user who may not act on the step is refused (NotAllowed) before anything else is read."""
    if not isinstance(data, dict) and not _is_form(data):
        raise InvalidInput("请求体应为 JSON 对象,如 {\"step\": \"legality_review\", \"date\": \"2026-05-12\"}")
    specs = selectors.run_specs(run)
    step_code = data.get("step")
    if not step_code or not isinstance(step_code, str):
        choices = "、".join(f"{s.code}({s.name})" for s in specs)
        raise _refuse("step", f"请选择要办理的步骤:{choices}")
    spec = _spec(run, step_code.strip())
    if spec is None:
        choices = "、".join(f"{s.code}({s.name})" for s in specs)
        raise _refuse("step", f"{step_code.strip()[:40]} 不是「{run.definition.name}」的步骤;可选:{choices}")
    decide = _id(data, "decide")
    if actor is not None:
        if decide is not None and not rules.can_decide_not_applicable(actor):
            raise NotAllowed("只有法制办可以批准或驳回步骤不适用")
        if decide is None and not rules.can_complete(actor, spec, run.unit):
            raise NotAllowed(rules.role_refusal(spec))
    not_applicable = bool(_bool(data, "not_applicable"))
    approve = _bool(data, "approve")
    act_date = _date(data)
    note, reason = _text(data, "note"), _text(data, "reason")
    outcome = _text(data, "outcome", limit=40)
    uploads = _files(data, files)
    extra: dict = {}
    if decide is not None:
        pending = StepRecord.objects.filter(pk=decide, run=run, kind=rules.NOT_APPLICABLE).select_related("step").first()
        if pending is None or pending.step.code != spec.code or pending.decisions.exists():
            raise _refuse("decide", f"{decide} 不是「{spec.name}」尚待决定的不适用申请")
        if approve is None:
            raise _refuse("approve", "请选择批准(true)或驳回(false)")
        if not approve and not (reason or note):
            raise _refuse("reason", "驳回不适用申请须说明理由")
    elif not_applicable:
        problem = rules.not_applicable_problem(spec, reason)
        if problem:
            raise InvalidInput(problem[1], field=problem[0])
    else:
        problem = rules.outcome_problem(spec, outcome)
        if problem:
            raise InvalidInput(problem, field="outcome")
        problem = rules.note_problem(spec, outcome, note)
        if problem:
            raise InvalidInput(problem, field="note")
        form_class = actions.extras.get(spec.code)
        if form_class is not None:
            extra = _extra(form_class, data, files)
    return StepAct(step=spec.code, act_date=act_date, outcome=outcome, note=note, files=uploads,
                   not_applicable=not_applicable, reason=reason, decide=decide, approve=approve, extra=extra)


def _json_types(form_class, data) -> None:
    """A JSON body's values reach a Django form unconverted (a number, a list, an object), where the fields
    expect text: refuse a value of the wrong JSON type naming its field (400, never a 500)."""
    for name, f in form_class.base_fields.items():
        value = data.get(name)
        if value is None or isinstance(f, forms.FileField):
            continue  # files come only as multipart (refused in JSON by their own check)
        label = f.label or name
        if isinstance(f, forms.MultipleChoiceField):
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise _refuse(name, "应为文本的列表,如 [\"a\", \"b\"]", label=label)
        elif isinstance(f, forms.BooleanField):
            if not isinstance(value, bool):
                raise _refuse(name, "应为 true 或 false", label=label)
        elif isinstance(f, forms.IntegerField | forms.FloatField | forms.DecimalField):
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise _refuse(name, "应为数字", label=label)
        elif not isinstance(value, str):
            raise _refuse(name, "应为文本(带引号的字符串)", label=label)


def _extra(form_class, data, files) -> dict:
    if not _is_form(data):
        _json_types(form_class, data)
    file_dict = files if hasattr(files, "getlist") else MultiValueDict()
    form = form_class(data=data, files=file_dict)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        if name == "__all__":
            raise InvalidInput(errors[0])
        label = form.fields[name].label or name
        if errors[0].startswith(f"「{label}」"):  # the form's own message already names its field
            raise InvalidInput(errors[0], field=name)
        raise _refuse(name, errors[0], label=label)
    return form.cleaned_data


# ---------------------------------------------------------------- perform


def act_default(*, run: ProcedureRun, act: StepAct, actor):
    """The procedure's own writes for an act: decide a 不适用 request, mark one, or record the step done.
    A module's `perform` calls this for the steps it does not route itself."""
    if act.decide is not None:
        record = StepRecord.objects.select_related("run", "step").get(pk=act.decide, run=run)
        try:
            return services.not_applicable_decide(record=record, actor=actor, approve=bool(act.approve),
                                                  note=act.reason or act.note)
        except InvalidInput as e:
            raise InvalidInput(e.message, field={"note": "reason", "record": "decide"}.get(e.field, e.field)) from None
    if act.not_applicable:
        return services.step_not_applicable(run=run, step=act.step, actor=actor, reason=act.reason,
                                            act_date=act.act_date)
    try:
        return services.step_complete(run=run, step=act.step, actor=actor, outcome=act.outcome, note=act.note,
                                      files=act.files, act_date=act.act_date)
    except InvalidInput as e:
        raise InvalidInput(e.message, field="date" if e.field == "act_date" else e.field) from None


@transaction.atomic
def act_perform(*, record_obj, run: ProcedureRun, act: StepAct, actions: StepActions, actor):
    """Carry out `act` on `record_obj`: the module's router if it has one, else `act_default`."""
    if actions.perform is not None:
        return actions.perform(record_obj, act, actor)
    return act_default(run=run, act=act, actor=actor)


def run_for_record(obj, code: str) -> ProcedureRun:
    """The record's run of `code`, started on the version in force if it has none yet (`obj.unit`)."""
    return selectors.run_for(obj, code) or services.run_start(obj=obj, unit=obj.unit, code=code)


# ---------------------------------------------------------------- where a record stands


def _state_rows(specs: list[rules.StepSpec], facts: list[rules.Fact]) -> list[dict]:
    state = rules.run_state(specs, facts)
    rows = []
    for s in specs:
        raw = state.states[s.code]
        rows.append({"code": s.code, "name": s.name, "state": STATE_NAMES[raw], "state_label": rules.STATE_LABELS[raw],
                     "missing": [m.step.code for m in rules.missing_before(specs, facts, s.code)],
                     "mandatory": s.mandatory, "role": s.role})
    return rows


def steps_state(run: ProcedureRun | None, *, code: str | None = None) -> list[dict]:
    """Each step of the run's version: code, name, state (done / pending / not_applicable, with the Chinese
    state_label: a 不适用 awaiting the office is pending), missing (the required steps not counting yet),
    mandatory, role. No run yet (`code` given): the version in force, nothing done."""
    if run is None:
        definition = selectors.definition_current(code) if code else None
        return _state_rows(selectors.specs(definition), []) if definition else []
    return _state_rows(selectors.run_specs(run), selectors.run_facts(run))


def steps_state_bulk(objs, code: str) -> dict:
    """`steps_state` of each record of a page (records of one model), by pk, in a constant number of
    queries (runs, steps of their versions, step records; the version in force for records not started)."""
    objs = list(objs)
    if not objs:
        return {}
    content_type = ContentType.objects.get_for_model(objs[0])
    runs = {r.object_id: r for r in ProcedureRun.objects.filter(content_type=content_type, code=code,
                                                               object_id__in=[str(o.pk) for o in objs])}
    definition_ids = {r.definition_id for r in runs.values()}
    current = None
    if len(runs) < len(objs):
        current = ProcedureDefinition.objects.filter(code=code).order_by("-version").first()
        if current is not None:
            definition_ids.add(current.pk)
    specs: dict[int, list[rules.StepSpec]] = {d: [] for d in definition_ids}
    for step in ProcedureStep.objects.filter(definition_id__in=definition_ids).order_by("definition_id", "position"):
        specs[step.definition_id].append(rules.spec_from_dict(selectors.step_as_dict(step)))
    facts: dict[int, list[rules.Fact]] = {r.pk: [] for r in runs.values()}
    rows = (StepRecord.objects.filter(run_id__in=list(facts)).order_by("id")
            .values_list("run_id", "id", "step__code", "kind", "outcome", "refers_to_id"))
    for run_id, pk, step, kind, outcome, ref in rows:
        facts[run_id].append(rules.Fact(id=pk, step=step, kind=kind, outcome=outcome, refers_to=ref))
    result = {}
    for obj in objs:
        run = runs.get(str(obj.pk))
        if run is not None:
            result[obj.pk] = _state_rows(specs[run.definition_id], facts[run.pk])
        else:
            result[obj.pk] = _state_rows(specs[current.pk], []) if current is not None else []
    return result


# ---------------------------------------------------------------- forms for the steps a user may act on


class StepActForm(forms.Form):
    """What a page shows for one step; what it posts is read by `act_parse` (the same as the API)."""

    kind = "complete"
    step = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(label="办理日期", required=False, widget=DateInput(),
                           help_text="不填为今天;不能晚于今天")
    note = forms.CharField(label="说明", required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, spec: rules.StepSpec, extras: type[forms.Form] | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"id_act_{spec.code}_%s")
        kwargs.setdefault("initial", {})["step"] = spec.code
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec.outcomes:
            self.fields["outcome"] = forms.ChoiceField(
                label="结果", required=False, choices=[("", "请选择"), *((o.code, o.label) for o in spec.outcomes)])
            self.order_fields(["step", "date", "outcome"])
        extra_fields = extras().fields if extras is not None else {}
        # A step whose extras name its own documents (答辩状, 证据 …) asks for those, not also for a generic 材料.
        own_files = any(isinstance(f, forms.FileField) for f in extra_fields.values())
        if spec.attachments_required and not own_files:
            from fazhi.core.uploads import accepted_text

            self.fields["files"] = MultipleFileField(label="材料(须附)", required=False,
                                                     help_text=f"本步骤须附材料;{accepted_text()}")
        for name, extra_field in extra_fields.items():
            self.fields[name] = extra_field
        if not spec.mandatory:
            self.fields["not_applicable"] = forms.BooleanField(
                label="本步骤不适用(须法制办批准)", required=False)
            self.fields["reason"] = forms.CharField(
                label="不适用理由", required=False, max_length=MAX_TEXT, help_text=f"适用条件:{spec.condition}")


class NotApplicableDecideForm(forms.Form):
    """The office's decision on one pending 不适用 request: approve, or reject with a reason."""

    kind = "decide"
    step = forms.CharField(widget=forms.HiddenInput)
    decide = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="驳回理由", required=False, max_length=MAX_TEXT, help_text="驳回时必填")

    def __init__(self, *args, spec: rules.StepSpec, record: StepRecord, **kwargs):
        kwargs.setdefault("auto_id", f"id_decide_{record.pk}_%s")
        kwargs.setdefault("initial", {}).update(step=spec.code, decide=record.pk)
        super().__init__(*args, **kwargs)
        self.spec, self.record = spec, record


def _failed(request, run: ProcedureRun) -> dict | None:
    if request is None or not hasattr(request, "session"):
        return None
    failed = request.session.get(SESSION_KEY)
    if failed and failed.get("run") == run.pk:
        del request.session[SESSION_KEY]
        return failed
    return None


def _show_failure(form, failed: dict):
    """Bind `form` to what was posted and show only the refusal, at its field (aria-describedby)."""
    names = MultiValueDict({"files": [SimpleNamespace(name=n) for n in failed.get("files", [])]})
    bound = form.__class__(data=failed.get("data", {}), files=names, spec=form.spec,
                           **({"record": form.record} if isinstance(form, NotApplicableDecideForm) else {}),
                           **({"extras": failed["extras"]} if failed.get("extras") else {}))
    bound.full_clean()
    field_name = failed.get("field")
    target = field_name if field_name in bound.fields and field_name not in ("step", "decide") else "__all__"
    message = failed["message"]
    if target != "__all__":  # the field's own message is shown after its label: 「办理日期」 once
        message = re.sub(r"^「[^」]*」", "", message)
    bound._errors = ErrorDict({target: ErrorList([message])})
    return bound


@dataclass(frozen=True)
class Blocked:
    """In place of a step's form: the module says why the step waits (StepActions.blocked)."""

    reason: str
    kind: str = "blocked"


def actionable(run: ProcedureRun | None, user, actions: StepActions, *, request=None, record=None) -> list[tuple]:
    """The steps `user` may act on now (the role allows, the gate is open, the run is not closed), each as
    (StepView, form): a completion form for an open step (date, outcome, note, files if required, 不适用 +
    reason if conditional, the step's extras), and for the office a decision form per pending 不适用 request.
    With `request`, a submission refused on the previous page comes back with its message at its field. With
    `record` and the module's `blocked`, a step its state refuses comes as (StepView, Blocked) instead."""
    if run is None:
        return []
    view = selectors.run_view(run)
    if view.closed_by is not None:
        return []
    failed = _failed(request, run)
    found = []
    by_code = {s.spec.code: s for s in view.steps}
    if rules.can_decide_not_applicable(user):
        for record in view.pending_not_applicable:
            step = by_code[record.step.code]
            form = NotApplicableDecideForm(spec=step.spec, record=record)
            if failed and failed.get("decide") == record.pk:
                form = _show_failure(form, failed)
            found.append((step, form))
    for step in view.steps:
        if step.state != rules.OPEN or step.missing or not rules.can_complete(user, step.spec, run.unit):
            continue
        reason = actions.blocked(record, step.spec.code) if actions.blocked and record is not None else None
        if reason:
            found.append((step, Blocked(reason)))
            continue
        extras = actions.extras.get(step.spec.code)
        form = StepActForm(spec=step.spec, extras=extras)
        if failed and not failed.get("decide") and failed.get("step") == step.spec.code:
            failed = {**failed, "extras": extras}
            form = _show_failure(form, failed)
        found.append((step, form))
    return found


def remember_failure(request, run: ProcedureRun, error) -> None:
    """Keep a refused page submission for the next page's form (texts only: files cannot be kept)."""
    data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and len(v) <= MAX_TEXT * 2}
    decide = data.get("decide", "")
    request.session[SESSION_KEY] = {
        "run": run.pk, "step": data.get("step", ""), "field": error.field or "", "message": error.message,
        "decide": int(decide) if decide.isascii() and decide.isdigit() and len(decide) <= 18 else None,
        "data": data, "files": [f.name for f in request.FILES.getlist("files")][:20]}
