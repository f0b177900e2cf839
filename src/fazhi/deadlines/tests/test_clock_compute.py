"""Pauses (中止) and extensions (延长) in the pure compute: engine, CLI and API.

Expected dates were worked out by hand from the 2026 arrangement as chinese_calendar ships it
(checked with ``chinese_calendar.is_workday``, never with the engine):
春节 02-15..02-23 off, 调休 Sat 02-14 and Sat 02-28 on; 中秋 09-25..09-27 off, 调休 Sun 09-20 on;
国庆 10-01..10-07 off, 调休 Sat 10-10 on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings, strategies as st

from fazhi.deadlines import services
from fazhi.deadlines.calendar import WorkCalendar
from fazhi.deadlines.engine import InvalidClock, compute, parse_pause

D = date.fromisoformat
CAL = WorkCalendar()


def P(text: str) -> tuple[date, date]:
    return parse_pause(text)


def test_the_2026_arrangement_is_what_the_hand_computations_assume():
    off = ["2026-02-15", "2026-02-23", "2026-09-25", "2026-09-27", "2026-10-01", "2026-10-07"]
    on = ["2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"]
    assert not any(chinese_calendar.is_workday(D(d)) for d in off)
    assert all(chinese_calendar.is_workday(D(d)) for d in on)


# (rule, start, pauses, extend, due, original due before the extension or None, why)
CASES = [
    # natural days (litigation.answer 15 d, reconsideration.decide 60 d)
    ("litigation.answer", "2026-01-26", [], None, "2026-02-10", None, "no pause: 15 d end Tue 02-10"),
    ("litigation.answer", "2026-01-26", ["2026-02-01/2026-02-05"], None, "2026-02-24", None,
     "5 paused days: ends 02-15 in 春节, then rolled over 02-15..02-23 (roll after the pause)"),
    ("litigation.answer", "2026-02-03", [], None, "2026-02-24", None, "no pause: ends 02-18 in 春节, rolled"),
    ("litigation.answer", "2026-02-03", ["2026-02-05/2026-02-14"], None, "2026-02-28", None,
     "10 paused days: ends on 调休 Sat 02-28, a working day: no roll"),
    ("reconsideration.decide", "2026-07-01", [], None, "2026-08-31", None, "60 d end Sun 08-30: roll to Mon"),
    ("reconsideration.decide", "2026-07-01", ["2026-07-10/2026-07-19", "2026-08-01/2026-08-22"], None,
     "2026-10-08", None, "32 paused days: 08-30 + 32 = 10-01 in 国庆, rolled to 10-08"),
    ("reconsideration.decide", "2026-07-01", ["2026-08-01/2026-08-22", "2026-07-10/2026-07-19"], 30,
     "2026-11-09", "2026-10-08", "pauses in any order; 30 d from 10-08 end Sat 11-07: roll to Mon"),
    ("reconsideration.decide", "2026-08-02", ["2026-10-01/2026-10-01"], None, "2026-10-08", None,
     "the 60th day 10-01 paused: 10-02, still 国庆, rolled to 10-08 as without the pause"),
    ("reconsideration.decide", "2026-08-02", ["2026-10-05/2026-10-08"], None, "2026-10-09", None,
     "ends 10-01, rolling meets the pause: a paused day is never the due date"),
    ("reconsideration.decide", "2026-08-02", ["2026-08-02/2026-08-02"], None, "2026-10-08", None,
     "a pause on the start day only: that day never counted anyway"),
    # working days (reconsideration.accept 5, penalty.hearing_request 5, licence.decide 20)
    ("reconsideration.accept", "2026-02-11", ["2026-02-13/2026-02-14"], None, "2026-02-27", None,
     "02-12, [13, 调休 14 paused], 春节 skipped, 02-24..02-27"),
    ("reconsideration.accept", "2026-02-11", ["2026-02-13/2026-02-27"], None, "2026-03-04", None,
     "02-12, 调休 Sat 02-28, Sun 03-01 off, 03-02..03-04"),
    ("penalty.hearing_request", "2026-09-29", ["2026-10-08/2026-10-09"], None, "2026-10-14", None,
     "09-30, 国庆 off, [10-08, 10-09 paused], 调休 Sat 10-10, 10-12..10-14"),
    ("penalty.hearing_request", "2026-09-29", ["2026-10-02/2026-10-06"], None, "2026-10-12", None,
     "a pause inside 国庆 costs no working day: due unchanged"),
    ("licence.decide", "2026-02-02", [], None, "2026-03-06", None, "20 wd across 春节 counting both 调休 Saturdays"),
    ("licence.decide", "2026-02-02", ["2026-02-10/2026-02-12"], 10, "2026-03-25", "2026-03-11",
     "3 paused wd: 03-11; 10 wd more: 03-12, 03-13, 03-16..03-20, 03-23..03-25"),
    ("licence.decide", "2026-09-01", [], 10, "2026-10-19", "2026-09-29",
     "20 wd incl. 调休 Sun 09-20 -> 09-29; 10 more: 09-30, 10-08, 10-09, 调休 Sat 10-10, 10-12..10-16, 10-19"),
    # months: the paused days are added on, then the roll
    ("litigation.file", "2026-03-15", ["2026-04-01/2026-04-10"], None, "2026-09-28", None,
     "6 months = 09-15, + 10 paused days = 09-25 in 中秋, rolled to Mon 09-28"),
    # extension of a configurable rule at its default maximum
    ("complaint.handle", "2026-08-01", [], 30, "2026-10-30", "2026-09-30", "60 d = Wed 09-30; 30 d more = Fri 10-30"),
]


@pytest.mark.parametrize("rule, start, pauses, extend, due, original, why", CASES, ids=[c[-1][:40] for c in CASES])
def test_pauses_and_extensions_against_hand_computed_dates(rule, start, pauses, extend, due, original, why):
    c = compute(rule, D(start), calendar=CAL, pauses=[P(p) for p in pauses], extend=extend)
    assert c.due == D(due), why
    assert c.original_due == (D(original) if original else None)
    assert c.extension == (extend or 0)
    assert c.pauses == tuple(sorted(P(p) for p in pauses))
    assert not c.provisional and CAL.day_info(c.due).is_workday


def test_explanation_lists_each_pause_and_the_extension_in_chinese():
    c = compute("reconsideration.decide", D("2026-07-01"), calendar=CAL,
                pauses=[P("2026-07-10/2026-07-19"), P("2026-08-01/2026-08-22")], extend=30)
    text = "\n".join(c.explanation)
    assert "中止 2026-07-10至2026-07-19(共10天): 其中期间内的 10日不计入期间" in text
    assert "中止 2026-08-01至2026-08-22(共22天): 其中期间内的 22日不计入期间" in text
    assert "经批准延长 30日" in text and "行政复议法(2023) 第62条第1款" in text and "原届满日 2026-10-08" in text
    assert c.explanation[-1].startswith("期限届满日: 2026-11-09")
    data = c.as_dict()
    assert data["pauses"] == [{"from": "2026-07-10", "to": "2026-07-19"}, {"from": "2026-08-01", "to": "2026-08-22"}]
    assert (data["extend"], data["original_due"], data["due"]) == (30, "2026-10-08", "2026-11-09")


def test_workday_pause_explanation_counts_only_working_days():
    c = compute("penalty.hearing_request", D("2026-09-29"), calendar=CAL, pauses=[P("2026-10-02/2026-10-06")])
    assert any("中止 2026-10-02至2026-10-06(共5天): 其中期间内的 0个工作日不计入期间, 不影响届满日" in line for line in c.explanation)
    c = compute("reconsideration.accept", D("2026-02-11"), calendar=CAL, pauses=[P("2026-02-13/2026-02-27")])
    # 02-13, 调休 02-14, 02-24..02-27: six working days lost
    assert any("其中期间内的 6个工作日不计入期间" in line for line in c.explanation)


def test_rolling_into_a_pause_is_explained():
    c = compute("reconsideration.decide", D("2026-08-02"), calendar=CAL, pauses=[P("2026-10-05/2026-10-08")])
    assert any("顺延期间遇中止(2026-10-05至2026-10-08)" in line for line in c.explanation)


def test_without_pauses_or_extension_nothing_changes():
    plain = compute("reconsideration.decide", D("2026-08-02"), calendar=CAL)
    same = compute("reconsideration.decide", D("2026-08-02"), calendar=CAL, pauses=(), extend=None)
    assert plain == same and plain.due == D("2026-10-08") and plain.original_due is None


@pytest.mark.parametrize("rule, extend, extend_max, message", [
    ("reconsideration.decide", 31, None, "延长 31日超过规则「复议决定期限延长」(reconsideration.extend, 依据 行政复议法(2023) 第62条第1款)的最长期限 30日"),
    ("licence.decide", 11, None, "超过规则「行政许可决定期限延长」(licence.extend, 依据 行政许可法 第42条)的最长期限 10个工作日"),
    ("complaint.handle", 20, 15, "延长 20日超过规则「投诉举报办理期限延长」(complaint.extend"),
    ("penalty.decide", 5, None, "规则「行政处罚决定」(penalty.decide, 依据 行政处罚法(2021) 第60条)没有可延长的期限"),
    ("reconsideration.decide_simple", 1, None, "「复议决定(简易程序)」(reconsideration.decide_simple, 依据 行政复议法(2023) 第62条第2款)没有可延长"),
    ("reconsideration.decide", 0, None, "延长期间须为正整数"),
])
def test_extension_limits_are_refused_naming_rule_and_basis(rule, extend, extend_max, message):
    with pytest.raises(InvalidClock) as e:
        compute(rule, D("2026-03-02"), calendar=CAL, extend=extend, extend_max=extend_max)
    assert e.value.field == "extend" and message in str(e.value)


def test_extension_at_the_maximum_is_accepted():
    assert compute("reconsideration.decide", D("2026-03-02"), calendar=CAL, extend=30).extension == 30
    assert compute("licence.decide", D("2026-03-02"), calendar=CAL, extend=10).extension == 10


@pytest.mark.parametrize("rule, pauses, message", [
    ("litigation.answer", ["2026-03-01/2026-03-03"], "中止起始日 2026-03-01 早于起算日 2026-03-02"),
    ("litigation.answer", ["2026-03-20/2026-03-25"], "中止自 2026-03-20 开始, 晚于期限届满日 2026-03-17"),
    ("litigation.answer", ["2026-03-05/2026-03-10", "2026-03-10/2026-03-12"], "重叠"),
    ("decision.hearing_materials", ["2026-03-03/2026-03-04"], "不是自起算日向后计算的期限, 不能中止"),
    ("programme.workplan_file", ["2026-03-03/2026-03-04"], "不能中止"),
    ("litigation.answer", ["2026-03-03/2036-03-03"], "超过 3650 天"),
    ("litigation.answer", [f"2026-03-{d:02d}/2026-03-{d:02d}" for d in range(3, 25)], "中止最多 20 段"),
])
def test_bad_pauses_are_refused(rule, pauses, message):
    with pytest.raises(InvalidClock) as e:
        compute(rule, D("2026-03-02"), calendar=CAL, pauses=[P(p) for p in pauses])
    assert e.value.field == "pause" and message in str(e.value)


@pytest.mark.parametrize("text, message", [
    ("2026-03-10/2026-03-05", "结束日早于起始日"),
    ("2026-03-10", "中止期间格式错误"),
    ("2026-02-30/2026-03-05", "中止期间格式错误"),
    ("", "中止期间格式错误"),
])
def test_parse_pause_refuses_bad_text(text, message):
    with pytest.raises(InvalidClock) as e:
        parse_pause(text)
    assert message in str(e.value)


# ---- services, CLI, API ------------------------------------------------------

def test_office_setting_of_an_extension_rule_is_the_maximum_in_force(world):
    services.rule_setting_set(rule_id="complaint.extend", period=15, actor=world.user("fzb"), basis_note="本省规定")
    assert services.deadline_compute("complaint.handle", D("2026-08-01"), extend=15).due == D("2026-10-15")
    with pytest.raises(services.InvalidInput) as e:
        services.deadline_compute("complaint.handle", D("2026-08-01"), extend=16)
    assert e.value.field == "extend" and "最长期限 15日" in e.value.message


def run_cli(*args) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_cli_with_pauses_and_extension(db):
    out = run_cli("reconsideration.decide", "2026-07-01", "--pause", "2026-07-10/2026-07-19",
                  "--pause", "2026-08-01/2026-08-22", "--extend", "30")
    assert out[0] == "2026-11-09"
    assert any("中止 2026-08-01至2026-08-22" in line for line in out[1:])


@pytest.mark.parametrize("args, message", [
    (["no.such.rule", "2026-03-02", "--pause", "2026-03-03/2026-03-04"], "未知的期限规则"),
    (["litigation.answer", "2026-03-02", "--pause", "2026-03-04"], "--pause: 中止期间格式错误"),
    (["litigation.answer", "2026-03-02", "--pause", "2026-03-05/2026-03-04"], "结束日早于起始日"),
    (["litigation.answer", "2026-03-02", "--pause", "2026-02-27/2026-03-04"], "早于起算日"),
    (["reconsideration.decide", "2026-03-02", "--extend", "31"], "最长期限 30日"),
    (["penalty.decide", "2026-03-02", "--extend", "3"], "没有可延长的期限"),
    (["reconsideration.decide", "2026-03-02", "--extend", "三十"], "--extend 应为正整数"),
])
def test_cli_bad_pause_or_extension_exits_2(db, args, message):
    with pytest.raises(CommandError) as e:
        run_cli(*args)
    assert e.value.returncode == 2 and message in str(e.value)


def test_cli_exit_status_is_2_from_the_shell(db, tmp_path):
    # A database of its own (a fresh clone has none migrated; CI's DATABASE_URL is not for this process).
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"FAZHI_ENV": "test",
                                                                           "FAZHI_VAR_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "fazhi.cli", "migrate", "-v", "0"], env=env, check=True, timeout=300)
    proc = subprocess.run([sys.executable, "-m", "fazhi.cli", "deadline", "reconsideration.decide", "2026-03-02",
                           "--extend", "40"], capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "最长期限 30日" in proc.stderr


URL = "/api/v1/deadlines/compute"


def test_api_with_repeated_pauses_and_extension(world):
    response = world.client("d01").get(URL, {"rule": "licence.decide", "start": "2026-02-02",
                                             "pause": ["2026-02-10/2026-02-12"], "extend": "10"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["due"], data["original_due"], data["extend"]) == ("2026-03-25", "2026-03-11", 10)
    response = world.client("d01").get(f"{URL}?rule=reconsideration.decide&start=2026-07-01"
                                       "&pause=2026-08-01/2026-08-22&pause=2026-07-10/2026-07-19")
    data = response.json()
    assert data["due"] == "2026-10-08" and len(data["pauses"]) == 2


@pytest.mark.parametrize("query, field, message", [
    ("rule=litigation.answer&start=2026-03-02&pause=2026-03-05", "pause", "中止期间格式错误"),
    ("rule=litigation.answer&start=2026-03-02&pause=2026-03-05/2026-03-04", "pause", "结束日早于起始日"),
    ("rule=litigation.answer&start=2026-03-02&pause=2026-02-05/2026-03-04", "pause", "早于起算日"),
    ("rule=litigation.answer&start=2026-03-02&pause=2026-04-05/2026-04-06", "pause", "晚于期限届满日"),
    ("rule=reconsideration.decide&start=2026-03-02&extend=31", "extend", "最长期限 30日"),
    ("rule=penalty.decide&start=2026-03-02&extend=1", "extend", "没有可延长的期限"),
    ("rule=reconsideration.decide&start=2026-03-02&extend=abc", "extend", "延长应为正整数"),
    ("rule=reconsideration.decide&start=2026-03-02&extend=0", "extend", "延长应为正整数"),
    ("rule=nope&start=2026-03-02&extend=3", "rule", "未知的期限规则"),
])
def test_api_bad_pause_or_extension_is_400_naming_the_parameter(world, query, field, message):
    response = world.client("d01").get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and f"「{field}」" in body["detail"] and message in response.content.decode()


def test_openapi_documents_pause_and_extend(world):
    schema = world.client("fzb").get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}
    assert params["pause"]["schema"]["type"] == "array" and "FROM/TO" in params["pause"]["description"]
    assert params["extend"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 3650}


# ---- properties ----------------------------------------------------------------

@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["litigation.answer", "reconsideration.decide", "licence.decide", "penalty.hearing_request",
                        "litigation.file"]),
       st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30)),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=3))
def test_pauses_only_move_the_due_date_later_and_never_onto_a_paused_day(rule, start, raw):
    spans, cursor = [], start
    for gap, length in raw:  # non-overlapping spans after the start
        a = cursor + timedelta(days=gap)
        spans.append((a, a + timedelta(days=length)))
        cursor = a + timedelta(days=length + 1)
    plain = compute(rule, start, calendar=CAL)
    try:
        c = compute(rule, start, calendar=CAL, pauses=spans)
    except InvalidClock as e:  # only a pause starting after the due date
        assert e.field == "pause" and any(a > plain.due for a, _ in spans)
        return
    assert c.due >= plain.due and CAL.day_info(c.due).is_workday
    assert not any(a <= c.due <= b for a, b in spans)
    paused = {a + timedelta(days=i) for a, b in spans for i in range((b - a).days + 1)}
    if c.mode == "workdays":
        assert len(c.counted) == c.period and not paused & set(c.counted)
    elif c.mode == "days":  # the period's end is the n-th unpaused day (before any roll)
        end = c.counted[0]
        unpaused = sum(1 for i in range(1, (end - start).days + 1) if start + timedelta(days=i) not in paused)
        assert unpaused == c.period and end not in paused
