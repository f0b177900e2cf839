"""The programme 通报 (.docx in 公文 format): its text read back by python-docx, its styles, who may
download which version, and bad periods."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.core.testing.scoping import ScopedCases
from fazhi.programme.models import Assignment, WorkPlanFiling
from fazhi.programme.tests.conftest import pdf

from fazhi.programme import rules, services


def docx_text(response) -> str:
    doc = Document(io.BytesIO(response.content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


@pytest.fixture
def records(programme, world):
    """D01's task 1.1 overdue since yesterday; D02 filed its work plan two days after the due date."""
    today = timezone.localdate()
    start, end = programme.start, programme.end
    a = programme.tasks.get(code="1.1").assignments.get(unit__code="D01")
    Assignment.objects.filter(pk=a.pk).update(due=today - timedelta(days=1))
    filing = services.workplan_file(
        programme=programme, unit=world.unit("D02"), actor=world.user("d02"), files=[pdf("方案.pdf")],
        data={"head_name": "张局长", "head_phone": "0915-1", "deputy_name": "李副局长", "deputy_phone": "0915-2",
              "staff": [{"name": "王专人", "phone": "138"}]})
    WorkPlanFiling.objects.filter(pk=filing.pk).update(filed_at=timezone.now(), due=today - timedelta(days=2))
    return {"start": start, "end": end, "task": a.task}


class BulletinCases(ScopedCases):
    is_list = True

    @pytest.fixture(autouse=True)
    def _records(self, records):
        self.records = records

    def marker(self, world, unit):
        return self.records["task"].title

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
        text = docx_text(response)
        assert self.marker(world, unit) in text and "仅含本单位的记录" in text
        assert world.unit("D02").display_name not in text  # not another unit's row or filing

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        assert response.status_code == 200
        text = docx_text(response)
        assert self.marker(world, unit) not in text
        assert world.unit("D01").display_name not in text


class TestBulletinPage(BulletinCases):
    url_name = "programme-bulletin-page"

    def url(self, world, unit):
        return reverse("programme-bulletin-page")


class TestBulletinApi(BulletinCases):
    url_name = "api:programme-bulletin"
    api = True

    def url(self, world, unit):
        return reverse("api:programme-bulletin")


@pytest.mark.parametrize("username", ["fzb", "leader", "inspector"])
def test_district_bulletin_text(world, records, username):
    response = world.client(username).get(reverse("api:programme-bulletin"),
                                          {"from": records["start"].isoformat(), "to": records["end"].isoformat()})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = docx_text(response)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "区全面推进依法行政工作领导小组办公室"  # 版头: 发文机关标志, then the title
    assert "工作进展情况的通报" in lines[1]
    d01 = world.unit("D01")
    row = next(line for line in text.splitlines() if line.startswith(f"{d01.display_name} | "))
    total = Assignment.objects.filter(unit=d01, due__range=(records["start"], records["end"])).count()
    assert row == f"{d01.display_name} | {total} | 0 | 0.0%"
    assert f"{records['task'].code} {records['task'].title} | {d01.display_name}" in text  # overdue list
    assert f"{world.unit('D02').display_name} | " in text and "报备(逾期)" in text  # late filer
    assert "仅含本单位" not in text
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text.splitlines()[-1] or \
        f"{today.year}年{today.month}月{today.day}日" in [p.text for p in Document(io.BytesIO(response.content)).paragraphs][-1]


def test_overdue_list_is_capped_and_counted(world, records, monkeypatch):
    """The .docx is built in memory: past the cap it lists the first rows and counts the rest."""
    from fazhi.programme import bulletin

    today = timezone.localdate()
    Assignment.objects.filter(programme=records["task"].programme, unit__code="D02", task__code="1.1").update(
        due=today - timedelta(days=3))
    monkeypatch.setattr(bulletin, "OVERDUE_LISTED", 1)
    response = world.client("fzb").get(reverse("api:programme-bulletin"),
                                       {"from": records["start"].isoformat(), "to": records["end"].isoformat()})
    text = docx_text(response)
    overdue = Assignment.objects.filter(rules.overdue_q(today), programme=records["task"].programme,
                                        due__range=(records["start"], records["end"])).count()
    assert overdue >= 2
    assert f"逾期未完成{overdue}项" in text
    assert f"以上列出前1项,另有{overdue - 1}项未列出" in text


def test_empty_period_shows_no_data(world, records):
    """A period before anything is due: no unit rows, totals as —, never 0% or 100%."""
    before = records["start"] - timedelta(days=400)
    response = world.client("fzb").get(reverse("api:programme-bulletin"),
                                       {"from": before.isoformat(), "to": (before + timedelta(days=1)).isoformat()})
    text = docx_text(response)
    assert "本期到期任务分解0项,已完成0项,完成率—" in text
    assert "本期无逾期未完成任务" in text


def test_styles_follow_gbt_9704(world, records):
    response = world.client("fzb").get(reverse("programme-bulletin-page"))
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4 (twips round)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]

    def east_asian(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    title, body = doc.styles["Title"], doc.styles["Normal"]
    assert (east_asian(title), title.font.size) == ("方正小标宋简体", Pt(22))
    assert (east_asian(body), body.font.size) == ("仿宋_GB2312", Pt(16))
    assert body.paragraph_format.line_spacing == Pt(28.95) and body.paragraph_format.first_line_indent == Pt(32)
    assert east_asian(doc.styles["Heading 1"]) == "黑体" and east_asian(doc.styles["Heading 2"]) == "楷体_GB2312"
    assert doc.paragraphs[0].style.name == "Title"
    assert section._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in footer and 'w:val="28"' in footer  # 4号 = 14 pt = 28 half-points
    assert doc.paragraphs[-1].alignment == 2  # 成文日期 right-aligned


def test_office_template_is_used(world, records, settings, tmp_path):
    """The office replaces the template: its styles (here a different body size) are the document's."""
    from fazhi.core.gongwen import build_template

    path = tmp_path / "office.docx"
    build_template(path)
    doc = Document(str(path))
    doc.styles["Normal"].font.size = Pt(15)
    doc.save(str(path))
    settings.FAZHI = {**settings.FAZHI, "GONGWEN_TEMPLATE": str(path)}
    response = world.client("fzb").get(reverse("programme-bulletin-page"))
    assert Document(io.BytesIO(response.content)).styles["Normal"].font.size == Pt(15)


@pytest.mark.parametrize("query, field", [
    ({"from": "2026-13-01"}, "from"),
    ({"to": "明天"}, "to"),
    ({"from": "2026-05-01", "to": "2026-04-01"}, "to"),
])
def test_bad_period(world, records, query, field):
    response = world.client("fzb").get(reverse("api:programme-bulletin"), query)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and "YYYY-MM-DD" in body["detail"] or "晚于" in body["detail"]
    page = world.client("fzb").get(reverse("programme-bulletin-page"), query)
    assert page.status_code == 400 and "生成通报失败" in page.content.decode()
