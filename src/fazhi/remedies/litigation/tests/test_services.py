"""The case's life through the services: registration opens the answer clock (one hand-computed date), the
answer stops it on time or late, hearings count by the one rule, judgments give `lost` by the one rule, 生效
closes the case and opens the accountability record when the loss came from not answering or not appearing."""

from datetime import date

import pytest

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed, StaleEdit
from fazhi.deadlines.models import Deadline
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation import rules, services
from fazhi.remedies.litigation.tests.conftest import (
    absent_hearing, act, answer, case_data, days, effective, hearing, judge, register, today,
)

pytestmark = pytest.mark.django_db


def _clock(case):
    return Deadline.objects.get(object_id=str(case.pk), purpose=rules.ANSWER_PURPOSE)


def test_registration_opens_the_answer_clock_hand_computed(world):
    # 15 days from 2025-09-22 (received) → 2025-10-07 is inside the National Day holiday (10-01…10-08 in 2025):
    # the period's last day rolls to the first working day after it, 2025-10-09 (民事诉讼法 第85条 as the engine).
    case = register(world, received_on=date(2025, 9, 22), act_date=date(2025, 8, 1))
    clock = _clock(case)
    assert clock.rule_id == "litigation.answer" and clock.start == date(2025, 9, 22)
    assert clock.due == date(2025, 10, 9)
    assert clock.unit == world.unit("D01") and case.status == m.ANSWERING


def test_answer_on_time_stops_the_clock(world, case):
    case = answer(case, world.user("d01"))
    clock = _clock(case)
    assert clock.status == Deadline.MET and not clock.late
    assert case.answered_on == today() and case.answer_on_time is True and case.status == m.TRIAL


def test_answer_late_is_recorded_as_late(world):
    case = register(world, received_on=days(-40), act_date=days(-90))
    case = answer(case, world.user("d01"))
    assert case.answer_on_time is False and _clock(case).late


def test_answer_needs_both_materials(world, case):
    with pytest.raises(InvalidInput) as e:
        act(case, world.user("d01"), "answer")
    assert e.value.field == "defence" and "答辩状" in e.value.message
    case.refresh_from_db()
    assert case.answered_on is None and _clock(case).status == Deadline.OPEN


def test_appearance_rule():
    assert rules.appearance(leader_name="王", leader_post="deputy", staff=[], lawyers=[]) == rules.Appearance(True, True)
    assert rules.appearance(leader_name="", leader_post="", staff=["李"], lawyers=["律师"]) == rules.Appearance(True, False)
    # a lawyer alone does not count as the unit appearing
    assert rules.appearance(leader_name="", leader_post="", staff=[], lawyers=["律师"]) == rules.Appearance(False, False)
    assert rules.appearance(leader_name="王", leader_post="", staff=[], lawyers=[]).leader is False


def test_hearing_without_leader_needs_the_reason(world, case):
    with pytest.raises(InvalidInput) as e:
        hearing(world, case, leader_name="", leader_post="", lawyers=["赵律师"], staff=[])
    assert e.value.field == "absence_reason" and "负责人未出庭理由" in e.value.message
    with pytest.raises(InvalidInput) as e:
        hearing(world, case, leader_name="", leader_post="", staff=[], absence_reason="official_duty")
    assert e.value.field == "absence_note"
    assert not m.Hearing.objects.exists()
    h = hearing(world, case, leader_name="", leader_post="", staff=[], lawyers=["赵律师"],
                absence_reason="official_duty", absence_note="参加市政府专题会议")
    assert (h.appeared, h.leader_appeared) == (False, False)
    h = hearing(world, case)
    assert (h.appeared, h.leader_appeared) == (True, True)


def test_hearing_refusals(world, case):
    with pytest.raises(NotAllowed):
        hearing(world, case, user="leader")
    with pytest.raises(InvalidInput) as e:
        hearing(world, case, held_on=days(1))
    assert e.value.field == "held_on" and "晚于今天" in e.value.message
    with pytest.raises(InvalidInput) as e:
        hearing(world, case, leader_post="")
    assert e.value.field == "leader_post"


@pytest.mark.parametrize("result,lost", [
    ("dismiss_claims", False), ("revoke", True), ("partly_revoke", True), ("confirm_illegal", True),
    ("confirm_void", True), ("order_perform", True), ("modify", True), ("compensate", True), ("withdrawn", False),
    ("dismiss_suit", False), ("mediated", False)])
def test_lost_rule(result, lost):
    assert rules.lost_of(result) is lost


def test_upheld_keeps_the_first_instance():
    assert rules.lost_of("upheld", upheld_lost=True) is True
    assert rules.lost_of("upheld", upheld_lost=False) is False


def test_lost_judgment_needs_its_cause(world, case):
    d01 = world.user("d01")
    with pytest.raises(InvalidInput) as e:
        judge(case, d01, result="revoke")
    assert e.value.field == "loss_causes"
    with pytest.raises(InvalidInput) as e:
        judge(case, d01, result="revoke", loss_causes=["other"])
    assert e.value.field == "loss_note"
    with pytest.raises(InvalidInput) as e:
        judge(case, d01, kind="ruling", result="revoke", loss_causes=["facts"])
    assert e.value.field == "result"
    assert not m.Judgment.objects.exists()
    case = judge(case, d01, result="revoke", loss_causes=["facts"])
    j = case.judgments.get()
    assert j.lost and j.loss_causes == ["facts"] and case.status == m.JUDGED and case.lost is None


def test_lost_for_not_answering_opens_accountability_at_effective(world):
    case = register(world, received_on=days(-40), act_date=days(-90))
    d01 = world.user("d01")
    case = judge(case, d01, result="confirm_illegal", loss_causes=["no_answer", "facts"], on=days(-2))
    case = effective(case, d01, on=days(-1))
    assert case.status == m.EFFECTIVE and case.lost is True and case.result == "confirm_illegal"
    clock = _clock(case)
    assert clock.status == Deadline.CANCELLED  # the answer is no longer owed; the rate still counts it late
    acc = case.accountability
    assert acc.status == m.ACC_OPEN and acc.grounds == ["no_answer"] and "未答辩(逾期)" in acc.facts
    assert case.answer_on_time is False and rules.answer_state(case) == "missed"
    # the office alone closes it, and only once the leaders are named
    fzb = world.user("fzb")
    with pytest.raises(NotAllowed):
        services.accountability_close(record=acc, actor=d01, result="x", expected_version=acc.version)
    with pytest.raises(InvalidInput) as e:
        services.accountability_close(record=acc, actor=fzb, result="诫勉谈话", expected_version=acc.version)
    assert e.value.field == "people"
    with pytest.raises(InvalidInput) as e:
        services.accountability_people(record=acc, actor=d01, people=[{"name": "王五", "post": ""}], facts="事实",
                                       expected_version=acc.version)
    assert e.value.field == "people"
    acc = services.accountability_people(record=acc, actor=d01, people=[{"name": "王五", "post": "副局长"}],
                                         facts=acc.facts, expected_version=acc.version)
    with pytest.raises(StaleEdit):
        services.accountability_close(record=acc, actor=fzb, result="诫勉谈话", expected_version=acc.version - 1)
    acc = services.accountability_close(record=acc, actor=fzb, result="对王五诫勉谈话", expected_version=acc.version)
    assert acc.status == m.ACC_CLOSED and acc.history.count() == 3


def test_lost_for_other_causes_opens_no_accountability(world, case):
    d01 = world.user("d01")
    case = answer(case, d01)
    case = judge(case, d01, result="revoke", loss_causes=["procedure"])
    case = effective(case, d01)
    assert case.lost and not m.LitigationAccountability.objects.exists()


def test_appeal_then_second_instance_then_effective(world, case):
    d01 = world.user("d01")
    case = answer(case, d01)
    absent_hearing(world, case)
    case = judge(case, d01, result="revoke", loss_causes=["no_appearance"])
    case = act(case, d01, "appeal", appealed_by="unit", appeal_court="西安市中级人民法院",
               appeal_number="(2026)陕01行终3号")
    assert case.status == m.APPEAL and case.court_level == m.SECOND
    with pytest.raises(Conflict) as e:
        effective(case, d01)
    assert e.value.code == "procedure.step_missing" and "二审裁判" in e.value.message
    case = judge(case, d01, step="appeal_judgment", kind="ruling", result="upheld")
    assert case.judgments.last().lost and case.judgments.last().loss_causes == ["no_appearance"]
    case = effective(case, d01)
    assert case.lost and case.accountability.grounds == ["no_appearance"]
    with pytest.raises(InvalidInput):
        hearing(world, case)


def test_second_instance_case_cannot_appeal(world):
    case = register(world, instance="second", case_number="(2026)陕01行终9号")
    d01 = world.user("d01")
    case = judge(case, d01, result="dismiss_claims")
    with pytest.raises(InvalidInput) as e:
        act(case, d01, "appeal", appealed_by="plaintiff", appeal_court="某法院")
    assert "终审" in e.value.message


def test_registration_refusals(world, case):
    with pytest.raises(InvalidInput) as e:
        register(world)  # the same court and number
    assert e.value.field == "case_number" and "已经登记" in e.value.message
    with pytest.raises(NotAllowed):
        register(world, unit="D01", user="d02", case_number="X1")
    with pytest.raises(NotAllowed):
        register(world, unit="D01", user="leader", case_number="X2")
    with pytest.raises(InvalidInput) as e:
        register(world, case_number="X3", plaintiffs=[])
    assert e.value.field == "plaintiffs"
    with pytest.raises(InvalidInput) as e:
        register(world, case_number="X4", received_on=days(1))
    assert e.value.field == "received_on"
    with pytest.raises(InvalidInput) as e:
        register(world, case_number="X5", after_reconsideration=True)
    assert e.value.field == "reconsideration_number"
    assert m.Litigation.objects.count() == 1 and Deadline.objects.count() == 1
    # the office may register for a unit
    assert register(world, unit="D02", user="fzb", case_number="X6").unit.code == "D02"


def test_edit_is_versioned_and_restarts_the_clock_on_a_new_receipt_date(world, case):
    d01 = world.user("d01")
    data = case_data(received_on=days(-3))
    case = services.case_update(case=case, actor=d01, data=data, expected_version=case.version)
    clock = _clock(case)
    assert clock.start == days(-3) and clock.events.filter(kind="restart").exists()
    with pytest.raises(StaleEdit):
        services.case_update(case=case, actor=d01, data={**data, "cause": "信息公开"}, expected_version=case.version - 1)
    with pytest.raises(NotAllowed):
        services.case_update(case=case, actor=world.user("inspector"), data={**data, "cause": "x"},
                             expected_version=case.version)
