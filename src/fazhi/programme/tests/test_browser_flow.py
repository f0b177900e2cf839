"""The programme's acceptance flow in a real browser: a unit reports progress with evidence,
the office returns it with a reason, the unit sees the return, the reason and the history.

Debian's chromium driven by Playwright against pytest-django's live server. The live server
runs in another thread and only sees committed data, so the data is built here under
`transactional_db` (the `world`/`programme` fixtures work inside a transaction). Playwright's
own browsers are never downloaded: the test skips if /usr/bin/chromium is missing.
"""

import re
from urllib.parse import urlsplit

import pytest

from fazhi.core.models import Attachment
from fazhi.programme.demo import DEMO_PDF
from fazhi.programme.models import Assignment, ProgressReport
from fazhi.programme.testing import demo_programme

from fazhi.core.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REASON = "佐证材料缺少会议纪要"
PROGRESS_TEXT = "已修订政府工作规则,重大决策目录已公布。"
EVIDENCE_NAME = "会议材料.pdf"
D01_USER = "城管局 管理员"  # fazhi.org.demo: f"{unit.display_name} 管理员"
FZB_USER = "法制办 王主任"


def shot(page, name: str) -> None:
    """Screenshots help whoever debugs a failure; they are not assertions."""
    try:
        page.screenshot(path=f"/tmp/flow-{name}.png", full_page=True)
    except Exception:  # pragma: no cover - a screenshot must never fail the test
        pass


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    """The demo organisation and a current programme with the plan's table, committed so the
    live server thread sees them. Uploaded evidence goes to tmp_path. Returns the base URL."""
    demo_programme(settings, tmp_path)
    return live_server.url


def login(page, site: str, username: str) -> None:
    browser_login(page, site, username)
    assert urlsplit(page.url).path != "/login/", f"{username} could not log in: {page.locator('body').inner_text()}"


def logout(page, site: str):
    with page.expect_navigation():
        page.locator("nav.navbar").get_by_role("button", name="退出").click()
    assert urlsplit(page.url).path == "/login/"


def task_row(page, code: str):
    """The work-list row whose task link starts with `code `."""
    link = page.get_by_role("link", name=re.compile(rf"^{re.escape(code)} "))
    return page.locator("[data-testid=worklist-table] tbody tr").filter(has=link)


def test_unit_reports_office_returns_unit_sees_reason_and_history(new_page, site, tmp_path):
    assignment = Assignment.objects.get(task__code="1.1", task__programme__name="测试创建周期", unit__code="D01")
    evidence = tmp_path / EVIDENCE_NAME
    evidence.write_bytes(DEMO_PDF)

    # ---- d01 reports progress with evidence
    page = new_page()
    login(page, site, "d01")
    page.goto(f"{site}/programme/mine/")
    row = task_row(page, "1.1")
    assert row.count() == 1, page.locator("[data-testid=worklist-table]").inner_text()
    assert "城管局" in row.inner_text()
    assert "未开始" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name="报送进展").click()
    assert urlsplit(page.url).path == f"/programme/assignments/{assignment.pk}/report/"
    page.fill("#id_text", PROGRESS_TEXT)
    page.set_input_files("#id_files", str(evidence))
    shot(page, "1-report-form")
    with page.expect_navigation():
        page.get_by_role("button", name="报送").click()
    assert urlsplit(page.url).path == f"/programme/assignments/{assignment.pk}/", page.locator("main").inner_text()
    assert "进展已报送" in page.locator(".alert-success").inner_text()
    assert page.locator("[data-testid=status]").inner_text().startswith("已报送")
    reports = page.locator("[data-testid=reports]")
    assert PROGRESS_TEXT in reports.inner_text()
    file_link = reports.get_by_role("link", name=EVIDENCE_NAME)
    assert file_link.count() == 1
    file_url = file_link.get_attribute("href")
    attachment = Attachment.objects.get(original_name=EVIDENCE_NAME)
    assert file_url == f"/files/{attachment.pk}/"
    shot(page, "2-submitted")

    # the evidence downloads for d01 (the context's session cookie goes along)
    response = page.request.get(f"{site}{file_url}")
    assert response.status == 200
    assert response.body() == DEMO_PDF
    assert response.headers["content-type"].startswith("application/pdf")
    assert "attachment" in response.headers["content-disposition"]
    logout(page, site)

    # ---- d02 may not fetch D01's evidence
    other = new_page()
    login(other, site, "d02")
    assert other.request.get(f"{site}{file_url}").status == 404
    assert other.goto(f"{site}/programme/assignments/{assignment.pk}/").status == 404

    # ---- the office sees the report in its queue and returns it with a reason
    login(page, site, "fzb")
    page.goto(f"{site}/programme/reviews/")
    queue = page.locator("[data-testid=review-queue] tbody tr").filter(has_text="城管局").filter(has_text="1.1 ")
    assert queue.count() == 1, page.locator("[data-testid=review-queue]").inner_text()
    assert PROGRESS_TEXT in queue.inner_text()
    shot(page, "3-review-queue")
    with page.expect_navigation():
        queue.get_by_role("link", name=re.compile(r"^1\.1 ")).click()
    assert urlsplit(page.url).path == f"/programme/assignments/{assignment.pk}/"
    reports = page.locator("[data-testid=reports]")
    reports.get_by_role("textbox", name="理由").fill(REASON)
    with page.expect_navigation():
        reports.get_by_role("button", name="退回").click()
    # opened from the queue, so the decision leads back to the queue
    assert urlsplit(page.url).path == "/programme/reviews/"
    assert "已退回" in page.locator(".alert-success").inner_text()
    assert page.locator("[data-testid=review-queue] tbody tr").filter(has_text="城管局").filter(
        has_text="1.1 ").count() == 0
    shot(page, "4-returned")
    logout(page, site)

    report = ProgressReport.objects.get(assignment=assignment)
    assert (report.status, report.review_reason, report.reviewed_by.username) == ("returned", REASON, "fzb")

    # ---- d01 sees the return, the reason, and the history of both acts
    login(page, site, "d01")
    page.goto(f"{site}/programme/mine/")
    row = task_row(page, "1.1")
    assert row.count() == 1
    assert row.locator("td").nth(3).inner_text().strip() == "退回"
    assert "is-returned" in row.get_attribute("class"), "a returned task is highlighted"
    assert f"退回理由:{REASON}" in row.locator("[data-testid=return-reason]").inner_text()
    assert row.get_by_role("link", name="重新报送").count() == 1, "a returned task can be reported again"
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(r"^1\.1 ")).click()
    assert urlsplit(page.url).path == f"/programme/assignments/{assignment.pk}/"
    reason = page.locator("[data-testid=review-reason]")
    assert REASON in reason.inner_text()
    assert "退回理由" in reason.inner_text()
    assert FZB_USER in reason.inner_text()
    shot(page, "5-unit-sees-reason")

    with page.expect_navigation():
        page.get_by_role("link", name="全部变更历史").click()
    assert urlsplit(page.url).path == f"/history/programme.assignment/{assignment.pk}/"
    history = page.locator("[data-testid=history] tbody tr")
    submitted = history.filter(has_text=D01_USER).filter(has_text="未开始 → 已报送")
    returned = history.filter(has_text="已报送 → 退回")
    assert submitted.count() == 1, page.locator("[data-testid=history]").inner_text()
    assert returned.count() == 1, page.locator("[data-testid=history]").inner_text()
    assert submitted.locator("td").nth(1).inner_text().strip() == D01_USER
    assert "状态: 未开始 → 已报送" in submitted.inner_text(), submitted.inner_text()
    assert history.filter(has_text="导入责任分解表").count() == 1  # the creation, with its reason
    assert returned.locator("td").nth(1).inner_text().strip() == FZB_USER
    assert REASON in returned.inner_text(), "the return's reason is kept as the change reason"
    events = page.locator("[data-testid=events]").inner_text()
    assert "报送进展" in events
    assert "被退回" in events
    assert f"理由:{REASON}" in events
    assert D01_USER in events and FZB_USER in events
    shot(page, "6-history")


def test_work_plan_filing_runs_through_its_procedure(new_page, site, tmp_path):
    """d01 files its work plan, the office returns it, d01 files again, the office archives it; the page shows
    each step of the procedure, done or missing with its basis."""
    plan = tmp_path / "创建工作方案.pdf"
    plan.write_bytes(DEMO_PDF)
    url = f"{site}/programme/workplans/D01/"

    def state(page, step: str) -> str:
        return page.locator(f"[data-testid=procedure-steps] tr[data-step={step}] [data-testid=step-state]").inner_text()

    def file_plan(page, files=()):
        for field, value in [("head_name", "张局长"), ("head_phone", "0915-1"), ("deputy_name", "李副局长"),
                             ("deputy_phone", "0915-2"), ("staff_1_name", "王专人"), ("staff_1_phone", "13800000000")]:
            page.fill(f"#id_{field}", value)
        if files:
            page.set_input_files("#id_files", [str(f) for f in files])
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("报备")).click()
        assert "已报备" in page.locator(".alert-success").inner_text(), page.locator("main").inner_text()

    unit = new_page()
    login(unit, site, "d01")
    unit.goto(url)
    file_plan(unit, [plan])
    assert state(unit, "file").startswith("已完成")
    assert "未完成" in state(unit, "review")
    assert "工作方案 五(四)(领导小组办公室收集整理归档)" in unit.locator("tr[data-step=review]").inner_text()
    assert unit.get_by_role("button", name="归档").count() == 0  # the unit may not review
    shot(unit, "wp-1-filed")

    office = new_page()
    login(office, site, "fzb")
    office.goto(url)
    office.get_by_label("理由").fill("缺少分管领导签字页")
    with office.expect_navigation():
        office.get_by_role("button", name="退回补正").click()
    assert "已退回" in office.locator(".alert-success").inner_text()
    assert "未完成" in state(office, "file")
    assert "须先完成:报备工作机构和工作方案" in state(office, "review")
    assert office.get_by_role("button", name="归档").count() == 0  # the gate: nothing to archive
    shot(office, "wp-2-returned")

    unit.goto(url)
    assert "缺少分管领导签字页" in unit.locator("[data-testid=procedure-steps]").inner_text()
    file_plan(unit)  # the plan lodged with the first filing still counts
    assert state(unit, "file").startswith("已完成")

    office.goto(url)
    with office.expect_navigation():
        office.get_by_role("button", name="归档").click()
    assert "已归档" in office.locator(".alert-success").inner_text()
    assert state(office, "review").startswith("已完成")
    assert office.locator("[data-testid=procedure-closed]").count() == 1
    assert office.locator("[data-testid=filing-status]").inner_text() == "已归档"
    shot(office, "wp-3-archived")
