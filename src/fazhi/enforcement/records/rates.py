"""执法全过程记录: 全过程记录完整率, per unit and overall, over the cases' RecordCheck rows (penalty and licence cases
together: each module's registration says what its cases need; the check is written when the case closes and
whenever a record is added or voided), by closing date."""

from django.db.models import Q

from fazhi.core.rates import Rate, register
from fazhi.enforcement.records import rules


def _model():
    from fazhi.enforcement.records.models import RecordCheck

    return RecordCheck


def _columns() -> list:
    return [("案件", lambda c: c.title), ("类别", lambda c: c.content_type.model_class()._meta.verbose_name),
            ("单位", lambda c: c.unit.display_name), ("结案日期", lambda c: c.closed_on),
            ("缺少记录", lambda c: c.missing_text)]


def _url(check) -> str:
    from django.urls import reverse

    return reverse("enf-record-case", args=[check.content_type.model_class()._meta.label_lower, check.object_id])


RECORDS_COMPLETE = register(Rate(
    code="enforcement.records_complete", name="执法全过程记录完整率", model=_model,
    numerator=lambda cycle: Q(complete=True), denominator=lambda cycle: Q(closed_on__isnull=False),
    formula=rules.FORMULA_COMPLETE, basis=rules.BASIS, date_field="closed_on", columns=_columns, row_url=_url,
    prepare=lambda qs, cycle: qs.select_related("unit", "content_type"), order_by=("closed_on", "id")))
