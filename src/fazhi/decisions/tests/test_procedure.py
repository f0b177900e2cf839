"""The decision procedure (重大行政决策程序暂行条例) through procedures.actions: every mandatory step skipped in
turn is refused with its basis named; 集体讨论决定 waits for 合法性审查 and every applicable earlier step; the
catalogue's flags make conditional steps obligatory; hearing materials and the legality review's period are
checked through the deadline engine."""

import pytest

from fazhi.core.errors import Conflict, InvalidInput
from fazhi.decisions import models as m
from fazhi.decisions.tests.conftest import act, days, make_decision, pdf, through
from fazhi.deadlines.services import deadline_compute
from fazhi.procedures import selectors

# Each mandatory step, and the next step whose gate names it when it is skipped.
MANDATORY_NEXT = [("consult", "legality_submit"), ("legality_submit", "legality_review"),
                  ("legality_review", "decide"), ("decide", "publish"), ("publish", "implement"),
                  ("implement", "evaluate")]
ORDER = ["consult", "hearing", "expert", "risk", "legality_submit", "legality_review", "decide", "publish",
         "implement", "evaluate"]


def _basis(decision, code):
    run = selectors.run_for(decision, "decision")
    return next(s for s in selectors.run_specs(run) if s.code == code).basis


def test_the_definition_is_shipped_with_every_step_and_its_basis(decision):
    run = selectors.run_for(decision, "decision")
    specs = {s.code: s for s in selectors.run_specs(run)}
    assert list(specs) == ORDER
    assert all("重大行政决策程序暂行条例" in s.basis for s in specs.values())
    assert {c for c, s in specs.items() if s.mandatory} == {
        "consult", "legality_submit", "legality_review", "decide", "publish", "implement"}
    assert set(specs["decide"].requires) == {"consult", "hearing", "expert", "risk", "legality_review"}


@pytest.mark.parametrize("skipped,refused", MANDATORY_NEXT)
def test_each_mandatory_step_skipped_is_refused_with_its_basis(world, decision, skipped, refused):
    previous = ORDER[ORDER.index(refused) - 1]
    decision = through(world, decision, previous, skip={skipped})
    user = world.user("fzb") if refused == "legality_review" else world.user("d01")
    extra = {"legality_review": {"outcome": "lawful"},
             "decide": {"outcome": "approve", "meeting": "常务会议", "conclusion": "同意"},
             "publish": {"channel": "区政府网站"}}.get(refused, {})
    with pytest.raises(Conflict) as e:
        act(decision, user, refused, files=[pdf()] if refused in ("legality_submit", "decide", "evaluate") else (),
            **extra)
    assert e.value.code == "procedure.step_missing"
    assert _basis(decision, skipped) in e.value.message


def test_decide_is_refused_before_the_legality_review_passed(world, decision):
    decision = through(world, decision, "legality_submit")
    fzb, d01 = world.user("fzb"), world.user("d01")
    decide = {"outcome": "approve", "meeting": "常务会议", "conclusion": "同意"}
    with pytest.raises(Conflict) as e:
        act(decision, d01, "decide", files=[pdf()], **decide)
    assert e.value.code == "procedure.step_missing" and "合法性审查" in e.value.message
    # 不合法 reopens the submission and the review: still refused, naming both.
    decision = act(decision, fzb, "legality_review", outcome="unlawful", note="超越法定权限")
    with pytest.raises(Conflict) as e:
        act(decision, d01, "decide", files=[pdf()], **decide)
    assert "送请合法性审查" in e.value.message and "第27条" in e.value.message
    decision = act(decision, d01, "legality_submit", files=[pdf()])
    decision = act(decision, fzb, "legality_review", outcome="lawful_amend")
    decision = act(decision, d01, "decide", files=[pdf()], **decide)
    assert decision.status == m.DECIDED and decision.meeting == "常务会议"


def test_decide_is_refused_while_a_conditional_step_is_neither_done_nor_approved_not_applicable(world, decision):
    d01, fzb = world.user("d01"), world.user("fzb")
    decision = through(world, decision, "legality_review", skip={"risk"})
    decide = {"outcome": "approve", "meeting": "常务会议", "conclusion": "同意"}
    with pytest.raises(Conflict) as e:
        act(decision, d01, "decide", files=[pdf()], **decide)
    assert "风险评估" in e.value.message and "第22条" in e.value.message
    act(decision, d01, "risk", not_applicable=True, reason="不涉及社会稳定")
    with pytest.raises(Conflict) as e:  # asked, not yet approved
        act(decision, d01, "decide", files=[pdf()], **decide)
    assert "不适用尚待法制办批准" in e.value.message
    from fazhi.procedures.models import StepRecord

    pending = StepRecord.objects.filter(step__code="risk", kind="not_applicable").last()
    act(decision, fzb, "risk", decide=pending.pk, approve=True)
    decision = act(decision, d01, "decide", files=[pdf()], **decide)
    assert decision.status == m.DECIDED


def test_a_flagged_step_may_not_be_not_applicable(world, catalogue):
    decision = make_decision(world, catalogue, stability=True, professional=True)
    with pytest.raises(InvalidInput) as e:
        act(decision, world.user("d01"), "risk", not_applicable=True, reason="不涉及")
    assert e.value.field == "not_applicable" and "涉及社会稳定" in e.value.message
    with pytest.raises(InvalidInput):
        act(decision, world.user("d01"), "expert", not_applicable=True, reason="不需要")


def test_a_flag_set_after_not_applicable_was_approved_still_blocks_decide(world, decision):
    decision = through(world, decision, "legality_review")  # risk 不适用 approved
    from fazhi.decisions import services

    data = {k: getattr(decision, k) for k in ("title", "summary", "unit", "maker", "maker_head", "planned",
                                               "professional", "hearing")}
    decision = services.decision_change(decision=decision, data={**data, "stability": True}, actor=world.user("fzb"),
                                        reason="经研判涉及社会稳定", expected_version=decision.version)
    with pytest.raises(Conflict) as e:
        act(decision, world.user("d01"), "decide", files=[pdf()], outcome="approve", meeting="会", conclusion="同意")
    assert e.value.code == "procedure.step_missing" and "不能以不适用代替" in e.value.message


def test_consult_counts_only_when_the_consultation_is_over_and_answered(world, decision):
    from fazhi.portal import services as portal

    d01 = world.user("d01")
    with pytest.raises(Conflict) as e:
        act(decision, d01, "consult")
    assert "尚未公开征求意见" in e.value.message
    start = days(-40)
    c = services_open(world, decision, start, days(5))
    s, _ = portal.opinion_receive(target=c, unit=None, title="意见", content="内容", contact={"name": "李"}, files=[],
                                  ip="10.0.0.2", today=start)
    with pytest.raises(Conflict) as e:
        act(decision, d01, "consult")
    assert "届满" in e.value.message and "1 条意见未反馈" in e.value.message
    decision.refresh_from_db()
    assert decision.status == m.CONSULTING


def services_open(world, decision, start, end):
    from fazhi.decisions import services

    return services.consultation_open(decision=decision, actor=world.user("d01"), title="征求意见", text="稿",
                                      starts_on=start, ends_on=end, today=start)


def test_hearing_materials_too_late_are_refused_by_the_engine(world, catalogue):
    decision = make_decision(world, catalogue, hearing=True)
    d01 = world.user("d01")
    hearing_on = days(-1)
    latest = deadline_compute("decision.hearing_materials", hearing_on).due
    from datetime import timedelta

    with pytest.raises(InvalidInput) as e:
        act(decision, d01, "hearing", files=[pdf()], date=str(hearing_on),
            materials_on=str(latest + timedelta(days=1)))
    assert e.value.field == "materials_on" and f"{latest:%Y-%m-%d}" in e.value.message
    with pytest.raises(InvalidInput) as e:
        act(decision, d01, "hearing", not_applicable=True, reason="不需要")
    decision = act(decision, d01, "hearing", files=[pdf()], date=str(hearing_on), materials_on=str(latest))
    assert decision.hearing_on == hearing_on and decision.hearing_materials_on == latest


def test_the_legality_reviewer_gets_at_least_seven_working_days(world, decision):
    decision = through(world, decision, "risk")
    d01 = world.user("d01")
    earliest = deadline_compute("decision.legality_review", days(0)).due
    from datetime import timedelta

    with pytest.raises(InvalidInput) as e:
        act(decision, d01, "legality_submit", files=[pdf()], reply_by=str(earliest - timedelta(days=1)))
    assert e.value.field == "reply_by" and f"{earliest:%Y-%m-%d}" in e.value.message
    decision = act(decision, d01, "legality_submit", files=[pdf()])
    assert decision.legality_reply_by == earliest and decision.status == m.REVIEWING


def test_status_follows_the_procedure_to_post_evaluation(world, decision):
    decision = through(world, decision, "evaluate")
    assert decision.status == m.EVALUATED
    assert decision.published_on is not None and decision.publication_channel == "区政府网站"


def test_rejected_closes_the_run(world, decision):
    decision = through(world, decision, "legality_review")
    decision = act(decision, world.user("d01"), "decide", files=[pdf()], outcome="reject", meeting="会",
                   conclusion="不同意")
    assert decision.status == m.REJECTED
    with pytest.raises(Conflict) as e:
        act(decision, world.user("d01"), "publish", channel="网站")
    assert e.value.code == "procedure.closed"


def test_office_step_refused_to_the_unit(world, decision):
    from fazhi.core.errors import NotAllowed

    decision = through(world, decision, "legality_submit")
    with pytest.raises(NotAllowed):
        act(decision, world.user("d01"), "legality_review", outcome="lawful")
