"""The programme's rates, defined once (see fazhi.core.rates), each counted within one programme."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from fazhi.core.rates import Cycle, Rate, register, register_cycle


def _assignment():
    from fazhi.programme.models import Assignment

    return Assignment


def _unit():
    from fazhi.org.models import Unit

    return Unit


def _programme_get(pk: int):
    from fazhi.programme.models import Programme

    return Programme.objects.filter(pk=pk).first()


def _programme_default():
    from fazhi.programme.selectors import current_programme

    return current_programme()


def _programme_choices() -> list:
    from fazhi.programme.models import Programme

    return [(p.pk, p.name) for p in Programme.objects.order_by("-start", "-pk")]


PROGRAMME = register_cycle(Cycle(param="programme", label="创建周期", get=_programme_get,
                                 default=_programme_default, choices=_programme_choices))


def _in_programme(programme) -> Q:
    return Q(programme=programme) if programme is not None else Q()


def _done_q(programme) -> Q:
    from fazhi.programme.models import DONE

    return Q(status=DONE)


def _assignment_columns() -> list:
    return [("任务", lambda a: f"{a.task.code} {a.task.title}"), ("单位", lambda a: a.unit.display_name),
            ("完成时限", lambda a: a.due), ("状态", lambda a: a.get_status_display())]


COMPLETION = register(Rate(
    code="programme.completion",
    name="完成率",
    model=_assignment,
    numerator=_done_q,
    denominator=_in_programme,
    formula="完成率 = 已完成的任务分解数 ÷ 全部任务分解数(按完成时限统计期间)",
    basis="实施方案 附件《创建工作责任分解表》:各项任务由牵头、责任单位按时限完成",
    date_field="due",
    cycle="programme",
    columns=_assignment_columns,
    row_url=lambda a: reverse("assignment-detail", args=[a.pk]),
    prepare=lambda qs, programme: qs.select_related("task"),
    order_by=("due", "id"),
))


def _plan_unit_q(programme) -> Q:
    from fazhi.org.models import PLAN_UNIT_KINDS

    return Q(kind__in=PLAN_UNIT_KINDS, active=True)


def _filings(programme):
    from fazhi.programme.models import WorkPlanFiling

    qs = WorkPlanFiling.objects.filter(unit=OuterRef("pk"))
    return qs.filter(programme=programme) if programme is not None else qs


def _filed_on_time_q(programme) -> Q:
    from fazhi.programme.rules import filed_on_time_q

    return Q(Exists(_filings(programme).filter(filed_on_time_q())))


def _with_filing(qs, programme):
    # The unit's filing in this programme (the latest, if no programme is named): one subquery per column.
    latest = _filings(programme).order_by("-filed_at", "-pk")
    return qs.annotate(filed_at=Subquery(latest.values("filed_at")[:1]), filing_due=Subquery(latest.values("due")[:1]))


def _filing_state(unit) -> str:
    from types import SimpleNamespace

    from django.utils import timezone

    from fazhi.programme.rules import filed_late

    if unit.filed_at is None:
        return "未报备"
    late = filed_late(SimpleNamespace(filed_at=unit.filed_at, due=unit.filing_due))  # the one rule
    return f"{timezone.localtime(unit.filed_at):%Y-%m-%d} 报备" + ("(逾期)" if late else "(按时)")


WORKPLAN_ON_TIME = register(Rate(
    code="programme.workplan_on_time",
    name="工作方案按时报备率",
    model=_unit,
    numerator=_filed_on_time_q,
    denominator=_plan_unit_q,
    formula="按时报备率 = 在报备时限内(含当日)报备工作方案的单位数 ÷ 应报备的单位数(各部门、街道、镇)",
    basis="实施方案:各镇办、区政府各工作部门的创建工作机构和创建工作方案于4月底前报区创建工作领导小组办公室备案",
    unit_field="",
    cycle="programme",
    columns=lambda: [("单位", lambda u: u.display_name), ("报备情况", _filing_state)],
    row_url=lambda u: reverse("workplan-file", args=[u.code]),
    prepare=_with_filing,
    order_by=("sort_order", "code"),
))
