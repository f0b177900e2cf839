"""Writes of 行政应诉, each in one transaction: register a case (its answer clock `litigation.answer` opens
from the day the complaint copy was received), edit it (versioned), record hearings, act on the procedure
steps (答辩举证 stops the clock; 裁判 / 二审裁判 enter a judgment with `lost` from the one rule; 上诉; 生效
closes the case and, for a case lost through not answering or not appearing, opens the accountability
record in the same transaction), and the accountability record's people and close."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import cleaning
from fazhi.core.errors import Conflict, InvalidInput, NotAllowed, StaleEdit
from fazhi.core.services import attachments_add, event_record, versioned_update
from fazhi.procedures import rules as procedure_rules
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures import services as procedure_services
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation import rules

CASE_FIELDS = ("court", "case_number", "cause", "court_level", "plaintiffs", "third_parties", "act_name", "act_number",
               "act_date", "after_reconsideration", "reconsideration_number", "received_on", "note")


def _parties(raw, *, field: str, label: str, required: bool) -> list[dict]:
    return cleaning.parties(raw, field=field, label=label, kinds=m.PARTY_KIND_LABELS, default_kind=m.PERSON,
                            required=required)


def _case_fields(data: dict) -> dict:
    level = data.get("court_level") or data.get("instance") or m.FIRST
    if level not in m.INSTANCE_LABELS:
        raise InvalidInput(f"「审级」应为 {'、'.join(m.INSTANCE_LABELS)} 之一({'、'.join(m.INSTANCE_LABELS.values())})",
                           field="court_level")
    fields = {
        "court": cleaning.text(data.get("court"), field="court", label="受理法院", limit=100),
        "case_number": cleaning.text(data.get("case_number"), field="case_number", label="案号", limit=60),
        "cause": cleaning.text(data.get("cause"), field="cause", label="案由", limit=200),
        "court_level": level,
        "plaintiffs": _parties(data.get("plaintiffs"), field="plaintiffs", label="原告", required=True),
        "third_parties": _parties(data.get("third_parties"), field="third_parties", label="第三人", required=False),
        "act_name": cleaning.text(data.get("act_name"), field="act_name", label="被诉行政行为", limit=200),
        "act_number": cleaning.text(data.get("act_number"), field="act_number", label="行政行为文书号", required=False, limit=100),
        "act_date": cleaning.day(data.get("act_date"), field="act_date", label="行政行为作出日期", required=False),
        "after_reconsideration": bool(data.get("after_reconsideration")),
        "reconsideration_number": cleaning.text(data.get("reconsideration_number"), field="reconsideration_number",
                                        label="行政复议案号", required=False, limit=100),
        "received_on": cleaning.day(data.get("received_on"), field="received_on", label="收到起诉状副本和应诉通知书日期"),
        "note": cleaning.text(data.get("note"), field="note", label="备注", required=False),
    }
    if fields["after_reconsideration"] and not fields["reconsideration_number"]:
        raise InvalidInput("经行政复议后起诉的,请填写「行政复议案号」", field="reconsideration_number")
    if not fields["after_reconsideration"]:
        fields["reconsideration_number"] = ""
    if fields["act_date"] and fields["act_date"] > fields["received_on"]:
        raise InvalidInput("「行政行为作出日期」不能晚于收到起诉状副本的日期", field="act_date")
    return fields


def _number_taken(fields: dict, exclude: int | None = None) -> None:
    qs = m.Litigation.objects.filter(court=fields["court"], case_number=fields["case_number"])
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise InvalidInput(f"{fields['court']}的案号 {fields['case_number']} 已经登记,请核对案号或查看已登记的案件",
                           field="case_number")


def _clock_of(case):
    from fazhi.deadlines.selectors import record_clock

    return record_clock(case, rules.ANSWER_PURPOSE)


@transaction.atomic
def case_register(*, unit, actor, data: dict) -> m.Litigation:
    """The defendant unit (or the office for it) registers a case; the answer clock opens from the receipt
    of the complaint copy and the 应诉通知书, and the case starts on the procedure `litigation`."""
    from fazhi.deadlines.services import deadline_open

    if unit is None:
        raise InvalidInput("请选择「被告单位」", field="unit")
    if not rules.can_register(actor, unit):
        raise NotAllowed("只能登记本单位作为被告的行政诉讼案件")
    fields = _case_fields(data)
    _number_taken(fields)
    try:
        with transaction.atomic():
            case = m.Litigation.objects.create(unit=unit, created_by=actor, **fields)
    except IntegrityError:
        raise InvalidInput(f"{fields['court']}的案号 {fields['case_number']} 已经登记", field="case_number") from None
    procedure_services.run_start(obj=case, unit=unit, code=rules.PROCEDURE)
    deadline_open(obj=case, unit=unit, purpose=rules.ANSWER_PURPOSE, rule_id=rules.ANSWER_RULE,
                  start=case.received_on, actor=actor)
    event_record(verb="litigation.registered", summary=f"登记行政应诉案件 {case.case_number}({case.cause})",
                 actor=actor, unit=unit, obj=case)
    return case


@transaction.atomic
def case_update(*, case: m.Litigation, actor, data: dict, expected_version: int | None,
                reason: str = "") -> m.Litigation:
    """Correct the case's facts (versioned: a stale edit is refused). A corrected receipt date counts the
    answer period anew from it (the clock's restart, its old start kept) while the answer is still owed."""
    from fazhi.deadlines.models import Deadline
    from fazhi.deadlines.services import deadline_restart

    if not rules.can_act(actor, case):
        raise NotAllowed("只能修改本单位的行政应诉案件")
    fields = _case_fields(data)
    if fields["case_number"] != case.case_number or fields["court"] != case.court:
        _number_taken(fields, exclude=case.pk)
    if fields["court_level"] != case.court_level:  # only the 上诉 step moves it (rules of the procedure)
        raise InvalidInput(f"「审级」登记后不能修改(现为{case.get_court_level_display()});"
                           "一审裁判后上诉的,请办理「上诉」步骤", field="court_level")
    changes = {k: v for k, v in fields.items() if getattr(case, k) != v}
    if not changes:
        raise InvalidInput("没有修改任何内容", field="court")
    if "received_on" in changes:
        clock = _clock_of(case)
        if case.answered_on is not None or clock is None or clock.status != Deadline.OPEN:
            raise InvalidInput("已答辩举证或期限已办结的案件不能修改收到起诉状副本的日期", field="received_on")
    case = versioned_update(case, expected_version=expected_version, changes=changes, reason=reason or "修改案件信息")
    if "received_on" in changes:
        deadline_restart(deadline=_clock_of(case), on=case.received_on, actor=actor,
                         reason=f"更正收到起诉状副本日期为 {case.received_on.isoformat()}")
    event_record(verb="litigation.updated", summary=f"修改行政应诉案件 {case.case_number}", actor=actor,
                 unit=case.unit, obj=case, data={"fields": sorted(changes)})
    return case


# ---------------------------------------------------------------- hearings (出庭应诉)


def _names(raw, *, field: str, label: str) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > 50 or not all(isinstance(n, str) for n in raw):
        raise InvalidInput(f"「{label}」应为姓名的列表,至多 50 人", field=field)
    return [cleaning.text(n, field=field, label=label, limit=40) for n in raw if n.strip()]


@transaction.atomic
def hearing_add(*, case: m.Litigation, actor, data: dict, expected_version: int | None, files=()) -> m.Hearing:
    """One hearing held, with who appeared for the unit (rules.appearance decides what counts) and, when no
    负责人 appeared, the documented reason; the court's appearance notice is its attachment. The case row is
    locked and its version checked and bumped: a repeated submission is stale (409), not a second hearing."""
    if not rules.can_act(actor, case):
        raise NotAllowed("只能登记本单位案件的庭审情况")
    case = _lock(case)
    if expected_version is None:
        raise InvalidInput("缺少版本号,请刷新页面后重新登记", field="version")
    if case.version != expected_version:
        raise StaleEdit("该案件已有新的变更(可能已登记过这次庭审),本次登记未保存。请刷新页面,核对后重新登记。")
    if case.status == m.EFFECTIVE:
        raise InvalidInput("案件已生效办结,不能再登记庭审", field="held_on")
    held_on = cleaning.day(data.get("held_on"), field="held_on", label="庭审日期")
    if held_on < case.received_on:
        raise InvalidInput(f"「庭审日期」不能早于收到起诉状副本的日期 {case.received_on.isoformat()}", field="held_on")
    if case.court_level == m.SECOND and case.appealed_on and held_on < case.appealed_on:
        raise InvalidInput(f"二审「庭审日期」不能早于上诉日期 {case.appealed_on.isoformat()}", field="held_on")
    kind = data.get("kind") or m.TRIAL_HEARING
    if kind not in dict(m.HEARING_KINDS):
        raise InvalidInput(f"「庭审类型」应为 {'、'.join(k for k, _ in m.HEARING_KINDS)} 之一", field="kind")
    notice_received = bool(data.get("notice_received"))
    notice_on = cleaning.day(data.get("notice_on"), field="notice_on", label="出庭通知书收到日期", required=False)
    if notice_received and notice_on is None:
        raise InvalidInput("收到出庭通知书的,请填写「出庭通知书收到日期」", field="notice_on")
    if notice_on and notice_on > held_on:
        raise InvalidInput("「出庭通知书收到日期」不能晚于庭审日期", field="notice_on")
    leader_name = cleaning.text(data.get("leader_name"), field="leader_name", label="出庭负责人姓名", required=False, limit=40)
    leader_post = data.get("leader_post") or ""
    if leader_post and leader_post not in m.LEADER_POST_LABELS:
        raise InvalidInput("「负责人职务层级」应为 head(正职)或 deputy(副职)", field="leader_post")
    if leader_name and not leader_post:
        raise InvalidInput("请选择出庭负责人的「负责人职务层级」(正职或副职)", field="leader_post")
    if leader_post and not leader_name:
        raise InvalidInput("请填写「出庭负责人姓名」", field="leader_name")
    staff = _names(data.get("staff"), field="staff", label="出庭工作人员")
    lawyers = _names(data.get("lawyers"), field="lawyers", label="出庭律师")
    app = rules.appearance(leader_name=leader_name, leader_post=leader_post, staff=staff, lawyers=lawyers)
    reason = data.get("absence_reason") or ""
    note = cleaning.text(data.get("absence_note"), field="absence_note", label="负责人未出庭情况说明", required=False, limit=2000)
    if rules.absence_reason_required(app):
        if reason not in m.ABSENCE_REASON_LABELS:
            raise InvalidInput("负责人未出庭的,请选择「负责人未出庭理由」("
                               + "、".join(m.ABSENCE_REASON_LABELS.values()) + ")", field="absence_reason")
        if not note:
            raise InvalidInput("负责人未出庭的,请在「负责人未出庭情况说明」中写明具体情况(并委托工作人员出庭)",
                               field="absence_note")
    else:
        reason, note = "", note
    hearing = m.Hearing.objects.create(
        litigation=case, unit=case.unit, court_level=case.court_level, held_on=held_on, kind=kind,
        notice_received=notice_received, notice_on=notice_on, leader_name=leader_name, leader_post=leader_post,
        leader_title=cleaning.text(data.get("leader_title"), field="leader_title", label="负责人职务名称", required=False,
                           limit=60),
        staff=staff, lawyers=lawyers, absence_reason=reason, absence_note=note, appeared=app.appeared,
        leader_appeared=app.leader, created_by=actor)
    if files:
        attachments_add(obj=hearing, unit=case.unit, files=files, actor=actor, field="notice")
    versioned_update(case, expected_version=expected_version, changes={}, reason=f"登记庭审 {held_on.isoformat()}")
    who = "负责人出庭" if app.leader else ("工作人员出庭" if app.appeared else "本单位未出庭")
    event_record(verb="litigation.hearing", summary=f"{case.case_number} {hearing.get_kind_display()} {held_on}:{who}",
                 actor=actor, unit=case.unit, obj=case)
    return hearing


# ---------------------------------------------------------------- the procedure's acts


def _run(case):
    return procedure_selectors.run_for(case, rules.PROCEDURE) or procedure_services.run_start(
        obj=case, unit=case.unit, code=rules.PROCEDURE)


def _lock(case) -> m.Litigation:
    return m.Litigation.objects.select_for_update().get(pk=case.pk)


def _answer(case, run, act, actor):
    from fazhi.deadlines.models import Deadline

    procedure_services.step_gate(run, "answer")
    if case.status in (m.JUDGED, m.APPEAL, m.EFFECTIVE):
        raise InvalidInput("已作出裁判的案件不能再登记答辩举证", field="step")
    extra = act.extra or {}
    defence, evidence = extra.get("defence"), list(extra.get("evidence") or [])
    if not defence:
        raise InvalidInput("请上传「答辩状」", field="defence")
    if not evidence:
        raise InvalidInput("请上传「证据和依据」(作出行政行为的证据和所依据的规范性文件)", field="evidence")
    answered_on = act.act_date or timezone.localdate()
    if answered_on < case.received_on:
        raise InvalidInput(f"答辩举证日期(办理日期)不能早于收到起诉状副本的日期 {case.received_on.isoformat()}",
                           field="date")
    record = procedure_services.step_complete(run=run, step="answer", actor=actor, note=act.note or "",
                                              files=[defence, *evidence], act_date=answered_on)
    clock = _clock_of(case)  # the step closed it: on time or late, as the clock decides
    on_time = None if clock is None or clock.status != Deadline.MET else not clock.late
    _save(case, {"answered_on": record.act_date, "answer_on_time": on_time}, reason="答辩举证")
    event_record(verb="litigation.answered", summary=f"{case.case_number} 答辩举证" + ("" if on_time else "(逾期)"),
                 actor=actor, unit=case.unit, obj=case)
    return record


def _judgment(case, run, act, actor, *, appeal: bool):
    step = "appeal_judgment" if appeal else "judgment"
    procedure_services.step_gate(run, step)
    extra = act.extra or {}
    kind, result = extra.get("kind") or "", extra.get("result") or ""
    problem = rules.judgment_problem(kind=kind, result=result, appeal=appeal)
    if problem:
        raise InvalidInput(problem[1], field=problem[0])
    previous = case.judgments.order_by("-decided_on", "-id").first()
    lost = rules.lost_of(result, upheld_lost=previous.lost if previous else None)
    causes = [c for c in dict.fromkeys(extra.get("loss_causes") or []) if c]
    note = cleaning.text(extra.get("loss_note"), field="loss_note", label="败诉原因说明", required=False, limit=2000)
    if lost and not causes and result == m.UPHELD and previous is not None:
        causes, note = list(previous.loss_causes), note or previous.loss_note
    problem = rules.loss_causes_problem(lost=lost, causes=causes, note=note) or (
        rules.loss_causes_contradiction(causes=causes, answer_on_time=case.answer_on_time,
                                        appeared=list(case.hearings.values_list("appeared", flat=True)))
        if lost else None)
    if problem:
        raise InvalidInput(problem[1], field=problem[0])
    if not lost:
        causes, note = [], ""
    decided_on = act.act_date or timezone.localdate()
    if decided_on < case.received_on:
        raise InvalidInput("裁判日期(办理日期)不能早于收到起诉状副本的日期", field="date")
    if appeal and case.appealed_on and decided_on < case.appealed_on:
        raise InvalidInput(f"二审裁判日期(办理日期)不能早于上诉日期 {case.appealed_on.isoformat()}", field="date")
    record = procedure_services.step_complete(run=run, step=step, actor=actor, note=act.note or "",
                                              files=act.files or (), act_date=decided_on)
    judgment = m.Judgment.objects.create(
        litigation=case, unit=case.unit, court_level=m.SECOND if appeal else case.court_level, kind=kind,
        decided_on=decided_on, result=result, lost=lost, loss_causes=causes, loss_note=note, step_record=record)
    event_record(verb="litigation.judgment", summary=f"{case.case_number} {judgment}" + (",败诉" if lost else ""),
                 actor=actor, unit=case.unit, obj=case, data={"result": result, "lost": lost})
    return record


def _appeal(case, run, act, actor):
    procedure_services.step_gate(run, "appeal")
    if case.court_level != m.FIRST:
        raise InvalidInput(f"本案为{case.get_court_level_display()}案件,其裁判为终审裁判,不能上诉", field="step")
    extra = act.extra or {}
    by = extra.get("appealed_by") or ""
    if by not in m.APPELLANT_LABELS:
        raise InvalidInput("请选择「上诉人」(本单位、原告、双方或第三人)", field="appealed_by")
    court = cleaning.text(extra.get("appeal_court"), field="appeal_court", label="二审法院", limit=100)
    number = cleaning.text(extra.get("appeal_number"), field="appeal_number", label="二审案号", required=False, limit=60)
    appealed_on = act.act_date or timezone.localdate()
    first = case.judgments.order_by("-decided_on", "-id").first()
    if first is not None and appealed_on < first.decided_on:
        raise InvalidInput(f"上诉日期(办理日期)不能早于一审裁判日期 {first.decided_on.isoformat()}", field="date")
    record = procedure_services.step_complete(run=run, step="appeal", actor=actor, note=act.note or "",
                                              files=act.files or (), act_date=appealed_on)
    _save(case, {"court_level": m.SECOND, "appealed_by": by, "appealed_on": record.act_date, "appeal_court": court,
                 "appeal_number": number}, reason="上诉")
    event_record(verb="litigation.appealed", summary=f"{case.case_number} {m.APPELLANT_LABELS[by]}上诉,{court}二审",
                 actor=actor, unit=case.unit, obj=case)
    return record


def _effective(case, run, act, actor):
    from fazhi.deadlines.models import Deadline
    from fazhi.deadlines.services import deadline_close

    procedure_services.step_gate(run, "effective")
    state = procedure_rules.run_state(procedure_selectors.run_specs(run), procedure_selectors.run_facts(run))
    if state.counts("appeal") and not state.counts("appeal_judgment"):
        spec = next(s for s in procedure_selectors.run_specs(run) if s.code == "appeal_judgment")
        raise Conflict(f"不能办理「裁判生效」:已上诉,未完成{spec.label}", code=procedure_services.STEP_MISSING)
    final = case.judgments.order_by("-decided_on", "-id").first()
    if final is None:
        raise Conflict("不能办理「裁判生效」:尚未登记裁判", code=procedure_services.STEP_MISSING)
    effective_on = act.act_date or timezone.localdate()
    if effective_on < final.decided_on:
        raise InvalidInput(f"生效日期(办理日期)不能早于裁判日期 {final.decided_on.isoformat()}", field="date")
    record = procedure_services.step_complete(run=run, step="effective", actor=actor, outcome=act.outcome or "",
                                              note=act.note or "", files=act.files or (), act_date=effective_on)
    clock = _clock_of(case)
    changes = {"effective_on": effective_on, "result": final.result, "lost": final.lost,
               "loss_causes": final.loss_causes, "loss_note": final.loss_note}
    if clock is not None and clock.status == Deadline.OPEN:  # never answered: the period is no longer owed
        if rules.answer_ran_out(clock.due, effective_on):
            changes["answer_on_time"] = False  # 未答辩(逾期): kept on the case, the clock itself stops
        deadline_close(deadline=clock, met=False, on=effective_on, actor=actor, reason="裁判已生效,未答辩举证")
    case = _save(case, changes, reason="裁判生效")
    grounds = rules.accountability_grounds(lost=bool(final.lost), answer_on_time=case.answer_on_time,
                                           appeared=list(case.hearings.values_list("appeared", flat=True)))
    if grounds:
        _accountability_open(case, grounds, on=effective_on)
    event_record(verb="litigation.effective",
                 summary=f"{case.case_number} 裁判生效:{case.get_result_display()}" + (",败诉" if case.lost else ""),
                 actor=actor, unit=case.unit, obj=case)
    return record


@transaction.atomic
def step_perform(case: m.Litigation, act, actor):
    """procedures.actions' `perform` for litigation: this module's checks and writes on its steps, the
    procedure's own write (gate, roles, clocks) inside them, then the case's status."""
    from fazhi.procedures import actions

    case = _lock(case)
    run = _run(case)
    if act.decide is not None or act.not_applicable:
        if act.not_applicable and act.step in ("answer", "judgment", "effective"):
            raise InvalidInput("必经步骤不能标记不适用", field="not_applicable")
        record = actions.act_default(run=run, act=act, actor=actor)
    elif act.step == "answer":
        record = _answer(case, run, act, actor)
    elif act.step in ("judgment", "appeal_judgment"):
        record = _judgment(case, run, act, actor, appeal=act.step == "appeal_judgment")
    elif act.step == "appeal":
        record = _appeal(case, run, act, actor)
    elif act.step == "effective":
        record = _effective(case, run, act, actor)
    else:
        record = actions.act_default(run=run, act=act, actor=actor)
    status_refresh(case)
    return record


def _save(case, changes: dict, reason: str = "") -> m.Litigation:
    """A service's own change of a case it holds locked (its version read under the lock)."""
    fresh = _lock(case)
    if all(getattr(fresh, k) == v for k, v in changes.items()):
        return fresh
    return versioned_update(fresh, expected_version=fresh.version, changes=changes, reason=reason)


def status_refresh(case: m.Litigation) -> m.Litigation:
    run = _run(case)
    state = procedure_rules.run_state(procedure_selectors.run_specs(run), procedure_selectors.run_facts(run))
    return _save(case, {"status": rules.status_of(state.states, state.closed_by is not None)})


# ---------------------------------------------------------------- accountability (败诉责任追究)


def _accountability_open(case, grounds: list[str], *, on: date) -> m.LitigationAccountability:
    labels = "、".join(m.LOSS_CAUSE_LABELS[g] for g in grounds)
    answer = (f"{case.answered_on.isoformat()} " if case.answered_on else "") + case.answer_label
    hearings = list(case.hearings.values_list("appeared", flat=True))
    facts = (f"{case.court} {case.case_number}({case.cause})裁判生效,结果:{case.get_result_display()},败诉。"
             f"败诉原因:{labels}。{answer};庭审 {len(hearings)} 次,本单位出庭 {sum(hearings)} 次。")
    record = m.LitigationAccountability.objects.create(litigation=case, unit=case.unit, grounds=grounds, facts=facts,
                                                       opened_on=on)
    event_record(verb="litigation.accountability_opened", summary=f"{case.case_number} 因{labels}败诉,启动责任追究",
                 unit=case.unit, obj=record, data={"grounds": grounds})
    return record


def _people(raw) -> list[dict]:
    if not isinstance(raw, list) or len(raw) > 50:
        raise InvalidInput("「责任领导」应为列表(每人姓名 name、职务 post),至多 50 人", field="people")
    people = []
    for i, p in enumerate(raw, 1):
        if not isinstance(p, dict):
            raise InvalidInput(f"「责任领导」第 {i} 项应为姓名和职务", field="people")
        name = cleaning.text(p.get("name"), field="people", label=f"责任领导第 {i} 人姓名", required=False, limit=40)
        post = cleaning.text(p.get("post"), field="people", label=f"责任领导第 {i} 人职务", required=False, limit=100)
        if not name and not post:
            continue
        if not name or not post:
            raise InvalidInput(f"「责任领导」第 {i} 人须写明姓名和职务", field="people")
        people.append({"name": name, "post": post})
    return people


@transaction.atomic
def accountability_people(*, record: m.LitigationAccountability, actor, people, facts: str,
                          expected_version: int | None) -> m.LitigationAccountability:
    """The unit (or the office) names the leaders responsible and completes the facts."""
    if record.status != m.ACC_OPEN:
        raise InvalidInput("该责任追究已经办结,不能再修改", field="people")
    if not rules.can_name_people(actor, record):
        raise NotAllowed("只有被告单位或法制办可以填写责任领导")
    people = _people(people)
    if not people:
        raise InvalidInput("请填写「责任领导」(每人姓名和职务)", field="people")
    facts = cleaning.text(facts, field="facts", label="事实")
    record = versioned_update(record, expected_version=expected_version, changes={"people": people, "facts": facts},
                              reason="填写责任领导")
    event_record(verb="litigation.accountability_people", summary=f"{record.litigation.case_number} 责任领导:"
                 + "、".join(p["name"] for p in people), actor=actor, unit=record.unit, obj=record)
    return record


@transaction.atomic
def accountability_close(*, record: m.LitigationAccountability, actor, result: str, expected_version: int | None,
                         on: date | None = None) -> m.LitigationAccountability:
    if not rules.can_close_accountability(actor):
        raise NotAllowed("只有法制办可以办结败诉责任追究")
    if record.status == m.ACC_CLOSED:
        raise InvalidInput("该责任追究已经办结", field="result")
    if not record.people:
        raise InvalidInput("尚未写明「责任领导」(姓名、职务),不能办结;请先填写", field="people")
    result = cleaning.text(result, field="result", label="处理结果")
    record = versioned_update(record, expected_version=expected_version, reason="办结", changes={
        "status": m.ACC_CLOSED, "result": result, "closed_on": on or timezone.localdate(), "closed_by": actor})
    event_record(verb="litigation.accountability_closed", summary=f"{record.litigation.case_number} 败诉责任追究办结",
                 actor=actor, unit=record.unit, obj=record, reason=result)
    return record
