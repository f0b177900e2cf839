"""The two rates of 行政复议 (工作方案 五(一)6), per respondent unit and overall, by decision date; their formulas
live once in rules.py (decided_q, corrected_q, on_time_q)."""

from django.urls import reverse

from fazhi.core.rates import Rate, register


def _case():
    from fazhi.remedies.reconsideration.models import Reconsideration

    return Reconsideration


def _decided(cycle):
    from fazhi.remedies.reconsideration.rules import decided_q

    return decided_q()


def _corrected(cycle):
    from fazhi.remedies.reconsideration.rules import corrected_q

    return corrected_q()


def _on_time(cycle):
    from fazhi.remedies.reconsideration.rules import on_time_q

    return on_time_q()


def _columns() -> list:
    return [("案号", lambda c: c.number), ("申请人", lambda c: c.applicant_names), ("被申请人", lambda c: c.unit.display_name),
            ("决定日期", lambda c: c.decided_on), ("结果", lambda c: c.get_outcome_display()),
            ("审理期限", lambda c: "超期" if c.decision_late else "按期")]


def _rate(code, name, numerator, formula):
    from fazhi.remedies.reconsideration.rules import RATE_BASIS

    return register(Rate(code=code, name=name, model=_case, numerator=numerator, denominator=_decided,
                         formula=formula, basis=RATE_BASIS, date_field="decided_on", columns=_columns,
                         row_url=lambda c: reverse("reconsideration-detail", args=[c.pk]),
                         prepare=lambda qs, cycle: qs.select_related("unit"), order_by=("decided_on", "id")))


CORRECTION = _rate("reconsideration.correction", "行政复议纠错率", _corrected,
                   "纠错率 = 决定变更、撤销、确认违法、责令履行、确认无效的案件数 ÷ 作出复议决定的案件数(维持、变更、撤销、"
                   "确认违法、责令履行、确认无效、驳回、调解;终止、不予受理不计)(按决定日期统计期间)")
ON_TIME = _rate("reconsideration.on_time", "行政复议结案及时率", _on_time,
                "结案及时率 = 在审理期限内(含经批准延长的期限;中止期间不计)作出复议决定的案件数 ÷ 作出复议决定的案件数"
                "(按决定日期统计期间)")
