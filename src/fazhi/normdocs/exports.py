"""Exports of normative documents: the document register and the filing ledger (台账) as streamed .xlsx
(core/xlsx.py), the handling suggestion to the district government and the cleanup announcement as 公文
.docx (core/gongwen.py). Through the same scoped selectors as the pages."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from fazhi.core.errors import InvalidInput
from fazhi.core.gongwen import GongwenDoc, cn_date
from fazhi.core.xlsx import xlsx_response
from fazhi.normdocs import rules, selectors
from fazhi.normdocs.models import CLOSED, CORRECTIONS, FILING_PROBLEM, FILING_CORRECTED, CleanupCampaign


def register_xlsx(*, user, query):
    filters = selectors.DocumentFilters.parse(query)
    qs = selectors.documents(user=user, filters=filters)
    today = rules.today()

    def rows():
        for d in qs.iterator(chunk_size=1000):
            yield (d.number, d.title, d.unit.code, d.unit.name, d.published_on, d.channel, d.valid_until,
                   rules.status_label(d, today), "有" if rules.legal_effect(d, today) else "无",
                   "是" if d.public_interest else "否", d.filing_due, d.filed_on, d.get_filing_state_display())

    header = ["文号", "文件名称", "单位代码", "起草单位", "公布日期", "公布渠道", "有效期至", "状态", "行政管理效力",
              "涉及公众利益", "报备期限", "报备日期", "备案审查"]
    return xlsx_response(filename=f"规范性文件登记簿-{today:%Y%m%d}.xlsx", sheets=[("规范性文件", header, rows())],
                         title="规范性文件登记簿", criteria=_criteria(filters))


def _criteria(filters) -> str:
    parts = []
    if filters.q:
        parts.append(f"名称或文号含「{filters.q}」")
    if filters.unit:
        parts.append(f"单位 {filters.unit}(含下级)")
    if filters.year:
        parts.append(f"{filters.year} 年公布")
    if filters.status:
        parts.append(f"状态 {rules.STATUS_LABELS.get(filters.status, filters.status)}")
    return "、".join(parts)


def ledger_xlsx(*, user, query):
    state = (query.get("state") or "").strip()
    from fazhi.normdocs.models import FILING_STATES

    if state and state not in dict(FILING_STATES):
        raise InvalidInput(f"「备案审查」{state[:20]} 无效", field="state")
    qs = selectors.filings(user=user, state=state)
    today = rules.today()

    def rows():
        for f in qs.iterator(chunk_size=1000):
            d = f.document
            on_time = rules.filed_on_time(d)
            yield (d.number, d.title, f.unit.name, d.published_on, d.filing_due, f.filed_on,
                   "按时" if on_time else "逾期", f.returned_count, f.refiled_on, f.get_state_display(),
                   f.problem_labels, f.suggestion, f.get_correction_display(), f.correction_due, f.corrected_on)

    header = ["文号", "文件名称", "报备单位", "公布日期", "报备期限", "报备日期", "及时", "退回补正次数", "补正后报送日期",
              "备案审查", "问题类型", "处理意见", "纠正方式", "纠正期限", "纠正日期"]
    return xlsx_response(filename=f"规范性文件备案审查台账-{today:%Y%m%d}.xlsx", sheets=[("备案台账", header, rows())],
                         title="规范性文件备案审查台账", criteria="")


def suggestion_docx(filing) -> tuple[bytes, str]:
    """书面处理建议 to the district government (plan 五(一)2), from the filing record."""
    if filing.state not in (FILING_PROBLEM, FILING_CORRECTED) or not filing.suggestion:
        raise InvalidInput("备案审查认定存在问题并填写处理意见后,才能生成处理建议", field="state")
    doc = filing.document
    office = settings.FAZHI["GONGWEN_ISSUER"]
    out = GongwenDoc.new(f"关于《{doc.title}》备案审查处理意见的建议")
    out.para("区人民政府:", indent=False)
    out.para(f"{doc.unit.name}于{cn_date(doc.published_on)}公布《{doc.title}》({doc.number or '无文号'}),"
             f"于{cn_date(filing.filed_on)}报送备案。经备案审查,该文件存在以下问题:{filing.problem_labels}。")
    if filing.review_note:
        out.para(f"审查意见:{filing.review_note}")
    out.heading("处理建议")
    out.para(filing.suggestion)
    correction = dict(CORRECTIONS).get(filing.correction, "")
    if correction:
        due = f",于{cn_date(filing.correction_due)}前完成" if filing.correction_due else ""
        out.para(f"建议责成{doc.unit.name}对该文件予以{correction}{due},并将纠正情况报送区政府法制机构。")
    out.para("以上建议,请区政府领导集体研究决定。")
    out.signature(office, filing.suggestion_on or rules.today())
    return out.to_bytes(), f"备案审查处理建议-{doc.number or doc.pk}.docx"


def announcement_docx(campaign: CleanupCampaign) -> tuple[bytes, str]:
    """清理结果公告: every item and its decision (published once the campaign is closed)."""
    if campaign.status != CLOSED:
        raise InvalidInput("清理结果公布后才能生成公告", field="status")
    items = list(selectors.public_campaign_items(campaign))
    out = GongwenDoc.new(f"关于{campaign.title}结果的公告")
    counts = {}
    for i in items:
        counts[i.get_decision_display()] = counts.get(i.get_decision_display(), 0) + 1
    summary = "、".join(f"{k} {v} 件" for k, v in counts.items()) or "无"
    out.para(f"根据法治政府建设实施方案关于每五年对规范性文件进行一次清理的要求,以{cn_date(campaign.as_of)}为基准日,"
             f"对有效的规范性文件进行了清理,共清理 {len(items)} 件,其中{summary}。现将清理结果公告如下:")
    out.table(["文号", "文件名称", "制定单位", "清理结果", "理由"],
              [[i.document.number, i.document.title, i.document.unit.name, i.get_decision_display(), i.reason]
               for i in items], widths_mm=[30, 50, 26, 20, 30])
    out.signature(settings.FAZHI["GONGWEN_ISSUER"], campaign.closed_on or rules.today())
    return out.to_bytes(), f"规范性文件清理结果公告-{campaign.as_of:%Y%m%d}.docx"


def next_cleanup_due() -> date | None:
    """The next cleanup (every normdoc.cleanup period from the last closed one), by the deadline engine."""
    from fazhi.deadlines.services import deadline_compute

    last = CleanupCampaign.objects.filter(status=CLOSED).order_by("-as_of").values_list("as_of", flat=True).first()
    return deadline_compute("normdoc.cleanup", last).due if last else None
