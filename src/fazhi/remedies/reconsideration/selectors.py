"""Reads of 行政复议 cases, all through the scoping (`visible_to`): the respondent unit sees its own cases; the
office, inspectors and leaders all."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.filters import in_unit_subtree, query_choice, query_unit, query_year
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
        return cls(status=query_choice(query, "status", STATUSES, "状态"),
                   unit=query_unit({"unit": query.get("respondent") or query.get("unit")}, "unit", "被申请人"),
                   year=query_year(query, "year", "年份"), outcome=query_choice(query, "outcome", OUTCOMES, "结果"))

    def apply(self, qs, *, user):
        qs = in_unit_subtree(qs, user, self.unit, "被申请人")
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
