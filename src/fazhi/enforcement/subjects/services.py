"""Writes of 执法主体 and 执法人员, each in one transaction with its event: register and edit a subject
(versioned; editing what the review judged puts it back to 待审查), the office's qualification review, the
announcement (only of a 合格 subject), revocation; powers added and deactivated; officers registered, edited
and leaving; certificates issued, reviewed yearly, suspended or revoked; the acts without a legal basis and
their correction; each unit's catalogue of major decisions. Every check is here or in rules.py."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import cleaning
from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.services import event_record, versioned_update
from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules

TEXT_MAX = 5000
SUBJECT_FIELDS = ("name", "kind", "basis", "entrusted_by", "entrustment_document", "entrustment_until", "key_areas")
OFFICER_FIELDS = ("subject", "name", "staff_number", "post")
CERTIFICATE_FIELDS = ("number", "kind", "issued_by", "issued_on", "expires_on", "reviewed_year")
BASISLESS_FIELDS = ("unit", "subject", "acting_body", "act", "found_on", "found_by")
ENTRY_FIELDS = ("decision_kind", "title", "measures", "amount_from", "basis", "active")


def _text(value, *, field: str, label: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    return cleaning.text(value, field=field, label=label, required=required, limit=limit)


def _date(value, *, field: str, label: str, required: bool = True, past: bool = True) -> date | None:
    return cleaning.day(value, field=field, label=label, required=required, past=past)


def _choice(value, choices: dict, *, field: str, label: str, default=None) -> str:
    value = value or default
    if value not in choices:
        raise InvalidInput(f"「{label}」应为 {'、'.join(choices)} 之一({'、'.join(choices.values())})", field=field)
    return value


def _not_revoked(subject: m.EnforcementSubject) -> None:
    if subject.revoked_on is not None:
        raise InvalidInput(f"执法主体「{subject.name}」已于 {subject.revoked_on:%Y-%m-%d} 撤销,不能再办理", field="version")


# ---------------------------------------------------------------- subjects


def _subject_fields(data: dict, *, unit) -> dict:
    from fazhi.org.models import KeyArea, Unit

    kind = _choice(data.get("kind"), m.SUBJECT_KIND_LABELS, field="kind", label="主体类别", default=m.STATUTORY)
    fields = {
        "name": _text(data.get("name"), field="name", label="主体名称", limit=100),
        "kind": kind,
        "basis": _text(data.get("basis"), field="basis", label="设定依据"),
        "entrusted_by": data.get("entrusted_by"),
        "entrustment_document": _text(data.get("entrustment_document"), field="entrustment_document",
                                      label="委托书文号", required=False, limit=100),
        "entrustment_until": _date(data.get("entrustment_until"), field="entrustment_until", label="委托期限至",
                                   required=False, past=False),
    }
    by = fields["entrusted_by"]
    if by is not None and not isinstance(by, Unit):
        raise InvalidInput("「委托机关」应为单位", field="entrusted_by")
    if kind == m.ENTRUSTED:
        # 行政处罚法 第20条: a written entrustment by the entrusting body, announced; the subject acts in its name.
        if by is None:
            raise InvalidInput(f"受委托组织须填写「委托机关」(依据:{rules.BASIS_SUBJECT})", field="entrusted_by")
        if not fields["entrustment_document"]:
            raise InvalidInput(f"受委托组织须填写「委托书文号」(依据:{rules.BASIS_SUBJECT})",
                               field="entrustment_document")
        if by.pk == unit.pk:
            raise InvalidInput("「委托机关」不能是受委托组织所属的单位本身,请选择委托的行政机关", field="entrusted_by")
    else:
        fields.update(entrusted_by=None, entrustment_document="", entrustment_until=None)
    areas = data.get("key_areas") or []
    codes = [a.code if isinstance(a, KeyArea) else a for a in areas]
    if not all(isinstance(c, str) for c in codes) or len(codes) > 20:
        raise InvalidInput("「执法领域」应为重点领域代码的列表", field="key_areas")
    found = {a.code: a for a in KeyArea.objects.filter(code__in=codes, active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(f"「执法领域」{'、'.join(unknown)[:60]} 不是重点领域,请从列表中选择", field="key_areas")
    fields["key_areas"] = sorted(found.values(), key=lambda a: (a.sort_order, a.code))
    return fields


def _name_taken(unit, name: str, exclude: int | None = None) -> None:
    qs = m.EnforcementSubject.objects.filter(unit=unit, name=name)
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise InvalidInput(f"本单位已有名为「{name}」的执法主体,请核对名称或修改已有的主体", field="name")


@transaction.atomic
def subject_create(*, unit, actor, data: dict) -> m.EnforcementSubject:
    """The unit (or the office for it) registers a subject; it waits for the office's review (待审查)."""
    if unit is None:
        raise InvalidInput("请选择「所属单位」", field="unit")
    if not rules.may_act_for(actor, unit):
        raise NotAllowed("只有本单位或法制办可以登记执法主体")
    fields = _subject_fields(data, unit=unit)
    areas = fields.pop("key_areas")
    _name_taken(unit, fields["name"])
    try:
        with transaction.atomic():
            subject = m.EnforcementSubject.objects.create(unit=unit, created_by=actor, **fields)
    except IntegrityError:
        raise InvalidInput(f"本单位已有名为「{fields['name']}」的执法主体", field="name") from None
    subject.key_areas.set(areas)
    event_record(verb="enforcement.subject_registered", summary=f"登记执法主体「{subject.name}」", actor=actor,
                 unit=unit, obj=subject)
    return subject


@transaction.atomic
def subject_update(*, subject: m.EnforcementSubject, actor, data: dict,
                   expected_version: int | None) -> m.EnforcementSubject:
    """Edit a subject (versioned). A change to what the review judged (kind, basis, entrustment) puts a reviewed
    subject back to 待审查: it may open no case until the office reviews it again."""
    if not rules.may_act_for(actor, subject.unit):
        raise NotAllowed("只能修改本单位的执法主体")
    _not_revoked(subject)
    fields = _subject_fields(data, unit=subject.unit)
    areas = fields.pop("key_areas")
    if fields["name"] != subject.name:
        _name_taken(subject.unit, fields["name"], exclude=subject.pk)
    changes = {k: v for k, v in fields.items() if getattr(subject, k) != v}
    areas_changed = {a.pk for a in areas} != set(subject.key_areas.values_list("pk", flat=True))
    if not changes and not areas_changed:
        raise InvalidInput("没有修改任何内容", field="name")
    reset = bool(set(changes) & set(rules.REVIEWED_FIELDS)) and subject.review_status != m.PENDING
    if reset:
        changes.update(review_status=m.PENDING, reviewed_on=None, reviewed_by=None,
                       review_note=f"修改了{'、'.join(m.EnforcementSubject._meta.get_field(f).verbose_name for f in sorted(set(changes) & set(rules.REVIEWED_FIELDS)))},待重新审查")  # noqa: E501
    subject = versioned_update(subject, expected_version=expected_version, changes=changes,
                               reason="修改执法主体" + (",须重新审查" if reset else ""))
    if areas_changed:
        subject.key_areas.set(areas)
    event_record(verb="enforcement.subject_updated", summary=f"修改执法主体「{subject.name}」", actor=actor,
                 unit=subject.unit, obj=subject, data={"fields": sorted(changes) + (["key_areas"] if areas_changed
                                                                                   else []), "review_reset": reset})
    return subject


REVIEW_OUTCOMES = {m.QUALIFIED: "合格", m.UNQUALIFIED: "不合格", m.TO_CORRECT: "需纠正"}


@transaction.atomic
def subject_review(*, subject: m.EnforcementSubject, actor, outcome, on, note,
                   expected_version: int | None) -> m.EnforcementSubject:
    """主体资格审查 by the office: 合格, 不合格 or 需纠正, with its opinion (required unless 合格)."""
    if not rules.can_review(actor):
        raise NotAllowed("主体资格审查由法制办进行")
    _not_revoked(subject)
    outcome = _choice(outcome, REVIEW_OUTCOMES, field="outcome", label="审查结论")
    on = _date(on, field="on", label="审查日期")
    note = _text(note, field="note", label="审查意见", required=outcome != m.QUALIFIED)
    subject = versioned_update(subject, expected_version=expected_version, changes={
        "review_status": outcome, "reviewed_on": on, "reviewed_by": actor, "review_note": note},
        reason=f"主体资格审查:{REVIEW_OUTCOMES[outcome]}")
    event_record(verb="enforcement.subject_reviewed", summary=f"执法主体「{subject.name}」主体资格审查"
                 f"{REVIEW_OUTCOMES[outcome]}", actor=actor, unit=subject.unit, obj=subject, reason=note)
    return subject


@transaction.atomic
def subject_announce(*, subject: m.EnforcementSubject, actor, on, ref,
                     expected_version: int | None) -> m.EnforcementSubject:
    """The announcement to the public (公告日期 + 公告文号或网址), only of a subject reviewed 合格."""
    if not rules.can_announce(actor, subject):
        raise NotAllowed("只有本单位或法制办可以登记执法主体的公告")
    refusal = rules.announce_refusal(subject)
    if refusal:
        raise InvalidInput(refusal, field="on")
    on = _date(on, field="on", label="公告日期")
    if subject.reviewed_on and on < subject.reviewed_on:
        raise InvalidInput(f"「公告日期」不能早于主体资格审查合格的日期 {subject.reviewed_on:%Y-%m-%d}", field="on")
    ref = _text(ref, field="ref", label="公告文号或网址", limit=200)
    subject = versioned_update(subject, expected_version=expected_version,
                               changes={"announced_on": on, "announcement_ref": ref}, reason="向社会公告")
    event_record(verb="enforcement.subject_announced", summary=f"执法主体「{subject.name}」向社会公告({ref})",
                 actor=actor, unit=subject.unit, obj=subject)
    return subject


@transaction.atomic
def subject_revoke(*, subject: m.EnforcementSubject, actor, on, reason,
                   expected_version: int | None) -> m.EnforcementSubject:
    """撤销 (the body is dissolved, the entrustment ends, the review found it unlawful …): from `on` it may open
    no case; it stays on record and, with its cases, in the history."""
    if not rules.may_act_for(actor, subject.unit):
        raise NotAllowed("只有本单位或法制办可以撤销执法主体")
    _not_revoked(subject)
    on = _date(on, field="on", label="撤销日期")
    reason = _text(reason, field="reason", label="撤销原因")
    subject = versioned_update(subject, expected_version=expected_version,
                               changes={"revoked_on": on, "revoke_reason": reason}, reason=f"撤销:{reason}")
    event_record(verb="enforcement.subject_revoked", summary=f"撤销执法主体「{subject.name}」", actor=actor,
                 unit=subject.unit, obj=subject, reason=reason)
    return subject


@transaction.atomic
def power_add(*, subject: m.EnforcementSubject, actor, data: dict) -> m.Power:
    if not rules.can_edit_subject(actor, subject):
        raise NotAllowed("只有本单位或法制办可以修改执法主体的职权清单")
    power = m.Power.objects.create(
        subject=subject, unit=subject.unit,
        kind=_choice(data.get("kind"), m.POWER_KIND_LABELS, field="kind", label="职权类别"),
        name=_text(data.get("name"), field="name", label="职权名称", limit=200),
        basis=_text(data.get("basis"), field="basis", label="实施依据"))
    event_record(verb="enforcement.power_added", summary=f"执法主体「{subject.name}」增加职权「{power.name}」",
                 actor=actor, unit=subject.unit, obj=subject)
    return power


@transaction.atomic
def power_deactivate(*, power: m.Power, actor, on, reason, expected_version: int | None) -> m.Power:
    """A power taken off the list (repealed, transferred): kept, marked 停用 with the date and reason."""
    if not rules.can_edit_subject(actor, power.subject):
        raise NotAllowed("只有本单位或法制办可以修改执法主体的职权清单")
    if not power.active:
        raise InvalidInput(f"职权「{power.name}」已于 {power.deactivated_on} 停用", field="version")
    on = _date(on, field="on", label="停用日期")
    reason = _text(reason, field="reason", label="停用原因")
    power = versioned_update(power, expected_version=expected_version,
                             changes={"active": False, "deactivated_on": on, "deactivate_reason": reason},
                             reason=f"停用:{reason}")
    event_record(verb="enforcement.power_deactivated", summary=f"停用职权「{power.name}」", actor=actor,
                 unit=power.unit, obj=power.subject, reason=reason)
    return power


# ---------------------------------------------------------------- officers and certificates


def _officer_fields(data: dict, *, unit) -> dict:
    subject = data.get("subject")
    if subject is not None and (not isinstance(subject, m.EnforcementSubject) or subject.unit_id != unit.pk):
        raise InvalidInput("「执法主体」应为本单位的执法主体", field="subject")
    if subject is not None and subject.revoked_on is not None:
        raise InvalidInput(f"执法主体「{subject.name}」已撤销,请选择其他执法主体", field="subject")
    return {"subject": subject,
            "name": _text(data.get("name"), field="name", label="姓名", limit=40),
            "staff_number": _text(data.get("staff_number"), field="staff_number", label="工号/编号",
                                  required=False, limit=40),
            "post": _text(data.get("post"), field="post", label="职务", required=False, limit=60)}


@transaction.atomic
def officer_create(*, unit, actor, data: dict) -> m.Officer:
    if unit is None:
        raise InvalidInput("请选择「所属单位」", field="unit")
    if not rules.can_manage_officers(actor, unit):
        raise NotAllowed("只有本单位或法制办可以登记执法人员")
    officer = m.Officer.objects.create(unit=unit, created_by=actor, **_officer_fields(data, unit=unit))
    event_record(verb="enforcement.officer_registered", summary=f"登记执法人员 {officer.name}", actor=actor,
                 unit=unit, obj=officer)
    return officer


@transaction.atomic
def officer_update(*, officer: m.Officer, actor, data: dict, expected_version: int | None) -> m.Officer:
    if not rules.can_manage_officers(actor, officer.unit):
        raise NotAllowed("只能修改本单位的执法人员")
    fields = _officer_fields(data, unit=officer.unit)
    changes = {k: v for k, v in fields.items() if getattr(officer, k) != v}
    if not changes:
        raise InvalidInput("没有修改任何内容", field="name")
    officer = versioned_update(officer, expected_version=expected_version, changes=changes, reason="修改执法人员信息")
    event_record(verb="enforcement.officer_updated", summary=f"修改执法人员 {officer.name}", actor=actor,
                 unit=officer.unit, obj=officer, data={"fields": sorted(changes)})
    return officer


@transaction.atomic
def officer_leave(*, officer: m.Officer, actor, on, reason, expected_version: int | None) -> m.Officer:
    """离岗 (transfer, retirement …): from `on` the officer may be put on no case (rules.officer_refusal)."""
    if not rules.can_manage_officers(actor, officer.unit):
        raise NotAllowed("只能办理本单位执法人员的离岗")
    if not officer.active:
        raise InvalidInput(f"执法人员 {officer.name} 已于 {officer.left_on} 离岗", field="version")
    on = _date(on, field="on", label="离岗日期")
    reason = _text(reason, field="reason", label="离岗原因")
    officer = versioned_update(officer, expected_version=expected_version,
                               changes={"active": False, "left_on": on, "leave_reason": reason},
                               reason=f"离岗:{reason}")
    event_record(verb="enforcement.officer_left", summary=f"执法人员 {officer.name} 离岗", actor=actor,
                 unit=officer.unit, obj=officer, reason=reason)
    return officer


def _year(value, *, field: str, label: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"「{label}」应为四位年份,如 2026", field=field)
    return value


@transaction.atomic
def certificate_add(*, officer: m.Officer, actor, data: dict) -> m.Certificate:
    """A new issue of the officer's certificate (a renewal is a new issue: the old one stays for past cases)."""
    if not rules.can_manage_officers(actor, officer.unit):
        raise NotAllowed("只能登记本单位执法人员的证件")
    if not officer.active:
        raise InvalidInput(f"执法人员 {officer.name} 已离岗,不能登记新证件", field="number")
    number = _text(data.get("number"), field="number", label="证件编号", limit=40)
    issued_on = _date(data.get("issued_on"), field="issued_on", label="发证日期")
    expires_on = _date(data.get("expires_on"), field="expires_on", label="有效期至", past=False)
    if expires_on <= issued_on:
        raise InvalidInput("「有效期至」应晚于「发证日期」", field="expires_on")
    year = _year(data.get("reviewed_year"), field="reviewed_year", label="年审通过年度")
    if year is not None and not issued_on.year <= year <= timezone.localdate().year:
        raise InvalidInput(f"「年审通过年度」应在发证年度 {issued_on.year} 至今年之间", field="reviewed_year")
    if m.Certificate.objects.filter(number=number).exists():
        raise InvalidInput(f"证件编号 {number} 已经登记,请核对", field="number")
    try:
        with transaction.atomic():
            cert = m.Certificate.objects.create(
                officer=officer, unit=officer.unit, number=number, issued_on=issued_on, expires_on=expires_on,
                kind=_choice(data.get("kind"), m.CERT_KIND_LABELS, field="kind", label="证件类型",
                             default="enforcement"),
                issued_by=_text(data.get("issued_by"), field="issued_by", label="发证机关", required=False, limit=100),
                reviewed_year=year)
    except IntegrityError:
        raise InvalidInput(f"证件编号 {number} 已经登记,请核对", field="number") from None
    event_record(verb="enforcement.certificate_issued", summary=f"执法人员 {officer.name} 登记证件 {number}",
                 actor=actor, unit=officer.unit, obj=officer)
    return cert


@transaction.atomic
def certificate_review(*, certificate: m.Certificate, actor, year, expected_version: int | None) -> m.Certificate:
    """年审 passed for `year` (the last year reviewed only moves forward)."""
    if not rules.can_manage_officers(actor, certificate.unit):
        raise NotAllowed("只能登记本单位执法证件的年审")
    if certificate.status == m.CERT_REVOKED:
        raise InvalidInput(f"证件 {certificate.number} 已注销,不能年审", field="year")
    year = _year(year, field="year", label="年审年度")
    if year is None:
        raise InvalidInput("请填写「年审年度」", field="year")
    if not certificate.issued_on.year <= year <= timezone.localdate().year:
        raise InvalidInput(f"「年审年度」应在发证年度 {certificate.issued_on.year} 至今年之间", field="year")
    if certificate.reviewed_year and year <= certificate.reviewed_year:
        raise InvalidInput(f"证件 {certificate.number} 已通过 {certificate.reviewed_year} 年度年审", field="year")
    certificate = versioned_update(certificate, expected_version=expected_version, changes={"reviewed_year": year},
                                   reason=f"{year} 年度年审通过")
    event_record(verb="enforcement.certificate_reviewed", summary=f"证件 {certificate.number} {year} 年度年审通过",
                 actor=actor, unit=certificate.unit, obj=certificate.officer)
    return certificate


CERT_ACTS = {m.CERT_SUSPENDED: "暂扣", m.CERT_REVOKED: "注销/吊销"}


@transaction.atomic
def certificate_status(*, certificate: m.Certificate, actor, status, on, reason,
                       expected_version: int | None) -> m.Certificate:
    """Suspend (暂扣) or revoke (注销/吊销) from `on`: the certificate is not valid from that day
    (rules.certificate_valid_on); a revoked one stays revoked."""
    if not rules.can_manage_officers(actor, certificate.unit):
        raise NotAllowed("只能办理本单位执法证件的暂扣或注销")
    status = _choice(status, CERT_ACTS, field="status", label="证件处理")
    if certificate.status == m.CERT_REVOKED:
        raise InvalidInput(f"证件 {certificate.number} 已于 {certificate.status_since} 注销", field="status")
    if certificate.status == status:
        raise InvalidInput(f"证件 {certificate.number} 已于 {certificate.status_since} {CERT_ACTS[status]}",
                           field="status")
    on = _date(on, field="on", label="处理日期")
    if on < certificate.issued_on:
        raise InvalidInput(f"「处理日期」不能早于发证日期 {certificate.issued_on}", field="on")
    reason = _text(reason, field="reason", label="处理原因")
    certificate = versioned_update(certificate, expected_version=expected_version,
                                   changes={"status": status, "status_since": on, "status_reason": reason},
                                   reason=f"{CERT_ACTS[status]}:{reason}")
    event_record(verb="enforcement.certificate_status", summary=f"证件 {certificate.number} {CERT_ACTS[status]}",
                 actor=actor, unit=certificate.unit, obj=certificate.officer, reason=reason)
    return certificate


# ---------------------------------------------------------------- acts without a legal basis


@transaction.atomic
def basisless_create(*, actor, data: dict) -> m.BasislessAct:
    """The office or an inspector lists an act done without a legal basis, for the unit to correct."""
    from fazhi.org.models import Unit

    if not rules.can_report_basisless(actor):
        raise NotAllowed("没有合法依据的执法行为由法制办或督查登记")
    unit = data.get("unit")
    if not isinstance(unit, Unit):
        raise InvalidInput("请选择「责任单位」", field="unit")
    subject = data.get("subject")
    if subject is not None and (not isinstance(subject, m.EnforcementSubject) or subject.unit_id != unit.pk):
        raise InvalidInput("「执法主体」应为责任单位的执法主体(实施机构不是执法主体的可不选)", field="subject")
    act = m.BasislessAct.objects.create(
        unit=unit, subject=subject, created_by=actor,
        acting_body=_text(data.get("acting_body"), field="acting_body", label="实施机构", limit=100),
        act=_text(data.get("act"), field="act", label="执法行为"),
        found_on=_date(data.get("found_on"), field="found_on", label="发现日期"),
        found_by=_text(data.get("found_by"), field="found_by", label="发现途径", required=False, limit=100))
    event_record(verb="enforcement.basisless_found", summary=f"登记没有合法依据的执法行为:{act.acting_body}",
                 actor=actor, unit=unit, obj=act)
    return act


@transaction.atomic
def basisless_correct(*, act: m.BasislessAct, actor, on, correction, expected_version: int | None):
    if not rules.may_act_for(actor, act.unit):
        raise NotAllowed("由责任单位(或法制办)登记纠正情况")
    if act.status != m.ACT_OPEN:
        raise InvalidInput(f"该记录为「{m.ACT_STATE_LABELS[act.status]}」,不能再登记纠正", field="version")
    on = _date(on, field="on", label="纠正日期")
    if on < act.found_on:
        raise InvalidInput(f"「纠正日期」不能早于发现日期 {act.found_on}", field="on")
    correction = _text(correction, field="correction", label="纠正情况")
    act = versioned_update(act, expected_version=expected_version, changes={
        "status": m.ACT_CORRECTED, "corrected_on": on, "correction": correction}, reason="登记纠正情况")
    event_record(verb="enforcement.basisless_corrected", summary=f"{act.acting_body} 登记纠正情况", actor=actor,
                 unit=act.unit, obj=act)
    return act


@transaction.atomic
def basisless_decide(*, act: m.BasislessAct, actor, accept: bool, on, reason, expected_version: int | None):
    """The office accepts the correction (closed) or returns it (open again, the reason kept)."""
    from fazhi.core.scoping import scope_for

    if not scope_for(actor).is_office:
        raise NotAllowed("纠正情况由法制办确认")
    if act.status != m.ACT_CORRECTED:
        raise InvalidInput(f"该记录为「{m.ACT_STATE_LABELS[act.status]}」,没有待确认的纠正情况", field="version")
    on = _date(on, field="on", label="确认日期")
    if accept:
        changes = {"status": m.ACT_ACCEPTED, "accepted_on": on, "accepted_by": actor}
        reason = _text(reason, field="reason", label="确认意见", required=False)
    else:
        reason = _text(reason, field="reason", label="退回理由")
        changes = {"status": m.ACT_OPEN, "return_reason": reason}
    act = versioned_update(act, expected_version=expected_version, changes=changes,
                           reason="确认纠正" if accept else f"退回:{reason}")
    event_record(verb="enforcement.basisless_" + ("accepted" if accept else "returned"),
                 summary=f"{act.acting_body} 纠正情况{'已确认' if accept else '被退回'}", actor=actor, unit=act.unit,
                 obj=act, reason=reason)
    return act


# ---------------------------------------------------------------- catalogue of major decisions


def _entry_fields(data: dict, unit) -> dict:
    from fazhi.enforcement.penalty.models import PENALTY_MEASURES

    kind = _choice(data.get("decision_kind"), m.DECISION_KIND_LABELS, field="decision_kind", label="决定类别",
                   default=m.PENALTY)
    measures = data.get("measures") or []
    if not isinstance(measures, (list, tuple)) or not all(isinstance(x, str) for x in measures):
        raise InvalidInput("「处理措施」应为措施代码的列表", field="measures")
    if kind == m.LICENCE:  # major by the item applied for (licence.rules.major_measures): the line's unit's items
        from fazhi.enforcement.licence.rules import major_measures_unknown

        unknown = major_measures_unknown(unit, [x[:40] for x in measures])
        if unknown:
            raise InvalidInput(f"「处理措施」{'、'.join(unknown)[:60]} 不是{unit.display_name}的许可事项编码:行政许可类请选择"
                               "本单位已登记的许可事项", field="measures")
    else:
        unknown = [x for x in measures if x not in dict(PENALTY_MEASURES)]
        if unknown:
            raise InvalidInput(f"「处理措施」{'、'.join(unknown)[:60]} 无效,可选:{'、'.join(dict(PENALTY_MEASURES))}",
                               field="measures")
    amount = cleaning.money(data.get("amount_from"), field="amount_from", label="罚没款金额起点", required=False,
                            positive=True)
    if not measures and amount is None:
        raise InvalidInput("请选择「处理措施」或填写「罚没款金额起点」(至少一项),以确定哪些决定属于重大执法决定",
                           field="measures")
    return {"decision_kind": kind, "title": _text(data.get("title"), field="title", label="事项", limit=200),
            "measures": list(dict.fromkeys(measures)), "amount_from": amount,
            "basis": _text(data.get("basis"), field="basis", label="依据", required=False),
            "active": bool(data.get("active", True))}


@transaction.atomic
def entry_create(*, unit, actor, data: dict) -> m.MajorDecisionEntry:
    if unit is None:
        raise InvalidInput("请选择「单位」", field="unit")
    if not rules.can_edit_catalogue(actor, unit):
        raise NotAllowed("重大执法决定目录由法制办编制和调整,办案单位可以查看并向法制办提出调整意见")
    entry = m.MajorDecisionEntry.objects.create(unit=unit, **_entry_fields(data, unit))
    event_record(verb="enforcement.major_entry_added", summary=f"重大执法决定目录增加「{entry.title}」", actor=actor,
                 unit=unit, obj=entry)
    return entry


@transaction.atomic
def entry_update(*, entry: m.MajorDecisionEntry, actor, data: dict, expected_version: int | None):
    """Edit a line (versioned); a line no longer in force is set inactive, never deleted."""
    if not rules.can_edit_catalogue(actor, entry.unit):
        raise NotAllowed("重大执法决定目录由法制办编制和调整,办案单位不能自行修改")
    fields = _entry_fields(data, entry.unit)
    changes = {k: v for k, v in fields.items() if getattr(entry, k) != v}
    if not changes:
        raise InvalidInput("没有修改任何内容", field="title")
    entry = versioned_update(entry, expected_version=expected_version, changes=changes, reason="修改重大执法决定目录")
    event_record(verb="enforcement.major_entry_updated", summary=f"修改重大执法决定目录「{entry.title}」",
                 actor=actor, unit=entry.unit, obj=entry, data={"fields": sorted(changes)})
    return entry
