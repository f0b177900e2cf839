"""Writes of 行政许可, each in one transaction: the item register (create, versioned edit, publish, withdraw), the
case (register = 收件, versioned edit), the steps of the procedure `licence` (the router `perform`, called by the
step actions of pages and API) and the case acts outside the step chain (收到补正材料, 延长决定期限). Every clock
is a stored clock opened, paused, restarted, extended and closed here through deadlines.services; every period
comes from the catalogue through the engine."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from fazhi.core import cleaning
from fazhi.core.errors import Conflict, InvalidInput, NotAllowed, StaleEdit
from fazhi.core.numbering import number_take
from fazhi.core.services import event_record, versioned_update
from fazhi.deadlines import services as deadlines
from fazhi.deadlines.catalogue import get_rule
from fazhi.deadlines.models import Deadline
from fazhi.enforcement import deciding, review
from fazhi.enforcement.licence import rules
from fazhi.enforcement.licence.models import (
    APPLICANT_KINDS, CLOSED, CORRECTING, DECIDED, DENY, EXTEND, GRANT, HEARING_HELD, HEARING_KINDS, HEARING_NOTICE,
    HEARING_REQUEST, HEARING_REQUESTED, HEARING_RIGHT, ITEM_DRAFT, ITEM_PUBLISHED, ITEM_WITHDRAWN, MATERIALS_RECEIVED,
    NOT_ACCEPTED, OUTCOMES, RECEIVED, REVIEWING, WITHDRAW, WITHDRAWN, LicenceCase, LicenceCaseAct, LicenceItem,
)
from fazhi.enforcement.subjects import rules as subject_rules
from fazhi.enforcement.subjects.rules import subject_refusal
from fazhi.procedures import actions
from fazhi.procedures import services as procedures

CLOSED_CODE = "licence.closed"
WRONG_STATE = "licence.state"
REFUSED = "licence.refused"
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


# ---------------------------------------------------------------- shared checks


def _text(data: dict, field: str, label: str, *, limit: int, required: bool) -> str:
    return cleaning.text(data.get(field), field=field, label=label, limit=limit, required=required)


def _past_or_today(value, field: str, label: str) -> date:
    return cleaning.day(value, field=field, label=label, today=rules.today(), earliest=rules.EARLIEST_DATE)


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != obj.version:
        raise StaleEdit("该记录已有新的变更(他人已办理),您的操作未执行。请刷新页面后重新操作。")


def version_of(raw) -> int:
    """The `version` a write through the API must carry (the version the caller saw): missing or not a whole
    number → 400 naming it; the services compare it under the row lock (stale → 409)."""
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 10:
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < 2**31:
        raise InvalidInput("请提供「version」(所见记录的版本号,见记录的 version 字段),以免覆盖他人已办理的变更",
                           field="version")
    return raw


def check_case_version(case: LicenceCase, raw) -> None:
    """An act outside `perform`'s own check (a 不适用 request or decision through the API, which carries no step
    extras): the version is required and must be the record's current one (checked under lock)."""
    expected = version_of(raw)
    _check_version(LicenceCase.objects.select_for_update().only("id", "version").get(pk=case.pk), expected)


# ---------------------------------------------------------------- 许可事项


def _item_clean(data: dict) -> dict:
    from fazhi.enforcement.licence.models import BASIS_KINDS

    code = _text(data, "code", "事项编码", limit=40, required=True)
    if not CODE_RE.match(code):
        raise InvalidInput("「事项编码」只能由字母、数字、点、- 和 _ 组成(至多 40 个字符),如 XK-001", field="code")
    basis_kind = data.get("basis_kind") or ""
    if basis_kind not in dict(BASIS_KINDS):
        raise InvalidInput(rules.item_basis_problem(str(basis_kind), ""), field="basis_kind")
    c = {"code": code, "name": _text(data, "name", "事项名称", limit=200, required=True), "basis_kind": basis_kind,
         "basis": _text(data, "basis", "设定依据", limit=2000, required=True),
         "conditions": _text(data, "conditions", "许可条件", limit=5000, required=True),
         "quantity_limit": _text(data, "quantity_limit", "数量限制", limit=300, required=False),
         "procedure": _text(data, "procedure", "办理程序", limit=5000, required=True),
         "materials": _text(data, "materials", "申请材料目录", limit=5000, required=True),
         "fee_amount": _text(data, "fee_amount", "收费标准", limit=300, required=False),
         "fee_basis": _text(data, "fee_basis", "收费依据", limit=300, required=False)}
    problem = rules.item_basis_problem(basis_kind, c["basis"])
    if problem:
        raise InvalidInput(problem, field="basis")
    fee = data.get("fee_charged")
    if not isinstance(fee, bool):
        raise InvalidInput("「收费」应为 true 或 false", field="fee_charged")
    c["fee_charged"] = fee
    if fee and not c["fee_amount"]:
        raise InvalidInput("收费的,请填写「收费标准」", field="fee_amount")
    if fee and not c["fee_basis"]:
        raise InvalidInput(f"收费的,请填写「收费依据」(法律、行政法规的名称和条款;{rules.BASIS_FEE})", field="fee_basis")
    if not fee:
        c["fee_amount"] = c["fee_basis"] = ""
    promised = data.get("promised_days")
    statutory = get_rule(rules.CLOCK_RULES[rules.DECIDE]).period
    if promised in (None, ""):
        promised = None
    elif isinstance(promised, bool) or not isinstance(promised, int) or not 1 <= promised < statutory:
        raise InvalidInput(f"「承诺办理时限」应为 1 至 {statutory - 1} 个工作日(短于法定期限 {statutory} 个工作日,"
                           f"{get_rule(rules.CLOCK_RULES[rules.DECIDE]).basis});不承诺的留空", field="promised_days")
    c["promised_days"] = promised
    return c


def _item_subject(unit, subject_id):
    from fazhi.enforcement.subjects.models import EnforcementSubject

    if isinstance(subject_id, str) and subject_id.strip().isascii() and subject_id.strip().isdigit():
        subject_id = int(subject_id.strip())
    subject = (EnforcementSubject.objects.filter(pk=subject_id, unit=unit).first()
               if isinstance(subject_id, int) and not isinstance(subject_id, bool) else None)
    if subject is None:
        raise InvalidInput(f"请选择本单位({unit.display_name})的「实施主体」", field="subject")
    return subject


def _item_unit(actor, code):
    from fazhi.org.models import Unit

    code = code.strip() if isinstance(code, str) else ""
    unit = Unit.objects.visible_to(actor).filter(code__iexact=code, active=True).first() if code else None
    if unit is None:
        raise InvalidInput("请选择「实施单位」(单位代码,如 D01)", field="unit")
    if not rules.can_edit_item(actor, unit):
        raise NotAllowed("只有法制办或该单位的工作人员可以登记、修改本单位的许可事项")
    return unit


@transaction.atomic
def item_create(*, actor, data: dict) -> LicenceItem:
    unit = _item_unit(actor, data.get("unit"))
    subject = _item_subject(unit, data.get("subject"))
    fields = _item_clean(data)
    if LicenceItem.objects.filter(unit=unit, code=fields["code"]).exists():
        raise InvalidInput(f"本单位已有编码为 {fields['code']} 的许可事项,请换一个编码", field="code")
    item = LicenceItem.objects.create(unit=unit, subject=subject, created_by=actor, **fields)
    event_record(verb="licence.item_created", summary=f"登记许可事项 {item}", actor=actor, unit=unit, obj=item)
    return item


@transaction.atomic
def item_update(*, item: LicenceItem, actor, data: dict, expected_version: int | None) -> LicenceItem:
    """修改 (versioned: a stale edit is refused); a withdrawn item is kept as it was."""
    if not rules.can_edit_item(actor, item.unit):
        raise NotAllowed("只有法制办或该单位的工作人员可以修改本单位的许可事项")
    if item.status == ITEM_WITHDRAWN:
        raise Conflict("该许可事项已停止实施,不能修改", code=WRONG_STATE)
    if data.get("unit") not in (None, "", item.unit.code):
        raise InvalidInput("「实施单位」登记后不能更改", field="unit")
    fields = _item_clean(data)
    fields["subject"] = _item_subject(item.unit, data.get("subject"))
    if LicenceItem.objects.filter(unit=item.unit, code=fields["code"]).exclude(pk=item.pk).exists():
        raise InvalidInput(f"本单位已有编码为 {fields['code']} 的许可事项,请换一个编码", field="code")
    return versioned_update(item, expected_version=expected_version, changes=fields, reason="修改许可事项")


@transaction.atomic
def item_publish(*, item: LicenceItem, actor, on: date, expected_version: int | None) -> LicenceItem:
    """公布 (许可公示, 第30条): a draft item goes on the public list; its subject must be able to act that day."""
    if not rules.can_edit_item(actor, item.unit):
        raise NotAllowed("只有法制办或该单位的工作人员可以公布本单位的许可事项")
    _check_version(item, expected_version)
    if item.status != ITEM_DRAFT:
        raise Conflict(f"该许可事项{item.get_status_display()},只有草稿可以公布", code=WRONG_STATE)
    on = _past_or_today(on, "on", "公布日期")
    refusal = subject_refusal(item.subject, on)
    if refusal:
        raise Conflict(refusal, code=REFUSED, field="subject")
    item = versioned_update(item, expected_version=item.version, changes={"status": ITEM_PUBLISHED, "published_on": on},
                            reason="公布许可事项")
    event_record(verb="licence.item_published", summary=f"公布许可事项 {item}", actor=actor, unit=item.unit, obj=item)
    return item


@transaction.atomic
def item_withdraw(*, item: LicenceItem, actor, on: date, reason: str, expected_version: int | None) -> LicenceItem:
    """停止实施 (e.g. the law that set it was repealed): no new application; open cases continue."""
    if not rules.can_edit_item(actor, item.unit):
        raise NotAllowed("只有法制办或该单位的工作人员可以停止实施本单位的许可事项")
    _check_version(item, expected_version)
    if item.status != ITEM_PUBLISHED:
        raise Conflict(f"该许可事项{item.get_status_display()},只有已公布的事项可以停止实施", code=WRONG_STATE)
    on = _past_or_today(on, "on", "停止实施日期")
    if on < item.published_on:
        raise InvalidInput(f"「停止实施日期」不能早于公布日期 {item.published_on.isoformat()}", field="on")
    reason = _text({"reason": reason}, "reason", "停止实施原因", limit=2000, required=True)
    item = versioned_update(item, expected_version=item.version, reason=f"停止实施:{reason}",
                            changes={"status": ITEM_WITHDRAWN, "withdrawn_on": on, "withdraw_reason": reason})
    event_record(verb="licence.item_withdrawn", summary=f"停止实施许可事项 {item}", actor=actor, unit=item.unit,
                 obj=item, reason=reason)
    return item


ITEM_ACTS = {"publish": item_publish, "withdraw": item_withdraw}


# ---------------------------------------------------------------- clocks of a case


def clock(case: LicenceCase, purpose: str) -> Deadline | None:
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(LicenceCase),
                                   object_id=str(case.pk), purpose=rules.clock_purpose(purpose)).first()


def _open_clock(case, purpose: str, start: date, actor) -> Deadline:
    return deadlines.deadline_open(obj=case, unit=case.unit, purpose=rules.clock_purpose(purpose),
                                   rule_id=rules.CLOCK_RULES[purpose], start=start, actor=actor)


def _close_clock(case, purpose: str, on: date, actor, *, met: bool = True, reason: str = "") -> Deadline | None:
    found = clock(case, purpose)
    if found is None or found.status != Deadline.OPEN:
        return found
    if found.paused_since is not None:  # closing a paused clock: it counts again from the closing day
        found = deadlines.deadline_resume(deadline=found, on=max(on, found.paused_since), actor=actor)
    return deadlines.deadline_close(deadline=found, met=met, on=max(on, found.start), actor=actor, reason=reason)


def _act_record(case, kind: str, on: date, actor, *, note: str = "", data: dict | None = None):
    return LicenceCaseAct.objects.create(case=case, unit=case.unit, kind=kind, on=on, note=note, data=data or {},
                                         actor=actor)


# ---------------------------------------------------------------- the case


def case_run(case: LicenceCase):
    return procedures.run_start(obj=case, unit=case.unit, code=rules.PROCEDURE)


def _locked(case: LicenceCase) -> LicenceCase:
    return LicenceCase.objects.select_for_update().select_related("unit", "item", "subject").get(pk=case.pk)


def _update(case: LicenceCase, changes: dict, reason: str = "") -> LicenceCase:
    case = _locked(case)
    return versioned_update(case, expected_version=case.version, changes=changes, reason=reason)


def _case_clean(data: dict) -> dict:
    kind = data.get("applicant_kind") or "legal_person"
    if kind not in dict(APPLICANT_KINDS):
        raise InvalidInput("「申请人类型」应为 " + "、".join(f"{k}({v})" for k, v in APPLICANT_KINDS), field="applicant_kind")
    return {"applicant_name": _text(data, "applicant_name", "申请人", limit=100, required=True),
            "applicant_kind": kind,
            "applicant_code": _text(data, "applicant_code", "证件号码或统一社会信用代码", limit=40, required=False),
            "applicant_contact": _text(data, "applicant_contact", "联系方式", limit=100, required=False),
            "matter": _text(data, "matter", "申请事项", limit=5000, required=True),
            "received_on": _past_or_today(data.get("received_on"), "received_on", "收到申请材料日期")}


def _case_item(actor, item_id) -> LicenceItem:
    if isinstance(item_id, str) and item_id.strip().isascii() and item_id.strip().isdigit():
        item_id = int(item_id.strip())
    item = (LicenceItem.objects.visible_to(actor).select_related("unit", "subject").filter(pk=item_id).first()
            if isinstance(item_id, int) and not isinstance(item_id, bool) and 0 < item_id < 2**63 else None)
    if item is None:
        raise InvalidInput(rules.item_refusal(None, rules.today()), field="item")
    return item


@transaction.atomic
def case_create(*, actor, data: dict) -> LicenceCase:
    """收件: the unit registers an application for a published item of its own, through a subject that may act
    on the day of receipt; the number is taken in this transaction, the run starts with 收件 done, and the
    `licence.notify_incomplete` clock runs from the receipt."""
    item = _case_item(actor, data.get("item"))
    if not rules.can_act(actor, item.unit):
        raise NotAllowed("只有该许可事项的实施单位(或法制办)可以登记许可申请")
    fields = _case_clean(data)
    refusal = rules.item_refusal(item, fields["received_on"])
    if refusal:
        raise Conflict(refusal, code=REFUSED, field="item")
    refusal = subject_refusal(item.subject, fields["received_on"])
    if refusal:
        raise Conflict(refusal, code=REFUSED, field="item")
    year = fields["received_on"].year
    seq = number_take(series=rules.number_series(item.unit), year=year)
    case = LicenceCase.objects.create(unit=item.unit, item=item, subject=item.subject, number_year=year,
                                      number_seq=seq, number=rules.case_number(item.unit, year, seq),
                                      created_by=actor, **fields)
    run = case_run(case)
    procedures.step_complete(run=run, step="receive", actor=actor, note="登记收件", act_date=case.received_on)
    _open_clock(case, rules.NOTIFY, case.received_on, actor)
    event_record(verb="licence.received", summary=f"收到行政许可申请 {case.number}", actor=actor, unit=case.unit,
                 obj=case)
    return case


@transaction.atomic
def case_update(*, case: LicenceCase, actor, data: dict, expected_version: int | None) -> LicenceCase:
    """修改申请信息 (versioned). The receipt date, which started the clocks, is fixed once acceptance is decided."""
    if not rules.can_act(actor, case.unit):
        raise NotAllowed("只有该案件的实施单位(或法制办)可以修改申请信息")
    if not rules.is_open(case):
        raise Conflict("案件已办结,不能修改", code=CLOSED_CODE)
    if data.get("item") not in (None, "", case.item_id, str(case.item_id)):
        raise InvalidInput("「许可事项」登记后不能更改;登记错误的,请不予受理并重新登记", field="item")
    fields = _case_clean(data)
    if fields["received_on"] != case.received_on:
        notify = clock(case, rules.NOTIFY)
        if case.status != RECEIVED or case.correction_notice_on or notify is None or notify.events.count() > 1:
            raise InvalidInput("受理审查已有进展,「收到申请材料日期」不能再修改", field="received_on")
        refusal = rules.item_refusal(case.item, fields["received_on"]) or subject_refusal(case.subject, fields["received_on"])
        if refusal:
            raise Conflict(refusal, code=REFUSED, field="received_on")
    changed = fields["received_on"] != case.received_on
    case = versioned_update(case, expected_version=expected_version, changes=fields, reason="修改申请信息")
    if changed:
        _open_clock(case, rules.NOTIFY, case.received_on, actor)
    return case


# ---------------------------------------------------------------- the steps (procedure `licence`)


def step_refusal(case, step: str) -> str | None:
    return rules.step_refusal(case, step)


def _refuse_state(case, step: str) -> None:
    refusal = rules.step_refusal(case, step)
    if refusal:
        raise Conflict(refusal, code=WRONG_STATE, field="step")


@transaction.atomic
def perform(case: LicenceCase, act, actor):
    """The router of the step actions: each step's own checks and writes, with the clocks, in one transaction."""
    case = _locked(case)
    if not rules.is_open(case):
        raise Conflict(f"案件{case.get_status_display()},已办结,不能再办理", code=CLOSED_CODE)
    run = case_run(case)
    if act.decide is not None or act.not_applicable:
        if act.not_applicable and act.step == "certificate" and case.outcome == GRANT:
            raise Conflict(f"准予许可的须颁发许可证件,「发证」不能标记不适用({rules.BASIS_CERTIFICATE})",
                           code=WRONG_STATE, field="not_applicable")
        return actions.act_default(run=run, act=act, actor=actor)
    procedures.step_gate(run, act.step)  # the order first: a missing step is named before any field
    if act.step == "receive":
        raise Conflict("「收件」已在登记申请时完成", code=WRONG_STATE, field="step")
    _check_version(case, version_of((act.extra or {}).get("version")))  # page and API: the version the actor saw
    handler = {"accept": _accept, "review": _review, "legal_review": _legal_review, "decide": _decide,
               "certificate": _certificate, "close": _close}[act.step]
    _refuse_state(case, act.step)
    return handler(case, run, act, actor)


def _complete(run, act, actor, *, outcome=None, note=None):
    return procedures.step_complete(run=run, step=act.step, actor=actor,
                                    outcome=act.outcome if outcome is None else outcome,
                                    note=act.note if note is None else note, files=act.files, act_date=act.act_date)


def _on(case, act, start: date, label: str) -> date:
    on = act.act_date or rules.today()
    if on < start:
        raise InvalidInput(f"「办理日期」不能早于{label} {start.isoformat()}", field="date")
    return on


def _major(case, run) -> dict:
    """重大执法决定: judged once, at acceptance, by the unit's catalogue line in force that day for the item applied
    for (review.py); the line is kept on the case, so a later catalogue edit does not change it. A run started on a
    definition without `legal_review` (before the step existed) could never pass the review the judgment would
    require: it is left unjudged (major None), and the page says so (rules.major_unjudged_text)."""
    if not rules.run_has_legal_review(run):
        return {"major": None, "major_entry": None, "major_entry_title": ""}
    entry = subject_rules.major_entry(case.unit_id, "licence", measures=rules.major_measures(case), amount=None)
    return review.major_fields(entry)


def _officer_ids(values, field: str, label: str) -> list[int]:
    if values in (None, ""):
        values = []
    if isinstance(values, str):
        values = [v for v in re.split(r"[,,、\s]+", values) if v]
    if not isinstance(values, list | tuple):
        values = [values]
    ids = []
    for v in values:
        if isinstance(v, str) and v.strip().isascii() and v.strip().isdigit() and len(v.strip()) <= 18:
            v = int(v.strip())
        if isinstance(v, bool) or not isinstance(v, int) or not 0 < v < 2**63:
            raise InvalidInput(f"「{label}」应为执法人员编号(本单位执法人员名单中的编号)", field=field)
        ids.append(v)
    return list(dict.fromkeys(ids))


def _unit_officers(case, ids: list[int], field: str, label: str) -> list:
    from fazhi.enforcement.subjects.models import Officer

    found = {o.pk: o for o in Officer.objects.filter(pk__in=ids, unit=case.unit).prefetch_related("certificates")}
    for pk in ids:
        if pk not in found:
            raise InvalidInput(f"「{label}」编号 {pk} 不是本单位({case.unit.display_name})的执法人员", field=field)
        if not found[pk].active:
            raise InvalidInput(f"「{label}」执法人员「{found[pk].name}」已不在岗", field=field)
    return [found[pk] for pk in ids]


def _inspection_officers(case, values, on: date) -> list[dict]:
    """现场核查: at least two officers of the case's unit, each holding a certificate valid on the day (第34条第3款,
    持证) — subjects.rules.officers_refusal, the same rule as a penalty's investigation. Kept as picked, with the
    certificate number of the day."""
    officers = _unit_officers(case, _officer_ids(values, "inspection_officers", "核查人员"), "inspection_officers", "核查人员")
    refusal = subject_rules.officers_refusal(officers, on)
    if refusal:
        if len(officers) < subject_rules.MIN_OFFICERS:
            refusal = (f"现场核查应当指派两名以上持有有效执法证件的工作人员进行,现选 {len(officers)} 名"
                       f"(依据:{rules.BASIS_INSPECTION})")
        raise InvalidInput(refusal, field="inspection_officers")
    return [{"id": o.pk, "name": o.name, "certificate": subject_rules.valid_certificate(o.certificates.all(), on).number}
            for o in officers]


def _accept(case, run, act, actor):
    start = case.correction_received_on or case.received_on
    on = _on(case, act, start, "收到补正材料之日" if case.correction_received_on else "收到申请材料之日")
    notify = clock(case, rules.NOTIFY)
    if act.outcome == "correction":
        if case.correction_notice_on is not None:
            raise Conflict(f"已于 {case.correction_notice_on.isoformat()} 告知补正:需补正的全部内容应一次告知"
                           f"({rules.BASIS_ONCE}),不能再次告知,请作出受理或不予受理", code=WRONG_STATE, field="outcome")
        effect = rules.correction_effect(received_on=case.received_on, notice_on=on, notify_due=notify.due)
        materials = act.note.strip()
        if not effect.late:
            record = _complete(run, act, actor)
            deadlines.deadline_pause(deadline=notify, on=on, reason="一次告知申请人补正全部内容(第32条)", actor=actor)
            _update(case, {"status": CORRECTING, "correction_notice_on": on, "correction_materials": materials,
                           "correction_notice_late": False}, reason="告知补正")
        else:
            # 第32条: deemed accepted from the receipt; the step counts as 受理 and the decision clock runs from then.
            record = _complete(run, act, actor, outcome="accept", note=f"{effect.text}。补正告知内容:{materials}")
            deadlines.deadline_close(deadline=notify, on=on, actor=actor, reason="逾期告知补正,视为受理")
            _open_clock(case, rules.DECIDE, case.received_on, actor)
            _update(case, {"status": REVIEWING, "correction_notice_on": on, "correction_materials": materials,
                           "correction_notice_late": True, "deemed_accepted": True, "accepted_on": case.received_on,
                           **_major(case, run)}, reason="逾期告知补正,依第32条视为受理")
        event_record(verb="licence.correction_notified", summary=f"{case.number} 告知补正" + ("(逾期,视为受理)" if effect.late else ""),
                     actor=actor, unit=case.unit, obj=case, reason=materials)
        return record
    if act.outcome == "accept":
        record = _complete(run, act, actor)
        _close_clock(case, rules.NOTIFY, on, actor)
        _open_clock(case, rules.DECIDE, on, actor)
        major = _major(case, run)
        _update(case, {"status": REVIEWING, "accepted_on": on, **major},
                reason="受理" + ("(所用办理流程版本无法制审核步骤,未作重大执法决定认定)" if major["major"] is None else ""))
        event_record(verb="licence.accepted", summary=f"{case.number} 受理", actor=actor, unit=case.unit, obj=case)
        return record
    if act.outcome == "reject":
        if not act.note.strip():
            raise InvalidInput("不予受理须在「说明」中写明理由(如不属于本机关职权范围、依法不需要取得行政许可,第32条)",
                               field="note")
        record = _complete(run, act, actor)
        _close_clock(case, rules.NOTIFY, on, actor)
        case = _update(case, {"status": NOT_ACCEPTED, "not_accepted_reason": act.note.strip(), "closed_on": on},
                       reason="不予受理")
        from fazhi.enforcement.records.services import records_sync

        records_sync(case)  # the ended case's RecordCheck, as at 办结
        event_record(verb="licence.not_accepted", summary=f"{case.number} 不予受理", actor=actor, unit=case.unit,
                     obj=case, reason=act.note)
        return record
    return _complete(run, act, actor)  # the gate refuses an unknown outcome, naming the choices


def _review(case, run, act, actor):
    extra = act.extra or {}
    on = _on(case, act, case.accepted_on, "受理日期")
    inspected = extra.get("inspected") == "yes"
    changes = {"reviewed_on": on, "inspected": inspected}
    if inspected:
        inspection_on = extra.get("inspection_on")
        if not isinstance(inspection_on, date) or not case.accepted_on <= inspection_on <= on:
            raise InvalidInput(f"现场核查的,请填写「核查日期」(受理日期 {case.accepted_on.isoformat()} 至审查办理日期之间)",
                               field="inspection_on")
        place = (extra.get("inspection_place") or "").strip()
        if not place:
            raise InvalidInput("现场核查的,请填写「核查地点」", field="inspection_place")
        officers = _inspection_officers(case, extra.get("inspection_officers"), inspection_on)
        changes.update(inspection_on=inspection_on, inspection_place=place[:200],
                       inspection_officers="、".join(o["name"] for o in officers)[:200],
                       inspection_officer_data=officers)
    elif extra.get("inspected") not in ("no", "", None):
        raise InvalidInput("「现场核查」应为 yes(已核查)或 no(未核查)", field="inspected")
    record = _complete(run, act, actor)
    _update(case, changes, reason="审查" + ("(含现场核查)" if inspected else ""))
    return record


def _legal_review(case, run, act, actor):
    """法制审核 of a major licence decision: the office's reviewer, with the written opinion attached (the step's
    required attachment), through review.py — the same rule as a penalty's."""
    on = _on(case, act, case.reviewed_on or case.accepted_on, "审查完成日期")
    refusal = review.review_refusal(case, actor, on=on, outcome=act.outcome, opinion=act.note)
    if refusal:
        field = "outcome" if act.outcome not in (review.PASS, review.RETURN) else "note"
        raise (NotAllowed(refusal) if not review.may_review(actor) else InvalidInput(refusal, field=field))
    record = _complete(run, act, actor)
    _update(case, review.review_fields(actor, on=on, outcome=act.outcome, opinion=act.note.strip()[:5000]),
            reason="法制审核" + ("通过" if act.outcome == review.PASS else "退回修改"))
    event_record(verb="licence.legal_reviewed", summary=f"{case.number} 法制审核" + (
        "通过" if act.outcome == review.PASS else "退回修改"), actor=actor, unit=case.unit, obj=case)
    return record


def _decide(case, run, act, actor):
    if act.outcome not in dict(OUTCOMES):
        raise InvalidInput("请选择许可「结果」:" + "、".join(f"{k}({v})" for k, v in OUTCOMES), field="outcome")
    extra = act.extra or {}
    reason = (extra.get("reason") or "").strip()
    if act.outcome == DENY and not reason:
        raise InvalidInput(f"不予许可的,请填写「决定理由」({rules.BASIS_DENY})", field="reason")
    on = _on(case, act, case.reviewed_on or case.accepted_on, "审查完成日期")
    refusal = review.decide_refusal(case, actor, on)
    if refusal:
        raise Conflict(refusal, code=REFUSED, field="step")
    request_clock = clock(case, rules.HEARING_REQUEST)
    refusal = rules.hearing_decide_refusal(
        case, on, request_clock.due if request_clock is not None and request_clock.status == Deadline.OPEN else None)
    if refusal:
        raise Conflict(refusal, code=REFUSED, field="step")
    late_reason = (extra.get("late_reason") or "").strip()[:300]
    decide_clock = clock(case, rules.DECIDE)
    due = decide_clock.due if decide_clock is not None and decide_clock.status == Deadline.OPEN else None
    refusal = deciding.late_refusal(due=due, on=on, reason=late_reason, period="行政许可决定期限",
                                    basis=rules.BASIS_DECIDE)
    if refusal:
        raise InvalidInput(refusal, field="late_reason")
    record = _complete(run, act, actor)
    closed = _close_clock(case, rules.DECIDE, on, actor, reason=late_reason)
    _close_clock(case, rules.HEARING_REQUEST, on, actor, met=False, reason="申请人、利害关系人未在期限内申请听证")
    seq = number_take(series=rules.number_series(case.unit, "decision"), year=on.year)
    late = bool(closed.late) if closed else None
    changes = {"status": DECIDED, "outcome": act.outcome, "decided_on": on,
               "decision_number": rules.decision_number(case.unit, on.year, seq), "decided_by": actor,
               "decision_reason": reason[:5000], "decision_late": late, "late_reason": late_reason if late else "",
               "remedy_notice": rules.remedy_text(case) if act.outcome == DENY else ""}
    case = _update(case, changes, reason=f"许可决定:{dict(OUTCOMES)[act.outcome]}"
                   + (f"(超过决定期限:{late_reason})" if late else ""))
    if act.outcome == GRANT:
        _open_clock(case, rules.CERTIFICATE, on, actor)
        _publication_due(case, actor)
    event_record(verb="licence.decided", summary=f"{case.number} {dict(OUTCOMES)[act.outcome]}"
                 + ("(超过决定期限)" if closed and closed.late else ""), actor=actor, unit=case.unit, obj=case)
    return record


def _publication_due(case, actor) -> None:
    """第40条: a grant is made public (licence.publicize), in the decision's transaction. A denial concerns the
    applicant alone and is served on them, not published."""
    from fazhi.enforcement.publication.services import publication_due

    publication_due(case, rule=rules.PUBLICIZE_RULE, decided_on=case.decided_on,
                    title=f"准予行政许可决定:{case.item.name}", document_number=case.decision_number,
                    party=case.applicant_name, party_kind=case.applicant_kind,
                    summary=f"{case.applicant_name}申请{case.item.name}({case.matter[:200]}),经审查符合法定条件、标准,"
                            f"依法作出准予行政许可决定(设定依据:{case.item.basis[:200]})。", actor=actor)


def _certificate(case, run, act, actor):
    extra = act.extra or {}
    on = _on(case, act, case.decided_on, "决定日期")
    number = (extra.get("certificate_number") or "").strip()
    if not number:
        raise InvalidInput("请填写「许可证件编号」", field="certificate_number")
    valid_from, valid_until = extra.get("valid_from"), extra.get("valid_until")
    if not isinstance(valid_from, date):
        raise InvalidInput("请填写证件「有效期自」(YYYY-MM-DD)", field="valid_from")
    if valid_until is not None and valid_until <= valid_from:
        raise InvalidInput("证件「有效期至」应晚于「有效期自」;长期有效的留空", field="valid_until")
    record = _complete(run, act, actor)
    closed = _close_clock(case, rules.CERTIFICATE, on, actor)
    _update(case, {"certificate_number": number[:60], "certificate_issued_on": on, "certificate_valid_from": valid_from,
                   "certificate_valid_until": valid_until, "certificate_late": bool(closed.late) if closed else None},
            reason="颁发、送达许可证件" + ("(逾期)" if closed and closed.late else ""))
    return record


def _close(case, run, act, actor):
    from fazhi.enforcement.records.rules import close_refusal

    refusal = close_refusal(case)
    if refusal:
        raise Conflict(refusal, code="records.missing", field="step")
    on = _on(case, act, case.certificate_issued_on or case.decided_on, "决定或发证日期")
    record = _complete(run, act, actor)
    case = _update(case, {"status": CLOSED, "closed_on": on}, reason="办结")
    from fazhi.enforcement.records.services import records_sync

    records_sync(case)  # the closed case's RecordCheck (enforcement.records_complete counts it)
    event_record(verb="licence.closed", summary=f"{case.number} 办结", actor=actor, unit=case.unit, obj=case)
    return record


# ---------------------------------------------------------------- case acts outside the step chain


def _begin(case, actor, expected_version, allowed, refusal: str) -> LicenceCase:
    if not rules.can_act(actor, case.unit):
        raise NotAllowed("只有该案件的实施单位(或法制办)可以办理此事项")
    case = _locked(case)
    _check_version(case, expected_version)
    if not allowed(case):
        raise Conflict(refusal.format(status=case.get_status_display()), code=WRONG_STATE)
    return case


@transaction.atomic
def materials_received(*, case, actor, on: date, expected_version: int | None = None) -> LicenceCase:
    """收到补正材料: the acceptance review counts anew from this day (its clock restarts). After a late notice the
    case is already deemed accepted: the arrival is recorded, the decision clock is not touched."""
    case = _begin(case, actor, expected_version, rules.may_materials_received,
                  "案件{status}:只有告知补正后尚未收到补正材料的案件才能登记收到补正材料")
    on = _past_or_today(on, "on", "收到补正材料日期")
    if on < case.correction_notice_on:
        raise InvalidInput(f"「收到补正材料日期」不能早于补正告知日期 {case.correction_notice_on.isoformat()}", field="on")
    changes = {"correction_received_on": on}
    if case.status == CORRECTING:
        notify = clock(case, rules.NOTIFY)
        deadlines.deadline_restart(deadline=notify, on=on, reason="收到补正材料,受理审查重新起算", actor=actor)
        changes["status"] = RECEIVED
    _act_record(case, MATERIALS_RECEIVED, on, actor)
    return _update(case, changes, reason="收到补正材料")


@transaction.atomic
def extend(*, case, actor, days, approver: str, basis: str, notified_on: date,
           expected_version: int | None = None) -> LicenceCase:
    """延长决定期限 once (第42条), approved by the organ's head (本机关负责人, named), the reason told to the
    applicant; the engine caps the days (`licence.extend`) and refuses more."""
    case = _begin(case, actor, expected_version, rules.may_extend,
                  "案件{status}:决定期限只能在受理后、作出决定前延长一次(第42条)")
    notified_on = _past_or_today(notified_on, "notified_on", "告知申请人延长理由日期")
    decide = clock(case, rules.DECIDE)
    if notified_on > decide.due:
        raise InvalidInput(f"决定期限已于 {decide.due.isoformat()} 届满:延长应在期限届满前经负责人批准并告知申请人",
                           field="notified_on")
    if notified_on < decide.start:
        raise InvalidInput(f"「告知申请人延长理由日期」不能早于受理日期 {decide.start.isoformat()}", field="notified_on")
    try:
        deadlines.deadline_extend(deadline=decide, days=days, approver=approver, basis=basis, on=notified_on, actor=actor)
    except InvalidInput as e:
        raise InvalidInput(e.message, field={"extend": "days", "on": "notified_on"}.get(e.field, e.field)) from None
    _act_record(case, EXTEND, notified_on, actor, note=basis.strip(), data={"days": days, "approver": approver.strip()})
    event_record(verb="licence.extended", summary=f"{case.number} 延长决定期限 {days} 个工作日", actor=actor,
                 unit=case.unit, obj=case)
    return _update(case, {"extended": True}, reason=f"延长决定期限 {days} 个工作日(批准人 {approver.strip()})")


def _case_clocks_open(case):
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(LicenceCase), object_id=str(case.pk),
                                   status=Deadline.OPEN).order_by("id")


@transaction.atomic
def withdraw(*, case, actor, on: date, reason: str, expected_version: int | None = None) -> LicenceCase:
    """申请人撤回申请 before the decision: the case ends (status withdrawn) and every open clock of it stops — not
    met, not late (deadline_close met=False: 撤销). After a decision the applicant cannot withdraw."""
    case = _begin(case, actor, expected_version, rules.may_withdraw,
                  "案件{status}:只有作出决定前的申请才能撤回(" + rules.BASIS_WITHDRAW + ")")
    on = _past_or_today(on, "on", "撤回申请日期")
    if on < case.received_on:
        raise InvalidInput(f"「撤回申请日期」不能早于收到申请材料日期 {case.received_on.isoformat()}", field="on")
    reason = _text({"reason": reason}, "reason", "撤回理由", limit=2000, required=True)
    for d in _case_clocks_open(case):  # a paused one too: the engine ends its pause on the closing day
        deadlines.deadline_close(deadline=d, met=False, on=max(on, d.start), actor=actor, reason=f"申请人撤回申请:{reason}"[:300])
    _act_record(case, WITHDRAW, on, actor, note=reason)
    event_record(verb="licence.withdrawn", summary=f"{case.number} 申请人撤回申请", actor=actor, unit=case.unit, obj=case,
                 reason=reason)
    case = _update(case, {"status": WITHDRAWN, "withdrawn_on": on, "withdraw_reason": reason, "closed_on": on},
                   reason=f"申请人撤回申请:{reason}")
    from fazhi.enforcement.records.services import records_sync

    records_sync(case)  # the ended case's RecordCheck, as at 办结 (its records are locked from now on)
    return case


# ---------------------------------------------------------------- 听证 (第45–48条)


def _not_before(on: date, start: date | None, field: str, label: str, before: str) -> None:
    if start is not None and on < start:
        raise InvalidInput(f"「{label}」不能早于{before} {start.isoformat()}", field=field)


@transaction.atomic
def hearing_right(*, case, actor, on: date, expected_version: int | None = None) -> LicenceCase:
    """告知听证权利 (第47条): the licence directly concerns major interests between the applicant and others; the
    applicant and interested parties may ask for a hearing within `licence.hearing_request` of being told."""
    case = _begin(case, actor, expected_version, rules.may_hearing_right,
                  "案件{status}:审查中、尚未告知听证权利且无听证的案件才能告知听证权利")
    on = _past_or_today(on, "on", "告知听证权利日期")
    _not_before(on, case.accepted_on, "on", "告知听证权利日期", "受理日期")
    _open_clock(case, rules.HEARING_REQUEST, on, actor)
    _act_record(case, HEARING_RIGHT, on, actor, note=rules.BASIS_HEARING_47)
    event_record(verb="licence.hearing_right", summary=f"{case.number} 告知听证权利", actor=actor, unit=case.unit, obj=case)
    return _update(case, {"hearing_right_on": on}, reason="告知申请人、利害关系人听证权利(第47条)")


def _pause_decide(case, on: date, actor, reason: str) -> str:
    """第45条: the hearing's time is not counted in the decision period — the decide clock stands still from the
    request (or the organ's own notice) until the hearing is held. A period already run out is not stopped: the
    hearing still goes ahead (the applicant's 第47条 right does not depend on the organ being on time) and the late
    decision gives its reason (deciding.late_refusal). Returns that note, or ""."""
    decide = clock(case, rules.DECIDE)
    if decide is None or decide.status != Deadline.OPEN or decide.paused_since is not None:
        return ""
    if decide.due is not None and on > decide.due:
        return (f"决定期限已于 {decide.due.isoformat()} 届满,听证所需时间不再中止计算({rules.BASIS_HEARING_TIME});"
                f"听证后作出的决定须说明超期理由")
    deadlines.deadline_pause(deadline=decide, on=max(on, decide.start), reason=reason, actor=actor)
    return ""


@transaction.atomic
def hearing_request(*, case, actor, on: date, requested_by: str, expected_version: int | None = None) -> LicenceCase:
    """收到听证申请 (第47条): within the 5 days of the notice of the right; the hearing is to be held within
    `licence.hearing` (20 days) and the decision period stands still meanwhile (第45条)."""
    case = _begin(case, actor, expected_version, rules.may_hearing_request,
                  "案件{status}:告知听证权利后、尚无听证申请的案件才能登记听证申请")
    on = _past_or_today(on, "on", "收到听证申请日期")
    _not_before(on, case.hearing_right_on, "on", "收到听证申请日期", "告知听证权利日期")
    requested_by = _text({"requested_by": requested_by}, "requested_by", "听证申请人", limit=200, required=True)
    request_clock = clock(case, rules.HEARING_REQUEST)
    if request_clock is not None and request_clock.status == Deadline.OPEN and on > request_clock.due:
        raise Conflict(f"听证申请期限已于 {request_clock.due.isoformat()} 届满,逾期申请的不予组织听证"
                       f"(依据:{rules.BASIS_HEARING_47})", code=REFUSED, field="on")
    _close_clock(case, rules.HEARING_REQUEST, on, actor)
    _open_clock(case, rules.HEARING, on, actor)
    late = _pause_decide(case, on, actor, "听证所需时间不计入决定期限(第45条):收到听证申请")
    _act_record(case, HEARING_REQUEST, on, actor, note=requested_by, data={"late": late} if late else None)
    event_record(verb="licence.hearing_requested", summary=f"{case.number} 收到听证申请", actor=actor, unit=case.unit,
                 obj=case)
    return _update(case, {"hearing_kind": HEARING_REQUESTED, "hearing_requested_on": on,
                          "hearing_requested_by": requested_by},
                   reason=f"收到听证申请({requested_by})" + (f";{late}" if late else ""))


@transaction.atomic
def hearing_notice(*, case, actor, on: date, hearing_on: date, place: str, host, kind: str = "",
                   expected_version: int | None = None) -> LicenceCase:
    """通知听证 (第48条): the time and place told to the applicant and interested parties at least
    `licence.hearing_notice` (7 days) before the hearing; the host an officer of the unit who did not review the
    application (not one of its 现场核查 officers). Without a request it is the organ's own hearing (第46条: `kind`
    statutory or public_interest), and the decision period stands still from the notice (第45条)."""
    case = _begin(case, actor, expected_version, rules.may_hearing_notice,
                  "案件{status}:审查中、尚未举行听证的案件才能通知听证")
    on = _past_or_today(on, "on", "听证通知日期")
    _not_before(on, case.hearing_requested_on or case.accepted_on, "on", "听证通知日期",
                "收到听证申请日期" if case.hearing_requested_on else "受理日期")
    if not isinstance(hearing_on, date):
        raise InvalidInput("请填写「听证日期」(YYYY-MM-DD)", field="hearing_on")
    latest = deadlines.deadline_compute(rules.HEARING_NOTICE_RULE, hearing_on).due
    if on > latest:
        raise InvalidInput(f"{hearing_on.isoformat()} 举行的听证最迟应于 {latest.isoformat()} 通知(举行听证的七日前,按第82条以工作日计算,"
                           f"依据:{rules.BASIS_HEARING_48}):请另定听证日期", field="hearing_on")
    hearing_clock = clock(case, rules.HEARING)
    if hearing_clock is not None and hearing_clock.status == Deadline.OPEN and hearing_on > hearing_clock.due:
        raise InvalidInput(f"应当在收到听证申请之日起二十日(工作日,第82条)内组织听证,即不晚于 {hearing_clock.due.isoformat()}"
                           f"(依据:{rules.BASIS_HEARING_47})", field="hearing_on")
    place = _text({"place": place}, "place", "听证地点", limit=200, required=True)
    host = _unit_officers(case, _officer_ids([host] if host not in (None, "") else [], "host", "听证主持人"),
                          "host", "听证主持人")
    if not host:
        raise InvalidInput("请选择「听证主持人」(本单位审查该申请的工作人员以外的执法人员)", field="host")
    host = host[0]
    refusal = rules.hearing_host_refusal(host, [o.get("id") for o in case.inspection_officer_data or []])
    if refusal:
        raise InvalidInput(refusal, field="host")
    changes = {"hearing_notice_on": on, "hearing_on": hearing_on, "hearing_place": place, "hearing_host": host,
               "hearing_host_name": host.name[:60]}
    if case.hearing_kind != HEARING_REQUESTED:
        if kind not in (k for k, _ in HEARING_KINDS if k != HEARING_REQUESTED):
            raise InvalidInput("请选择「听证事由」:statutory(法律、法规、规章规定应当听证)或 public_interest"
                               f"(涉及公共利益的重大许可事项;依据:{rules.BASIS_HEARING_46})", field="kind")
        if case.hearing_right_on is not None:
            _close_clock(case, rules.HEARING_REQUEST, on, actor, met=False, reason="本机关决定依第46条举行听证")
        changes["hearing_kind"] = kind
        late = _pause_decide(case, on, actor, "听证所需时间不计入决定期限(第45条):本机关决定举行听证")
    else:
        late = ""
    _act_record(case, HEARING_NOTICE, on, actor, note=place,
                data={"hearing_on": hearing_on.isoformat(), "host": host.pk, "host_name": host.name,
                      **({"late": late} if late else {})})
    event_record(verb="licence.hearing_notified", summary=f"{case.number} 通知 {hearing_on.isoformat()} 举行听证",
                 actor=actor, unit=case.unit, obj=case)
    return _update(case, changes, reason=f"通知听证:{hearing_on.isoformat()} {place},主持人 {host.name}")


@transaction.atomic
def hearing_held(*, case, actor, on: date, record: str, expected_version: int | None = None) -> LicenceCase:
    """举行听证: its record (听证笔录, the basis of the decision, 第48条第2款); the decision period counts again from
    the next day, and the `licence.hearing` clock closes on time or late."""
    case = _begin(case, actor, expected_version, rules.may_hearing_held, "案件{status}:通知听证后、尚未举行听证的案件才能登记举行听证")
    on = _past_or_today(on, "on", "举行听证日期")
    _not_before(on, case.hearing_notice_on, "on", "举行听证日期", "听证通知日期")
    record = _text({"record": record}, "record", "听证笔录要点", limit=5000, required=True)
    _close_clock(case, rules.HEARING, on, actor)
    decide = clock(case, rules.DECIDE)
    if decide is not None and decide.status == Deadline.OPEN and decide.paused_since is not None:
        deadlines.deadline_resume(deadline=decide, on=max(on + timedelta(days=1), decide.paused_since + timedelta(days=1)),
                                  actor=actor)
    _act_record(case, HEARING_HELD, on, actor, note=record)
    event_record(verb="licence.hearing_held", summary=f"{case.number} 举行听证", actor=actor, unit=case.unit, obj=case)
    return _update(case, {"hearing_held_on": on, "hearing_record": record}, reason="举行听证")


CASE_ACTS = {"materials_received": materials_received, "extend": extend, "withdraw": withdraw,
             "hearing_right": hearing_right, "hearing_request": hearing_request, "hearing_notice": hearing_notice,
             "hearing_held": hearing_held}
