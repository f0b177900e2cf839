"""Rates of this package, registered once (core/rates.py): 执法主体公告率."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fazhi.core.rates import Rate, register
from fazhi.enforcement.subjects import rules

BASIS = "工作方案 五(一)3(严格执法主体资格,向社会公告);国办发〔2018〕118号(行政执法公示制度)"
FORMULA = "已向社会公告的审查合格执法主体数 ÷ 审查合格且未撤销的执法主体数"


def _model():
    from fazhi.enforcement.subjects.models import EnforcementSubject

    return EnforcementSubject


def _denominator(cycle) -> Q:
    from fazhi.enforcement.subjects import models as m

    today = timezone.localdate()
    return Q(review_status=m.QUALIFIED) & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))


def _numerator(cycle) -> Q:
    return rules.public_subjects_q(timezone.localdate())


def _columns() -> list:
    return [("主体名称", lambda s: s.name), ("单位", lambda s: s.unit.display_name),
            ("主体类别", lambda s: s.get_kind_display()), ("审查日期", lambda s: s.reviewed_on),
            ("公告日期", lambda s: s.announced_on or "未公告")]


SUBJECTS_ANNOUNCED = register(Rate(
    code="enforcement.subjects_announced", name="执法主体公告率", model=_model, numerator=_numerator,
    denominator=_denominator, formula=FORMULA, basis=BASIS, date_field=None, columns=_columns,
    row_url=lambda s: reverse("subject-detail", args=[s.pk]), prepare=lambda qs, cycle: qs.select_related("unit"),
    order_by=("unit__sort_order", "name", "id")))
