"""The rates of 行政许可 (工作方案 五(一)4), per unit and overall; their formulas live once in rules.py."""

from django.urls import reverse

from fazhi.core.rates import Rate, register


def _case():
    from fazhi.enforcement.licence.models import LicenceCase

    return LicenceCase


def _q(name):
    def q(cycle):
        from fazhi.enforcement.licence import rules

        return getattr(rules, name)()
    return q


def _columns(date_label, date_attr, flag_label, flag):
    def columns():
        return [("申请编号", lambda c: c.number), ("申请人", lambda c: c.applicant_name),
                ("许可事项", lambda c: c.item.name), ("实施单位", lambda c: c.unit.display_name),
                (date_label, lambda c: getattr(c, date_attr)), (flag_label, flag)]
    return columns


def _rate(code, name, numerator, denominator, formula, date_field, columns):
    from fazhi.enforcement.licence.rules import RATE_BASIS

    return register(Rate(code=code, name=name, model=_case, numerator=numerator, denominator=denominator,
                         formula=formula, basis=RATE_BASIS, date_field=date_field, columns=columns,
                         row_url=lambda c: reverse("licence-detail", args=[c.pk]),
                         prepare=lambda qs, cycle: qs.select_related("unit", "item"), order_by=(date_field, "id")))


ON_TIME = _rate("licence.on_time", "行政许可按期决定率", _q("on_time_q"), _q("decided_q"),
                "按期决定率 = 在决定期限(licence.decide,受理之日起二十个工作日;经批准延长的计入)内作出决定的案件数 ÷ "
                "作出许可决定(准予或不予)的案件数(按决定日期统计期间)", "decided_on",
                _columns("决定日期", "decided_on", "决定期限", lambda c: "超期" if c.decision_late else "按期"))
NOTIFIED_ONCE = _rate("licence.notified_once", "补正一次告知及时率", _q("notified_once_q"), _q("notified_q"),
                      "补正一次告知及时率 = 在补正告知期限(licence.notify_incomplete,收到申请材料之日起五个工作日)内一次告知"
                      "需补正全部内容的申请数 ÷ 告知补正的申请数(按告知日期统计期间)", "correction_notice_on",
                      _columns("告知日期", "correction_notice_on", "告知期限",
                               lambda c: "逾期(视为受理)" if c.correction_notice_late else "按期"))
LEGAL_REVIEW = _rate("licence.legal_review", "重大行政许可决定法制审核率", _q("reviewed_before_q"), _q("major_decided_q"),
                     "法制审核率 = 作出决定之日或之前经法制办法制审核通过的重大许可决定数 ÷ 作出决定的重大许可决定数"
                     "(属于本单位重大执法决定目录的许可决定,受理时认定;按决定日期统计期间;国办发〔2018〕118号)", "decided_on",
                     _columns("决定日期", "decided_on", "法制审核",
                              lambda c: f"{c.legal_review_on:%Y-%m-%d} 审核通过" if c.legal_review_on else "未经审核"))
