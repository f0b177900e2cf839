"""The four rates of 行政处罚 (工作方案 五(一)3–4), per unit, per key area and overall; their formulas live once in
rules.py. penalty.* count decisions by decision date; officer.certified counts the officers put on cases by the
case's filing date."""

from django.urls import reverse

from fazhi.core.rates import Rate, register


def _case():
    from fazhi.enforcement.penalty.models import PenaltyCase

    return PenaltyCase


def _officer_model():
    from fazhi.enforcement.penalty.models import PenaltyOfficer

    return PenaltyOfficer


def _q(name):
    def q(cycle):
        from fazhi.enforcement.penalty import rules

        return getattr(rules, name)()

    return q


def _certified_now():
    from fazhi.enforcement.penalty.rules import certified_exists

    return certified_exists()


def _columns() -> list:
    return [("案号", lambda c: c.number), ("当事人", lambda c: c.party_name), ("办案单位", lambda c: c.unit.display_name),
            ("执法领域", lambda c: c.key_area.name), ("决定日期", lambda c: c.decided_on),
            ("决定书文号", lambda c: c.decision_number),
            ("办案期限", lambda c: "超期" if c.decision_late else "按期"),
            ("适用听证", lambda c: "是" if c.hearing_qualifies else "否"),
            ("告知听证权利", lambda c: "是" if c.hearing_notified else "否"),
            ("重大执法决定", lambda c: "是" if c.major else "否"), ("法制审核日期", lambda c: c.legal_review_on)]


def _officer_columns() -> list:
    return [("案号", lambda r: r.case.number), ("执法人员", lambda r: r.officer.name),
            ("办案单位", lambda r: r.unit.display_name), ("立案日期", lambda r: r.case.filed_on),
            ("执法证号", lambda r: r.certificate_number or "—"), ("立案日持有效证件(按现有证件记录)", lambda r: "是" if r.certified_now else "否")]


def _case_rate(code, name, numerator, denominator, formula):
    from fazhi.enforcement.penalty.rules import RATE_BASIS

    return register(Rate(code=code, name=name, model=_case, numerator=_q(numerator), denominator=_q(denominator),
                         formula=formula, basis=RATE_BASIS, date_field="decided_on", columns=_columns,
                         row_url=lambda c: reverse("penalty-detail", args=[c.pk]),
                         prepare=lambda qs, cycle: qs.select_related("unit", "key_area"),
                         order_by=("decided_on", "id")))


ON_TIME = _case_rate("penalty.on_time", "行政处罚按期决定率", "on_time_q", "decided_q",
                     "按期决定率 = 在办案期限(penalty.decide,自立案之日起)内作出决定的案件数 ÷ 作出决定的案件数(按决定日期统计期间;"
                     "简易程序当场决定计为按期)")
HEARING_NOTIFIED = _case_rate("penalty.hearing_notified", "听证权利告知率", "hearing_notified_q", "hearing_qualified_q",
                              "听证权利告知率 = 决定的处罚适用听证(第63条)且告知书载明听证权利的案件数 ÷ 决定的处罚适用听证的案件数")
LEGAL_REVIEW = _case_rate("penalty.legal_review", "重大执法决定法制审核率", "reviewed_before_q", "major_q",
                          "法制审核率 = 决定前完成法制审核的重大执法决定数 ÷ 重大执法决定数(按本单位重大执法决定法制审核目录判断)")
CERTIFIED = register(Rate(
    code="officer.certified", name="执法人员持证办案率", model=_officer_model, numerator=_q("certified_q"),
    denominator=_q("officer_rows_q"),
    formula="持证办案率 = 承办行政处罚案件时(立案日)持有有效执法证件的承办人员人次 ÷ 承办人员人次(按立案日期统计期间;"
            "计算时按现有证件记录重新判断,事后登记的、早于立案日生效的暂扣或注销计为未持证)",
    basis="行政处罚法 第42条(执法人员应当持有执法证件);工作方案 五(一)3(持证上岗、亮证执法)",
    date_field="case__filed_on", columns=_officer_columns,
    row_url=lambda r: reverse("penalty-detail", args=[r.case_id]),
    prepare=lambda qs, cycle: qs.select_related("case", "officer", "unit").annotate(certified_now=_certified_now()),
    order_by=("case__filed_on", "id")))

RATES = (ON_TIME, HEARING_NOTIFIED, LEGAL_REVIEW, CERTIFIED)
# The field each rate groups by for 执法领域.
KEY_AREA_FIELD = {"officer.certified": "case__key_area"}


def tables(user) -> dict:
    """The rates page: the four rates overall, per unit and per key area (each a grouped query)."""
    from fazhi.core.rates import compute, compute_by, compute_by_unit, display, records_url
    from fazhi.org.models import KeyArea, Unit

    overall, by_unit, by_area = [], {}, {}
    for rate in RATES:
        overall.append((rate, compute(rate, user), records_url(rate, "denominator")))
        for uid, counts in compute_by_unit(rate, user).items():
            by_unit.setdefault(uid, {})[rate.code] = counts
        for aid, counts in compute_by(rate, user, field=KEY_AREA_FIELD.get(rate.code, "key_area")).items():
            by_area.setdefault(aid, {})[rate.code] = counts
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(by_unit)).order_by("sort_order", "code")}
    areas = {a.pk: a for a in KeyArea.objects.filter(pk__in=list(by_area))}

    def row(counts):
        return [(counts.get(r.code, {}).get("numerator"), counts.get(r.code, {}).get("denominator"),
                 display(counts[r.code]["value"]) if r.code in counts else "—") for r in RATES]

    unit_rows = [(u, row(by_unit[u.pk])) for u in units.values()]
    area_rows = [(a, row(by_area[a.pk])) for a in sorted(areas.values(), key=lambda a: (a.sort_order, a.code))]
    return {"rates": RATES, "overall": [(r, c, display(c["value"]), url) for r, c, url in overall],
            "unit_rows": unit_rows, "area_rows": area_rows}
