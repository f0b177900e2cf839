"""Exports of 行政处罚 cases: the 台账 as a streamed .xlsx (core/xlsx.py; scoped, with the list's filters; the
party's ID number, address and phone are not in it), the 行政处罚事先告知书 (听证告知书 when the penalty
qualifies) and the 行政处罚决定书 as 公文 .docx (core/gongwen.py) from the record."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from fazhi.core.errors import Conflict
from fazhi.core.gongwen import GongwenDoc, cn_date
from fazhi.core.xlsx import xlsx_response
from fazhi.deadlines.selectors import clocks_brief_bulk
from fazhi.enforcement.penalty import rules, selectors
from fazhi.enforcement.penalty.models import MEASURE_LABELS, PenaltyCase, PenaltyPayment

CHUNK = 500
HEADER = ["案号", "办案单位", "执法主体", "执法领域", "程序", "案件来源", "当事人", "当事人类型", "案由", "立案日期", "状态",
          "处罚种类", "罚款(元)", "没收(元)", "告知日期", "适用听证", "当事人要求听证", "听证日期", "重大执法决定", "法制审核日期",
          "决定日期", "决定书文号", "办案期限届满日", "按期决定", "送达日期", "缴款期限", "已缴罚款(元)", "已缴加处罚款(元)",
          "截至今日应加处罚款(元)", "结案日期", "结案情形"]


def ledger_xlsx(*, user, query):
    filters = selectors.CaseFilters.parse(query)
    qs = selectors.cases(user=user, filters=filters)
    today = rules.today()

    def rows():
        chunk = []
        for case in qs.iterator(chunk_size=CHUNK):
            chunk.append(case)
            if len(chunk) >= CHUNK:
                yield from _rows(chunk, today)
                chunk = []
        if chunk:
            yield from _rows(chunk, today)

    return xlsx_response(filename=f"行政处罚案件台账-{today:%Y%m%d}.xlsx", sheets=[("行政处罚台账", HEADER, rows())],
                         title="行政处罚案件台账", criteria=filters.describe())


def _rows(cases: list[PenaltyCase], today):
    briefs = clocks_brief_bulk(cases, today=today)
    paid = {r["case_id"]: (r["amount"], r["surcharge"]) for r in
            PenaltyPayment.objects.filter(case_id__in=[c.pk for c in cases], voided_at__isnull=True)
            .values("case_id").annotate(amount=Sum("amount"), surcharge=Sum("surcharge")).order_by()}
    decide_purpose, pay_purpose = rules.clock_purpose(rules.DECIDE), rules.clock_purpose(rules.PAY_FINE)
    for c in cases:
        decide = next((b for b in briefs[c.pk] if b["purpose"] == decide_purpose), None)
        pay = next((b for b in briefs[c.pk] if b["purpose"] == pay_purpose), None)
        amount, surcharge = paid.get(c.pk, (Decimal(0), Decimal(0)))
        rest = rules.fine_due(c) - amount
        owed_now = rules.surcharge(rest, pay["due"], today) if pay and rest > 0 else Decimal(0)
        yes_no = {True: "是", False: "否", None: ""}
        yield (c.number, c.unit.name, c.subject.name, c.key_area.name, c.get_procedure_kind_display(),
               c.get_source_display(), c.party_name, c.get_party_kind_display(), c.cause, c.filed_on,
               c.get_status_display(), c.measures_text if c.measures else "", c.fine_amount, c.confiscation_amount,
               c.notified_on, yes_no[c.hearing_qualifies], c.hearing_requested_on, c.hearing_on, yes_no[c.major],
               c.legal_review_on, c.decided_on, c.decision_number, decide["due"] if decide else None,
               "" if c.decision_late is None else ("否" if c.decision_late else "是"), c.served_on,
               pay["due"] if pay else None, amount, surcharge, owed_now, c.closed_on, c.get_close_outcome_display())


def _organ(case) -> str:
    return case.subject.name


def _party_lines(out, case, party: dict | None) -> None:
    # `party`: the personal data as the reader may see it (selectors.party_view: masked for read-only roles).
    party = party or {"id_number": case.party_id_number, "address": case.party_address}
    out.para(f"当事人:{case.party_name}({case.get_party_kind_display()})", indent=False)
    if party["id_number"]:
        label = "身份证件号码" if case.party_kind == "person" else "统一社会信用代码"
        out.para(f"{label}:{party['id_number']}", indent=False)
    if party["address"]:
        out.para(f"住所或地址:{party['address']}", indent=False)


def _penalty_text(case) -> str:
    parts = []
    for m in case.measures or []:
        if m == "fine" and case.fine_amount:
            parts.append(f"罚款人民币{case.fine_amount}元")
        elif m in ("confiscate_income", "confiscate_property") and case.confiscation_amount:
            parts.append(f"{MEASURE_LABELS[m]}人民币{case.confiscation_amount}元")
        else:
            parts.append(MEASURE_LABELS[m])
    return "、".join(parts)


def notice_docx(case: PenaltyCase, *, party: dict | None = None) -> tuple[bytes, str]:
    """行政处罚事先告知书 (第44条、第45条); when the penalty qualifies (第63条), 行政处罚听证告知书: the right to a
    hearing within the period of `penalty.hearing_request` (from the catalogue, never typed)."""
    from fazhi.deadlines.catalogue import get_rule

    if case.notified_on is None:
        raise Conflict("案件尚未告知,不能生成告知书", code="penalty.not_notified")
    title = "行政处罚听证告知书" if case.hearing_notified else "行政处罚事先告知书"
    out = GongwenDoc.new(title, mark=_organ(case), number=f"{case.number}(告)")
    _party_lines(out, case, party)
    out.para(f"经查,你(单位){case.facts}")
    out.para(f"以上事实有下列证据证明:{case.evidence}")
    out.para(f"你(单位)的上述行为违反了{case.basis_violation}。依据{case.basis_penalty}的规定,本机关拟对你(单位)作出如下"
             f"行政处罚:{_penalty_text(case)}。")
    out.para(f"根据{rules.LAW}第四十四条、第四十五条的规定,你(单位)有权进行陈述和申辩。")
    if case.hearing_notified:
        rule = get_rule(rules.CLOCK_RULES[rules.HEARING_REQUEST])
        from fazhi.deadlines.services import rule_period

        out.para(f"根据{rules.LAW}第六十三条、第六十四条的规定,你(单位)有权要求举行听证。如要求听证,应当在收到本告知书之日起"
                 f"{rule.period_text(rule_period(rule.id) or rule.period)}内向本机关提出({rule.basis});逾期未提出的,"
                 "视为放弃听证权利。")
    out.signature(_organ(case), case.notified_on)
    return out.to_bytes(), f"{title}-{case.number}.docx"


def decision_docx(case: PenaltyCase, *, party: dict | None = None) -> tuple[bytes, str]:
    """行政处罚决定书 (第59条): the party, the facts and evidence, the basis, the penalty, how and by when to pay
    (penalty.pay_fine, 罚缴分离, the surcharge of 第72条), the remedy notice (kept with the decision, built from the
    catalogue), the organ and the date."""
    from fazhi.deadlines.catalogue import get_rule
    from fazhi.deadlines.services import rule_period

    if case.decided_on is None:
        raise Conflict("案件尚未作出处罚决定,不能生成行政处罚决定书", code="penalty.not_decided")
    title = "当场行政处罚决定书" if case.procedure_kind == "simple" else "行政处罚决定书"
    out = GongwenDoc.new(title, mark=_organ(case), number=case.decision_number)
    _party_lines(out, case, party)
    out.para(f"案由:{case.cause}", indent=False)
    out.heading("违法事实和证据")
    out.para(case.facts)
    if case.evidence:
        out.para(f"以上事实有下列证据证明:{case.evidence}")
    if case.hearing_on:
        out.para(f"本机关于{cn_date(case.hearing_on)}依法举行了听证。")
    if case.major and case.legal_review_on:
        out.para(f"本案属重大执法决定,已于{cn_date(case.legal_review_on)}经法制审核。")
    out.heading("处罚依据和处罚决定")
    basis = f"违反了{case.basis_violation}," if case.basis_violation else ""
    out.para(f"你(单位)的上述行为{basis}依据{case.basis_penalty}的规定,本机关决定对你(单位)作出如下行政处罚:"
             f"{_penalty_text(case)}。")
    if case.fine_amount:
        rule = get_rule(rules.CLOCK_RULES[rules.PAY_FINE])
        out.para(f"请自收到本决定书之日起{rule.period_text(rule_period(rule.id) or rule.period)}内,到指定银行或者通过电子支付"
                 f"系统缴纳罚款({rule.basis})。到期不缴纳罚款的,每日按罚款数额的百分之三加处罚款,加处罚款的数额不超出罚款的数额"
                 f"({rules.LAW}第七十二条)。")
    out.heading("救济途径")
    out.para(case.remedy_notice)
    out.signature(_organ(case), case.decided_on)
    return out.to_bytes(), f"{title}-{case.decision_number or case.number}.docx"
