"""Every reconsideration.* and litigation.* rule of the catalogue against dates computed BY HAND from the State
Council's arrangements (never with the engine), around 春节, 国庆 and 调休 days; the flows (补正 pause and restart,
中止/恢复, extension and its refusals, closing) go through the services on a stored clock and are read back with
clock_brief, as the reconsideration and litigation registers show them.

The arrangements (国务院办公厅 yearly notices, as chinesecalendar 1.11.0 ships them; checked in the first test):
- 2025 春节 01-28 (Tue)..02-04 (Tue) off; 调休上班 Sun 01-26 and Sat 02-08.
- 2025 国庆·中秋 10-01 (Wed)..10-08 (Wed) off; 调休上班 Sun 09-28 and Sat 10-11.
- 2026 春节 02-15 (Sun)..02-23 (Mon) off; 调休上班 Sat 02-14 and Sat 02-28.
- 2026 中秋 09-25 (Fri)..09-27 (Sun) off, 调休上班 Sun 09-20; 国庆 10-01 (Thu)..10-07 (Wed) off, 调休上班 Sat 10-10
  (10-08 Thu is a working day in 2026).

How the periods count (deadlines.md; the engine implements it):
- The day of the event is not counted (民事诉讼法(2023) 第85条第2款 期间开始的时和日不计算在期间内).
- 行政复议法(2023) 第88条第2款: its 三日、五日、七日、十日 are working days — so accept, correction_notice,
  correction, send_copy(_simple), reply(_simple), hearing_notice count working days; a 调休 Saturday/Sunday is a
  working day (the State Council's arrangement), a holiday or plain weekend is not.
- Natural-day periods (decide 60, decide_simple 30, extend 30, apply 60; litigation.answer 15,
  file_after_reconsideration 15; file 6 months): 行政诉讼法 第101条 applies 民事诉讼法 to periods, and 民事诉讼法(2023)
  第85条第3款 期间届满的最后一日是法定休假日的, 以法定休假日后的第一日为期间届满的日期 — the period ROLLS to the next
  working day; a 调休 working day is not a rest day, so a period ending on one does not roll.
- "N working days before" (hearing_notice, 行政复议法 第51条 听证的五日前通知): the notice day is the start (not
  counted) and the hearing day the last day of the N, so the latest notice day is the N-th working day counted back
  from the day before the hearing.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from fazhi.core.errors import InvalidInput
from fazhi.deadlines import services
from fazhi.deadlines.catalogue import RULES
from fazhi.deadlines.selectors import clock_brief, record_clocks_brief

D = date.fromisoformat
XF62 = "行政复议法(2023) 第62条第1款"


def test_the_arrangements_are_what_the_hand_computations_assume():
    off = ["2025-01-28", "2025-02-04", "2025-10-01", "2025-10-08", "2026-02-15", "2026-02-17", "2026-02-23",
           "2026-09-25", "2026-09-27", "2026-10-01", "2026-10-07", "2025-03-16", "2026-03-29"]
    on = ["2025-01-26", "2025-02-08", "2025-09-28", "2025-10-09", "2025-10-11", "2026-02-14", "2026-02-24",
          "2026-02-28", "2026-09-20", "2026-10-08", "2026-10-10", "2026-03-30"]
    assert not any(chinese_calendar.is_workday(D(d)) for d in off)
    assert all(chinese_calendar.is_workday(D(d)) for d in on)
    assert D("2026-02-14").weekday() == 5 and D("2026-02-28").weekday() == 5 and D("2025-09-28").weekday() == 6


def test_every_reconsideration_and_litigation_rule_is_checked_here():
    checked = {case[0] for case in PURE} | {"reconsideration.extend"}
    remedies = {r for r in RULES if r.startswith(("reconsideration.", "litigation."))}
    assert remedies <= checked, remedies - checked


# (rule, start, hand-computed due, the arithmetic)
PURE = [
    # ---- working days (行政复议法 第88条)
    ("reconsideration.accept", "2026-02-11", "2026-02-25",
     "received Wed 02-11: Thu 12 (1), Fri 13 (2), Sat 14 调休 (3), 15..23 春节, Tue 24 (4), Wed 25 (5)"),
    ("reconsideration.correction_notice", "2025-01-24", "2025-02-07",
     "received Fri 01-24: Sat 25 rest, Sun 26 调休 (1), Mon 27 (2), 28..02-04 春节, Wed 05 (3), Thu 06 (4), Fri 07 (5)"),
    ("reconsideration.correction", "2026-02-13", "2026-03-05",
     "notice received Fri 02-13: Sat 14 调休 (1), 15..23 春节, 24 (2), 25 (3), 26 (4), 27 (5), Sat 28 调休 (6), "
     "Mon 03-02 (7), 03 (8), 04 (9), Thu 05 (10)"),
    ("reconsideration.send_copy", "2026-02-12", "2026-02-28",
     "accepted Thu 02-12: Fri 13 (1), Sat 14 调休 (2), 15..23 春节, 24 (3), 25 (4), 26 (5), 27 (6), "
     "Sat 28 调休 (7): due ON a 调休 Saturday, a working day"),
    ("reconsideration.send_copy_simple", "2026-02-13", "2026-02-25",
     "accepted Fri 02-13: Sat 14 调休 (1), 15..23 春节, Tue 24 (2), Wed 25 (3)"),
    ("reconsideration.reply", "2025-09-25", "2025-10-15",
     "copy received Thu 09-25: Fri 26 (1), Sat 27 rest, Sun 28 调休 (2), 29 (3), 30 (4), 10-01..08 国庆, "
     "Thu 09 (5), Fri 10 (6), Sat 11 调休 (7), Sun 12 rest, 13 (8), 14 (9), Wed 15 (10)"),
    ("reconsideration.reply", "2026-09-24", "2026-10-15",
     "copy received Thu 09-24: 25..27 中秋, Mon 28 (1), 29 (2), 30 (3), 10-01..07 国庆, Thu 08 (4), Fri 09 (5), "
     "Sat 10 调休 (6), Sun 11 rest, 12 (7), 13 (8), 14 (9), Thu 15 (10)"),
    ("reconsideration.reply_simple", "2025-09-26", "2025-10-10",
     "copy received Fri 09-26: Sat 27 rest, Sun 28 调休 (1), 29 (2), 30 (3), 10-01..08 国庆, Thu 09 (4), Fri 10 (5)"),
    ("reconsideration.hearing_notice", "2026-02-24", "2026-02-10",
     "hearing Tue 02-24, the first working day after 春节: back from Mon 23: 23..15 春节, Sat 14 调休 (1), "
     "Fri 13 (2), Thu 12 (3), Wed 11 (4), Tue 10 (5): notice by 02-10 (forward: 11, 12, 13, 14, 24 = 5)"),
    ("reconsideration.hearing_notice", "2025-10-09", "2025-09-25",
     "hearing Thu 10-09, just after 国庆: back from Wed 08: 08..01 国庆, Tue 09-30 (1), Mon 29 (2), Sun 28 调休 (3), "
     "Sat 27 rest, Fri 26 (4), Thu 25 (5)"),
    # ---- natural days, the last day rolled over rest days (民事诉讼法 第85条)
    ("reconsideration.decide", "2025-12-19", "2026-02-24",
     "accepted Fri 12-19: Dec 20..31 = 12, Jan = 31 (43), Feb 17 (60) — Tue 02-17 is 春节, rolled to Tue 02-24"),
    ("reconsideration.decide", "2026-01-05", "2026-03-06",
     "accepted Mon 01-05: Jan 6..31 = 26, Feb = 28 (54), Mar 6 (60): Fri, a working day — 春节 inside the "
     "period counts as natural days"),
    ("reconsideration.decide_simple", "2025-09-08", "2025-10-09",
     "accepted Mon 09-08: Sep 9..30 = 22, Oct 8 (30) — Wed 10-08 is 国庆, rolled to Thu 10-09"),
    ("reconsideration.extend", "2026-09-01", "2026-10-08",
     "original due Tue 09-01: Sep 2..30 = 29, Oct 1 (30) — 国庆 01..07, rolled to Thu 10-08 (a working day in 2026)"),
    ("reconsideration.apply", "2025-08-02", "2025-10-09",
     "knew on Sat 08-02: Aug 3..31 = 29, Sep = 30 (59), Oct 1 (60) — 国庆 01..08, rolled to Thu 10-09"),
    ("litigation.answer", "2026-02-02", "2026-02-24",
     "complaint copy received Mon 02-02: Feb 3..17 = 15 — Tue 02-17 is 春节, rolled to Tue 02-24"),
    ("litigation.answer", "2026-02-13", "2026-02-28",
     "received Fri 02-13: Feb 14..28 = 15 — Sat 02-28 is a 调休 working day: not rolled"),
    ("litigation.answer", "2025-03-01", "2025-03-17",
     "received Sat 03-01: Mar 2..16 = 15 — Sun 03-16 is a rest day (法定休假日 includes the weekly rest days), "
     "rolled to Mon 03-17"),
    ("litigation.file_after_reconsideration", "2026-09-16", "2026-10-08",
     "decision received Wed 09-16: Sep 17..30 = 14, Oct 1 (15) — 国庆 01..07, rolled to Thu 10-08"),
    ("litigation.file", "2025-04-01", "2025-10-09",
     "knew on 04-01: six months later 10-01 (国庆 01..08), rolled to Thu 10-09"),
    ("litigation.file", "2025-08-31", "2026-02-28",
     "knew on 08-31: six months later is February, which has no 31st: its last day Sat 02-28, a 调休 working day"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "start", "due", "why"), PURE, ids=[f"{c[0]}@{c[1]}" for c in PURE])
def test_period_against_the_hand_computed_date(rule, start, due, why):
    result = services.deadline_compute(rule, D(start))
    assert result.due == D(due), why
    assert not result.provisional  # 2025 and 2026 are both in the official arrangements


@pytest.mark.django_db
def test_natural_days_ending_on_a_holiday_roll_and_say_why():
    result = services.deadline_compute("litigation.answer", D("2026-02-02"))
    assert (result.rolled_from, result.due) == (D("2026-02-17"), D("2026-02-24"))
    assert any("民事诉讼法" in line and "顺延至 2026-02-24" in line for line in result.explanation)
    assert result.rule.basis == "行政诉讼法 第67条"
    kept = services.deadline_compute("litigation.answer", D("2026-02-13"))
    assert kept.rolled_from is None and any("调休上班日, 视为工作日, 不顺延" in line for line in kept.explanation)


# ------------------------------------------------------------------ flows on a stored clock (the services)


def _open(world, rule, start, purpose, unit="D01"):
    u = world.unit(unit)
    return services.deadline_open(obj=u, unit=u, purpose=purpose, rule_id=rule, start=D(start), actor=world.user("fzb"))


def test_acceptance_paused_for_correction_then_counted_anew_from_the_materials_arrival(world):
    # Application received Wed 2026-02-11: accept due 02-25 and correction_notice due 02-25 (see PURE).
    accept = _open(world, "reconsideration.accept", "2026-02-11", "accept")
    notice = _open(world, "reconsideration.correction_notice", "2026-02-11", "correction_notice")
    assert accept.due == notice.due == D("2026-02-25")
    # 补正 notice sent and received Fri 02-13: the review stands still (补正期间暂停计算) ...
    notice = services.deadline_close(deadline=notice, on=D("2026-02-13"))
    accept = services.deadline_pause(deadline=accept, on=D("2026-02-13"), reason="通知申请人补正")
    # ... and the applicant has 10 working days from receipt: due Thu 03-05 (see PURE).
    correction = _open(world, "reconsideration.correction", "2026-02-13", "correction")
    assert correction.due == D("2026-03-05")
    b = clock_brief(accept, today=D("2026-02-24"))
    # paused 02-13..02-24, both days included = 12 calendar days; no due date while paused
    assert (b["due"], b["due_at_least"], b["paused"], b["paused_days"]) == (None, D("2026-02-25"), True, 12)
    # The material arrives Mon 03-02, in time: the correction clock is met, the review counts anew from 03-02
    # (行政复议法 第31条): Tue 03 (1), Wed 04 (2), Thu 05 (3), Fri 06 (4), Mon 09 (5) → 03-09.
    correction = services.deadline_close(deadline=correction, on=D("2026-03-02"))
    accept = services.deadline_restart(deadline=accept, on=D("2026-03-02"), reason="收到补正材料")
    assert (accept.start, accept.due, accept.state) == (D("2026-03-02"), D("2026-03-09"), "open")
    briefs = {b["purpose"]: b for b in record_clocks_brief(world.unit("D01"), today=D("2026-03-04"))}
    assert (briefs["accept"]["restarts"], briefs["accept"]["paused_days"], briefs["accept"]["remaining_days"]) == (1, 0, 5)
    assert (briefs["correction"]["state"], briefs["correction_notice"]["state"]) == ("met", "met")
    assert any("原起算日 2026-02-11" in line for line in accept.explanation["explanation"])
    # Accepted Fri 03-06, within the period.
    accept = services.deadline_close(deadline=accept, on=D("2026-03-06"))
    assert clock_brief(accept, today=D("2026-03-06"))["state"] == "met"


def test_acceptance_paused_and_resumed_counts_only_the_working_days_outside_the_pause(world):
    # Received Wed 2026-02-11; paused from Fri 02-13 (not counted), resumed Thu 02-26 (counted again):
    # Thu 12 (1), [13..25 paused], Thu 26 (2), Fri 27 (3), Sat 28 调休 (4), Mon 03-02 (5) → 03-02.
    accept = _open(world, "reconsideration.accept", "2026-02-11", "accept")
    accept = services.deadline_pause(deadline=accept, on=D("2026-02-13"), reason="通知申请人补正")
    accept = services.deadline_resume(deadline=accept, on=D("2026-02-26"))
    assert accept.due == D("2026-03-02")
    assert clock_brief(accept, today=D("2026-02-27"))["paused_days"] == 13  # 02-13..02-25


def test_decision_suspended_resumed_extended_and_an_extension_refused_as_too_long(world):
    # Accepted Fri 2025-12-19: 60 days end Tue 2026-02-17 (春节) → 02-24 (see PURE).
    decide = _open(world, "reconsideration.decide", "2025-12-19", "decide")
    assert decide.due == D("2026-02-24")
    # 中止 Mon 2026-01-05 (a party died, 行政复议法 第39条), 恢复 Thu 01-15: 01-05..01-14 = 10 days not counted.
    # The 70th calendar day after 12-19 is 02-17 + 10 = Fri 02-27, a working day (no roll).
    decide = services.deadline_pause(deadline=decide, on=D("2026-01-05"), reason="申请人死亡, 其近亲属尚未确定是否参加行政复议")
    decide = services.deadline_resume(deadline=decide, on=D("2026-01-15"))
    assert decide.due == D("2026-02-27")
    # Extension approved by the 复议机构负责人 (第62条第1款), counted from the original due date 02-27:
    # 20 days → Feb 28 (1), Mar 1..19 (20) = Thu 03-19.
    decide = services.deadline_extend(deadline=decide, days=20, approver="王主任", basis=f"{XF62}, 延期审批表", on=D("2026-02-20"))
    assert decide.due == D("2026-03-19")
    # 11 more would make 31 > 30 in total: refused, naming the rule and its basis; nothing written.
    with pytest.raises(InvalidInput) as refused:
        services.deadline_extend(deadline=decide, days=11, approver="王主任", basis=XF62, on=D("2026-03-10"))
    assert refused.value.field == "extend"
    assert "reconsideration.extend" in refused.value.message and XF62 in refused.value.message
    assert "30日" in refused.value.message
    with pytest.raises(InvalidInput) as at_once:  # 31 at once: the same
        fresh = _open(world, "reconsideration.decide", "2025-12-19", "decide", unit="D02")
        services.deadline_extend(deadline=fresh, days=31, approver="王主任", basis=XF62, on=D("2026-02-20"))
    assert "reconsideration.extend" in at_once.value.message
    # 10 more (30 in total) are allowed: 02-27 + 30 = Sun 03-29, a rest day → Mon 03-30.
    decide = services.deadline_extend(deadline=decide, days=10, approver="王主任", basis=XF62, on=D("2026-03-10"))
    assert (decide.due, decide.explanation["original_due"]) == (D("2026-03-30"), "2026-02-27")
    b = clock_brief(decide, today=D("2026-03-20"))
    assert (b["extended_days"], b["paused_days"], b["remaining_days"], b["extension_mode"]) == (30, 10, 10, "days")
    # Decided Fri 03-27: on time because of the approved extension.
    decide = services.deadline_close(deadline=decide, on=D("2026-03-27"))
    assert (decide.late, clock_brief(decide, today=D("2026-03-27"))["state"]) == (False, "met")


def test_simplified_decision_cannot_be_extended(world):
    # Accepted Mon 2025-09-08: 30 days end Wed 10-08 (国庆) → Thu 10-09 (see PURE).
    simple = _open(world, "reconsideration.decide_simple", "2025-09-08", "decide")
    assert simple.due == D("2025-10-09")
    with pytest.raises(InvalidInput) as refused:
        services.deadline_extend(deadline=simple, days=5, approver="王主任", basis=XF62, on=D("2025-10-01"))
    assert refused.value.field == "extend" and "reconsideration.decide_simple" in refused.value.message
    assert "不能延长" in refused.value.message and "第62条第2款" in refused.value.message
    assert simple.events.count() == 1


def test_send_copy_then_reply_over_national_day_and_the_hearing_notice(world):
    # Accepted Tue 2025-09-23: send_copy 7 working days: Wed 24 (1), Thu 25 (2), Fri 26 (3), Sun 28 调休 (4),
    # Mon 29 (5), Tue 30 (6), 10-01..08 国庆, Thu 10-09 (7).
    send = _open(world, "reconsideration.send_copy", "2025-09-23", "send_copy")
    assert send.due == D("2025-10-09")
    send = services.deadline_close(deadline=send, on=D("2025-09-24"))
    # The respondent received the copy Thu 09-25: reply due Wed 10-15 (see PURE), the 调休 09-28 and 10-11 counted.
    reply = _open(world, "reconsideration.reply", "2025-09-25", "reply")
    assert reply.due == D("2025-10-15")
    assert "2025-09-28" in reply.explanation["counted"] and "2025-10-11" in reply.explanation["counted"]
    b = clock_brief(reply, today=D("2025-10-16"))
    assert (b["state"], b["remaining_days"], b["overdue"]) == ("open", -1, True)  # still open the day after: overdue
    reply = services.deadline_close(deadline=reply, on=D("2025-10-16"))
    assert clock_brief(reply, today=D("2025-10-16"))["state"] == "late"
    # A hearing on Thu 10-09: notice no later than Thu 09-25 (see PURE).
    assert services.deadline_compute("reconsideration.hearing_notice", D("2025-10-09")).due == D("2025-09-25")


def test_litigation_answer_due_on_a_holiday_rolls_and_is_on_the_clock(world):
    # Complaint copy received Mon 2026-02-02: 15 days end Tue 02-17 (春节) → Tue 02-24 (行政诉讼法 第67条, 第101条;
    # 民事诉讼法 第85条).
    answer = _open(world, "litigation.answer", "2026-02-02", "answer")
    assert answer.due == D("2026-02-24")
    assert clock_brief(answer, today=D("2026-02-20"))["remaining_days"] == 4
    with pytest.raises(InvalidInput) as refused:  # a statutory answer period has no extension
        services.deadline_extend(deadline=answer, days=3, approver="张局长", basis="无", on=D("2026-02-20"))
    assert "litigation.answer" in refused.value.message and "不能延长" in refused.value.message
    answer = services.deadline_close(deadline=answer, on=D("2026-02-24"))  # answered on the last day: on time
    assert (answer.late, clock_brief(answer, today=D("2026-02-24"))["state"]) == (False, "met")
