"""Reads of fault accountability: the register (scoped; filters unit, year, responsibility, sanction, status;
a page in constant queries), one record, and the filter parsing shared by the page, the export and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from fazhi.core.errors import InvalidInput
from fazhi.core.filters import FilterError, clean_text, clean_unit_code, parse_year, visible_unit_path
from fazhi.enforcement.fault.models import (RESPONSIBILITY_LABELS, SANCTION_LABELS, STATUS_LABELS, FaultRecord)

LABELS = {"unit": "单位", "year": "年份", "responsibility": "责任类型", "sanction": "追究方式", "status": "状态",
          "compensated": "国家赔偿"}


def _choice(raw, choices: dict, label: str) -> str:
    value = clean_text(raw, max_length=24)
    if value and value not in choices:
        raise FilterError(f"未知的{label}「{value}」,可选: " + "、".join(f"{k}({v})" for k, v in choices.items()))
    return value


def _year(raw) -> int | None:
    year = parse_year(clean_text(raw, max_length=10))  # four ASCII digits: "²" or "٢٠٢٦" are refused, not a 500
    if year is not None and not 2000 <= year <= 2100:
        raise FilterError(f"「{year}」不是有效年份,请填写四位年份,如 2026")
    return year


def _bool(raw) -> bool | None:
    from fazhi.core.filters import parse_bool

    return parse_bool(clean_text(raw, max_length=5))


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
        f = cls()
        parsers = {"unit": clean_unit_code, "year": _year,
                   "responsibility": lambda v: _choice(v, RESPONSIBILITY_LABELS, "责任类型"),
                   "sanction": lambda v: _choice(v, SANCTION_LABELS, "追究方式"),
                   "status": lambda v: _choice(v, {**STATUS_LABELS, "voided": "已作废"}, "状态"),
                   "compensated": _bool}
        for field, parse in parsers.items():
            try:
                setattr(f, field, parse(query.get(field, "")))
                if field == "unit" and f.unit:
                    f.unit_path = visible_unit_path(user, f.unit)
            except FilterError as e:
                raise InvalidInput(f"「{LABELS[field]}」{e}", field=field) from None
        return f

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
