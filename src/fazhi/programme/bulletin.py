"""The programme 通报 for a period, as a 公文 .docx: completion per unit, the overdue list and the
units that filed their work plans late. Everything is read through the scoped selectors, so an
office, leader or inspector gets the district and a unit user gets their own unit's version."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpResponse

from fazhi.core.errors import InvalidInput
from fazhi.core.gongwen import GongwenDoc, cn_date, doc_number
from fazhi.core.scoping import scope_for
from fazhi.programme import rules, selectors, services
from fazhi.programme.models import Programme

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_DATA = "—"  # 0/0: no data, never 0% or 100%


def parse_period(query, programme: Programme) -> tuple[date, date]:
    """from/to as YYYY-MM-DD, each defaulting to the programme's own start/end."""
    out = {}
    for field, default in (("from", programme.start), ("to", programme.end)):
        raw = (query.get(field) or "").strip()
        if not raw:
            out[field] = default
            continue
        try:
            out[field] = date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"「{field}」日期格式不对:{raw[:20]}。请写成 YYYY-MM-DD,例如 2026-04-30。",
                               field=field) from None
    if out["from"] > out["to"]:
        raise InvalidInput(f"起始日期 from({out['from']})晚于截止日期 to({out['to']}),请调换或改正。", field="to")
    return out["from"], out["to"]


def parse_number(query) -> int | None:
    """The 发文字号's serial the office enters (1–9999); empty: none (a draft numbered by hand)."""
    raw = (query.get("number") or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 9999:
        raise InvalidInput(f"「发文字号」序号「{raw[:20]}」不对:请填 1 至 9999 的整数,如 3(生成〔年份〕3号)。",
                           field="number")
    return int(raw)


def rate_text(done: int, total: int) -> str:
    return f"{selectors.completion_rate(done, total)}%" if total else NO_DATA


# A .docx is built in memory: the overdue table lists this many rows and counts the rest (the
# streamed 责任分解表 export with 逾期 holds the whole list).
OVERDUE_LISTED = 300


def build(*, user, programme: Programme, start: date, end: date, today: date, number: int | None = None) -> bytes:
    units = selectors.bulletin_by_unit(user=user, programme=programme, start=start, end=end)
    overdue_qs = selectors.bulletin_overdue(user=user, programme=programme, start=start, end=end, today=today)
    overdue = list(overdue_qs[:OVERDUE_LISTED])
    overdue_count = overdue_qs.count() if len(overdue) == OVERDUE_LISTED else len(overdue)
    due = services.workplan_due(programme)
    plan_units = list(selectors.filing_status(user=user))
    filings = selectors.filings_for(user=user, units=plan_units, programme=programme)
    late = [(u, filings.get(u.pk), rules.filing_lateness(filings.get(u.pk), due=due, today=today)) for u in plan_units]
    late = [row for row in late if row[2]]

    office = settings.FAZHI["GONGWEN_ISSUER"]  # 署名: the issuing body named in the 版头
    doc = GongwenDoc.new(f"关于{programme.name}工作进展情况的通报",
                         number=doc_number(today.year, number, settings.FAZHI["GONGWEN_CODE"]) if number else "")
    total = sum(r["total"] for r in units)
    done = sum(r["done"] for r in units)
    doc.para(f"现将{cn_date(start)}至{cn_date(end)}期间到期的创建任务完成情况通报如下(统计截至{cn_date(today)})。"
             f"本期到期任务分解{total}项,已完成{done}项,完成率{rate_text(done, total)};逾期未完成{overdue_count}项。")
    if not scope_for(user).all_units:
        doc.para("本通报按查看人的权限生成,仅含本单位的记录。")

    doc.heading("一、各单位任务完成情况")
    doc.para("完成率=已完成÷本期到期的任务分解;本期无到期任务的单位记为“—”。")
    doc.table(["单位", "任务分解", "已完成", "完成率"],
              [[r["unit"], str(r["total"]), str(r["done"]), rate_text(r["done"], r["total"])] for r in units])

    doc.heading("二、逾期未完成任务")
    if overdue:
        doc.table(["任务", "单位", "完成时限"],
                  [[f"{a.task.code} {a.task.title}", a.unit.display_name, cn_date(a.due)] for a in overdue],
                  widths_mm=[78, 36, 42])
        if overdue_count > len(overdue):
            doc.para(f"以上列出前{len(overdue)}项,另有{overdue_count - len(overdue)}项未列出;"
                     "完整清单请在责任分解表中筛选“逾期”后导出 Excel。")
    else:
        doc.para("本期无逾期未完成任务。")

    doc.heading("三、工作方案逾期报备单位")
    doc.para(f"工作方案应于{cn_date(due)}前报备。")
    if late:
        doc.table(["单位", "情况"],
                  [[u.display_name, f"{cn_date(rules_localdate(f))}报备(逾期)" if f else "逾期未报备"]
                   for u, f, _ in late])
    else:
        doc.para("无逾期报备单位。")

    doc.heading("四、下一步要求")
    doc.para("请逾期单位抓紧整改,按时限完成任务并报送佐证材料;请各单位对照责任分解表,做好下一阶段工作。")
    doc.signature(office, today)
    return doc.to_bytes()


def rules_localdate(filing) -> date:
    from django.utils import timezone

    return timezone.localtime(filing.filed_at).date()


def response(*, user, programme: Programme, start: date, end: date, today: date,
             number: int | None = None) -> HttpResponse:
    body = build(user=user, programme=programme, start=start, end=end, today=today, number=number)
    filename = f"创建工作通报-{start:%Y%m%d}-{end:%Y%m%d}.docx"
    resp = HttpResponse(body, content_type=CONTENT_TYPE)
    from fazhi.core.views import attachment_disposition

    resp["Content-Disposition"] = attachment_disposition(filename)
    return resp
