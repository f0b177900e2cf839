"""Excel export of the decision catalogue (年度重大行政决策事项目录): every item the user may see, with its
lead unit, decision-maker, flags, status and the facts kept from its procedure; a second sheet lists the
adjustments with their reasons. Streamed in chunks through the one writer (core/xlsx.py)."""

from __future__ import annotations

from fazhi.core.xlsx import Sheet, xlsx_response
from fazhi.decisions import selectors

HEADER = ["序号", "决策事项", "事项概要", "承办单位", "决策机关", "决策机关负责人", "计划决策时间", "专家论证",
          "风险评估", "听证", "状态", "送请合法性审查", "决策会议", "会议日期", "公布日期", "公布途径"]
ADJ_HEADER = ["调整日期", "类型", "决策事项", "调整理由", "变更内容", "目录公布后"]


def _yes(flag: bool) -> str:
    return "须" if flag else ""


def catalogue_rows(*, user, catalogue):
    for d in selectors.decisions(user=user, catalogue=catalogue).iterator(chunk_size=2000):
        yield (d.seq, d.title, d.summary, d.unit.name, d.maker, d.maker_head, d.planned, _yes(d.professional),
               _yes(d.stability), "拟听证" if d.hearing else "", d.status_label, d.legality_sent_on, d.meeting,
               d.meeting_on, d.published_on, d.publication_channel)


def adjustment_rows(*, user, catalogue):
    for a in selectors.adjustments(user=user, catalogue=catalogue).order_by("on", "id").iterator(chunk_size=2000):
        changes = ";".join(f"{k}:{b} → {v}" for k, (b, v) in a.changes.items())
        yield (a.on, a.get_kind_display(), a.decision.title, a.reason, changes, "是" if a.after_publication else "")


def catalogue_xlsx(*, user, catalogue):
    status = "已公布" if catalogue.published else "编制中"
    return xlsx_response(filename=f"{catalogue.title}.xlsx", title=f"{catalogue.title}({status})",
                         sheets=[Sheet("决策事项目录", HEADER, catalogue_rows(user=user, catalogue=catalogue)),
                                 Sheet("目录调整", ADJ_HEADER, adjustment_rows(user=user, catalogue=catalogue))])
