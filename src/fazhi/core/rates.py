"""Rates computed from records: each defined once (numerator and denominator filters over one
model's scoped queryset, formula, legal basis) and counted in the database, per unit in one
grouped query or overall. 0/0 is "no data" (None), never 0% or 100%.

A module defines its rates in its own `rates.py` with `register(Rate(...))` and lists that module
in RATE_MODULES; `load()` imports them on first use. Every page, API call and (later) assessment
score reads a rate from here, so its rule lives once.

A rate may be counted within a cycle (a programme, later an assessment year): its numerator and
denominator take the cycle (None: every cycle), and the module registers how a cycle is found
(`register_cycle`). Every number links to its records: `records_url` → the scoped, paginated list of
the numerator's or the denominator's records (core/rates_views.py), with the rate's own columns.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q

REGISTRY: dict[str, "Rate"] = {}
CYCLES: dict[str, "Cycle"] = {}
# The modules whose `rates.py` defines rates; imported on first use.
RATE_MODULES = ("fazhi.programme.rates", "fazhi.normdocs.rates", "fazhi.remedies.reconsideration.rates",
                "fazhi.remedies.litigation.rates", "fazhi.enforcement.subjects.rates", "fazhi.enforcement.penalty.rates",
                "fazhi.enforcement.licence.rates",
                "fazhi.enforcement.publication.rates", "fazhi.enforcement.records.rates")
PARTS = {"numerator": "分子", "denominator": "分母"}


@dataclass(frozen=True)
class Cycle:
    """What a rate may be counted within, named by a query parameter (e.g. `programme`)."""

    param: str
    label: str  # e.g. 创建周期
    get: Callable[[int], Any]  # id -> the object, or None if there is none
    default: Callable[[], Any]  # the one used when the query names none (e.g. the current programme)
    choices: Callable[[], list]  # [(id, label)] for a page's select


@dataclass(frozen=True)
class Rate:
    code: str
    name: str
    model: Callable  # () -> the model class (a callable so definitions need no app registry at import)
    numerator: Callable[[Any], Q]  # (cycle or None) -> Q over the model, applied within the denominator
    denominator: Callable[[Any], Q]  # (cycle or None) -> Q over the model
    formula: str  # the formula in words, as the plan states it
    basis: str  # its legal or programme basis
    unit_field: str = "unit"  # the FK to org.Unit; "" when the model is Unit itself
    date_field: str | None = None  # the date a period filters on; None: the rate has no periods
    cycle: str = ""  # a Cycle's param ("programme"): counted within one; "": across everything
    # The records list: columns [(label, obj -> text)], each row's page, and the related rows or
    # annotations those need (qs, cycle) -> qs, so a page of records costs the same at any size.
    columns: Callable[[], list] | None = field(default=None, compare=False)
    row_url: Callable[[Any], str] | None = field(default=None, compare=False)
    prepare: Callable[[Any, Any], Any] | None = field(default=None, compare=False)
    order_by: tuple = ("pk",)

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "formula": self.formula, "basis": self.basis,
                "periods": self.date_field is not None, "cycle": self.cycle or None}

    def list_columns(self) -> list:
        if self.columns is not None:
            return self.columns()
        cols = [("记录", str)]
        if self.unit_field:
            cols.append(("单位", lambda o: getattr(o, self.unit_field).display_name))
        if self.date_field:
            cols.append((self.model()._meta.get_field(self.date_field).verbose_name,
                         lambda o: getattr(o, self.date_field)))
        return cols


def register(rate: Rate) -> Rate:
    REGISTRY[rate.code] = rate
    return rate


def register_cycle(cycle: Cycle) -> Cycle:
    CYCLES[cycle.param] = cycle
    return cycle


def load() -> dict[str, Rate]:
    import importlib

    for module in RATE_MODULES:
        importlib.import_module(module)
    return REGISTRY


def get(code: str) -> Rate | None:
    return load().get(code)


def fraction(numerator: int, denominator: int) -> float | None:
    """The value of a rate: a fraction from 0 to 1, None for no data (0/0)."""
    return numerator / denominator if denominator else None


def display(value: float | None) -> str:
    """How a page shows a rate: one decimal percent, — for no data."""
    return "—" if value is None else f"{100 * value:.1f}%"


def _base(rate: Rate, user, *, unit_path: str | None, start: date | None, end: date | None, where: Q | None = None,
          cycle=None):
    qs = rate.model().objects.visible_to(user)  # the one scoping rule
    if where is not None:  # a narrower set of records
        qs = qs.filter(where)
    if unit_path:
        qs = qs.in_subtree(unit_path)
    if rate.date_field:
        if start:
            qs = qs.filter(**{f"{rate.date_field}__gte": start})
        if end:
            qs = qs.filter(**{f"{rate.date_field}__lte": end})
    return qs.filter(rate.denominator(cycle))


def _counts(rate: Rate, cycle) -> dict:
    # One pass over the denominator's records; the numerator is a conditional count within it.
    return {"numerator": Count("pk", filter=rate.numerator(cycle)), "denominator": Count("pk")}


def compute(rate: Rate, user, *, unit_path: str | None = None, start: date | None = None,
            end: date | None = None, where: Q | None = None, cycle=None) -> dict:
    """The rate over everything `user` may see (or one unit's subtree), for a period: one query."""
    row = (_base(rate, user, unit_path=unit_path, start=start, end=end, where=where, cycle=cycle)
           .aggregate(**_counts(rate, cycle)))
    num, den = row["numerator"] or 0, row["denominator"] or 0
    return {"numerator": num, "denominator": den, "value": fraction(num, den)}


def compute_by_unit(rate: Rate, user, *, start: date | None = None, end: date | None = None,
                    where: Q | None = None, cycle=None) -> dict[int, dict]:
    """The rate per unit (unit id → counts and value), one grouped query; units without any
    record of the denominator are absent (no data)."""
    key = f"{rate.unit_field}_id" if rate.unit_field else "pk"
    rows = (_base(rate, user, unit_path=None, start=start, end=end, where=where, cycle=cycle).values(key)
            .annotate(**_counts(rate, cycle)).order_by())
    return {r[key]: {"numerator": r["numerator"], "denominator": r["denominator"],
                     "value": fraction(r["numerator"], r["denominator"])}
            for r in rows if r["denominator"]}


def compute_by(rate: Rate, user, *, field: str, start: date | None = None, end: date | None = None,
               where: Q | None = None, cycle=None) -> dict:
    """The rate grouped by any field of its records (e.g. "key_area", "case__key_area"): value → counts and
    value, one grouped query; values without any record of the denominator are absent (no data)."""
    rows = (_base(rate, user, unit_path=None, start=start, end=end, where=where, cycle=cycle).values(field)
            .annotate(**_counts(rate, cycle)).order_by())
    return {r[field]: {"numerator": r["numerator"], "denominator": r["denominator"],
                       "value": fraction(r["numerator"], r["denominator"])}
            for r in rows if r["denominator"]}


def records(rate: Rate, user, part: str, *, unit_path: str | None = None, start: date | None = None,
            end: date | None = None, cycle=None):
    """The records behind a number: the denominator's, or the numerator's among them (scoped)."""
    qs = _base(rate, user, unit_path=unit_path, start=start, end=end, cycle=cycle)
    if part == "numerator":
        qs = qs.filter(rate.numerator(cycle))
    if rate.unit_field:
        qs = qs.select_related(rate.unit_field)
    if rate.prepare is not None:
        qs = rate.prepare(qs, cycle)
    return qs.order_by(*rate.order_by)


def records_url(rate: Rate, part: str, *, unit: str = "", start: date | None = None, end: date | None = None,
                cycle=None) -> str:
    """The page listing the records behind a rate's numerator or denominator, for the same query."""
    from django.urls import reverse

    query = {"part": part}
    if unit:
        query["unit"] = unit
    if rate.date_field and start:
        query["from"] = start.isoformat()
    if rate.date_field and end:
        query["to"] = end.isoformat()
    if rate.cycle and cycle is not None:
        query[rate.cycle] = cycle.pk
    return f"{reverse('rate-records', args=[rate.code])}?{urlencode(query)}"


@dataclass
class RateQuery:
    """A request for a rate, parsed once for the API and the pages."""

    rate: Rate
    unit: str = ""
    unit_path: str | None = None
    start: date | None = None
    end: date | None = None
    cycle: Any = None

    def compute(self, user) -> dict:
        return compute(self.rate, user, unit_path=self.unit_path, start=self.start, end=self.end, cycle=self.cycle)

    def url(self, part: str) -> str:
        return records_url(self.rate, part, unit=self.unit, start=self.start, end=self.end, cycle=self.cycle)


def parse_date(raw: str | None, field: str, label: str) -> date | None:
    from fazhi.core.errors import InvalidInput

    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{label}「{raw[:20]}」不是有效日期,请按 YYYY-MM-DD 填写,如 2026-04-30", field=field) from None


def parse_query(rate: Rate, user, query) -> RateQuery:
    """`unit`, `from`, `to` and the rate's cycle (`programme`) from a query string.

    A malformed value is InvalidInput (400) naming the field. A unit the caller may not see answers
    404 whether it exists or not (Http404), so a unit user learns nothing of other units' codes:
    a rate for a unit is that unit's figure, not a filter over a list (list filters say 400, see
    core/filters.visible_unit_path). Without a cycle the current one is used (e.g. the current
    programme); a rate without periods ignores `from`/`to` (the API echoes them null)."""
    from django.http import Http404

    from fazhi.core.errors import InvalidInput
    from fazhi.core.filters import FilterError, clean_unit_code

    try:
        unit = clean_unit_code(query.get("unit", ""))
    except FilterError as e:
        raise InvalidInput(f"单位:{e}", field="unit") from None
    start, end = parse_date(query.get("from"), "from", "起日"), parse_date(query.get("to"), "to", "止日")
    if not rate.date_field:
        start = end = None
    # to < from is an empty period: no records, no data (null), not an error.
    unit_path = None
    if unit:
        from fazhi.org.models import Unit

        unit_path = Unit.objects.visible_to(user).filter(code=unit).values_list("path", flat=True).first()
        if unit_path is None:
            raise Http404("未找到该单位,或您无权查看其数据")
    cycle = None
    for spec in CYCLES.values():  # a cycle a rate is not counted within is ignored, but never malformed
        raw = str(query.get(spec.param, "") or "").strip()
        if raw and spec.param != rate.cycle and (not raw.isdigit() or len(raw) > 12):
            raise InvalidInput(f"{spec.label}「{raw[:20]}」不是有效编号,请从列表中选择{spec.label}", field=spec.param)
    if rate.cycle:
        spec = CYCLES[rate.cycle]
        raw = str(query.get(spec.param, "") or "").strip()
        if raw:
            if not raw.isdigit() or len(raw) > 12:
                raise InvalidInput(f"{spec.label}「{raw[:20]}」不是有效编号,请从列表中选择{spec.label}",
                                   field=spec.param)
            cycle = spec.get(int(raw))
            if cycle is None:
                raise InvalidInput(f"未找到编号为 {raw} 的{spec.label},请从列表中选择{spec.label}", field=spec.param)
        else:
            cycle = spec.default()
    return RateQuery(rate=rate, unit=unit, unit_path=unit_path, start=start, end=end, cycle=cycle)


def summary(user, *, unit: str = "", unit_path: str | None = None, cycle=None) -> list[dict]:
    """Every registered rate for a page (one query each), with its links to the records behind it.
    A rate counted within a cycle gets `cycle` (e.g. a Programme), or else that kind's default (the current one)."""
    rows = []
    for rate in load().values():
        within = (cycle if cycle is not None else CYCLES[rate.cycle].default()) if rate.cycle else None
        q = RateQuery(rate=rate, unit=unit, unit_path=unit_path, cycle=within)
        result = q.compute(user)
        rows.append({"rate": rate, **result, "display": display(result["value"]),
                     "numerator_url": q.url("numerator"), "denominator_url": q.url("denominator")})
    return rows
