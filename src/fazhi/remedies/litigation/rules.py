"""The rules of 行政应诉, each once: who may do what; whether a hearing counts as the unit appearing and as its
负责人 appearing; whether a result is a loss and whether it counts in 败诉率; what opens an accountability
record; the case's status from its procedure; and the rates' formulas. No legal date is computed here: the
answer period is the deadline engine's (`litigation.answer`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from fazhi.core.scoping import scope_for
from fazhi.procedures import rules as procedure_rules
from fazhi.remedies.litigation import models as m

PROCEDURE = "litigation"  # procedures/data/litigation.json, then the office's versions
ANSWER_RULE = "litigation.answer"
ANSWER_PURPOSE = procedure_rules.clock_purpose(PROCEDURE, ANSWER_RULE)  # the clock the `answer` step stops

BASIS_APPEARANCE = ("行政诉讼法 第3条第3款(被诉行政机关负责人应当出庭应诉;不能出庭的,应当委托行政机关相应的工作人员"
                    "出庭);最高人民法院关于行政机关负责人出庭应诉若干问题的规定")


# ---------------------------------------------------------------- who may


def can_register(user, unit) -> bool:
    """The defendant unit's admins and staff register its cases; the office may enter one for any unit."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_act(user, case) -> bool:
    """Record the case's facts (edit, hearings, steps): its unit or the office; leaders and inspectors read."""
    return can_register(user, case.unit)


def can_name_people(user, record) -> bool:
    """The unit (or the office) names the leaders responsible while the record is open."""
    return record.status == m.ACC_OPEN and can_register(user, record.unit)


def can_close_accountability(user) -> bool:
    return scope_for(user).is_office


# ---------------------------------------------------------------- appearance (出庭应诉)


@dataclass(frozen=True)
class Appearance:
    appeared: bool  # 出庭: the 负责人 or the unit's own staff appeared (a lawyer alone does not count)
    leader: bool  # 负责人出庭: the head or a deputy appeared


def appearance(*, leader_name: str, leader_post: str, staff: list[str], lawyers: list[str]) -> Appearance:
    """THE rule of who appeared for the unit at one hearing (行政诉讼法 第3条第3款): a 负责人 (正职 or 副职,
    named) counts as the unit and as its leader; staff of the unit count as the unit; lawyers never count
    on their own (they may appear beside the leader or the staff)."""
    leader = bool((leader_name or "").strip()) and leader_post in (m.HEAD, m.DEPUTY)
    return Appearance(appeared=leader or any((s or "").strip() for s in staff), leader=leader)


def absence_reason_required(app: Appearance) -> bool:
    """A hearing without the 负责人 records the documented reason (出庭应诉规定 第8条)."""
    return not app.leader


# ---------------------------------------------------------------- judgments


LOST_RESULTS = frozenset({m.REVOKE, m.PARTLY_REVOKE, m.CONFIRM_ILLEGAL, m.CONFIRM_VOID, m.ORDER_PERFORM, m.MODIFY,
                          m.COMPENSATE})
# Ended without the court deciding on the act (the plaintiff withdrew, or the parties settled): outside 败诉率.
UNJUDGED_RESULTS = frozenset({m.WITHDRAWN, m.MEDIATED})
RULING_RESULTS = frozenset({m.WITHDRAWN, m.DISMISS_SUIT, m.UPHELD})  # what a 裁定 may decide


def lost_of(result: str, *, upheld_lost: bool | None = None) -> bool:
    """THE rule of 败诉: the court revoked, partly revoked, confirmed illegal or void, ordered performance,
    modified the act, or ordered the unit to compensate. 驳回诉讼请求、驳回起诉、准予撤诉、调解 are not lost.
    A second instance that upholds (维持原裁判) keeps the first instance's answer (`upheld_lost`)."""
    if result == m.UPHELD:
        return bool(upheld_lost)
    return result in LOST_RESULTS


def judgment_problem(*, kind: str, result: str, appeal: bool) -> tuple[str, str] | None:
    """(field, message) when a judgment's kind and result do not fit together or with its instance."""
    if result == m.UPHELD and not appeal:
        return "result", "「驳回上诉、维持原裁判」只用于二审裁判"
    if kind == m.RULING and result not in RULING_RESULTS:
        return "result", "裁定的结果只能是准予撤诉、驳回起诉或驳回上诉、维持原裁定"
    if (kind == m.MEDIATION_DOC) != (result == m.MEDIATED):
        return "kind", "调解结案的裁判类型为「调解书」,调解书的结果为「调解结案」"
    if kind == m.JUDGMENT and result in (m.WITHDRAWN, m.DISMISS_SUIT):
        return "kind", "准予撤诉、驳回起诉以「裁定」作出,请将裁判类型选为裁定"
    return None


def loss_causes_problem(*, lost: bool, causes: list[str], note: str) -> tuple[str, str] | None:
    """A lost case records its cause (one or more); 其他 is written out."""
    if lost and not causes:
        return "loss_causes", "该裁判结果为败诉,请选择「败诉原因」(可多选)"
    if lost and "other" in causes and not (note or "").strip():
        return "loss_note", "败诉原因选择「其他」的,请在「败诉原因说明」中写明"
    return None


def counts_for_lost_rate(result: str) -> bool:
    return bool(result) and result not in UNJUDGED_RESULTS


def answer_missed(answer_on_time: bool | None) -> bool:
    """The answer was not on time: answered late, or never answered and the period ran out (stored False by the
    services, from the clock). 行政诉讼法 第34条第2款: evidence not provided in time counts as none."""
    return answer_on_time is False


def someone_absent(appeared: list[bool]) -> bool:
    """A hearing at which nobody of the unit appeared (rules.appearance: a lawyer alone is not the unit); none
    held, none absent."""
    return not all(appeared)


def accountability_grounds(*, lost: bool, answer_on_time: bool | None, appeared: list[bool]) -> list[str]:
    """THE rule of 败诉责任追究 (plan 五(一)7), from the records, never from the causes picked: a lost case whose
    answer was not on time (未按期答辩举证) or at one of whose hearings nobody of the unit appeared (未出庭应诉)."""
    if not lost:
        return []
    return [code for code, applies in ((m.NO_ANSWER, answer_missed(answer_on_time)),
                                       (m.NO_APPEARANCE, someone_absent(appeared))) if applies]


def loss_causes_contradiction(*, causes: list[str], answer_on_time: bool | None,
                              appeared: list[bool]) -> tuple[str, str] | None:
    """(field, message) when a picked cause says what the records deny."""
    if m.NO_ANSWER in causes and answer_on_time is True:
        return "loss_causes", "本案已按期答辩举证,「败诉原因」不能选择「未按期答辩举证」;请按实际原因选择"
    if m.NO_APPEARANCE in causes and not someone_absent(appeared):
        return "loss_causes", ("庭审记录中本单位每次均已出庭(或尚未登记庭审),「败诉原因」不能选择「未出庭应诉」;"
                               "本单位未出庭的,请先在「登记庭审」中如实登记该次庭审")
    return None


# ---------------------------------------------------------------- status


def status_of(states: dict[str, str], closed: bool) -> str:
    """A case's status from its run's step states (procedures.rules.run_state)."""
    done = {code for code, s in states.items() if s == procedure_rules.COMPLETED}
    if closed:
        return m.EFFECTIVE
    if "appeal" in done and "appeal_judgment" not in done:
        return m.APPEAL
    if "judgment" in done:
        return m.JUDGED
    if "answer" in done:
        return m.TRIAL
    return m.ANSWERING


# ---------------------------------------------------------------- rates (one formula each, used by rates.py)


def answer_ran_out(due: date | None, on: date) -> bool:
    """The answer period had run out unanswered by `on`: the one warning rule's red (deadlines/rules.py)."""
    from fazhi.deadlines import rules as deadline_rules

    return deadline_rules.level(due, on) == deadline_rules.RED


def _answer_clock_overdue(today: date):
    """The case's answer clock is still open and past due by the one warning rule (deadlines/rules.py overdue_q);
    a case that ended unanswered after its due date has answer_on_time=False stored (services._effective)."""
    from fazhi.deadlines import rules as deadline_rules
    from fazhi.deadlines.models import Deadline

    # The content type by its natural key in the same query: no cache-dependent lookup before it.
    return Exists(Deadline.objects.filter(
        content_type__app_label=m.Litigation._meta.app_label, content_type__model=m.Litigation._meta.model_name,
        object_id=Cast(OuterRef("pk"), output_field=CharField()), purpose=ANSWER_PURPOSE, status=Deadline.OPEN,
        paused_since__isnull=True,
    ).filter(deadline_rules.overdue_q(today)))


def answer_due_q(today: date) -> Q:
    """按期答辩率's denominator: cases whose answer was due — answered (on time or late), ended unanswered after
    the period ran out, or still unanswered past it. A case within its period is not counted (it can still be
    on time)."""
    return Q(answered_on__isnull=False) | Q(answer_on_time=False) | Q(_answer_clock_overdue(today))


ANSWER_LABELS = {"on_time": "按期答辩举证", "late": "逾期答辩举证", "missed": "未答辩(逾期)", "owed": "待答辩举证",
                 "not_owed": "未答辩(期限届满前已结案)"}


def answer_state(case) -> str:
    """How the case stands on its answer, from its stored facts (an open clock's overdue is the clock panel's)."""
    if case.answered_on is not None:
        return "on_time" if case.answer_on_time else "late"
    if answer_missed(case.answer_on_time):
        return "missed"
    return "not_owed" if case.status == m.EFFECTIVE else "owed"


def answer_on_time_q() -> Q:
    """按期答辩率's numerator: answered within `litigation.answer`, as the clock decided when the step closed it."""
    return Q(answer_on_time=True)


def lost_denominator_q() -> Q:
    """败诉率's denominator: cases ended by an effective judgment or ruling that decided them (撤诉 and 调解
    excluded: the court did not rule on the act)."""
    return Q(status=m.EFFECTIVE) & ~Q(result__in=UNJUDGED_RESULTS) & ~Q(result="")


def appeared_q() -> Q:
    """出庭率's numerator: hearings `appearance` counted as the unit appearing (stored by the service from it)."""
    return Q(appeared=True)


def leader_appeared_q() -> Q:
    return Q(leader_appeared=True)


def lost_q() -> Q:
    return Q(lost=True)


FORMULAS = {
    "litigation.answer_on_time": "按期答辩率 = 在答辩期限内(收到起诉状副本之日起 15 日,行政诉讼法 第67条)提交答辩状和证据的案件数 "
                                 "÷ 答辩期限已届满或已答辩的案件数(按收到起诉状副本日期统计期间)",
    "litigation.appearance": "出庭率 = 本单位负责人或工作人员出庭的庭审次数 ÷ 庭审次数(仅律师出庭不计;按庭审日期统计期间)",
    "litigation.leader_appearance": "负责人出庭率 = 正职或副职负责人出庭的庭审次数 ÷ 庭审次数(按庭审日期统计期间)",
    "litigation.lost": "败诉率 = 生效裁判败诉(撤销、部分撤销、确认违法、确认无效、责令履行、变更、判决赔偿或补偿)的案件数 "
                       "÷ 经生效判决或裁定审结的案件数(准予撤诉、调解结案不计;按生效日期统计期间)",
}
