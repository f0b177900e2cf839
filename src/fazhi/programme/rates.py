"""The programme's rates, defined once (see fazhi.core.rates)."""

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from fazhi.core.rates import Rate, register


def _assignment():
    from fazhi.programme.models import Assignment

    return Assignment


def _unit():
    from fazhi.org.models import Unit

    return Unit


def _done_q() -> Q:
    from fazhi.programme.models import DONE

    return Q(status=DONE)


def _completion_urls(unit: str) -> dict:
    # The assignment table already filters by status and unit (scoped): the records behind the number.
    table = reverse("programme-table")
    extra = {"unit": unit} if unit else {}
    return {"numerator_url": f"{table}?{urlencode({'status': 'done', **extra})}",
            "denominator_url": f"{table}?{urlencode(extra)}" if extra else table}


COMPLETION = register(Rate(
    code="programme.completion",
    name="完成率",
    model=_assignment,
    numerator=_done_q,
    denominator=Q,  # every assignment
    formula="完成率 = 已完成的任务分解数 ÷ 全部任务分解数(按完成时限统计期间)",
    basis="实施方案 附件《创建工作责任分解表》:各项任务由牵头、责任单位按时限完成",
    date_field="due",
    list_urls=_completion_urls,
))


def _plan_unit_q() -> Q:
    from fazhi.org.models import PLAN_UNIT_KINDS

    return Q(kind__in=PLAN_UNIT_KINDS, active=True)


def _filed_on_time_q() -> Q:
    from fazhi.programme.models import WorkPlanFiling
    from fazhi.programme.rules import filed_on_time_q

    return Q(Exists(WorkPlanFiling.objects.filter(filed_on_time_q(), unit=OuterRef("pk"))))


WORKPLAN_ON_TIME = register(Rate(
    code="programme.workplan_on_time",
    name="工作方案按时报备率",
    model=_unit,
    numerator=_filed_on_time_q,
    denominator=_plan_unit_q,
    formula="按时报备率 = 在报备时限内(含当日)报备工作方案的单位数 ÷ 应报备的单位数(各部门、街道、镇)",
    basis="实施方案:各镇办、区政府各工作部门的创建工作机构和创建工作方案于4月底前报区创建工作领导小组办公室备案",
    unit_field="",
))
