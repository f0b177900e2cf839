"""Reads of the publication of decisions: the staff list (scoped, filtered, constant queries a page), one
publication, the public list and page (published, not withdrawn; masked fields only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.db.models import Q

from fazhi.core.errors import InvalidInput
from fazhi.core.filters import FilterError, clean_text, clean_unit_code, parse_year, visible_unit_path
from fazhi.enforcement.publication import rules
from fazhi.enforcement.publication.models import (CANCELLED, DUE, KIND_LABELS, PUBLISHED, WITHDRAWING, WITHDRAWN,
                                                   Publication)

# The staff list's states: the stored ones, and two read from the clocks.
LIST_STATES = {DUE: "待公开", "overdue": "逾期未公开", PUBLISHED: "已公开", "late": "逾期公开",
               WITHDRAWING: "待撤回", WITHDRAWN: "已撤回", CANCELLED: "无需公开"}
YEARS = (2000, 2100)
FILTER_LABELS = {"unit": "单位", "state": "状态", "kind": "决定类别", "year": "年份"}


def _state_q(state: str, today: date) -> Q:
    if state == "overdue":
        return Q(state=DUE) & rules.overdue_q(today)
    if state == "late":
        return Q(published_late=True)
    return Q(state=state)


def _year(raw) -> int | None:
    year = parse_year(clean_text(raw, max_length=10))  # four ASCII digits: "²" or "٢٠٢٦" are refused, not a 500
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise FilterError(f"「{year}」不是有效年份,请填写四位年份,如 2026")
    return year


def _choice(raw, choices: dict, label: str) -> str:
    value = clean_text(raw, max_length=20)
    if value and value not in choices:
        allowed = "、".join(f"{k}({v})" for k, v in choices.items())
        raise FilterError(f"未知的{label}「{value}」,可选: {allowed}")
    return value


@dataclass
class Filters:
    unit: str = ""
    unit_path: str | None = None
    state: str = ""
    kind: str = ""
    year: int | None = None

    @classmethod
    def parse(cls, query, user=None) -> Filters:
        """From a query string; a value not understood is InvalidInput naming the field. `user` None: the public
        page (any unit may be named; an unknown one is refused the same way)."""
        f = cls()
        for field, parse in (("unit", lambda v: clean_unit_code(v)), ("state", lambda v: _choice(v, LIST_STATES, "状态")),
                             ("kind", lambda v: _choice(v, KIND_LABELS, "决定类别")), ("year", _year)):
            try:
                setattr(f, field, parse(query.get(field, "")))
            except FilterError as e:
                raise InvalidInput(f"「{FILTER_LABELS[field]}」{e}", field=field) from None
        if f.unit:
            try:
                if user is None:
                    from fazhi.org.models import Unit

                    f.unit_path = Unit.objects.filter(code=f.unit).values_list("path", flat=True).first()
                    if f.unit_path is None:
                        raise FilterError(f"未找到单位「{f.unit}」,请从列表中选择单位")
                else:
                    f.unit_path = visible_unit_path(user, f.unit)
            except FilterError as e:
                raise InvalidInput(f"「单位」{e}", field="unit") from None
        return f


def _filtered(qs, f: Filters, today: date, *, date_field: str):
    if f.unit_path:
        qs = qs.in_subtree(f.unit_path)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.year:
        qs = qs.filter(**{f"{date_field}__gte": date(f.year, 1, 1), f"{date_field}__lte": date(f.year, 12, 31)})
    if f.state:
        qs = qs.filter(_state_q(f.state, today))
    return qs


def publications(*, user, filters: Filters, today: date):
    """The staff list: newest decision first."""
    qs = Publication.objects.visible_to(user).select_related("unit")
    return _filtered(qs, filters, today, date_field="decided_on").order_by("-decided_on", "-id")


def publication_get(*, user, pk) -> Publication | None:
    return Publication.objects.visible_to(user).select_related("unit").filter(pk=pk).first()


def public_publications(*, filters: Filters):
    """Published and not withdrawn, newest publication first; only the public fields are read."""
    qs = Publication.objects.public().select_related("unit").only(
        "public_code", "kind", "title", "document_number", "party_masked", "decided_on", "published_on",
        "unit__name", "unit__short_name", "unit__code")
    return _filtered(qs, filters, timezone.localdate(), date_field="published_on").order_by("-published_on", "-id")


def public_publication(code: str) -> Publication | None:
    if not isinstance(code, str) or len(code) > 16:
        return None
    return Publication.objects.public().select_related("unit").filter(public_code=code).first()
