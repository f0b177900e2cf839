"""The overview's 通报 form in a real browser: choose a period and a 发文字号, download, and read the
.docx back with python-docx. Uses the programme flow's `site` fixture (demo units + the plan's table)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from fazhi.programme.models import Assignment
from fazhi.programme.tests.test_browser_flow import login, shot, site  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_office_downloads_the_bulletin_for_a_period(new_page, site, tmp_path):  # noqa: F811
    today = timezone.localdate()
    d01 = Assignment.objects.filter(unit__code="D01", task__programme__name="测试创建周期").order_by("due", "id")
    first = d01.first()
    Assignment.objects.filter(pk=first.pk).update(due=today - timedelta(days=1))  # one overdue, due in the period
    in_period = d01.filter(due__range=(today - timedelta(days=10), today)).count()

    page = new_page()
    login(page, site, "fzb")
    page.goto(f"{site}/programme/overview/")
    form = page.locator("[data-testid=bulletin-form]")
    form.get_by_label("通报起始日期").fill((today - timedelta(days=10)).isoformat())
    form.get_by_label("截止日期").fill(today.isoformat())
    form.get_by_label("发文字号序号").fill("3")
    with page.expect_download() as info:
        form.get_by_role("button", name="下载通报").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / "bulletin.docx"
    download.save_as(path)
    shot(page, "bulletin-form")

    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs if p.text.strip()]
    assert lines[0] == "区全面推进依法行政工作领导小组办公室"
    assert lines[1] == f"〔{today.year}〕3号"
    assert lines[2] == "关于测试创建周期工作进展情况的通报"
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    d01_row = next(r for r in rows if r[0] == first.unit.display_name)
    assert d01_row == [first.unit.display_name, str(in_period), "0", "0.0%"]
    assert any(r[0] == f"{first.task.code} {first.task.title}" for r in rows)  # the overdue list

    # A bad 发文字号 is refused with the field named, not a broken file.
    page.goto(f"{site}/programme/bulletin.docx?number=0")
    assert "发文字号" in page.locator("body").inner_text()
