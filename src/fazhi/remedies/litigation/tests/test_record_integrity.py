"""What the records say, not what the unit claims (review of issue #9): the answer clock is kept by the case
(no generic restart or pause), accountability grounds come from the answer and hearing records, dates run in
order (answer and hearings after receipt, second-instance hearings and judgment after the appeal), 审级 moves only
by the appeal, a never-answered case shows 未答辩(逾期) and counts late, and a repeated hearing submission is
stale instead of a second hearing."""

from datetime import date

import pytest
from django.urls import reverse

from fazhi.core import rates
from fazhi.core.errors import InvalidInput, StaleEdit
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.selectors import record_clocks_brief
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation import rules, services
from fazhi.remedies.litigation.tests.conftest import (
    absent_hearing, act, answer, case_data, days, effective, hearing, judge, register, today,
)

pytestmark = pytest.mark.django_db


def _clock(case):
    return Deadline.objects.get(object_id=str(case.pk), purpose=rules.ANSWER_PURPOSE)


# ---------------------------------------------------------------- 1. the answer clock is the case's


@pytest.mark.parametrize("action,body", [
    ("restart", {"on": None, "reason": "重新起算"}),
    ("pause", {"on": None, "reason": "中止"}),
])
def test_generic_clock_acts_are_refused_on_the_answer_clock(world, case, action, body):
    clock = _clock(case)
    body = {**body, "on": str(today())}
    for username in ("d01", "fzb"):
        response = world.client(username).post(reverse(f"api:deadline-{action}", args=[clock.pk]), body,
                                               content_type="application/json")
        assert response.status_code == 403, response.content
        assert "修改案件信息" in response.json()["detail"]
    assert not _clock(case).events.filter(kind__in=["restart", "pause"]).exists()


def test_the_receipt_date_correction_still_restarts_it(world, case):
    case = services.case_update(case=case, actor=world.user("d01"), data=case_data(received_on=days(-2)),
                                expected_version=case.version)
    assert _clock(case).start == days(-2) and _clock(case).events.filter(kind="restart").count() == 1


# ---------------------------------------------------------------- 2. grounds from the records


def test_grounds_rule():
    assert rules.accountability_grounds(lost=True, answer_on_time=False, appeared=[True]) == ["no_answer"]
    assert rules.accountability_grounds(lost=True, answer_on_time=True, appeared=[True, False]) == ["no_appearance"]
    assert rules.accountability_grounds(lost=True, answer_on_time=True, appeared=[]) == []
    assert rules.accountability_grounds(lost=False, answer_on_time=False, appeared=[False]) == []


def test_late_answer_with_cause_other_opens_accountability(world):
    case = register(world, received_on=days(-40), act_date=days(-90))
    d01 = world.user("d01")
    case = answer(case, d01)
    assert case.answer_on_time is False
    case = judge(case, d01, result="revoke", loss_causes=["other"], loss_note="举证不充分")
    case = effective(case, d01)
    assert case.accountability.grounds == ["no_answer"] and "逾期答辩举证" in case.accountability.facts


def test_on_time_answer_refuses_the_no_answer_cause(world, case):
    d01 = world.user("d01")
    case = answer(case, d01)
    with pytest.raises(InvalidInput) as e:
        judge(case, d01, result="revoke", loss_causes=["no_answer"])
    assert e.value.field == "loss_causes" and "按期答辩举证" in e.value.message
    case = judge(case, d01, result="revoke", loss_causes=["facts"])
    case = effective(case, d01)
    assert case.lost and not m.LitigationAccountability.objects.exists()


def test_no_appearance_needs_a_hearing_without_the_unit(world, case):
    d01 = world.user("d01")
    case = answer(case, d01)
    with pytest.raises(InvalidInput) as e:  # no hearing recorded
        judge(case, d01, result="revoke", loss_causes=["no_appearance"])
    assert e.value.field == "loss_causes" and "未出庭应诉" in e.value.message
    hearing(world, case)  # the leader appeared
    with pytest.raises(InvalidInput):
        judge(case, d01, result="revoke", loss_causes=["no_appearance"])
    absent_hearing(world, case)
    case = effective(judge(case, d01, result="revoke", loss_causes=["facts"]), d01)
    assert case.accountability.grounds == ["no_appearance"]  # from the record, though the unit did not pick it


# ---------------------------------------------------------------- 3. dates in order


def test_answer_before_receipt_is_refused(world, case):
    with pytest.raises(InvalidInput) as e:
        answer(case, world.user("d01"), on=days(-6))
    assert e.value.field == "date" and "收到起诉状副本" in e.value.message
    case.refresh_from_db()
    assert case.answered_on is None and _clock(case).status == Deadline.OPEN


def test_hearing_dates_follow_receipt_and_appeal(world, case):
    d01 = world.user("d01")
    with pytest.raises(InvalidInput) as e:
        hearing(world, case, held_on=days(-6))
    assert e.value.field == "held_on" and "收到起诉状副本" in e.value.message
    case = answer(case, d01, on=days(-4))
    case = judge(case, d01, on=days(-3))
    case = act(case, d01, "appeal", appealed_by="plaintiff", appeal_court="西安市中级人民法院", date=str(days(-1)))
    with pytest.raises(InvalidInput) as e:
        hearing(world, case, held_on=days(-2))
    assert e.value.field == "held_on" and "上诉日期" in e.value.message
    with pytest.raises(InvalidInput) as e:
        judge(case, d01, step="appeal_judgment", kind="ruling", result="upheld", on=days(-2))
    assert e.value.field == "date" and "上诉日期" in e.value.message
    assert hearing(world, case, held_on=days(-1)).court_level == m.SECOND


def test_appeal_before_the_judgment_is_refused(world, case):
    d01 = world.user("d01")
    case = judge(case, d01, on=days(-2))
    with pytest.raises(InvalidInput) as e:
        act(case, d01, "appeal", appealed_by="plaintiff", appeal_court="西安市中级人民法院", date=str(days(-3)))
    assert e.value.field == "date"


# ---------------------------------------------------------------- 4. 审级 frozen


def test_court_level_cannot_be_edited(world, case):
    d01 = world.user("d01")
    with pytest.raises(InvalidInput) as e:
        services.case_update(case=case, actor=d01, data=case_data(instance="second"), expected_version=case.version)
    assert e.value.field == "court_level" and "上诉" in e.value.message
    # the edit page shows it disabled and keeps it whatever is posted
    url = reverse("litigation-edit", args=[case.pk])
    client = world.client("d01")
    page = client.get(url).content.decode()
    assert 'name="court_level"' in page and "disabled" in page.split('name="court_level"')[1].split(">")[0]
    data = {k: v for k, v in case_data(cause="信息公开").items() if v is not None and k != "instance"}
    data.update(plaintiffs="张三 自然人", third_parties="", act_date=str(data["act_date"]),
                received_on=str(data["received_on"]), court_level="second", version=case.version)
    data.pop("after_reconsideration")
    response = client.post(url, data)
    assert response.status_code == 303, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.cause == "信息公开" and case.court_level == m.FIRST


# ---------------------------------------------------------------- 5. never answered


def test_never_answered_shows_missed_and_counts_late(world):
    d01 = world.user("d01")
    case = register(world, received_on=date(2025, 3, 3), act_date=date(2025, 1, 2))
    case = judge(case, d01, result="dismiss_claims", on=date(2025, 5, 1))
    case = effective(case, d01, on=date(2025, 5, 2))
    assert case.answer_on_time is False and case.answer_label == "未答辩(逾期)"
    assert [c["state"] for c in record_clocks_brief(case)] == ["stopped"]  # the clock stopped; the case says why
    body = world.client("d01").get(reverse("api:litigation-detail", args=[case.pk])).json()
    assert body["answer_state"] == "missed" and body["answer_label"] == "未答辩(逾期)"
    assert "未答辩(逾期)" in world.client("d01").get(case.get_absolute_url()).content.decode()
    r = rates.compute(rates.get("litigation.answer_on_time"), world.user("fzb"), start=date(2025, 1, 1),
                      end=date(2025, 12, 31))
    assert (r["numerator"], r["denominator"]) == (0, 1)


def test_ended_within_the_period_is_not_late(world, case):
    d01 = world.user("d01")
    case = effective(judge(case, d01, kind="ruling", result="withdrawn"), d01)
    assert case.answer_on_time is None and rules.answer_state(case) == "not_owed"
    assert not m.Litigation.objects.filter(rules.answer_due_q(today())).exists()


def test_open_and_past_due_counts_by_the_warning_rule(world):
    case = register(world, received_on=days(-40), act_date=days(-90))
    assert m.Litigation.objects.filter(rules.answer_due_q(today())).get() == case
    assert not m.Litigation.objects.filter(rules.answer_due_q(_clock(case).due)).exists()  # due today: not yet


# ---------------------------------------------------------------- 6. one hearing per submission


def test_repeated_hearing_submission_is_stale(world, case):
    version = case.version
    hearing(world, case, version=version)
    with pytest.raises(StaleEdit):
        hearing(world, case, version=version)
    with pytest.raises(InvalidInput) as e:
        services.hearing_add(case=case, actor=world.user("d01"), data={"held_on": today()}, expected_version=None)
    assert e.value.field == "version"
    assert m.Hearing.objects.count() == 1


def test_repeated_hearing_post_is_409_on_page_and_api(world, case):
    client = world.client("d01")
    body = {"held_on": str(today()), "staff": ["李四"], "absence_reason": "accident", "absence_note": "交通事故",
            "version": case.version}
    url = reverse("api:litigation-hearings", args=[case.pk])
    assert client.post(url, body, content_type="application/json").status_code == 201
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 409 and "version" in response.json()["errors"]
    page_body = {**body, "kind": "trial", "staff": "李四", "version": case.version}
    response = client.post(reverse("litigation-hearing-add", args=[case.pk]), page_body)
    assert response.status_code == 409 and "刷新页面" in response.content.decode()
    assert m.Hearing.objects.count() == 1
