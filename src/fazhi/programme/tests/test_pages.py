"""What users met on the programme's pages (issue #6 §2): periods in Chinese, the overview's chart
and totals, the review queue (unit filter, evidence, who gets checkboxes, back to the queue, no
open redirect), the returned item on the unit's list, filters as choices, failed forms that keep
the input and put the message at the field."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fazhi.core.testing.html import Page
from fazhi.programme import rules, selectors, services
from fazhi.programme.tests.conftest import pdf
from fazhi.programme.views import review_queue_next

QUEUE = "/programme/reviews/"


def submit(programme, world, unit_code: str, task_code: str = "1.1", text: str = "已完成初稿"):
    a = programme.tasks.get(code=task_code).assignments.get(unit__code=unit_code)
    return services.report_submit(assignment=a, actor=world.user(unit_code.lower()), text=text,
                                  files=[pdf(f"{unit_code}-材料.pdf")], expected_version=a.version)


# ---- periods

@pytest.mark.parametrize("label, shown", [
    ("2026Q1", "2026年第一季度"), ("2026Q4", "2026年第四季度"), ("2026H1", "2026年上半年"), ("2027H2", "2027年下半年"),
    ("2026-01", "2026年1月"), ("2026-12", "2026年12月"), ("2026", "2026年度"), ("", ""), ("2026Q5", "2026Q5"),
    ("abc", "abc"),
])
def test_period_display(label, shown):
    assert rules.period_display(label) == shown


def test_periods_are_written_in_chinese_on_the_pages(world, programme):
    a = programme.tasks.get(code="2.1").assignments.get(unit__code="D01")  # continuous, quarterly
    assert re.fullmatch(r"20\d\dQ[1-4]", a.period_label)
    for url in ["/programme/mine/", "/programme/", f"/programme/assignments/{a.pk}/"]:
        html = world.client("d01").get(url).content.decode()
        assert rules.period_display(a.period_label) in html, url
        assert not re.search(r"20\d\dQ[1-4]", Page(html).find("main").text), url


# ---- overview

def test_overview_chart_draws_every_unit_of_the_scope_in_one_query(world, programme):
    client = world.client("fzb")
    units = list(selectors.units_with_assignments(user=world.user("fzb"), programme=programme))
    assert len(units) > 30, "the demo must need a second page of units for this test"
    charts = []
    for page in (1, 2):
        html = client.get(f"/programme/overview/?page={page}").content.decode()
        data = re.search(r'<script id="data-units" type="application/json">(.*?)</script>', html, re.S).group(1)
        charts.append(json.loads(data))
    assert charts[0] == charts[1], "the chart does not follow the table's page"
    assert charts[0]["codes"] == [u.code for u in units]
    assert len(charts[0]["rates"]) == len(units)
    fzb = world.user("fzb")
    selectors.overview_unit_chart(user=fzb, programme=programme)  # the user's scope is read once per request
    with CaptureQueriesContext(connection) as ctx:
        selectors.overview_unit_chart(user=fzb, programme=programme)
    assert len(ctx) == 1
    # a unit sees only its own subtree
    d01 = selectors.overview_unit_chart(user=world.user("d01"), programme=programme)
    assert d01["codes"] == ["D01"]


def test_due_soon_total_links_to_the_records_behind_it(world, programme):
    client = world.client("fzb")
    today = timezone.localdate()
    warnings = selectors.warning_counts(user=world.user("fzb"), programme=programme, today=today)
    assert warnings["yellow"] > 0
    page = Page(client.get("/programme/overview/").content)
    link = page.find("a", href="/programme/?due_soon=true")
    assert link is not None and link.text.strip() == str(warnings["yellow"])
    assert "text-amber" in link["class"], "临期 figure in a colour with 4.5:1 contrast"
    table = client.get("/programme/?due_soon=true").content.decode()
    assert f"共 {warnings['yellow']} 条" in table
    from fazhi.programme.models import Assignment

    assert Assignment.objects.filter(programme=programme).filter(rules.due_soon_q(today)).count() == warnings["yellow"]
    assert client.get("/programme/?due_soon=maybe").status_code == 400


# ---- review queue

def test_review_queue_filters_by_unit_and_shows_the_evidence(world, programme):
    r1 = submit(programme, world, "D01")
    submit(programme, world, "D02")
    client = world.client("fzb")
    page = Page(client.get(QUEUE).content)
    options = {o["value"]: o.text for o in page.find_all("option") if o.get("value")}
    assert options["D01"].startswith("城管局") and "待审 1" in options["D01"]
    assert set(options) == {"D01", "D02"}

    page = Page(client.get(QUEUE + "?unit=D01").content)
    rows = page.find("table", data_testid="review-queue")
    assert "城管局" in rows.text and "人社局" not in rows.text
    evidence = page.find_all("td", data_testid="evidence")
    from fazhi.core.models import Attachment

    att = Attachment.objects.for_object(r1).get()
    assert len(evidence) == 1 and "D01-材料.pdf" in evidence[0].text
    assert page.find("a", href=f"/files/{att.pk}/") is not None

    for bad in ("ZZZ", "%00", "D01'--"):
        response = client.get(QUEUE + "?unit=" + bad)
        assert response.status_code == 400, bad
        assert "「单位」" in response.content.decode()


def test_every_unit_filter_refuses_another_units_code_in_the_same_words(world, programme):
    """The queue, the table, its export and the API ask one rule (core.filters.visible_unit_path): a unit
    user naming another unit is told exactly what an unknown code gets, so codes are not probed."""
    submit(programme, world, "D02")
    client = world.client("d01")
    pages = {url: client.get(url) for url in (QUEUE + "?unit=D02", "/programme/?unit=D02", QUEUE + "?unit=NOPE")}
    for url, response in pages.items():
        assert response.status_code == 400, url
    said = {url: Page(r.content).find(class_="invalid-feedback").text for url, r in pages.items()}
    assert said[QUEUE + "?unit=D02"] == said["/programme/?unit=D02"]
    assert said[QUEUE + "?unit=NOPE"].replace("NOPE", "D02") == said[QUEUE + "?unit=D02"]
    api = client.get("/api/v1/assignments/?unit=D02").json()
    units = client.get("/api/v1/units/?parent=D02").json()
    assert api["errors"]["unit"] == units["errors"]["parent"]
    assert api["errors"]["unit"][0] in said[QUEUE + "?unit=D02"]
    assert "人社局" not in pages[QUEUE + "?unit=D02"].content.decode()   # D02's name never shown to d01


def test_queue_keeps_a_chosen_unit_with_nothing_waiting_selected(world, programme):
    submit(programme, world, "D01")
    page = Page(world.client("fzb").get(QUEUE + "?unit=D03").content)
    assert page.find("option", value="D03", selected=True) is not None
    assert "没有待审核的报送" in page.find("table", data_testid="review-queue").text


@pytest.mark.parametrize("username, acts", [("fzb", True), ("leader", False), ("inspector", False), ("d01", False)])
def test_only_reviewers_get_checkboxes_each_labelled_by_unit_and_task(world, programme, username, acts):
    report = submit(programme, world, "D01")
    page = Page(world.client(username).get(QUEUE).content)
    boxes = page.find_all("input", name="reports")
    select_all = page.find("input", data_select_all="reports")
    assert bool(boxes) is acts and (select_all is not None) is acts
    assert bool(page.find_all("button", name="decision")) is acts
    if acts:
        assert boxes[0]["value"] == str(report.pk)
        assert boxes[0]["aria-label"].startswith("选择 城管局 1.1 ")
        assert page.find("label", for_="select-all").text == "全选本页报送"


def test_a_decision_taken_from_the_queue_returns_to_the_queue(world, programme):
    report = submit(programme, world, "D01")
    client = world.client("fzb")
    queue = Page(client.get(QUEUE + "?unit=D01").content)
    link = next(a for a in queue.find_all("a")
                if a.get("href", "").startswith(f"/programme/assignments/{report.assignment_id}/"))
    assert link["href"] == f"/programme/assignments/{report.assignment_id}/?next=/programme/reviews/%3Funit%3DD01%26page%3D1"
    detail = Page(client.get(link["href"]).content)
    assert detail.find("input", name="next")["value"] == "/programme/reviews/?unit=D01&page=1"
    assert detail.find("a", data_testid="back-to-queue")["href"] == "/programme/reviews/?unit=D01&page=1"
    refused = client.post(reverse("report-review", args=[report.pk]),
                          {"decision": "return", "reason": "", "version": report.version,
                           "next": "/programme/reviews/?unit=D01&page=1"})
    assert refused["Location"] == link["href"], "a refused decision stays on the assignment, still bound for the queue"
    response = client.post(reverse("report-review", args=[report.pk]),
                           {"decision": "accept", "version": report.version, "next": "/programme/reviews/?unit=D01&page=1"})
    assert response.status_code == 302 and response["Location"] == "/programme/reviews/?unit=D01&page=1"
    # without `next` (opened from elsewhere) the office stays on the assignment
    other = submit(programme, world, "D02")
    response = client.post(reverse("report-review", args=[other.pk]), {"decision": "accept", "version": other.version})
    assert response["Location"] == f"/programme/assignments/{other.assignment_id}/"


@pytest.mark.parametrize("next_url", [
    "https://evil.example/", "//evil.example/programme/reviews/", "https://evil.example/programme/reviews/",
    "/admin/", "/programme/reviews/../../admin/", "javascript:alert(1)", "\\\\evil.example\\programme\\reviews\\",
    "/programme/reviews", "/programme/reviews/?unit=<script>&page=x", " /programme/reviews/",
])
def test_next_never_leads_outside_the_queue(world, programme, next_url):
    report = submit(programme, world, "D01")
    response = world.client("fzb").post(reverse("report-review", args=[report.pk]),
                                        {"decision": "accept", "version": report.version, "next": next_url})
    assert response.status_code == 302
    location = response["Location"]
    assert location in (f"/programme/assignments/{report.assignment_id}/", "/programme/reviews/"), location
    assert "evil" not in location and "script" not in location and "admin" not in location
    from urllib.parse import quote

    page = Page(world.client("fzb").get(f"/programme/assignments/{report.assignment_id}/?next={quote(next_url)}").content)
    assert "evil.example" not in page.html
    back = page.find("a", data_testid="back-to-queue")
    assert back is None or back["href"].startswith("/programme/reviews/")


def test_review_queue_next_rebuilds_only_the_queue_path():
    assert review_queue_next("/programme/reviews/?unit=D01&page=2&x=1") == "/programme/reviews/?unit=D01&page=2"
    assert review_queue_next("/programme/reviews/") == "/programme/reviews/"
    assert review_queue_next("/programme/reviews/?page=9999999") == "/programme/reviews/"
    for bad in (None, "", "/", "//evil.example/programme/reviews/", "http://x/programme/reviews/", "/programme/"):
        assert review_queue_next(bad) is None, bad


def test_bulk_return_keeps_the_selection_and_asks_for_the_reason_at_the_field(world, programme):
    r1, r2 = submit(programme, world, "D01"), submit(programme, world, "D02")
    client = world.client("fzb")
    response = client.post(QUEUE + "?unit=", {"reports": [r1.pk], "decision": "return", "reason": ""})
    assert response.status_code == 400
    page = Page(response.content)
    checked = {b["value"] for b in page.find_all("input", name="reports") if "checked" in b}
    assert checked == {str(r1.pk)}, "the user's selection is kept"
    reason = page.by_id("id_reason")
    assert "is-invalid" in reason["class"] and "id_reason_error" in reason["aria-describedby"].split()
    assert "「理由」" in page.by_id("id_reason_error").text
    nothing = Page(client.post(QUEUE, {"decision": "accept"}).content)
    assert "请至少选择一条报送" in nothing.by_id("reports-error").text
    ok = client.post(QUEUE + "?unit=D02", {"reports": [r2.pk], "decision": "accept"})
    assert ok.status_code == 302 and ok["Location"] == "/programme/reviews/?unit=D02"


# ---- the unit's list after a return

def test_a_returned_item_shows_the_return_its_reason_and_a_highlight(world, programme):
    report = submit(programme, world, "D01")
    services.report_review(report=report, actor=world.user("fzb"), accept=False, reason="佐证材料缺少会议纪要")
    for url in ("/programme/mine/", "/"):
        page = Page(world.client("d01").get(url).content)
        row = next(tr for tr in page.find_all("tr") if "1.1 完善政府工作规则" in tr.text)
        assert "is-returned" in row["class"].split(), url
        assert "退回" in row.text, url
        if url == "/programme/mine/":  # the home page lists what is owed from every module; the reason is here
            assert "退回理由:佐证材料缺少会议纪要" in row.text and "重新报送" in row.text


# ---- filters

def test_table_filters_offer_choices(world, programme):
    page = Page(world.client("fzb").get("/programme/").content)
    for name in ("unit", "category", "status", "phase", "overdue", "due_soon"):
        assert page.find("select", name=name) is not None, name
        assert page.find("input", name=name) is None, name
    units = [o["value"] for o in page.find_all("option") if o.get("value", "").startswith("D")]
    assert "D01" in units and "D12" in units
    categories = [o["value"] for o in page.find_all("option")
                  if o.get("value") in selectors.programme_categories(programme)]
    assert categories == selectors.programme_categories(programme) and len(categories) >= 5
    # a unit only sees its own subtree in the choices
    mine = Page(world.client("d01").get("/programme/").content)
    assert [o["value"] for o in mine.find_all("option") if o.get("value", "").startswith("D")] == ["D01"]
    chosen = Page(world.client("fzb").get("/programme/?unit=D02&category=" + categories[0]).content)
    assert chosen.find("option", value="D02", selected=True) is not None
    # a category every task has left (its tally rows stay, at zero) is no longer a choice, nor accepted
    from fazhi.programme.models import CategoryTally

    CategoryTally.objects.create(programme=programme, category="旧类别", phase="", status="done",
                                 due=programme.end, count=0)
    assert world.client("fzb").get("/programme/?category=旧类别").status_code == 400
    bad = world.client("fzb").get("/programme/?category=不存在的类别")
    assert bad.status_code == 400
    field = Page(bad.content).find("select", name="category")
    assert "is-invalid" in field["class"] and field["aria-describedby"] == "id_category_error"


# ---- failed forms keep the input, ask again only for files, and say so at the field

def test_failed_report_keeps_the_text_and_asks_for_the_files_again(world, programme, assignment):
    client = world.client("d01")
    url = reverse("assignment-report", args=[assignment.pk])
    bad = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/octet-stream")
    response = client.post(url, {"text": "已修订规则", "files": [pdf("纪要.pdf"), bad], "version": assignment.version})
    assert response.status_code == 400
    page = Page(response.content)
    assert page.by_id("id_text").text.strip() == "已修订规则"
    refile = page.by_id("id_files_refile")
    assert "附件需重新选择" in refile.text and "纪要.pdf" in refile.text and "病毒.exe" in refile.text
    files = page.by_id("id_files")
    assert "is-invalid" in files["class"]
    assert set(files["aria-describedby"].split()) == {"id_files_help", "id_files_error", "id_files_refile"}
    assert "「佐证材料」" in page.by_id("id_files_error").text

    empty = Page(client.post(url, {"text": "", "files": [pdf()], "version": assignment.version}).content)
    text = empty.by_id("id_text")
    assert "is-invalid" in text["class"] and text["aria-describedby"] == "id_text_error"
    assert "「进展情况」请填写进展情况" in empty.by_id("id_text_error").text
    assert "附件需重新选择" in empty.by_id("id_files_refile").text


def test_failed_work_plan_filing_keeps_the_input(world, programme):
    response = world.client("d01").post("/programme/workplans/D01/", {
        "head_name": "", "head_phone": "12345678", "deputy_name": "张副局长", "deputy_phone": "87654321",
        "staff_1_name": "李四", "staff_1_phone": "13800000000", "plan_summary": "方案摘要", "files": [pdf("方案.pdf")]})
    assert response.status_code == 400
    page = Page(response.content)
    assert page.by_id("id_deputy_name")["value"] == "张副局长"
    assert page.by_id("id_plan_summary").text.strip() == "方案摘要"
    head = page.by_id("id_head_name")
    assert "is-invalid" in head["class"] and head["aria-describedby"] == "id_head_name_error"
    assert "请填写一把手(牵总)姓名" in page.by_id("id_head_name_error").text
    assert "附件需重新选择" in page.by_id("id_files_refile").text


def test_failed_phase_change_keeps_the_input_at_its_row(world, programme):
    phase = programme.phases.get(key="implementation")
    response = world.client("fzb").post("/programme/phases/", {
        "phase": phase.pk, "version": phase.version, "start": phase.start.isoformat(), "end": "2000-01-01",
        "reason": "调整说明"})
    assert response.status_code == 400
    page = Page(response.content)
    end = page.by_id(f"phase{phase.pk}_end")
    assert end["value"] == "2000-01-01" and "is-invalid" in end["class"]
    assert end["aria-describedby"] == f"phase{phase.pk}_end_error"
    assert "结束日期不能早于开始日期" in page.by_id(f"phase{phase.pk}_end_error").text
    assert page.by_id(f"phase{phase.pk}_reason")["value"] == "调整说明"
    other = programme.phases.get(key="mobilization")
    assert "is-invalid" not in page.by_id(f"phase{other.pk}_end")["class"]


def test_failed_programme_creation_keeps_the_input(world, programme):
    response = world.client("fzb").post("/programme/new/", {
        "name": "新周期", "start": "2028-01-01", "end": "2029-12-31", "self_check_start": "2029-02-30"})
    assert response.status_code == 400
    page = Page(response.content)
    assert page.by_id("id_name")["value"] == "新周期"
    assert page.by_id("id_start")["value"] == "2028-01-01"
    bad = page.by_id("id_self_check_start")
    assert "is-invalid" in bad["class"]
    assert "「自查整改开始日期」须为 YYYY-MM-DD 格式的日期" in page.by_id("id_self_check_start_error").text


def test_failed_import_says_so_at_the_file_field(world, programme):
    client = world.client("fzb")
    page = Page(client.post("/programme/import/", {}).content)
    field = page.by_id("id_file")
    assert "is-invalid" in field["class"] and "id_file_error" in field["aria-describedby"].split()
    assert "请选择要导入的文件" in page.by_id("id_file_error").text
    junk = SimpleUploadedFile("表.csv", "编号,类别\n".encode("gbk"), content_type="text/csv")
    page = Page(client.post("/programme/import/", {"file": junk}).content)
    assert "附件需重新选择" in page.by_id("id_file_refile").text and "表.csv" in page.by_id("id_file_refile").text


# ---- accessibility in the markup

@pytest.mark.parametrize("username", ["fzb", "d01"])
def test_programme_pages_have_one_h1_no_empty_headers_and_mark_the_current_page(world, programme, username):
    a = programme.tasks.get(code="1.1").assignments.get(unit__code="D01")
    pages = {"/programme/": "责任分解表", "/programme/mine/": "本单位任务", QUEUE: "审核队列",
             "/programme/overview/": "创建进度", "/programme/workplans/": "机构和方案备案", "/programme/phases/": "创建阶段",
             f"/programme/assignments/{a.pk}/": None, "/programme/workplans/D01/": "机构和方案备案"}
    for url, tab in pages.items():
        response = world.client(username).get(url)
        assert response.status_code == 200, url
        page = Page(response.content)
        assert len(page.find_all("h1")) == 1, url
        for th in page.find_all("th"):
            assert th.text.strip(), f"{url}: empty table header"
        current = page.find_all(aria_current="page")
        assert any(c.text.strip() == {"/programme/overview/": "创建进度"}.get(url, "责任分解") for c in current), url
        if tab:
            assert tab in [c.text.strip() for c in current], url
        assert page.find("link", rel="icon")["href"].endswith("favicon.svg")
