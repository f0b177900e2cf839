"""Writes of 执法全过程记录, each in one transaction: add a record (its file checked by content first), void one
with a reason, and records_sync — the case's RecordCheck kept current (called here on every change, and by the
penalty and licence services in the transaction that closes a case)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.core.services import attachments_add, event_record
from fazhi.core.uploads import AV_KIND_LABELS, detect_kind
from fazhi.enforcement.records import rules
from fazhi.enforcement.records.models import ProcessRecord, RecordCheck
from fazhi.enforcement.records.registry import AV, KIND_LABELS, WRITTEN, requirements


def record_steps(case) -> list[tuple[str, str]]:
    """The steps a record may be added for: the required ones first (the module's labels), then the case's
    procedure steps if it runs on one."""
    seen, steps = set(), []
    for r in requirements(case):
        if r.step not in seen:
            seen.add(r.step)
            steps.append((r.step, r.label))
    from fazhi.procedures.models import ProcedureRun, ProcedureStep

    run = (ProcedureRun.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk))
           .order_by("id").first())
    if run is not None:
        for code, name in (ProcedureStep.objects.filter(definition_id=run.definition_id).order_by("position")
                           .values_list("code", "name")):
            if code not in seen:
                seen.add(code)
                steps.append((code, name))
    return steps


@transaction.atomic
def record_add(*, case, step: str, kind: str, file, recorded_at: datetime, place: str, officer, note: str,
               actor) -> ProcessRecord:
    """One record of a step of `case`: written (a document or photo) or audio-visual (a video, audio or photo)."""
    if actor is not None and not rules.can_add(actor, case):
        raise NotAllowed("只有本案所属单位的工作人员或法制办可以登记执法全过程记录")
    _refuse_closed(case)
    steps = dict(record_steps(case))
    if step not in steps:
        choices = "、".join(f"{k}({v})" for k, v in steps.items()) or "无"
        raise InvalidInput(f"「环节」{str(step)[:32]} 不是本案的环节,可选: {choices}", field="step")
    if kind not in KIND_LABELS:
        raise InvalidInput(f"「记录形式」{str(kind)[:16]} 无效,可选: written(文字记录)、av(音像记录)", field="kind")
    if file is None:
        raise InvalidInput("请上传记录文件(文字记录的扫描件或照片,音像记录的视频、音频或照片)", field="file")
    if kind == WRITTEN and detect_kind(file, getattr(file, "name", "")) in AV_KIND_LABELS:
        raise InvalidInput("视频、音频文件请选择「记录形式」音像记录", field="kind")
    if not isinstance(recorded_at, datetime):
        raise InvalidInput("「记录时间」应为日期时间,如 2026-04-30 09:30", field="recorded_at")
    if timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at)
    if recorded_at > timezone.now():
        raise InvalidInput("「记录时间」不能晚于现在", field="recorded_at")
    place = (place or "").strip()
    if not place:
        raise InvalidInput("请填写「记录地点」", field="place")
    if len(place) > 200:
        raise InvalidInput("「记录地点」不能超过 200 字", field="place")
    if officer is None:
        raise InvalidInput("请选择「记录人」(本单位执法人员)", field="officer")
    refusal = rules.officer_refusal(officer, case)
    if refusal:
        raise InvalidInput(refusal, field="officer")
    record = ProcessRecord.objects.create(
        unit_id=case.unit_id, content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk),
        step=step, kind=kind, recorded_at=recorded_at, place=place, officer=officer, note=(note or "").strip(),
        created_by=actor)
    (attachment,) = attachments_add(obj=record, unit=case.unit, files=[file], actor=actor, field="file",
                                    av=kind == AV)
    record.attachment = attachment
    record.save(update_fields=["attachment"])
    event_record(verb="enforcement.record_added", summary=f"登记执法全过程记录:{steps[step]}({KIND_LABELS[kind]})",
                 actor=actor, unit_id=case.unit_id, obj=case, data={"record": record.pk})
    records_sync(case)
    return record


@transaction.atomic
def record_void(*, record: ProcessRecord, reason: str, actor) -> ProcessRecord:
    record = ProcessRecord.objects.select_for_update().get(pk=record.pk)
    case = record.case
    if actor is not None and not rules.can_add(actor, case):
        raise NotAllowed("只有本案所属单位的工作人员或法制办可以作废执法全过程记录")
    _refuse_closed(case)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写作废原因", field="reason")
    if record.is_voided:
        raise InvalidInput("该记录已作废", field="record")
    record.voided_at, record.voided_by, record.void_reason = timezone.now(), actor, reason
    record._change_reason = reason
    record.save()
    event_record(verb="enforcement.record_voided", summary=f"作废执法全过程记录:{record.step}", actor=actor,
                 unit_id=record.unit_id, obj=case, reason=reason, data={"record": record.pk})
    records_sync(case)
    return record


def _refuse_closed(case) -> None:
    """The check written at closing is the record of the closing (review #9): a closed case's records stay as
    they were when it closed."""
    refusal = rules.closed_refusal(case)
    if refusal:
        raise Conflict(refusal, code=rules.CLOSED_CODE)


def records_sync(case) -> RecordCheck | None:
    """The case's RecordCheck from its records now and its `closed_on` (None for a model nobody registered).
    The penalty and licence services call this in the transaction that closes a case."""
    from fazhi.enforcement.records.registry import registered

    if not registered(case):
        return None
    required = requirements(case)
    missing = rules.records_missing(case)
    ct = ContentType.objects.get_for_model(case)
    check, _ = RecordCheck.objects.update_or_create(
        content_type=ct, object_id=str(case.pk),
        defaults={"unit_id": case.unit_id, "title": str(case)[:300],
                  "required": [f"{r.step}:{r.kind}" for r in required],
                  "missing": [{"step": r.step, "kind": r.kind, "label": r.label} for r in missing],
                  "complete": not missing, "closed_on": getattr(case, "closed_on", None)})
    return check
