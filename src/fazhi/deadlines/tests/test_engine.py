"""Deadline engine tests: pure Python, no Django, no database.

Expected dates below were worked out by hand from the State Council arrangements
and checked day by day with ``chinese_calendar.is_workday`` — never with the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings, strategies as st

from fazhi.deadlines.calendar import (
    DayInfo,
    InvalidArrangement,
    WorkCalendar,
    YearArrangement,
    package_years,
)
from fazhi.deadlines.catalogue import (
    BEFORE_MODES,
    FIXED_HOLIDAYS,
    FORWARD_MODES,
    MODES,
    RULES,
    WORKDAY_MODES,
    Rule,
    UnknownRule,
    get_rule,
)
from fazhi.deadlines.engine import (
    Computation,
    CountingSettings,
    DateOutOfRange,
    InvalidPeriod,
    add_months,
    compute,
)

D = date.fromisoformat
CAL = WorkCalendar()
NO_ADJUSTED = CountingSettings(adjusted_workday_is_workday=False)

# A made-up 2027 arrangement (the real one is not published yet): 国庆 10-01..10-07,
# 调休上班 Sun 09-26 and Sat 10-09, 元旦 01-01 only.
OFFICE_2027 = YearArrangement(
    year=2027,
    holidays=frozenset({D("2027-01-01")} | {date(2027, 10, d) for d in range(1, 8)}),
    workdays=frozenset({D("2027-09-26"), D("2027-10-09")}),
    names={date(2027, 10, d): "国庆节" for d in range(1, 8)} | {D("2027-01-01"): "元旦", D("2027-10-09"): "国庆节"},
)
CAL_2027 = WorkCalendar({2027: OFFICE_2027})

# /work/shared/legal/examples.csv, copied (the project must not read ../shared at run time).
EXAMPLES = [
    ("reconsideration.decide", "2025-12-05", "2026-02-03", False, "60 calendar days end 2026-02-03 (a Tuesday): no roll"),
    ("reconsideration.decide", "2025-08-02", "2025-10-09", False, "ends 2025-10-01 in National Day: rolls to the first working day after the holiday"),
    ("reconsideration.accept", "2026-02-11", "2026-02-25", False, "counts Sat 2026-02-14 (调休 working day), skips Spring Festival 02-15..02-23"),
    ("litigation.answer", "2026-04-20", "2026-05-06", False, "ends 2026-05-05 in Labour Day: rolls forward"),
    ("penalty.hearing_request", "2026-09-29", "2026-10-12", False, "skips National Day 10-01..10-07; Sat 2026-10-10 is a 调休 working day"),
    ("penalty.decide", "2026-03-01", "2026-06-01", False, "90 calendar days end Sat 2026-05-30: rolls to Mon 2026-06-01"),
    ("licence.decide", "2026-01-05", "2026-02-02", False, "20 working days; weekends skipped"),
    ("licence.decide", "2026-12-28", "2027-01-26", True, "reaches 2027, not in the installed calendar: provisional; 2027-01-01 is skipped as a fixed-date holiday"),
]

# (rule, start, period override or None, expected due, provisional, why) — default calendar and settings.
HAND = [
    # weekends
    ("reconsideration.accept", "2026-03-05", None, "2026-03-12", False, "Thu + 5 wd: Fri, skip Sat/Sun, Mon..Thu"),
    ("litigation.answer", "2026-03-06", None, "2026-03-23", False, "15 d end Sat 03-21: roll to Mon"),
    ("litigation.file_after_reconsideration", "2026-03-07", None, "2026-03-23", False, "15 d end Sun 03-22: roll to Mon"),
    # 2024 Spring Festival (02-10..02-17; 调休 Sun 02-04, Sun 02-18)
    ("litigation.answer", "2024-01-20", None, "2024-02-04", False, "ends on 调休 Sun 02-04: not extended"),
    ("penalty.hand_over_cash", "2024-02-08", None, "2024-02-18", False, "Fri 02-09, then 调休 Sun 02-18"),
    ("reconsideration.accept", "2024-02-07", None, "2024-02-20", False, "02-08, 02-09, 02-18, 02-19, 02-20"),
    ("reconsideration.decide_simple", "2024-01-11", None, "2024-02-18", False, "30 d end 02-10 in 春节: roll onto 调休 Sun 02-18"),
    # 2025 Spring Festival (01-28..02-04; 调休 Sun 01-26, Sat 02-08)
    ("penalty.hearing_request", "2025-01-23", None, "2025-02-06", False, "01-24, 调休 Sun 01-26, 01-27, 02-05, 02-06"),
    ("licence.notify_incomplete", "2025-02-05", None, "2025-02-11", False, "02-06, 02-07, 调休 Sat 02-08, 02-10, 02-11"),
    ("penalty.pay_fine", "2025-01-14", None, "2025-02-05", False, "15 d end 01-29 in 春节: roll to 02-05"),
    # 2025 Labour Day (05-01..05-05; 调休 Sun 04-27)
    ("penalty.hearing_request", "2025-04-25", None, "2025-05-06", False, "调休 Sun 04-27, 04-28..04-30, then 05-06"),
    # 2025 National Day + Mid-autumn (10-01..10-08; 调休 Sun 09-28, Sat 10-11)
    ("reconsideration.send_copy", "2025-09-26", None, "2025-10-13", False, "09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13"),
    ("reconsideration.decide_simple", "2025-09-11", None, "2025-10-11", False, "30 d end on 调休 Sat 10-11: not extended"),
    # year end 2025 -> 2026 (元旦 01-01..01-03; 调休 Sun 01-04)
    ("reconsideration.accept", "2025-12-31", None, "2026-01-08", False, "调休 Sun 01-04, 01-05..01-08"),
    ("litigation.answer", "2025-12-17", None, "2026-01-04", False, "15 d end 01-01: roll over 元旦 onto 调休 Sun 01-04"),
    # 2026 Spring Festival (02-15..02-23; 调休 Sat 02-14, Sat 02-28)
    ("penalty.hand_over_cash", "2026-02-26", None, "2026-02-28", False, "Fri 02-27, 调休 Sat 02-28"),
    # 2026 Labour Day (05-01..05-05; 调休 Sat 05-09)
    ("licence.publicize", "2026-04-28", None, "2026-05-11", False, "04-29, 04-30, 05-06..05-08, 调休 Sat 05-09, 05-11"),
    # 2026 Mid-autumn (09-25..09-27; 调休 Sun 09-20) and National Day (10-01..10-07; 调休 Sat 10-10)
    ("penalty.serve_absent", "2026-09-17", None, "2026-09-28", False, "09-18, 调休 Sun 09-20, 09-21..09-24, 09-28"),
    ("reconsideration.decide", "2026-08-02", None, "2026-10-08", False, "60 d end 10-01: roll to 10-08"),
    # 2024 National Day (10-01..10-07; 调休 Sun 09-29, Sat 10-12)
    ("licence.decide", "2024-09-20", None, "2024-10-23", False, "20 wd through 国庆, counting both 调休 days"),
    ("litigation.file_after_reconsideration", "2024-09-16", None, "2024-10-08", False, "15 d end 10-01: roll to 10-08"),
    # months: same day, clamped to month end, then roll
    ("litigation.file", "2025-08-31", None, "2026-02-28", False, "clamped to 02-28, a 调休 Sat: not extended"),
    ("litigation.file", "2023-08-31", None, "2024-02-29", False, "leap year clamp to 02-29 (Thu)"),
    ("litigation.file", "2020-08-31", None, "2021-03-01", False, "clamped to Sun 2021-02-28: roll to Mon"),
    ("litigation.file", "2026-01-31", 1, "2026-02-28", False, "01-31 + 1 month -> 02-28 (调休 Sat)"),
    ("litigation.file", "2024-01-31", 1, "2024-02-29", False, "01-31 + 1 month -> 02-29"),
    ("litigation.file", "2025-01-31", 1, "2025-02-28", False, "01-31 + 1 month -> Fri 02-28"),
    ("litigation.file", "2021-01-31", 1, "2021-03-01", False, "01-31 + 1 month -> Sun 02-28: roll to Mon"),
    ("litigation.file", "2026-03-15", None, "2026-09-15", False, "plain 6 months, Tue"),
    ("normdoc.validity", "2024-02-29", None, "2029-02-28", True, "5 years, clamped, in an uncovered year"),
    # before an event (start = event day)
    ("reconsideration.hearing_notice", "2026-03-13", None, "2026-03-06", False, "Fri event: Thu..Mon, skip weekend, Fri"),
    ("reconsideration.hearing_notice", "2026-10-09", None, "2026-09-24", False, "back over 国庆 and 中秋"),
    ("penalty.hearing_notice", "2026-02-26", None, "2026-02-10", False, "back over 春节, counting 调休 Sat 02-14"),
    ("decision.hearing_materials", "2026-03-16", None, "2026-03-09", False, "event - 7 is a Monday"),
    ("decision.hearing_materials", "2026-03-14", None, "2026-03-06", False, "event - 7 is Sat 03-07: move back to Fri"),
    ("decision.hearing_materials", "2026-10-14", None, "2026-09-30", False, "event - 7 is 10-07 in 国庆: move back to 09-30"),
    ("decision.hearing_materials", "2026-03-07", None, "2026-02-28", False, "event - 7 is 调休 Sat 02-28: a working day"),
    # fixed date
    ("programme.workplan_file", "2026-01-15", None, "2026-04-30", False, "before 04-30"),
    ("programme.workplan_file", "2026-04-30", None, "2026-04-30", False, "on 04-30"),
    ("programme.workplan_file", "2026-05-01", None, "2027-04-30", False, "after 04-30: next year, no roll"),
    # uncovered years: weekends + fixed-date holidays, provisional
    ("reconsideration.accept", "2027-09-29", None, "2027-10-07", True, "09-30, skip Fri 10-01 (国庆 fixed) and weekend, 10-04..10-07"),
    ("litigation.answer", "2027-04-16", None, "2027-05-03", True, "15 d end Sat 05-01 (劳动节 fixed): roll to Mon 05-03"),
    ("reconsideration.accept", "1990-09-28", None, "1990-10-10", True, "fallback skips 10-01..10-03 and weekends"),
    ("litigation.answer", "2100-12-16", None, "2100-12-31", True, "Fri 2100-12-31"),
    # configurable period override
    ("normdoc.consult", "2026-03-05", 10, "2026-03-19", False, "10 wd instead of 7"),
]

# Same starts under the made-up 2027 office arrangement: no longer provisional, and different.
OFFICE_CASES = [
    ("reconsideration.accept", "2027-09-29", "2027-10-12", "09-30, 10-08, 调休 Sat 10-09, 10-11, 10-12"),
    ("licence.decide", "2026-12-28", "2027-01-26", "2027-01-01 is 元旦 in the arrangement too"),
    ("litigation.answer", "2027-04-16", "2027-05-03", "05-01 not a holiday here, but Sat: roll to Mon"),
]

# Adjusted working days treated as rest days (the office's setting).
NO_ADJUSTED_CASES = [
    ("litigation.answer", "2024-01-20", None, "2024-02-05", "调休 Sun 02-04 no longer ends the period"),
    ("licence.notify_incomplete", "2025-02-05", None, "2025-02-12", "调休 Sat 02-08 not counted"),
    ("reconsideration.accept", "2026-02-11", None, "2026-02-26", "调休 Sat 02-14 not counted"),
    ("litigation.answer", "2025-12-17", None, "2026-01-05", "roll passes 调休 Sun 01-04"),
    ("litigation.file", "2025-08-31", None, "2026-03-02", "02-28 (调休 Sat) and Sun 03-01 rolled over"),
    ("decision.hearing_materials", "2026-03-07", None, "2026-02-27", "调休 Sat 02-28 skipped backwards"),
]

TIAOXIU_DAYS = [
    "2024-02-04", "2024-02-18", "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
]


def _assert_due(c: Computation, due: str, provisional: bool) -> None:
    assert (c.due.isoformat(), c.provisional) == (due, provisional), "\n".join(c.explanation)
    assert c.provisional == bool(c.provisional_years)


# ---- the hand-verified data itself -------------------------------------------

@pytest.mark.parametrize("day", TIAOXIU_DAYS)
def test_tiaoxiu_days_are_weekend_workdays_in_the_package(day):
    d = D(day)
    assert d.weekday() >= 5 and chinese_calendar.is_workday(d)
    info = CAL.day_info(d)
    assert info == DayInfo(d, True, info.reason, "package", False)
    assert info.reason.startswith("调休上班日") and info.adjusted


# ---- table-driven due dates ------------------------------------------------

@pytest.mark.parametrize("rule,start,due,provisional,why", EXAMPLES)
def test_shared_examples(rule, start, due, provisional, why):
    _assert_due(compute(rule, D(start), calendar=CAL), due, provisional)


@pytest.mark.parametrize("rule,start,period,due,provisional,why", HAND)
def test_hand_computed(rule, start, period, due, provisional, why):
    _assert_due(compute(rule, D(start), calendar=CAL, period=period), due, provisional)


@pytest.mark.parametrize("rule,start,due,why", OFFICE_CASES)
def test_office_arrangement_makes_2027_definite(rule, start, due, why):
    c = compute(rule, D(start), calendar=CAL_2027)
    _assert_due(c, due, False)
    assert any("本机关录入" in line for line in c.explanation)


def test_office_arrangement_changes_the_provisional_result():
    before = compute("reconsideration.accept", D("2027-09-29"), calendar=CAL)
    after = compute("reconsideration.accept", D("2027-09-29"), calendar=CAL_2027)
    assert before.provisional_years == {2027} and not after.provisional_years
    assert before.due != after.due
    assert D("2027-10-09") in after.counted  # the 调休 Saturday is counted
    assert {i.source for i in after.skipped} == {"office"}


@pytest.mark.parametrize("rule,start,period,due,why", NO_ADJUSTED_CASES)
def test_adjusted_workday_setting_off(rule, start, period, due, why):
    on = compute(rule, D(start), calendar=CAL, period=period)
    off = compute(rule, D(start), calendar=CAL, period=period, settings=NO_ADJUSTED)
    assert off.due.isoformat() == due, "\n".join(off.explanation)
    assert on.due != off.due
    assert any(i.adjusted for i in off.skipped)


# ---- details of a computation --------------------------------------------

def test_workdays_records_counted_and_skipped_days():
    c = compute("reconsideration.accept", D("2026-02-11"), calendar=CAL)
    assert c.counted == tuple(D(x) for x in ("2026-02-12", "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25"))
    assert [i.date for i in c.skipped] == [D("2026-02-15") + timedelta(days=i) for i in range(9)]
    assert {i.reason for i in c.skipped} == {"春节"}
    assert c.rolled_from is None and c.years == {2026}
    text = "\n".join(c.explanation)
    assert "行政复议法(2023) 第30条, 第88条" in text and "不计入" in text
    assert "2026-02-15至2026-02-23(春节)" in text and "调休" in text


def test_days_roll_forward_is_recorded_and_explained():
    c = compute("reconsideration.decide", D("2025-08-02"), calendar=CAL)
    assert c.counted == (D("2025-10-01"),) and c.rolled_from == D("2025-10-01")
    assert [i.date for i in c.skipped] == [D("2025-10-01") + timedelta(days=i) for i in range(8)]
    assert {i.reason for i in c.skipped} == {"国庆节", "中秋节"}
    assert any("顺延至 2025-10-09" in line for line in c.explanation)


def test_days_before_moves_back_not_forward():
    c = compute("decision.hearing_materials", D("2026-03-14"), calendar=CAL)
    assert c.rolled_from == D("2026-03-07")
    assert [i.date for i in c.skipped] == [D("2026-03-07")]
    assert any("提前至" in line and "2026-03-06" in line for line in c.explanation)


def test_workdays_before_counts_back_in_date_order():
    c = compute("reconsideration.hearing_notice", D("2026-03-13"), calendar=CAL)
    assert c.counted == tuple(D(x) for x in ("2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"))
    assert [i.reason for i in c.skipped] == ["周六", "周日"]


def test_provisional_explains_and_lists_fallback_holiday():
    c = compute("licence.decide", D("2026-12-28"), calendar=CAL)
    assert c.provisional_years == {2027} and c.years == {2026, 2027}
    new_year = [i for i in c.skipped if i.date == D("2027-01-01")]
    assert new_year and new_year[0].reason == "元旦(固定日期)" and new_year[0].source == "fallback"
    assert any("暂定" in line for line in c.explanation)


def test_fixed_date_is_never_provisional_or_rolled():
    c = compute("programme.workplan_file", D("2027-05-01"), calendar=CAL)
    assert c.due == D("2028-04-30") and not c.provisional and c.rolled_from is None  # a Sunday, not rolled


def test_period_override_is_explained_and_validated():
    c = compute("normdoc.consult", D("2026-03-05"), calendar=CAL, period=10)
    assert c.period == 10 and any("本机关设定" in line for line in c.explanation)
    for bad in (0, -1, 3651, True, 1.5):
        with pytest.raises(InvalidPeriod):
            compute("normdoc.consult", D("2026-03-05"), period=bad)
    assert compute("normdoc.consult", D("2026-03-05"), period=3650).due > D("2038-01-01")
    with pytest.raises(InvalidPeriod):
        compute("programme.workplan_file", D("2026-03-05"), period=5)


def test_as_dict_is_json_ready():
    c = compute("litigation.answer", D("2026-04-20"), calendar=CAL)
    d = c.as_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["rule"] == "litigation.answer" and d["start"] == "2026-04-20" and d["due"] == "2026-05-06"
    assert d["basis"] == "行政诉讼法 第67条" and d["mode"] == "days" and d["period"] == 15
    assert d["trigger"] == "被告收到起诉状副本" and d["provisional"] is False and d["provisional_years"] == []
    assert d["counted"] == ["2026-05-05"]
    assert d["skipped"] == [{"date": "2026-05-05", "reason": "劳动节", "source": "package"}]
    assert all(isinstance(x, str) for x in d["explanation"])


def test_rule_object_and_datetime_start_accepted():
    from datetime import datetime
    rule = get_rule("licence.decide")
    assert compute(rule, datetime(2026, 1, 5, 15, 30), calendar=CAL).due == D("2026-02-02")


def test_dates_beyond_the_representable_range():
    with pytest.raises(DateOutOfRange):
        compute("licence.decide", date(9999, 12, 31))
    with pytest.raises(DateOutOfRange):
        compute("decision.hearing_materials", date(1, 1, 1))


def test_add_months():
    assert add_months(D("2026-01-31"), 1) == D("2026-02-28")
    assert add_months(D("2026-12-31"), 2) == D("2027-02-28")
    assert add_months(D("2026-11-30"), 1) == D("2026-12-30")
    assert add_months(D("2026-01-15"), 24) == D("2028-01-15")


# ---- catalogue ---------------------------------------------------------------

def test_unknown_rule():
    with pytest.raises(UnknownRule) as e:
        get_rule("no.such.rule")
    assert isinstance(e.value, KeyError) and str(e.value) == "未知的期限规则: no.such.rule"
    with pytest.raises(UnknownRule):
        compute("no.such.rule", D("2026-01-05"))


def test_catalogue_is_complete_and_consistent():
    # 42 from deadlines.md, + normdoc.correct (有错必纠's correction period, added with normdocs), + the three
    # licence hearing periods (行政许可法 第47–48条, added with licence hearings), + penalty.seizure and its extension
    # (行政强制法 第25条, added with the penalty's 查封扣押 clock).
    assert len(RULES) == 48
    for rid, rule in RULES.items():
        assert rule.id == rid and rule.mode in MODES and rule.trigger and rule.act and rule.basis
        assert get_rule(rid) is rule
    assert {r.id for r in RULES.values() if r.configurable} == {
        "normdoc.consult", "normdoc.consult_business", "normdoc.legality_review", "normdoc.file", "normdoc.validity",
        "normdoc.correct", "complaint.accept", "complaint.handle", "complaint.extend",
    }
    assert {(r.id, r.extended_by) for r in RULES.values() if r.extended_by} == {
        ("reconsideration.decide", "reconsideration.extend"), ("licence.decide", "licence.extend"),
        ("complaint.handle", "complaint.extend"), ("penalty.seizure", "penalty.seizure_extend"),
    }
    fixed = get_rule("programme.workplan_file")
    assert (fixed.mode, fixed.fixed_month, fixed.fixed_day) == ("fixed_date", 4, 30)
    assert {(r.id, r.period) for r in RULES.values() if r.mode in BEFORE_MODES} == {
        ("reconsideration.hearing_notice", 5), ("penalty.hearing_notice", 7), ("decision.hearing_materials", 7),
        ("licence.hearing_notice", 7),
    }
    assert sorted(FIXED_HOLIDAYS) == [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)]
    with pytest.raises(ValueError):
        Rule("x", "a", "b", 5, "weeks", "c", False)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_computes_for_sample_starts(rule_id):
    rule = RULES[rule_id]
    for start in ("2004-01-01", "2024-02-09", "2025-09-30", "2025-12-31", "2026-12-31", "2027-06-15", "1990-05-01"):
        c = compute(rule_id, D(start), calendar=CAL)
        assert c.rule is rule and c.mode == rule.mode and c.explanation
        if rule.mode in BEFORE_MODES:
            assert c.due < c.start
        else:
            assert c.due >= c.start


# ---- calendar ------------------------------------------------------------------

def test_calendar_sources_and_reasons():
    assert package_years() >= set(range(2004, 2027))
    assert CAL.covered_years() == package_years()
    assert CAL_2027.covered_years() == package_years() | {2027}
    assert CAL.day_info(D("2026-02-17")) == DayInfo(D("2026-02-17"), False, "春节", "package", False)
    assert CAL.day_info(D("2025-10-06")).reason == "中秋节"
    assert CAL.day_info(D("2024-04-04")).reason == "清明节"
    assert CAL.day_info(D("2025-05-31")).reason == "端午节"
    assert CAL.day_info(D("2015-09-03")).reason == "抗战胜利70周年纪念日"
    assert CAL.day_info(D("2026-03-07")).reason == "周六"
    assert CAL.day_info(D("2026-03-09")) == DayInfo(D("2026-03-09"), True, "工作日", "package", False)
    assert CAL.day_info(D("2027-01-01")) == DayInfo(D("2027-01-01"), False, "元旦(固定日期)", "fallback", True)
    assert CAL.day_info(D("2027-10-04")) == DayInfo(D("2027-10-04"), True, "工作日", "fallback", True)
    assert CAL_2027.day_info(D("2027-10-04")) == DayInfo(D("2027-10-04"), False, "国庆节", "office", False)
    assert CAL_2027.day_info(D("2027-10-09")).reason == "调休上班日(国庆节)"
    assert CAL_2027.day_info(D("2028-01-01")).source == "fallback"


def test_package_has_priority_over_office_arrangement():
    office_2026 = YearArrangement(2026, frozenset({D("2026-03-09")}), frozenset())
    cal = WorkCalendar({2026: office_2026})
    assert cal.day_info(D("2026-03-09")).source == "package" and cal.is_workday(D("2026-03-09"))


def test_arrangement_validation():
    with pytest.raises(InvalidArrangement):
        YearArrangement(2027, frozenset({D("2028-01-01")}), frozenset())
    with pytest.raises(InvalidArrangement):
        YearArrangement(2027, frozenset({D("2027-10-01")}), frozenset({D("2027-10-01")}))
    with pytest.raises(InvalidArrangement):
        WorkCalendar({2028: OFFICE_2027})


@pytest.mark.parametrize("year", [1990, 2003, 2027, 2100])
def test_uncovered_years_never_raise(year):
    d = date(year, 1, 1)
    while d.year == year:
        info = CAL.day_info(d)
        assert info.source == "fallback" and info.provisional
        assert info.is_workday == (d.weekday() < 5 and (d.month, d.day) not in FIXED_HOLIDAYS)
        d += timedelta(days=1)


def test_engine_does_not_import_django():
    src = Path(__file__).resolve().parents[3]
    code = (
        "import sys; import fazhi.deadlines.engine, fazhi.deadlines.calendar, fazhi.deadlines.catalogue; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=src, check=True)


# ---- properties --------------------------------------------------------------

ALL_RULES = [RULES[k] for k in sorted(RULES)]


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_compute_never_raises_and_respects_direction(start, adjusted_is_workday):
    opts = CountingSettings(adjusted_workday_is_workday=adjusted_is_workday)
    for rule in ALL_RULES:
        c = compute(rule, start, calendar=CAL, settings=opts)
        if rule.mode in FORWARD_MODES:
            assert c.due > start
        elif rule.mode in BEFORE_MODES:
            assert c.due < start
        else:
            assert start <= c.due < start + timedelta(days=366)
        if rule.mode != "fixed_date":
            info = CAL.day_info(c.due)
            assert info.is_workday and (adjusted_is_workday or not info.adjusted)
        if rule.mode in WORKDAY_MODES:
            assert len(c.counted) == c.period and c.due in c.counted
        assert c.provisional == bool(c.provisional_years) and c.provisional_years <= c.years
        if rule.mode == "fixed_date":
            assert not c.provisional  # no day's status is consulted
        else:
            touched = c.counted + tuple(i.date for i in c.skipped) + (c.due,)
            assert c.provisional == any(CAL.day_info(d).provisional for d in touched)


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 30)), st.integers(1, 30))
def test_workdays_match_chinese_calendar_directly(start, n):
    # Oracle: walk the days with the package itself (not its buggy find_workday).
    d, left = start, n
    while left:
        d += timedelta(days=1)
        left -= chinese_calendar.is_workday(d)
    c = compute("licence.decide", start, calendar=CAL, period=n)
    assert c.due == d and not c.provisional
