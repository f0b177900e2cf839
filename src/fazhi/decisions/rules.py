"""The rules of major decisions, each in one place: who may do what, which conditional steps the
catalogue's flags make obligatory, the legal periods (asked of the deadline engine, never computed
here), and a decision's status from its procedure."""

from __future__ import annotations

from datetime import date

from fazhi.core.scoping import INSPECTOR, scope_for
from fazhi.decisions import models as m
from fazhi.procedures import rules as procedure_rules

PROCEDURE = "decision"  # procedures/data/decision.json, then the office's versions
CONSULT_RULE = "decision.consult"
HEARING_RULE = "decision.hearing_materials"
LEGALITY_RULE = "decision.legality_review"

# A catalogue flag makes its conditional step obligatory for that decision: 不适用 is refused, and an
# approved 不适用 entered before the flag was set does not count at 集体讨论决定.
FLAG_STEPS = {"professional": "expert", "stability": "risk", "hearing": "hearing"}
FLAG_LABELS = {"professional": "专业性、技术性较强", "stability": "涉及社会稳定", "hearing": "拟举行听证"}


# ---------------------------------------------------------------- who may


def can_manage_catalogue(user) -> bool:
    """The office draws up, adjusts and publishes the catalogue (for the decision-making organ)."""
    return scope_for(user).is_office


def can_act(user, decision) -> bool:
    """The lead unit's people, or the office entering for it; leaders and inspectors read only."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(decision.unit)


def can_open_accountability(user) -> bool:
    scope = scope_for(user)
    return scope.is_office or scope.has_role(INSPECTOR)


def can_close_accountability(user) -> bool:
    return scope_for(user).is_office


# ---------------------------------------------------------------- flags and the gate


def obligatory_steps(decision) -> dict[str, str]:
    """Conditional steps the catalogue makes obligatory for this decision: step code -> the flag's label."""
    return {step: FLAG_LABELS[flag] for flag, step in FLAG_STEPS.items() if getattr(decision, flag)}


def not_applicable_refusal(decision, step: str) -> str:
    """Why 不适用 is refused for `step` of this decision ('' when it may be asked)."""
    label = obligatory_steps(decision).get(step)
    return f"该事项在目录中标明「{label}」,此步骤必须办理,不能标记不适用" if label else ""


def flagged_missing(decision, states: dict[str, str], specs) -> list[str]:
    """Flagged steps not actually done (an approved 不适用 does not count for them), as messages with basis."""
    by_code = {s.code: s for s in specs}
    return [f"未完成{by_code[step].label}(目录标明「{label}」,不能以不适用代替)"
            for step, label in obligatory_steps(decision).items()
            if step in by_code and states.get(step) != procedure_rules.COMPLETED]


def hearing_materials_refusal(*, hearing_on: date, materials_on: date, latest: date) -> str:
    """`latest` is the deadline engine's answer for decision.hearing_materials counted back from the hearing."""
    if materials_on > latest:
        return (f"听证材料须于听证会 7 日前公布(重大行政决策程序暂行条例 第18条):听证日期 {hearing_on:%Y-%m-%d},"
                f"听证材料最迟应于 {latest:%Y-%m-%d} 公布;请改期听证或核对公布日期")
    if materials_on > hearing_on:
        return "听证材料公布日期不能晚于听证日期"
    return ""


def legality_reply_refusal(*, reply_by: date, earliest: date) -> str:
    """不少于 7 个工作日: the reply date asked of the reviewer may not be before the engine's minimum."""
    if reply_by < earliest:
        return (f"合法性审查时间一般不少于 7 个工作日(重大行政决策程序暂行条例 第27条):要求反馈日期最早为 "
                f"{earliest:%Y-%m-%d}")
    return ""


# ---------------------------------------------------------------- status


def status_of(states: dict[str, str], closed_by_outcome: str, *, consultation: bool) -> str:
    """A decision's status from its run's step states (procedures.rules.run_state) and whether a public
    consultation was opened on it."""
    done = {code for code, s in states.items() if s in (procedure_rules.COMPLETED, procedure_rules.NA_COUNTED)}
    if closed_by_outcome == "reject":
        return m.REJECTED
    if "evaluate" in done and states.get("evaluate") == procedure_rules.COMPLETED:
        return m.EVALUATED
    if "implement" in done:
        return m.IMPLEMENTING
    if "publish" in done:
        return m.PUBLISHED
    if "decide" in done:
        return m.DECIDED
    if "legality_review" in done:
        return m.TO_DECIDE
    if "legality_submit" in done:
        return m.REVIEWING
    if done or consultation:
        return m.CONSULTING
    return m.CATALOGUED


# What the public page says of a decision (never a draft's inner state).
PUBLIC_STATUS = {
    m.CATALOGUED: "未启动", m.CONSULTING: "公众参与", m.REVIEWING: "审查中", m.TO_DECIDE: "审查中",
    m.DECIDED: "已作出决定", m.REJECTED: "决定不予通过", m.PUBLISHED: "已公布", m.IMPLEMENTING: "执行中",
    m.EVALUATED: "已后评估",
}


def public_status(decision) -> str:
    return PUBLIC_STATUS.get(decision.status, "")


def publicly_published(decision) -> bool:
    """The decision's own text is public once the 决策公布 step is done."""
    return decision.status in (m.PUBLISHED, m.IMPLEMENTING, m.EVALUATED)
