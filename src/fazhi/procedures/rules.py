"""The procedure gate, in one place: what is missing before a step, and whether a definition is sound.

Pure Python over plain values (no database): every page, API call, service and command asks these
functions, through `procedures.services`/`selectors`, which turn the stored rows into `StepSpec`s and
`Fact`s. A step is done when it has a record that counts, until an outcome reopens it (退回 reopens the
filing); a conditional step marked 不适用 counts only once the office approves that mark.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from fazhi.core.scoping import scope_for

# Who may complete a step: the record's own unit (its admins and staff) or the office (法制办).
ROLE_UNIT, ROLE_OFFICE = "unit", "office"
STEP_ROLES = {ROLE_UNIT: "本单位", ROLE_OFFICE: "法制办"}

# What completing a step does to the clock of its deadline rule on the record.
START, STOP = "start", "stop"
DEADLINE_ACTIONS = {START: "起算", STOP: "办结"}

# Kinds of step records (append-only facts).
DONE, NOT_APPLICABLE, NA_APPROVED, NA_REJECTED = "done", "not_applicable", "na_approved", "na_rejected"
RECORD_KINDS = {DONE: "办理", NOT_APPLICABLE: "申请不适用", NA_APPROVED: "批准不适用", NA_REJECTED: "驳回不适用"}

# A step's state, computed from its records.
OPEN, COMPLETED, NA_PENDING, NA_COUNTED = "open", "done", "na_pending", "na_approved"
STATE_LABELS = {OPEN: "未完成", COMPLETED: "已完成", NA_PENDING: "不适用(待法制办批准)", NA_COUNTED: "不适用(已批准)"}

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PROCEDURE_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
STEP_CODE_HINT = "小写字母开头,只含小写字母、数字和下划线,至多 40 个字符,如 legality_review"


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    reopens: tuple[str, ...] = ()  # steps to be done again after this outcome (退回补正 → 报备)
    closes: bool = False  # the procedure ends with this outcome (归档)


@dataclass(frozen=True)
class StepSpec:
    code: str
    name: str
    basis: str
    mandatory: bool = True
    condition: str = ""
    requires: tuple[str, ...] = ()
    role: str = ROLE_UNIT
    attachments_required: bool = False
    deadline_rule: str = ""
    deadline_action: str = ""
    outcomes: tuple[Outcome, ...] = ()

    def outcome(self, code: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.code == code), None)

    @property
    def label(self) -> str:
        """「合法性审查(《…》第二十五条)」: the step as a refusal names it."""
        return f"{self.name}({self.basis})" if self.basis else self.name


@dataclass(frozen=True)
class Fact:
    """One step record, as the gate needs it. `refers_to`: the 不适用 record an approval decides."""

    id: int
    step: str
    kind: str = DONE
    outcome: str = ""
    refers_to: int | None = None


@dataclass
class RunState:
    states: dict[str, str] = field(default_factory=dict)
    closed_by: Fact | None = None

    def counts(self, step: str) -> bool:
        return self.states.get(step) in (COMPLETED, NA_COUNTED)


def run_state(steps: list[StepSpec], facts: list[Fact]) -> RunState:
    """Replay the records in the order they were appended."""
    by_code = {s.code: s for s in steps}
    state = RunState(states={s.code: OPEN for s in steps})
    na_step: dict[int, str] = {}
    for fact in facts:
        if fact.kind == DONE:
            state.states[fact.step] = COMPLETED
            outcome = by_code[fact.step].outcome(fact.outcome) if fact.step in by_code else None
            if outcome:
                for code in outcome.reopens:
                    state.states[code] = OPEN
                if outcome.closes:
                    state.closed_by = fact
        elif fact.kind == NOT_APPLICABLE:
            na_step[fact.id] = fact.step
            state.states[fact.step] = NA_PENDING
        elif fact.kind in (NA_APPROVED, NA_REJECTED) and fact.refers_to in na_step:
            step = na_step.pop(fact.refers_to)
            if state.states.get(step) == NA_PENDING:
                state.states[step] = NA_COUNTED if fact.kind == NA_APPROVED else OPEN
    return state


@dataclass(frozen=True)
class Missing:
    step: StepSpec
    state: str

    @property
    def message(self) -> str:
        pending = "(不适用尚待法制办批准)" if self.state == NA_PENDING else ""
        return f"未完成{self.step.label}{pending}"


def missing_before(steps: list[StepSpec], facts: list[Fact], step_code: str) -> list[Missing]:
    """THE gate: the steps that must count before `step_code` and do not, in the definition's order.
    Requirements are followed through (a step required by a required step is required too), so a step
    reopened after its successors were done is still named."""
    by_code = {s.code: s for s in steps}
    if step_code not in by_code:
        raise KeyError(step_code)
    needed: set[str] = set()
    todo = list(by_code[step_code].requires)
    while todo:
        code = todo.pop()
        if code in needed or code not in by_code:
            continue
        needed.add(code)
        todo.extend(by_code[code].requires)
    state = run_state(steps, facts)
    return [Missing(s, state.states[s.code]) for s in steps if s.code in needed and not state.counts(s.code)]


def missing_message(missing: list[Missing]) -> str:
    return ";".join(m.message for m in missing)


# ---------------------------------------------------------------- what an act on a step must carry


def act_date_problem(act_date, today) -> str | None:
    """A step is recorded as done on a day that has come: never in the future."""
    if act_date is not None and act_date > today:
        return f"办理日期 {act_date.isoformat()} 晚于今天({today.isoformat()}),请填写实际办理的日期"
    return None


def outcome_problem(step: StepSpec, outcome: str) -> str | None:
    """A step with outcomes is done with one of them; a step without takes none."""
    if step.outcomes and step.outcome(outcome) is None:
        choices = "、".join(o.label for o in step.outcomes)
        return f"请选择「{step.name}」的结果({choices})"
    if not step.outcomes and outcome:
        return f"「{step.name}」没有可选的结果,请不要填写结果"
    return None


def note_problem(step: StepSpec, outcome: str, note: str) -> str | None:
    """An outcome that sends steps back (退回补正, 不予通过, 不合法) says why, so the unit knows what to redo."""
    chosen = step.outcome(outcome)
    if chosen is not None and chosen.reopens and not (note or "").strip():
        return f"选择「{chosen.label}」须在「说明」中写明理由和需要修改的内容"
    return None


def not_applicable_problem(step: StepSpec, reason: str) -> tuple[str, str] | None:
    """(field, message) when `step` may not be marked 不适用 with `reason`: only a conditional step, with a
    reason the office can weigh against its condition."""
    if step.mandatory:
        return "step", f"「{step.name}」是必经步骤,不能标记不适用"
    if not reason.strip():
        return "reason", f"标记「{step.name}」不适用须说明理由(适用条件:{step.condition})"
    return None


def clock_purpose(procedure_code: str, rule_id: str) -> str:
    """The one clock of `rule_id` a procedure keeps on its record (Deadline.purpose, at most 64 characters)."""
    purpose = f"{procedure_code}:{rule_id}"
    if len(purpose) <= 64:
        return purpose
    return f"{purpose[:47]}~{hashlib.sha256(purpose.encode()).hexdigest()[:16]}"


# ---------------------------------------------------------------- who may act


def can_manage_definitions(user) -> bool:
    """Only the office (法制办) changes procedure definitions; every role may read them."""
    return scope_for(user).is_office


def can_complete(user, step: StepSpec, unit) -> bool:
    """An office step: the office only. A unit step: the unit's admins and staff (or a unit's above it), or
    the office entering it for the unit (a paper filing), as everywhere in Fazhi; leaders never write."""
    scope = scope_for(user)
    if step.role == ROLE_OFFICE:
        return scope.is_office
    return scope.is_office or scope.acts_for(unit)


def role_refusal(step: StepSpec) -> str:
    """Why a user who may not complete `step` is refused: who does it, and the step's legal basis."""
    return f"「{step.name}」只能由{STEP_ROLES[step.role]}办理" + (f"(依据:{step.basis})" if step.basis else "")


def can_decide_not_applicable(user) -> bool:
    return scope_for(user).is_office


# ---------------------------------------------------------------- a definition is sound


def _text(value, limit: int) -> str | None:
    if value is None:
        return ""
    if not isinstance(value, str):
        return None
    return value.strip()[:limit + 1]


def validate_definition(data, *, known_rules) -> tuple[dict, dict[str, str]]:
    """Check a definition given as data (a form's rows or imported JSON) and return it cleaned, with
    the errors keyed by where they are: `code`, `name`, `steps`, `steps.3.requires` … (rows from 1).
    Each message names the row and the field in Chinese. `known_rules`: the deadline catalogue's ids."""
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        return {}, {"__all__": "程序定义应为 JSON 对象(含 code、name、steps)"}
    code = _text(data.get("code"), 64)
    if not code:
        errors["code"] = "请填写程序编码,如 programme.workplan_filing"
    elif len(code) > 64 or not PROCEDURE_CODE_RE.match(code):
        errors["code"] = "程序编码只能由小写字母、数字、下划线和点组成(如 programme.workplan_filing),至多 64 个字符"
    name = _text(data.get("name"), 200)
    if not name:
        errors["name"] = "请填写程序名称"
    elif len(name) > 200:
        errors["name"] = "程序名称至多 200 个字"
    note = _text(data.get("note"), 2000)
    if note is None:
        errors["note"] = "说明应为文本"
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        errors["steps"] = "请至少填写一个步骤(steps 应为非空列表)"
        raw_steps = []
    if len(raw_steps) > 100:
        errors["steps"] = "步骤至多 100 个"
        raw_steps = []
    steps = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_steps, 1):
        where = f"第 {i} 步"
        if not isinstance(raw, dict):
            errors[f"steps.{i}"] = f"{where}应为对象"
            continue
        step, step_errors = _validate_step(raw, where, known_rules)
        for key, message in step_errors.items():
            errors[f"steps.{i}.{key}"] = message
        if step.get("code"):
            if step["code"] in seen:
                errors.setdefault(f"steps.{i}.code",
                                  f"{where}「步骤编码」{step['code']} 与第 {seen[step['code']]} 步重复,每个步骤编码只能用一次")
            else:
                seen[step["code"]] = i
        steps.append(step)
    for i, step in enumerate(steps, 1):
        if f"steps.{i}" in errors:
            continue
        unknown = [c for c in step.get("requires", ()) if c not in seen]
        if unknown:
            errors.setdefault(f"steps.{i}.requires", f"第 {i} 步「前置步骤」{'、'.join(unknown)} 不是本程序的步骤编码")
        self_ref = step.get("code") in step.get("requires", ())
        if self_ref:
            errors.setdefault(f"steps.{i}.requires", f"第 {i} 步「前置步骤」不能包含本步骤自己")
        for outcome in step.get("outcomes", ()):
            bad = [c for c in outcome["reopens"] if c not in seen]
            if bad:
                errors.setdefault(f"steps.{i}.outcomes",
                                  f"第 {i} 步「结果」{outcome['code']} 退回的步骤 {'、'.join(bad)} 不是本程序的步骤编码")
    if not any(k.startswith("steps") for k in errors):
        cycle = _cycle(steps)
        if cycle:
            rows = "、".join(f"第 {seen[c]} 步 {c}" for c in cycle)
            errors["steps"] = f"前置步骤构成循环({rows}),请删去其中一个前置步骤"
    return {"code": code or "", "name": name or "", "note": note or "", "steps": steps}, errors


def _validate_step(raw: dict, where: str, known_rules) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    step: dict = {}
    code = _text(raw.get("code"), 40)
    if not code:
        errors["code"] = f"{where}「步骤编码」未填写;{STEP_CODE_HINT}"
    elif not CODE_RE.match(code):
        errors["code"] = f"{where}「步骤编码」{code[:40]} 无效:{STEP_CODE_HINT}"
    step["code"] = code if code and CODE_RE.match(code) else ""
    for key, label, limit, required in [("name", "步骤名称", 200, True), ("basis", "法律依据", 500, True),
                                        ("condition", "适用条件", 300, False)]:
        value = _text(raw.get(key), limit)
        if value is None:
            errors[key] = f"{where}「{label}」应为文本"
        elif required and not value:
            errors[key] = f"{where}「{label}」未填写" + ("(如《重大行政决策程序暂行条例》第二十五条)" if key == "basis" else "")
        elif len(value) > limit:
            errors[key] = f"{where}「{label}」至多 {limit} 个字"
        step[key] = value or ""
    for key, label, default in [("mandatory", "必经", True), ("attachments_required", "须附材料", False)]:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            errors[key] = f"{where}「{label}」应为 true 或 false"
        step[key] = value if isinstance(value, bool) else default
    if not step["mandatory"] and not step["condition"] and "condition" not in errors:
        errors["condition"] = f"{where}是条件性步骤,请填写「适用条件」(如:涉及社会公众切身利益)"
    requires = raw.get("requires", [])
    if isinstance(requires, str):
        requires = [c for c in re.split(r"[\s,,、;;]+", requires) if c]
    if not isinstance(requires, list) or not all(isinstance(c, str) for c in requires):
        errors["requires"] = f"{where}「前置步骤」应为步骤编码的列表"
        requires = []
    step["requires"] = list(dict.fromkeys(c.strip() for c in requires if c.strip()))
    role = raw.get("role", ROLE_UNIT)
    if role not in STEP_ROLES:
        errors["role"] = f"{where}「办理角色」{str(role)[:20]} 无效,应为 unit(本单位)或 office(法制办)"
    step["role"] = role if role in STEP_ROLES else ROLE_UNIT
    rule = raw.get("deadline_rule") or ""
    if not isinstance(rule, str):
        errors["deadline_rule"] = f"{where}「期限规则」应为文本"
        rule = ""
    rule = rule.strip()
    if rule and rule not in known_rules:
        errors["deadline_rule"] = f"{where}「期限规则」{rule[:64]} 不在期限规则目录中;请从法定期限页的规则编号中选择,或留空"
    step["deadline_rule"] = rule
    action = raw.get("deadline_action") or ""
    choices = "start(起算)或 stop(办结)"
    if not isinstance(action, str) or action.strip() not in ("", *DEADLINE_ACTIONS):
        errors["deadline_action"] = f"{where}「期限动作」{str(action)[:20]} 无效,应为 {choices}"
        action = ""
    action = action.strip()
    if rule and not action and "deadline_action" not in errors and "deadline_rule" not in errors:
        errors["deadline_action"] = f"{where}设有「期限规则」{rule},请选择「期限动作」:{choices}"
    elif action and not rule and "deadline_rule" not in errors:
        errors["deadline_action"] = f"{where}「期限动作」只在设有「期限规则」时填写;请选择期限规则,或将期限动作留空"
    step["deadline_action"] = action
    step["outcomes"] = []
    outcomes = raw.get("outcomes", [])
    if not isinstance(outcomes, list):
        errors["outcomes"] = f"{where}「结果」应为列表"
        outcomes = []
    seen = set()
    for j, o in enumerate(outcomes, 1):
        if not isinstance(o, dict):
            errors["outcomes"] = f"{where}「结果」第 {j} 项应为对象(code、label、reopens、closes)"
            continue
        ocode, label = _text(o.get("code"), 40), _text(o.get("label"), 40)
        reopens, closes = o.get("reopens", []), o.get("closes", False)
        if not ocode or not CODE_RE.match(ocode) or ocode in seen:
            errors["outcomes"] = f"{where}「结果」第 {j} 项的编码缺失、无效或重复;{STEP_CODE_HINT}"
        elif not label or len(label) > 40:
            errors["outcomes"] = f"{where}「结果」第 {j} 项请填写名称(至多 40 个字)"
        elif not isinstance(reopens, list) or not all(isinstance(c, str) for c in reopens) or not isinstance(closes, bool):
            errors["outcomes"] = f"{where}「结果」第 {j} 项:reopens 应为步骤编码列表,closes 应为 true 或 false"
        else:
            seen.add(ocode)
            step["outcomes"].append({"code": ocode, "label": label, "reopens": list(dict.fromkeys(reopens)),
                                     "closes": closes})
    return step, errors


def _cycle(steps: list[dict]) -> list[str]:
    """A cycle in the requirements, as the codes along it; [] if none."""
    graph = {s["code"]: list(s.get("requires", ())) for s in steps}
    colour: dict[str, int] = {}
    path: list[str] = []

    def visit(code: str) -> list[str]:
        colour[code] = 1
        path.append(code)
        for nxt in graph.get(code, ()):
            if colour.get(nxt) == 1:
                return path[path.index(nxt):]
            if nxt not in colour:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        colour[code] = 2
        return []

    for code in graph:
        if code not in colour:
            found = visit(code)
            if found:
                return found
    return []


def spec_from_dict(step: dict) -> StepSpec:
    return StepSpec(
        code=step["code"], name=step["name"], basis=step.get("basis", ""), mandatory=step.get("mandatory", True),
        condition=step.get("condition", ""), requires=tuple(step.get("requires", ())),
        role=step.get("role", ROLE_UNIT), attachments_required=step.get("attachments_required", False),
        deadline_rule=step.get("deadline_rule", ""), deadline_action=step.get("deadline_action", ""),
        outcomes=tuple(Outcome(o["code"], o["label"], tuple(o.get("reopens", ())), o.get("closes", False))
                       for o in step.get("outcomes", ())),
    )
