"""Serial numbers (文号) without gap or repeat, also under concurrent issue.

The counter row of (series, year) is locked inside the caller's transaction: a second caller waits until
the first commits (then takes the next number) or rolls back (then takes the same number: no gap)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from fazhi.core.errors import InvalidInput
from fazhi.core.models import NumberSeries

MIN_YEAR, MAX_YEAR = 1949, 9999


def _check(series: str, year: int) -> None:
    if not isinstance(series, str) or not series.strip() or len(series) > 100:
        raise InvalidInput("编号序列应为 1 至 100 个字符的文本,如 normdoc:D01", field="series")
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"年度应为 {MIN_YEAR} 至 {MAX_YEAR} 之间的整数", field="year")


def number_take(*, series: str, year: int) -> int:
    """The next serial of (series, year), 1 for the first. Call it in the transaction that stores the number
    on its record, so that a rollback gives the number back."""
    _check(series, year)
    with transaction.atomic():
        # Create the row if missing; a concurrent creator makes this wait, then do nothing (ON CONFLICT).
        NumberSeries.objects.bulk_create([NumberSeries(series=series, year=year)], ignore_conflicts=True)
        # The UPDATE takes the row lock: concurrent takers queue here until this transaction ends.
        NumberSeries.objects.filter(series=series, year=year).update(last=F("last") + 1)
        return NumberSeries.objects.filter(series=series, year=year).values_list("last", flat=True).get()


def number_peek(*, series: str, year: int) -> int:
    """The last serial taken of (series, year), 0 if none (for display; never to issue a number)."""
    _check(series, year)
    return NumberSeries.objects.filter(series=series, year=year).values_list("last", flat=True).first() or 0
