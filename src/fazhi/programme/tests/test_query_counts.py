"""Every list's query count is the same for 5 and for 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.programme import services
from fazhi.programme.tests.conftest import pdf


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return len(ctx)


def grow(world, programme, n):
    """n more assignments for D01, each with a submitted report (fills every list)."""
    from fazhi.org.models import Unit

    units = {u.code: u for u in Unit.objects.all()}
    d01 = world.user("d01")
    for i in range(n):
        task, _, _ = services.task_upsert(programme=programme, units_by_code=units, row={
            "code": f"X{i}", "category": f"类{i % 3}", "title": f"任务{i}", "requirement": "", "lead_spec": "D01",
            "responsible_spec": "D01", "due_kind": "phase", "due_phase": "implementation", "due_month_day": "",
            "report_period": "", "evidence": ""})
        a = task.assignments.get()
        services.report_submit(assignment=a, actor=d01, text="进展", files=[pdf()], expected_version=a.version)


PAGES = ["programme-table", "programme-worklist", "programme-overview", "programme-reviews", "workplan-list",
         "home"]
APIS = ["/api/v1/assignments/?page_size=100", "/api/v1/reports/?page_size=100", "/api/v1/tasks/?page_size=100",
        "/api/v1/workplans/?page_size=100"]


@pytest.mark.parametrize("username", ["fzb", "d01"])
def test_lists_cost_the_same_for_5_and_50_rows(world, programme, username):
    grow(world, programme, 5)
    client = world.client(username)
    task = programme.tasks.get(code="X0")
    urls = [reverse(name) for name in PAGES] + APIS + [
        reverse("task-detail", args=[task.pk]), reverse("programme-export", args=["table"]),
        reverse("assignment-detail", args=[task.assignments.get().pk]),
        f"/api/v1/assignments/{task.assignments.get().pk}/reports/",
    ]
    few = [count(client, u) for u in urls]
    grow_more = 45
    from fazhi.org.models import Unit

    units = {u.code: u for u in Unit.objects.all()}
    for i in range(5, 5 + grow_more):
        t, _, _ = services.task_upsert(programme=programme, units_by_code=units, row={
            "code": f"X{i}", "category": f"类{i % 3}", "title": f"任务{i}", "requirement": "", "lead_spec": "D01",
            "responsible_spec": "D01", "due_kind": "phase", "due_phase": "implementation", "due_month_day": "",
            "report_period": "", "evidence": ""})
        a = t.assignments.get()
        services.report_submit(assignment=a, actor=world.user("d01"), text="进展", files=[pdf()],
                               expected_version=a.version)
    # More reports on the one assignment whose page we measure.
    a = task.assignments.get()
    for _ in range(3):
        services.report_review(report=a.reports.filter(status="submitted").get(), actor=world.user("fzb"),
                               accept=False, reason="补充")
        a.refresh_from_db()
        services.report_submit(assignment=a, actor=world.user("d01"), text="再报", files=[pdf(), pdf("二.pdf")],
                               expected_version=a.version)
    many = [count(client, u) for u in urls]
    assert dict(zip(urls, many)) == dict(zip(urls, few))
