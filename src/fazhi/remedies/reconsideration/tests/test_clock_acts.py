"""A case's clocks change only through the case (中止/恢复/延长/终止 record their statutory reason and the status):
the generic clock forms and API refuse them, naming where to act; the case's own acts still work."""

from datetime import date

import pytest

from fazhi.remedies.reconsideration import services
from fazhi.remedies.reconsideration.scripted import register

D = date.fromisoformat


@pytest.mark.django_db
def test_generic_clock_acts_refused_case_acts_work(world, client):
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-11-02"))
    accept = services.clock(case, "accept")
    client.force_login(office)

    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert f'action="/deadlines/{accept.pk}/' not in page.content.decode()  # no generic 中止/重新起算 forms

    api = client.post(f"/api/v1/deadlines/{accept.pk}/pause/", {"on": "2026-11-03", "reason": "x"},
                      content_type="application/json")
    assert api.status_code == 403 and "行政复议案件" in api.json()["detail"]
    web = client.post(f"/deadlines/{accept.pk}/pause/", {"on": "2026-11-03", "reason": "x"})
    assert web.status_code == 403
    accept.refresh_from_db()
    assert accept.paused_since is None and accept.events.count() == 1

    detail = client.get(f"/api/v1/deadlines/{accept.pk}/").json()
    assert detail["actions"] == []


@pytest.mark.django_db
def test_a_step_the_state_refuses_shows_why_instead_of_a_form(world, client):
    from fazhi.remedies.reconsideration.scripted import act

    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-11-02"))
    act(case, office, "accept", on=D("2026-11-03"), outcome="correction", note="请补充身份证明",
        notice_received_on=D("2026-11-04"))
    client.force_login(office)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-step="accept" data-blocked="true"' in html
    assert "暂不能办理:申请人正在补正" in html
    assert 'novalidate data-step="accept"' not in html  # no form that the case would refuse


@pytest.mark.django_db
def test_a_refused_case_act_comes_back_with_what_was_typed_at_its_field(world, client):
    from fazhi.remedies.reconsideration.scripted import act

    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-11-02"))
    act(case, office, "accept", on=D("2026-11-03"), outcome="correction", note="请补充身份证明",
        notice_received_on=D("2026-11-04"))
    case.refresh_from_db()
    client.force_login(office)
    # The material cannot arrive before the notice was received: the service refuses, naming the field.
    response = client.post(f"/remedies/reconsiderations/{case.pk}/acts/correction_received/",
                           {"on": "2026-11-01", "version": case.version})
    assert response.status_code == 303
    html = client.get(case.get_absolute_url()).content.decode()
    form = html.split('data-act="correction_received"', 1)[1].split("</form>", 1)[0]
    assert 'value="2026-11-01"' in form and "is-invalid" in form
    again = client.get(case.get_absolute_url()).content.decode()  # shown once, then the form is fresh
    assert "is-invalid" not in again.split('data-act="correction_received"', 1)[1].split("</form>", 1)[0]


@pytest.mark.django_db
def test_a_planned_hearing_puts_the_notice_day_on_the_timeline(world, client, monkeypatch):
    """安排听证 opens reconsideration.hearing_notice counted back from the planned day (five working days before,
    第51条): 2026-12-14 (Monday) → notify by Monday 2026-12-07 (12/8–12/11 and the hearing day 12/14 are the five);
    送达听证通知 closes it on time or late."""
    from fazhi.remedies.reconsideration import rules
    from fazhi.remedies.reconsideration.scripted import accept

    monkeypatch.setattr(rules, "today", lambda: D("2026-12-01"))
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-11-02"))
    accept(case, office, D("2026-11-03"))
    case.refresh_from_db()
    case = services.schedule_hearing(case=case, actor=office, on=D("2026-12-14"), place="区政府第三会议室",
                                     expected_version=case.version)
    notice = services.clock(case, rules.HEARING_NOTICE)
    assert notice.status == "open" and notice.due == D("2026-12-07")
    client.force_login(office)
    assert "复议听证通知" in client.get(case.get_absolute_url()).content.decode()
    # Suspending leaves this counted-back clock alone (it cannot be paused) and does not fail.
    case = services.suspend(case=case, actor=office, on=D("2026-12-01"), reason=rules.SUSPEND_REASONS[0][0],
                            expected_version=case.version)
    monkeypatch.setattr(rules, "today", lambda: D("2026-12-02"))
    case = services.resume(case=case, actor=office, on=D("2026-12-02"), expected_version=case.version)
    case = services.hearing_notice_sent(case=case, actor=office, on=D("2026-12-02"), expected_version=case.version)
    notice.refresh_from_db()
    assert notice.status == "met" and notice.late is False and case.hearing_notice_late is False
