"""Exports of 行政许可: the items register and the cases 台账 as streamed .xlsx (core/xlsx.py; scoped, with the
lists' filters), and the 准予(不予)行政许可决定书 as 公文 .docx (core/gongwen.py) from a decided case."""

from __future__ import annotations

from fazhi.core.errors import Conflict
from fazhi.core.gongwen import GongwenDoc, cn_date
from fazhi.core.xlsx import xlsx_response
from fazhi.deadlines.catalogue import get_rule
from fazhi.deadlines.selectors import clocks_brief_bulk
from fazhi.enforcement.licence import rules, selectors
from fazhi.enforcement.licence.models import GRANT, LicenceCase

CHUNK = 500


def _chunked(qs, rows):
    chunk = []
    for obj in qs.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) >= CHUNK:
            yield from rows(chunk)
            chunk = []
    if chunk:
        yield from rows(chunk)


def items_xlsx(*, user, query):
    filters = selectors.ItemFilters.parse(query, user=user)
    qs = selectors.items(user=user, filters=filters)
    rule = get_rule(rules.CLOCK_RULES[rules.DECIDE])
    statutory = rule.period_text(rule.period)

    def rows(chunk):
        for i in chunk:
            yield (i.unit.name, i.subject.name, i.code, i.name, i.get_basis_kind_display(), i.basis, i.conditions,
                   i.quantity_limit or "无", i.procedure, statutory, f"{i.promised_days}个工作日" if i.promised_days else "",
                   "\n".join(i.materials_list), (f"{i.fee_amount}(依据:{i.fee_basis})" if i.fee_charged else "不收费"),
                   i.get_status_display(), i.published_on, i.withdrawn_on)

    header = ["实施单位", "实施主体", "事项编码", "事项名称", "设定依据类别", "设定依据", "许可条件", "数量限制", "办理程序",
              "法定办理时限", "承诺办理时限", "申请材料目录", "收费", "状态", "公布日期", "停止实施日期"]
    return xlsx_response(filename=f"行政许可事项目录-{rules.today():%Y%m%d}.xlsx",
                         sheets=[("许可事项目录", header, _chunked(qs, rows))], title="行政许可事项目录",
                         criteria=filters.describe())


def cases_xlsx(*, user, query):
    filters = selectors.CaseFilters.parse(query, user=user)
    qs = selectors.cases(user=user, filters=filters)
    purpose = rules.clock_purpose(rules.DECIDE)

    def rows(chunk):
        briefs = clocks_brief_bulk(chunk)
        for c in chunk:
            decide = next((b for b in briefs[c.pk] if b["purpose"] == purpose), None)
            yield (c.number, c.unit.name, c.item.code, c.item.name, c.applicant_name, c.received_on,
                   c.correction_notice_on, {None: "", True: "逾期", False: "按期"}[c.correction_notice_late],
                   c.correction_received_on, c.accepted_on, "是" if c.deemed_accepted else "",
                   decide["due"] if decide else None, decide["extended_days"] if decide else 0, c.get_status_display(),
                   c.get_outcome_display(), c.decided_on, {None: "", True: "否", False: "是"}[c.decision_late],
                   c.decision_number, c.certificate_number, c.certificate_issued_on,
                   "是" if c.is_overdue else "")

    header = ["申请编号", "实施单位", "事项编码", "许可事项", "申请人", "收到申请材料", "补正告知", "补正告知期限", "收到补正材料",
              "受理日期", "视为受理(第32条)", "决定期限届满日", "延长(工作日)", "状态", "决定", "决定日期", "决定期限内作出",
              "决定书文号", "许可证件编号", "发证日期", "有逾期期限"]
    return xlsx_response(filename=f"行政许可案件台账-{rules.today():%Y%m%d}.xlsx",
                         sheets=[("行政许可台账", header, _chunked(qs, rows))], title="行政许可案件台账",
                         criteria=filters.describe())


def decision_docx(case: LicenceCase, *, applicant: dict | None = None) -> tuple[bytes, str]:
    """准予行政许可决定书 (or 不予行政许可决定书 with the reasons and the remedy notice, 第38条) from the record."""
    if not case.outcome:
        raise Conflict("案件尚未作出行政许可决定,不能生成决定书", code="licence.not_decided")
    granted = case.outcome == GRANT
    title = "准予行政许可决定书" if granted else "不予行政许可决定书"
    out = GongwenDoc.new(title, mark=case.subject.name, number=case.decision_number)
    code = (applicant or {"code": case.applicant_code})["code"]  # selectors.applicant_view: masked for readers
    out.para(f"申请人:{case.applicant_name}" + (f"({code})" if code else ""), indent=False)
    accepted = (f"于{cn_date(case.accepted_on)}依法受理" if not case.deemed_accepted else
                f"依{rules.LAW}第三十二条自{cn_date(case.received_on)}起视为受理")
    out.para(f"你(单位)于{cn_date(case.received_on)}向本机关提出{case.item.name}的申请(申请编号 {case.number}),"
             f"申请事项:{case.matter}。本机关{accepted}。")
    if granted:
        out.para(f"经审查,你(单位)的申请符合{case.item.basis}规定的条件、标准。根据{rules.LAW}第三十八条第一款的规定,"
                 f"本机关决定准予行政许可。")
        if case.certificate_number:
            until = f"至{cn_date(case.certificate_valid_until)}" if case.certificate_valid_until else "长期有效"
            out.para(f"许可证件编号:{case.certificate_number},有效期自{cn_date(case.certificate_valid_from)}{until}。")
        else:
            rule = get_rule(rules.CLOCK_RULES[rules.CERTIFICATE])
            out.para(f"本机关将自本决定作出之日起{rule.period_text(rule.period)}内向你(单位)颁发、送达行政许可证件({rule.basis})。")
        out.para(f"本决定依{rules.LAW}第四十条予以公开。")
    else:
        out.para(f"经审查,{case.decision_reason}")
        out.para(f"根据{rules.LAW}第三十八条第二款的规定,本机关决定不予行政许可。")
        out.para(case.remedy_notice)
    out.signature(case.subject.name, case.decided_on)
    return out.to_bytes(), f"{title}-{case.decision_number}.docx"


def hearing_notice_docx(case: LicenceCase) -> tuple[bytes, str]:
    """行政许可听证通知书 (第48条) from the record: to the applicant (and, the same text, the interested parties), the
    time, place and host of the hearing, the right to ask for the host's withdrawal, and 第45条 on the period."""
    from fazhi.enforcement.licence.models import HEARING_REQUESTED

    if case.hearing_notice_on is None:
        raise Conflict("尚未通知听证,不能生成听证通知书", code="licence.no_hearing")
    title = "行政许可听证通知书"
    out = GongwenDoc.new(title, mark=case.subject.name)
    out.para(f"{case.applicant_name}" + (f"、{case.hearing_requested_by}" if case.hearing_requested_by else "") + ":",
             indent=False)
    if case.hearing_kind == HEARING_REQUESTED:
        ground = (f"{case.hearing_requested_by}于{cn_date(case.hearing_requested_on)}提出听证申请,"
                  f"依{rules.LAW}第四十七条的规定")
    else:
        ground = f"该许可事项{case.get_hearing_kind_display()},依{rules.LAW}第四十六条的规定"
    out.para(f"{case.applicant_name}于{cn_date(case.received_on)}提出的{case.item.name}申请(申请编号 {case.number}),"
             f"{ground},本机关定于{cn_date(case.hearing_on)}在{case.hearing_place}举行听证,由{case.hearing_host_name}主持。")
    out.para("申请人、利害关系人认为主持人与该行政许可事项有直接利害关系的,有权申请回避。举行听证时,审查该行政许可申请的"
             "工作人员提供审查意见的证据、理由,申请人、利害关系人可以提出证据,并进行申辩和质证"
             f"({rules.LAW}第四十八条第一款)。本机关将根据听证笔录作出行政许可决定(同条第二款)。")
    out.para(f"听证所需时间不计算在作出行政许可决定的期限内({rules.LAW}第四十五条)。")
    out.signature(case.subject.name, case.hearing_notice_on)
    return out.to_bytes(), f"{title}-{case.number}.docx"
