"""Excel exports of the portal: a consultation's adoption table (意见采纳情况表), unmasked for the record
(only through the scoped staff page), written by the one writer of core/xlsx.py."""

from __future__ import annotations

from fazhi.core.xlsx import xlsx_response
from fazhi.portal import selectors

ADOPTION_HEADER = ["序号", "受理编号", "收到日期", "意见内容", "采纳情况", "理由", "反馈日期"]


def adoption_table_xlsx(consultation):
    rows = ((r.no, r.tracking_no, r.received_on, r.content, r.adoption_label, r.reason, r.answered_on)
            for r in selectors.adoption_table(consultation, public=False))
    period = f"征求意见期 {consultation.starts_on:%Y-%m-%d} 至 {consultation.ends_on:%Y-%m-%d}"
    return xlsx_response(filename=f"意见采纳情况表-{consultation.starts_on:%Y%m%d}.xlsx",
                         sheets=[("意见采纳情况表", ADOPTION_HEADER, rows)],
                         title=f"意见采纳情况表 · {consultation.title}", criteria=period)
