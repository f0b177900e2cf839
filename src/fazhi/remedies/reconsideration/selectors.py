"""Reads of 行政复议 cases, all through the scoping (`visible_to`): the respondent unit sees its own cases; the
office, inspectors and leaders all."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.errors import InvalidInput
from fazhi.core.filters import FilterError, clean_unit_code, parse_year, visible_unit_path
from fazhi.remedies.reconsideration.models import OUTCOMES, STATUSES, Reconsideration, ReconsiderationAct


@dataclass
class CaseFilters:
    status: str = ""
    unit: str = ""
    year: int | None = None
    outcome: str = ""

    @classmethod
    def parse(cls, query) -> CaseFilters:
        """The list's filters (pages, export, API alike); a value not understood is InvalidInput naming it."""
        status = (query.get("status") or "").strip()
        if status and status not in dict(STATUSES):
            raise InvalidInput(f"「状态」{status[:20]} 无效,可选:{'、'.join(f'{k}({v})' for k, v in STATUSES)}",
                               field="status")
        outcome = (query.get("outcome") or "").strip()
        if outcome and outcome not in dict(OUTCOMES):
            raise InvalidInput(f"「结果」{outcome[:20]} 无效,可选:{'、'.join(f'{k}({v})' for k, v in OUTCOMES)}",
                               field="outcome")
        try:
            unit = clean_unit_code(query.get("respondent") or query.get("unit") or "")
        except FilterError as e:
            raise InvalidInput(f"「被申请人」{e}", field="unit") from None
        try:
            year = parse_year(query.get("year"))
        except FilterError as e:
            raise InvalidInput(f"「年份」{e}", field="year") from None
        return cls(status=status, unit=unit, year=year, outcome=outcome)

    def apply(self, qs, *, user):
        if self.unit:
            try:
                qs = qs.in_subtree(visible_unit_path(user, self.unit))
            except FilterError as e:
                raise InvalidInput(f"「被申请人」{e}", field="unit") from None
        if self.status:
            qs = qs.filter(status=self.status)
        if self.outcome:
            qs = qs.filter(outcome=self.outcome)
        if self.year:
            qs = qs.filter(number_year=self.year)
        return qs

    def describe(self) -> str:
        parts = []
        if self.unit:
            parts.append(f"被申请人 {self.unit}")
        if self.year:
            parts.append(f"{self.year} 年收案")
        if self.status:
            parts.append(f"状态 {dict(STATUSES)[self.status]}")
        if self.outcome:
            parts.append(f"结果 {dict(OUTCOMES)[self.outcome]}")
        return "、".join(parts)


def cases(*, user, filters: CaseFilters):
    qs = Reconsideration.objects.visible_to(user).select_related("unit")
    return filters.apply(qs, user=user).order_by("-received_on", "-id")


def case_get(*, user, pk: int) -> Reconsideration | None:
    return Reconsideration.objects.visible_to(user).select_related("unit", "created_by").filter(pk=pk).first()


def case_acts(case) -> list[ReconsiderationAct]:
    return list(case.acts.select_related("actor").order_by("id"))
