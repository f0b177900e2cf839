"""The gate as a pure function: what is missing before a step, with its basis; 不适用 and its approval;
outcomes that reopen or close; definition validation (rows and fields named)."""

from fazhi.deadlines.catalogue import RULES
from fazhi.procedures import rules
from fazhi.procedures.rules import Fact, Outcome, StepSpec

DECISION = [
    StepSpec("draft", "起草", "《重大行政决策程序暂行条例》第十三条"),
    StepSpec("participation", "公众参与", "《重大行政决策程序暂行条例》第十四条", mandatory=False,
             condition="涉及社会公众切身利益", requires=("draft",)),
    StepSpec("legality_review", "合法性审查", "《重大行政决策程序暂行条例》第二十五条", requires=("draft",),
             role=rules.ROLE_OFFICE),
    StepSpec("collective", "集体讨论决定", "《重大行政决策程序暂行条例》第三十条",
             requires=("participation", "legality_review"), role=rules.ROLE_OFFICE,
             outcomes=(Outcome("adopt", "通过", closes=True), Outcome("back", "退回修改", reopens=("draft", "legality_review")))),
]


def codes(missing):
    return [m.step.code for m in missing]


def test_first_step_needs_nothing():
    assert rules.missing_before(DECISION, [], "draft") == []


def test_missing_steps_are_named_with_their_basis_in_the_definitions_order():
    missing = rules.missing_before(DECISION, [], "collective")
    assert codes(missing) == ["draft", "participation", "legality_review"]  # followed through `requires`
    message = rules.missing_message(missing)
    assert "未完成合法性审查(《重大行政决策程序暂行条例》第二十五条)" in message
    assert message.startswith("未完成起草(《重大行政决策程序暂行条例》第十三条)")


def test_done_steps_count():
    facts = [Fact(1, "draft"), Fact(2, "legality_review")]
    assert codes(rules.missing_before(DECISION, facts, "collective")) == ["participation"]
    assert codes(rules.missing_before(DECISION, facts, "legality_review")) == []


def test_not_applicable_counts_only_once_approved():
    facts = [Fact(1, "draft"), Fact(2, "legality_review"), Fact(3, "participation", rules.NOT_APPLICABLE)]
    missing = rules.missing_before(DECISION, facts, "collective")
    assert codes(missing) == ["participation"]
    assert "不适用尚待法制办批准" in missing[0].message
    approved = facts + [Fact(4, "participation", rules.NA_APPROVED, refers_to=3)]
    assert rules.missing_before(DECISION, approved, "collective") == []
    assert rules.run_state(DECISION, approved).states["participation"] == rules.NA_COUNTED
    rejected = facts + [Fact(4, "participation", rules.NA_REJECTED, refers_to=3)]
    assert codes(rules.missing_before(DECISION, rejected, "collective")) == ["participation"]
    # An approval referring to nothing pending changes nothing.
    stray = [Fact(1, "draft"), Fact(5, "participation", rules.NA_APPROVED, refers_to=99)]
    assert rules.run_state(DECISION, stray).states["participation"] == rules.OPEN


def test_an_outcome_reopens_steps_and_another_closes_the_run():
    done = [Fact(1, "draft"), Fact(2, "participation"), Fact(3, "legality_review")]
    back = done + [Fact(4, "collective", outcome="back")]
    state = rules.run_state(DECISION, back)
    assert state.states["draft"] == rules.OPEN and state.states["legality_review"] == rules.OPEN
    assert state.closed_by is None
    assert codes(rules.missing_before(DECISION, back, "collective")) == ["draft", "legality_review"]
    again = back + [Fact(5, "draft"), Fact(6, "legality_review"), Fact(7, "collective", outcome="adopt")]
    assert rules.run_state(DECISION, again).closed_by == Fact(7, "collective", outcome="adopt")


def step(code, **kw):
    return {"code": code, "name": f"步骤{code}", "basis": "某法 第一条", **kw}


def validate(steps, **kw):
    return rules.validate_definition({"code": "test.proc", "name": "测试程序", "steps": steps, **kw},
                                     known_rules=frozenset(RULES))


def test_a_sound_definition_is_cleaned():
    cleaned, errors = validate([step("a"), step("b", requires="a", deadline_rule="normdoc.legality_review",
                                                 deadline_action="start", mandatory=False, condition="涉企")])
    assert errors == {}
    assert cleaned["steps"][1]["requires"] == ["a"] and cleaned["steps"][1]["role"] == "unit"


def test_validation_names_the_row_and_the_field():
    _, errors = validate([step("a"), step("a"), step("c", requires=["zz"]), step("d", deadline_rule="no.such_rule"),
                          {"code": "Bad Code", "name": "", "basis": ""}, step("f", mandatory=False),
                          step("g", role="mayor")])
    assert errors["steps.2.code"] == "第 2 步「步骤编码」a 与第 1 步重复,每个步骤编码只能用一次"
    assert errors["steps.3.requires"] == "第 3 步「前置步骤」zz 不是本程序的步骤编码"
    assert "第 4 步「期限规则」no.such_rule 不在期限规则目录中" in errors["steps.4.deadline_rule"]
    assert errors["steps.5.code"].startswith("第 5 步「步骤编码」Bad Code 无效")
    assert errors["steps.5.name"] == "第 5 步「步骤名称」未填写"
    assert errors["steps.5.basis"].startswith("第 5 步「法律依据」未填写")
    assert "条件性步骤" in errors["steps.6.condition"]
    assert "第 7 步「办理角色」mayor 无效" in errors["steps.7.role"]


def test_cycles_are_refused_naming_the_steps():
    _, errors = validate([step("a", requires=["c"]), step("b", requires=["a"]), step("c", requires=["b"])])
    assert errors["steps"].startswith("前置步骤构成循环(")
    assert "第 1 步 a" in errors["steps"] and "第 3 步 c" in errors["steps"]


def test_bad_shapes_are_refused_not_crashed():
    assert rules.validate_definition([], known_rules=frozenset())[1] == {"__all__": "程序定义应为 JSON 对象(含 code、name、steps)"}
    _, errors = rules.validate_definition({"code": "X", "name": 3, "steps": "a"}, known_rules=frozenset())
    assert set(errors) == {"code", "name", "steps"}
    _, errors = validate([step("a", mandatory="yes", outcomes=[{"code": "ok"}]), 7])
    assert errors["steps.1.mandatory"] == "第 1 步「必经」应为 true 或 false"
    assert "第 1 步「结果」第 1 项请填写名称" in errors["steps.1.outcomes"]
    assert errors["steps.2"] == "第 2 步应为对象"
    _, errors = validate([step("a", outcomes=[{"code": "back", "label": "退回", "reopens": ["x"]}])])
    assert "退回的步骤 x 不是本程序的步骤编码" in errors["steps.1.outcomes"]
