"""Clocks stored on records: events (pause, resume, restart, extend, close) replayed through the engine.

Expected dates worked out by hand from the arrangements chinese_calendar ships (checked below with
``chinese_calendar.is_workday``, never with the engine):
2025 春节 01-28..02-04 off, 调休 Sun 01-26 and Sat 02-08 on; 2025 国庆 10-01..10-08 off, 调休 Sun 09-28
and Sat 10-11 on; 2026 春节 02-15..02-23 off, 调休 Sat 02-14 and Sat 02-28 on; 2026 中秋 09-25..09-27 and
国庆 10-01..10-07 off, 调休 Sat 10-10 on.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from fazhi.core.errors import InvalidInput
from fazhi.deadlines import services
from fazhi.deadlines.models import ClockEvent, Deadline
from fazhi.deadlines.tests.test_services import ARRANGEMENT_2027

D = date.fromisoformat


def test_the_arrangements_are_what_the_hand_computations_assume():
    off = ["2025-01-28", "2025-02-04", "2025-10-01", "2025-10-08", "2025-04-12", "2025-04-13",
           "2026-02-15", "2026-02-23", "2026-09-25", "2026-10-07"]
    on = ["2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11", "2025-03-03", "2025-03-13", "2025-04-14",
          "2026-02-14", "2026-02-28", "2026-10-10", "2026-03-11", "2026-03-25"]
    assert not any(chinese_calendar.is_workday(D(d)) for d in off)
    assert all(chinese_calendar.is_workday(D(d)) for d in on)


def clock(world, rule, start, purpose="decide"):
    unit = world.unit("D01")
    return services.deadline_open(obj=unit, unit=unit, purpose=purpose, rule_id=rule, start=D(start),
                                  actor=world.user("fzb"))


def test_natural_days_pause_resume_and_extension_around_spring_festival_2025(world):
    d = clock(world, "reconsideration.decide", "2025-01-02")
    assert d.due == D("2025-03-03")  # 60 days: Jan 2 + 60 = Mar 3 (Mon)
    d = services.deadline_pause(deadline=d, on=D("2025-01-10"), reason="申请人死亡, 等待继承人参加复议")
    assert d.state == "paused" and d.paused_since == D("2025-01-10") and d.state_display == "暂停中"
    assert any("尚未恢复" in line for line in d.explanation["explanation"])
    d = services.deadline_resume(deadline=d, on=D("2025-01-20"))
    # paused 01-10..01-19: ten days not counted (the 春节 days inside the period count as natural days)
    assert (d.due, d.state, d.paused_since) == (D("2025-03-13"), "open", None)
    assert any("中止 2025-01-10 至 2025-01-19" in line and "继承人" in line for line in d.explanation["explanation"])
    d = services.deadline_extend(deadline=d, days=30, approver="王主任", basis="行政复议法第六十二条, 批准书〔2025〕1号",
                                 on=D("2025-03-10"))
    # 30 days from the original due 03-13 is 04-12 (Sat), rolled to Mon 04-14
    assert d.due == D("2025-04-14") and d.explanation["original_due"] == "2025-03-13"
    assert any("王主任" in line for line in d.explanation["explanation"])
    kinds = list(d.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["open", "pause", "resume", "extend"]


def test_extension_beyond_the_maximum_or_on_a_rule_without_one_is_refused_naming_rule_and_basis(world):
    d = clock(world, "reconsideration.decide", "2025-01-02")
    d = services.deadline_extend(deadline=d, days=20, approver="王主任", basis="批准书", on=D("2025-02-20"))
    with pytest.raises(InvalidInput) as e:  # 20 + 11 > 30 in total
        services.deadline_extend(deadline=d, days=11, approver="王主任", basis="批准书", on=D("2025-02-21"))
    assert e.value.field == "extend" and "reconsideration.extend" in e.value.message and "行政复议法" in e.value.message
    plain = clock(world, "litigation.answer", "2025-09-16", purpose="answer")
    with pytest.raises(InvalidInput) as e:
        services.deadline_extend(deadline=plain, days=1, approver="王主任", basis="批准书")
    assert "litigation.answer" in e.value.message and "行政诉讼法" in e.value.message and "不能延长" in e.value.message
    assert d.events.count() == 2 and plain.events.count() == 1  # nothing written by a refusal
    for kwargs, field in [({"days": 0}, "days"), ({"approver": " "}, "approver"), ({"basis": ""}, "basis")]:
        with pytest.raises(InvalidInput) as e:
            services.deadline_extend(deadline=d, **{"days": 5, "approver": "王主任", "basis": "批准书", **kwargs})
        assert e.value.field == field


def test_natural_days_around_national_day_2025_end_on_an_adjusted_saturday(world):
    d = clock(world, "litigation.answer", "2025-09-16", purpose="answer")
    assert d.due == D("2025-10-09")  # 10-01 falls in 国庆 01..08, rolled to Thu 10-09
    d = services.deadline_pause(deadline=d, on=D("2025-09-20"), reason="等待鉴定")
    d = services.deadline_resume(deadline=d, on=D("2025-09-30"))
    # ten paused days (09-20..09-29): 09-16 + 15 + 10 = 10-11, a 调休 Saturday, a working day
    assert d.due == D("2025-10-11")


def test_working_days_around_spring_festival_2026_pause_and_extension(world):
    d = clock(world, "licence.decide", "2026-02-02")
    # 20 working days: 02-03..06 (4), 09..13 (9), Sat 14 调休 (10), 24..27 (14), Sat 28 调休 (15), 03-02..06 (20)
    assert d.due == D("2026-03-06")
    d = services.deadline_pause(deadline=d, on=D("2026-02-09"), reason="专家评审")
    d = services.deadline_resume(deadline=d, on=D("2026-02-12"))
    # 02-09..11 paused (3 working days): 02-03..06 (4), 12, 13 (6), 14 (7), 24..27 (11), 28 (12), 03-02..06 (17), 09..11
    assert d.due == D("2026-03-11")
    d = services.deadline_extend(deadline=d, days=10, approver="李局长", basis="行政许可法第四十二条")
    assert d.due == D("2026-03-25")  # 10 working days after 03-11: 12, 13, 16..20, 23..25
    with pytest.raises(InvalidInput, match="licence.extend"):
        services.deadline_extend(deadline=d, days=1, approver="李局长", basis="行政许可法第四十二条")


def test_a_pause_over_the_holiday_only_takes_out_the_working_days_in_it(world):
    d = clock(world, "licence.decide", "2026-02-02")
    d = services.deadline_pause(deadline=d, on=D("2026-02-14"), reason="补充材料")
    d = services.deadline_resume(deadline=d, on=D("2026-02-24"))
    # 02-14..23 paused: only the 调休 Saturday 02-14 was a working day, so the due moves by one: 03-09 (Mon)
    assert d.due == D("2026-03-09")


def test_restart_moves_the_start_and_keeps_the_old_one_in_the_history(world):
    d = clock(world, "reconsideration.accept", "2026-09-28")
    # 5 working days: 09-29, 30, (10-01..07 off), 10-08, 09, Sat 10-10 调休
    assert d.due == D("2026-10-10")
    d = services.deadline_pause(deadline=d, on=D("2026-09-30"), reason="通知补正")
    d = services.deadline_restart(deadline=d, on=D("2026-10-09"), reason="收到补正材料")
    # counted anew from 10-09: 10-10 (1), 10-12..15 (5); the pause before it no longer applies
    assert (d.start, d.due, d.state) == (D("2026-10-09"), D("2026-10-15"), "open")
    assert any("原起算日 2026-09-28" in line and "收到补正材料" in line for line in d.explanation["explanation"])
    assert d.history.filter(start=D("2026-09-28")).exists()
    with pytest.raises(InvalidInput, match="早于当前起算日"):
        services.deadline_restart(deadline=d, on=D("2026-10-01"), reason="错")


def test_refusals_name_the_field_and_write_nothing(world):
    d = clock(world, "licence.decide", "2026-02-02")
    with pytest.raises(InvalidInput) as e:
        services.deadline_resume(deadline=d, on=D("2026-02-10"))
    assert e.value.field == "on" and "未中止" in e.value.message
    with pytest.raises(InvalidInput) as e:
        services.deadline_pause(deadline=d, on=D("2026-02-10"), reason="")
    assert e.value.field == "reason"
    with pytest.raises(InvalidInput, match="早于起算日"):
        services.deadline_pause(deadline=d, on=D("2026-01-30"), reason="早")
    with pytest.raises(InvalidInput, match="已届满的期限不能中止"):
        services.deadline_pause(deadline=d, on=D("2026-03-09"), reason="晚")
    d = services.deadline_pause(deadline=d, on=D("2026-02-10"), reason="评审")
    with pytest.raises(InvalidInput, match="请先恢复"):
        services.deadline_pause(deadline=d, on=D("2026-02-11"), reason="再次")
    with pytest.raises(InvalidInput, match="应晚于中止起始日"):
        services.deadline_resume(deadline=d, on=D("2026-02-10"))
    assert d.events.count() == 2


def test_close_on_time_and_late(world):
    d = clock(world, "licence.decide", "2026-02-02")
    d = services.deadline_close(deadline=d, on=D("2026-03-06"))
    assert (d.status, d.late, d.closed_on) == (Deadline.MET, False, D("2026-03-06"))
    late = clock(world, "licence.decide", "2026-02-02", purpose="late")
    late = services.deadline_close(deadline=late, on=D("2026-03-09"), reason="办结")
    assert (late.status, late.late) == (Deadline.MET, True)
    assert any("逾期 3 日" in line for line in late.explanation["explanation"])
    with pytest.raises(InvalidInput, match="已办结"):
        services.deadline_pause(deadline=late, on=D("2026-02-10"), reason="晚了")
    # backward compatible: close(deadline=, met=) as before; met=False cancels
    c = clock(world, "licence.decide", "2026-02-02", purpose="cancel")
    c = services.deadline_close(deadline=c, met=False)
    assert c.status == Deadline.CANCELLED and c.late is None
    # deadline_open again reopens the clock (as before)
    c = clock(world, "licence.decide", "2026-02-02", purpose="cancel")
    assert c.status == Deadline.OPEN and c.due == D("2026-03-06")


def test_close_while_paused_ends_the_pause_the_day_before(world):
    d = clock(world, "licence.decide", "2026-02-02")
    d = services.deadline_pause(deadline=d, on=D("2026-03-02"), reason="等待检测")
    d = services.deadline_close(deadline=d, on=D("2026-03-12"))
    # paused 03-02..11 (8 working days): due 03-06 + 8 working days = 03-18; closed in time
    assert (d.due, d.late, d.paused_since) == (D("2026-03-18"), False, None)


def test_recompute_after_an_office_arrangement_replays_the_pauses(world):
    d = clock(world, "licence.decide", "2027-01-25")
    d = services.deadline_pause(deadline=d, on=D("2027-02-01"), reason="补充材料")
    d = services.deadline_resume(deadline=d, on=D("2027-02-03"))
    # provisional (weekends only): 01-26..29 (4), 02-03..05 (7), 08..12 (12), 15..19 (17), 22..24 (20)
    assert (d.due, d.provisional) == (D("2027-02-24"), True)
    _, changed = services.arrangement_enter(year=2027, source="国办发明电〔2026〕测试号", days=ARRANGEMENT_2027,
                                            actor=world.user("fzb"))
    d.refresh_from_db()
    # 春节 02-05..12 off, Sun 02-14 on: 01-26..29 (4), 02-03, 04 (6), 14 (7), 15..19 (12), 22..26 (17), 03-01..03
    assert (changed, d.due, d.provisional) == (1, D("2027-03-03"), False)
    assert any("中止 2027-02-01 至 2027-02-02" in line for line in d.explanation["explanation"])


def test_clock_events_are_append_only(world):
    d = clock(world, "licence.decide", "2026-02-02")
    event = d.events.get()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        ClockEvent.objects.filter(pk=event.pk).update(reason="改")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {ClockEvent._meta.db_table} SET reason = 'x' WHERE id = %s", [event.pk])
