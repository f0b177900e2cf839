"""Writes of major decisions, each in one transaction: the catalogue (draw up, adjust with reasons,
publish), the decision's procedure acts (through procedures.actions: the gate, roles and clocks, plus
this module's own checks), its public consultation (portal's mechanism) and accountability records."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fazhi.core import cleaning
from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.core.services import event_record, versioned_update
from fazhi.decisions import models as m
from fazhi.decisions import rules
from fazhi.procedures import rules as procedure_rules
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures import services as procedure_services

TEXT_MAX, TITLE_MAX = 5000, 300


def _text(value, *, field: str, label: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    return cleaning.text(None if value is None else str(value), field=field, label=label, required=required,
                         limit=limit)


def _office(actor) -> None:
    if not rules.can_manage_catalogue(actor):
        raise NotAllowed("只有法制办可以编制、调整和公布重大行政决策事项目录")


# ---------------------------------------------------------------- catalogue


@transaction.atomic
def catalogue_create(*, year: int, actor, title: str = "", note: str = "") -> m.Catalogue:
    _office(actor)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput("「年度」应为 2000 至 2100 之间的年份", field="year")
    if m.Catalogue.objects.filter(year=year).exists():
        raise InvalidInput(f"{year} 年度的目录已经存在,请在该目录中增加事项", field="year")
    catalogue = m.Catalogue.objects.create(
        year=year, title=_text(title, field="title", label="目录名称", required=False, limit=200)
        or f"{year}年度重大行政决策事项目录", note=_text(note, field="note", label="说明", required=False))
    event_record(verb="decisions.catalogue_created", summary=f"编制{catalogue.title}", actor=actor, obj=catalogue)
    return catalogue


ITEM_FIELDS = {  # field -> label (for adjustments' before/after and messages)
    "title": "决策事项", "summary": "事项概要", "unit": "承办单位", "maker": "决策机关", "maker_head": "决策机关负责人",
    "planned": "计划决策时间", "professional": "专业性、技术性较强", "stability": "涉及社会稳定", "hearing": "拟举行听证",
}


def _item(data: dict) -> dict:
    from fazhi.org.models import Unit

    unit = data.get("unit")
    if not isinstance(unit, Unit):
        raise InvalidInput("请选择「承办单位」", field="unit")
    planned = data.get("planned")
    if not isinstance(planned, date):
        raise InvalidInput("请填写「计划决策时间」(YYYY-MM-DD)", field="planned")
    return {
        "title": _text(data.get("title"), field="title", label="决策事项", limit=TITLE_MAX),
        "summary": _text(data.get("summary"), field="summary", label="事项概要", required=False),
        "unit": unit,
        "maker": _text(data.get("maker"), field="maker", label="决策机关", limit=100),
        "maker_head": _text(data.get("maker_head"), field="maker_head", label="决策机关负责人", limit=100),
        "planned": planned,
        **{flag: bool(data.get(flag)) for flag in rules.FLAG_STEPS},
    }


def _shown(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "display_name", value))


def _reason(catalogue: m.Catalogue, reason: str, *, required: bool = False) -> str:
    reason = _text(reason, field="reason", label="调整理由", required=False)
    if not reason and (required or catalogue.published):
        raise InvalidInput("目录已公布,调整须说明「调整理由」" if catalogue.published else "请填写「调整理由」",
                           field="reason")
    return reason


@transaction.atomic
def decision_add(*, catalogue: m.Catalogue, data: dict, actor, reason: str = "", on: date | None = None) -> m.Decision:
    """An item into the catalogue (调入 once published: the reason is required); its procedure starts."""
    _office(actor)
    m.Catalogue.objects.select_for_update().filter(pk=catalogue.pk).first()  # serialise the numbering
    reason = _reason(catalogue, reason)
    fields = _item(data)
    seq = (catalogue.decisions.aggregate(s=Max("seq"))["s"] or 0) + 1
    decision = m.Decision.objects.create(catalogue=catalogue, seq=seq, **fields)
    procedure_services.run_start(obj=decision, unit=decision.unit, code=rules.PROCEDURE)
    m.Adjustment.objects.create(decision=decision, kind=m.ADD, reason=reason or "编制目录", actor=actor,
                                after_publication=catalogue.published, on=on or timezone.localdate())
    event_record(verb="decisions.item_added", summary=f"目录调入「{decision.title[:60]}」", actor=actor,
                 unit=decision.unit, obj=decision, reason=reason)
    return decision


def _listed(decision: m.Decision) -> None:
    if decision.status == m.REMOVED:
        raise InvalidInput("该事项已调出目录,不能再办理或修改", field="status")


@transaction.atomic
def decision_change(*, decision: m.Decision, data: dict, actor, reason: str, expected_version: int | None,
                    on: date | None = None) -> m.Decision:
    """Change an item (变更), with the reason once the catalogue is published; before → after kept."""
    _office(actor)
    _listed(decision)
    reason = _reason(decision.catalogue, reason)
    fields = _item(data)
    changes = {ITEM_FIELDS[k]: [_shown(getattr(decision, k)), _shown(v)] for k, v in fields.items()
               if getattr(decision, k) != v}
    if not changes:
        raise InvalidInput("没有修改任何内容", field="title")
    if decision.status not in (m.CATALOGUED, m.CONSULTING, m.REVIEWING, m.TO_DECIDE) and "承办单位" in changes:
        raise InvalidInput("已作出决定的事项不能变更承办单位", field="unit")
    decision = versioned_update(decision, expected_version=expected_version, changes=fields,
                                reason=reason or "编制目录时修改")
    m.Adjustment.objects.create(decision=decision, kind=m.CHANGE, reason=reason or "编制目录时修改", changes=changes,
                                actor=actor, after_publication=decision.catalogue.published,
                                on=on or timezone.localdate())
    event_record(verb="decisions.item_changed", summary=f"目录变更「{decision.title[:60]}」", actor=actor,
                 unit=decision.unit, obj=decision, reason=reason, data={"changes": changes})
    return decision


@transaction.atomic
def decision_remove(*, decision: m.Decision, actor, reason: str, expected_version: int | None,
                    on: date | None = None) -> m.Decision:
    """Take an item out of the catalogue (调出), always with the reason; not once decided."""
    _office(actor)
    _listed(decision)
    reason = _reason(decision.catalogue, reason, required=True)
    if decision.status not in (m.CATALOGUED, m.CONSULTING, m.REVIEWING, m.TO_DECIDE):
        raise InvalidInput(f"该事项已{decision.status_label},不能调出目录", field="status")
    decision = versioned_update(decision, expected_version=expected_version, changes={"status": m.REMOVED},
                                reason=reason)
    m.Adjustment.objects.create(decision=decision, kind=m.REMOVE, reason=reason, actor=actor,
                                after_publication=decision.catalogue.published, on=on or timezone.localdate())
    event_record(verb="decisions.item_removed", summary=f"目录调出「{decision.title[:60]}」", actor=actor,
                 unit=decision.unit, obj=decision, reason=reason)
    return decision


@transaction.atomic
def catalogue_publish(*, catalogue: m.Catalogue, actor, expected_version: int | None,
                      on: date | None = None) -> m.Catalogue:
    _office(actor)
    if catalogue.published:
        raise InvalidInput("目录已经公布;此后的调整逐项说明理由并随目录公开", field="status")
    if not catalogue.decisions.listed().exists():
        raise InvalidInput("目录中还没有事项,请先增加决策事项", field="status")
    on = on or timezone.localdate()
    catalogue = versioned_update(catalogue, expected_version=expected_version, reason="公布目录", changes={
        "status": m.CATALOGUE_PUBLISHED, "published_on": on, "published_by": actor})
    event_record(verb="decisions.catalogue_published", summary=f"公布{catalogue.title}", actor=actor, obj=catalogue)
    return catalogue


# ---------------------------------------------------------------- public consultation (公众参与)


@transaction.atomic
def consultation_open(*, decision: m.Decision, actor, title: str, text: str, starts_on, ends_on, summary: str = "",
                      shorter_reason: str = "", today: date | None = None):
    """The lead unit puts the draft decision to public comment (portal's consultation, decision.consult)."""
    from fazhi.portal import services as portal

    _listed(decision)
    if not rules.can_act(actor, decision):
        raise NotAllowed("只有承办单位或法制办可以公开征求意见")
    consultation = portal.consultation_open(
        target=decision, unit=decision.unit, title=title, text=text, rule_id=rules.CONSULT_RULE, starts_on=starts_on,
        ends_on=ends_on, actor=actor, summary=summary, shorter_reason=shorter_reason, today=today)
    status_refresh(decision)
    return consultation


# ---------------------------------------------------------------- procedure acts


def _run(decision: m.Decision):
    return procedure_selectors.run_for(decision, rules.PROCEDURE) or procedure_services.run_start(
        obj=decision, unit=decision.unit, code=rules.PROCEDURE)


def _consult_check(decision: m.Decision, today: date | None) -> None:
    from fazhi.portal import services as portal

    missing = portal.consultation_missing(portal.consultation_for(decision), today)
    if missing:
        raise Conflict(f"不能办理「公众参与」:{';'.join(missing)}(重大行政决策程序暂行条例 第15条)",
                       code="decision.consultation_incomplete")


def _hearing_check(decision: m.Decision, act) -> dict:
    from fazhi.deadlines.services import deadline_compute

    hearing_on = act.act_date or timezone.localdate()
    materials_on = act.extra.get("materials_on")
    if not isinstance(materials_on, date):
        raise InvalidInput("请填写「听证材料公布日期」", field="materials_on")
    latest = deadline_compute(rules.HEARING_RULE, hearing_on).due
    problem = rules.hearing_materials_refusal(hearing_on=hearing_on, materials_on=materials_on, latest=latest)
    if problem:
        raise InvalidInput(problem, field="materials_on")
    return {"hearing_on": hearing_on, "hearing_materials_on": materials_on}


def _legality_check(decision: m.Decision, act) -> dict:
    from fazhi.deadlines.services import deadline_compute

    sent_on = act.act_date or timezone.localdate()
    earliest = deadline_compute(rules.LEGALITY_RULE, sent_on).due
    reply_by = act.extra.get("reply_by") or earliest
    problem = rules.legality_reply_refusal(reply_by=reply_by, earliest=earliest)
    if problem:
        raise InvalidInput(problem, field="reply_by")
    return {"legality_sent_on": sent_on, "legality_reply_by": reply_by}


def _decide_check(decision: m.Decision, run, act) -> dict:
    # The gate first (its message names each missing step with its basis), then the catalogue's flags.
    procedure_services.step_gate(run, "decide")
    state = procedure_rules.run_state(procedure_selectors.run_specs(run), procedure_selectors.run_facts(run))
    flagged = rules.flagged_missing(decision, state.states, procedure_selectors.run_specs(run))
    if flagged:
        raise Conflict(f"不能办理「集体讨论决定」:{';'.join(flagged)}", code=procedure_services.STEP_MISSING)
    meeting = _text(act.extra.get("meeting"), field="meeting", label="决策会议", limit=200)
    conclusion = _text(act.extra.get("conclusion"), field="conclusion", label="决策机关负责人的决定")
    return {"meeting": meeting, "meeting_on": act.act_date or timezone.localdate(), "conclusion": conclusion}


def _publish_check(decision: m.Decision, act) -> dict:
    channel = _text(act.extra.get("channel"), field="channel", label="公布途径", limit=200)
    text = _text(act.extra.get("text"), field="text", label="公布内容", required=False)
    return {"published_on": act.act_date or timezone.localdate(), "publication_channel": channel,
            "publication_text": text or decision.conclusion}


@transaction.atomic
def step_perform(decision: m.Decision, act, actor):
    """procedures.actions' `perform` for decisions: this module's checks on some steps, then the
    procedure's own write (gate, roles, clocks), then the decision's status and kept facts."""
    from fazhi.procedures import actions

    decision = m.Decision.objects.select_for_update().get(pk=decision.pk)
    _listed(decision)
    run = _run(decision)
    kept: dict = {}
    if act.decide is None and act.not_applicable:
        problem = rules.not_applicable_refusal(decision, act.step)
        if problem:
            raise InvalidInput(problem, field="not_applicable")
    elif act.decide is None:
        if act.step == "consult":
            procedure_services.step_gate(run, "consult")
            _consult_check(decision, None)
        elif act.step == "hearing":
            kept = _hearing_check(decision, act)
        elif act.step == "legality_submit":
            kept = _legality_check(decision, act)
        elif act.step == "decide":
            kept = _decide_check(decision, run, act)
        elif act.step == "publish":
            kept = _publish_check(decision, act)
    record = actions.act_default(run=run, act=act, actor=actor)
    status_refresh(decision, kept=kept)
    return record


def status_refresh(decision: m.Decision, *, kept: dict | None = None) -> m.Decision:
    """Keep the decision's status (rules.status_of) and the facts of the act just done on the record."""
    from fazhi.portal import services as portal

    if decision.status == m.REMOVED:
        return decision
    run = _run(decision)
    specs = procedure_selectors.run_specs(run)
    state = procedure_rules.run_state(specs, procedure_selectors.run_facts(run))
    closed = state.closed_by.outcome if state.closed_by else ""
    status = rules.status_of(state.states, closed, consultation=portal.consultation_for(decision) is not None)
    changes = {**(kept or {}), "status": status}
    fresh = m.Decision.objects.select_for_update().get(pk=decision.pk)
    if all(getattr(fresh, k) == v for k, v in changes.items()):
        return fresh
    return versioned_update(fresh, expected_version=fresh.version, changes=changes)


# ---------------------------------------------------------------- accountability (谁决策，谁负责)


def _people(raw) -> list[dict]:
    if not isinstance(raw, list):
        raise InvalidInput("「责任人员」应为列表(每人姓名、职务)", field="people")
    people = []
    for i, p in enumerate(raw, 1):
        if not isinstance(p, dict):
            raise InvalidInput(f"「责任人员」第 {i} 项应为姓名和职务", field="people")
        name = _text(p.get("name"), field="people", label=f"责任人员第 {i} 人姓名", required=False, limit=40)
        post = _text(p.get("post"), field="people", label=f"责任人员第 {i} 人职务", required=False, limit=100)
        if name:
            people.append({"name": name, "post": post})
        elif post:
            raise InvalidInput(f"「责任人员」第 {i} 人缺少姓名", field="people")
    return people


@transaction.atomic
def accountability_open(*, decision: m.Decision, actor, grounds: list, facts: str, loss: str, people, units,
                        on: date | None = None) -> m.Accountability:
    if not rules.can_open_accountability(actor):
        raise NotAllowed("只有法制办或督查人员可以启动决策责任追究")
    grounds = [g for g in dict.fromkeys(grounds or []) if g]
    bad = [g for g in grounds if g not in m.GROUND_LABELS]
    if not grounds or bad:
        raise InvalidInput("请选择「情形」:超越权限、违反程序(可多选)", field="grounds")
    people = _people(people)
    units = list(units or [])
    if not people and not units:
        raise InvalidInput("请写明「责任人员」或选择「责任单位」(谁决策,谁负责)", field="people")
    record = m.Accountability.objects.create(
        decision=decision, unit=decision.unit, grounds=grounds, people=people,
        facts=_text(facts, field="facts", label="事实"), loss=_text(loss, field="loss", label="造成的损失"),
        opened_on=on or timezone.localdate(), opened_by=actor)
    record.units.set(units)
    event_record(verb="decisions.accountability_opened", summary=f"启动决策责任追究「{decision.title[:60]}」",
                 actor=actor, unit=decision.unit, obj=record, data={"grounds": grounds})
    return record


@transaction.atomic
def accountability_close(*, record: m.Accountability, actor, result: str, expected_version: int | None,
                         on: date | None = None) -> m.Accountability:
    if not rules.can_close_accountability(actor):
        raise NotAllowed("只有法制办可以办结决策责任追究")
    if record.status == m.ACC_CLOSED:
        raise InvalidInput("该责任追究已经办结", field="status")
    result = _text(result, field="result", label="处理结果")
    record = versioned_update(record, expected_version=expected_version, reason="办结", changes={
        "status": m.ACC_CLOSED, "result": result, "closed_on": on or timezone.localdate(), "closed_by": actor})
    event_record(verb="decisions.accountability_closed", summary=f"办结决策责任追究「{record.decision.title[:60]}」",
                 actor=actor, unit=record.unit, obj=record, reason=result)
    return record
