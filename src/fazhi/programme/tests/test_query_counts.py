"""Every list's query count: pinned, and the same for 5 and for 50 rows."""

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


# The exact number of queries of every list, for the office and for a unit, the same with 5 rows
# and with 50. A change that adds or saves a query changes this table, and says so in its diff.
# The overview: +3 for its rates read from the registry (one query per rate) and the programme choices.
EXPECTED = {
    "fzb": {
        "programme-table": 11, "programme-worklist": 9, "programme-overview": 35, "programme-reviews": 11,
        "workplan-list": 11, "home": 17, "task-detail": 11, "assignment-detail": 16, "export-table": 9,
        "api-assignments": 9, "api-reports": 9, "api-tasks": 10, "api-workplans": 8, "api-assignment-reports": 10,
    },
    # home: the one work list (deadlines/worklist.py): one count per source (clocks, the assignments' tallies,
    # work plans owed, normative documents expiring, open litigation accountability records), the overview one query per
    # registered rate (+3: normdocs, +2: reconsideration, +4: litigation, +10: enforcement with licence.legal_review), the programme and its work-plan due date once, one UNION page of 10 rows, its units
    "d01": {
        "programme-table": 12, "programme-worklist": 10, "programme-overview": 36, "programme-reviews": 12,
        "workplan-list": 12, "home": 19, "task-detail": 12, "assignment-detail": 17, "export-table": 10,
        "api-assignments": 10, "api-reports": 10, "api-tasks": 10, "api-workplans": 9, "api-assignment-reports": 11,
    },
}
PAGES = ["programme-table", "programme-worklist", "programme-overview", "programme-reviews", "workplan-list", "home"]
APIS = {"api-assignments": "/api/v1/assignments/?page_size=100", "api-reports": "/api/v1/reports/?page_size=100",
        "api-tasks": "/api/v1/tasks/?page_size=100", "api-workplans": "/api/v1/workplans/?page_size=100"}


def counts(client, task) -> dict[str, int]:
    assignment = task.assignments.get()
    urls = {name: reverse(name) for name in PAGES} | APIS | {
        "task-detail": reverse("task-detail", args=[task.pk]),
        "export-table": reverse("programme-export", args=["table"]),
        "assignment-detail": reverse("assignment-detail", args=[assignment.pk]),
        "api-assignment-reports": f"/api/v1/assignments/{assignment.pk}/reports/",
    }
    return {name: count(client, url) for name, url in urls.items()}


@pytest.mark.parametrize("username", ["fzb", "d01"])
def test_lists_cost_the_same_for_5_and_50_rows(world, programme, username):
    grow(world, programme, 5)
    client = world.client(username)
    task = programme.tasks.get(code="X0")
    counts(client, task)  # warm the per-process caches (content types …) whatever test ran before in this worker
    few = counts(client, task)
    from fazhi.org.models import Unit

    units = {u.code: u for u in Unit.objects.all()}
    for i in range(5, 50):
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
    many = counts(client, task)
    assert many == few, "a list's query count grows with its rows"
    assert few == EXPECTED[username], "query counts changed: update EXPECTED (and say why in the commit)"
