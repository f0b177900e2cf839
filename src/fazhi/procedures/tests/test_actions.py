"""The generic step actions (procedures/actions.py): one parse for pages and the API, each refusal naming its
field in Chinese; the default perform through the gate; 不适用 asked, approved or rejected; where every
step stands, one record or a page of records in a constant number of queries; the forms a user may fill now."""

from datetime import timedelta

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.org.models import Unit
from fazhi.procedures import actions, selectors, services
from fazhi.procedures.models import StepRecord
from fazhi.procedures.tests.test_services import DECISION, pdf

CODE = "test.decision"
PLAIN = actions.StepActions(code=CODE)


@pytest.fixture
def decision(world):
    return services.definition_publish(data=DECISION, actor=world.user("fzb"))


@pytest.fixture
def run(world, decision):
    unit = world.unit("D01")
    return services.run_start(obj=unit, unit=unit, code=CODE)


def parse(run, data, files=None, actor=None, decl=PLAIN):
    return actions.act_parse(data, files, decl, run, actor=actor)


def refusal(run, data, files=None, actor=None, decl=PLAIN) -> InvalidInput:
    with pytest.raises(InvalidInput) as e:
        parse(run, data, files, actor, decl)
    return e.value


def act(world, run, username, data, files=None, decl=PLAIN):
    user = world.user(username)
    parsed = parse(run, data, files, user, decl)
    return actions.act_perform(record_obj=run.content_type.get_object_for_this_type(pk=run.object_id), run=run,
                               act=parsed, actions=decl, actor=user)


TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("data, field, text", [
    ({}, "step", "「步骤」请选择要办理的步骤:draft(起草决策草案)"),
    ({"step": 7}, "step", "「步骤」请选择要办理的步骤"),
    ({"step": "nope"}, "step", "「步骤」nope 不是「重大行政决策(测试)」的步骤"),
    ({"step": "draft", "date": "2026/05/12"}, "date", "「办理日期」应为 YYYY-MM-DD 格式的日期"),
    ({"step": "draft", "date": "2026-02-30"}, "date", "「办理日期」2026-02-30 不是有效的日期"),
    ({"step": "draft", "date": 20260512}, "date", "「办理日期」应为 YYYY-MM-DD"),
    ({"step": "draft", "date": TOMORROW}, "date", f"办理日期 {TOMORROW} 晚于今天"),
    ({"step": "draft", "note": ["x"]}, "note", "「说明」应为文本"),
    ({"step": "draft", "note": "x" * 2001}, "note", "「说明」至多 2000 个字,现有 2001 个"),
    ({"step": "draft", "note": "初稿\x00"}, "note", "「说明」含有控制字符"),
    ({"step": "draft", "outcome": "adopt"}, "outcome", "「起草决策草案」没有可选的结果"),
    ({"step": "collective"}, "outcome", "请选择「集体讨论决定」的结果(通过"),
    ({"step": "collective", "outcome": "reject"}, "outcome", "请选择「集体讨论决定」的结果(通过"),
    ({"step": "draft", "files": ["a.pdf"]}, "files", "「材料」须以 multipart/form-data 上传"),
    ({"step": "draft", "not_applicable": "yes"}, "not_applicable", "「不适用」应为 true 或 false"),
    ({"step": "draft", "not_applicable": True, "reason": "不需要"}, "step", "「起草决策草案」是必经步骤,不能标记不适用"),
    ({"step": "participation", "not_applicable": True}, "reason", "适用条件:涉及社会公众切身利益"),
    ({"step": "participation", "decide": "1"}, "decide", "「不适用申请」应为不适用申请的编号"),
    ({"step": "participation", "decide": 0}, "decide", "应为不适用申请的编号"),
    ({"step": "participation", "decide": 999}, "decide", "999 不是「公众参与」尚待决定的不适用申请"),
])
def test_each_bad_field_is_refused_naming_it_in_chinese(world, run, data, field, text):
    error = refusal(run, data)
    assert error.field == field and text in error.message, error.message


def test_a_body_that_is_not_an_object_is_refused(world, run):
    for body in (["draft"], "draft", 3, None):
        error = refusal(run, body)
        assert "请求体应为 JSON 对象" in error.message


def test_a_form_posts_text_and_the_same_parse_reads_it(world, run):
    data = QueryDict(mutable=True)
    data.update({"step": "participation", "date": "", "not_applicable": "on", "reason": " 仅涉及内部管理 ",
                 "csrfmiddlewaretoken": "x"})
    parsed = parse(run, data, actor=world.user("d01"))
    assert parsed == actions.StepAct(step="participation", act_date=None, outcome="", note="", files=[],
                                     not_applicable=True, reason="仅涉及内部管理", decide=None, approve=None, extra={})
    data = QueryDict("step=draft&not_applicable=maybe")
    assert refusal(run, data).field == "not_applicable"


def test_roles_are_refused_before_the_fields(world, run):
    # A leader reads only; a unit may not act on the office's step; only the office decides a 不适用 request.
    for username, data in [("leader", {"step": "draft", "date": "bad"}), ("d01", {"step": "legality_review"}),
                           ("d01-zd", {"step": "legality_review"}), ("d02", {"step": "draft"}),
                           ("d01", {"step": "participation", "decide": 5, "approve": True})]:
        with pytest.raises(NotAllowed) as e:
            parse(run, data, actor=world.user(username))
        assert e.value.status == 403
    assert "只能由法制办办理" in str(pytest.raises(NotAllowed, parse, run, {"step": "legality_review"},
                                                actor=world.user("d01")).value)


def test_the_default_perform_goes_through_the_gate_with_the_basis(world, run):
    with pytest.raises(Conflict) as e:
        act(world, run, "fzb", {"step": "legality_review"})
    assert e.value.code == "procedure.step_missing"
    assert "未完成起草决策草案(《重大行政决策程序暂行条例》第十三条)" in e.value.message
    yesterday = timezone.localdate() - timedelta(days=1)
    record = act(world, run, "d01", {"step": "draft", "date": yesterday.isoformat(), "note": "初稿"})
    assert (record.step.code, record.act_date, record.note, record.actor.username) == ("draft", yesterday, "初稿", "d01")
    # Files only with multipart: a list of uploads (or request.FILES) reaches the step's evidence.
    act(world, run, "fzb", {"step": "legality_review"})
    act(world, run, "d01", {"step": "participation"})
    with pytest.raises(InvalidInput) as e:
        act(world, run, "d01", {"step": "collective", "outcome": "adopt"})
    assert e.value.field == "files" and "须附材料" in e.value.message
    done = act(world, run, "d01", QueryDict("step=collective&outcome=adopt"), files=[pdf()])
    assert selectors.run_attachments(user=world.user("d01"), run=run).get().object_id == str(done.pk)
    with pytest.raises(Conflict) as e:
        act(world, run, "d01", {"step": "draft"})
    assert e.value.code == "procedure.closed"


def test_not_applicable_asked_then_rejected_then_asked_again_and_approved(world, run):
    act(world, run, "d01", {"step": "draft"})
    act(world, run, "fzb", {"step": "legality_review"})
    mark = act(world, run, "d01", {"step": "participation", "not_applicable": True, "reason": "仅涉及内部管理"})
    assert mark.kind == "not_applicable"
    assert [s["state"] for s in actions.steps_state(run)] == ["done", "pending", "done", "pending"]
    assert actions.steps_state(run)[1]["state_label"] == "不适用(待法制办批准)"
    # A decision needs approve, and a rejection its reason.
    assert refusal(run, {"step": "participation", "decide": mark.pk}).field == "approve"
    assert refusal(run, {"step": "participation", "decide": mark.pk, "approve": False}).field == "reason"
    assert refusal(run, {"step": "draft", "decide": mark.pk, "approve": True}).field == "decide"  # another step's
    act(world, run, "fzb", {"step": "participation", "decide": mark.pk, "approve": False, "reason": "涉及群众切身利益"})
    assert refusal(run, {"step": "participation", "decide": mark.pk, "approve": True}).field == "decide"  # decided
    with pytest.raises(Conflict) as e:
        act(world, run, "d01", {"step": "collective", "outcome": "adopt"}, files=[pdf()])
    assert e.value.message.endswith("未完成公众参与(《重大行政决策程序暂行条例》第十四条)")
    again = act(world, run, "d01", {"step": "participation", "not_applicable": True, "reason": "经核实仅涉及内部管理"})
    act(world, run, "fzb", {"step": "participation", "decide": again.pk, "approve": True})
    states = actions.steps_state(run)
    assert [(s["code"], s["state"], s["missing"]) for s in states] == [
        ("draft", "done", []), ("participation", "not_applicable", []), ("legality_review", "done", []),
        ("collective", "pending", [])]
    act(world, run, "d01", {"step": "collective", "outcome": "adopt"}, files=[pdf()])
    kinds = list(StepRecord.objects.filter(run=run).values_list("step__code", "kind"))
    assert kinds == [("draft", "done"), ("legality_review", "done"), ("participation", "not_applicable"),
                     ("participation", "na_rejected"), ("participation", "not_applicable"),
                     ("participation", "na_approved"), ("collective", "done")]


class PublishForm(forms.Form):
    channel = forms.ChoiceField(label="公布渠道", choices=[("gov", "政府网站"), ("gazette", "政府公报")],
                                error_messages={"required": "请选择公布渠道"})
    years = forms.IntegerField(label="有效期(年)", min_value=1, max_value=5)


def test_extra_fields_are_parsed_by_the_steps_form_and_reach_the_modules_router(world, run):
    seen = []

    def perform(record, act_, actor):
        seen.append((record.code, act_.step, act_.extra))
        return actions.act_default(run=run, act=act_, actor=actor)

    decl = actions.StepActions(code=CODE, extras={"draft": PublishForm}, perform=perform)
    error = refusal(run, {"step": "draft", "years": 3}, decl=decl)
    assert error.field == "channel" and error.message == "「公布渠道」请选择公布渠道"
    error = refusal(run, QueryDict("step=draft&channel=gov&years=9"), decl=decl)
    assert error.field == "years" and error.message.startswith("「有效期(年)」")
    # a JSON value of the wrong type reaches no form field unchecked (a 400 naming it, never a 500)
    for body, field in [({"channel": ["gov"], "years": 3}, "channel"), ({"channel": "gov", "years": True}, "years"),
                        ({"channel": {"a": 1}, "years": 3}, "channel")]:
        assert refusal(run, {"step": "draft", **body}, decl=decl).field == field
    act(world, run, "d01", {"step": "draft", "channel": "gazette", "years": 5}, decl=decl)
    assert seen == [("D01", "draft", {"channel": "gazette", "years": 5})]
    assert actions.steps_state(run)[0]["state"] == "done"


def test_steps_of_a_record_not_started_are_the_version_in_force(world, decision):
    states = actions.steps_state(None, code=CODE)
    assert [(s["code"], s["state"], s["missing"], s["mandatory"], s["role"]) for s in states] == [
        ("draft", "pending", [], True, "unit"), ("participation", "pending", ["draft"], False, "unit"),
        ("legality_review", "pending", ["draft"], True, "office"),
        ("collective", "pending", ["draft", "participation", "legality_review"], True, "unit")]


def test_steps_of_a_page_cost_a_constant_number_of_queries(world, decision):
    units = list(Unit.objects.order_by("code")[:40])
    for i, unit in enumerate(units[:30]):
        run = services.run_start(obj=unit, unit=unit, code=CODE)
        if i % 2:
            services.step_complete(run=run, step="draft", actor=world.user("fzb"))
        if i % 3 == 0:
            services.step_complete(run=run, step="draft", actor=world.user("fzb"))
            services.step_not_applicable(run=run, step="participation", actor=world.user("fzb"), reason="内部")
    with CaptureQueriesContext(connection) as few:
        small = actions.steps_state_bulk(units[27:32], CODE)  # 3 started, 2 not
    with CaptureQueriesContext(connection) as many:
        big = actions.steps_state_bulk(units, CODE)  # 30 started (several step records each), the rest not
    # runs, the version in force (for records not started), the steps of the versions, the step records
    assert len(few) == len(many) == 4
    assert len(big) == len(units) > 30
    # The same answer as one record at a time.
    for unit in units:
        assert big[unit.pk] == actions.steps_state(selectors.run_for(unit, CODE), code=CODE)
    assert big[units[1].pk][0]["state"] == "done" and big[units[0].pk][1]["state"] == "pending"
    assert big[units[-1].pk][0] == {"code": "draft", "name": "起草决策草案", "state": "pending", "state_label": "未完成",
                                    "missing": [], "mandatory": True, "role": "unit"}
    assert small.keys() == {u.pk for u in units[27:32]} and actions.steps_state_bulk([], CODE) == {}


def test_actionable_offers_each_user_the_steps_they_may_act_on_now(world, run):
    def offered(username):
        return [(s.spec.code, form.kind) for s, form in actions.actionable(run, world.user(username), PLAIN)]

    assert offered("d01") == [("draft", "complete")]
    assert offered("fzb") == [("draft", "complete")]  # the office may enter a unit's step (a paper filing)
    assert offered("leader") == [] and offered("d02") == []
    act(world, run, "d01", {"step": "draft"})
    assert offered("d01") == [("participation", "complete")]
    assert offered("fzb") == [("participation", "complete"), ("legality_review", "complete")]
    form = dict((s.spec.code, f) for s, f in actions.actionable(run, world.user("d01"), PLAIN))["participation"]
    assert {"step", "date", "note", "not_applicable", "reason"} <= set(form.fields)
    assert "outcome" not in form.fields and "files" not in form.fields
    mark = act(world, run, "d01", {"step": "participation", "not_applicable": True, "reason": "内部管理"})
    assert offered("d01") == []  # waiting for the office
    decide = [f for _, f in actions.actionable(run, world.user("fzb"), PLAIN) if f.kind == "decide"]
    assert [f.record for f in decide] == [mark] and offered("fzb")[0] == ("participation", "decide")
    act(world, run, "fzb", {"step": "participation", "decide": mark.pk, "approve": True})
    act(world, run, "fzb", {"step": "legality_review"})
    form = dict((s.spec.code, f) for s, f in actions.actionable(run, world.user("d01"), PLAIN))["collective"]
    assert [c for c, _ in form.fields["outcome"].choices] == ["", "adopt"] and "files" in form.fields
    assert "not_applicable" not in form.fields  # a mandatory step
    act(world, run, "d01", {"step": "collective", "outcome": "adopt"}, files=[pdf()])
    assert offered("fzb") == []  # closed
