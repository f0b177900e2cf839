"""People acting on a stored clock: the shared partial's forms posting to the one view /deadlines/<id>/<action>/,
and the API /api/v1/deadlines/{id}/pause|resume|restart|extend. Who may act (deadlines/rules.py), the due
date after each act against the hand-computed dates of test_clocks.py, refusals at the field, stale
submissions, the same-site `next`, and a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.testing.scoping import ScopedCases
from fazhi.deadlines import services
from fazhi.deadlines.models import ClockEvent, Deadline

D = date.fromisoformat
DECIDE_NAME = "复议决定(普通程序)"  # the name of reconsideration.decide, shown on the page


def clock(world, rule="reconsideration.decide", start="2025-01-02", unit="D01", purpose="decide") -> Deadline:
    u = world.unit(unit)
    return services.deadline_open(obj=u, unit=u, purpose=purpose, rule_id=rule, start=D(start), actor=world.user("fzb"))


def last_event(d: Deadline) -> int:
    return d.events.order_by("-id").values_list("id", flat=True).first()


def form_data(d: Deadline, action: str, next_url: str | None = None, **fields) -> dict:
    data = {f"c{d.pk}-{action}-{k}": v for k, v in fields.items()}
    data[f"c{d.pk}-{action}-last_event"] = fields.get("last_event", last_event(d))
    if next_url is not None:
        data["next"] = next_url
    return data


def act(client, d, action, next_url=None, **fields):
    return client.post(reverse("clock-action", args=[d.pk, action]), form_data(d, action, next_url, **fields))


def api(client, d, action, **body):
    return client.post(reverse(f"api:deadline-{action}", args=[d.pk]), body, content_type="application/json")


# ------------------------------------------------------------------ four cases for every URL


class ClockCases(ScopedCases):
    def marker(self, world, unit):
        return DECIDE_NAME

    def url(self, world, unit):
        self.clock = clock(world, unit=unit.code)
        return reverse("clock-detail", args=[self.clock.pk])


class TestClockPage(ClockCases):
    url_name = "clock-detail"


class TestClockAction(ClockCases):
    url_name = "clock-action"
    method = "post"

    def url(self, world, unit):
        self.clock = clock(world, unit=unit.code)
        return reverse("clock-action", args=[self.clock.pk, "pause"])

    def data(self, world, unit):
        return form_data(self.clock, "pause", on="2025-01-10", reason="等待鉴定")

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 302
        assert Deadline.objects.get(pk=self.clock.pk).state == "paused"


class TestClockApi(ClockCases):
    url_name = "api:deadline-detail"
    api = True

    def url(self, world, unit):
        self.clock = clock(world, unit=unit.code)
        return reverse("api:deadline-detail", args=[self.clock.pk])


class ApiActCases(ClockCases):
    api = True
    method = "post"
    action = ""
    body: dict = {}
    expected_state = "open"

    def url(self, world, unit):
        self.clock = clock(world, unit=unit.code)
        if self.action == "resume":
            services.deadline_pause(deadline=self.clock, on=D("2025-01-10"), reason="等待鉴定")
        return reverse(f"api:deadline-{self.action}", args=[self.clock.pk])

    def data(self, world, unit):
        return self.body

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200, response.content
        assert response.json()["state"] == self.expected_state
        assert Deadline.objects.get(pk=self.clock.pk).events.last().kind == self.action


class TestPauseApi(ApiActCases):
    url_name, action, expected_state = "api:deadline-pause", "pause", "paused"
    body = {"on": "2025-01-10", "reason": "等待鉴定"}


class TestResumeApi(ApiActCases):
    url_name, action = "api:deadline-resume", "resume"
    body = {"on": "2025-01-20"}


class TestRestartApi(ApiActCases):
    url_name, action = "api:deadline-restart", "restart"
    body = {"on": "2025-01-09", "reason": "收到补正材料"}


class TestExtendApi(ApiActCases):
    url_name, action = "api:deadline-extend", "extend"
    body = {"days": 30, "approver": "王主任", "basis": "行政复议法第六十二条"}


# ------------------------------------------------------------------ who may act


@pytest.mark.parametrize(("username", "pause", "extend"), [
    ("fzb", 302, 302),        # the office always
    ("d01", 302, 302),        # the clock unit's admin: every act
    ("leader", 403, 403),     # reads only
    ("inspector", 403, 403),  # reads only
    ("d02", 404, 404),        # another unit: not even seen
    ("nobody", 403, 403),     # no role
])
def test_who_may_act_on_the_page(world, username, pause, extend):
    d = clock(world)
    client = world.client(username)
    assert act(client, d, "extend", days=10, approver="王主任", basis="批准书").status_code == extend
    assert act(client, d, "pause", on="2025-01-10", reason="等待鉴定").status_code == pause
    expected = (["extend"] if extend == 302 else []) + (["pause"] if pause == 302 else [])
    assert list(d.events.exclude(kind="open").order_by("id").values_list("kind", flat=True)) == expected


def test_unit_staff_pause_resume_and_restart_but_do_not_enter_extensions(world):
    d = clock(world, unit="D01-ZD")  # d01-zd: staff of the 股室 D01-ZD
    staff = world.client("d01-zd")
    page = staff.get(reverse("clock-detail", args=[d.pk])).content.decode()
    assert 'data-action="pause"' in page and 'data-action="extend"' not in page
    assert act(staff, d, "pause", on="2025-01-10", reason="等待鉴定").status_code == 302
    assert act(staff, d, "resume", on="2025-01-20").status_code == 302
    assert act(staff, d, "extend", days=10, approver="王主任", basis="批准书").status_code == 403
    assert api(staff, d, "extend", days=10, approver="王主任", basis="批准书").status_code == 403
    assert api(staff, d, "restart", on="2025-01-21", reason="收到补正材料").status_code == 200
    # the unit above (D01's admin) may extend it
    assert api(world.client("d01"), d, "extend", days=10, approver="王主任", basis="批准书").status_code == 200


def test_readers_see_the_clock_without_forms(world):
    d = clock(world)
    for username in ("leader", "inspector"):
        page = world.client(username).get(reverse("clock-detail", args=[d.pk]))
        assert page.status_code == 200 and DECIDE_NAME in page.content.decode()
        assert "<form" not in page.content.decode().split('data-testid="clock"')[1]
        assert world.client(username).get(reverse("api:deadline-detail", args=[d.pk])).json()["actions"] == []
    assert api(world.client("leader"), d, "pause", on="2025-01-10", reason="x").status_code == 403
    assert api(world.client("d02"), d, "pause", on="2025-01-10", reason="x").status_code == 404


def test_the_service_asks_the_same_rule_when_given_a_user(world):
    from fazhi.core.errors import NotAllowed

    d = clock(world)
    with pytest.raises(NotAllowed):
        services.deadline_pause(deadline=d, on=D("2025-01-10"), reason="x", actor=world.user("leader"))
    assert d.events.count() == 1


# ------------------------------------------------------------------ effects (hand-computed in test_clocks.py)


def test_page_pause_resume_extend_around_spring_festival_2025(world):
    d = clock(world)
    d01 = world.client("d01")
    assert act(d01, d, "pause", on="2025-01-10", reason="申请人死亡, 等待继承人参加复议").status_code == 302
    d.refresh_from_db()
    assert d.state == "paused"
    page = d01.get(reverse("clock-detail", args=[d.pk])).content.decode()
    assert "暂停中" in page and "待恢复计算后确定" in page and 'data-action="resume"' in page
    act(d01, d, "resume", on="2025-01-20")
    d.refresh_from_db()
    assert d.due == D("2025-03-13")  # ten paused days 01-10..01-19
    page = d01.get(reverse("clock-detail", args=[d.pk])).content.decode()
    assert "中止 2025-01-10 至 2025-01-19" in page and "继承人" in page
    assert "最长延长 30日" in page and "reconsideration.extend" in page and "行政复议法" in page
    act(d01, d, "extend", days=30, approver="王主任", basis="行政复议法第六十二条, 批准书〔2025〕1号")
    d.refresh_from_db()
    assert d.due == D("2025-04-14")  # 30 days from 03-13 is Sat 04-12, rolled to Mon 04-14
    events = d01.get(reverse("clock-detail", args=[d.pk])).content.decode()
    assert "王主任" in events and "批准书〔2025〕1号" in events and "已延长 30日,尚可延长 0日" in events
    assert 'data-action="extend"' not in events  # nothing left to extend


def test_api_pause_then_restart_in_working_days_around_national_day_2026(world):
    d = clock(world, rule="reconsideration.accept", start="2026-09-28")
    assert d.due == D("2026-10-10")
    d01 = world.client("d01")
    body = api(d01, d, "pause", on="2026-09-30", reason="通知补正").json()
    assert body["state"] == "paused" and body["due"] is None and body["due_at_least"] == "2026-10-10"
    body = api(d01, d, "restart", on="2026-10-09", reason="收到补正材料", last_event=body["last_event"]).json()
    assert (body["start"], body["due"], body["state"]) == ("2026-10-09", "2026-10-15", "open")
    assert any("原起算日 2026-09-28" in line for line in body["explanation"])
    assert [e["kind"] for e in body["events"]] == ["open", "pause", "restart"]
    assert body["events"][2]["actor"] == "d01" and body["events"][2]["reason"] == "收到补正材料"
    detail = d01.get(reverse("api:deadline-detail", args=[d.pk])).json()
    assert detail["due"] == "2026-10-15" and detail["extension"] is None and "extend" not in detail["actions"]


def test_api_extension_in_working_days_counts_from_the_original_due(world):
    d = clock(world, rule="licence.decide", start="2026-02-02")
    body = api(world.client("fzb"), d, "extend", days=10, approver="李局长", basis="行政许可法第四十二条").json()
    assert body["due"] == "2026-03-20"  # 10 working days after 03-06: 09..13, 16..20
    assert body["extension"] == {"rule": "licence.extend", "basis": body["extension"]["basis"], "maximum": 10,
                                 "used": 10, "left": 0}


# ------------------------------------------------------------------ refusals at the field, input kept


def test_page_refusals_are_shown_at_the_field_keeping_the_input(world):
    d = clock(world)
    d01 = world.client("d01")
    bad = act(d01, d, "pause", on="2024-12-01", reason="等待鉴定")
    html = bad.content.decode()
    assert bad.status_code == 400
    assert f'id="id_c{d.pk}-pause-on_error"' in html and "早于起算日 2025-01-02" in html
    assert 'value="2024-12-01"' in html and "等待鉴定" in html
    bad = act(d01, d, "extend", days=31, approver="王主任", basis="批准书")
    html = bad.content.decode()
    assert bad.status_code == 400 and f'id="id_c{d.pk}-extend-days_error"' in html
    assert "reconsideration.extend" in html and "行政复议法" in html and 'value="王主任"' in html
    bad = act(d01, d, "resume", on="2025-01-20")
    assert bad.status_code == 400 and "期限未中止, 无需恢复计算" in bad.content.decode()
    bad = act(d01, d, "pause", on="2025-13-01", reason="")
    html = bad.content.decode()
    assert "「中止起始日」日期格式错误,请使用 YYYY-MM-DD" in html and "「中止原因」请填写中止的原因" in html
    no_max = clock(world, rule="litigation.answer", start="2025-09-16", purpose="answer")
    bad = act(d01, no_max, "extend", days=1, approver="王主任", basis="批准书")
    assert bad.status_code == 400 and "litigation.answer" in bad.content.decode() and "不能延长" in bad.content.decode()
    assert ClockEvent.objects.exclude(kind="open").count() == 0  # nothing written by a refusal
    assert act(d01, d, "close", on="2025-01-20").status_code == 404  # not an act of this view


def test_api_refusals_in_the_api_format(world):
    d = clock(world)
    d01 = world.client("d01")
    r = api(d01, d, "extend", days=31, approver="王主任", basis="批准书")
    assert r.status_code == 400 and "reconsideration.extend" in r.json()["errors"]["days"][0]
    r = api(d01, d, "resume", on="2025-01-20")
    assert r.status_code == 400 and r.json()["errors"] == {"on": ["期限未中止, 无需恢复计算"]}
    r = api(d01, d, "pause", on="2025-01-10")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = api(d01, d, "pause", on="0500-01-10", reason="x")
    assert r.status_code == 400 and "1900 至 2200" in r.json()["detail"]
    r = api(d01, d, "extend", days="10", approver="王主任", basis="批准书")
    assert r.status_code == 400 and "days" in r.json()["errors"]


# ------------------------------------------------------------------ stale and repeated submissions


def test_a_repeated_or_stale_submission_is_refused_not_applied_twice(world):
    d = clock(world)
    d01 = world.client("d01")
    data = form_data(d, "pause", on="2025-01-10", reason="等待鉴定")
    url = reverse("clock-action", args=[d.pk, "pause"])
    assert d01.post(url, data).status_code == 302
    again = d01.post(url, data)  # the same form sent twice (double click, back button)
    html = again.content.decode()
    assert again.status_code == 409 and "该期限已有新的变更" in html and "等待鉴定" in html
    assert d.events.filter(kind="pause").count() == 1
    # the form shown again carries the clock's latest state
    assert f'name="c{d.pk}-pause-last_event" value="{last_event(d)}"' in html
    r = api(d01, d, "resume", on="2025-01-20", last_event=last_event(d) - 1)
    assert r.status_code == 409 and r.json()["code"] == "deadline.stale" and "last_event" in r.json()["errors"]
    assert d.events.filter(kind="resume").count() == 0
    assert api(d01, d, "resume", on="2025-01-20", last_event=last_event(d)).status_code == 200


# ------------------------------------------------------------------ back to a same-site page only


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                                      "http://testserver/worklist/", "/worklist/\r\nSet-Cookie: x=1"])
def test_no_open_redirect(world, next_url):
    d = clock(world)
    response = act(world.client("d01"), d, "pause", next_url, on="2025-01-10", reason="等待鉴定")
    assert response.status_code == 302 and response["Location"] == reverse("clock-detail", args=[d.pk])


def test_back_to_the_record_page(world):
    d = clock(world)
    response = act(world.client("d01"), d, "pause", "/worklist/?state=open", on="2025-01-10", reason="等待鉴定")
    assert response["Location"] == "/worklist/?state=open"


# ------------------------------------------------------------------ the partial on a record page


def test_the_public_submission_page_shows_its_clocks_through_the_partial(world):
    from fazhi.portal.tests.test_pages import receive

    submission, _ = receive()
    page = world.client("fzb").get(reverse("submission-detail", args=[submission.pk])).content.decode()
    assert 'data-testid="clock"' in page and "交办(受理):" in page and 'data-action="pause"' in page
    path = reverse("submission-detail", args=[submission.pk])
    assert f'name="next" value="{path}"' in page


def _render_clocks(user, deadlines) -> tuple[str, int]:
    request = RequestFactory().get("/x/")
    request.user = user
    template = Template("{% load deadlines_clock %}{% clocks deadlines %}")
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"request": request, "deadlines": deadlines}))
    return html, len(ctx.captured_queries)


@pytest.mark.parametrize("username", ["fzb", "d01"])
def test_queries_do_not_grow_with_clocks_and_events(world, username):
    one = [clock(world)]
    many = [clock(world, purpose=f"p{i}") for i in range(4)]
    for d in many:
        services.deadline_pause(deadline=d, on=D("2025-01-10"), reason="等待鉴定")
        services.deadline_resume(deadline=d, on=D("2025-01-20"))
        services.deadline_extend(deadline=d, days=5, approver="王主任", basis="批准书", on=D("2025-02-01"))
    user = world.user(username)
    html_one, n_one = _render_clocks(world.user(username), [Deadline.objects.get(pk=one[0].pk)])
    html_many, n_many = _render_clocks(user, list(Deadline.objects.filter(pk__in=[d.pk for d in many])))
    assert html_many.count('data-testid="clock"') == 4 and "王主任" in html_many
    assert n_one == n_many <= 4
