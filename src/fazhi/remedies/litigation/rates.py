"""The four rates of 行政应诉 (plan 五(一)7), defined once over the cases and the hearings (core/rates.py),
per defendant unit and overall; their formulas and filters are rules.py's."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fazhi.core.rates import Rate, register
from fazhi.remedies.litigation import rules

BASIS = "工作方案 五(一)7:依法按期答辩举证,行政机关负责人出庭应诉;" \
        "行政诉讼法 第3条第3款、第67条;最高人民法院关于行政机关负责人出庭应诉若干问题的规定"


def _case():
    from fazhi.remedies.litigation.models import Litigation

    return Litigation


def _hearing():
    from fazhi.remedies.litigation.models import Hearing

    return Hearing


def _case_columns() -> list:
    def answer(c) -> str:
        return (f"{c.answered_on} " if c.answered_on else "") + c.answer_label

    return [("案号", lambda c: f"{c.court} {c.case_number}"), ("案由", lambda c: c.cause),
            ("被告单位", lambda c: c.unit.display_name), ("收到起诉状副本", lambda c: c.received_on),
            ("答辩举证", answer), ("状态", lambda c: c.status_label),
            ("生效裁判", lambda c: c.get_result_display() or "—"),
            ("败诉", lambda c: "败诉" if c.lost else ("—" if c.lost is None else "否"))]


def _hearing_columns() -> list:
    def who(h) -> str:
        parts = []
        if h.leader_name:
            parts.append(f"负责人 {h.leader_label}")
        if h.staff:
            parts.append("工作人员 " + "、".join(h.staff))
        if h.lawyers:
            parts.append("律师 " + "、".join(h.lawyers))
        return ";".join(parts) or "无人出庭"

    return [("案号", lambda h: h.litigation.case_number), ("被告单位", lambda h: h.unit.display_name),
            ("庭审日期", lambda h: h.held_on), ("类型", lambda h: h.get_kind_display()), ("出庭人员", who),
            ("负责人未出庭理由", lambda h: h.get_absence_reason_display() or "—")]


def _case_url(c) -> str:
    return reverse("litigation-detail", args=[c.pk])


def _hearing_url(h) -> str:
    return reverse("litigation-detail", args=[h.litigation_id]) + f"#hearing-{h.pk}"


def _case_rate(code, name, numerator, denominator, date_field):
    return register(Rate(code=code, name=name, model=_case, numerator=numerator, denominator=denominator,
                         formula=rules.FORMULAS[code], basis=BASIS, date_field=date_field, columns=_case_columns,
                         row_url=_case_url, prepare=lambda qs, cycle: qs.select_related("unit"),
                         order_by=(date_field, "id")))


def _hearing_rate(code, name, numerator):
    return register(Rate(code=code, name=name, model=_hearing, numerator=numerator, denominator=lambda cycle: Q(),
                         formula=rules.FORMULAS[code], basis=BASIS, date_field="held_on", columns=_hearing_columns,
                         row_url=_hearing_url, prepare=lambda qs, cycle: qs.select_related("unit", "litigation"),
                         order_by=("held_on", "id")))


# The denominator of 按期答辩率 moves with the day: a case enters it once its period has run out unanswered.
ANSWER_ON_TIME = _case_rate("litigation.answer_on_time", "按期答辩率", lambda cycle: rules.answer_on_time_q(),
                            lambda cycle: rules.answer_due_q(timezone.localdate()), "received_on")
APPEARANCE = _hearing_rate("litigation.appearance", "出庭率", lambda cycle: rules.appeared_q())
LEADER_APPEARANCE = _hearing_rate("litigation.leader_appearance", "负责人出庭率", lambda cycle: rules.leader_appeared_q())
LOST = _case_rate("litigation.lost", "败诉率", lambda cycle: rules.lost_q(), lambda cycle: rules.lost_denominator_q(),
                  "effective_on")
