"""Public consultation (公开征求意见): the minimum period from the deadline engine, the shorter period with its
reason, one at a time, opinions straight to the drafting unit while open, the adoption answer and what keeps
the consultation from counting as done."""

import re
from datetime import date

import pytest

from fazhi.core.errors import InvalidInput, NotAllowed, StaleEdit
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.services import deadline_compute
from fazhi.portal import rules, selectors, services
from fazhi.portal.models import (
    ADOPTED, ASSIGNED, CLOSED, NOT_ADOPTED, NOT_STARTED, OPEN, OPINION, PARTLY, REPLIED, Consultation,
)
from fazhi.programme.tests.conftest import programme  # noqa: F401  (fixture)

MON = date(2026, 5, 11)  # a Monday with no holiday in the next two weeks


def open_(world, target, *, unit="D01", user="d01", rule_id="normdoc.consult", starts_on=MON, ends_on=None,
          today=MON, **kw):
    ends_on = ends_on or deadline_compute(rule_id, starts_on).due
    return services.consultation_open(target=target, unit=world.unit(unit), title=kw.pop("title", "关于城市管理的规定(征求意见稿)"),
                                      text=kw.pop("text", "第一条 为了规范城市管理……"), rule_id=rule_id,
                                      starts_on=starts_on, ends_on=ends_on, actor=world.user(user), today=today, **kw)


def opinion(consultation, today, content="建议第一条增加「依法」二字。我的电话 13912345678。", ip="203.0.113.20", **contact):
    return services.opinion_receive(target=consultation, unit=consultation.unit, title="对第一条的意见",
                                    content=content, contact=contact or {"name": "张明", "phone": "13912345678"},
                                    files=[], ip=ip, today=today)


@pytest.mark.parametrize("rule_id, start, earliest", [
    ("normdoc.consult", MON, date(2026, 5, 20)),  # 7 working days, the start day not counted
    # Across 国庆: 9-29, 9-30, then 10-1 … 10-7 are holidays; 10-9 (Fri), 10-10 (调休 Sat), 10-12, 10-13.
    ("normdoc.consult", date(2026, 9, 28), date(2026, 10, 13)),
    ("normdoc.consult_business", MON, date(2026, 6, 10)),
    ("decision.consult", MON, date(2026, 6, 10)),
])
def test_a_period_shorter_than_the_rule_is_refused_naming_the_end_date_and_the_earliest_day(
        world, programme, rule_id, start, earliest):  # noqa: F811
    assert deadline_compute(rule_id, start).due == earliest  # the engine's answer is the earliest day
    with pytest.raises(InvalidInput) as e:
        open_(world, programme, rule_id=rule_id, starts_on=start, ends_on=date.fromordinal(earliest.toordinal() - 1),
              today=start)
    assert e.value.field == ("shorter_reason" if rule_id == "decision.consult" else "ends_on")
    assert f"截止日期不得早于 {earliest:%Y-%m-%d}" in e.value.message or f"截止日期早于 {earliest:%Y-%m-%d}" in e.value.message
    consultation = open_(world, programme, rule_id=rule_id, starts_on=start, ends_on=earliest, today=start)
    assert (consultation.starts_on, consultation.ends_on, consultation.shorter_reason) == (start, earliest, "")


def test_a_normative_document_period_is_never_shorter_even_with_a_reason(world, programme):  # noqa: F811
    with pytest.raises(InvalidInput, match="不得缩短") as e:
        open_(world, programme, ends_on=date(2026, 5, 15), shorter_reason="情况紧急")
    assert e.value.field == "ends_on" and "2026-05-20" in e.value.message and "法治政府建设示范指标" in e.value.message


def test_a_decision_period_may_be_shorter_only_with_the_reason_stated(world, programme):  # noqa: F811
    with pytest.raises(InvalidInput, match="缩短理由") as e:
        open_(world, programme, rule_id="decision.consult", ends_on=date(2026, 5, 25))
    assert "2026-06-10" in e.value.message and "第15条" in e.value.message
    consultation = open_(world, programme, rule_id="decision.consult", ends_on=date(2026, 5, 25),
                         shorter_reason="防汛工程须在汛期前开工,情况紧急")
    assert consultation.shorter_reason == "防汛工程须在汛期前开工,情况紧急"
    from fazhi.core.models import Event

    event = Event.objects.for_object(consultation).get(verb="portal.consultation_opened")
    assert "(缩短)" in event.summary and event.reason == consultation.shorter_reason
    # A reason given for a period that is not shorter is not kept: there is nothing to justify.
    again = open_(world, world.unit("D02"), rule_id="decision.consult", shorter_reason="无")
    assert again.shorter_reason == ""


@pytest.mark.parametrize("kwargs, field, message", [
    ({"title": " "}, "title", "请填写标题"),
    ({"text": ""}, "text", "请填写征求意见稿"),
    ({"rule_id": "normdoc.file"}, "rule_id", "征求意见的期限规则应为"),
    ({"starts_on": "2026-13-01", "ends_on": date(2026, 6, 30)}, "starts_on", "格式为 YYYY-MM-DD"),
    ({"starts_on": date(2026, 5, 8)}, "starts_on", "开始日期不能早于今天(2026-05-11)"),
    ({"ends_on": MON}, "ends_on", "截止日期应晚于开始日期"),
])
def test_bad_input_names_the_field(world, programme, kwargs, field, message):  # noqa: F811
    if kwargs.get("rule_id") == "normdoc.file":
        with pytest.raises(InvalidInput, match=re.escape(message)) as e:
            services.consultation_open(target=programme, unit=world.unit("D01"), title="t", text="x",
                                       rule_id="normdoc.file", starts_on=MON, ends_on=date(2026, 6, 30),
                                       actor=world.user("d01"), today=MON)
    else:
        with pytest.raises(InvalidInput, match=re.escape(message)) as e:
            open_(world, programme, **kwargs)
    assert e.value.field == field


def test_only_the_drafting_unit_or_the_office_opens_and_one_at_a_time(world, programme):  # noqa: F811
    for username in ("d02", "leader", "inspector", "nobody"):
        with pytest.raises(NotAllowed):
            open_(world, programme, user=username)
    first = open_(world, programme)
    with pytest.raises(InvalidInput, match=re.escape("已有征求意见(2026-05-11 至 2026-05-20)")) as e:
        open_(world, programme, user="fzb", starts_on=date(2026, 5, 12), today=date(2026, 5, 12))
    assert e.value.field == "starts_on"
    # Once it has ended, a second round may be opened; consultation_for gives the latest.
    second = open_(world, programme, starts_on=date(2026, 5, 21), today=date(2026, 5, 21))
    assert services.consultation_for(programme) == second != first
    assert services.consultation_for(world.unit("D05")) is None


def test_state_follows_the_dates(world, programme):  # noqa: F811
    c = open_(world, programme, starts_on=date(2026, 5, 12))
    assert [c.state(d) for d in (MON, date(2026, 5, 12), date(2026, 5, 21), date(2026, 5, 22))] == [
        NOT_STARTED, OPEN, OPEN, CLOSED]
    assert c.public_code and not c.public_code.isdigit() and len(c.public_code) == rules.PUBLIC_CODE_LEN


def test_an_opinion_goes_straight_to_the_drafting_unit_with_its_handling_clock(world, programme):  # noqa: F811
    c = open_(world, programme)
    submission, code = opinion(c, today=date(2026, 5, 12))
    assert submission.kind == OPINION and submission.status == ASSIGNED and submission.unit.code == "D01"
    assert submission.assigned_at is not None and submission.target_id == str(c.pk) and code
    assert selectors.clock_of(submission, rules.ACCEPT_PURPOSE) is None  # nothing for the office to assign
    handle = selectors.clock_of(submission, rules.HANDLE_PURPOSE)
    assert (handle.rule_id, handle.unit.code, handle.start, handle.status) == (
        "complaint.handle", "D01", date(2026, 5, 12), Deadline.OPEN)
    # An opinion is answered with its adoption, not with the suggestions' reply.
    assert not rules.can_reply(world.user("d01"), submission)


@pytest.mark.parametrize("today, message", [
    (date(2026, 5, 21), "已于 2026-05-20(截止日期)截止"),
    (date(2026, 5, 10), "于 2026-05-11 开始"),
])
def test_an_opinion_outside_the_period_is_refused(world, programme, today, message):  # noqa: F811
    c = open_(world, programme)
    with pytest.raises(InvalidInput, match=re.escape(message)) as e:
        opinion(c, today=today)
    assert e.value.field == "ends_on"
    assert not selectors.opinions_of(c).exists()
    opinion(c, today=date(2026, 5, 20))  # the last day still counts


def test_answer_needs_a_reason_unless_adopted_and_keeps_history(world, programme):  # noqa: F811
    c = open_(world, programme)
    s, _ = opinion(c, today=MON)
    for adoption in (PARTLY, NOT_ADOPTED):
        with pytest.raises(InvalidInput, match="须说明理由") as e:
            services.opinion_answer(submission=s, adoption=adoption, reason=" ", actor=world.user("d01"),
                                    expected_version=s.version)
        assert e.value.field == "reason"
    with pytest.raises(InvalidInput, match="请选择采纳情况") as e:
        services.opinion_answer(submission=s, adoption="maybe", reason="", actor=world.user("d01"),
                                expected_version=s.version)
    assert e.value.field == "adoption"
    for username in ("d02", "d01-zd", "leader", "inspector"):
        with pytest.raises(NotAllowed):
            services.opinion_answer(submission=s, adoption=ADOPTED, reason="", actor=world.user(username),
                                    expected_version=s.version)
    s = services.opinion_answer(submission=s, adoption=ADOPTED, reason="", actor=world.user("d01"),
                                expected_version=s.version)
    assert (s.status, s.adoption) == (REPLIED, ADOPTED)
    assert selectors.clock_of(s, rules.HANDLE_PURPOSE).status == Deadline.MET
    with pytest.raises(StaleEdit):
        services.opinion_answer(submission=s, adoption=NOT_ADOPTED, reason="与上位法不一致", actor=world.user("fzb"),
                                expected_version=s.version - 1)
    s = services.opinion_answer(submission=s, adoption=PARTLY, reason="第一条已修改,其余不涉及",
                                actor=world.user("fzb"), expected_version=s.version)
    reasons = list(s.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["反馈采纳情况:采纳", "修改采纳情况:部分采纳"]


def test_missing_until_the_period_is_over_and_every_opinion_answered(world, programme):  # noqa: F811
    c = open_(world, programme)
    assert services.consultation_missing(c, today=MON) == ["征求意见期至 2026-05-20 届满"]
    a, _ = opinion(c, today=MON)
    opinion(c, today=MON, ip="203.0.113.21")
    assert services.consultation_missing(c, today=date(2026, 5, 21)) == ["尚有 2 条意见未反馈采纳情况"]
    assert services.consultation_missing(c, today=date(2026, 5, 20)) == [
        "征求意见期至 2026-05-20 届满", "尚有 2 条意见未反馈采纳情况"]
    for s in selectors.opinions_of(c):
        services.opinion_answer(submission=s, adoption=NOT_ADOPTED, reason="不属于本文件调整范围",
                                actor=world.user("d01"), expected_version=s.version)
    assert services.consultation_missing(c, today=date(2026, 5, 21)) == []
    assert services.consultation_missing(None) == ["尚未公开征求意见"]


def test_the_public_adoption_table_is_masked_and_the_staff_one_is_not(world, programme):  # noqa: F811
    c = open_(world, programme)
    s, _ = opinion(c, today=MON, content="张明建议:第三条写明投诉电话 0915-3212345,我的身份证 610102199001011234。",
                   name="张明", email="zm@example.com")
    services.opinion_answer(submission=s, adoption=PARTLY, reason="采纳张明的意见,电话另行公布。",
                            actor=world.user("d01"), expected_version=s.version)
    opinion(c, today=MON, ip="203.0.113.30")
    public = selectors.adoption_table(c, public=True)
    assert [(r.no, r.adoption_label) for r in public] == [(1, "部分采纳"), (2, "待反馈")]
    row = public[0]
    assert row.content == "张**建议:第三条写明投诉电话 0915-****45,我的身份证 610102********1234。"
    assert row.reason == "采纳张**的意见,电话另行公布。" and row.tracking_no == "" and row.submission is None
    staff = selectors.adoption_table(c, public=False)
    assert "0915-3212345" in staff[0].content and staff[0].tracking_no == s.tracking_no and staff[0].submission == s


def test_public_list_shows_started_ones_open_first(world, programme):  # noqa: F811
    today = date(2026, 6, 1)
    closed = open_(world, programme, starts_on=MON)
    running = open_(world, world.unit("D01"), starts_on=date(2026, 5, 25), today=date(2026, 5, 25))
    later = open_(world, world.unit("D02"), unit="D02", user="d02", starts_on=date(2026, 6, 2), today=today)
    assert list(selectors.consultations_public(today=today)) == [running, closed]
    assert list(selectors.consultations_public(state=OPEN, today=today)) == [running]
    assert list(selectors.consultations_public(state=CLOSED, today=today)) == [closed]
    assert selectors.consultation_public_get(later.public_code, today=today) is None
    assert selectors.consultation_public_get(running.public_code, today=today) == running
    assert Consultation.objects.count() == 3


def test_demo_loads_a_closed_and_an_open_round_once(world, programme):  # noqa: F811
    from fazhi.portal import demo

    first, second = demo.consultations_load(programme)
    assert first.is_closed and second.is_open
    assert [r.adoption for r in selectors.adoption_table(first, public=True)] == [ADOPTED, PARTLY, NOT_ADOPTED]
    assert services.consultation_missing(first) == []
    assert [r.adoption_label for r in selectors.adoption_table(second, public=True)] == ["待反馈"]
    assert len(demo.consultations_load(programme)) == 2 and Consultation.objects.count() == 2


def test_an_opinion_on_any_record_goes_to_the_unit_named(world, programme):  # noqa: F811
    """After publication (a normative document in force) there is no period: the caller's view decides the
    public may see the record; the opinion goes to the unit it names and is answered the same way."""
    s, _ = services.opinion_receive(target=programme, unit=world.unit("D02"), title="对已公布文件的意见",
                                    content="第五条与上位法不一致。", contact={}, files=[], ip="203.0.113.90")
    assert (s.kind, s.status, s.unit.code, s.target_id) == (OPINION, ASSIGNED, "D02", str(programme.pk))
    s = services.opinion_answer(submission=s, adoption=NOT_ADOPTED, reason="经核,与上位法一致", actor=world.user("d02"),
                                expected_version=s.version)
    assert s.adoption == NOT_ADOPTED
    with pytest.raises(InvalidInput, match="未指定接收意见的单位"):
        services.opinion_receive(target=programme, unit=None, title="t", content="c", contact={}, files=[],
                                 ip="203.0.113.91")
