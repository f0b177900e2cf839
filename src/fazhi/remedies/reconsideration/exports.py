"""Exports of 行政复议 cases: the 台账 as a streamed .xlsx (core/xlsx.py; scoped, with the list's filters) and the
行政复议决定书 as 公文 .docx (core/gongwen.py) from the record, for a decided case only."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from fazhi.core.errors import Conflict
from fazhi.core.gongwen import GongwenDoc, cn_date
from fazhi.core.xlsx import xlsx_response
from fazhi.deadlines.models import Deadline
from fazhi.remedies.reconsideration import rules, selectors
from fazhi.remedies.reconsideration.models import APPLICANT_KINDS, DECIDED, Reconsideration

CHUNK = 500


def _decide_clocks(ids: list[int]) -> dict[str, Deadline]:
    ct = ContentType.objects.get_for_model(Reconsideration)
    return {d.object_id: d for d in Deadline.objects.filter(content_type=ct, object_id__in=[str(i) for i in ids],
                                                             purpose=rules.clock_purpose(rules.DECIDE))}


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
    clocks = _decide_clocks([c.pk for c in cases])
    for c in cases:
        clock = clocks.get(str(c.pk))
        on_time = "" if c.decision_late is None else ("否" if c.decision_late else "是")
        yield (c.number, c.applicant_names, "、".join(p.get("name", "") for p in c.third_parties or []),
               c.unit.name, c.act_name, c.act_number, c.applied_on, c.received_on,
               "超过申请期限(待受理时决定)" if rules.late_application(c) else ("期限内" if c.apply_due else "未填知道日期"),
               c.get_procedure_kind_display(), c.accepted_on, c.get_status_display(),
               None if clock is None or clock.paused_since else clock.due,
               ((clock.explanation or {}).get("extend") or 0) if clock else 0,
               c.get_outcome_display(), c.ended_on, on_time)


def _party(p: dict) -> str:
    kinds = dict(APPLICANT_KINDS)
    return f"{p.get('name', '')}({kinds.get(p.get('kind'), '')})" if p.get("kind") else p.get("name", "")


def decision_docx(case: Reconsideration) -> tuple[bytes, str]:
    """行政复议决定书: parties, the request, the facts found, the decision and its reasons, and the notice of the
    right to sue (the period and its basis from the catalogue rule, never typed)."""
    from fazhi.deadlines.catalogue import get_rule
    from fazhi.org.models import Unit

    if case.status != DECIDED:
        raise Conflict("案件尚未作出复议决定,不能生成行政复议决定书", code="reconsideration.not_decided")
    organ = Unit.objects.filter(parent__isnull=True).order_by("sort_order", "code").values_list("name", flat=True).first()
    out = GongwenDoc.new("行政复议决定书", mark=organ or "", number=case.number)
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
    out.heading("本机关认为")
    out.para(case.reasoning)
    out.para(f"根据{rules.LAW}的规定,本机关决定:{case.get_outcome_display()}。")
    rule = get_rule(rules.LITIGATION_RULE)
    out.para(f"申请人如不服本决定,可以自收到本决定书之日起{rule.period_text(rule.period)}内,依法向人民法院提起行政诉讼"
             f"({rule.basis})。")
    out.signature(organ or "", case.decided_on)
    return out.to_bytes(), f"行政复议决定书-{case.number}.docx"
