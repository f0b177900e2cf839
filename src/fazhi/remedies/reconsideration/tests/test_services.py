"""One full case around National Day 2025 (10/1–10/8 off; 9/28 and 10/11 调休 working days), every clock checked
against dates counted by hand; and the gate, the states, bad input and stale edits."""

from datetime import date

import pytest

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed, StaleEdit
from fazhi.deadlines.models import Deadline
from fazhi.remedies.reconsideration import rules, services
from fazhi.remedies.reconsideration.models import Reconsideration
from fazhi.remedies.reconsideration.scripted import act, accept, decide, register, reply_files, through_reply

D = date.fromisoformat


def clock(case, purpose) -> Deadline:
    return services.clock(case, purpose)


@pytest.mark.django_db
def test_one_case_around_national_day(world):
    office, d01 = world.user("fzb"), world.user("d01")
    # Received Friday 9/26: 5 working days, the day of receipt not counted: 9/28 (Sunday, 调休), 9/29, 9/30,
    # then the holiday 10/1–10/8, 10/9, 10/10.
    case = register(office, "D01", received=D("2025-09-26"), known=D("2025-08-01"), applied=D("2025-09-25"))
    assert case.number == "区政复〔2025〕1号" and case.status == "reviewing"
    assert clock(case, "accept").due == D("2025-10-10")
    assert case.apply_due == D("2025-09-30") and not rules.late_application(case)

    # 通知补正 on 9/29 (within the 5 working days: not late); the review pauses; the applicant received it on 9/30:
    # 10 working days 10/9, 10/10, 10/11 (Saturday, 调休), 10/13–10/17, 10/20, 10/21.
    act(case, office, "accept", on=D("2025-09-29"), outcome="correction", note="请补充身份证明",
        notice_received_on=D("2025-09-30"))
    assert case.status == "correcting" and case.correction_notice_late is False
    assert clock(case, "accept").paused_since == D("2025-09-29")
    assert clock(case, "correction").due == D("2025-10-21")
    with pytest.raises(Conflict):  # not yet past the correction period
        services.withdraw(case=case, actor=office, on=D("2025-10-21"))
    with pytest.raises(Conflict):  # the review waits for the material
        accept(case, office, D("2025-10-10"))

    # The material on Monday 10/13: the acceptance review counts anew: 10/14, 10/15, 10/16, 10/17, 10/20.
    case = services.correction_received(case=case, actor=office, on=D("2025-10-13"), expected_version=case.version)
    accept_clock = clock(case, "accept")
    assert case.status == "reviewing" and accept_clock.start == D("2025-10-13") and accept_clock.due == D("2025-10-20")
    assert accept_clock.paused_since is None
    assert clock(case, "correction").status == Deadline.MET and clock(case, "correction").late is False

    # 受理 on 10/15 (普通程序): 发送副本 7 working days 10/16–10/17, 10/20–10/24; decide 60 days → 12/14, a Sunday → 12/15.
    accept(case, office, D("2025-10-15"))
    assert clock(case, "accept").status == Deadline.MET and clock(case, "accept").late is False
    assert clock(case, "send_copy").due == D("2025-10-24")
    assert clock(case, "decide").due == D("2025-12-15")
    assert clock(case, "decide").rule_id == "reconsideration.decide"

    with pytest.raises(Conflict) as gate:  # the decision waits for the copy sent to the respondent
        act(case, office, "decide", on=D("2025-10-20"), outcome="maintain", facts="事实", reasoning="理由")
    assert gate.value.code == "procedure.step_missing" and "发送申请书副本" in gate.value.message

    # The copy sent 10/16, received by D01 on Friday 10/17: reply 10 working days → 10/31.
    act(case, office, "send_copy", on=D("2025-10-16"), copy_received_on=D("2025-10-17"))
    assert clock(case, "reply").due == D("2025-10-31") and clock(case, "send_copy").late is False
    with pytest.raises(Conflict) as waits:  # and for the reply while its period runs (第70条 only after it)
        act(case, office, "decide", on=D("2025-10-31"), outcome="maintain", facts="事实", reasoning="理由")
    assert waits.value.code == "reconsideration.state" and "答复" in waits.value.message
    with pytest.raises(NotAllowed):  # another unit cannot reply for D01
        act(case, world.user("d02"), "reply", on=D("2025-10-30"), files=reply_files())
    act(case, d01, "reply", on=D("2025-10-30"), files=reply_files())
    assert case.reply_on == D("2025-10-30") and clock(case, "reply").late is False

    # 中止 11/3 (调解), 恢复 11/13: 10 days paused; 12/14 + 10 = 12/24 (Wednesday).
    case = services.suspend(case=case, actor=office, on=D("2025-11-03"), reason="mediation",
                            expected_version=case.version)
    assert case.status == "suspended" and clock(case, "decide").paused_since == D("2025-11-03")
    with pytest.raises(Conflict):  # no decision while suspended
        act(case, office, "decide", on=D("2025-11-05"), outcome="maintain", facts="事实", reasoning="理由")
    case = services.resume(case=case, actor=office, on=D("2025-11-13"), expected_version=case.version)
    assert case.status == "hearing" and clock(case, "decide").due == D("2025-12-24")

    # Hearing on Thursday 11/20: notice at the latest 5 working days before → 11/13; notified 11/14: late, recorded.
    act(case, office, "hearing", on=D("2025-11-20"), hearing_place="区政府复议听证室", notice_on=D("2025-11-14"),
        leader_attended="yes", leader_name="李局长", leader_post="局长")
    assert case.hearing_notice_due == D("2025-11-13") and case.hearing_notice_late is True and case.leader_attended

    # An extension beyond 30 days is refused by the catalogue; 30 days from 12/24 → 2026-01-23.
    with pytest.raises(InvalidInput) as too_long:
        services.extend(case=case, actor=office, days=31, approver="王主任", basis="案情复杂", notified_on=D("2025-12-10"))
    assert too_long.value.field == "days" and "30" in too_long.value.message
    case = services.extend(case=case, actor=office, days=30, approver="王主任", basis="案情复杂,第62条第1款",
                           notified_on=D("2025-12-10"), expected_version=case.version)
    assert clock(case, "decide").due == D("2026-01-23")

    decide(case, office, D("2026-01-20"), outcome="revoke")
    case = Reconsideration.objects.get(pk=case.pk)
    assert case.status == "decided" and case.outcome == "revoke" and case.decision_late is False
    assert clock(case, "decide").status == Deadline.MET
    with pytest.raises(Conflict):  # the case is closed
        services.terminate(case=case, actor=office, on=D("2026-01-21"), reason="withdrawn")


@pytest.mark.django_db
def test_simple_procedure_cannot_be_extended_and_late_decision(world):
    office, d01 = world.user("fzb"), world.user("d01")
    case = register(office, "D01", received=D("2026-03-02"))
    through_reply(case, office, d01, accepted=D("2026-03-03"), kind="simple")
    assert clock(case, "decide").rule_id == "reconsideration.decide_simple"
    assert clock(case, "decide").due == D("2026-04-02")  # 30 days from 3/3 → 4/2 (Thursday)
    with pytest.raises(Conflict) as refused:  # rules.may_extend: the page offers no 延长 either
        services.extend(case=case, actor=office, days=10, approver="王主任", basis="案情复杂", notified_on=D("2026-03-20"))
    assert refused.value.code == "reconsideration.state" and "不能延长" in refused.value.message
    decide(case, office, D("2026-04-03"))
    case.refresh_from_db()
    assert case.decision_late is True and clock(case, "decide").late is True


@pytest.mark.django_db
def test_withdrawn_after_correction_period_and_terminate_stops_clocks(world):
    office = world.user("fzb")
    case = register(office, "D02", received=D("2026-05-06"))
    act(case, office, "accept", on=D("2026-05-07"), outcome="correction", note="缺少行政行为文书",
        notice_received_on=D("2026-05-08"))
    due = clock(case, "correction").due
    case = services.withdraw(case=case, actor=office, on=date.fromordinal(due.toordinal() + 1))
    assert case.status == "withdrawn" and case.ended_on is not None
    assert {d.status for d in Deadline.objects.filter(object_id=str(case.pk), purpose__startswith="reconsideration:")} \
        == {Deadline.CANCELLED}

    other = register(office, "D02", received=D("2026-06-01"))
    accept(other, office, D("2026-06-02"))
    other = services.terminate(case=other, actor=office, on=D("2026-06-10"), reason="settled", note="双方和解")
    assert other.status == "terminated" and other.outcome == "terminate"
    assert not Deadline.objects.filter(object_id=str(other.pk), purpose__startswith="reconsideration:",
                                       status=Deadline.OPEN).exists()


@pytest.mark.django_db
def test_late_application_is_flagged_and_needs_a_reason_to_accept(world):
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-06-10"), known=D("2026-03-01"), applied=D("2026-06-09"))
    assert rules.late_application(case)
    with pytest.raises(InvalidInput) as e:
        accept(case, office, D("2026-06-11"))
    assert e.value.field == "note"
    act(case, office, "accept", on=D("2026-06-11"), outcome="accept", procedure_kind="normal",
        note="申请人住院治疗,属正当理由")
    assert case.status == "hearing"


@pytest.mark.django_db
def test_bad_input_names_the_field_and_saves_nothing(world):
    office = world.user("fzb")
    base = {"unit": "D01", "applicants": [{"name": "张三", "kind": "person"}], "act_name": "处罚决定",
            "applied_on": D("2026-06-01"), "received_on": D("2026-06-02"), "request": "撤销", "grounds": "理由"}
    for change, field in [({"applicants": []}, "applicants"), ({"unit": "GOV"}, "unit"), ({"unit": "XX"}, "unit"),
                          ({"received_on": D("2026-05-01")}, "received_on"), ({"act_name": " "}, "act_name"),
                          ({"applicants": [{"name": "张三", "kind": "robot"}]}, "applicants"),
                          ({"received_on": D("2099-01-01")}, "received_on"), ({"request": ""}, "request")]:
        with pytest.raises(InvalidInput) as e:
            services.case_create(actor=office, data={**base, **change})
        assert e.value.field == field, change
        assert "「" in e.value.message
    assert not Reconsideration.objects.exists()
    with pytest.raises(NotAllowed):
        services.case_create(actor=world.user("d01"), data=base)
    with pytest.raises(NotAllowed):
        services.case_create(actor=world.user("leader"), data=base)
    case = services.case_create(actor=office, data=base)
    assert case.number == "区政复〔2026〕1号"
    # A refused step leaves nothing behind (the step record and the clocks roll back together).
    with pytest.raises(InvalidInput) as e:
        act(case, office, "accept", on=D("2026-06-03"), outcome="correction", note="补正")
    assert e.value.field == "notice_received_on"
    case.refresh_from_db()
    assert case.status == "reviewing" and clock(case, "correction") is None
    assert clock(case, "accept").paused_since is None


@pytest.mark.django_db
def test_stale_edit_refused(world):
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-06-02"))
    data = {"unit": "D01", "applicants": case.applicants, "act_name": "新的行为名称", "applied_on": case.applied_on,
            "received_on": case.received_on, "request": "撤销", "grounds": "理由"}
    services.case_update(case=case, actor=office, data=data, expected_version=case.version)
    with pytest.raises(StaleEdit):
        services.case_update(case=case, actor=office, data={**data, "act_name": "另一次修改"},
                             expected_version=case.version)
    with pytest.raises(StaleEdit):
        services.terminate(case=case, actor=office, on=D("2026-06-05"), reason="withdrawn", expected_version=case.version)
    assert Reconsideration.objects.get(pk=case.pk).act_name == "新的行为名称"


@pytest.mark.django_db
def test_repeated_steps_refused_clocks_untouched(world):
    office, d01 = world.user("fzb"), world.user("d01")
    case = register(office, "D01", received=D("2026-03-02"))
    act(case, office, "accept", on=D("2026-03-03"), outcome="correction", note="请补充身份证明",
        notice_received_on=D("2026-03-04"))
    case = services.correction_received(case=case, actor=office, on=D("2026-03-06"))
    with pytest.raises(Conflict) as once:  # 第31条: 补正 is notified once
        act(case, office, "accept", on=D("2026-03-09"), outcome="correction", note="再补正", notice_received_on=D("2026-03-09"))
    assert once.value.code == "reconsideration.state" and "一次性" in once.value.message
    through_reply(case, office, d01, accepted=D("2026-03-10"), kind="normal")
    case = services.extend(case=case, actor=office, days=20, approver="王主任", basis="复杂", notified_on=D("2026-04-01"))
    decide_before, reply_before = clock(case, "decide"), clock(case, "reply")
    assert decide_before.rule_id == "reconsideration.decide" and decide_before.due == D("2026-05-29")  # 5/9 + 20

    for step, data in [("accept", {"outcome": "accept", "procedure_kind": "simple"}),
                       ("accept", {"outcome": "correction", "note": "补", "notice_received_on": D("2026-04-02")}),
                       ("send_copy", {"copy_received_on": D("2026-04-03")})]:
        with pytest.raises(Conflict) as again:
            act(case, office, step, on=D("2026-04-02"), **data)
        assert again.value.code == "reconsideration.state" and "不能再次" in again.value.message, step
    with pytest.raises(Conflict) as again:
        act(case, d01, "reply", on=D("2026-04-02"), files=reply_files())
    assert again.value.code == "reconsideration.state" and "已于" in again.value.message
    case.refresh_from_db()
    after = clock(case, "decide")
    assert (after.rule_id, after.due, after.start, after.events.count()) == (
        "reconsideration.decide", D("2026-05-29"), D("2026-03-10"), decide_before.events.count())
    assert case.procedure_kind == "normal" and case.accepted_on == D("2026-03-10")
    assert clock(case, "reply").status == Deadline.MET and clock(case, "reply").events.count() == reply_before.events.count()


@pytest.mark.django_db
def test_decided_without_reply_once_the_reply_period_passed(world):
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-03-02"))
    accept(case, office, D("2026-03-03"))
    # Copy received Wednesday 3/4: 10 working days → 3/18.
    act(case, office, "send_copy", on=D("2026-03-04"), copy_received_on=D("2026-03-04"))
    assert clock(case, "reply").due == D("2026-03-18")
    with pytest.raises(Conflict) as early:
        decide(case, office, D("2026-03-18"))
    assert "2026-03-18" in early.value.message and "答复" in early.value.message
    decide(case, office, D("2026-03-19"), outcome="revoke")  # 第70条: no reply, decided anyway
    case.refresh_from_db()
    assert case.status == "decided" and case.outcome == "revoke" and case.reply_on is None
    reply = clock(case, "reply")
    assert reply.status == Deadline.CANCELLED and reply.closed_on == D("2026-03-19")
    assert reply.events.last().reason == rules.REPLY_LATE_REASON


@pytest.mark.django_db
def test_suspension_pauses_every_running_clock(world):
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-03-02"))
    accept(case, office, D("2026-03-03"))
    act(case, office, "send_copy", on=D("2026-03-04"), copy_received_on=D("2026-03-05"))
    reply_due = clock(case, "reply").due
    assert reply_due == D("2026-03-19")
    case = services.suspend(case=case, actor=office, on=D("2026-03-09"), reason="force_majeure")
    assert {clock(case, p).paused_since for p in ("reply", "decide")} == {D("2026-03-09")}
    case = services.resume(case=case, actor=office, on=D("2026-03-16"))
    # 3/9–3/15 paused (7 days, 5 of them working days): the reply due moves by 5 working days to 3/26.
    assert clock(case, "reply").paused_since is None and clock(case, "reply").due == D("2026-03-26")
    assert clock(case, "decide").paused_since is None and clock(case, "decide").due == D("2026-05-09")


@pytest.mark.django_db
def test_late_correction_notice_closes_the_review_and_reopens_it(world):
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-03-02"))  # review due 3/9 (5 working days)
    assert clock(case, "accept").due == D("2026-03-09")
    act(case, office, "accept", on=D("2026-03-12"), outcome="correction", note="请补正", notice_received_on=D("2026-03-12"))
    review = clock(case, "accept")
    assert case.correction_notice_late is True
    assert review.status == Deadline.MET and review.late is True  # not a red, open review while correcting
    assert not Deadline.objects.filter(object_id=str(case.pk), purpose="reconsideration:accept",
                                       status=Deadline.OPEN).exists()
    case = services.correction_received(case=case, actor=office, on=D("2026-03-16"))
    review = clock(case, "accept")
    assert review.status == Deadline.OPEN and review.start == D("2026-03-16") and review.due == D("2026-03-23")


@pytest.mark.django_db
def test_case_acts_follow_the_rules(world):
    office, d01 = world.user("fzb"), world.user("d01")
    case = register(office, "D01", received=D("2026-03-02"))
    through_reply(case, office, d01, accepted=D("2026-03-03"), kind="simple")
    assert not rules.acts_allowed(case, None, D("2026-03-20"))["extend"]
    with pytest.raises(Conflict) as refused:
        services.extend(case=case, actor=office, days=10, approver="王主任", basis="复杂", notified_on=D("2026-03-20"))
    assert refused.value.code == "reconsideration.state" and "简易程序" in refused.value.message


@pytest.mark.django_db
def test_respondent_code_any_case_and_early_dates_refused(world):
    office = world.user("fzb")
    base = {"unit": "d01", "applicants": [{"name": "张三", "kind": "person"}], "act_name": "处罚决定",
            "applied_on": D("2026-06-01"), "received_on": D("2026-06-02"), "request": "撤销", "grounds": "理由"}
    for change, field in [({"applied_on": D("0001-01-01")}, "applied_on"),
                          ({"applied_on": D("1989-12-31"), "received_on": D("1989-12-31")}, "applied_on"),
                          ({"received_on": D("0001-01-01"), "applied_on": D("0001-01-01")}, "applied_on"),
                          ({"known_on": D("1980-05-01")}, "known_on")]:
        with pytest.raises(InvalidInput) as e:
            services.case_create(actor=office, data={**base, **change})
        assert e.value.field == field and "1990" in e.value.message, change
    assert services.case_create(actor=office, data=base).unit.code == "D01"
