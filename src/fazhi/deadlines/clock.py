"""A stored clock's events replayed through the engine: the ONE function that gives a deadline on a
record its due date and explanation (every service and the recomputation after an office
arrangement call `replay`). Pure Python: events are any objects with the ClockEvent fields.

Decisions where the issue is silent:
- resume(D): D is the first day counted again; the paused span is [pause start, D - 1].
- A paused clock has no due date yet (each paused day moves it on): while paused it is never
  overdue nor due soon; the due date stored is a lower bound (the due date before the pause).
- restart(D) counts anew from D: earlier pauses and extensions no longer apply (they stay in
  the events and the explanation); the start before it is listed.
- close(D) while paused ends the pause the day before D.
- Several extensions add up; their total is at most the rule's maximum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .calendar import WorkCalendar
from .catalogue import FORWARD_MODES, get_rule
from .engine import Computation, InvalidClock, compute

_ONE = timedelta(days=1)


@dataclass(frozen=True)
class ClockState:
    computation: Computation
    start: date
    paused_since: date | None
    closed_on: date | None
    met: bool | None
    late: bool | None
    lines: tuple[str, ...] = field(default=())

    @property
    def due(self) -> date:
        return self.computation.due

    def as_dict(self) -> dict[str, object]:
        data = self.computation.as_dict()
        data["explanation"] = [*data["explanation"], *self.lines]
        data["paused_since"] = self.paused_since.isoformat() if self.paused_since else None
        data["closed_on"] = self.closed_on.isoformat() if self.closed_on else None
        data["late"] = self.late
        return data


def _reason(text: str) -> str:
    return f"(原因: {text})" if text else ""


def replay(rule_id: str, events: Iterable, *, calendar: WorkCalendar, period: int | None = None,
           extend_max: int | None = None, start: date | None = None) -> ClockState:
    """Replay `events` (in the order entered) for a clock of rule `rule_id`. `start` is the start
    when no `open` event exists (clocks stored before events were kept). Raises InvalidClock (with
    the field at fault) for an act the clock's state refuses, and the engine's errors."""
    pauses: list[tuple[date, date, str]] = []
    open_pause: tuple[date, str] | None = None
    extension = 0
    closed: tuple[date, bool] | None = None
    history: list[str] = []
    ext_lines: list[str] = []
    for e in events:
        if closed is not None and e.kind != "open":  # opening again reopens a closed clock
            raise InvalidClock("该期限已办结或撤销, 不能再中止、恢复、重新起算或延长", "deadline")
        if e.kind == "open":
            if start is not None and start != e.on:
                history.append(f"于 {e.on.isoformat()} 重新开始计算, 原起算日 {start.isoformat()}。")
            start, pauses, open_pause, extension, ext_lines, closed = e.on, [], None, 0, [], None
        elif start is None:
            raise InvalidClock("期限尚未起算", "deadline")
        elif e.kind == "pause":
            if open_pause is not None:
                raise InvalidClock(f"期限自 {open_pause[0].isoformat()} 起已中止, 请先恢复计算", "on")
            if e.on < start:
                raise InvalidClock(f"中止起始日 {e.on.isoformat()} 早于起算日 {start.isoformat()}: 中止应在起算日当日或之后", "on")
            if pauses and e.on <= pauses[-1][1]:
                raise InvalidClock(f"中止起始日 {e.on.isoformat()} 早于上次恢复计算之日 {(pauses[-1][1] + _ONE).isoformat()}",
                                   "on")
            if get_rule(rule_id).mode not in FORWARD_MODES:
                raise InvalidClock(f"规则「{get_rule(rule_id).name}」({rule_id})不是自起算日向后计算的期限, 不能中止", "on")
            open_pause = (e.on, e.reason)
        elif e.kind == "resume":
            if open_pause is None:
                raise InvalidClock("期限未中止, 无需恢复计算", "on")
            if e.on <= open_pause[0]:
                raise InvalidClock(f"恢复计算之日 {e.on.isoformat()} 应晚于中止起始日 {open_pause[0].isoformat()}", "on")
            pauses.append((open_pause[0], e.on - _ONE, open_pause[1]))
            open_pause = None
        elif e.kind == "restart":
            if e.on < start:
                raise InvalidClock(f"重新起算日 {e.on.isoformat()} 早于当前起算日 {start.isoformat()}", "on")
            dropped = "; 此前的中止、延长不再适用" if pauses or open_pause or extension else ""
            history.append(f"于 {e.on.isoformat()} 重新起算{_reason(e.reason)}, 原起算日 {start.isoformat()}{dropped}。")
            start, pauses, open_pause, extension, ext_lines = e.on, [], None, 0, []
        elif e.kind == "extend":
            extension += e.days
            ext = get_rule(rule_id).extended_by
            amount = get_rule(ext).period_text(e.days) if ext else f"{e.days}日"
            ext_lines.append(f"延长 {amount}经 {e.approver} 批准, 依据 {e.basis}(于 {e.on.isoformat()} 决定)。")
        elif e.kind == "close":
            if open_pause is not None:
                if e.on > open_pause[0]:
                    pauses.append((open_pause[0], e.on - _ONE, open_pause[1]))
                open_pause = None
            closed = (e.on, bool(e.met))
        else:
            raise InvalidClock(f"未知的期限事件「{e.kind}」", "kind")
    if start is None:
        raise InvalidClock("期限尚未起算", "deadline")
    result = compute(rule_id, start, calendar=calendar, period=period, pauses=[(a, b) for a, b, _ in pauses],
                     extend=extension or None, extend_max=extend_max)
    lines = list(history)
    lines += [f"中止 {a.isoformat()} 至 {b.isoformat()}{_reason(r)}, 自 {(b + _ONE).isoformat()} 恢复计算。"
              for a, b, r in pauses]
    lines += ext_lines
    if open_pause is not None:
        if open_pause[0] > result.due:
            raise InvalidClock(f"中止自 {open_pause[0].isoformat()} 开始, 晚于期限届满日 {result.due.isoformat()}: "
                               f"已届满的期限不能中止", "on")
        lines.append(f"自 {open_pause[0].isoformat()} 起中止计算{_reason(open_pause[1])}, 尚未恢复: 中止期间不计入期限, "
                     f"届满日待恢复计算后确定, 不早于 {result.due.isoformat()}; 中止期间不提示临期或逾期。")
    met = late = None
    if closed is not None:
        met = closed[1]
        if met:
            late = closed[0] > result.due
            lines.append(f"于 {closed[0].isoformat()} 办结, "
                         + (f"逾期 {(closed[0] - result.due).days} 日。" if late else "在期限内。"))
        else:
            lines.append(f"于 {closed[0].isoformat()} 撤销。")
    return ClockState(computation=result, start=start, paused_since=open_pause[0] if open_pause else None,
                      closed_on=closed[0] if closed else None, met=met, late=late, lines=tuple(lines))
