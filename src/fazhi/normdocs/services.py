"""Writes of normative documents. Every step goes through the procedure mechanism (the gate in
procedures.services); the module's own writes (文号, publication, the filing and its review, the
cleanup) happen in the same transaction as the step record, in the `perform_*` routers the step
actions call (procedures.actions.StepActions.perform)."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.gongwen import doc_number
from fazhi.core.models import Attachment
from fazhi.core.numbering import number_take
from fazhi.core.services import event_record, versioned_update
from fazhi.normdocs import rules
from fazhi.normdocs.models import (
    AMEND, AMENDED, CLOSED, CORRECTIONS, DECLARE_VOID, DRAFTING, EXPIRED, FILING_CORRECTED, FILING_LAWFUL,
    FILING_PENDING, FILING_PROBLEM, FILING_RETURNED, IN_FORCE, MATERIALS, PROBLEM_KINDS, REPEAL, REPEALED,
    SUSPENDED, CleanupCampaign, CleanupItem, Evaluation, Filing, FilingMaterial, NormativeDocument,
)
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures import services as procedures

DOC_FIELDS = ("title", "summary", "text", "public_interest", "business_related")


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def _update(obj, changes: dict, reason: str = ""):
    """A service's own change of a record it holds locked (its version read under the lock)."""
    obj = _locked(type(obj), obj)
    return versioned_update(obj, expected_version=obj.version, changes=changes, reason=reason)


def document_run(doc: NormativeDocument):
    return procedures.run_start(obj=doc, unit=doc.unit, code=rules.PROCEDURE)


def filing_run(filing: Filing):
    return procedures.run_start(obj=filing, unit=filing.unit, code=rules.FILING_PROCEDURE)


def cleanup_run(campaign: CleanupCampaign):
    from fazhi.org.models import Unit

    office_unit = Unit.objects.filter(parent__isnull=True).order_by("sort_order", "code").first()
    return procedures.run_start(obj=campaign, unit=office_unit, code=rules.CLEANUP_PROCEDURE)


def _clean_fields(data: dict) -> dict:
    fields = {k: data[k] for k in DOC_FIELDS if k in data}
    for key in ("title", "summary", "text"):
        if key in fields:
            fields[key] = str(fields[key] or "").strip()
    if "title" in fields and not fields["title"]:
        raise InvalidInput("请填写「文件名称」,如《关于规范城市道路挖掘管理的通知》", field="title")
    if len(fields.get("title", "")) > 200:
        raise InvalidInput("「文件名称」至多 200 个字", field="title")
    return fields


# ---------------------------------------------------------------- drafts


@transaction.atomic
def document_create(*, unit, actor, data: dict) -> NormativeDocument:
    """A unit starts drafting (调研起草 begins): the document and its run on the procedure in force."""
    if not rules.can_draft(actor, unit):
        raise NotAllowed("只能为本单位起草规范性文件")
    fields = _clean_fields(data)
    if "title" not in fields:
        raise InvalidInput("请填写「文件名称」", field="title")
    doc = NormativeDocument.objects.create(unit=unit, created_by=actor, stage="调研起草", **fields)
    document_run(doc)
    event_record(verb="normdocs.drafted", summary=f"{unit.display_name} 起草「{doc.title}」", actor=actor,
                 unit=unit, obj=doc)
    return doc


@transaction.atomic
def document_update(*, doc: NormativeDocument, actor, data: dict, expected_version: int | None) -> NormativeDocument:
    if not rules.can_edit(actor, doc):
        if doc.status != DRAFTING:
            raise InvalidInput("已公布的文件不能在此修改;修改请重新制定或在清理中提出", field="status")
        raise NotAllowed("只能修改本单位的草案")
    fields = _clean_fields(data)
    if fields.get("public_interest") is False and doc.public_interest:
        run = document_run(doc)
        done = {f.step for f in procedure_selectors.run_facts(run)}
        if "public_consult" in done:
            raise InvalidInput("已公开征求意见的文件不能取消「涉及公众利益」标记", field="public_interest")
    return versioned_update(doc, expected_version=expected_version, changes=fields)


# ---------------------------------------------------------------- the normdoc procedure's steps


def _consultation_missing(doc) -> list[str]:
    from fazhi.portal.services import consultation_for, consultation_missing

    consultation = consultation_for(doc)
    if consultation is None:
        return ["尚未发起公开征求意见(在本页「公开征求意见」中发布征求意见稿)"]
    return consultation_missing(consultation)


def _default(run, act, actor):
    from fazhi.procedures.actions import act_default

    return act_default(run=run, act=act, actor=actor)


STAGE_AFTER = {"draft": "征求意见", "solicit": "协调分歧", "coordinate": "送审", "submit_review": "法制审查",
               "decide": "签发公布", "publish": "报备", "file": "备案审查"}


@transaction.atomic
def perform_document(doc: NormativeDocument, act, actor):
    """The router of the `normdoc` step actions: the gate decides order; this adds what the steps mean here."""
    run = document_run(doc)
    if act.decide is not None:
        return _default(run, act, actor)
    if act.not_applicable:
        if act.step == "public_consult" and doc.public_interest:
            spec = next(s for s in procedure_selectors.run_specs(run) if s.code == "public_consult")
            raise InvalidInput(f"本文件起草时标记为「涉及公众利益或社会影响面广」,必须公开征求意见,不能标记不适用"
                               f"({spec.basis})", field="not_applicable")
        return _default(run, act, actor)
    if act.step == "public_consult":
        procedures.step_gate(run, act.step)  # the order first, then the consultation
        missing = _consultation_missing(doc)
        if missing:
            raise InvalidInput("公开征求意见尚未完成:" + ";".join(missing), field="step")
    if act.step == "publish":
        return _publish(doc, run, act, actor)
    if act.step == "file":
        return _file(doc, run, act, actor)
    record = _default(run, act, actor)
    stage = STAGE_AFTER.get(act.step)
    if act.step == "legality_review":
        stage = "送审(法制审查不予通过,修改后重新送审)" if act.outcome == "reject" else "讨论决定"
    if stage:
        _update(doc, {"stage": stage})
    event_record(verb=f"normdocs.step.{act.step}", summary=f"「{doc.title}」{record.step.name}"
                 + (f"({act.outcome})" if act.outcome else ""), actor=actor, unit=doc.unit, obj=doc,
                 reason=act.note or "")
    return record


def _publish(doc, run, act, actor):
    """签发公布: the 文号 (one per issuing unit and year, no gap, no repeat), date, channel, validity."""
    procedures.step_gate(run, "publish")  # the order first: a missing step is named before any field
    extra = act.extra or {}
    channel = str(extra.get("channel") or "").strip()
    if not channel:
        raise InvalidInput("请填写「公布渠道」,如 区政府门户网站、政府公报", field="channel")
    published_on = act.act_date or timezone.localdate()
    cap = rules.validity_cap(published_on)
    valid_until = extra.get("valid_until") or cap
    if valid_until > cap:
        raise InvalidInput(f"「有效期至」不能晚于 {cap.isoformat()}(有效期一般不超过5年,省政府令第216号)",
                           field="valid_until")
    if valid_until <= published_on:
        raise InvalidInput("「有效期至」应晚于公布日期", field="valid_until")
    record = procedures.step_complete(run=run, step="publish", actor=actor, note=act.note or "",
                                      files=act.files or (), act_date=published_on)
    year = published_on.year
    seq = number_take(series=f"normdoc:{doc.unit.code}", year=year)
    number = doc_number(year, seq, rules.number_code(doc.unit))
    _update(doc, {"status": IN_FORCE, "stage": "报备", "number_year": year, "number_seq": seq, "number": number,
                  "published_on": published_on, "channel": channel, "valid_until": valid_until,
                  "filing_due": rules.filing_due(published_on)}, reason=f"签发公布 {number}")
    event_record(verb="normdocs.published", summary=f"「{doc.title}」公布,文号 {number}", actor=actor,
                 unit=doc.unit, obj=doc, data={"number": number})
    return record


def material_files(extra: dict, *, required: bool) -> list[tuple[str, object]]:
    """The typed materials of a filing from a step's extra fields: (kind, upload) in the catalogue's order."""
    found = [(kind, extra.get(kind)) for kind, _ in MATERIALS]
    missing = [label for (kind, label) in MATERIALS if not extra.get(kind)]
    if required and missing:
        raise InvalidInput(f"报送备案须附全部材料,缺少:{'、'.join(missing)}(请分别上传)",
                           field=next(k for k, _ in MATERIALS if not extra.get(k)))
    return [(kind, f) for kind, f in found if f]


def _attach_materials(filing: Filing, record, kinds: list[str]) -> None:
    ct = ContentType.objects.get_for_model(record)
    stored = list(Attachment.objects.filter(content_type=ct, object_id=str(record.pk)).order_by("id"))
    FilingMaterial.objects.bulk_create([FilingMaterial(filing=filing, kind=k, attachment=a)
                                        for k, a in zip(kinds, stored, strict=True)])


def _file(doc, run, act, actor):
    """报备: the document's filing with its four materials, and the filing's own run (备案审查) begins."""
    procedures.step_gate(run, "file")
    materials = material_files(act.extra or {}, required=True)
    record = procedures.step_complete(run=run, step="file", actor=actor, note=act.note or "",
                                      act_date=act.act_date)
    filed_on = record.act_date
    filing = Filing.objects.create(document=doc, unit=doc.unit, filed_on=filed_on)
    sub = procedures.step_complete(run=filing_run(filing), step="submit", actor=actor, note=act.note or "",
                                   files=[f for _, f in materials], act_date=filed_on)
    _attach_materials(filing, sub, [k for k, _ in materials])
    _update(doc, {"filed_on": filed_on, "filing_state": FILING_PENDING, "stage": "备案审查"},
            reason="报送备案")
    late = rules.on_time(filed_on, doc.filing_due) is False
    event_record(verb="normdocs.filed", summary=f"「{doc.title}」报送备案" + ("(逾期)" if late else ""),
                 actor=actor, unit=doc.unit, obj=doc)
    return record


# ---------------------------------------------------------------- the filing review (normdoc.filing)


REVIEW_LABELS = {"lawful": "合法", "problem": "存在问题", "return": "退回补正"}


@transaction.atomic
def perform_filing(filing: Filing, act, actor):
    run = filing_run(filing)
    if act.decide is not None:
        return _default(run, act, actor)
    if act.not_applicable:
        raise InvalidInput("备案审查的步骤按审查结果办理,不能标记不适用", field="not_applicable")
    extra = act.extra or {}
    doc = filing.document
    if act.step == "submit":  # 补正后重新报送: the corrected materials (any of the four)
        materials = material_files(extra, required=False)
        if not materials:
            raise InvalidInput("请上传补正后的材料(备案报告、正式文本、起草说明、合法性审查意见中需补正的各项)",
                               field="report")
        record = procedures.step_complete(run=run, step="submit", actor=actor, note=act.note or "",
                                          files=[f for _, f in materials], act_date=act.act_date)
        _attach_materials(filing, record, [k for k, _ in materials])
        _update(filing, {"state": FILING_PENDING, "refiled_on": record.act_date}, reason="补正后重新报送")
        _update(doc, {"filing_state": FILING_PENDING}, reason="补正后重新报送")
        return record
    if act.step == "review":
        kinds = list(extra.get("problem_kinds") or [])
        if act.outcome == "problem" and not kinds:
            raise InvalidInput("认定存在问题须选择问题类型:" + "、".join(label for _, label in PROBLEM_KINDS),
                               field="problem_kinds")
        if act.outcome in ("problem", "return") and not (act.note or "").strip():
            raise InvalidInput("存在问题或退回补正须在「说明」中写明理由", field="note")
        record = procedures.step_complete(run=run, step="review", actor=actor, outcome=act.outcome or "",
                                          note=act.note or "", act_date=act.act_date)
        state = {"lawful": FILING_LAWFUL, "problem": FILING_PROBLEM, "return": FILING_RETURNED}[act.outcome]
        changes = {"state": state, "review_note": (act.note or "").strip(),
                   "problem_kinds": kinds if act.outcome == "problem" else []}
        if act.outcome == "return":
            changes["returned_count"] = filing.returned_count + 1
        _update(filing, changes, reason=act.note or "")
        doc_changes = {"filing_state": state, "stage": {"lawful": "", "problem": "纠正",
                                                        "return": "补正后重新报送"}[act.outcome]}
        if act.outcome == "return":
            doc_changes["filing_returned"] = True
        label = REVIEW_LABELS[act.outcome]
        _update(doc, doc_changes, reason=f"备案审查:{label}")
        event_record(verb=f"normdocs.filing_{act.outcome}", summary=f"「{doc.title}」备案审查:{label}",
                     actor=actor, unit=doc.unit, obj=filing, reason=act.note or "")
        return record
    if act.step == "opinion":
        suggestion = str(extra.get("suggestion") or act.note or "").strip()
        correction = extra.get("correction") or ""
        if correction not in dict(CORRECTIONS):
            raise InvalidInput("请选择「纠正方式」:修改、废止或停止执行", field="correction")
        if not suggestion:
            raise InvalidInput("请填写「处理意见」(向区政府提出的书面处理建议)", field="suggestion")
        record = procedures.step_complete(run=run, step="opinion", actor=actor, note=suggestion,
                                          act_date=act.act_date)
        from fazhi.deadlines.services import deadline_compute

        _update(filing, {"suggestion": suggestion, "suggestion_on": record.act_date, "correction": correction,
                         "correction_due": deadline_compute("normdoc.correct", record.act_date).due})
        return record
    if act.step == "correct":
        note = (act.note or "").strip()
        if not note:
            raise InvalidInput("请在「说明」中写明纠正情况(如修改后的文号、废止决定)", field="note")
        record = procedures.step_complete(run=run, step="correct", actor=actor, note=note, files=act.files or (),
                                          act_date=act.act_date)
        _update(filing, {"corrected_on": record.act_date, "correction_note": note})
        return record
    if act.step == "confirm":
        record = procedures.step_complete(run=run, step="confirm", actor=actor, outcome=act.outcome or "closed",
                                          note=act.note or "", act_date=act.act_date)
        filing = _update(filing, {"state": FILING_CORRECTED}, reason="确认纠正")
        status = {"amend": AMENDED, "repeal": REPEALED, "suspend": SUSPENDED}[filing.correction]
        _update(doc, {"filing_state": FILING_CORRECTED, "status": status, "stage": ""},
                reason=f"备案审查纠正:{dict(CORRECTIONS)[filing.correction]}")
        event_record(verb="normdocs.corrected", summary=f"「{doc.title}」纠正完毕({dict(CORRECTIONS)[filing.correction]})",
                     actor=actor, unit=doc.unit, obj=filing)
        return record
    return procedures.step_complete(run=run, step=act.step, actor=actor, outcome=act.outcome or "",
                                    note=act.note or "", act_date=act.act_date)


# ---------------------------------------------------------------- cleanup (清理)


def in_force_on(as_of: date):
    """Documents in force on a day: published by then, not repealed, amended ones included, validity running."""
    return NormativeDocument.objects.filter(rules.in_force_q(as_of), published_on__lte=as_of)


@transaction.atomic
def campaign_start(*, title: str, as_of: date, actor) -> CleanupCampaign:
    if not rules.can_run_cleanup(actor):
        raise NotAllowed("只有法制办可以发起规范性文件清理")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写清理名称,如「2026年规范性文件全面清理」", field="title")
    if as_of > timezone.localdate():
        raise InvalidInput("「清理基准日」不能晚于今天", field="as_of")
    campaign = CleanupCampaign.objects.create(title=title[:200], as_of=as_of, started_by=actor)
    CleanupItem.objects.bulk_create([CleanupItem(campaign=campaign, document=d, unit_id=d.unit_id)
                                     for d in in_force_on(as_of).order_by("unit__sort_order", "id")])
    cleanup_run(campaign)
    event_record(verb="normdocs.cleanup_started", summary=f"发起清理「{title}」", actor=actor, obj=campaign)
    return campaign


@transaction.atomic
def item_decide(*, item: CleanupItem, actor, decision: str, reason: str, reviewer: str,
                expected_version: int | None) -> CleanupItem:
    if not rules.can_decide_item(actor, item):
        raise NotAllowed("只能对本单位起草的文件提出清理意见")
    if item.campaign.status == CLOSED:
        raise InvalidInput("清理已完成并公布,不能再修改", field="decision")
    from fazhi.normdocs.models import CLEANUP_DECISIONS

    if decision not in dict(CLEANUP_DECISIONS):
        raise InvalidInput("请选择清理意见:继续有效、修改、废止或宣布失效", field="decision")
    if not (reason or "").strip():
        raise InvalidInput("请填写清理意见的「理由」", field="reason")
    if not (reviewer or "").strip():
        raise InvalidInput("请填写「审查人」", field="reviewer")
    return versioned_update(item, expected_version=expected_version, changes={
        "decision": decision, "reason": reason.strip(), "reviewer": reviewer.strip()[:40], "decided_by": actor})


ITEM_STATUS = {AMEND: AMENDED, REPEAL: REPEALED, DECLARE_VOID: EXPIRED}


@transaction.atomic
def perform_cleanup(campaign: CleanupCampaign, act, actor):
    run = cleanup_run(campaign)
    if act.decide is not None:
        return _default(run, act, actor)
    if act.not_applicable:
        raise InvalidInput("清理的步骤不能标记不适用", field="not_applicable")
    if act.step == "review":
        open_items = campaign.items.filter(decision="").count()
        if open_items:
            raise InvalidInput(f"尚有 {open_items} 件文件未提出清理意见,请逐件填写后再完成审查", field="step")
    record = procedures.step_complete(run=run, step=act.step, actor=actor, outcome=act.outcome or "",
                                      note=act.note or "", act_date=act.act_date)
    if act.step == "publish":
        _cleanup_apply(campaign, actor, on=record.act_date)
    return record


def _cleanup_apply(campaign: CleanupCampaign, actor, *, on: date) -> None:
    """Closing: each item's decision becomes its document's status (with history), results published."""
    for item in campaign.items.select_related("document").order_by("id"):
        status = ITEM_STATUS.get(item.decision)
        if status and item.document.status != status:
            _update(item.document, {"status": status}, reason=f"{campaign.title}:{item.get_decision_display()}"
                                                              f"({item.reason})")
    _update(campaign, {"status": CLOSED, "closed_on": on}, reason="清理结果公布")
    event_record(verb="normdocs.cleanup_closed", summary=f"清理「{campaign.title}」完成并公布结果", actor=actor,
                 obj=campaign)


# ---------------------------------------------------------------- evaluation, expiry


@transaction.atomic
def evaluation_add(*, doc: NormativeDocument, actor, data: dict) -> Evaluation:
    if not rules.can_draft(actor, doc.unit):
        raise NotAllowed("只能评估本单位制定的文件")
    if doc.published_on is None:
        raise InvalidInput("文件尚未公布,不能评估实施情况", field="document")
    evaluated_on = data.get("evaluated_on")
    if not isinstance(evaluated_on, date):
        raise InvalidInput("请填写「评估日期」", field="evaluated_on")
    if evaluated_on > timezone.localdate():
        raise InvalidInput(f"「评估日期」{evaluated_on.isoformat()} 晚于今天,请填写实际评估的日期", field="evaluated_on")
    if evaluated_on < doc.published_on:
        raise InvalidInput(f"「评估日期」不能早于文件公布日期 {doc.published_on.isoformat()}", field="evaluated_on")
    findings = str(data.get("findings") or "").strip()
    if not findings:
        raise InvalidInput("请填写「实施情况」", field="findings")
    evaluator = str(data.get("evaluator") or "").strip()
    if not evaluator:
        raise InvalidInput("请填写「评估人(机构)」", field="evaluator")
    evaluation = Evaluation.objects.create(document=doc, unit=doc.unit, evaluated_on=evaluated_on,
                                           evaluator=evaluator[:100], findings=findings,
                                           conclusion=data["conclusion"], created_by=actor)
    event_record(verb="normdocs.evaluated", summary=f"「{doc.title}」实施情况评估", actor=actor, unit=doc.unit,
                 obj=doc)
    return evaluation


def expire_due(*, today: date | None = None) -> int:
    """Documents whose validity has ended become 失效, each with its history (run by `fazhi remind`)."""
    today = today or timezone.localdate()
    n = 0
    for pk in NormativeDocument.objects.filter(rules.expired_q(today)).values_list("pk", flat=True):
        with transaction.atomic():
            doc = NormativeDocument.objects.select_for_update().get(pk=pk)
            if rules.display_status(doc, today) != EXPIRED or doc.status == EXPIRED:
                continue
            versioned_update(doc, expected_version=doc.version, changes={"status": EXPIRED},
                             reason=f"有效期至 {doc.valid_until.isoformat()} 届满,自动失效")
            event_record(verb="normdocs.expired", summary=f"「{doc.title}」有效期届满失效", unit=doc.unit, obj=doc)
            n += 1
    return n
