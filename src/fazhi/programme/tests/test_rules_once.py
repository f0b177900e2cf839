"""Each rule once, in rules.py or Scope; the pages, the exports and the services ask the same
rule, so a page never offers what the service refuses (and the other way round)."""

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.scoping import scope_for
from fazhi.programme import rules, services
from fazhi.programme.models import WorkPlanFiling
from fazhi.programme.tests.conftest import pdf

SRC = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("username, office, any_role", [
    ("fzb", True, True), ("admin", True, True), ("leader", False, True), ("inspector", False, True),
    ("d01", False, True), ("d01-zd", False, True), ("nobody", False, False),
])
def test_scope_answers_is_office_and_has_any_role(world, username, office, any_role):
    scope = scope_for(world.user(username))
    assert (scope.is_office, scope.has_any_role) == (office, any_role)


def test_who_withdraws_is_the_same_on_the_page_and_in_the_service(world, submitted):
    """The unit takes back its own report; the office returns it instead (with a reason)."""
    page = reverse("assignment-detail", args=[submitted.assignment_id])
    for username, may in [("d01", True), ("fzb", False), ("leader", False)]:
        user = world.user(username)
        assert rules.can_withdraw_now(user, submitted) is may
        body = world.client(username).get(page).content.decode()
        assert (reverse("report-withdraw", args=[submitted.pk]) in body) is may, username
    with pytest.raises(NotAllowed):
        services.report_withdraw(report=submitted, actor=world.user("fzb"), reason="代为撤回")
    response = world.client("fzb").post(reverse("report-withdraw", args=[submitted.pk]), {"reason": "代为撤回"})
    assert response.status_code == 403
    services.report_withdraw(report=submitted, actor=world.user("d01"), reason="选错了报送期")
    submitted.refresh_from_db()
    assert not rules.can_withdraw_now(world.user("d01"), submitted)
    with pytest.raises(InvalidInput, match="只有待审核的报送可以撤回"):
        services.report_withdraw(report=submitted, actor=world.user("d01"), reason="再撤一次")


def test_may_report_now_is_the_same_on_the_pages_and_in_the_service(world, assignment):
    d01 = world.user("d01")
    report_url = reverse("assignment-report", args=[assignment.pk])
    pages = [reverse("assignment-detail", args=[assignment.pk]), reverse("programme-worklist")]
    client = world.client("d01")
    assert rules.can_report_now(d01, assignment)
    for page in pages:
        assert report_url in client.get(page).content.decode(), page
    services.report_submit(assignment=assignment, actor=d01, text="进展", files=[pdf()],
                           expected_version=assignment.version)
    assignment.refresh_from_db()
    assert not rules.can_report_now(d01, assignment)
    for page in pages:
        assert report_url not in client.get(page).content.decode(), page
    with pytest.raises(InvalidInput, match="等待审核"):
        services.report_submit(assignment=assignment, actor=d01, text="再报", files=[pdf()],
                               expected_version=assignment.version)


def test_may_start_is_the_same_on_the_page_and_in_the_service(world, assignment):
    d01 = world.user("d01")
    start_url = reverse("assignment-start", args=[assignment.pk])
    page = reverse("assignment-detail", args=[assignment.pk])
    assert rules.can_start(d01, assignment) and start_url in world.client("d01").get(page).content.decode()
    assert not rules.can_start(world.user("leader"), assignment)
    services.assignment_start(assignment=assignment, actor=d01, expected_version=assignment.version)
    assignment.refresh_from_db()
    assert not rules.can_start(d01, assignment) and start_url not in world.client("d01").get(page).content.decode()
    with pytest.raises(InvalidInput, match="未开始"):
        services.assignment_start(assignment=assignment, actor=d01, expected_version=assignment.version)


def _filing(unit, *, due, filed_on):
    return WorkPlanFiling(unit=unit, due=due, filed_at=timezone.make_aware(datetime.combine(filed_on, datetime.min.time())
                                                                           + timedelta(hours=23, minutes=59)))


def test_filing_lateness():
    due = date(2026, 4, 30)
    assert rules.filing_lateness(None, due=due, today=due) == ""                         # the due day is not over
    assert rules.filing_lateness(None, due=due, today=due + timedelta(days=1)) == "unfiled_late"
    on_time = _filing(None, due=due, filed_on=due)                                       # 23:59 on the due day
    late = _filing(None, due=due, filed_on=due + timedelta(days=1))
    assert rules.filing_lateness(on_time, due=due, today=due + timedelta(days=9)) == ""
    assert rules.filing_lateness(late, due=due, today=due + timedelta(days=9)) == "filed_late"
    assert late.filed_late and not on_time.filed_late


def test_filing_lateness_reads_the_same_on_the_page_and_in_the_export(world, programme):
    """The list page and the export both ask rules.filing_lateness: a late filer and the units that
    have not filed after the due day."""
    d01 = world.user("d01")
    services.workplan_file(programme=programme, unit=world.unit("D01"), actor=d01, files=[pdf()], data={
        "head_name": "张三", "head_phone": "1", "deputy_name": "李四", "deputy_phone": "2",
        "staff": [{"name": "王五", "phone": "3"}]})
    filing = WorkPlanFiling.objects.get(unit__code="D01")
    today = timezone.localdate()
    due = services.workplan_due(programme)
    expected_d01 = rules.filing_lateness(filing, due=due, today=today)
    expected_unfiled = rules.filing_lateness(None, due=due, today=today)
    client = world.client("fzb")
    body = client.get(reverse("workplan-list")).content.decode()
    assert ("逾期未报" in body) is (expected_unfiled == "unfiled_late")
    assert ("逾期报备" in body) is (expected_d01 == "filed_late")
    response = client.get(reverse("programme-export", args=["filings"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] in ("D01", "D02")]
    on_time = {r[0]: r[4] for r in rows}
    assert on_time["D01"] == {"filed_late": "逾期报备", "": "按时"}[expected_d01]
    assert on_time["D02"] == {"unfiled_late": "逾期未报", "": ""}[expected_unfiled]


# Patterns of rules that once were written in several places; each now lives in one.
ONCE = [
    (r"has_role\(OFFICE\)", {"core/scoping.py"}),
    (r"all_units or (scope\.)?unit_paths|unit_paths or (scope\.)?is_sysadmin", {"core/scoping.py"}),
    (r"CategoryTally\.objects\.filter\(programme=programme\) if", set()),
    (r"today > due", set()),
    (r"status not in \(\"submitted\"|status != \"submitted\"", set()),
]


@pytest.mark.parametrize("pattern, allowed", ONCE)
def test_rules_written_once(pattern, allowed):
    found = set()
    for path in list(SRC.rglob("*.py")) + list(SRC.rglob("*.html")):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in rel or "/migrations/" in rel:
            continue
        if re.search(pattern, path.read_text(encoding="utf-8")):
            found.add(rel)
    assert found <= allowed, f"{pattern}: ask rules.py / Scope instead ({sorted(found - allowed)})"
