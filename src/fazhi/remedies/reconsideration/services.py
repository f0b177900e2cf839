"""Writes of 行政复议 cases, each in one transaction: registration (案号 without gap), the edit of the case data
(versioned), the steps of the procedure `reconsideration` (the router `perform`, called by the step actions of
pages and API), and the case acts outside the step chain (补正材料, 视为撤回, 中止, 恢复, 延长, 终止). Every clock
is a stored clock opened, paused, restarted, extended and closed here through deadlines.services; no date is
computed here: every period comes from the catalogue through the engine."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from fazhi.core import cleaning
from fazhi.core.errors import Conflict, InvalidInput, NotAllowed, StaleEdit
from fazhi.core.numbering import number_take
from fazhi.core.services import event_record, versioned_update
from fazhi.deadlines import services as deadlines
from fazhi.deadlines.catalogue import FORWARD_MODES, get_rule
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.selectors import clocks_of, record_clock
from fazhi.procedures import actions
from fazhi.procedures import services as procedures
from fazhi.remedies.reconsideration import rules
from fazhi.remedies.reconsideration.models import (
    APPLICANT_KINDS, CORRECTING, CORRECTION_RECEIVED, DECIDED, DECISION_OUTCOMES, EXTEND, HEARING, PROCEDURE_KINDS,
    REJECTED, RESUME, REVIEWING, SUSPEND, SUSPENDED, TERMINATE, TERMINATE_ACT, TERMINATED, WITHDRAW, WITHDRAWN,
    Reconsideration, ReconsiderationAct, HEARING_NOTICE_SENT, SCHEDULE_HEARING,
)

CASE_FIELDS = ("act_name", "act_number", "act_date", "known_on", "applied_on", "received_on", "request", "grounds")
CLOSED = "reconsideration.closed"
WRONG_STATE = "reconsideration.state"


def case_run(case: Reconsideration):
    return procedures.run_start(obj=case, unit=case.unit, code=rules.PROCEDURE)


def _locked(case: Reconsideration) -> Reconsideration:
    return Reconsideration.objects.select_for_update().select_related("unit").get(pk=case.pk)


def _update(case: Reconsideration, changes: dict, reason: str = "") -> Reconsideration:
    case = _locked(case)
    return versioned_update(case, expected_version=case.version, changes=changes, reason=reason)


def _check_version(case: Reconsideration, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise StaleEdit("该案件已有新的变更(他人已办理),您的操作未执行。请刷新页面后重新操作。")


def _require_office(actor) -> None:
    if not rules.can_act(actor):
        raise NotAllowed("只有法制办(行政复议机构)可以办理此事项")


def _past_or_today(value, field: str, label: str) -> date:
    return cleaning.day(value, field=field, label=label, today=rules.today())


# ---------------------------------------------------------------- clocks of a case


def clock(case: Reconsideration, purpose: str) -> Deadline | None:
    return record_clock(case, rules.clock_purpose(purpose))


def open_due(case: Reconsideration, purpose: str) -> date | None:
    """The due date of the case's clock `purpose` while it runs (None if closed, paused or never opened)."""
    found = clock(case, purpose)
    return found.due if found is not None and found.status == Deadline.OPEN and found.paused_since is None else None


def _case_clocks(case, **filters):
    return clocks_of(case).filter(status=Deadline.OPEN, **filters).order_by("id")


def _open_clock(case, purpose: str, start: date, actor, kind: str = "") -> Deadline:
    return deadlines.deadline_open(obj=case, unit=case.unit, purpose=rules.clock_purpose(purpose),
                                   rule_id=rules.clock_rule(purpose, kind), start=start, actor=actor)


def _close_clock(case, purpose: str, on: date, actor, *, met: bool = True, reason: str = "") -> Deadline | None:
    found = clock(case, purpose)
    if found is None or found.status != Deadline.OPEN:
        return found
    return deadlines.deadline_close(deadline=found, met=met, on=on, actor=actor, reason=reason)


def _act_record(case, kind: str, on: date, actor, *, reason: str = "", note: str = "", data: dict | None = None):
    return ReconsiderationAct.objects.create(case=case, unit=case.unit, kind=kind, on=on, reason=reason,
                                             note=note, data=data or {}, actor=actor)


# ---------------------------------------------------------------- the case data


def _parties(value, field: str, label: str, *, required: bool) -> list[dict]:
    return cleaning.parties(value, field=field, label=label, kinds=dict(APPLICANT_KINDS), default_kind="person",
                            required=required, contact=True)


def _clean(data: dict) -> dict:
    """The case data, checked field by field (Chinese messages naming the field); dates as date objects."""
    c = {"applicants": _parties(data.get("applicants"), "applicants", "申请人", required=True),
         "third_parties": _parties(data.get("third_parties"), "third_parties", "第三人", required=False),
         "act_name": cleaning.text(data.get("act_name"), field="act_name", label="被申请复议的行政行为", limit=200, required=True),
         "act_number": cleaning.text(data.get("act_number"), field="act_number", label="行政行为文书号", limit=100, required=False),
         "request": cleaning.text(data.get("request"), field="request", label="申请请求", limit=5000, required=True),
         "grounds": cleaning.text(data.get("grounds"), field="grounds", label="事实和理由", limit=20000, required=True)}
    labels = {"act_date": "行政行为作出日期", "known_on": "申请人知道该行政行为之日", "applied_on": "申请日期",
              "received_on": "收到申请日期"}
    for field, label in labels.items():
        value = data.get(field)
        if value is None and field in ("act_date", "known_on"):
            c[field] = None
            continue
        c[field] = _past_or_today(value, field, label)
    if c["received_on"] < c["applied_on"]:
        raise InvalidInput("「收到申请日期」不能早于「申请日期」", field="received_on")
    if c["known_on"] and c["applied_on"] < c["known_on"]:
        raise InvalidInput("「申请日期」不能早于「申请人知道该行政行为之日」", field="applied_on")
    if c["act_date"] and c["known_on"] and c["known_on"] < c["act_date"]:
        raise InvalidInput("「申请人知道该行政行为之日」不能早于「行政行为作出日期」", field="known_on")
    if c["act_date"] and c["applied_on"] < c["act_date"]:
        raise InvalidInput("「申请日期」不能早于「行政行为作出日期」", field="applied_on")
    c["apply_due"] = deadlines.deadline_compute(rules.APPLY_RULE, c["known_on"]).due if c["known_on"] else None
    return c


def _respondent(user, code):
    from fazhi.org.models import Unit

    code = code.strip() if isinstance(code, str) else ""
    unit = Unit.objects.visible_to(user).filter(code__iexact=code, active=True).first() if code else None
    if unit is None or unit.parent_id is None or unit.kind not in rules.RESPONDENT_KINDS:
        raise InvalidInput("请选择「被申请人」: 区政府工作部门或镇街的单位代码,如 D01", field="unit")
    return unit


@transaction.atomic
def case_create(*, actor, data: dict) -> Reconsideration:
    """登记: the office registers an application; the 案号 is taken in this transaction (no gap), the case's run
    starts, and the acceptance review clock (`reconsideration.accept`) runs from the receipt."""
    if not rules.can_register(actor):
        raise NotAllowed("只有法制办(行政复议机构)可以登记行政复议案件")
    unit = _respondent(actor, data.get("unit"))
    fields = _clean(data)
    year = fields["received_on"].year
    seq = number_take(series=rules.NUMBER_SERIES, year=year)
    case = Reconsideration.objects.create(unit=unit, number_year=year, number_seq=seq,
                                          number=rules.case_number(year, seq), created_by=actor, **fields)
    case_run(case)
    _open_clock(case, rules.ACCEPT, case.received_on, actor)
    event_record(verb="reconsideration.registered", summary=f"登记行政复议案件 {case.number}", actor=actor,
                 unit=unit, obj=case)
    return case


@transaction.atomic
def case_update(*, case: Reconsideration, actor, data: dict, expected_version: int | None) -> Reconsideration:
    """修改案件信息 (versioned: a stale edit is refused). The receipt date, which started the clocks, is fixed once
    the acceptance review has moved on; the respondent is fixed once the case is registered."""
    if not rules.can_register(actor):
        raise NotAllowed("只有法制办(行政复议机构)可以修改案件信息")
    if not rules.is_open(case):
        raise Conflict("案件已结案,不能修改", code=CLOSED)
    fields = _clean(data)
    if data.get("unit") not in (None, "", case.unit.code):
        raise InvalidInput("「被申请人」登记后不能更改;如登记错误,请终止本案并重新登记", field="unit")
    if fields["received_on"] != case.received_on:
        accept = clock(case, rules.ACCEPT)
        if case.status != REVIEWING or accept is None or len(accept.events.all()) > 1:
            raise InvalidInput("受理审查已有进展,「收到申请日期」不能再修改", field="received_on")
    case = versioned_update(case, expected_version=expected_version, changes=fields, reason="修改案件信息")
    if fields["received_on"] != clock(case, rules.ACCEPT).start:
        _open_clock(case, rules.ACCEPT, case.received_on, actor)
    return case


# ---------------------------------------------------------------- the steps (procedure `reconsideration`)


def _files_of(extra: dict, name: str) -> list:
    value = extra.get(name)
    if not value:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


@transaction.atomic
def perform(case: Reconsideration, act, actor):
    """The router of the step actions: each step's own checks and writes, with the clocks, in one transaction."""
    case = _locked(case)
    if not rules.is_open(case):
        raise Conflict(f"案件{case.get_status_display()},已结案,不能再办理", code=CLOSED)
    run = case_run(case)
    if act.decide is not None or act.not_applicable:
        return actions.act_default(run=run, act=act, actor=actor)
    procedures.step_gate(run, act.step)  # the order first: a missing step is named before any field
    handler = {"accept": _accept, "send_copy": _send_copy, "reply": _reply, "hearing": _hearing,
               "decide": _decide}[act.step]
    return handler(case, run, act, actor)


def _complete(run, act, actor, *, files=None, outcome=None):
    return procedures.step_complete(run=run, step=act.step, actor=actor, outcome=act.outcome if outcome is None else outcome,
                                    note=act.note or "", files=act.files if files is None else files,
                                    act_date=act.act_date)


def step_refusal(case, step: str, on: date | None = None) -> str | None:
    """Why `step` cannot be done now given the case's state (None: it may). The services refuse with this and the
    page shows it instead of a form that would fail (StepActions.blocked)."""
    if step == "accept":
        if case.status == CORRECTING:
            return "申请人正在补正:请先登记「收到补正材料」(或补正期满后「视为撤回」),再作受理审查"
        if not rules.may_review(case):
            return f"案件{case.get_status_display()}:受理审查已办结({case.accepted_on or ''}受理),不能再次受理审查"
    elif step == "send_copy" and not rules.may_send_copy(case):
        return f"案件{case.get_status_display()}:" + (f"申请书副本已于 {case.copy_sent_on.isoformat()} 发送,不能再次发送"
                                                     if case.copy_sent_on else "尚未受理,不能发送申请书副本")
    elif step == "reply" and not rules.may_reply(case):
        return f"案件{case.get_status_display()}:" + (f"被申请人已于 {case.reply_on.isoformat()} 答复,不能再次答复"
                                                     if case.reply_on else "尚未发送申请书副本,不能答复")
    elif step == "decide":
        if case.status == SUSPENDED:
            return "案件中止审理中,请先「恢复审理」再作出复议决定"
        reply_due = open_due(case, rules.REPLY)
        if not rules.may_decide(case, reply_due, on or rules.today()):
            return "不能作出复议决定:被申请人尚未答复" + (f",答复期限 {reply_due.isoformat()} 届满后方可依第70条决定"
                                                  if reply_due else "") + "。请等待「被申请人答复」"
    return None


def _refuse_state(case, step: str, on: date | None = None) -> None:
    refusal = step_refusal(case, step, on)
    if refusal:
        raise Conflict(refusal, code=WRONG_STATE, field="step")


def _accept(case, run, act, actor):
    _refuse_state(case, "accept")
    if act.outcome == "correction" and not rules.may_request_correction(case):
        raise Conflict(f"已于 {case.correction_notice_on.isoformat()} 通知补正:补正应一次性告知(第31条),"
                       "不能再次通知补正,请作出受理或不予受理", code=WRONG_STATE, field="outcome")
    extra = act.extra or {}
    on = act.act_date or rules.today()
    start = case.correction_received_on or case.received_on
    if on < start:
        raise InvalidInput(f"「办理日期」不能早于{'收到补正材料' if case.correction_received_on else '收到申请'}之日 "
                           f"{start.isoformat()}", field="date")
    if act.outcome == "correction":
        received = extra.get("notice_received_on")
        if not isinstance(received, date):
            raise InvalidInput("通知补正须填写「申请人收到补正通知日期」(补正期限自此日起算)", field="notice_received_on")
        if received < on or received > rules.today():
            raise InvalidInput(f"「申请人收到补正通知日期」应在通知日期 {on.isoformat()} 至今天之间",
                               field="notice_received_on")
        record = _complete(run, act, actor)
        notice_due = deadlines.deadline_compute(rules.CORRECTION_NOTICE_RULE, start).due
        late = on > notice_due
        accept = clock(case, rules.ACCEPT)
        # The review stands still while the applicant corrects (第31条). A clock already past its due date
        # cannot be paused (the engine refuses): the review closes late on the notice day, and opens anew from
        # the material's arrival — no red acceptance while the applicant corrects.
        if accept.status == Deadline.OPEN and accept.paused_since is None:
            if on <= accept.due:
                deadlines.deadline_pause(deadline=accept, on=on, reason="书面通知申请人补正", actor=actor)
            else:
                deadlines.deadline_close(deadline=accept, on=on, actor=actor, reason="逾期通知申请人补正")
        _open_clock(case, rules.CORRECTION, received, actor)
        _update(case, {"status": CORRECTING, "correction_notice_on": on, "correction_notice_late": late},
                reason="通知补正" + (f"(逾期:应于 {notice_due.isoformat()} 前通知)" if late else ""))
        event_record(verb="reconsideration.correction_requested", summary=f"{case.number} 通知补正" + ("(逾期通知)" if late else ""),
                     actor=actor, unit=case.unit, obj=case, reason=act.note or "")
        return record
    if act.outcome == "accept":
        kind = extra.get("procedure_kind") or ""
        if kind not in dict(PROCEDURE_KINDS):
            raise InvalidInput("受理须选择「审理程序」:普通程序或简易程序", field="procedure_kind")
        if rules.late_application(case) and not (act.note or "").strip():
            raise InvalidInput(f"申请日期晚于申请期限届满日 {case.apply_due.isoformat()}(第20条):受理须在「说明」中写明"
                               "理由(如因不可抗力或者其他正当理由耽误法定申请期限),否则请选择不予受理", field="note")
        record = _complete(run, act, actor)
        _close_clock(case, rules.ACCEPT, on, actor)
        _open_clock(case, rules.SEND_COPY, on, actor, kind)
        _open_clock(case, rules.DECIDE, on, actor, kind)
        _update(case, {"status": HEARING, "accepted_on": on, "procedure_kind": kind},
                reason=f"受理({dict(PROCEDURE_KINDS)[kind]})")
        event_record(verb="reconsideration.accepted", summary=f"{case.number} 受理", actor=actor, unit=case.unit, obj=case)
        return record
    if act.outcome == "reject":
        if not (act.note or "").strip():
            raise InvalidInput("不予受理须在「说明」中写明理由(第30条)", field="note")
        record = _complete(run, act, actor)
        _close_clock(case, rules.ACCEPT, on, actor)
        _update(case, {"status": REJECTED, "ended_on": on, "end_reason": act.note.strip()[:300]}, reason="不予受理")
        event_record(verb="reconsideration.rejected", summary=f"{case.number} 不予受理", actor=actor, unit=case.unit,
                     obj=case, reason=act.note)
        return record
    return _complete(run, act, actor)  # the gate refuses an unknown outcome, naming the choices


def _send_copy(case, run, act, actor):
    _refuse_state(case, "send_copy")
    on = act.act_date or rules.today()
    received = (act.extra or {}).get("copy_received_on")
    if not isinstance(received, date):
        raise InvalidInput("请填写「被申请人收到副本日期」(答复期限自此日起算)", field="copy_received_on")
    if received < on or received > rules.today():
        raise InvalidInput(f"「被申请人收到副本日期」应在发送日期 {on.isoformat()} 至今天之间", field="copy_received_on")
    if on < case.accepted_on:
        raise InvalidInput(f"「办理日期」不能早于受理日期 {case.accepted_on.isoformat()}", field="date")
    record = _complete(run, act, actor)
    _close_clock(case, rules.SEND_COPY, on, actor)
    _open_clock(case, rules.REPLY, received, actor, case.procedure_kind)
    _update(case, {"copy_sent_on": on, "copy_received_on": received}, reason="发送申请书副本")
    return record


def _reply(case, run, act, actor):
    _refuse_state(case, "reply")
    extra = act.extra or {}
    letter, evidence = _files_of(extra, "reply_letter"), _files_of(extra, "evidence")
    if not letter:
        raise InvalidInput("请上传「答复书」", field="reply_letter")
    if not evidence:
        raise InvalidInput("请上传作出行政行为的「证据、依据和其他有关材料」(第48条)", field="evidence")
    on = act.act_date or rules.today()
    if case.copy_received_on and on < case.copy_received_on:
        raise InvalidInput(f"「办理日期」不能早于收到副本日期 {case.copy_received_on.isoformat()}", field="date")
    record = _complete(run, act, actor, files=[*letter, *evidence, *(act.files or [])])
    _close_clock(case, rules.REPLY, on, actor)
    _update(case, {"reply_on": on}, reason="被申请人答复")
    event_record(verb="reconsideration.replied", summary=f"{case.number} 被申请人答复", actor=actor, unit=case.unit,
                 obj=case)
    return record


def _hearing(case, run, act, actor):
    extra = act.extra or {}
    hearing_on = act.act_date or rules.today()
    place = (extra.get("hearing_place") or "").strip()
    if not place:
        raise InvalidInput("请填写「听证地点」", field="hearing_place")
    notice_on = extra.get("notice_on")
    if not isinstance(notice_on, date):
        raise InvalidInput("请填写「听证通知日期」(书面通知当事人之日)", field="notice_on")
    if notice_on > hearing_on:
        raise InvalidInput("「听证通知日期」不能晚于听证日期(办理日期)", field="notice_on")
    attended = extra.get("leader_attended") or ""
    name, post = (extra.get("leader_name") or "").strip(), (extra.get("leader_post") or "").strip()
    absence = (extra.get("absence_reason") or "").strip()
    if attended not in ("yes", "no"):
        raise InvalidInput("请选择「被申请人负责人是否参加」听证(第51条:被申请人的负责人应当参加听证)", field="leader_attended")
    if attended == "yes" and not name:
        raise InvalidInput("负责人参加听证的,请填写「参加的负责人姓名」", field="leader_name")
    if attended == "yes" and not post:
        raise InvalidInput("请填写参加听证的「负责人职务」(如 局长、副局长)", field="leader_post")
    if attended == "no" and not absence:
        raise InvalidInput("负责人未参加听证的,请填写「负责人未参加的原因」(不能参加的应说明理由并委托相应的工作人员参加)",
                           field="absence_reason")
    # The latest lawful notice day, from the engine (五个工作日前).
    notice_due = deadlines.deadline_compute(rules.HEARING_NOTICE_RULE, hearing_on).due
    record = _complete(run, act, actor)
    _close_clock(case, rules.HEARING_NOTICE, notice_on, actor)  # a planned hearing's notice clock, if still open
    late = notice_on > notice_due
    _update(case, {"hearing_on": hearing_on, "hearing_place": place[:200], "hearing_notice_on": notice_on,
                   "hearing_notice_due": notice_due, "hearing_notice_late": late, "leader_attended": attended == "yes",
                   "leader_name": name[:60] if attended == "yes" else "", "leader_post": post[:60] if attended == "yes" else "",
                   "leader_absence_reason": absence[:500] if attended == "no" else ""},
            reason="听证" + ("(通知晚于法定期限)" if late else ""))
    return record


def _decide(case, run, act, actor):
    if case.status == SUSPENDED:
        _refuse_state(case, "decide")
    extra = act.extra or {}
    facts, reasoning = (extra.get("facts") or "").strip(), (extra.get("reasoning") or "").strip()
    if act.outcome not in dict(DECISION_OUTCOMES):
        raise InvalidInput("请选择复议决定的「结果」:" + "、".join(label for _, label in DECISION_OUTCOMES), field="outcome")
    if not facts:
        raise InvalidInput("请填写「查明事实」(写入行政复议决定书)", field="facts")
    if not reasoning:
        raise InvalidInput("请填写「决定理由」(写入行政复议决定书)", field="reasoning")
    on = act.act_date or rules.today()
    if on < case.accepted_on:
        raise InvalidInput(f"「办理日期」不能早于受理日期 {case.accepted_on.isoformat()}", field="date")
    _refuse_state(case, "decide", on)
    record = _complete(run, act, actor)
    if case.reply_on is None:  # 第70条: decided without the reply, the reply clock ends unmet
        _close_clock(case, rules.REPLY, on, actor, met=False, reason=rules.REPLY_LATE_REASON)
    closed = _close_clock(case, rules.DECIDE, on, actor)
    label = dict(DECISION_OUTCOMES)[act.outcome]
    _update(case, {"status": DECIDED, "outcome": act.outcome, "decided_on": on, "ended_on": on, "facts": facts,
                   "reasoning": reasoning, "decision_late": bool(closed.late) if closed else None},
            reason=f"复议决定:{label}")
    event_record(verb="reconsideration.decided", summary=f"{case.number} 复议决定:{label}"
                 + ("(超过审理期限)" if closed and closed.late else ""), actor=actor, unit=case.unit, obj=case)
    return record


# ---------------------------------------------------------------- case acts outside the step chain


def _begin(case, actor, expected_version, allowed: bool, refusal: str):
    _require_office(actor)
    case = _locked(case)
    _check_version(case, expected_version)
    if not allowed(case):
        raise Conflict(refusal.format(status=case.get_status_display()), code=WRONG_STATE)
    return case


@transaction.atomic
def correction_received(*, case, actor, on: date, expected_version: int | None = None) -> Reconsideration:
    """收到补正材料: the correction clock closes; the acceptance review counts anew from this day (第31条)."""
    case = _begin(case, actor, expected_version, rules.may_receive_correction,
                  "案件{status}:只有通知补正后、尚未结案的案件才能登记收到补正材料")
    on = _past_or_today(on, "on", "收到补正材料日期")
    if on < case.correction_notice_on:
        raise InvalidInput(f"「收到补正材料日期」不能早于补正通知日期 {case.correction_notice_on.isoformat()}", field="on")
    _close_clock(case, rules.CORRECTION, on, actor)
    accept = clock(case, rules.ACCEPT)
    if accept.status == Deadline.OPEN:
        deadlines.deadline_restart(deadline=accept, on=on, reason="收到补正材料,受理审查期限重新计算", actor=actor)
    else:  # closed late by a late notice: the review opens anew
        _open_clock(case, rules.ACCEPT, on, actor)
    _act_record(case, CORRECTION_RECEIVED, on, actor)
    return _update(case, {"status": REVIEWING, "correction_received_on": on}, reason="收到补正材料")


@transaction.atomic
def withdraw(*, case, actor, on: date, note: str = "", expected_version: int | None = None) -> Reconsideration:
    """视为撤回: only once the correction period has passed without the material (第31条第2款)."""
    _require_office(actor)
    case = _locked(case)
    _check_version(case, expected_version)
    on = _past_or_today(on, "on", "认定日期")
    due = open_due(case, rules.CORRECTION)
    if not rules.may_withdraw(case, due, on):
        hint = f"补正期限 {due.isoformat()} 届满后" if due else "通知补正且补正期限届满后"
        raise Conflict(f"只有{hint}仍未补正的,才能视为撤回", code=WRONG_STATE, field="on")
    reason = "补正期限届满未补正,视为申请人放弃复议申请"
    _close_clock(case, rules.CORRECTION, on, actor, met=False, reason=reason)
    _close_clock(case, rules.ACCEPT, on, actor, met=False, reason=reason)
    _act_record(case, WITHDRAW, on, actor, note=(note or "").strip())
    event_record(verb="reconsideration.withdrawn", summary=f"{case.number} 视为撤回", actor=actor, unit=case.unit, obj=case)
    return _update(case, {"status": WITHDRAWN, "ended_on": on, "end_reason": reason}, reason="视为撤回")


@transaction.atomic
def suspend(*, case, actor, on: date, reason: str, note: str = "", expected_version: int | None = None):
    """中止 (第39条, with its statutory ground): the decision period stands still until 恢复."""
    case = _begin(case, actor, expected_version, rules.may_suspend, "案件{status}:只有审理中的案件才能中止")
    if reason not in rules.SUSPEND_LABELS:
        raise InvalidInput("请选择「中止事由」(第39条所列情形之一)", field="reason")
    on = _past_or_today(on, "on", "中止日期")
    if on < case.accepted_on:
        raise InvalidInput(f"「中止日期」不能早于受理日期 {case.accepted_on.isoformat()}", field="on")
    label = rules.SUSPEND_LABELS[reason]
    # Every running clock of the case stands still (the reply and the copy too); one already past its due date
    # cannot be paused (the engine refuses): it stays overdue.
    for d in _case_clocks(case, paused_since__isnull=True):
        if on <= d.due and get_rule(d.rule_id).mode in FORWARD_MODES:  # the hearing notice counts back: not paused
            deadlines.deadline_pause(deadline=d, on=max(on, d.start), reason=label, actor=actor)
    _act_record(case, SUSPEND, on, actor, reason=reason, note=(note or "").strip())
    event_record(verb="reconsideration.suspended", summary=f"{case.number} 中止:{label}", actor=actor, unit=case.unit,
                 obj=case)
    return _update(case, {"status": SUSPENDED}, reason=f"中止:{label}")


@transaction.atomic
def resume(*, case, actor, on: date, expected_version: int | None = None):
    """恢复审理: the decision period counts again from this day."""
    case = _begin(case, actor, expected_version, rules.may_resume, "案件{status}:只有中止的案件才能恢复审理")
    on = _past_or_today(on, "on", "恢复审理日期")
    for d in _case_clocks(case, paused_since__isnull=False):
        if on <= d.paused_since:
            raise InvalidInput(f"「恢复审理日期」应晚于中止日期 {d.paused_since.isoformat()}", field="on")
        deadlines.deadline_resume(deadline=d, on=on, actor=actor)
    _act_record(case, RESUME, on, actor)
    return _update(case, {"status": HEARING}, reason="恢复审理")


@transaction.atomic
def extend(*, case, actor, days, approver: str, basis: str, notified_on: date,
           expected_version: int | None = None):
    """延长审理期限 (第62条第1款): approved by the 复议机构's head, the parties told in writing; the catalogue
    caps it (`reconsideration.extend`) and refuses it for the simplified procedure — the engine's message."""
    case = _begin(case, actor, expected_version, rules.may_extend,
                  "案件{status}:只有普通程序审理中的案件才能延长审理期限(简易程序不能延长,第62条)")
    notified_on = _past_or_today(notified_on, "notified_on", "书面告知当事人日期")
    decide = clock(case, rules.DECIDE)
    if decide.paused_since is None and notified_on > decide.due:
        raise InvalidInput(f"审理期限已于 {decide.due.isoformat()} 届满:延长应在期限届满前批准并书面告知当事人",
                           field="notified_on")
    try:
        deadlines.deadline_extend(deadline=decide, days=days, approver=approver, basis=basis, on=notified_on, actor=actor)
    except InvalidInput as e:
        raise InvalidInput(e.message, field={"extend": "days", "on": "notified_on"}.get(e.field, e.field)) from None
    _act_record(case, EXTEND, notified_on, actor, note=basis.strip(), data={"days": days, "approver": approver.strip()})
    event_record(verb="reconsideration.extended", summary=f"{case.number} 延长审理期限 {days} 日", actor=actor,
                 unit=case.unit, obj=case)
    return _update(case, {}, reason=f"延长审理期限 {days} 日(批准人 {approver.strip()})")


@transaction.atomic
def terminate(*, case, actor, on: date, reason: str, note: str = "", expected_version: int | None = None):
    """终止 (第41条): every open clock stops (not met), the case ends with outcome 终止."""
    case = _begin(case, actor, expected_version, rules.may_terminate, "案件{status},不能终止")
    if reason not in rules.TERMINATE_LABELS:
        raise InvalidInput("请选择「终止事由」(第41条所列情形之一)", field="reason")
    on = _past_or_today(on, "on", "终止日期")
    if on < case.received_on:
        raise InvalidInput(f"「终止日期」不能早于收到申请日期 {case.received_on.isoformat()}", field="on")
    label = rules.TERMINATE_LABELS[reason]
    for d in _case_clocks(case):
        deadlines.deadline_close(deadline=d, met=False, on=max(on, d.start), actor=actor, reason=f"终止:{label}")
    _act_record(case, TERMINATE_ACT, on, actor, reason=reason, note=(note or "").strip())
    event_record(verb="reconsideration.terminated", summary=f"{case.number} 终止:{label}", actor=actor,
                 unit=case.unit, obj=case)
    return _update(case, {"status": TERMINATED, "outcome": TERMINATE, "ended_on": on, "end_reason": label[:300]},
                   reason=f"终止:{label}")


@transaction.atomic
def schedule_hearing(*, case, actor, on: date, place: str, expected_version: int | None = None):
    """安排听证: the planned day opens (or, moved, restarts) the clock of the latest lawful notice day
    (reconsideration.hearing_notice, 五个工作日前), on the case's timeline and work list before the hearing."""
    case = _begin(case, actor, expected_version, rules.may_schedule_hearing, "案件{status}:只有审理中、尚未听证的案件才能安排听证")
    if not isinstance(on, date):
        raise InvalidInput("请填写「拟听证日期」(YYYY-MM-DD)", field="on")
    if on < max(case.accepted_on, rules.today()):
        raise InvalidInput("「拟听证日期」应为今天或以后,且不早于受理日期", field="on")
    place = (place or "").strip()
    if not place:
        raise InvalidInput("请填写「听证地点」", field="place")
    _open_clock(case, rules.HEARING_NOTICE, on, actor)
    _act_record(case, SCHEDULE_HEARING, rules.today(), actor, note=f"{on.isoformat()} {place}"[:2000])
    return _update(case, {"hearing_planned_on": on, "hearing_place": place[:200], "hearing_notice_on": None},
                   reason="安排听证")


@transaction.atomic
def hearing_notice_sent(*, case, actor, on: date, expected_version: int | None = None):
    """送达听证通知: closes the notice clock, on time or late as the engine counts."""
    case = _begin(case, actor, expected_version, rules.may_send_hearing_notice, "案件{status}:请先「安排听证」")
    on = _past_or_today(on, "on", "书面通知当事人日期")
    found = _close_clock(case, rules.HEARING_NOTICE, on, actor)
    _act_record(case, HEARING_NOTICE_SENT, on, actor)
    return _update(case, {"hearing_notice_on": on, "hearing_notice_due": found.due if found else None,
                          "hearing_notice_late": bool(found and found.late)}, reason="送达听证通知")


CASE_ACTS = {"correction_received": correction_received, "withdraw": withdraw, "suspend": suspend, "resume": resume,
             "extend": extend, "terminate": terminate, "schedule_hearing": schedule_hearing,
             "hearing_notice": hearing_notice_sent}
