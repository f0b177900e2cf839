"""Writes of fault accountability, each in one transaction: open a record on a case, decide the sanction, record
the state compensation paid (amount, date, document), void with a reason. Stale forms are refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fazhi.core import cleaning
from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.services import attachments_add, event_record, versioned_update
from fazhi.enforcement.fault import rules
from fazhi.enforcement.fault.models import (DECIDED, FAULT_KIND_LABELS, OPEN, RESPONSIBILITY_LABELS,
                                            SANCTION_LABELS, SOURCE_LABELS, FaultRecord)

MAX_AMOUNT = Decimal("999999999999.99")


def _choice(value, choices: dict, field: str, label: str) -> str:
    if value not in choices:
        allowed = "、".join(f"{k}({v})" for k, v in choices.items())
        raise InvalidInput(f"「{label}」{str(value)[:20]} 无效,可选: {allowed}", field=field)
    return value


def _date(value, field: str, label: str) -> date:
    return cleaning.day(value, field=field, label=label)


def _text(value, field: str, label: str, max_length: int, required: bool = True) -> str:
    return cleaning.text(value, field=field, label=label, limit=max_length, required=required)


def case_find(*, user, kind: str, number: str):
    """A penalty or licence case by its number, among those `user` may see."""
    from fazhi.enforcement.licence.models import LicenceCase
    from fazhi.enforcement.penalty.models import PenaltyCase

    model = {"penalty": PenaltyCase, "licence": LicenceCase}.get(kind)
    if model is None:
        raise InvalidInput("「案件类别」应为 penalty(行政处罚)或 licence(行政许可)", field="case_kind")
    number = _text(number, "case_number", "案号", 60)
    case = model.objects.visible_to(user).filter(number=number).select_related("unit").first()
    if case is None:
        raise InvalidInput(f"未找到案号为「{number}」的{'行政处罚' if kind == 'penalty' else '行政许可'}案件,"
                           "请核对案号", field="case_number")
    return case


def officers_find(*, case, names: list[str]):
    """The case unit's officers named (by name or staff number), each found once; an unknown one is refused."""
    from fazhi.enforcement.subjects.models import Officer

    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        raise InvalidInput("请填写「责任人员」(本案所属单位的执法人员姓名或工号)", field="officers")
    pool = list(Officer.objects.filter(unit_id=case.unit_id))
    found, unknown = [], []
    for n in dict.fromkeys(names):
        match = [o for o in pool if n in (o.staff_number, o.name)]
        if len(match) != 1:
            unknown.append(n if not match else f"{n}(重名,请填工号)")
        elif match[0] not in found:
            found.append(match[0])
    if unknown:
        raise InvalidInput(f"「责任人员」{'、'.join(unknown)} 不是{case.unit.name}的执法人员", field="officers")
    return found


@transaction.atomic
def fault_open(*, case, officers: list, data: dict, actor) -> FaultRecord:
    """A fault found in `case` (a PenaltyCase or LicenceCase) against its `officers` (of the case's unit)."""
    if not rules.can_open(actor):
        raise NotAllowed("只有法制办或督查人员可以登记执法过错责任追究")
    if not officers:
        raise InvalidInput("请填写「责任人员」", field="officers")
    if any(o.unit_id != case.unit_id for o in officers):
        raise InvalidInput("「责任人员」应为本案所属单位的执法人员", field="officers")
    from fazhi.enforcement.penalty.models import PenaltyCase

    is_penalty = isinstance(case, PenaltyCase)
    record = FaultRecord.objects.create(
        unit_id=case.unit_id, penalty_case=case if is_penalty else None, licence_case=None if is_penalty else case,
        found_on=_date(data.get("found_on"), "found_on", "认定日期"),
        source=_choice(data.get("source") or "inspection", SOURCE_LABELS, "source", "发现途径"),
        fault_kind=_choice(data.get("fault_kind"), FAULT_KIND_LABELS, "fault_kind", "过错情形"),
        fault=_text(data.get("fault"), "fault", "过错事实", 5000),
        responsibility=_choice(data.get("responsibility"), RESPONSIBILITY_LABELS, "responsibility", "责任类型"),
        created_by=actor)
    record.officers.set(officers)
    event_record(verb="fault.opened", summary=f"登记执法过错责任追究:{case.number}", actor=actor,
                 unit_id=case.unit_id, obj=record)
    return record


@transaction.atomic
def fault_decide(*, record: FaultRecord, sanction: str, on: date, ref: str, note: str, actor,
                 expected_version: int | None) -> FaultRecord:
    """处理决定: how the fault is pursued (one of SANCTIONS), on which date, by which document."""
    if not rules.can_decide(actor):
        raise NotAllowed("只有法制办或督查人员可以登记追究处理决定")
    if record.is_voided:
        raise InvalidInput("该记录已作废", field="record")
    changes = {"sanction": _choice(sanction, SANCTION_LABELS, "sanction", "追究方式"),
               "sanction_on": _date(on, "sanction_on", "处理决定日期"),
               "sanction_ref": _text(ref, "sanction_ref", "处理决定文号", 100),
               "sanction_note": _text(note, "sanction_note", "处理情况说明", 5000, required=False), "status": DECIDED}
    if changes["sanction_on"] < record.found_on:
        raise InvalidInput(f"「处理决定日期」不能早于认定日期 {record.found_on}", field="sanction_on")
    record = versioned_update(record, expected_version=expected_version, changes=changes,
                              reason=f"处理决定:{SANCTION_LABELS[sanction]}")
    event_record(verb="fault.decided", summary=f"执法过错追究处理:{SANCTION_LABELS[sanction]}", actor=actor,
                 unit_id=record.unit_id, obj=record)
    return record


def parse_amount(raw) -> Decimal:
    return cleaning.money(None if raw is None else str(raw).replace(",", ""), field="compensation_paid",
                          label="国家赔偿金额", positive=True, maximum=MAX_AMOUNT)


@transaction.atomic
def fault_compensation(*, record: FaultRecord, amount, on: date, ref: str, files, actor,
                       expected_version: int | None) -> FaultRecord:
    """国家赔偿 paid by the unit (赔偿义务机关): amount, date, the 赔偿决定书 number and the document itself."""
    if not rules.can_record_compensation(actor, record):
        raise NotAllowed("只有责任单位或法制办可以登记国家赔偿支付情况")
    if record.is_voided:
        raise InvalidInput("该记录已作废", field="record")
    changes = {"compensation_paid": parse_amount(amount),
               "compensation_on": _date(on, "compensation_on", "赔偿支付日期"),
               "compensation_ref": _text(ref, "compensation_ref", "赔偿决定书文号", 100)}
    if not files:
        raise InvalidInput("请上传赔偿决定书或支付凭证", field="files")
    record = versioned_update(record, expected_version=expected_version, changes=changes,
                              reason=f"国家赔偿 {changes['compensation_paid']} 元")
    attachments_add(obj=record, unit=record.unit, files=files, actor=actor)
    event_record(verb="fault.compensation", summary=f"国家赔偿支付 {changes['compensation_paid']} 元", actor=actor,
                 unit_id=record.unit_id, obj=record)
    return record


@transaction.atomic
def fault_void(*, record: FaultRecord, reason: str, actor, expected_version: int | None) -> FaultRecord:
    if not rules.can_open(actor):
        raise NotAllowed("只有法制办或督查人员可以作废执法过错责任追究记录")
    reason = _text(reason, "reason", "作废原因", 1000)
    if record.is_voided:
        raise InvalidInput("该记录已作废", field="record")
    record = versioned_update(record, expected_version=expected_version, reason=reason,
                              changes={"voided_at": timezone.now(), "voided_by": actor, "void_reason": reason})
    event_record(verb="fault.voided", summary="作废执法过错责任追究记录", actor=actor, unit_id=record.unit_id,
                 obj=record, reason=reason)
    return record


__all__ = ["case_find", "officers_find", "fault_open", "fault_decide", "fault_compensation", "fault_void", "OPEN"]
