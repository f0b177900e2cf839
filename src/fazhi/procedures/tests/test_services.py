"""Procedures through their services: the gate refuses with 409 and the basis, versions are kept by the
records that started on them, 不适用 counts only once approved, the tables are append-only in the
database, and a definition survives export → import."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.procedures import selectors, services
from fazhi.procedures.models import ProcedureDefinition, ProcedureRun, ProcedureStep, StepRecord

DECISION = {
    "code": "test.decision", "name": "重大行政决策(测试)", "note": "",
    "steps": [
        {"code": "draft", "name": "起草决策草案", "basis": "《重大行政决策程序暂行条例》第十三条", "role": "unit"},
        {"code": "participation", "name": "公众参与", "basis": "《重大行政决策程序暂行条例》第十四条", "mandatory": False,
         "condition": "涉及社会公众切身利益", "requires": ["draft"], "role": "unit"},
        {"code": "legality_review", "name": "合法性审查", "basis": "《重大行政决策程序暂行条例》第二十五条",
         "requires": ["draft"], "role": "office", "deadline_rule": "decision.legality_review",
         "deadline_action": "stop"},
        {"code": "collective", "name": "集体讨论决定", "basis": "《重大行政决策程序暂行条例》第三十条",
         "requires": ["participation", "legality_review"], "role": "unit", "attachments_required": True,
         "outcomes": [{"code": "adopt", "label": "通过", "reopens": [], "closes": True}]},
    ],
}


@pytest.fixture
def decision(world):
    return services.definition_publish(data=DECISION, actor=world.user("fzb"))


@pytest.fixture
def run(world, decision):
    unit = world.unit("D01")
    return services.run_start(obj=unit, unit=unit, code="test.decision")


def pdf():
    from fazhi.programme.tests.conftest import pdf

    return pdf()


def test_the_shipped_workplan_definition_is_loaded_by_migrate(world):
    definition = selectors.definition_current("programme.workplan_filing")
    assert definition.version == 1 and definition.created_by is None
    steps = selectors.definition_steps(definition)
    assert [s.code for s in steps] == ["file", "review"]
    assert steps[0].deadline_rule == "programme.workplan_file" and steps[1].requires == ["file"]


def test_completing_a_step_before_its_requirements_is_a_409_naming_each_with_its_basis(world, run):
    with pytest.raises(Conflict) as e:
        services.step_complete(run=run, step="legality_review", actor=world.user("fzb"))
    assert e.value.status == 409 and e.value.code == "procedure.step_missing"
    assert "未完成起草决策草案(《重大行政决策程序暂行条例》第十三条)" in e.value.message
    services.step_complete(run=run, step="draft", actor=world.user("d01"))
    with pytest.raises(Conflict) as e:
        services.step_complete(run=run, step="collective", actor=world.user("d01"), files=[pdf()])
    assert e.value.message == ("不能办理「集体讨论决定」:未完成公众参与(《重大行政决策程序暂行条例》第十四条);"
                               "未完成合法性审查(《重大行政决策程序暂行条例》第二十五条)")
    assert StepRecord.objects.filter(run=run).count() == 1  # nothing appended by a refusal


def test_roles_act_dates_outcomes_and_evidence(world, run):
    with pytest.raises(NotAllowed):
        services.step_complete(run=run, step="draft", actor=world.user("d02"))  # another unit
    with pytest.raises(NotAllowed):
        services.step_complete(run=run, step="draft", actor=world.user("leader"))
    with pytest.raises(InvalidInput) as e:
        services.step_complete(run=run, step="draft", actor=world.user("d01"),
                               act_date=timezone.localdate() + timedelta(days=1))
    assert e.value.field == "act_date"
    yesterday = timezone.localdate() - timedelta(days=1)
    record = services.step_complete(run=run, step="draft", actor=world.user("d01"), act_date=yesterday, note="初稿")
    assert record.act_date == yesterday and record.entered_at.date() >= yesterday and record.actor.username == "d01"
    with pytest.raises(NotAllowed):  # an office step
        services.step_complete(run=run, step="legality_review", actor=world.user("d01"))
    services.step_complete(run=run, step="legality_review", actor=world.user("fzb"))
    services.step_complete(run=run, step="participation", actor=world.user("d01"))
    with pytest.raises(InvalidInput) as e:
        services.step_complete(run=run, step="collective", actor=world.user("d01"), outcome="adopt")
    assert e.value.field == "files" and "须附材料" in e.value.message
    with pytest.raises(InvalidInput) as e:
        services.step_complete(run=run, step="collective", actor=world.user("d01"), files=[pdf()])
    assert e.value.field == "outcome" and "请选择" in e.value.message and "通过" in e.value.message
    done = services.step_complete(run=run, step="collective", actor=world.user("d01"), files=[pdf()], outcome="adopt")
    assert selectors.run_attachments(user=world.user("d01"), run=run).get().object_id == str(done.pk)
    assert not selectors.run_attachments(user=world.user("d02"), run=run).exists()
    with pytest.raises(Conflict) as e:  # closed by 通过
        services.step_complete(run=run, step="draft", actor=world.user("d01"))
    assert e.value.code == "procedure.closed" and "已通过" in e.value.message


def test_not_applicable_needs_a_reason_and_counts_only_once_the_office_approves(world, run):
    d01, fzb = world.user("d01"), world.user("fzb")
    services.step_complete(run=run, step="draft", actor=d01)
    services.step_complete(run=run, step="legality_review", actor=fzb)
    with pytest.raises(InvalidInput) as e:
        services.step_not_applicable(run=run, step="participation", actor=d01, reason=" ")
    assert e.value.field == "reason" and "涉及社会公众切身利益" in e.value.message
    with pytest.raises(InvalidInput):
        services.step_not_applicable(run=run, step="draft", actor=d01, reason="不需要")  # mandatory
    mark = services.step_not_applicable(run=run, step="participation", actor=d01, reason="仅涉及内部管理")
    with pytest.raises(Conflict) as e:
        services.step_complete(run=run, step="collective", actor=d01, files=[pdf()], outcome="adopt")
    assert "未完成公众参与(《重大行政决策程序暂行条例》第十四条)(不适用尚待法制办批准)" in e.value.message
    with pytest.raises(NotAllowed):
        services.not_applicable_decide(record=mark, actor=d01, approve=True)
    with pytest.raises(InvalidInput):
        services.not_applicable_decide(record=mark, actor=fzb, approve=False)  # a rejection needs a reason
    approval = services.not_applicable_decide(record=mark, actor=fzb, approve=True)
    assert approval.refers_to == mark and approval.kind == "na_approved"
    with pytest.raises(InvalidInput):
        services.not_applicable_decide(record=mark, actor=fzb, approve=True)  # decided once
    services.step_complete(run=run, step="collective", actor=d01, files=[pdf()], outcome="adopt")
    view = selectors.run_view(run)
    assert [s.state for s in view.steps] == ["done", "na_approved", "done", "done"]
    assert view.pending_not_applicable == []


def test_a_rejected_not_applicable_leaves_the_step_missing(world, run):
    d01, fzb = world.user("d01"), world.user("fzb")
    services.step_complete(run=run, step="draft", actor=d01)
    services.step_complete(run=run, step="legality_review", actor=fzb)
    mark = services.step_not_applicable(run=run, step="participation", actor=d01, reason="仅涉及内部管理")
    assert selectors.run_view(run).pending_not_applicable == [mark]
    services.not_applicable_decide(record=mark, actor=fzb, approve=False, note="涉及群众切身利益,须公开征求意见")
    with pytest.raises(Conflict) as e:
        services.step_complete(run=run, step="collective", actor=d01, files=[pdf()], outcome="adopt")
    assert e.value.message.endswith("未完成公众参与(《重大行政决策程序暂行条例》第十四条)")


def test_a_record_keeps_its_version_and_a_new_version_applies_to_new_records(world, decision, run):
    d01 = world.user("d01")
    v2 = services.definition_publish(data={**DECISION, "steps": [
        {**DECISION["steps"][0]}, {**DECISION["steps"][2], "requires": ["draft"]},
        {**DECISION["steps"][3], "requires": ["legality_review"]}]}, actor=world.user("fzb"))
    assert v2.version == 2 and selectors.definition_current("test.decision") == v2
    assert ProcedureDefinition.objects.get(pk=decision.pk).steps.count() == 4  # version 1 untouched
    assert services.run_start(obj=world.unit("D01"), unit=world.unit("D01"), code="test.decision") == run
    assert run.definition == decision
    # The old record still needs 公众参与 (version 1); a record started now does not have that step.
    services.step_complete(run=run, step="draft", actor=d01)
    services.step_complete(run=run, step="legality_review", actor=world.user("fzb"))
    with pytest.raises(Conflict):
        services.step_complete(run=run, step="collective", actor=d01, files=[pdf()], outcome="adopt")
    other = world.unit("D02")
    new = services.run_start(obj=other, unit=other, code="test.decision")
    assert new.definition == v2
    with pytest.raises(InvalidInput):
        services.step_complete(run=new, step="participation", actor=world.user("d02"))  # not in version 2
    assert [d.version for d in selectors.definitions_current(user=d01).filter(code="test.decision")] == [2]


def test_only_the_office_publishes(world):
    with pytest.raises(NotAllowed):
        services.definition_publish(data=DECISION, actor=world.user("d01"))
    with pytest.raises(NotAllowed):
        services.definition_publish(data=DECISION, actor=world.user("leader"))


def test_export_then_import_is_the_same_definition_as_the_next_version(world, decision):
    exported = selectors.definition_as_dict(decision)
    imported = services.definition_import(raw=json.dumps(exported, ensure_ascii=False).encode(), actor=world.user("fzb"))
    assert imported.version == 2
    again = selectors.definition_as_dict(imported)
    assert {**again, "version": 1} == exported


@pytest.mark.parametrize("change, field, text", [
    (lambda d: d["steps"].append({**d["steps"][0]}), "steps.5.code", "与第 1 步重复"),
    (lambda d: d["steps"][1].update(requires=["nothing"]), "steps.2.requires", "nothing 不是本程序的步骤编码"),
    (lambda d: d["steps"][0].update(requires=["collective"]), "steps", "前置步骤构成循环"),
    (lambda d: d["steps"][2].update(deadline_rule="decision.nope"), "steps.3.deadline_rule", "不在期限规则目录中"),
])
def test_a_bad_import_is_refused_naming_the_row(world, decision, change, field, text):
    data = selectors.definition_as_dict(decision)
    change(data)
    with pytest.raises(InvalidInput) as e:
        services.definition_import(raw=json.dumps(data), actor=world.user("fzb"))
    assert text in e.value.errors[field]
    assert ProcedureDefinition.objects.filter(code="test.decision").count() == 1


def test_broken_json_is_refused(world):
    with pytest.raises(InvalidInput) as e:
        services.definition_import(raw=b'{"code": ', actor=world.user("fzb"))
    assert "不是有效的 UTF-8 JSON" in e.value.message and e.value.field == "file"
    with pytest.raises(InvalidInput):
        services.definition_import(raw=b"\xff\xfe", actor=world.user("fzb"))


@pytest.mark.parametrize("model", [ProcedureDefinition, ProcedureStep, ProcedureRun, StepRecord])
def test_the_tables_are_append_only_in_python_and_in_the_database(world, run, model):
    services.step_complete(run=run, step="draft", actor=world.user("d01"))
    row = model.objects.order_by("-pk").first()
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        model.objects.filter(pk=row.pk).delete()
    table = connection.ops.quote_name(model._meta.db_table)
    for sql in (f"UPDATE {table} SET id = id WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
