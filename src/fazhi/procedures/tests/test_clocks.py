"""A procedure drives its record's clocks: a step with a deadline rule starts (起算) or stops (办结) the
clock of that rule on the record when it is done, through deadlines.services, in the same transaction;
the run view shows each clock's due date and state; the action is validated, exported and served."""

import importlib
import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.errors import InvalidInput
from fazhi.deadlines import services as deadlines
from fazhi.deadlines.catalogue import RULES
from fazhi.deadlines.models import ClockEvent, Deadline
from fazhi.deadlines.worklist import worklist
from fazhi.procedures import rules, selectors, services
from fazhi.procedures.models import ProcedureDefinition, ProcedureStep, StepRecord

RULE = "normdoc.legality_review"
PURPOSE = f"test.legality:{RULE}"
BASIS = "国办发〔2018〕115号"
LEGALITY = {
    "code": "test.legality", "name": "规范性文件合法性审核(测试)", "note": "",
    "steps": [
        {"code": "submit", "name": "送审", "basis": BASIS, "role": "unit", "deadline_rule": RULE,
         "deadline_action": "start"},
        {"code": "review", "name": "合法性审核", "basis": BASIS, "role": "office", "requires": ["submit"],
         "deadline_rule": RULE, "deadline_action": "stop",
         "outcomes": [{"code": "pass", "label": "通过", "reopens": [], "closes": True},
                      {"code": "back", "label": "退回补正", "reopens": ["submit", "review"], "closes": False}]},
        {"code": "consult", "name": "征求意见", "basis": "法治政府建设示范指标", "role": "unit", "mandatory": False,
         "condition": "涉及公众切身利益", "deadline_rule": "normdoc.consult", "deadline_action": "start"},
    ],
}
SUBMITTED = date(2025, 9, 26)  # the engine counts its 15 working days over 国庆


@pytest.fixture
def record(world):
    services.definition_publish(data=LEGALITY, actor=world.user("fzb"))
    return world.unit("D01")  # any record: the clock hangs on it by content type and id


@pytest.fixture
def run(world, record):
    return services.run_start(obj=record, unit=record, code="test.legality")


def submit(world, run, on):
    return services.step_complete(run=run, step="submit", actor=world.user("d01"), act_date=on)


def review(world, run, on, outcome="pass"):
    return services.step_complete(run=run, step="review", actor=world.user("fzb"), act_date=on, outcome=outcome,
                                  note="材料不全,请补正" if outcome == "back" else "")


def clock(record):
    return Deadline.objects.get(object_id=str(record.pk), purpose=PURPOSE)


def test_a_start_step_opens_the_records_clock_with_the_engines_due_date(world, record, run):
    submit(world, run, SUBMITTED)
    d = clock(record)
    expected = deadlines.deadline_compute(RULE, SUBMITTED).due
    assert (d.rule_id, d.start, d.due, d.status, d.unit) == (RULE, SUBMITTED, expected, Deadline.OPEN, record)
    assert expected == date(2025, 10, 23)  # 15 working days: 10-01..08 off, 09-28 and 10-11 worked (调休)
    assert [e.kind for e in d.events.all()] == [ClockEvent.OPEN]
    # It is owed in the one work list while open, and leaves it once closed.
    today = date(2025, 10, 1)
    owed = [r for r in worklist(user=world.user("d01"), today=today) if r["w_kind"] == "deadline"]
    assert [(r["w_id"], r["w_title"], r["w_due"]) for r in owed] == [(str(record.pk), RULE, expected)]
    review(world, run, expected)
    assert not [r for r in worklist(user=world.user("d01"), today=today) if r["w_kind"] == "deadline"]


def test_a_stop_step_closes_it_on_time_on_the_due_date(world, record, run):
    submit(world, run, SUBMITTED)
    due = clock(record).due
    review(world, run, due)
    d = clock(record)
    assert (d.status, d.closed_on, d.late) == (Deadline.MET, due, False)
    assert "在期限内" in d.explanation["explanation"][-1]


def test_a_stop_step_after_the_due_date_closes_it_late(world, record, run):
    submit(world, run, SUBMITTED)
    due = clock(record).due
    review(world, run, due + timedelta(days=1))
    d = clock(record)
    assert (d.status, d.closed_on, d.late) == (Deadline.MET, due + timedelta(days=1), True)
    assert "逾期 1 日" in d.explanation["explanation"][-1]


def test_a_return_then_a_new_submission_restarts_the_clock_keeping_the_old_start(world, record, run):
    submit(world, run, SUBMITTED)
    review(world, run, date(2025, 10, 10), outcome="back")
    assert clock(record).status == Deadline.MET  # the review ended with the return
    resubmitted = date(2025, 11, 3)
    submit(world, run, resubmitted)
    d = clock(record)
    assert Deadline.objects.filter(object_id=str(record.pk), rule_id=RULE).count() == 1  # one clock per run and rule
    assert (d.status, d.start, d.due) == (Deadline.OPEN, resubmitted, deadlines.deadline_compute(RULE, resubmitted).due)
    assert [(e.kind, e.on) for e in d.events.all()] == [
        (ClockEvent.OPEN, SUBMITTED), (ClockEvent.CLOSE, date(2025, 10, 10)), (ClockEvent.OPEN, resubmitted)]
    assert any("原起算日 2025-09-26" in line for line in d.explanation["explanation"])
    review(world, run, resubmitted)
    assert clock(record).late is False


def test_a_stop_with_no_open_clock_does_nothing(world, record):
    data = {**LEGALITY, "code": "test.stop_only", "steps": [{**LEGALITY["steps"][1], "requires": [], "outcomes": []}]}
    services.definition_publish(data=data, actor=world.user("fzb"))
    only = services.run_start(obj=record, unit=record, code="test.stop_only")
    services.step_complete(run=only, step="review", actor=world.user("fzb"), act_date=SUBMITTED)
    assert StepRecord.objects.filter(run=only).count() == 1 and not Deadline.objects.exists()


def test_a_stop_closes_a_clock_of_its_rule_another_service_opened_on_the_record(world, record):
    data = {**LEGALITY, "code": "test.stop_only", "steps": [{**LEGALITY["steps"][1], "requires": [], "outcomes": []}]}
    services.definition_publish(data=data, actor=world.user("fzb"))
    other = deadlines.deadline_open(obj=record, unit=record, purpose="legality", rule_id=RULE, start=SUBMITTED)
    only = services.run_start(obj=record, unit=record, code="test.stop_only")
    services.step_complete(run=only, step="review", actor=world.user("fzb"), act_date=other.due)
    other.refresh_from_db()
    assert (other.status, other.late) == (Deadline.MET, False)


def test_an_approved_not_applicable_step_neither_starts_nor_stops(world, record, run):
    mark = services.step_not_applicable(run=run, step="consult", actor=world.user("d01"), reason="不涉及公众利益")
    services.not_applicable_decide(record=mark, actor=world.user("fzb"), approve=True)
    assert not Deadline.objects.exists()


def test_a_refused_clock_leaves_no_step_record(world, record, run, monkeypatch):
    def refuse(**kwargs):
        raise InvalidInput("期限无法起算", field="start")

    monkeypatch.setattr(deadlines, "deadline_open", refuse)
    with pytest.raises(InvalidInput):
        submit(world, run, SUBMITTED)
    assert not StepRecord.objects.filter(run=run).exists() and not Deadline.objects.exists()


def test_the_run_view_shows_each_clock_without_a_query_per_step(world, record, run):
    submit(world, run, SUBMITTED)
    view = selectors.run_view(run)
    by_code = {s.spec.code: s for s in view.steps}
    assert by_code["submit"].clock == by_code["review"].clock == clock(record)
    assert by_code["consult"].clock is None
    assert by_code["submit"].clock_label == "起算: 规范性文件合法性审核(15个工作日)"
    assert by_code["review"].clock_label.startswith("办结: ")
    html = render_to_string("procedures/_run_steps.html", {"procedure": view})
    assert "届满 <strong>2025-10-23</strong>" in html and "未起算" in html  # consult: not started
    deadlines.deadline_pause(deadline=clock(record), on=date(2025, 10, 13), reason="征求有关部门意见")
    html = render_to_string("procedures/_run_steps.html", {"procedure": selectors.run_view(run)})
    assert "暂停中" in html and "自 2025-10-13 起中止" in html
    deadlines.deadline_resume(deadline=clock(record), on=date(2025, 10, 15))
    review(world, run, date(2025, 11, 20))
    html = render_to_string("procedures/_run_steps.html", {"procedure": selectors.run_view(run)})
    assert "已办结</span> 2025-11-20,逾期" in html
    # The clocks are one query, whatever the number of steps that drive one.
    run_view_queries = _queries(lambda: selectors.run_view(run))
    plain = services.definition_publish(data={**LEGALITY, "code": "test.plain", "steps": [
        {k: v for k, v in s.items() if not k.startswith("deadline_")} for s in LEGALITY["steps"]]},
        actor=world.user("fzb"))
    plain_run = services.run_start(obj=record, unit=record, code=plain.code)
    services.step_complete(run=plain_run, step="submit", actor=world.user("d01"), act_date=SUBMITTED)
    assert run_view_queries <= _queries(lambda: selectors.run_view(plain_run)) + 2  # the clocks, the settings


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_office_period_in_force_is_named_on_the_definition_page(world, record):
    deadlines.rule_setting_set(rule_id=RULE, period=20, actor=world.user("fzb"), basis_note="本区规定")
    html = world.client("d01").get(reverse("procedure-detail", args=["test.legality"])).content.decode()
    assert "起算: 规范性文件合法性审核(20个工作日)" in html and "办结: 规范性文件合法性审核(20个工作日)" in html
    html = world.client("d01").get(reverse("procedure-detail", args=["programme.workplan_filing"])).content.decode()
    assert "办结: 创建工作机构和方案备案(4月30日)" in html


def step(code, **kw):
    return {"code": code, "name": f"步骤{code}", "basis": "某法 第一条", **kw}


def validate(steps):
    return rules.validate_definition({"code": "test.proc", "name": "测试程序", "steps": steps},
                                     known_rules=frozenset(RULES))


def test_a_rule_needs_an_action_and_an_action_needs_a_rule():
    _, errors = validate([step("a", deadline_rule=RULE), step("b", deadline_rule=RULE, deadline_action="pause"),
                          step("c", deadline_action="stop"), step("d", deadline_rule=RULE, deadline_action=3),
                          step("e", deadline_rule=RULE, deadline_action="stop")])
    assert errors["steps.1.deadline_action"] == f"第 1 步设有「期限规则」{RULE},请选择「期限动作」:start(起算)或 stop(办结)"
    assert errors["steps.2.deadline_action"] == "第 2 步「期限动作」pause 无效,应为 start(起算)或 stop(办结)"
    assert errors["steps.3.deadline_action"].startswith("第 3 步「期限动作」只在设有「期限规则」时填写")
    assert "第 4 步「期限动作」3 无效" in errors["steps.4.deadline_action"]
    assert set(errors) == {f"steps.{i}.deadline_action" for i in (1, 2, 3, 4)}


def test_the_action_survives_export_and_import(world, record):
    exported = selectors.definition_as_dict(selectors.definition_current("test.legality"))
    assert [s["deadline_action"] for s in exported["steps"]] == ["start", "stop", "start"]
    imported = services.definition_import(raw=json.dumps(exported, ensure_ascii=False).encode(), actor=world.user("fzb"))
    assert {**selectors.definition_as_dict(imported), "version": 1} == exported
    exported["steps"][0]["deadline_action"] = ""
    with pytest.raises(InvalidInput) as e:
        services.definition_import(raw=json.dumps(exported).encode(), actor=world.user("fzb"))
    assert "请选择「期限动作」" in e.value.errors["steps.1.deadline_action"]


def test_the_api_serves_the_action(world, record):
    body = world.client("d01").get(reverse("api:procedure-detail", args=["test.legality"])).json()
    assert [(s["deadline_rule"], s["deadline_action"]) for s in body["steps"]] == [
        (RULE, "start"), (RULE, "stop"), ("normdoc.consult", "start")]


def test_the_form_names_a_missing_action_at_its_field(world):
    from fazhi.core.testing.html import Page
    from fazhi.procedures.tests.test_pages_api import form_data

    current = selectors.definition_current("programme.workplan_filing")
    url = reverse("procedure-new-version", args=[current.code])
    response = world.client("fzb").post(url, form_data(current, {1: {"deadline_action": ""}}))
    assert response.status_code == 400
    error = Page(response.content).by_id("id_steps-0-deadline_action_error").text
    assert "请选择「期限动作」" in error
    response = world.client("fzb").post(url, form_data(current, {2: {"deadline_rule": RULE, "deadline_action": "start"}}))
    assert response.status_code == 302
    assert selectors.definition_current(current.code).steps.get(code="review").deadline_action == "start"


def test_the_migration_gives_a_shipped_definition_without_actions_its_next_version(world):
    from django.apps import apps

    v1 = selectors.definition_current("programme.workplan_filing")
    legacy = ProcedureDefinition.objects.create(code=v1.code, version=2, name=v1.name, note=v1.note)
    for s in v1.steps.all():  # a version published before deadline_action existed
        ProcedureStep.objects.create(**{**selectors.step_as_dict(s), "deadline_action": ""}, definition=legacy,
                                     position=s.position)
    migration = importlib.import_module("fazhi.procedures.migrations.0002_step_deadline_action")
    migration.forward(apps, None)
    v3 = selectors.definition_current(v1.code)
    assert v3.version == 3 and v3.note == v1.note
    assert selectors.definition_as_dict(v3)["steps"] == selectors.definition_as_dict(v1)["steps"]
    migration.forward(apps, None)  # nothing left to fill: no further version
    assert selectors.definition_current(v1.code).version == 3


def test_an_outcome_that_sends_steps_back_must_say_why(world, record, run):
    from fazhi.core.errors import InvalidInput

    submit(world, run, SUBMITTED)
    with pytest.raises(InvalidInput) as e:
        services.step_complete(run=run, step="review", actor=world.user("fzb"), act_date=SUBMITTED, outcome="back")
    assert e.value.field == "note" and "理由" in e.value.message
    assert not run.records.filter(step__code="review").exists()  # nothing half-saved
