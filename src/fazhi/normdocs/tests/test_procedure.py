"""The normdoc procedure through the step actions: order, the basis named on refusal, public consultation,
legality review, publication (文号 per unit and year), filing and its review."""

from datetime import date, timedelta

import pytest

from fazhi.core.errors import Conflict, InvalidInput
from fazhi.normdocs import rules, services
from fazhi.normdocs.models import AMENDED, FILING_LAWFUL, FILING_PENDING, FILING_RETURNED, IN_FORCE, Filing
from fazhi.normdocs.tests.factories import act, draft, materials, not_applicable, walk
from fazhi.procedures import selectors

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)


@pytest.fixture
def people(world):
    return world.user("d01"), world.user("fzb"), world.unit("D01")


def _spec(doc, code):
    return next(s for s in selectors.run_specs(services.document_run(doc)) if s.code == code)


# Each mandatory step, skipped: the next act that requires it is refused, naming the step and its basis.
SKIPS = [
    ("draft", "solicit"), ("solicit", "coordinate"), ("coordinate", "submit_review"),
    ("submit_review", "legality_review"), ("legality_review", "decide"), ("decide", "publish"), ("publish", "file"),
]


@pytest.mark.parametrize("skipped,attempted", SKIPS)
def test_every_mandatory_step_skipped_is_refused_with_its_basis(people, skipped, attempted):
    unit_user, office, unit = people
    doc = draft(unit, unit_user)
    order = ["draft", "solicit", "conditional", "coordinate", "submit_review", "legality_review", "decide",
             "publish", "file"]
    for step in order[:order.index(attempted)]:
        if step == skipped:
            continue
        actor = office if step == "legality_review" else unit_user
        try:
            if step == "conditional":
                for code in ("public_consult", "hearing", "expert"):
                    not_applicable(doc, unit_user, office, code)
            elif step == "legality_review":
                act(doc, actor, step, outcome="pass")
            elif step == "publish":
                act(doc, actor, step, channel="区政府门户网站")
            else:
                act(doc, actor, step)
        except Conflict:
            pass  # a later step needing the skipped one is refused too
    actor = office if attempted == "legality_review" else unit_user
    extra = {"outcome": "pass"} if attempted == "legality_review" else {}
    if attempted == "file":
        extra = {"files": materials()}
    with pytest.raises(Conflict) as e:
        act(doc, actor, attempted, **extra)
    spec = _spec(doc, skipped)
    assert e.value.code == "procedure.step_missing"
    assert spec.name in e.value.message and spec.basis in e.value.message


def test_conditional_steps_count_only_once_the_office_approves(people):
    unit_user, office, unit = people
    doc = draft(unit, unit_user)
    walk(doc, unit_user, office, upto="solicit")
    act(doc, unit_user, "hearing", not_applicable=True, reason="不涉及听证事项")
    with pytest.raises(Conflict) as e:
        act(doc, unit_user, "coordinate")
    assert "听证" in e.value.message and "待法制办批准" in e.value.message


def test_public_interest_document_must_consult_the_public(people):
    unit_user, office, unit = people
    doc = draft(unit, unit_user, public_interest=True)
    walk(doc, unit_user, office, upto="solicit")
    with pytest.raises(InvalidInput) as e:
        act(doc, unit_user, "public_consult", not_applicable=True, reason="时间紧")
    assert "必须公开征求意见" in e.value.message and "工作方案 五(一)2" in e.value.message
    with pytest.raises(InvalidInput) as e:
        act(doc, unit_user, "public_consult")
    assert "尚未发起公开征求意见" in e.value.message


def test_public_consultation_counts_once_over_and_every_opinion_answered(people):
    from fazhi.portal import services as portal

    unit_user, office, unit = people
    doc = draft(unit, unit_user, public_interest=True)
    walk(doc, unit_user, office, upto="solicit")
    past = rules.today() - timedelta(days=40)
    consultation = portal.consultation_open(target=doc, unit=unit, title="征求意见", text="草案", rule_id=rules.consult_rule(doc),
                                            starts_on=past, ends_on=past + timedelta(days=20), actor=unit_user, today=past)
    opinion, _ = portal.opinion_receive(target=consultation, unit=unit, title="建议", content="建议增加一条",
                                        contact={"name": "张三", "phone": "13800000000"}, files=[], ip="10.0.0.1",
                                        today=past + timedelta(days=3))
    with pytest.raises(InvalidInput) as e:
        act(doc, unit_user, "public_consult")
    assert "未反馈" in e.value.message or "采纳" in e.value.message
    portal.opinion_answer(submission=opinion, adoption="adopted", reason="", actor=unit_user,
                          expected_version=opinion.version)
    act(doc, unit_user, "public_consult")
    state = {s.spec.code: s.done for s in selectors.run_view(services.document_run(doc)).steps}
    assert state["public_consult"]


def test_rejected_legality_review_blocks_the_decision_until_reviewed_again(people):
    unit_user, office, unit = people
    doc = walk(draft(unit, unit_user), unit_user, office, upto="submit_review")
    act(doc, office, "legality_review", outcome="reject", note="超越制定权限")
    with pytest.raises(Conflict) as e:
        act(doc, unit_user, "decide")
    assert "法制审查" in e.value.message and "送审" in e.value.message
    act(doc, unit_user, "submit_review")
    act(doc, office, "legality_review", outcome="pass_amended")
    act(doc, unit_user, "decide")


def test_publication_numbers_per_unit_and_year_without_gap(people, world):
    unit_user, office, unit = people
    docs = [walk(draft(unit, unit_user, title=f"文件{i}"), unit_user, office, upto="publish", on=ON) for i in range(3)]
    other = walk(draft(world.unit("D02"), world.user("d02"), title="他单位文件"), world.user("d02"), office,
                 upto="publish", on=ON)
    assert [d.number_seq for d in docs] == [1, 2, 3] and other.number_seq == 1
    assert docs[1].number == f"{rules.number_code(unit)}〔2026〕2号"
    assert all(d.status == IN_FORCE and d.published_on == ON for d in docs)
    # 30 days after publication (normdoc.file) and five years at most (normdoc.validity)
    assert docs[0].filing_due == date(2026, 4, 1) and docs[0].valid_until == date(2031, 3, 2)


def test_validity_may_be_shorter_never_longer(people):
    unit_user, office, unit = people
    doc = walk(draft(unit, unit_user), unit_user, office, upto="decide", on=ON)
    with pytest.raises(InvalidInput) as e:
        act(doc, unit_user, "publish", on=ON, channel="网站", valid_until="2031-03-03")
    assert e.value.field == "valid_until" and "2031-03-02" in e.value.message
    act(doc, unit_user, "publish", on=ON, channel="网站", valid_until="2028-03-01")
    doc.refresh_from_db()
    assert doc.valid_until == date(2028, 3, 1) and doc.number_seq == 1  # the refused act took no number


def test_unfiled_document_has_no_legal_effect_until_filed(people):
    unit_user, office, unit = people
    doc = walk(draft(unit, unit_user), unit_user, office, upto="publish", on=ON)
    assert not rules.legal_effect(doc) and rules.status_label(doc) == rules.UNFILED_LABEL
    with pytest.raises(InvalidInput) as e:
        act(doc, unit_user, "file", files=materials(["report", "text", "explanation"]))
    assert "合法性审查意见" in e.value.message
    act(doc, unit_user, "file", on=date(2026, 3, 20), files=materials())
    doc.refresh_from_db()
    assert doc.filed_on == date(2026, 3, 20) and doc.filing_state == FILING_PENDING and rules.legal_effect(doc)
    filing = Filing.objects.get(document=doc)
    assert sorted(filing.materials.values_list("kind", flat=True)) == ["explanation", "legality", "report", "text"]


def test_filing_review_return_refile_and_correction(people):
    unit_user, office, unit = people
    doc = walk(draft(unit, unit_user), unit_user, office, upto="file", on=ON)
    filing = Filing.objects.get(document=doc)
    act(filing, office, "review", outcome="return", note="起草说明缺少依据")
    doc.refresh_from_db()
    assert doc.filing_state == FILING_RETURNED and doc.filing_returned and not rules.legal_effect(doc)
    with pytest.raises(Conflict):
        act(filing, office, "review", outcome="lawful")
    act(filing, unit_user, "submit", files=materials(["explanation"]))
    filing.refresh_from_db()
    with pytest.raises(InvalidInput) as e:
        act(filing, office, "review", outcome="problem", note="内容不当")
    assert e.value.field == "problem_kinds"
    act(filing, office, "review", outcome="problem", note="设定了减损权利的规范", problem_kinds=["content"])
    with pytest.raises(Conflict):
        act(filing, unit_user, "correct", note="已修改")
    act(filing, office, "opinion", correction="amend", suggestion="建议责成修改第三条")
    filing.refresh_from_db()
    assert filing.correction_due == rules.today() + timedelta(days=30)
    act(filing, unit_user, "correct", note="已修改第三条")
    act(filing, office, "confirm", outcome="closed")
    doc.refresh_from_db()
    filing.refresh_from_db()
    assert doc.status == AMENDED and filing.state == "corrected" and doc.filing_returned
    assert doc.history.count() > 3


def test_lawful_review_closes_the_filing(people):
    unit_user, office, unit = people
    doc = walk(draft(unit, unit_user), unit_user, office, upto="file", on=ON)
    filing = Filing.objects.get(document=doc)
    act(filing, office, "review", outcome="lawful")
    doc.refresh_from_db()
    assert doc.filing_state == FILING_LAWFUL and rules.legal_effect(doc)
    with pytest.raises(Conflict) as e:
        act(filing, unit_user, "submit", files=materials(["report"]))
    assert e.value.code == "procedure.closed"


def test_expiry_is_shown_at_once_and_written_by_remind(people):
    unit_user, office, unit = people
    doc = walk(draft(unit, unit_user), unit_user, office, upto="file", on=date(2026, 1, 5),
               valid_until=date(2026, 6, 30))
    assert rules.display_status(doc) == "expired" and doc.status == IN_FORCE
    assert services.expire_due() == 1 and services.expire_due() == 0
    doc.refresh_from_db()
    assert doc.status == "expired"
    assert doc.history.first().history_change_reason.startswith("有效期至 2026-06-30 届满")
