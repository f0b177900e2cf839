"""Deadline engine: one rule + one start date -> a due date with its reasons.

Implements the counting rules of deadlines.md ("How a period is counted"), with pauses (中止)
and extensions (延长) of rule 7: a paused day never counts and is never the due date (rest-day
rolling comes after the pauses); an extension counts from the due date before it.
Pure Python: no Django import. ``compute`` never raises for a valid date and
period, whatever the year (uncovered years fall back and are marked provisional).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .calendar import DayInfo, WorkCalendar
from .catalogue import BEFORE_MODES, FIXED_HOLIDAYS, FIXED_HOLIDAYS_BASIS, FORWARD_MODES, Rule, get_rule

MIN_PERIOD = 1
MAX_PERIOD = 3650
_ONE = timedelta(days=1)
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_MAX_LISTED_RUNS = 12  # beyond this, explanations give totals only


class InvalidPeriod(ValueError):
    """Period outside 1..3650."""


class DateOutOfRange(ValueError):
    """The due date would fall outside what ``datetime.date`` can hold (year 1..9999)."""


class InvalidClock(ValueError):
    """A pause or extension the rule does not allow; ``field`` names the input (pause / extend)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


MAX_PAUSES = 20
MAX_PAUSE_DAYS = 3650
Pause = tuple[date, date]


def parse_pause(text: str) -> Pause:
    """``FROM/TO`` (both YYYY-MM-DD, both days paused) -> (from, to)."""
    a, sep, b = (text or "").strip().partition("/")
    try:
        if not sep:
            raise ValueError
        first, last = date.fromisoformat(a.strip()), date.fromisoformat(b.strip())
    except ValueError:
        raise InvalidClock(f"中止期间格式错误「{text}」: 请使用 起始日/结束日, 如 2026-02-10/2026-02-20", "pause") from None
    if last < first:
        raise InvalidClock(f"中止期间「{text}」的结束日早于起始日: 结束日应不早于起始日", "pause")
    return first, last


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
    pauses: tuple[Pause, ...] = ()
    extension: int = 0
    original_due: date | None = None  # the due date before the extension, if extended

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
            "pauses": [{"from": a.isoformat(), "to": b.isoformat()} for a, b in self.pauses],
            "extend": self.extension,
            "original_due": self.original_due.isoformat() if self.original_due else None,
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
    pauses: Iterable[Pause] = (),
    extend: int | None = None,
    extend_max: int | None = None,
) -> Computation:
    """``pauses``: (from, to) spans, both days paused (中止); ``extend``: days (or working days) of
    extension (延长) after the due date, at most ``extend_max`` (default: the extension rule's period)."""
    rule = rule_id if isinstance(rule_id, Rule) else get_rule(rule_id)
    if isinstance(start, datetime):
        start = start.date()
    elif not isinstance(start, date):
        raise TypeError(f"起算日须为日期, 收到 {type(start).__name__}")
    n = _checked_period(rule, period)
    spans = _checked_pauses(rule, start, pauses)
    ext_rule, ext = _checked_extension(rule, extend, extend_max)
    counter = _Counter(rule, start, calendar or default_calendar(), settings or CountingSettings(), spans)
    try:
        result = counter.run(n, ext_rule, ext)
    except (OverflowError, ValueError):  # date arithmetic past year 1 or 9999
        raise DateOutOfRange(f"期限「{rule.name or rule.id}」自 {start.isoformat()} 起算超出可计算的日期范围") from None
    late = [p for p in spans if p[0] > result.due]
    if late:
        raise InvalidClock(f"中止自 {late[0][0].isoformat()} 开始, 晚于期限届满日 {result.due.isoformat()}: "
                           f"已届满的期限不能中止", "pause")
    return result


def _rule_ref(rule: Rule) -> str:
    return f"「{rule.name or rule.id}」({rule.id}, 依据 {rule.basis})"


def _checked_pauses(rule: Rule, start: date, pauses: Iterable[Pause]) -> tuple[Pause, ...]:
    spans = tuple(sorted(pauses))
    if not spans:
        return ()
    if rule.mode not in FORWARD_MODES:
        raise InvalidClock(f"规则{_rule_ref(rule)}不是自起算日向后计算的期限, 不能中止", "pause")
    if len(spans) > MAX_PAUSES:
        raise InvalidClock(f"中止最多 {MAX_PAUSES} 段, 收到 {len(spans)} 段", "pause")
    for i, (a, b) in enumerate(spans):
        if b < a:
            raise InvalidClock(f"中止期间 {a.isoformat()}/{b.isoformat()} 的结束日早于起始日", "pause")
        if a < start:
            raise InvalidClock(f"中止起始日 {a.isoformat()} 早于起算日 {start.isoformat()}: 中止应在起算日当日或之后", "pause")
        if (b - a).days + 1 > MAX_PAUSE_DAYS:
            raise InvalidClock(f"中止期间 {a.isoformat()}/{b.isoformat()} 超过 {MAX_PAUSE_DAYS} 天", "pause")
        if i and a <= spans[i - 1][1]:
            raise InvalidClock(f"中止期间 {_span(*spans[i - 1])} 与 {_span(a, b)} 重叠: 请合并为一段", "pause")
    return spans


def _checked_extension(rule: Rule, extend: int | None, extend_max: int | None) -> tuple[Rule | None, int]:
    if extend is None:
        return None, 0
    if rule.extended_by is None:
        raise InvalidClock(f"规则{_rule_ref(rule)}没有可延长的期限, 不能延长", "extend")
    ext_rule = get_rule(rule.extended_by)
    limit = ext_rule.period if extend_max is None else extend_max
    if isinstance(extend, bool) or not isinstance(extend, int) or extend < 1:
        raise InvalidClock(f"延长期间须为正整数, 收到 {extend!r}", "extend")
    if extend > limit:
        raise InvalidClock(
            f"延长 {ext_rule.period_text(extend)}超过规则{_rule_ref(ext_rule)}的最长期限 {ext_rule.period_text(limit)}",
            "extend")
    return ext_rule, extend


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

    def __init__(self, rule: Rule, start: date, cal: WorkCalendar, settings: CountingSettings,
                 pauses: tuple[Pause, ...] = ()) -> None:
        self.rule, self.start, self.cal, self.settings = rule, start, cal, settings
        self.pauses = pauses
        self.extension = 0
        self.original_due: date | None = None
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

    def pause_at(self, d: date) -> Pause | None:
        for a, b in self.pauses:
            if a <= d <= b:
                return a, b
        return None

    def _advance_days(self, frm: date, k: int) -> date:
        """The k-th calendar day after ``frm`` that is not paused."""
        d = frm
        while k:
            d += _ONE
            p = self.pause_at(d)
            if p:
                d = p[1]
                continue
            k -= 1
        return d

    def _advance_workdays(self, frm: date, k: int) -> date:
        """The k-th working day after ``frm`` that is not paused; records counted and skipped days."""
        d, goal = frm, len(self.counted) + k
        while len(self.counted) < goal:
            d += _ONE
            p = self.pause_at(d)
            if p:
                d = p[1]
                continue
            if self.works(d):
                self.counted.append(d)
            else:
                self.skip(d)
        return d

    def _rest_reason(self, d: date) -> str:
        info = self.cal.day_info(d)
        # an adjusted working day is only a rest day when the office's setting says so
        return f"{info.reason}, 按本机关设置不视为工作日" if info.adjusted else info.reason

    def run(self, n: int, ext_rule: Rule | None = None, ext: int = 0) -> Computation:
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
        if ext_rule is not None:
            due = self._extend(ext_rule, ext, due)
        return self._finish(n, due)

    def _extend(self, ext_rule: Rule, ext: int, due: date) -> date:
        # Counted from the original due date by the extension rule's own mode, then rolled forward.
        self.original_due, self.extension = due, ext
        self.lines.append(
            f"经批准延长 {ext_rule.period_text(ext)}(规则「{ext_rule.name or ext_rule.id}」, 最长 {ext_rule.period_text()}, "
            f"依据 {ext_rule.basis}), 自原届满日 {_d(due)} 的次日起算。"
        )
        if ext_rule.mode == "workdays":
            first = len(self.counted)
            due = self._advance_workdays(due, ext)
            self.lines.append(f"延长期间计入工作日 {ext} 天: {_summarise_counted(tuple(self.counted[first:]), set())}。")
            return due
        return self._roll_forward(self._advance_days(due, ext), f"延长的{ext}日")

    # ---- forward modes -------------------------------------------------
    def _start_line(self) -> None:
        self.lines.append(f"起算日 {_d(self.start)} 为「{self.rule.trigger}」之日, 当日不计入期间, 自次日起算。")

    def _days(self, n: int) -> date:
        self._start_line()
        end = self._advance_days(self.start, n)
        return self._roll_forward(end, f"{n}日" + ("(不计中止期间)" if end != self.start + timedelta(days=n) else ""))

    def _months(self, n: int) -> date:
        self._start_line()
        end = add_months(self.start, n)
        clamped = "" if end.day == self.start.day else f"(该月无{self.start.day}日, 以该月最后一日为准)"
        if self.pauses:
            # Natural months: the paused days are added on, the months' length in days is kept.
            shifted = self._advance_days(self.start, (end - self.start).days)
            if shifted != end:
                self.lines.append(f"{n}个月{clamped}本应届满于 {_d(end)}; 中止期间不计入, 按日顺延至 {_d(shifted)}。")
                return self._roll_forward(shifted, f"{n}个月(不计中止期间)")
        return self._roll_forward(end, f"{n}个月{clamped}")

    def _roll_forward(self, end: date, what: str) -> date:
        # A paused day is never a due date: the roll skips pauses as well as rest days.
        self.counted.append(end)
        due, first_skip, paused = end, len(self.skipped), []
        while True:
            p = self.pause_at(due)
            if p:
                paused.append(p)
                due = p[1] + _ONE
            elif self.works(due):
                break
            else:
                self.skip(due)
                due += _ONE
        if paused:
            self.lines.append(f"顺延期间遇中止({'; '.join(_span(a, b) for a, b in paused)}), 中止之日不作为届满日。")
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
        if len(self.skipped) > first_skip:
            self.lines.append(f"顺延跳过: {_summarise_skipped(tuple(self.skipped[first_skip:]))}。")
        return due

    def _workdays(self, n: int) -> date:
        self._start_line()
        d = self._advance_workdays(self.start, n)
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
    def _pause_lines(self, due: date) -> None:
        workdays = self.rule.mode == "workdays"
        for a, b in self.pauses:
            d, inside = a, 0
            while d <= min(b, due):
                inside += d > self.start and (not workdays or self._is_workday(d))
                d += _ONE
            unit = "个工作日" if workdays else "日"
            effect = "届满日相应后移" if inside else "不影响届满日"
            self.lines.append(f"中止 {_span(a, b)}(共{(b - a).days + 1}天): 其中期间内的 {inside}{unit}不计入期间, {effect}。")

    def _is_workday(self, d: date) -> bool:
        info = self.cal.day_info(d)
        return info.is_workday and (self.settings.adjusted_workday_is_workday or not info.adjusted)

    def _finish(self, n: int, due: date) -> Computation:
        self._pause_lines(due)
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
            pauses=self.pauses,
            extension=self.extension,
            original_due=self.original_due,
        )
