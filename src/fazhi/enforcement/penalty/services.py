"""Writes of 行政处罚 cases, each in one transaction: 立案 (案号 without gap, the subject and officers checked by
subjects.rules), the edit of the case data (versioned), the officers, the steps of `penalty` / `penalty_simple`
(the router `perform`, called by the step actions of pages and API), the hearing acts, the payments (罚缴分离) and
the hand-over of cash collected on the spot. Every clock is a stored clock opened and closed here through
deadlines.services; no legal date is computed here (the catalogue through the engine)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Sum

from fazhi.core import cleaning
from fazhi.core.errors import Conflict, InvalidInput, NotAllowed, StaleEdit
from fazhi.core.numbering import number_take
from fazhi.core.services import attachments_add, event_record, versioned_update
from fazhi.deadlines import services as deadlines
from fazhi.deadlines.models import Deadline
from fazhi.enforcement import review
from fazhi.enforcement.deciding import late_refusal
from fazhi.enforcement.penalty import rules
from fazhi.enforcement.penalty.models import (
    BANK, CHANGED, CHANNELS, CLOSED, DECIDED, DECISION_UNDONE, ELECTRONIC, ENFORCED, EXECUTED, GENERAL, HANDOVER,
    HEARING, HEARING_NOTICE_SENT, HEARING_REQUESTED, HEARING_SCHEDULED, INVESTIGATED, LEAD, MEASURE_LABELS, NOTIFIED,
    OFFICER_ADDED, OFFICER_REMOVED, OFFICER_ROLES, ON_THE_SPOT, PARTY_KINDS, PAYMENT, PAYMENT_VOIDED, PERSON,
    PROCEDURE_KINDS, SEIZURE, SEIZURE_END, SERVED, SIMPLE, SOURCES, TERMINATED, UNDONE_CLOSE, UNDONE_KINDS, PenaltyAct,
    PenaltyCase, PenaltyOfficer, PenaltyPayment,
)
from fazhi.remedies.notice import remedy_notice
from fazhi.procedures import actions
from fazhi.procedures import services as procedures

CLOSED_CODE = "penalty.closed"
FROZEN_CODE = "penalty.decided"
WRONG_STATE = "penalty.state"
RULE_CODE = "penalty.rule"
SEPARATION_CODE = "penalty.separation"
MAX_AMOUNT = Decimal("9999999999.99")
EDIT_FIELDS = ("source", "party_name", "party_kind", "party_id_number", "party_address", "party_phone", "cause",
               "found_on", "facts", "evidence", "basis_violation", "basis_penalty")
PUBLICATION_KINDS = {"person": "person", "legal": "legal_person", "other": "organisation"}


def case_run(case: PenaltyCase):
    return procedures.run_start(obj=case, unit=case.unit, code=rules.PROCEDURES[case.procedure_kind])


def _locked(case: PenaltyCase) -> PenaltyCase:
    return PenaltyCase.objects.select_for_update().select_related("unit", "subject").get(pk=case.pk)


def _update(case: PenaltyCase, changes: dict, reason: str = "") -> PenaltyCase:
    case = _locked(case)
    return versioned_update(case, expected_version=case.version, changes=changes, reason=reason)


def _check_version(case, expected_version: int | None, *, required: bool = False) -> None:
    """A stale act is refused. The API and the pages always send the version they saw (`required` where the
    caller is a request: the steps); internal callers (the demo, remedies) act on a freshly locked case."""
    if expected_version is None:
        if required:
            raise InvalidInput("缺少「版本号」(version):请提交您所见的案件版本号(刷新页面或重新读取案件后重试)",
                               field="version")
        return
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise InvalidInput("「版本号」(version)应为整数", field="version")
    if expected_version != case.version:
        raise StaleEdit("该案件已有新的变更(他人已办理),您的操作未执行。请刷新页面后重新操作。")


def _require_actor(actor, case_or_unit) -> None:
    if not rules.can_act(actor, case_or_unit):
        raise NotAllowed("只有本案办案单位的工作人员或法制办可以办理行政处罚案件;领导、督查人员只能查看")


def _day(value, field: str, label: str, *, not_before: date | None = None, before_label: str = "") -> date:
    value = cleaning.day(value, field=field, label=label, today=rules.today(), earliest=rules.EARLIEST_DATE)
    if not_before is not None and value < not_before:
        raise InvalidInput(f"「{label}」不能早于{before_label} {not_before.isoformat()}", field=field)
    return value


def _text(data: dict, field: str, label: str, *, limit: int, required: bool) -> str:
    return cleaning.text(data.get(field), field=field, label=label, limit=limit, required=required)


def _choice(data: dict, field: str, label: str, choices, default: str | None = None) -> str:
    value = data.get(field) or default
    if value not in dict(choices):
        raise InvalidInput(f"「{label}」应为:{'、'.join(f'{k}({v})' for k, v in choices)}", field=field)
    return value


def amount(value, field: str, label: str, *, required: bool = False) -> Decimal | None:
    """A sum of money in 元 (two decimals), positive; None if empty and not required."""
    found = cleaning.money(value, field=field, label=label, required=required, positive=True, maximum=MAX_AMOUNT)
    return None if found is None else rules.money(found)


def measures_clean(value, field: str = "measures") -> list[str]:
    if value in (None, ""):
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidInput("「处罚种类」应为处罚种类代码的列表,如 [\"fine\"]", field=field)
    unknown = [v for v in value if v not in MEASURE_LABELS]
    if unknown:
        choices = "、".join(f"{k}({v})" for k, v in MEASURE_LABELS.items())
        raise InvalidInput(f"「处罚种类」{unknown[0][:20]} 无效,可选:{choices}", field=field)
    if not value:
        raise InvalidInput("请选择「处罚种类」(行政处罚法 第9条)", field=field)
    return sorted(set(value), key=list(MEASURE_LABELS).index)


# ---------------------------------------------------------------- clocks of a case


def clock(case: PenaltyCase, purpose: str, suffix: str = "") -> Deadline | None:
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(PenaltyCase),
                                   object_id=str(case.pk), purpose=rules.clock_purpose(purpose, suffix)).first()


def clock_due(case, purpose: str) -> date | None:
    found = clock(case, purpose)
    return found.due if found is not None else None


def _open_clock(case, purpose: str, start: date, actor, suffix: str = "") -> Deadline:
    return deadlines.deadline_open(obj=case, unit=case.unit, purpose=rules.clock_purpose(purpose, suffix),
                                   rule_id=rules.CLOCK_RULES[purpose], start=start, actor=actor)


def _close_clock(case, purpose: str, on: date, actor, *, met: bool = True, reason: str = "", suffix: str = ""):
    found = clock(case, purpose, suffix)
    if found is None or found.status != Deadline.OPEN:
        return found
    return deadlines.deadline_close(deadline=found, met=met, on=max(on, found.start) if not met else on, actor=actor,
                                    reason=reason)


def _act_record(case, kind: str, on: date, actor, note: str = ""):
    return PenaltyAct.objects.create(case=case, unit=case.unit, kind=kind, on=on, note=note[:2000], actor=actor)


def paid_total(case) -> Decimal:
    return case.payments.filter(voided_at__isnull=True).aggregate(s=Sum("amount"))["s"] or Decimal("0")


# ---------------------------------------------------------------- 立案


def _subject(actor, value):
    from fazhi.enforcement.subjects.models import EnforcementSubject

    if isinstance(value, EnforcementSubject):
        value = value.pk
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("请选择「执法主体」", field="subject")
    subject = (EnforcementSubject.objects.visible_to(actor).select_related("unit").prefetch_related("key_areas")
               .filter(pk=value).first())
    if subject is None:
        raise InvalidInput("「执法主体」不存在或不属于您的单位,请从本单位的执法主体中选择", field="subject")
    return subject


def _key_area(value):
    from fazhi.org.models import KeyArea

    code = value.code if isinstance(value, KeyArea) else value
    found = KeyArea.objects.filter(code=code.strip(), active=True).first() if isinstance(code, str) and code.strip() else None
    if found is None:
        choices = "、".join(f"{k.code}({k.name})" for k in KeyArea.objects.filter(active=True))
        raise InvalidInput(f"请选择「执法领域」(重点领域):{choices}", field="key_area")
    return found


def _clean(data: dict, *, filed_on: date | None = None) -> dict:
    c = {"source": _choice(data, "source", "案件来源", SOURCES, "inspection"),
         "party_name": _text(data, "party_name", "当事人", limit=100, required=True),
         "party_kind": _choice(data, "party_kind", "当事人类型", PARTY_KINDS, "person"),
         "party_id_number": _text(data, "party_id_number", "身份证件号码或统一社会信用代码", limit=40, required=False),
         "party_address": _text(data, "party_address", "住所或地址", limit=200, required=False),
         "party_phone": _text(data, "party_phone", "联系电话", limit=40, required=False),
         "cause": _text(data, "cause", "案由", limit=200, required=True),
         "facts": _text(data, "facts", "违法事实", limit=20000, required=False),
         "evidence": _text(data, "evidence", "证据摘要", limit=20000, required=False),
         "basis_violation": _text(data, "basis_violation", "违法依据", limit=5000, required=False),
         "basis_penalty": _text(data, "basis_penalty", "处罚依据", limit=5000, required=False)}
    c["found_on"] = _day(data.get("found_on"), "found_on", "发现日期")
    if filed_on is not None and filed_on < c["found_on"]:
        raise InvalidInput("「立案日期」不能早于「发现日期」", field="filed_on")
    return c


def _officers(case_unit, values, on: date, field: str = "officers") -> list:
    """Officers given by id: each of the case unit, in post, holding a valid certificate on `on`."""
    from fazhi.enforcement.subjects import rules as subject_rules
    from fazhi.enforcement.subjects.models import Officer

    if values in (None, ""):
        values = []
    if not isinstance(values, list | tuple):
        values = [values]
    ids = []
    for v in values:
        if isinstance(v, Officer):
            v = v.pk
        if isinstance(v, str) and v.strip().isascii() and v.strip().isdigit():
            v = int(v.strip())
        if isinstance(v, bool) or not isinstance(v, int):
            raise InvalidInput("「承办人员」应为执法人员编号的列表", field=field)
        ids.append(v)
    found = {o.pk: o for o in Officer.objects.filter(pk__in=ids, unit=case_unit).prefetch_related("certificates")}
    officers = []
    for pk in dict.fromkeys(ids):
        officer = found.get(pk)
        if officer is None:
            raise InvalidInput(f"「承办人员」{pk} 不是本单位的执法人员", field=field)
        if not officer.active:
            raise InvalidInput(f"执法人员「{officer.name}」已不在岗,不能承办案件", field=field)
        refusal = subject_rules.officer_refusal(officer, on)
        if refusal:
            raise Conflict(refusal, code=RULE_CODE, field=field)
        officers.append(officer)
    return officers


def _officer_row(case, officer, role: str, on: date) -> PenaltyOfficer:
    from fazhi.enforcement.subjects import rules as subject_rules

    certs = list(officer.certificates.all())
    cert = subject_rules.valid_certificate(certs, case.filed_on) or subject_rules.valid_certificate(certs, on)
    return PenaltyOfficer.objects.create(
        case=case, unit=case.unit, officer=officer, role=role, added_on=on,
        certified=subject_rules.valid_certificate(certs, case.filed_on) is not None,
        certificate_number=cert.number if cert else "")


@transaction.atomic
def case_create(*, actor, data: dict) -> PenaltyCase:
    """立案: the case of a qualified, announced subject (subjects.rules.subject_refusal on the filing date), in
    its unit; the 案号 is taken in this transaction (no gap); the 立案 step is done and the decision clock
    (`penalty.decide`, 第60条) runs from the filing date. Officers given here are checked on that date."""
    from fazhi.enforcement.subjects import rules as subject_rules

    if not rules.can_register(actor):
        raise NotAllowed("只有办案单位的工作人员或法制办可以登记行政处罚案件")
    kind = _choice(data, "procedure_kind", "程序", PROCEDURE_KINDS, GENERAL)
    subject = _subject(actor, data.get("subject"))
    _require_actor(actor, subject.unit)
    key_area = _key_area(data.get("key_area"))
    filed_on = _day(data.get("filed_on"), "filed_on", "立案日期")
    fields = _clean(data, filed_on=filed_on)
    refusal = subject_rules.subject_refusal(subject, filed_on)
    if refusal:
        raise InvalidInput(refusal, field="subject")
    areas = list(subject.key_areas.all())
    if areas and key_area not in areas:
        raise InvalidInput(f"执法主体「{subject.name}」的执法领域为{'、'.join(a.name for a in areas)},"
                           f"不含「{key_area.name}」(依据:{subject_rules.BASIS_SUBJECT})", field="key_area")
    officers = _officers(subject.unit, data.get("officers"), filed_on)
    seq = number_take(series=rules.number_series(subject.unit), year=filed_on.year)
    case = PenaltyCase.objects.create(unit=subject.unit, procedure_kind=kind, subject=subject, key_area=key_area,
                                      number_year=filed_on.year, number_seq=seq,
                                      number=rules.case_number(subject.unit, filed_on.year, seq), filed_on=filed_on,
                                      created_by=actor, **fields)
    for i, officer in enumerate(officers):
        _officer_row(case, officer, LEAD if i == 0 else "assist", filed_on)
    run = case_run(case)
    if kind == GENERAL:
        procedures.step_complete(run=run, step="file", actor=actor, outcome="", note=f"立案 {case.number}",
                                 files=[], act_date=filed_on)
        _open_clock(case, rules.DECIDE, filed_on, actor)
    event_record(verb="penalty.filed", summary=f"行政处罚立案 {case.number} {case.cause}", actor=actor,
                 unit=case.unit, obj=case)
    return case


@transaction.atomic
def case_update(*, case: PenaltyCase, actor, data: dict, expected_version: int | None) -> PenaltyCase:
    """修改案件信息 (versioned: a stale edit is refused). The subject, the filing date (which started the clock)
    and the procedure are fixed once the case is filed; everything else until the decision. A decided case is
    frozen (review #8): the 决定书 served and published is made from these fields, so a correction goes through
    「决定被撤销/变更/确认违法」 (decision_undone), which also withdraws the publication."""
    _require_actor(actor, case)
    case = _locked(case)
    if not rules.is_open(case):
        raise Conflict("案件已结案,不能修改", code=CLOSED_CODE)
    _check_version(case, expected_version, required=True)
    if case.decided_on is not None:
        raise Conflict(f"决定已作出({case.decision_number}),案件信息不能再修改;更正须经「决定被变更/撤销」"
                       f"(依据:{rules.LAW} 第75条)", code=FROZEN_CODE)
    fields = _clean(data, filed_on=case.filed_on)
    for name, label in (("subject", "执法主体"), ("filed_on", "立案日期"), ("procedure_kind", "程序")):
        value = data.get(name)
        current = {"subject": case.subject_id, "filed_on": case.filed_on, "procedure_kind": case.procedure_kind}[name]
        if value not in (None, "") and str(value) != str(current):
            raise InvalidInput(f"「{label}」立案后不能更改;如登记错误,请联系法制办", field=name)
    if data.get("key_area") not in (None, ""):
        key_area = _key_area(data.get("key_area"))
        if key_area.pk != case.key_area_id:
            fields["key_area"] = key_area
    return versioned_update(case, expected_version=expected_version, changes=fields, reason="修改案件信息")


# ---------------------------------------------------------------- officers


@transaction.atomic
def officer_add(*, case, actor, officer, role: str = "assist", on: date | None = None,
                expected_version: int | None = None) -> PenaltyOfficer:
    """增加承办人员: an officer of the unit holding a valid certificate on the day put on the case (never after
    the certificate's expiry); `certified` records whether they held one on the filing date."""
    _require_actor(actor, case)
    case = _locked(case)
    _check_version(case, expected_version)
    if not rules.is_open(case) or case.decided_on is not None:
        raise Conflict("已作出决定或已结案的案件不能再增加承办人员", code=WRONG_STATE)
    on = _day(on or rules.today(), "on", "承办日期", not_before=case.filed_on, before_label="立案日期")
    if role not in dict(OFFICER_ROLES):
        raise InvalidInput("「分工」应为 lead(主办)或 assist(协办)", field="role")
    found = _officers(case.unit, [officer], on, field="officer")[0]
    if case.officers.filter(officer=found, removed_on__isnull=True).exists():
        raise InvalidInput(f"执法人员「{found.name}」已在本案承办人员中", field="officer")
    row = _officer_row(case, found, role, on)
    _act_record(case, OFFICER_ADDED, on, actor, note=found.name)
    versioned_update(case, expected_version=case.version, changes={}, reason=f"增加承办人员 {found.name}")
    return row


@transaction.atomic
def officer_remove(*, case, actor, row_id, on: date | None = None, reason: str = "",
                   expected_version: int | None = None) -> PenaltyOfficer:
    _require_actor(actor, case)
    case = _locked(case)
    _check_version(case, expected_version)
    if not rules.is_open(case) or case.decided_on is not None:
        raise Conflict("已作出决定或已结案的案件不能再调整承办人员", code=WRONG_STATE)
    row = case.officers.filter(pk=row_id, removed_on__isnull=True).select_related("officer").first() \
        if isinstance(row_id, int) and not isinstance(row_id, bool) else None
    if row is None:
        raise InvalidInput("「承办人员」不是本案在办的承办人员", field="row")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写「调离原因」", field="reason")
    on = _day(on or rules.today(), "on", "调离日期", not_before=row.added_on, before_label="承办日期")
    row = versioned_update(row, expected_version=row.version, changes={"removed_on": on, "removed_reason": reason[:300]},
                           reason="调离承办人员")
    _act_record(case, OFFICER_REMOVED, on, actor, note=f"{row.officer.name}:{reason}")
    versioned_update(case, expected_version=case.version, changes={}, reason=f"调离承办人员 {row.officer.name}")
    return row


def active_officers(case) -> list:
    return [r.officer for r in case.officers.filter(removed_on__isnull=True).select_related("officer")
            .prefetch_related("officer__certificates")]


# ---------------------------------------------------------------- steps


def step_refusal(case, step: str, on: date | None = None) -> str | None:
    """StepActions.blocked: why the step waits, from rules.step_state_refusal (the page's 「暂不能办理」)."""
    return rules.step_state_refusal(case, step, on=on or rules.today(),
                                    request_due=clock_due(case, rules.HEARING_REQUEST) if step == "decide" else None,
                                    paid=Decimal("0"))


def _refuse_state(case, step: str, on: date) -> None:
    refusal = step_refusal(case, step, on)
    if refusal:
        raise Conflict(refusal, code=WRONG_STATE, field="step")


def _complete(run, act, actor, *, outcome=None):
    return procedures.step_complete(run=run, step=act.step, actor=actor,
                                    outcome=act.outcome if outcome is None else outcome, note=act.note or "",
                                    files=act.files, act_date=act.act_date)


@transaction.atomic
def perform(case: PenaltyCase, act, actor):
    """The router of the step actions: each step's own checks and writes, with the clocks, in one transaction."""
    case = _locked(case)
    if not rules.is_open(case):
        raise Conflict("案件已结案,不能再办理", code=CLOSED_CODE)
    run = case_run(case)
    if act.decide is not None or act.not_applicable:
        return actions.act_default(run=run, act=act, actor=actor)
    if act.step == "close" and rules.decision_ended(case):
        _check_version(case, (act.extra or {}).get("version"), required=True)
        _steps_ended(case, run, act, actor)
    procedures.step_gate(run, act.step)  # the order first: a missing step is named before any field
    _check_version(case, (act.extra or {}).get("version"), required=True)
    handler = {"investigate": _investigate, "notify": _notify, "hearing": _hearing, "legal_review": _legal_review,
               "decide": _decide_simple if case.procedure_kind == SIMPLE else _decide, "serve": _serve,
               "execute": _execute, "close": _close}.get(act.step)
    if handler is None:
        return actions.act_default(run=run, act=act, actor=actor)
    return handler(case, run, act, actor)


def _steps_ended(case, run, act, actor) -> None:
    """A revoked (or void) decision is no longer served or executed: at 结案 the service records 送达/执行 as done
    with the note 「决定已撤销」 — both are mandatory steps (no 不适用), and the record says why they stop. All in the
    closing's transaction: a refused closing leaves them undone."""
    from fazhi.procedures import selectors as proc_selectors
    from fazhi.procedures import rules as proc_rules

    done = {f.step for f in proc_selectors.run_facts(run) if f.kind == proc_rules.DONE}
    note = f"决定已撤销:{case.decision_undone_basis}"[:500]
    for step in ("serve", "execute"):
        if step not in done:
            procedures.step_complete(run=run, step=step, actor=actor, outcome="", note=note, files=[],
                                     act_date=act.act_date or rules.today())


def _investigate(case, run, act, actor):
    from fazhi.enforcement.subjects import rules as subject_rules

    on = act.act_date or rules.today()
    _refuse_state(case, "investigate", on)
    if on < case.filed_on:
        raise InvalidInput(f"「办理日期」不能早于立案日期 {case.filed_on.isoformat()}", field="date")
    refusal = subject_rules.officers_refusal(active_officers(case), on)
    if refusal:
        raise Conflict(refusal, code=RULE_CODE, field="officers")
    extra = act.extra or {}
    facts = _text(extra, "facts", "违法事实", limit=20000, required=True)
    evidence = _text(extra, "evidence", "证据摘要", limit=20000, required=True)
    basis = _text(extra, "basis_violation", "违法依据", limit=5000, required=True)
    record = _complete(run, act, actor)
    _update(case, {"status": INVESTIGATED, "investigated_on": on, "facts": facts, "evidence": evidence,
                   "basis_violation": basis}, reason="调查终结")
    return record


def _penalty_of(extra: dict, *, default=None) -> tuple[list, Decimal | None, Decimal | None]:
    default_measures, default_fine, default_conf = default or ([], None, None)
    measures = measures_clean(extra.get("measures") or default_measures)
    fine = amount(extra.get("fine_amount"), "fine_amount", "罚款金额") or (default_fine if default else None)
    conf = amount(extra.get("confiscation_amount"), "confiscation_amount", "没收金额") or (default_conf if default else None)
    if "fine" in measures and fine is None:
        raise InvalidInput("处罚种类含罚款的,请填写「罚款金额」", field="fine_amount")
    if "fine" not in measures:
        fine = None
    if not {"confiscate_income", "confiscate_property"} & set(measures):
        conf = None
    return measures, fine, conf


def _major(case, measures, fine, conf):
    from fazhi.enforcement.subjects import rules as subject_rules

    total = (fine or Decimal(0)) + (conf or Decimal(0))
    return subject_rules.major_entry(case.unit_id, "penalty", measures=measures, amount=total or None)


def _notify(case, run, act, actor):
    on = act.act_date or rules.today()
    _refuse_state(case, "notify", on)
    if case.investigated_on and on < case.investigated_on:
        raise InvalidInput(f"「办理日期」不能早于调查终结日期 {case.investigated_on.isoformat()}", field="date")
    extra = act.extra or {}
    measures, fine, conf = _penalty_of(extra)
    basis = _text(extra, "basis_penalty", "处罚依据", limit=5000, required=True)
    qualifies = rules.hearing_qualifies(case.party_kind, measures, fine, conf)
    # Major or not is judged here, once, by the catalogue line in force at the notice, and stored: the decision
    # is never heavier than the notice (第45条 via rules.heavier), so a later catalogue edit cannot change it.
    entry = _major(case, measures, fine, conf)
    record = _complete(run, act, actor)
    if qualifies:
        _open_clock(case, rules.HEARING_REQUEST, on, actor)
    # The notice is made from the record (exports.notice_docx): when the penalty qualifies it states the right to
    # a hearing — qualifies ⇒ told, the one rule.
    _update(case, {"status": NOTIFIED, "notified_on": on, "measures": measures, "fine_amount": fine,
                   "confiscation_amount": conf, "basis_penalty": basis, "hearing_qualifies": qualifies,
                   "hearing_notified": qualifies, **review.major_fields(entry)},
            reason="告知" + ("(含听证权利)" if qualifies else ""))
    return record


def _hearing(case, run, act, actor):
    on = act.act_date or rules.today()
    _refuse_state(case, "hearing", on)
    extra = act.extra or {}
    host = hearing_host(case, extra.get("host"))
    if on < case.hearing_notice_on:
        raise InvalidInput(f"「听证日期」不能早于听证通知日期 {case.hearing_notice_on.isoformat()}", field="date")
    latest = deadlines.deadline_compute(rules.CLOCK_RULES[rules.HEARING_NOTICE], on).due
    if case.hearing_notice_on > latest:
        raise Conflict(f"听证通知于 {case.hearing_notice_on.isoformat()} 送达,晚于 {on.isoformat()} 听证的最迟通知日 "
                       f"{latest.isoformat()}(依据:{rules.BASIS_HEARING_NOTICE});请重新安排听证日期", code=RULE_CODE,
                       field="date")
    record = _complete(run, act, actor)
    _update(case, {"hearing_on": on, "hearing_host": host,
                   "hearing_place": (extra.get("place") or case.hearing_place or "")[:200],
                   **({} if case.major else review.hearing_major_fields())},
            reason=f"听证(主持人 {host.name})")
    return record


def hearing_hosts(case) -> list:
    """Who may host the hearing: the unit's officers in post who are not on the case (第64条第4项)."""
    from fazhi.enforcement.subjects.models import Officer

    on_case = case.officers.values("officer_id")
    return list(Officer.objects.filter(unit_id=case.unit_id, active=True).exclude(pk__in=on_case).order_by("name", "id"))


def hearing_host(case, value):
    """The host picked by officer id: an officer of the case's unit, in post, not one of the case's officers
    (past or present: one taken off the case investigated it too)."""
    from fazhi.enforcement.subjects.models import Officer

    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if value in (None, "") or isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("请选择「听证主持人」(本单位非本案调查人员的执法人员)", field="host")
    host = Officer.objects.filter(pk=value, unit_id=case.unit_id).first()
    if host is None:
        raise InvalidInput("「听证主持人」应为本单位的执法人员,请从列表中选择", field="host")
    if not host.active:
        raise InvalidInput(f"执法人员「{host.name}」已不在岗,不能主持听证", field="host")
    if case.officers.filter(officer=host).exists():
        raise Conflict(f"听证主持人应为非本案调查人员,「{host.name}」是本案承办人员(依据:{rules.LAW} 第64条第4项)",
                       code=RULE_CODE, field="host")
    return host


def _legal_review(case, run, act, actor):
    """法制审核 by the office's reviewer (the acting user), with the 法制审核意见书 attached (the step requires it)."""
    on = act.act_date or rules.today()  # not before the notice, not in the future: review.review_refusal
    opinion = _text(act.extra or {}, "opinion", "审核意见", limit=5000, required=False)
    refusal = review.review_refusal(case, actor, on=on, outcome=act.outcome, opinion=opinion)
    if refusal and not review.may_review(actor):
        raise NotAllowed(refusal)  # who may: 403, as licence (review #11 Low 14)
    if refusal:
        field = "outcome" if "结果" in refusal else "opinion" if "审核意见" in refusal else "date" if "日期" in refusal \
            else "step"
        raise Conflict(refusal, code=RULE_CODE, field=field)
    record = _complete(run, act, actor)
    _update(case, review.review_fields(actor, on=on, outcome=act.outcome, opinion=opinion),
            reason="法制审核" + ("通过" if act.outcome == review.PASS else "退回修改"))
    return record


def _decision_number(case, on: date) -> tuple[int, int, str]:
    seq = number_take(series=rules.decision_series(case.unit), year=on.year)
    return on.year, seq, rules.decision_number(case.unit, on.year, seq)


def _publish(case, actor, *, changed_on: date | None = None, changed_by: str = "") -> None:
    """The decision to be published (第48条第1款); a changed decision is a new decision and is published again,
    from the day of the change, with its changed content (`changed_by`: the changing document)."""
    from fazhi.enforcement.publication.services import publication_due

    facts = case.facts
    if case.party_kind == PERSON and case.party_address:  # a person's home address is never published
        facts = facts.replace(case.party_address, "(住址略)")
    summary = (f"{case.cause}。违法事实:{facts[:300]}。处罚依据:{case.basis_penalty[:200]}。"
               f"处罚种类:{case.measures_text}" + (f",罚款 {case.fine_amount} 元" if case.fine_amount else "")
               + (f",没收 {case.confiscation_amount} 元" if case.confiscation_amount else "") + "。")
    title, number = f"行政处罚决定:{case.cause}", case.decision_number
    if changed_on is not None:
        title, number = f"行政处罚决定(变更):{case.cause}", f"{case.decision_number}(经 {changed_by} 变更)"
        summary = f"原决定经 {changed_by} 变更。" + summary
    publication_due(case, rule=rules.PUBLICIZE_RULE, decided_on=changed_on or case.decided_on, title=title[:200],
                    document_number=number[:100], party=case.party_name,
                    party_kind=PUBLICATION_KINDS[case.party_kind], summary=summary, actor=actor)


def _decide(case, run, act, actor):
    on = act.act_date or rules.today()
    if on < case.filed_on or (case.notified_on and on < case.notified_on):
        raise InvalidInput(f"「办理日期」不能早于告知日期 {case.notified_on or case.filed_on}", field="date")
    extra = act.extra or {}
    measures, fine, conf = _penalty_of(extra, default=(case.measures, case.fine_amount, case.confiscation_amount))
    if rules.heavier(measures, fine, conf, was_measures=case.measures, was_fine=case.fine_amount,
                     was_confiscation=case.confiscation_amount):
        raise Conflict(f"决定的处罚重于告知的处罚(告知:{case.measures_text}"
                       + (f",罚款 {case.fine_amount} 元" if case.fine_amount else "") + "),须重新告知"
                       f"(依据:{rules.BASIS_NOTICE})", code=RULE_CODE, field="measures")
    # Major or not stands as judged at the notice (_notify): the decision is not heavier than the notice.
    _refuse_state(case, "decide", on)
    refusal = review.decide_refusal(case, actor, on)
    if refusal:
        raise Conflict(refusal, code=RULE_CODE, field="step")
    late_reason = _text(extra, "late_reason", "超期作出决定的理由", limit=300, required=False)
    decide_clock = clock(case, rules.DECIDE)
    due = decide_clock.due if decide_clock is not None else None
    late = due is not None and on > due
    refusal = late_refusal(due=due, on=on, reason=late_reason, period="办案期限", basis=rules.BASIS_DECIDE)
    if refusal:
        raise Conflict(refusal, code=RULE_CODE, field="late_reason")
    record = _complete(run, act, actor)
    closed = _close_clock(case, rules.DECIDE, on, actor, reason=late_reason)
    _close_clock(case, rules.HEARING_REQUEST, on, actor, met=False, reason="当事人未在期限内要求听证")
    year, seq, number = _decision_number(case, on)
    qualifies = rules.hearing_qualifies(case.party_kind, measures, fine, conf)
    case = _update(case, {"status": DECIDED, "decided_on": on, "measures": measures, "fine_amount": fine,
                          "confiscation_amount": conf, "hearing_qualifies": qualifies, "decision_year": year,
                          "decision_seq": seq, "decision_number": number,
                          "decision_late": bool(closed.late) if closed else late, "late_reason": late_reason,
                          "decided_by": actor, "remedy_notice": remedy_notice(addressee="当事人")},
                   reason=f"作出行政处罚决定 {number}" + ("(超过办案期限)" if late else ""))
    _publish(case, actor)
    event_record(verb="penalty.decided", summary=f"{case.number} 作出行政处罚决定 {number}", actor=actor,
                 unit=case.unit, obj=case)
    return record


def _decide_simple(case, run, act, actor):
    """当场处罚 (第51条–第53条): a warning or a small fine, by an officer showing a valid certificate; the decision
    is handed to the party on the spot (served the same day) and the payment period runs from it."""
    from fazhi.enforcement.subjects import rules as subject_rules

    on = act.act_date or rules.today()
    if on < case.filed_on:
        raise InvalidInput(f"「办理日期」不能早于登记日期 {case.filed_on.isoformat()}", field="date")
    extra = act.extra or {}
    measures, fine, conf = _penalty_of(extra)
    refusal = rules.simple_refusal(case.party_kind, measures, fine)
    if refusal:
        raise Conflict(refusal, code=RULE_CODE, field="measures" if "罚款" not in refusal else "fine_amount")
    officers = active_officers(case)
    if not officers:
        raise Conflict(f"当场处罚须由持有有效执法证件的执法人员作出并出示证件,请先增加承办人员(依据:{rules.BASIS_SIMPLE_OFFICER})",
                       code=RULE_CODE, field="officers")
    refusal = subject_rules.officers_refusal(officers, on, minimum=1)
    if refusal:
        raise Conflict(refusal, code=RULE_CODE, field="officers")
    facts = _text(extra, "facts", "违法事实", limit=20000, required=True)
    basis = _text(extra, "basis_penalty", "处罚依据", limit=5000, required=True)
    record = _complete(run, act, actor)
    year, seq, number = _decision_number(case, on)
    case = _update(case, {"status": SERVED, "decided_on": on, "served_on": on, "measures": measures,
                          "fine_amount": fine, "confiscation_amount": None, "facts": facts, "basis_penalty": basis,
                          "hearing_qualifies": False, **review.major_fields(None), "decision_year": year,
                          "decision_seq": seq,
                          "decision_number": number, "decision_late": False, "decided_by": actor,
                          "remedy_notice": remedy_notice(addressee="当事人")}, reason=f"当场作出行政处罚决定 {number}")
    if fine:
        _open_clock(case, rules.PAY_FINE, on, actor)
    return record


def _serve(case, run, act, actor):
    on = act.act_date or rules.today()
    _refuse_state(case, "serve", on)
    if on < case.decided_on:
        raise InvalidInput(f"「送达日期」不能早于决定日期 {case.decided_on.isoformat()}", field="date")
    record = _complete(run, act, actor)
    case = _update(case, {"status": SERVED, "served_on": on}, reason="送达处罚决定书")
    if rules.fine_due(case) > 0:
        _open_clock(case, rules.PAY_FINE, on, actor)  # 第67条第3款: fifteen days from receipt
    return record


def execute_refusal(case, on: date) -> str | None:
    """执行 is recorded once the fine is paid in full, or the payment period has passed unpaid (the execution then
    continues: 加处罚款, 申请强制执行, recorded at 结案), and cash collected on the spot has been handed over."""
    owed = rules.fine_due(case)
    if case.payments.filter(voided_at__isnull=True, channel=ON_THE_SPOT, handed_over_on__isnull=True).exists():
        return f"当场收缴的罚款尚未上缴,请先登记上缴(依据:{rules.BASIS_HANDOVER})"
    if owed and paid_total(case) < owed:
        due = clock_due(case, rules.PAY_FINE)
        if due is None or on <= due:
            return f"罚款 {owed} 元尚未缴清,缴款期限至 {due.isoformat() if due else '—'};期限届满前不能登记执行完毕"
    return None


def _execute(case, run, act, actor):
    on = act.act_date or rules.today()
    _refuse_state(case, "execute", on)
    refusal = execute_refusal(case, on)
    if refusal:
        raise Conflict(refusal, code=WRONG_STATE, field="step")
    record = _complete(run, act, actor)
    _update(case, {"status": EXECUTED, "executed_on": on}, reason="执行")
    return record


def _close_step_outcome(run, outcome: str) -> str:
    """The closing step's outcome in the run's own definition: a version published before 「决定已撤销」 existed
    records it as 终结执行 (the case keeps its own close_outcome)."""
    from fazhi.procedures import selectors as proc_selectors

    spec = next((s for s in proc_selectors.run_specs(run) if s.code == "close"), None)
    if outcome == UNDONE_CLOSE and spec is not None and spec.outcome(outcome) is None:
        return TERMINATED
    return outcome


def _close(case, run, act, actor):
    from fazhi.enforcement.records.rules import close_refusal as records_refusal
    from fazhi.enforcement.records.services import records_sync

    on = act.act_date or rules.today()
    _refuse_state(case, "close", on)
    outcome = act.outcome
    if rules.decision_ended(case) and outcome == TERMINATED and _close_step_outcome(run, UNDONE_CLOSE) == TERMINATED:
        outcome = UNDONE_CLOSE  # a run on a version without 「决定已撤销」 offers 终结执行 for it
    case.close_outcome = outcome  # the records a closing needs follow from how it closes
    refusal = records_refusal(case) or rules.close_refusal(case, paid=paid_total(case), outcome=outcome,
                                                              note=act.note or "")
    if refusal:
        raise Conflict(refusal, code=RULE_CODE, field="outcome" if "结案情形" in refusal else "step")
    record = _complete(run, act, actor, outcome=_close_step_outcome(run, outcome))
    _close_clock(case, rules.PAY_FINE, on, actor, met=False, reason=f"结案:{outcome}")
    case = _update(case, {"status": CLOSED, "closed_on": on, "close_outcome": outcome,
                          "close_note": (act.note or "")[:500]}, reason="结案")
    records_sync(case)
    event_record(verb="penalty.closed", summary=f"{case.number} 结案", actor=actor, unit=case.unit, obj=case)
    return record


# ---------------------------------------------------------------- hearing acts


def _begin(case, actor, expected_version):
    _require_actor(actor, case)
    case = _locked(case)
    _check_version(case, expected_version)
    if not rules.is_open(case):
        raise Conflict("案件已结案,不能再办理", code=CLOSED_CODE)
    return case


@transaction.atomic
def hearing_request(*, case, actor, on: date, expected_version: int | None = None) -> PenaltyCase:
    """当事人要求听证: within `penalty.hearing_request` of the notice (第64条第1项); a late request is refused."""
    case = _begin(case, actor, expected_version)
    if case.status != NOTIFIED or not case.hearing_qualifies:
        raise Conflict("只有已告知听证权利、尚未决定的案件才能登记当事人要求听证", code=WRONG_STATE)
    on = _day(on, "on", "当事人要求听证日期", not_before=case.notified_on, before_label="告知日期")
    due = clock_due(case, rules.HEARING_REQUEST)
    if due is not None and on > due:
        raise Conflict(f"当事人于 {on.isoformat()} 要求听证,已超过告知后的听证申请期限 {due.isoformat()}"
                       f"(依据:{rules.BASIS_HEARING_LATE}),不予组织听证", code=RULE_CODE, field="on")
    _close_clock(case, rules.HEARING_REQUEST, on, actor)
    _act_record(case, HEARING_REQUESTED, on, actor)
    return _update(case, {"status": HEARING, "hearing_requested_on": on}, reason="当事人要求听证")


@transaction.atomic
def hearing_schedule(*, case, actor, on: date, place: str, expected_version: int | None = None) -> PenaltyCase:
    """安排听证: the planned day opens (or, moved, restarts) the clock of the latest notice day
    (`penalty.hearing_notice`, counted back from the hearing), on the unit's work list."""
    case = _begin(case, actor, expected_version)
    if case.status != HEARING or case.hearing_on is not None:
        raise Conflict("只有当事人已要求听证、尚未举行听证的案件才能安排听证", code=WRONG_STATE)
    if not isinstance(on, date):
        raise InvalidInput("请填写「拟听证日期」(YYYY-MM-DD)", field="on")
    if on <= case.hearing_requested_on:
        raise InvalidInput(f"「拟听证日期」应晚于当事人要求听证日期 {case.hearing_requested_on.isoformat()}", field="on")
    place = (place or "").strip() if isinstance(place, str) else ""
    if not place:
        raise InvalidInput("请填写「听证地点」", field="place")
    _open_clock(case, rules.HEARING_NOTICE, on, actor)
    _act_record(case, HEARING_SCHEDULED, rules.today(), actor, note=f"{on.isoformat()} {place}")
    return _update(case, {"hearing_planned_on": on, "hearing_place": place[:200], "hearing_notice_on": None,
                          "hearing_notice_due": clock_due(case, rules.HEARING_NOTICE)}, reason="安排听证")


@transaction.atomic
def hearing_notice(*, case, actor, on: date, expected_version: int | None = None) -> PenaltyCase:
    """送达听证通知: no later than seven days before the hearing (第64条第2项, the engine counts); a later notice
    is refused — move the hearing (安排听证 again) instead."""
    case = _begin(case, actor, expected_version)
    if case.status != HEARING or case.hearing_planned_on is None or case.hearing_on is not None:
        raise Conflict("请先「安排听证」", code=WRONG_STATE)
    on = _day(on, "on", "送达听证通知日期", not_before=case.hearing_requested_on, before_label="当事人要求听证日期")
    found = clock(case, rules.HEARING_NOTICE)
    if found.due is not None and on > found.due:
        raise Conflict(f"听证通知应当在举行听证的七日前送达:{case.hearing_planned_on.isoformat()} 听证的最迟通知日为 "
                       f"{found.due.isoformat()}(依据:{rules.BASIS_HEARING_NOTICE});请重新安排听证日期",
                       code=RULE_CODE, field="on")
    _close_clock(case, rules.HEARING_NOTICE, on, actor)
    _act_record(case, HEARING_NOTICE_SENT, on, actor)
    return _update(case, {"hearing_notice_on": on, "hearing_notice_due": found.due}, reason="送达听证通知")


# ---------------------------------------------------------------- payments (罚缴分离)


@transaction.atomic
def payment_record(*, case, actor, amount_paid, paid_on: date, channel: str, receipt_number: str = "",
                   payee: str = "", spot_reason: str = "", expected_version: int | None = None) -> PenaltyPayment:
    """登记缴款 from the receipt: never by whoever recorded the decision (第67条, bank and electronic payments);
    on the spot only for the reasons of 第68条/第69条 (and the cash handed over within `penalty.hand_over_cash`).
    The surcharge (第72条) is computed from the payment clock's due date."""
    case = _begin(case, actor, expected_version)
    owed = rules.fine_due(case)
    if case.decided_on is None or not owed:
        raise Conflict("本案没有应缴的罚款(尚未作出罚款决定)", code=WRONG_STATE)
    if rules.decision_ended(case):
        raise Conflict(f"处罚决定已被撤销或确认无效({case.decision_undone_basis}),不再收缴罚款", code=WRONG_STATE)
    if channel not in dict(CHANNELS):
        raise InvalidInput(f"「缴款渠道」应为:{'、'.join(f'{k}({v})' for k, v in CHANNELS)}", field="channel")
    if channel in (BANK, ELECTRONIC) and case.decided_by_id == getattr(actor, "pk", None):
        raise Conflict(f"您录入了本案的处罚决定,不能再登记罚款的收缴,请由财务或其他人员凭银行、电子支付回单登记"
                       f"(依据:{rules.BASIS_SEPARATION})", code=SEPARATION_CODE, field="channel")
    value = amount(amount_paid, "amount", "缴纳罚款", required=True)
    paid = paid_total(case)
    if paid + value > owed:
        raise InvalidInput(f"「缴纳罚款」超过未缴金额:罚款 {owed} 元,已缴 {paid} 元", field="amount")
    on = _day(paid_on, "paid_on", "缴款日期", not_before=case.decided_on, before_label="决定日期")
    receipt_number = (receipt_number or "").strip()[:60]
    payee = (payee or "").strip()[:100]
    if not receipt_number:
        raise InvalidInput("请填写「缴款凭证号」(银行回单、电子缴款凭证或当场收缴的专用票据号码,第70条)",
                           field="receipt_number")
    if channel in (BANK, ELECTRONIC) and not payee:
        raise InvalidInput("请填写「收款银行或支付平台」(指定银行或电子支付系统)", field="payee")
    if channel == ON_THE_SPOT:
        refusal = rules.spot_refusal(spot_reason, value, owed, simplified=case.procedure_kind == SIMPLE)
        if refusal:
            raise Conflict(refusal, code=RULE_CODE, field="spot_reason")
    elif spot_reason:
        raise InvalidInput("只有当场收缴才填写「当场收缴事由」", field="spot_reason")
    due = clock_due(case, rules.PAY_FINE)
    payment = PenaltyPayment.objects.create(case=case, unit=case.unit, amount=value,
                                            surcharge=rules.surcharge(value, due, on), paid_on=on, channel=channel,
                                            receipt_number=receipt_number, payee=payee,
                                            spot_reason=spot_reason if channel == ON_THE_SPOT else "",
                                            recorded_by=actor)
    if channel == ON_THE_SPOT:
        _open_clock(case, rules.HAND_OVER, on, actor, suffix=str(payment.pk))
    if paid + value >= owed:
        _close_clock(case, rules.PAY_FINE, on, actor)
    _act_record(case, PAYMENT, on, actor, note=f"{value} 元 {dict(CHANNELS)[channel]} {receipt_number}")
    versioned_update(case, expected_version=case.version, changes={}, reason=f"登记缴款 {value} 元")
    return payment


@transaction.atomic
def cash_handover(*, case, actor, payment_id, on: date, receipt: str,
                  expected_version: int | None = None) -> PenaltyPayment:
    """上缴: cash collected on the spot paid into the designated bank, with its receipt; closes the clock of
    `penalty.hand_over_cash` (on time or late)."""
    case = _begin(case, actor, expected_version)
    payment = (case.payments.select_for_update().filter(pk=payment_id, channel=ON_THE_SPOT, voided_at__isnull=True,
                                                        handed_over_on__isnull=True).first()
               if isinstance(payment_id, int) and not isinstance(payment_id, bool) else None)
    if payment is None:
        raise InvalidInput("「缴款记录」不是本案尚未上缴的当场收缴记录", field="payment")
    on = _day(on, "on", "上缴日期", not_before=payment.paid_on, before_label="收缴日期")
    receipt = (receipt or "").strip() if isinstance(receipt, str) else ""
    if not receipt:
        raise InvalidInput("请填写「上缴银行回单号」", field="receipt")
    _close_clock(case, rules.HAND_OVER, on, actor, suffix=str(payment.pk))
    _act_record(case, HANDOVER, on, actor, note=receipt[:60])
    versioned_update(case, expected_version=case.version, changes={}, reason="当场收缴罚款上缴")
    return versioned_update(payment, expected_version=payment.version,
                            changes={"handed_over_on": on, "handover_receipt": receipt[:60]}, reason="上缴")


def surcharge_now(case, on: date | None = None) -> Decimal:
    """The surcharge owed if the unpaid rest were paid on `on` (today): the case page and ledger show it."""
    owed = rules.fine_due(case)
    rest = owed - paid_total(case)
    if rest <= 0:
        return Decimal("0.00")
    return rules.surcharge(rest, clock_due(case, rules.PAY_FINE), on or rules.today())


@transaction.atomic
def payment_void(*, case, actor, payment_id, reason: str, expected_version: int | None = None) -> PenaltyPayment:
    """作废缴款记录 (a receipt entered wrongly), with its reason; never deleted. The paid total and the surcharge
    then leave it out; the payment period runs again if the fine is no longer paid in full, and cash not yet
    handed over no longer waits for its hand-over. Only before 执行 is recorded (执行 rests on the payments)."""
    case = _begin(case, actor, expected_version)
    if case.executed_on is not None:
        raise Conflict("已登记执行完毕的案件不能作废缴款记录;如缴款登记有误,请联系法制办", code=WRONG_STATE)
    if case.decided_by_id == getattr(actor, "pk", None):  # the mirror of recording: 罚缴分离 both ways
        raise Conflict(f"您录入了本案的处罚决定,不能作废罚款的收缴记录,请由财务或其他人员办理"
                       f"(依据:{rules.BASIS_SEPARATION})", code=SEPARATION_CODE, field="payment")
    payment = (case.payments.select_for_update().filter(pk=payment_id, voided_at__isnull=True).first()
               if isinstance(payment_id, int) and not isinstance(payment_id, bool) else None)
    if payment is None:
        raise InvalidInput("「缴款记录」不是本案有效的缴款记录", field="payment")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput("请填写「作废原因」(如 凭证号录入错误、重复登记)", field="reason")
    from django.utils import timezone

    payment = versioned_update(payment, expected_version=payment.version,
                               changes={"voided_at": timezone.now(), "voided_by": actor, "void_reason": reason[:500]},
                               reason=f"作废:{reason[:200]}")
    today = rules.today()
    if payment.channel == ON_THE_SPOT and payment.handed_over_on is None:
        _close_clock(case, rules.HAND_OVER, today, actor, met=False, reason=f"缴款记录作废:{reason}",
                     suffix=str(payment.pk))
    pay_clock = clock(case, rules.PAY_FINE)
    if pay_clock is not None and pay_clock.status != Deadline.OPEN and paid_total(case) < rules.fine_due(case):
        _open_clock(case, rules.PAY_FINE, pay_clock.start, actor)  # not paid in full again: the period runs
    _act_record(case, PAYMENT_VOIDED, today, actor, note=f"{payment.amount} 元 {payment.receipt_number}:{reason}")
    versioned_update(case, expected_version=case.version, changes={}, reason=f"作废缴款记录 {payment.amount} 元")
    return payment


@transaction.atomic
def seizure_record(*, case, actor, on: date, place: str, items: str,
                   expected_version: int | None = None) -> PenaltyAct:
    """查封扣押 (行政强制法 第22–28条) taken in the case: when, where, what. Each act opens its own
    `penalty.seizure` clock (30 days, 第25条; extended through the clock with the approval) and needs its own
    written and audio-visual records (rules.records_required: 国办发〔2018〕118号 三(三))."""
    from fazhi.enforcement.records.services import records_sync

    case = _begin(case, actor, expected_version)
    if case.procedure_kind != GENERAL:
        raise Conflict("当场处罚(简易程序)的案件不登记查封扣押;查封扣押的案件请适用普通程序", code=WRONG_STATE)
    on = _day(on, "on", "查封扣押日期", not_before=case.filed_on, before_label="立案日期")
    place = cleaning.text(place, field="place", label="查封扣押地点", limit=200, required=True)
    items = cleaning.text(items, field="items", label="查封扣押的场所、设施或者财物", limit=2000, required=True)
    n = case.seizure_count + 1
    act = PenaltyAct.objects.create(case=case, unit=case.unit, kind=SEIZURE, on=on, note=f"{place}:{items}"[:2000],
                                    detail={"place": place, "items": items, "n": n,
                                            "step": rules.coercive_step(rules.SEIZE_STEP, n)}, actor=actor)
    _open_clock(case, rules.SEIZE, on, actor, suffix=str(act.pk))
    seized = on if case.seized_on is None else min(case.seized_on, on)
    case = versioned_update(case, expected_version=case.version, changes={"seized_on": seized, "seizure_count": n},
                            reason=f"查封扣押 {on.isoformat()} {place}")
    records_sync(case)
    return act


def open_seizures(case) -> list:
    """The case's 查封扣押 acts not yet released or decided on (their clocks still open)."""
    ended = {a.detail.get("seizure") for a in case.acts.filter(kind=SEIZURE_END)}
    return [a for a in case.acts.filter(kind=SEIZURE).order_by("id") if a.pk not in ended]


@transaction.atomic
def seizure_end(*, case, actor, seizure, on: date, outcome: str, note: str = "",
                expected_version: int | None = None) -> PenaltyAct:
    """解除查封扣押 or the decision on the seized property (行政强制法 第27条、第28条): closes that act's
    `penalty.seizure` clock, on time or late as the clock (with any approved extension) says."""
    case = _begin(case, actor, expected_version)
    if isinstance(seizure, str) and seizure.strip().isascii() and seizure.strip().isdigit():
        seizure = int(seizure.strip())
    found = next((a for a in open_seizures(case) if a.pk == seizure), None) \
        if isinstance(seizure, int) and not isinstance(seizure, bool) else None
    if found is None:
        raise InvalidInput("「查封扣押」应为本案尚未解除或处理的查封扣押,请从列表中选择", field="seizure")
    outcome = _choice({"outcome": outcome}, "outcome", "处理结果", rules.SEIZURE_ENDS)
    on = _day(on, "on", "解除或处理日期", not_before=found.on, before_label="查封扣押日期")
    note = cleaning.text(note, field="note", label="说明", limit=2000, required=outcome == "other")
    label = dict(rules.SEIZURE_ENDS)[outcome]
    act = PenaltyAct.objects.create(case=case, unit=case.unit, kind=SEIZURE_END, on=on,
                                    note=f"{found.on.isoformat()} 查封扣押:{label}" + (f"({note})" if note else ""),
                                    detail={"seizure": found.pk, "outcome": outcome}, actor=actor)
    _close_clock(case, rules.SEIZE, on, actor, reason=label, suffix=str(found.pk))
    versioned_update(case, expected_version=case.version, changes={}, reason=f"查封扣押{label}")
    return act


@transaction.atomic
def enforcement_record(*, case, actor, on: date, kind: str, place: str, content: str,
                       expected_version: int | None = None) -> PenaltyAct:
    """行政机关强制执行 (代履行、强制拆除、划拨 …, 行政强制法 第四章) done by the organ itself after the decision:
    a 现场执法 that needs its written and audio-visual records (国办发〔2018〕118号 三(三)). 申请人民法院强制执行
    is not this: it is a closing outcome (a written application)."""
    from fazhi.enforcement.records.services import records_sync

    case = _begin(case, actor, expected_version)
    if case.decided_on is None or rules.decision_ended(case):
        raise Conflict("只有已作出且未被撤销的处罚决定才能强制执行", code=WRONG_STATE)
    kind = _choice({"kind": kind}, "kind", "强制执行方式", rules.ENFORCE_KINDS)
    on = _day(on, "on", "强制执行日期", not_before=case.served_on or case.decided_on, before_label="送达日期")
    place = cleaning.text(place, field="place", label="执行地点", limit=200, required=True)
    content = cleaning.text(content, field="content", label="执行内容", limit=2000, required=True)
    n = case.enforced_count + 1
    act = PenaltyAct.objects.create(case=case, unit=case.unit, kind=ENFORCED, on=on,
                                    note=f"{dict(rules.ENFORCE_KINDS)[kind]} {place}:{content}"[:2000],
                                    detail={"kind": kind, "place": place, "content": content, "n": n,
                                            "step": rules.coercive_step(rules.ENFORCE_STEP, n)}, actor=actor)
    case = versioned_update(case, expected_version=case.version, changes={"enforced_count": n},
                            reason=f"行政机关强制执行 {on.isoformat()}")
    records_sync(case)
    return act


@transaction.atomic
def decision_undone(*, case, actor, kind: str, on: date, document: str, note: str = "", fine_amount=None,
                    files=None, expected_version: int | None = None) -> PenaltyCase:
    """决定被撤销、变更、确认违法或确认无效 — by 行政复议 (行政复议法 第63–66条), 行政诉讼 (行政诉讼法 第70条、第74条、
    第75条、第77条) or the organ's own correction (行政处罚法 第75条), with the document's file (复议决定书、判决书、撤销
    决定) attached to the act. Recorded also after 结案 (a reconsideration often comes after payment).
    - The published decision is withdrawn within `penalty.withdraw_publication` from `on` (第48条第2款); one not
      yet published is no longer due. A changed decision is a new decision: it is published again (第48条第1款).
    - Revoked or void: no longer executed (its payment period stops; the case closes as 「决定已撤销」).
    - Changed: the fine may be lowered, never raised; paid in full at the new amount closes the payment period,
      and paid above it is recorded as to be refunded (`refund_amount`)."""
    from fazhi.enforcement.publication.services import publication_withdraw_due

    _require_actor(actor, case)
    case = _locked(case)
    _check_version(case, expected_version)
    if case.decided_on is None:
        raise Conflict("尚未作出处罚决定,无需登记决定被撤销、变更或确认违法", code=WRONG_STATE)
    if rules.decision_ended(case):
        raise Conflict(f"处罚决定已于 {case.decision_undone_on.isoformat()} {case.get_decision_undone_kind_display()}"
                       f"({case.decision_undone_basis})", code=WRONG_STATE)
    labels = dict(UNDONE_KINDS)
    if kind not in labels:
        raise InvalidInput(f"「情形」应为:{'、'.join(f'{k}({v})' for k, v in UNDONE_KINDS)}", field="kind")
    on = _day(on, "on", "撤销、变更或确认违法的日期", not_before=case.decided_on, before_label="决定日期")
    document = cleaning.text(document, field="document", label="文书及文号", limit=200, required=True)
    note = cleaning.text(note, field="note", label="说明", limit=2000, required=False)
    files = [f for f in (files or []) if f]
    if not files:
        raise InvalidInput("请上传「文书文件」(复议决定书、判决书或本机关的撤销、变更决定,PDF、Word 或图片)",
                           field="files")
    changes = {"decision_undone_on": on, "decision_undone_kind": kind, "decision_undone_basis": document}
    fine = amount(fine_amount, "fine_amount", "变更后的罚款金额") if fine_amount not in (None, "") else None
    if fine is not None:
        if kind != CHANGED or "fine" not in (case.measures or []):
            raise InvalidInput("只有「决定被变更」且原决定含罚款的,才填写「变更后的罚款金额」", field="fine_amount")
        if fine > (case.fine_amount or 0):
            raise Conflict(f"变更后的罚款 {fine} 元不得高于原决定的 {case.fine_amount} 元(行政复议法 第63条第2款;"
                           "行政诉讼法 第77条第2款:不得加重对申请人、原告的处罚)", code=RULE_CODE, field="fine_amount")
        changes["fine_amount"] = fine
        paid = paid_total(case)
        changes["refund_amount"] = rules.money(paid - fine) if paid > fine else None
    reason = f"{labels[kind]}:{document}" + (f"({note})" if note else "")
    if kind in rules.UNDONE_ENDS:
        _close_clock(case, rules.PAY_FINE, on, actor, met=False, reason=f"处罚决定{labels[kind][2:]}:{document}")
    elif fine is not None and paid_total(case) >= fine:  # paid in full on the day of the last payment
        last = case.payments.filter(voided_at__isnull=True).aggregate(last=Max("paid_on"))["last"]
        _close_clock(case, rules.PAY_FINE, last or on, actor, reason=f"变更后的罚款 {fine} 元已缴清")
    publication_withdraw_due(case, on=on, reason=reason[:500], actor=actor)
    act = PenaltyAct.objects.create(case=case, unit=case.unit, kind=DECISION_UNDONE, on=on, note=reason[:2000],
                                    detail={"kind": kind, "document": document,
                                            "fine_amount": str(fine) if fine else ""}, actor=actor)
    attachments_add(obj=act, unit=case.unit, files=files, actor=actor)
    case = versioned_update(case, expected_version=case.version, changes=changes, reason=reason[:300])
    if kind == CHANGED:
        _publish(case, actor, changed_on=on, changed_by=document)
    event_record(verb="penalty.decision_undone", summary=f"{case.number} {reason}"[:300], actor=actor,
                 unit=case.unit, obj=case)
    return case


CASE_ACTS = {"hearing_request": hearing_request, "hearing_schedule": hearing_schedule, "hearing_notice": hearing_notice,
             "seizure": seizure_record, "decision_undone": decision_undone, "seizure_end": seizure_end,
             "enforce": enforcement_record}
