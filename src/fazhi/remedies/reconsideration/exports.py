"""Exports of 行政复议 cases: the 台账 as a streamed .xlsx (core/xlsx.py; scoped, with the list's filters) and the
行政复议决定书 as 公文 .docx (core/gongwen.py) from the record, for a decided case only."""

from __future__ import annotations

from fazhi.core.errors import Conflict
from fazhi.core.gongwen import GongwenDoc, cn_date
from fazhi.core.xlsx import xlsx_response
from fazhi.deadlines.selectors import clocks_brief_bulk
from fazhi.remedies.reconsideration import rules, selectors
from fazhi.remedies.reconsideration.models import APPLICANT_KINDS, DECIDED, MEDIATE, Reconsideration

CHUNK = 500


def ledger_xlsx(*, user, query):
    filters = selectors.CaseFilters.parse(query)
    qs = selectors.cases(user=user, filters=filters)
    today = rules.today()

    def rows():
        chunk = []
        for case in qs.iterator(chunk_size=CHUNK):
            chunk.append(case)
            if len(chunk) >= CHUNK:
                yield from _rows(chunk)
                chunk = []
        if chunk:
            yield from _rows(chunk)

    header = ["案号", "申请人", "第三人", "被申请人", "被申请复议的行政行为", "文书号", "申请日期", "收到申请日期", "申请期限",
              "审理程序", "受理日期", "状态", "审理期限届满日", "延长(日)", "结果", "决定(结案)日期", "审理期限内结案"]
    return xlsx_response(filename=f"行政复议案件台账-{today:%Y%m%d}.xlsx", sheets=[("行政复议台账", header, rows())],
                         title="行政复议案件台账", criteria=filters.describe())


def _rows(cases: list[Reconsideration]):
    purpose = rules.clock_purpose(rules.DECIDE)
    briefs = clocks_brief_bulk(cases)
    for c in cases:
        clock = next((b for b in briefs[c.pk] if b["purpose"] == purpose), None)
        on_time = "" if c.decision_late is None else ("否" if c.decision_late else "是")
        yield (c.number, c.applicant_names, "、".join(p.get("name", "") for p in c.third_parties or []),
               c.unit.name, c.act_name, c.act_number, c.applied_on, c.received_on,
               "超过申请期限(待受理时决定)" if rules.late_application(c) else ("期限内" if c.apply_due else "未填知道日期"),
               c.get_procedure_kind_display(), c.accepted_on, c.get_status_display(),
               clock["due"] if clock else None, clock["extended_days"] if clock else 0,
               c.get_outcome_display(), c.ended_on, on_time)


def _party(p: dict) -> str:
    kinds = dict(APPLICANT_KINDS)
    return f"{p.get('name', '')}({kinds.get(p.get('kind'), '')})" if p.get("kind") else p.get("name", "")


def decision_docx(case: Reconsideration) -> tuple[bytes, str]:
    """行政复议决定书: parties, the request, the facts found, the decision and its reasons, and the notice of the
    right to sue (the period and its basis from the catalogue rule, never typed). A case ended by 调解 gets the
    行政复议调解书 instead (第73条): the agreement (entered as the 决定理由), binding once signed by the parties and
    sealed — no notice of a right to sue."""
    from fazhi.deadlines.catalogue import get_rule
    from fazhi.org.models import Unit

    if case.status != DECIDED:
        raise Conflict("案件尚未作出复议决定,不能生成行政复议决定书", code="reconsideration.not_decided")
    organ = Unit.objects.filter(parent__isnull=True).order_by("sort_order", "code").values_list("name", flat=True).first()
    mediated = case.outcome == MEDIATE
    title = "行政复议调解书" if mediated else "行政复议决定书"
    out = GongwenDoc.new(title, mark=organ or "", number=case.number)
    for p in case.applicants:
        out.para(f"申请人:{_party(p)}", indent=False)
    out.para(f"被申请人:{case.unit.name}", indent=False)
    for p in case.third_parties or []:
        out.para(f"第三人:{_party(p)}", indent=False)
    act = case.act_name + (f"({case.act_number})" if case.act_number else "")
    dated = f"于{cn_date(case.act_date)}作出的" if case.act_date else ""
    out.para(f"申请人不服被申请人{dated}{act},于{cn_date(case.applied_on)}向本机关申请行政复议,本机关于"
             f"{cn_date(case.received_on)}收到申请,于{cn_date(case.accepted_on)}依法受理,适用{case.get_procedure_kind_display()}"
             "审理。本案现已审理终结。")
    out.heading("申请人请求")
    out.para(case.request)
    out.para(f"申请人称:{case.grounds}")
    out.heading("本机关查明")
    out.para(case.facts)
    if mediated:
        out.heading("调解结果")
        out.para("经本机关主持调解,申请人与被申请人在自愿、合法的基础上达成如下协议:")
        out.para(case.reasoning)
        out.para(f"本调解书根据{rules.LAW}第七十三条制作,经各方当事人签字或者签章,并加盖本机关印章,即具有法律效力。")
        for p in case.applicants:
            out.para(f"申请人(签字或者签章):{p.get('name', '')}", indent=False)
        out.para(f"被申请人(签章):{case.unit.name}", indent=False)
        out.signature(organ or "", case.decided_on)
        return out.to_bytes(), f"{title}-{case.number}.docx"
    out.heading("本机关认为")
    out.para(case.reasoning)
    article, clause = rules.DECISION_CLAUSES[case.outcome]
    act = case.act_name + (f"({case.act_number})" if case.act_number else "")
    out.para(f"根据{rules.LAW}{article}的规定,本机关决定:{clause.format(act=act)}。")
    rule = get_rule(rules.LITIGATION_RULE)
    out.para(f"申请人如不服本决定,可以自收到本决定书之日起{rule.period_text(rule.period)}内,依法向人民法院提起行政诉讼"
             f"({rule.basis})。")
    out.signature(organ or "", case.decided_on)
    return out.to_bytes(), f"{title}-{case.number}.docx"
