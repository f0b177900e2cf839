"""Deadline writes and the bridge from the engine to the database: the calendar built from
office arrangements, the office's rule settings, deadlines kept on records, recomputation."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import InvalidInput, NotAllowed, StaleEdit
from fazhi.core.scoping import scope_for
from fazhi.core.services import event_record, versioned_update
from fazhi.deadlines.calendar import WorkCalendar, YearArrangement
from fazhi.deadlines.catalogue import RULES, UnknownRule, get_rule
from fazhi.deadlines.clock import ClockState, replay
from fazhi.deadlines.engine import Computation, DateOutOfRange, InvalidClock, InvalidPeriod, Pause, compute
from fazhi.deadlines.models import CalendarDay, CalendarYear, ClockEvent, Deadline, RuleSetting

ARRANGEMENT_YEARS = (2000, 2100)  # the years an office-entered arrangement may cover
ACT_YEARS = (1900, 2200)  # the dates an act on a clock may carry (as the compute API's start)


def can_maintain_calendar(user) -> bool:
    """The office (法制办) keeps the legal calendar: arrangements and rule settings."""
    return scope_for(user).is_office


def _require_calendar_keeper(user) -> None:
    if not can_maintain_calendar(user):
        raise NotAllowed("只有法制办可以维护放假安排和期限规则")


def work_calendar() -> WorkCalendar:
    """The calendar in force: the package, plus every active office arrangement (one query)."""
    arrangements = {}
    for year in CalendarYear.objects.active().prefetch_related("days"):
        days = list(year.days.all())
        arrangements[year.year] = YearArrangement(
            year=year.year,
            holidays=frozenset(d.date for d in days if d.kind == CalendarDay.HOLIDAY),
            workdays=frozenset(d.date for d in days if d.kind == CalendarDay.WORKDAY),
            names={d.date: d.name for d in days if d.name},
        )
    return WorkCalendar(arrangements)


def rule_period(rule_id: str) -> int | None:
    """The office's value for a configurable rule, or None for the catalogue default."""
    rule = get_rule(rule_id)
    if not rule.configurable:
        return None
    return RuleSetting.objects.filter(rule_id=rule_id).values_list("period", flat=True).first()


def _extend_max(rule) -> int | None:
    """The office's setting of a configurable extension rule is the maximum in force."""
    return rule_period(rule.extended_by) if rule.extended_by else None


def deadline_compute(rule_id: str, start: date, *, calendar: WorkCalendar | None = None,
                     pauses: tuple[Pause, ...] = (), extend: int | None = None) -> Computation:
    """Compute a deadline with the calendar and settings in force, with pauses (中止) and an
    extension (延长) if given. Raises InvalidInput for bad input, naming the field."""
    try:
        rule = get_rule(rule_id)
    except UnknownRule:
        raise InvalidInput(f"未知的期限规则「{rule_id}」,可用规则见 /api/v1/deadlines/rules/", field="rule") from None
    extend_max = _extend_max(rule) if extend is not None else None
    with _engine_errors():
        return compute(rule, start, calendar=calendar or work_calendar(), period=rule_period(rule.id),
                       pauses=pauses, extend=extend, extend_max=extend_max)


class _engine_errors:
    """The engine's refusals as InvalidInput naming the field (the same for compute and replay)."""

    def __enter__(self):
        return self

    def __exit__(self, kind, e, tb):
        if isinstance(e, InvalidClock):
            raise InvalidInput(str(e), field=e.field) from e
        if isinstance(e, InvalidPeriod):
            raise InvalidInput(str(e), field="period") from e
        if isinstance(e, DateOutOfRange):
            raise InvalidInput(str(e), field="start") from e
        return False


def clock_replay(deadline: Deadline, events: list | None = None, *, calendar: WorkCalendar | None = None) -> ClockState:
    """A stored deadline's events replayed through the engine (clock.replay) with the calendar and
    settings in force: every service below and the recomputation use this, and only this."""
    if events is None:
        events = list(deadline.events.order_by("id"))
    fallback = None if any(e.kind == ClockEvent.OPEN for e in events) else deadline.start
    with _engine_errors():
        return replay(deadline.rule_id, events, calendar=calendar or work_calendar(), period=deadline.period or None,
                      extend_max=_extend_max(get_rule(deadline.rule_id)), start=fallback)


def _apply(deadline: Deadline, state: ClockState) -> None:
    result = state.computation
    deadline.rule_id = result.rule.id
    deadline.start = result.start
    deadline.period = result.period
    deadline.due = result.due
    deadline.provisional = result.provisional
    years = sorted(result.years)
    deadline.first_year, deadline.last_year = years[0], years[-1]
    deadline.explanation = state.as_dict()
    deadline.paused_since, deadline.closed_on, deadline.late = state.paused_since, state.closed_on, state.late
    if state.closed_on is None:
        deadline.status = Deadline.OPEN
    else:
        deadline.status = Deadline.MET if state.met else Deadline.CANCELLED


class StaleClock(StaleEdit):
    """The clock changed since the form or request was made (its last event is not the one shown)."""

    code = "deadline.stale"

    def __init__(self):
        super().__init__("该期限已有新的变更(他人已中止、恢复、重新起算、延长或办结),您的操作未执行。"
                         "请查看最新的期限情况后重新操作。")
        self.field = "last_event"


def last_event_id(events) -> int:
    """The id a form or API call states it saw (`last_event`): the clock's newest event, 0 for none."""
    return max((e.pk for e in events), default=0)


def _act(deadline: Deadline, event: ClockEvent, expected_last_event: int | None = None) -> Deadline:
    """Append one act to a clock: refused (nothing written) unless its replay succeeds. With
    `expected_last_event`, refused (409) when the clock has changed since (a stale or repeated submission);
    with an actor, refused unless the one rule (deadlines/rules.py `may_act`) lets them."""
    from fazhi.deadlines import rules

    deadline = Deadline.objects.select_for_update().select_related("unit").get(pk=deadline.pk)
    action = event.kind
    if event.actor is not None and action in rules.ACTIONS and not rules.may_act(event.actor, deadline, action):
        raise NotAllowed(rules.act_refusal(action))
    events = list(deadline.events.order_by("id"))
    if expected_last_event is not None and last_event_id(events) != expected_last_event:
        raise StaleClock()
    if deadline.status != Deadline.OPEN:
        raise InvalidInput(f"该期限{deadline.state_display}, 不能再{event.get_kind_display()}", field="deadline")
    event.deadline = deadline
    state = clock_replay(deadline, [*events, event])
    event.save()
    _apply(deadline, state)
    deadline._change_reason = f"{event.get_kind_display()} {event.on}" + (f": {event.reason}" if event.reason else "")
    deadline.save()
    return deadline


def _required(value, field: str, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if not text:
        raise InvalidInput(message, field=field)
    return text


def _act_date(value, field: str = "on") -> date:
    if not isinstance(value, date):
        raise InvalidInput("日期格式错误,请使用 YYYY-MM-DD", field=field)
    if not ACT_YEARS[0] <= value.year <= ACT_YEARS[1]:
        raise InvalidInput(f"日期应在 {ACT_YEARS[0]} 至 {ACT_YEARS[1]} 年之间", field=field)
    return value


@transaction.atomic
def deadline_open(*, obj, unit, purpose: str, rule_id: str, start: date, actor=None) -> Deadline:
    """Start (or restart) the deadline `purpose` of a record: an `open` event, then the replay."""
    deadline_compute(rule_id, start)  # refuses an unknown rule or date before anything is written
    ct = ContentType.objects.get_for_model(obj)
    deadline = Deadline.objects.select_for_update().filter(content_type=ct, object_id=str(obj.pk), purpose=purpose).first()
    if deadline is None:
        deadline = Deadline(content_type=ct, object_id=str(obj.pk), purpose=purpose, unit=unit)
    # The office's period in force when the clock starts stays with it.
    deadline.rule_id, deadline.start = rule_id, start
    deadline.period = rule_period(rule_id) or get_rule(rule_id).period
    event = ClockEvent(kind=ClockEvent.OPEN, on=start, actor=_user(actor))
    state = clock_replay(deadline, [*(deadline.events.order_by("id") if deadline.pk else []), event])
    _apply(deadline, state)
    deadline.save()
    event.deadline = deadline
    event.save()
    return deadline


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def deadline_pause(*, deadline: Deadline, on: date, reason: str, actor=None,
                   expected_last_event: int | None = None) -> Deadline:
    """中止 from `on` (inclusive) until resumed: no paused day counts, natural or working days alike."""
    reason = _required(reason, "reason", "请填写中止的原因")
    return _act(deadline, ClockEvent(kind=ClockEvent.PAUSE, on=_act_date(on), reason=reason, actor=_user(actor)),
                expected_last_event)


@transaction.atomic
def deadline_resume(*, deadline: Deadline, on: date, actor=None, expected_last_event: int | None = None) -> Deadline:
    """恢复计算 from `on`: the first day counted again (the pause covers the days before it)."""
    return _act(deadline, ClockEvent(kind=ClockEvent.RESUME, on=_act_date(on), actor=_user(actor)), expected_last_event)


@transaction.atomic
def deadline_restart(*, deadline: Deadline, on: date, reason: str, actor=None,
                     expected_last_event: int | None = None) -> Deadline:
    """重新起算 from `on` (e.g. receipt of 补正 materials); the old start stays in the events."""
    reason = _required(reason, "reason", "请填写重新起算的原因,如「收到补正材料」")
    return _act(deadline, ClockEvent(kind=ClockEvent.RESTART, on=_act_date(on), reason=reason, actor=_user(actor)),
                expected_last_event)


@transaction.atomic
def deadline_extend(*, deadline: Deadline, days: int, approver: str, basis: str, on: date | None = None,
                    actor=None, expected_last_event: int | None = None) -> Deadline:
    """延长 by `days` from the original due date, approved by a named person with its basis; at most
    the rule's maximum (catalogue `extended_by`, the office's setting) in total."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise InvalidInput("延长期间应为正整数(日数或工作日数)", field="days")
    approver = _required(approver, "approver", "请填写批准延长的负责人姓名")
    basis = _required(basis, "basis", "请填写延长的依据,如「行政复议法第六十二条」及批准文书")
    on = _act_date(on or timezone.localdate())
    return _act(deadline, ClockEvent(kind=ClockEvent.EXTEND, on=on, days=days, approver=approver[:60],
                                     basis=basis[:300], actor=_user(actor)), expected_last_event)


@transaction.atomic
def deadline_close(*, deadline: Deadline, met: bool = True, on: date | None = None, actor=None,
                   reason: str = "") -> Deadline:
    """办结 (`met`) on `on` (default today), on time or late; `met=False` cancels the clock (撤销)."""
    on = _act_date(on or timezone.localdate())
    return _act(deadline, ClockEvent(kind=ClockEvent.CLOSE, on=on, met=bool(met), reason=(reason or "").strip(),
                                     actor=_user(actor)))


def deadlines_recompute(*, year: int, actor=None, reason: str) -> int:
    """Recompute every open deadline that touched `year` by replaying its events. Returns how many changed."""
    from django.db.models import Prefetch

    calendar = work_calendar()
    changed = 0
    deadlines = (Deadline.objects.open().touching_year(year).select_for_update()
                 .prefetch_related(Prefetch("events", queryset=ClockEvent.objects.order_by("id"))))
    for deadline in deadlines.iterator(chunk_size=500):
        before_due, before_prov = deadline.due, deadline.provisional
        _apply(deadline, clock_replay(deadline, list(deadline.events.all()), calendar=calendar))
        if (deadline.due, deadline.provisional) != (before_due, before_prov):
            deadline._change_reason = reason
            deadline.save()
            changed += 1
            event_record(
                verb="deadline.recomputed", actor=actor, unit_id=deadline.unit_id, obj=deadline, reason=reason,
                summary=f"期限重新计算: {before_due} → {deadline.due}"
                + ("" if deadline.provisional else "(已确定)"),
                data={"before": str(before_due), "after": str(deadline.due), "rule": deadline.rule_id},
            )
        else:
            Deadline.objects.filter(pk=deadline.pk).update(explanation=deadline.explanation)
    return changed


def _validate_days(year: int, days: list[dict]) -> list[CalendarDay]:
    seen = set()
    result = []
    for i, d in enumerate(days, start=1):
        day = d.get("date")
        kind = d.get("kind")
        if not isinstance(day, date):
            raise InvalidInput(f"第 {i} 行日期无效,请使用 YYYY-MM-DD", field="days")
        if day.year != year:
            raise InvalidInput(f"第 {i} 行日期 {day} 不在 {year} 年内", field="days")
        if kind not in (CalendarDay.HOLIDAY, CalendarDay.WORKDAY):
            raise InvalidInput(f"第 {i} 行类型无效: 应为 holiday(放假)或 workday(调休上班)", field="days")
        if day in seen:
            raise InvalidInput(f"第 {i} 行日期 {day} 重复", field="days")
        if kind == CalendarDay.WORKDAY and day.weekday() < 5:
            raise InvalidInput(f"第 {i} 行: {day} 是工作日,不需要登记为调休上班", field="days")
        seen.add(day)
        result.append(CalendarDay(date=day, kind=kind, name=(d.get("name") or "")[:40]))
    if not any(d.kind == CalendarDay.HOLIDAY for d in result):
        raise InvalidInput("放假安排至少要有一个放假日", field="days")
    return result


@transaction.atomic
def arrangement_enter(*, year: int, source: str, days: list[dict], actor) -> tuple[CalendarYear, int]:
    """Enter a year's arrangement; open deadlines that touched the year are recomputed."""
    _require_calendar_keeper(actor)
    if not ARRANGEMENT_YEARS[0] <= year <= ARRANGEMENT_YEARS[1]:
        raise InvalidInput(f"年度应在 {ARRANGEMENT_YEARS[0]} 至 {ARRANGEMENT_YEARS[1]} 之间", field="year")
    if not source.strip():
        raise InvalidInput("请填写依据文件(国务院办公厅的放假安排通知)", field="source")
    if CalendarYear.objects.active().filter(year=year).exists():
        raise InvalidInput(f"{year} 年已有放假安排;如需更正,请先作废原安排并说明原因", field="year")
    day_rows = _validate_days(year, days)
    arrangement = CalendarYear.objects.create(year=year, source=source.strip(), entered_by=actor)
    for d in day_rows:
        d.arrangement = arrangement
    CalendarDay.objects.bulk_create(day_rows)
    event_record(verb="calendar.arrangement_entered", summary=f"录入 {year} 年放假安排({len(day_rows)} 天)",
                 actor=actor, obj=arrangement, data={"year": year})
    changed = deadlines_recompute(year=year, actor=actor, reason=f"录入 {year} 年放假安排")
    return arrangement, changed


@transaction.atomic
def arrangement_void(*, arrangement: CalendarYear, actor, reason: str, expected_version: int | None) -> int:
    _require_calendar_keeper(actor)
    if not reason.strip():
        raise InvalidInput("作废必须填写原因", field="reason")
    if arrangement.is_voided:
        raise InvalidInput("该安排已作废", field="arrangement")
    versioned_update(arrangement, expected_version=expected_version, reason=reason,
                     changes={"voided_at": timezone.now(), "voided_by": actor, "void_reason": reason})
    event_record(verb="calendar.arrangement_voided", summary=f"作废 {arrangement.year} 年放假安排",
                 actor=actor, obj=arrangement, reason=reason)
    return deadlines_recompute(year=arrangement.year, actor=actor, reason=f"作废 {arrangement.year} 年放假安排: {reason}")


@transaction.atomic
def rule_setting_set(*, rule_id: str, period: int, actor, basis_note: str, expected_version: int | None = None) -> RuleSetting:
    """Change a configurable rule's period. Applies to deadlines started from now on."""
    _require_calendar_keeper(actor)
    rule = RULES.get(rule_id)
    if rule is None:
        raise InvalidInput(f"未知的期限规则「{rule_id}」", field="rule")
    if not rule.configurable:
        raise InvalidInput(f"「{rule_id}」是法定期限,不能修改", field="rule")
    if not 1 <= period <= 3650:
        raise InvalidInput("期限应在 1 至 3650 之间", field="period")
    if not basis_note.strip():
        raise InvalidInput("请填写调整依据", field="basis_note")
    setting = RuleSetting.objects.filter(rule_id=rule_id).first()
    if setting is None:
        setting = RuleSetting.objects.create(rule_id=rule_id, period=period, basis_note=basis_note, changed_by=actor)
    else:
        setting = versioned_update(setting, expected_version=expected_version, reason=basis_note,
                                   changes={"period": period, "basis_note": basis_note, "changed_by": actor})
    event_record(verb="deadline.rule_changed", summary=f"期限规则 {rule_id} 调整为 {period}",
                 actor=actor, obj=setting, reason=basis_note, data={"rule": rule_id, "period": period})
    return setting


def deadlines_overdue_record(*, today: date, batch: int = 2000) -> int:
    """One `deadline.overdue` event for each open clock that has become overdue (once per due date;
    a paused clock never is), for `fazhi remind`. Running it twice writes nothing new."""
    from fazhi.core.models import Event
    from fazhi.deadlines import rules
    from fazhi.deadlines.catalogue import RULES

    ct = ContentType.objects.get_for_model(Deadline)
    overdue = (Deadline.objects.open().filter(paused_since__isnull=True).filter(rules.overdue_q(today))
               .order_by("id").values_list("id", "unit_id", "rule_id", "due"))
    written = 0
    for chunk in _chunks(overdue.iterator(chunk_size=batch), batch):
        seen = {(e.object_id, e.data.get("due")) for e in Event.objects.filter(
            verb="deadline.overdue", content_type=ct, object_id__in=[str(c[0]) for c in chunk]).only("object_id", "data")}
        new = [Event(verb="deadline.overdue", content_type=ct, object_id=str(pk), unit_id=unit_id,
                     summary=f"期限「{RULES[rule].name if rule in RULES else rule}」已逾期(届满日 {due})",
                     data={"due": due.isoformat(), "rule": rule})
               for pk, unit_id, rule, due in chunk if (str(pk), due.isoformat()) not in seen]
        Event.objects.bulk_create(new)
        written += len(new)
    return written


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def deadline_act(action: str, *, deadline: Deadline, actor, expected_last_event: int | None = None,
                 **fields) -> Deadline:
    """One of the acts people take on a clock (pause/resume/restart/extend), by name: the shared page view
    and the API call this. `fields` are the act's own (on, reason; days, approver, basis)."""
    act = {"pause": deadline_pause, "resume": deadline_resume, "restart": deadline_restart,
           "extend": deadline_extend}[action]
    return act(deadline=deadline, actor=actor, expected_last_event=expected_last_event, **fields)
