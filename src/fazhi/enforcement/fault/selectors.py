"""Reads of fault accountability: the register (scoped; filters unit, year, responsibility, sanction, status;
a page in constant queries), one record, and the filter parsing shared by the page, the export and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from fazhi.core.filters import query_bool, query_choice, query_unit, query_year, unit_path_of
from fazhi.enforcement.fault.models import (RESPONSIBILITY_LABELS, SANCTION_LABELS, STATUS_LABELS, FaultRecord)

LABELS = {"unit": "单位", "year": "年份", "responsibility": "责任类型", "sanction": "追究方式", "status": "状态",
          "compensated": "国家赔偿"}


@dataclass
class Filters:
    unit: str = ""
    unit_path: str | None = None
    year: int | None = None
    responsibility: str = ""
    sanction: str = ""
    status: str = ""
    compensated: bool | None = None

    @classmethod
    def parse(cls, query, user) -> Filters:
        unit = query_unit(query, "unit", LABELS["unit"])
        return cls(unit=unit, unit_path=unit_path_of(user, unit, LABELS["unit"]) if unit else None,
                   year=query_year(query, "year", LABELS["year"]),
                   responsibility=query_choice(query, "responsibility", RESPONSIBILITY_LABELS.items(), LABELS["responsibility"]),
                   sanction=query_choice(query, "sanction", SANCTION_LABELS.items(), LABELS["sanction"]),
                   status=query_choice(query, "status", [*STATUS_LABELS.items(), ("voided", "已作废")], LABELS["status"]),
                   compensated=query_bool(query, "compensated", LABELS["compensated"]))

    def apply(self, qs):
        if self.unit_path:
            qs = qs.in_subtree(self.unit_path)
        if self.year:
            qs = qs.filter(found_on__gte=date(self.year, 1, 1), found_on__lte=date(self.year, 12, 31))
        if self.responsibility:
            qs = qs.filter(responsibility=self.responsibility)
        if self.sanction:
            qs = qs.filter(sanction=self.sanction)
        if self.status == "voided":
            qs = qs.filter(voided_at__isnull=False)
        elif self.status:
            qs = qs.active().filter(status=self.status)
        if self.compensated is not None:
            qs = qs.filter(compensation_paid__isnull=not self.compensated)
        return qs

    def describe(self) -> str:
        parts = [f"{LABELS[k]}:{v}" for k, v in (("unit", self.unit), ("year", self.year),
                                                 ("responsibility", RESPONSIBILITY_LABELS.get(self.responsibility)),
                                                 ("sanction", SANCTION_LABELS.get(self.sanction)),
                                                 ("status", self.status)) if v]
        return ";".join(parts) or "全部"


def _officers():
    from fazhi.enforcement.subjects.models import Officer

    return Prefetch("officers", queryset=Officer.objects.order_by("name", "id").only("id", "name", "staff_number"))


def records(*, user, filters: Filters):
    return (filters.apply(FaultRecord.objects.visible_to(user))
            .select_related("unit", "penalty_case", "licence_case").prefetch_related(_officers())
            .order_by("-found_on", "-id"))


def record_get(*, user, pk) -> FaultRecord | None:
    return (FaultRecord.objects.visible_to(user).select_related("unit", "penalty_case", "licence_case")
            .prefetch_related(_officers()).filter(pk=pk).first())
