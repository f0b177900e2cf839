"""Rates computed from records: each defined once (numerator and denominator filters over one
model's scoped queryset, formula, legal basis) and counted in the database, per unit in one
grouped query or overall. 0/0 is "no data" (None), never 0% or 100%.

A module defines its rates in its own `rates.py` with `register(Rate(...))` and lists that module
in RATE_MODULES; `load()` imports them on first use. Every page, API call and (later) assessment
score reads a rate from here, so its rule lives once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

REGISTRY: dict[str, "Rate"] = {}
# The modules whose `rates.py` defines rates; imported on first use.
RATE_MODULES = ("fazhi.programme.rates",)


@dataclass(frozen=True)
class Rate:
    code: str
    name: str
    model: Callable  # () -> the model class (a callable so definitions need no app registry at import)
    numerator: Callable[[], Q]  # () -> Q over the model, a subset of the denominator
    denominator: Callable[[], Q]
    formula: str  # the formula in words, as the plan states it
    basis: str  # its legal or programme basis
    unit_field: str = "unit"  # the FK to org.Unit; "" when the model is Unit itself
    date_field: str | None = None  # the date a period filters on; None: the rate has no periods
    list_urls: Callable[[str], dict] | None = field(default=None, compare=False)  # unit code -> links

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "formula": self.formula, "basis": self.basis,
                "periods": self.date_field is not None}


def register(rate: Rate) -> Rate:
    REGISTRY[rate.code] = rate
    return rate


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


def _base(rate: Rate, user, *, unit_path: str | None, start: date | None, end: date | None, where: Q | None = None):
    qs = rate.model().objects.visible_to(user)  # the one scoping rule
    if where is not None:  # a narrower set of records, e.g. one programme's
        qs = qs.filter(where)
    if unit_path:
        qs = qs.in_subtree(unit_path)
    if rate.date_field:
        if start:
            qs = qs.filter(**{f"{rate.date_field}__gte": start})
        if end:
            qs = qs.filter(**{f"{rate.date_field}__lte": end})
    return qs


def _counts(rate: Rate) -> dict:
    # Conditional counts in one pass; the numerator stays inside the denominator.
    den = rate.denominator()
    return {"numerator": Count("pk", filter=den & rate.numerator()), "denominator": Count("pk", filter=den)}


def compute(rate: Rate, user, *, unit_path: str | None = None, start: date | None = None,
            end: date | None = None, where: Q | None = None) -> dict:
    """The rate over everything `user` may see (or one unit's subtree), for a period: one query."""
    row = _base(rate, user, unit_path=unit_path, start=start, end=end, where=where).aggregate(**_counts(rate))
    num, den = row["numerator"] or 0, row["denominator"] or 0
    return {"numerator": num, "denominator": den, "value": fraction(num, den)}


def compute_by_unit(rate: Rate, user, *, start: date | None = None, end: date | None = None,
                    where: Q | None = None) -> dict[int, dict]:
    """The rate per unit (unit id → counts and value), one grouped query; units without any
    record of the denominator are absent (no data)."""
    key = f"{rate.unit_field}_id" if rate.unit_field else "pk"
    rows = (_base(rate, user, unit_path=None, start=start, end=end, where=where).values(key)
            .annotate(**_counts(rate)).order_by())
    return {r[key]: {"numerator": r["numerator"], "denominator": r["denominator"],
                     "value": fraction(r["numerator"], r["denominator"])}
            for r in rows if r["denominator"]}
