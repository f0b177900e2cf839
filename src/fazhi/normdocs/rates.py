"""The three filing rates of the plan (五(一)2: 报备率、报备及时率、报备规范率达到100%), defined once over the
documents (see fazhi.core.rates), periods by publication date, per unit and overall."""

from django.db.models import Q
from django.urls import reverse

from fazhi.core.rates import Rate, register

BASIS = "工作方案 五(一)2:规范性文件备案审查做到有错必纠,报备率、报备及时率、报备规范率达到100%"


def _document():
    from fazhi.normdocs.models import NormativeDocument

    return NormativeDocument


def _published(cycle) -> Q:
    return Q(published_on__isnull=False)


def _filed(cycle) -> Q:
    return Q(published_on__isnull=False, filed_on__isnull=False)


def _on_time(cycle) -> Q:
    from fazhi.normdocs.rules import on_time_q

    return on_time_q()


def _complete(cycle) -> Q:
    """Filed with every material and accepted without a return for 补正 (materials are refused at filing
    unless all four are there; a return means they were not in order)."""
    from fazhi.normdocs.models import ACCEPTED_FILING_STATES

    return Q(filing_returned=False, filing_state__in=ACCEPTED_FILING_STATES)


def _columns() -> list:
    from fazhi.normdocs.rules import filed_on_time, status_label

    def filing(d) -> str:
        if d.filed_on is None:
            return "未报备"
        return f"{d.filed_on} 报备({'按时' if filed_on_time(d) else '逾期'})" + ("·曾退回补正" if d.filing_returned else "")

    return [("文件", lambda d: f"{d.title} {d.number}"), ("起草单位", lambda d: d.unit.display_name),
            ("公布日期", lambda d: d.published_on), ("报备期限", lambda d: d.filing_due), ("报备情况", filing),
            ("备案审查", lambda d: d.get_filing_state_display()), ("状态", status_label)]


def _rate(code, name, numerator, denominator, formula):
    return register(Rate(code=code, name=name, model=_document, numerator=numerator, denominator=denominator,
                         formula=formula, basis=BASIS, date_field="published_on", columns=_columns,
                         row_url=lambda d: reverse("normdoc-detail", args=[d.pk]), order_by=("published_on", "id")))


FILING = _rate("normdoc.filing", "报备率", _filed, _published,
               "报备率 = 已报送备案的规范性文件数 ÷ 已公布的规范性文件数(按公布日期统计期间)")
FILING_ON_TIME = _rate("normdoc.filing_on_time", "报备及时率", _on_time, _filed,
                       "报备及时率 = 在报备期限内(公布之日起「规范性文件备案」期限内,默认 30 日,含当日)报送的文件数 ÷ 已报送备案的文件数")
FILING_COMPLETE = _rate("normdoc.filing_complete", "报备规范率", _complete, _filed,
                        "报备规范率 = 材料齐全且未经退回补正即被接收审查的文件数 ÷ 已报送备案的文件数")
