"""行政执法公示: 执法决定按期公开率 (国办发〔2018〕118号), per unit and overall, over the Publication records (every
register's decisions: penalty, licence, other); the formula and filters are rules.py's."""

from django.urls import reverse
from django.utils import timezone

from fazhi.core.rates import Rate, register
from fazhi.enforcement.publication import rules


def _model():
    from fazhi.enforcement.publication.models import Publication

    return Publication


def _columns() -> list:
    def published(p) -> str:
        if p.published_on is None:
            return "逾期未公开"
        return f"{p.published_on} " + ("逾期公开" if p.published_late else "按期公开")

    return [("决定书文号", lambda p: p.document_number), ("标题", lambda p: p.title),
            ("单位", lambda p: p.unit.display_name), ("类别", lambda p: p.kind_label),
            ("决定日期", lambda p: p.decided_on), ("公开", published), ("状态", lambda p: p.state_label)]


# The denominator moves with the day: a decision enters it once published or once its period has run out.
PUBLISHED_ON_TIME = register(Rate(
    code="enforcement.published_on_time", name="执法决定按期公开率", model=_model,
    numerator=lambda cycle: rules.on_time_q(),
    denominator=lambda cycle: rules.due_for_publication_q(timezone.localdate()),
    formula=rules.FORMULA_ON_TIME, basis=rules.BASIS_PUBLISH, date_field="decided_on", columns=_columns,
    row_url=lambda p: reverse("publication-detail", args=[p.pk]), prepare=lambda qs, cycle: qs.select_related("unit"),
    order_by=("decided_on", "id")))
