"""Deadline engine: one rule + one start date -> a due date with its reasons.

Implements the counting rules of deadlines.md ("How a period is counted").
Pure Python: no Django import. ``compute`` never raises for a valid date and
period, whatever the year (uncovered years fall back and are marked provisional).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .calendar import DayInfo, WorkCalendar
from .catalogue import BEFORE_MODES, FIXED_HOLIDAYS, FIXED_HOLIDAYS_BASIS, Rule, get_rule

MIN_PERIOD = 1
MAX_PERIOD = 3650
_ONE = timedelta(days=1)
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_MAX_LISTED_RUNS = 12  # beyond this, explanations give totals only


class InvalidPeriod(ValueError):
    """Period outside 1..3650."""


class DateOutOfRange(ValueError):
    """The due date would fall outside what ``datetime.date`` can hold (year 1..9999)."""


@dataclass(frozen=True)
class CountingSettings:
    # No statute says whether a 调休 Saturday/Sunday counts as a working day; the
    # State Council arrangement says it does, and the office may decide otherwise.
    # Applies everywhere: working-day counts, roll-forward and move-back.
    adjusted_workday_is_workday: bool = True


@dataclass(frozen=True)
class Computation:
    rule: Rule
    start: date
    due: date
    period: int
    mode: str
    provisional: bool
    counted: tuple[date, ...]
    skipped: tuple[DayInfo, ...]
    rolled_from: date | None
    years: frozenset[int]
    provisional_years: frozenset[int]
    explanation: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule.id,
            "rule_name": self.rule.name,
            "trigger": self.rule.trigger,
            "act": self.rule.act,
            "basis": self.rule.basis,
            "configurable": self.rule.configurable,
            "note": self.rule.note,
            "mode": self.mode,
            "period": self.period,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "rolled_from": self.rolled_from.isoformat() if self.rolled_from else None,
            "counted": [d.isoformat() for d in self.counted],
            "skipped": [{"date": i.date.isoformat(), "reason": i.reason, "source": i.source} for i in self.skipped],
            "years": sorted(self.years),
            "provisional_years": sorted(self.provisional_years),
            "explanation": list(self.explanation),
        }


_default_calendar: WorkCalendar | None = None


def default_calendar() -> WorkCalendar:
    """Package + fallback only; the Django layer passes one with the office's arrangements."""
    global _default_calendar
    if _default_calendar is None:
        _default_calendar = WorkCalendar()
    return _default_calendar


def compute(
    rule_id: str | Rule,
    start: date,
    *,
    calendar: WorkCalendar | None = None,
    period: int | None = None,
    settings: CountingSettings | None = None,
) -> Computation:
    rule = rule_id if isinstance(rule_id, Rule) else get_rule(rule_id)
    if isinstance(start, datetime):
        start = start.date()
    elif not isinstance(start, date):
        raise TypeError(f"起算日须为日期, 收到 {type(start).__name__}")
    n = _checked_period(rule, period)
    counter = _Counter(rule, start, calendar or default_calendar(), settings or CountingSettings())
    try:
        return counter.run(n)
    except (OverflowError, ValueError):  # date arithmetic past year 1 or 9999
        raise DateOutOfRange(f"期限「{rule.name or rule.id}」自 {start.isoformat()} 起算超出可计算的日期范围") from None


def _checked_period(rule: Rule, period: int | None) -> int:
    if rule.mode == "fixed_date":
        if period not in (None, rule.period):
            raise InvalidPeriod(f"固定日期规则「{rule.id}」没有可设置的期间")
        return rule.period
    n = rule.period if period is None else period
    if isinstance(n, bool) or not isinstance(n, int) or not MIN_PERIOD <= n <= MAX_PERIOD:
        raise InvalidPeriod(f"期间须为 {MIN_PERIOD} 至 {MAX_PERIOD} 之间的整数, 收到 {period!r}")
    return n


def add_months(d: date, months: int) -> date:
    """Same day-of-month ``months`` later, clamped to that month's last day."""
    y, m0 = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m0 + 1
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(d.day, (first_next - _ONE).day))


def _d(d: date) -> str:
    return f"{d.isoformat()}({_WEEKDAYS[d.weekday()]})"


def _runs(days: Iterable[date]) -> list[tuple[date, date, int]]:
    """Group sorted dates into consecutive runs: (first, last, count)."""
    runs: list[tuple[date, date, int]] = []
    for d in days:
        if runs and d - runs[-1][1] == _ONE:
            a, _, n = runs[-1]
            runs[-1] = (a, d, n + 1)
        else:
            runs.append((d, d, 1))
    return runs


def _span(a: date, b: date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()}至{b.isoformat()}"


def _summarise_skipped(skipped: tuple[DayInfo, ...]) -> str:
    by_date = {i.date: i for i in skipped}
    parts = []
    for a, b, _ in _runs(sorted(by_date)):
        reasons: list[str] = []
        d = a
        while d <= b:
            if by_date[d].reason not in reasons:
                reasons.append(by_date[d].reason)
            d += _ONE
        parts.append(f"{_span(a, b)}({'、'.join(reasons)})")
    if len(parts) > _MAX_LISTED_RUNS:
        return f"共{len(skipped)}天休息日(分{len(parts)}段, 首段 {parts[0]}, 末段 {parts[-1]})"
    return "; ".join(parts)


def _summarise_counted(counted: tuple[date, ...], adjusted: set[date]) -> str:
    parts = []
    for a, b, n in _runs(counted):
        mark = "(含调休上班日)" if any(a <= d <= b for d in adjusted) else ""
        parts.append(f"{_span(a, b)}({n}天){mark}")
    if len(parts) > _MAX_LISTED_RUNS:
        return f"{_span(counted[0], counted[-1])}之间共{len(counted)}个工作日(分{len(parts)}段)"
    return "; ".join(parts)


class _Counter:
    """One computation's state: records every day whose status it looks at."""

    def __init__(self, rule: Rule, start: date, cal: WorkCalendar, settings: CountingSettings) -> None:
        self.rule, self.start, self.cal, self.settings = rule, start, cal, settings
        self.examined: list[DayInfo] = []
        self.counted: list[date] = []
        self.skipped: list[DayInfo] = []
        self.rolled_from: date | None = None
        self.lines: list[str] = []

    def works(self, d: date) -> bool:
        info = self.cal.day_info(d)
        self.examined.append(info)
        if info.adjusted and not self.settings.adjusted_workday_is_workday:
            return False
        return info.is_workday

    def skip(self, d: date) -> None:
        self.skipped.append(self.cal.day_info(d))

    def _rest_reason(self, d: date) -> str:
        info = self.cal.day_info(d)
        # an adjusted working day is only a rest day when the office's setting says so
        return f"{info.reason}, 按本机关设置不视为工作日" if info.adjusted else info.reason

    def run(self, n: int) -> Computation:
        rule = self.rule
        what = f"期限为每年{rule.period_text()}" if rule.mode == "fixed_date" else f"期间 {rule.period_text(n)}"
        self.lines.append(f"规则「{rule.name or rule.id}」: {rule.trigger} → {rule.act}, {what}; 依据 {rule.basis}。")
        if rule.mode != "fixed_date" and n != rule.period:
            kind = "本机关设定" if rule.configurable else "调整(注意: 默认值为法定期间)"
            self.lines.append(f"期间由默认的{rule.period_text()}{kind}为{rule.period_text(n)}。")
        if rule.note:
            self.lines.append(f"说明: {rule.note}。")
        step: Callable[[int], date] = {
            "days": self._days,
            "months": self._months,
            "workdays": self._workdays,
            "workdays_before": self._workdays_before,
            "days_before": self._days_before,
            "fixed_date": self._fixed_date,
        }[rule.mode]
        due = step(n)
        return self._finish(n, due)

    # ---- forward modes -------------------------------------------------
    def _start_line(self) -> None:
        self.lines.append(f"起算日 {_d(self.start)} 为「{self.rule.trigger}」之日, 当日不计入期间, 自次日起算。")

    def _days(self, n: int) -> date:
        self._start_line()
        return self._roll_forward(self.start + timedelta(days=n), f"{n}日")

    def _months(self, n: int) -> date:
        self._start_line()
        end = add_months(self.start, n)
        clamped = "" if end.day == self.start.day else f"(该月无{self.start.day}日, 以该月最后一日为准)"
        return self._roll_forward(end, f"{n}个月{clamped}")

    def _roll_forward(self, end: date, what: str) -> date:
        self.counted.append(end)
        due = end
        while not self.works(due):
            self.skip(due)
            due += _ONE
        if due == end:
            info = self.cal.day_info(end)
            note = ", 为调休上班日, 视为工作日, 不顺延" if info.adjusted else ""
            self.lines.append(f"期间 {what} 届满于 {_d(end)}{note}。")
            return due
        self.rolled_from = end
        self.lines.append(
            f"期间 {what} 届满于 {_d(end)}, 该日为休息日({self._rest_reason(end)}); 依照民事诉讼法关于期间的规定"
            f"(期间届满的最后一日是法定休假日的, 以休假日后的第一日为期间届满的日期), 顺延至 {_d(due)}。"
        )
        self.lines.append(f"顺延跳过: {_summarise_skipped(tuple(self.skipped))}。")
        return due

    def _workdays(self, n: int) -> date:
        self._start_line()
        d = self.start
        while len(self.counted) < n:
            d += _ONE
            if self.works(d):
                self.counted.append(d)
            else:
                self.skip(d)
        self._workday_lines(n)
        return d

    # ---- before modes --------------------------------------------------
    def _event_line(self) -> None:
        self.lines.append(
            f"事件日 {_d(self.start)}(「{self.rule.act}」)不计入期间, 自其前一日向前倒数; "
            f"所得日期为「{self.rule.trigger}」的最后期限。"
        )

    def _workdays_before(self, n: int) -> date:
        self._event_line()
        d = self.start
        while len(self.counted) < n:
            d -= _ONE
            if self.works(d):
                self.counted.append(d)
            else:
                self.skip(d)
        self.counted.reverse()
        self.skipped.reverse()
        self._workday_lines(n)
        return d

    def _days_before(self, n: int) -> date:
        self._event_line()
        end = self.start - timedelta(days=n)
        self.counted.append(end)
        due = end
        while not self.works(due):
            self.skip(due)
            due -= _ONE
        self.skipped.reverse()
        if due == end:
            self.lines.append(f"向前 {n} 日为 {_d(end)}。")
            return due
        self.rolled_from = end
        self.lines.append(
            f"向前 {n} 日为 {_d(end)}, 该日为休息日({self._rest_reason(end)}); 为不缩短法定提前期, "
            f"不向后顺延, 而提前至此前最后一个工作日 {_d(due)}。"
        )
        self.lines.append(f"提前跳过: {_summarise_skipped(tuple(self.skipped))}。")
        return due

    def _workday_lines(self, n: int) -> None:
        adjusted = {d for d in self.counted if self.cal.day_info(d).adjusted}
        self.lines.append(f"计入工作日 {n} 天: {_summarise_counted(tuple(self.counted), adjusted)}。")
        if self.skipped:
            self.lines.append(f"跳过休息日: {_summarise_skipped(tuple(self.skipped))}。")
        if not self.settings.adjusted_workday_is_workday and any(i.adjusted for i in self.skipped):
            self.lines.append("按本机关设置, 调休上班日不视为工作日。")

    # ---- fixed date ----------------------------------------------------
    def _fixed_date(self, _: int) -> date:
        rule = self.rule
        assert rule.fixed_month is not None and rule.fixed_day is not None  # Rule validates this
        due = date(self.start.year, rule.fixed_month, rule.fixed_day)
        if self.start > due:
            due = date(self.start.year + 1, rule.fixed_month, rule.fixed_day)
            self.lines.append(f"{_d(self.start)} 已过当年{rule.period_text()}, 期限为次年{rule.period_text()}。")
        else:
            self.lines.append(f"期限为 {self.start.year} 年{rule.period_text()}。")
        self.counted.append(due)
        self.lines.append("固定日期期限不因节假日顺延。")
        return due

    # ---- result ----------------------------------------------------------
    def _finish(self, n: int, due: date) -> Computation:
        lo, hi = sorted((self.start, due))
        years = frozenset(range(lo.year, hi.year + 1))
        prov_years = frozenset(i.date.year for i in self.examined if i.provisional)
        office_years = sorted({i.date.year for i in self.examined if i.source == "office"})
        if office_years:
            self.lines.append(f"{'、'.join(map(str, office_years))}年按本机关录入的国务院放假安排计算。")
        if prov_years:
            ys = "、".join(map(str, sorted(prov_years)))
            fixed = "、".join(dict.fromkeys(FIXED_HOLIDAYS.values()))
            self.lines.append(
                f"{ys}年的放假安排尚未纳入日历, 暂按周末及{FIXED_HOLIDAYS_BASIS}规定的固定日期节假日({fixed})计算, "
                f"结果为暂定; 录入该年放假安排后应重新计算。"
            )
        if self.rule.mode in BEFORE_MODES:
            self.lines.append(f"最迟应于 {_d(due)} 完成「{self.rule.trigger}」。")
        else:
            self.lines.append(f"期限届满日: {_d(due)}, 应于当日(含)前完成「{self.rule.act}」。")
        return Computation(
            rule=self.rule,
            start=self.start,
            due=due,
            period=n,
            mode=self.rule.mode,
            provisional=bool(prov_years),
            counted=tuple(self.counted),
            skipped=tuple(self.skipped),
            rolled_from=self.rolled_from,
            years=years,
            provisional_years=prov_years,
            explanation=tuple(self.lines),
        )
