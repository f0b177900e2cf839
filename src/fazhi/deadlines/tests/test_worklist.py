"""The one work list (deadlines/worklist.py) and the one warning rule (deadlines/rules.py)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fazhi.core.testing.scoping import ScopedCases
from fazhi.deadlines import rules, services, worklist
from fazhi.deadlines.models import Deadline
from fazhi.programme import rules as programme_rules
from fazhi.programme.models import FILING_RETURNED, Assignment, WorkPlanFiling
from fazhi.programme.tests.conftest import assignment, programme  # noqa: F401 (fixtures)

API = "/api/v1/deadlines/"
PAGE = "/worklist/"


@pytest.fixture
def linked(monkeypatch):
    """Clocks on assignments link to the assignment page, as a module's AppConfig.ready would say."""
    monkeypatch.setitem(worklist.RECORDS, "programme.assignment",
                        worklist.RecordLink("programme.assignment", "任务期限", "assignment-detail", "period_label"))


def clock_on(a, start, purpose="reply", rule="licence.decide"):
    return services.deadline_open(obj=a, unit=a.unit, purpose=purpose, rule_id=rule, start=start)


def api_rows(client, query=""):
    response = client.get(API + query)
    assert response.status_code == 200, response.content[:400]
    return response.json()


@override_settings(FAZHI={**__import__("django.conf").conf.settings.FAZHI, "WARNING_DAYS": 3})
def test_one_warning_rule_boundaries_due_today_is_not_overdue():
    today = timezone.localdate()
    day = timedelta(days=1)
    assert [rules.level(today + k * day, today) for k in (-1, 0, 3, 4)] == ["red", "yellow", "yellow", ""]
    assert rules.level(None, today) == ""
    # the programme asks the same rule; a submitted or done assignment owes nothing
    assert programme_rules.warning_level(status="not_started", due=today - day, today=today) == "red"
    assert programme_rules.warning_level(status="not_started", due=today, today=today) == "yellow"
    assert programme_rules.warning_level(status="submitted", due=today - day, today=today) == ""
    assert programme_rules.warning_days() == rules.warning_days() == 3


def test_each_source_appears_with_type_id_link_and_level(world, assignment, linked):  # noqa: F811
    today = timezone.localdate()
    clock = clock_on(assignment, today - timedelta(days=60))  # long overdue
    data = api_rows(world.client("d01"), "?page_size=200")
    kinds = {r["record_type"] for r in data["results"]}
    assert {"programme.assignment", "programme.workplan"} <= kinds
    row = next(r for r in data["results"] if r["record_type"] == "programme.assignment" and r["type_label"] == "任务期限")
    assert row["record_id"] == str(assignment.pk) and row["url"] == f"/programme/assignments/{assignment.pk}/"
    assert row["due"] == clock.due.isoformat() and row["level"] == "red" and row["unit"] == "D01"
    assert "行政许可决定" in row["title"]
    plan = next(r for r in data["results"] if r["record_type"] == "programme.workplan")
    assert plan["url"] == "/programme/workplans/D01/" and plan["state"] == "unfiled" and plan["record_id"] == "D01"
    task = next(r for r in data["results"] if r["record_type"] == "programme.assignment" and r["type_label"] == "创建任务"
                and r["record_id"] == str(assignment.pk))
    assert task["title"].startswith("1.1 ") and task["url"] == f"/programme/assignments/{assignment.pk}/"
    assert data["count"] == len(data["results"]) == worklist.worklist_counts(
        user=world.user("d01"), today=today)["open"]
    # the page shows the same rows
    body = world.client("d01").get(PAGE + "?page_size=200").content.decode()
    assert 'data-record="programme.workplan:D01"' in body and "任务期限" in body


def test_a_filing_is_owed_until_filed_and_again_once_returned(world, programme):  # noqa: F811
    def owed():
        return [r["record_id"] for r in api_rows(world.client("d01"), "?page_size=200")["results"]
                if r["record_type"] == "programme.workplan"]

    assert owed() == ["D01"]
    filing = WorkPlanFiling.objects.create(
        programme=programme, unit=world.unit("D01"), head_name="张", head_phone="1", deputy_name="李", deputy_phone="2",
        due=programme.start, filed_at=timezone.now(), filed_by=world.user("d01"))
    assert owed() == []
    WorkPlanFiling.objects.filter(pk=filing.pk).update(status=FILING_RETURNED)
    rows = [r for r in api_rows(world.client("d01"), "?page_size=200")["results"] if r["record_type"] == "programme.workplan"]
    assert [(r["record_id"], r["state"]) for r in rows] == [("D01", "returned")]


def test_a_paused_clock_is_never_overdue_and_has_no_due_date(world, assignment, linked):  # noqa: F811
    today = timezone.localdate()
    clock = clock_on(assignment, today - timedelta(days=60))
    services.deadline_pause(deadline=clock, on=today - timedelta(days=50), reason="等待鉴定结论")
    client = world.client("d01")
    ids = lambda data: [r["record_id"] for r in data["results"] if r["type_label"] == "任务期限"]  # noqa: E731
    assert ids(api_rows(client, "?state=overdue&page_size=200")) == []
    row = next(r for r in api_rows(client, "?page_size=200")["results"] if r["type_label"] == "任务期限")
    assert (row["due"], row["state"], row["level"], row["state_label"]) == (None, "paused", "", "暂停中")
    services.deadline_resume(deadline=Deadline.objects.get(pk=clock.pk), on=today - timedelta(days=45))
    assert ids(api_rows(client, "?state=overdue&page_size=200")) == [str(assignment.pk)]


def test_states_filter_and_counts_agree(world, programme):  # noqa: F811
    today = timezone.localdate()
    client = world.client("fzb")
    counts = worklist.worklist_counts(user=world.user("fzb"), today=today)
    for state in ("open", "overdue", "due_soon"):
        data = api_rows(client, f"?state={state}&page_size=200")
        assert data["count"] == counts[state]
        levels = {r["level"] for r in data["results"]}
        assert levels <= {"open": {"red", "yellow", ""}, "overdue": {"red"}, "due_soon": {"yellow"}}[state], state
    # the assignments' part of the counts is the programme's own (tally) count of owed work
    owed = Assignment.objects.filter(programme=programme, status__in=("not_started", "in_progress", "returned"))
    assert counts["overdue"] >= owed.filter(programme_rules.overdue_q(today)).count() > 0


def test_scoping_per_role_and_another_unit(world, programme):  # noqa: F811
    d01 = api_rows(world.client("d01"), "?page_size=200")
    assert d01["count"] > 0 and {r["unit"] for r in d01["results"]} == {"D01"}
    for username in ("fzb", "leader", "inspector"):
        assert {r["unit"] for r in api_rows(world.client(username), "?unit=D02&page_size=200")["results"]} == {"D02"}
    assert world.client("nobody").get(API).status_code == 403  # no role: the API's rule for everyone
    assert world.client("nobody").get(PAGE).status_code == 403
    for query, field, words in [("?unit=D02", "unit", "未找到单位「D02」"), ("?state=late", "state", "未知的状态「late」"),
                                ("?unit=%E5%8D%95", "unit", "单位代码")]:
        response = world.client("d01").get(API + query)
        assert response.status_code == 400, query
        body = response.json()
        assert field in body["errors"] and words in body["detail"], body
        page = world.client("d01").get(PAGE + query)
        assert page.status_code == 400 and words in page.content.decode()
    assert world.client("d01").get(API, {"unit": "D01", "state": ""}).status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
    return len(ctx)


@pytest.mark.parametrize("username", ["fzb", "d01"])
def test_list_page_and_api_cost_the_same_for_one_and_many_clocks(world, programme, linked, username):  # noqa: F811
    today = timezone.localdate()
    client = world.client(username)
    owed = list(Assignment.objects.filter(programme=programme, unit__code="D01").order_by("id"))
    urls = [PAGE, PAGE + "?state=overdue", API + "?page_size=200", API + "?state=overdue&unit=D01", "/"]
    clock_on(owed[0], today - timedelta(days=40))
    one = [count_queries(client, u) for u in urls]
    for i in range(40):
        clock_on(owed[i % len(owed)], today - timedelta(days=i), purpose=f"p{i}")
    many = [count_queries(client, u) for u in urls]
    assert Deadline.objects.count() >= 30
    assert one == many


def test_remind_covers_every_open_deadline_once(world, assignment, linked):  # noqa: F811
    today = timezone.localdate()
    overdue_clock = clock_on(assignment, today - timedelta(days=60))
    paused = clock_on(assignment, today - timedelta(days=60), purpose="paused")
    services.deadline_pause(deadline=paused, on=today - timedelta(days=55), reason="中止")
    clock_on(assignment, today, purpose="fresh")
    out = StringIO()
    call_command("remind", stdout=out)
    text = out.getvalue()
    assert "逾期任务" in text and "逾期期限 1" in text, text
    from fazhi.core.models import Event

    events = Event.objects.filter(verb="deadline.overdue")
    assert [e.object_id for e in events] == [str(overdue_clock.pk)]
    assert "行政许可决定" in events.get().summary
    out = StringIO()
    call_command("remind", stdout=out)
    assert "逾期期限 0" in out.getvalue() and Event.objects.filter(verb="deadline.overdue").count() == 1


class TestWorkListPage(ScopedCases):
    """A clock on the unit record D01 is D01's own: the unit sees it, another unit does not."""

    url_name = "worklist"
    is_list = True

    def url(self, world, unit):
        services.deadline_open(obj=unit, unit=unit, purpose="t", rule_id="licence.decide", start=timezone.localdate())
        return PAGE

    def marker(self, world, unit):
        return 'data-record="org.unit:'


class TestWorkListApi(TestWorkListPage):
    url_name = "api:deadline-list"
    api = True

    def url(self, world, unit):
        super().url(world, unit)
        return API

    def marker(self, world, unit):
        return '"record_type":"org.unit"'
