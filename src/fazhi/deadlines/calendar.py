"""Working-day calendar: is a date a working day, why, and is the answer final.

Sources, first match wins (deadlines.md rule 6):
  1. the ``chinese_calendar`` package, for the years it ships (2004–2026 in 1.11.0);
  2. yearly arrangements the office enters (``YearArrangement``);
  3. fallback: weekends plus the fixed-date statutory holidays — *provisional*.

Pure Python: no Django import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from .catalogue import FIXED_HOLIDAYS

try:
    import chinese_calendar as _cc
except ImportError:  # the engine still works, every year provisional
    _cc = None

Source = Literal["package", "office", "fallback"]

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# chinese_calendar's holiday names are English; unknown (one-off) names pass through.
HOLIDAY_NAMES_ZH: Mapping[str, str] = MappingProxyType({
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
})

ADJUSTED_WORKDAY = "调休上班日"


class InvalidArrangement(ValueError):
    """An office-entered yearly arrangement is inconsistent."""


@dataclass(frozen=True)
class YearArrangement:
    """One year's State Council arrangement as the office entered it."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    names: Mapping[date, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Accept any iterable/mapping from callers, store immutable copies.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))
        for d in self.holidays | self.workdays:
            if not isinstance(d, date) or isinstance(d, datetime) or d.year != self.year:
                raise InvalidArrangement(f"{self.year}年放假安排中的日期 {d} 不属于该年")
        both = self.holidays & self.workdays
        if both:
            days = "、".join(sorted(d.isoformat() for d in both))
            raise InvalidArrangement(f"{self.year}年放假安排中 {days} 既是放假日又是上班日")


@dataclass(frozen=True)
class DayInfo:
    date: date
    is_workday: bool
    reason: str
    source: Source
    provisional: bool

    @property
    def adjusted(self) -> bool:
        """A weekend day that is a working day (调休上班)."""
        return self.is_workday and self.date.weekday() >= 5

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "is_workday": self.is_workday,
            "reason": self.reason,
            "source": self.source,
            "provisional": self.provisional,
        }


@lru_cache(maxsize=1)
def package_years() -> frozenset[int]:
    """Years the installed chinese_calendar covers (probed, so upgrades need no code change)."""
    if _cc is None:
        return frozenset()
    years = set()
    for y in range(1900, 2200):
        try:
            _cc.is_workday(date(y, 6, 1))
        except NotImplementedError:
            continue
        years.add(y)
    return frozenset(years)


def _plain_day(d: date, source: Source, provisional: bool) -> DayInfo:
    wd = d.weekday()
    if wd >= 5:
        return DayInfo(d, False, WEEKDAY_NAMES[wd], source, provisional)
    return DayInfo(d, True, "工作日", source, provisional)


def _adjusted_reason(name: str | None) -> str:
    return f"{ADJUSTED_WORKDAY}({name})" if name else ADJUSTED_WORKDAY


class WorkCalendar:
    """Decides working days; cheap to query repeatedly (cached per date).

    Immutable once built: when the office enters a new arrangement, build a new
    calendar (and recompute the deadlines whose ``provisional_years`` include it).
    """

    def __init__(self, arrangements: Mapping[int, YearArrangement] | None = None) -> None:
        arrangements = dict(arrangements or {})
        for year, arr in arrangements.items():
            if not isinstance(arr, YearArrangement) or arr.year != year:
                raise InvalidArrangement(f"{year}年的放假安排与其年份不符")
        self._arrangements: Mapping[int, YearArrangement] = MappingProxyType(arrangements)
        self._cache: dict[date, DayInfo] = {}

    @property
    def arrangements(self) -> Mapping[int, YearArrangement]:
        return self._arrangements

    def covered_years(self) -> frozenset[int]:
        """Years answered without the provisional fallback."""
        return package_years() | frozenset(self._arrangements)

    def source_for_year(self, year: int) -> Source:
        if year in package_years():
            return "package"
        if year in self._arrangements:
            return "office"
        return "fallback"

    def is_workday(self, d: date) -> bool:
        return self.day_info(d).is_workday

    def day_info(self, d: date) -> DayInfo:
        if isinstance(d, datetime):
            d = d.date()
        elif not isinstance(d, date):
            raise TypeError(f"需要日期, 收到 {type(d).__name__}")
        info = self._cache.get(d)
        if info is None:
            info = self._cache[d] = self._compute(d)
        return info

    def _compute(self, d: date) -> DayInfo:
        source = self.source_for_year(d.year)
        if source == "package":
            info = self._from_package(d)
            if info is not None:
                return info
            source = "office" if d.year in self._arrangements else "fallback"
        if source == "office":
            return self._from_office(d, self._arrangements[d.year])
        return self._from_fallback(d)

    @staticmethod
    def _from_package(d: date) -> DayInfo | None:
        try:
            is_work = _cc.is_workday(d)
            _, name = _cc.get_holiday_detail(d)
        except NotImplementedError:  # never let the package's range check escape
            return None
        name_zh = HOLIDAY_NAMES_ZH.get(name, name) if name else None
        if is_work:
            reason = _adjusted_reason(name_zh) if d.weekday() >= 5 else "工作日"
            return DayInfo(d, True, reason, "package", False)
        if name_zh:
            return DayInfo(d, False, name_zh, "package", False)
        return _plain_day(d, "package", False)

    @staticmethod
    def _from_office(d: date, arr: YearArrangement) -> DayInfo:
        name = arr.names.get(d)
        if d in arr.holidays:
            return DayInfo(d, False, name or "法定节假日", "office", False)
        if d in arr.workdays:
            reason = _adjusted_reason(name) if d.weekday() >= 5 else (name or "工作日")
            return DayInfo(d, True, reason, "office", False)
        return _plain_day(d, "office", False)

    @staticmethod
    def _from_fallback(d: date) -> DayInfo:
        name = FIXED_HOLIDAYS.get((d.month, d.day))
        if name:
            return DayInfo(d, False, f"{name}(固定日期)", "fallback", True)
        return _plain_day(d, "fallback", True)
