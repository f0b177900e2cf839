"""Deadline writes and the bridge from the engine to the database: the calendar built from
office arrangements, the office's rule settings, deadlines kept on records, recomputation."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.scoping import scope_for
from fazhi.core.services import event_record, versioned_update
from fazhi.deadlines.calendar import WorkCalendar, YearArrangement
from fazhi.deadlines.catalogue import RULES, UnknownRule, get_rule
from fazhi.deadlines.engine import Computation, DateOutOfRange, InvalidClock, InvalidPeriod, Pause, compute
from fazhi.deadlines.models import CalendarDay, CalendarYear, Deadline, RuleSetting

ARRANGEMENT_YEARS = (2000, 2100)  # the years an office-entered arrangement may cover


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


def deadline_compute(rule_id: str, start: date, *, calendar: WorkCalendar | None = None,
                     pauses: tuple[Pause, ...] = (), extend: int | None = None) -> Computation:
    """Compute a deadline with the calendar and settings in force, with pauses (中止) and an
    extension (延长) if given. Raises InvalidInput for bad input, naming the field."""
    try:
        rule = get_rule(rule_id)
    except UnknownRule:
        raise InvalidInput(f"未知的期限规则「{rule_id}」,可用规则见 /api/v1/deadlines/rules/", field="rule") from None
    # The office's setting of a configurable extension rule is the maximum in force.
    extend_max = rule_period(rule.extended_by) if rule.extended_by and extend is not None else None
    try:
        return compute(rule, start, calendar=calendar or work_calendar(), period=rule_period(rule.id),
                       pauses=pauses, extend=extend, extend_max=extend_max)
    except InvalidClock as e:
        raise InvalidInput(str(e), field=e.field) from e
    except InvalidPeriod as e:
        raise InvalidInput(str(e), field="period") from e
    except DateOutOfRange as e:
        raise InvalidInput(str(e), field="start") from e


def _apply(deadline: Deadline, result: Computation) -> None:
    deadline.rule_id = result.rule.id
    deadline.start = result.start
    deadline.period = result.period
    deadline.due = result.due
    deadline.provisional = result.provisional
    years = sorted(result.years)
    deadline.first_year, deadline.last_year = years[0], years[-1]
    deadline.explanation = result.as_dict()


@transaction.atomic
def deadline_open(*, obj, unit, purpose: str, rule_id: str, start: date, actor=None) -> Deadline:
    """Start (or restart) the deadline `purpose` of a record."""
    result = deadline_compute(rule_id, start)
    ct = ContentType.objects.get_for_model(obj)
    deadline = Deadline.objects.filter(content_type=ct, object_id=str(obj.pk), purpose=purpose).first()
    if deadline is None:
        deadline = Deadline(content_type=ct, object_id=str(obj.pk), purpose=purpose, unit=unit)
    _apply(deadline, result)
    deadline.status = Deadline.OPEN
    deadline.save()
    return deadline


@transaction.atomic
def deadline_close(*, deadline: Deadline, met: bool = True) -> Deadline:
    deadline.status = Deadline.MET if met else Deadline.CANCELLED
    deadline.save()
    return deadline


def deadlines_recompute(*, year: int, actor=None, reason: str) -> int:
    """Recompute every open deadline that touched `year`. Returns how many changed."""
    calendar = work_calendar()
    changed = 0
    for deadline in Deadline.objects.open().touching_year(year).select_for_update().iterator(chunk_size=500):
        before_due, before_prov = deadline.due, deadline.provisional
        result = compute(deadline.rule_id, deadline.start, calendar=calendar, period=deadline.period or None)
        _apply(deadline, result)
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
