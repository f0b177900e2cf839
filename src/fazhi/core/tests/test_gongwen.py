"""公文 documents: the 版头 (发文机关标志, 发文字号, red line) read back with python-docx, and the
office's templates (checked upload, history, restore, void with reason, the generator using them)."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.core import gongwen
from fazhi.core.models import Event, GongwenTemplate
from fazhi.core.testing.scoping import ScopedCases

BULLETIN = "/api/v1/reports/programme-bulletin.docx"


def template_docx(tmp_path, *, drop: str = "", body_size: int | None = None, tail: str = "") -> bytes:
    path = tmp_path / "t.docx"
    gongwen.build_template(path)
    doc = Document(str(path))
    if drop:
        for p in doc.paragraphs:
            if drop in p.text:
                p._p.getparent().remove(p._p)
    if body_size:
        doc.styles["Normal"].font.size = Pt(body_size)
    if tail:
        doc.add_paragraph(tail)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="模板.docx", note=""):
    return client.post("/gongwen/templates/", {"file": SimpleUploadedFile(name, data), "note": note})


@pytest.fixture
def bulletin_ready(world):
    from django.utils import timezone

    from fazhi.programme import services
    from fazhi.programme.demo import programme_dates

    start, end, phases = programme_dates(timezone.localdate())
    return services.programme_create(name="公文测试周期", start=start, end=end, phases=phases, actor=world.user("fzb"))


def test_banner_and_number(world, bulletin_ready, settings):
    settings.FAZHI = {**settings.FAZHI, "GONGWEN_ISSUER": "XX区全面推进依法行政工作领导小组办公室",
                      "GONGWEN_CODE": "X依法办"}
    response = world.client("fzb").get(BULLETIN, {"number": "3"})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    mark, number, title = paras[:3]
    year = date.today().year
    assert mark.text == "XX区全面推进依法行政工作领导小组办公室"
    assert (mark.alignment or mark.style.paragraph_format.alignment) == 1 and mark.runs[0].font.color.rgb == gongwen.RED  # centred, red
    assert mark.runs[0].font.size.pt <= gongwen.TEXT_WIDTH_PT / 20  # 20 characters on one line
    assert number.text == f"X依法办〔{year}〕3号" and number.alignment == 1
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == str(gongwen.RED) and line.get(qn("w:val")) == "single"
    assert title.text.startswith("关于公文测试周期") and title.style.name == "Title"
    assert gongwen.doc_number(2026, 3) == "〔2026〕3号"


def test_without_number_the_line_stays_empty(world, bulletin_ready):
    doc = Document(io.BytesIO(world.client("fzb").get(BULLETIN).content))
    assert not any("〕" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize("raw", ["0", "10000", "三", "３", "2.5", "-1"])
def test_bad_number_is_400(world, bulletin_ready, raw):
    r = world.client("fzb").get(BULLETIN, {"number": raw})
    assert r.status_code == 400 and "number" in r.json()["errors"] and "发文字号" in r.json()["detail"]
    page = world.client("fzb").get("/programme/bulletin.docx", {"number": raw})
    assert page.status_code == 400 and "发文字号" in page.content.decode()


def test_upload_is_used_then_void_and_restore(world, bulletin_ready, tmp_path):
    c = world.client("fzb")
    assert upload(c, template_docx(tmp_path, body_size=15), "十五号.docx").status_code == 302
    assert Document(io.BytesIO(c.get(BULLETIN).content)).styles["Normal"].font.size == Pt(15)
    assert upload(c, template_docx(tmp_path, body_size=14, tail="抄送:区委办"), "十四号.docx").status_code == 302
    doc = Document(io.BytesIO(c.get(BULLETIN).content))
    assert doc.styles["Normal"].font.size == Pt(14)
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("抄送:区委办") > next(i for i, t in enumerate(texts) if "下一步要求" in t)  # 版记 after the body
    first, second = GongwenTemplate.objects.order_by("id")
    # void needs a reason; then the previous one is current again
    c.post(f"/gongwen/templates/{second.pk}/void/", {"reason": " "})
    assert GongwenTemplate.objects.current() == second
    c.post(f"/gongwen/templates/{second.pk}/void/", {"reason": "字号不对"})
    assert GongwenTemplate.objects.current() == first
    assert Document(io.BytesIO(c.get(BULLETIN).content)).styles["Normal"].font.size == Pt(15)
    # nothing is deleted: both stay listed, the voided one with its reason; a voided one cannot be restored
    page = c.get("/gongwen/templates/").content.decode()
    assert "十四号.docx" in page and "字号不对" in page and "已作废" in page
    c.post(f"/gongwen/templates/{second.pk}/restore/")
    assert GongwenTemplate.objects.current() == first
    third = GongwenTemplate.objects.get(pk=GongwenTemplate.objects.create(
        file=first.file.name, original_name="三.docx", size=1, sha256="", uploaded_by=world.user("fzb")).pk)
    assert GongwenTemplate.objects.current() == third
    c.post(f"/gongwen/templates/{first.pk}/restore/")
    assert GongwenTemplate.objects.current() == first
    assert set(Event.objects.filter(verb__startswith="gongwen.").values_list("verb", flat=True)) == {
        "gongwen.template_uploaded", "gongwen.template_voided", "gongwen.template_restored"}
    assert c.get(f"/history/core.gongwentemplate/{second.pk}/").status_code == 200
    # downloads: one kept version and the current one
    assert c.get(f"/gongwen/templates/{second.pk}.docx").status_code == 200
    current = c.get("/gongwen/templates/current.docx")
    assert Document(io.BytesIO(current.content)).styles["Normal"].font.size == Pt(15)


def test_shipped_template_is_the_current_one_before_any_upload(world, bulletin_ready):
    body = world.client("fzb").get("/gongwen/templates/current.docx").content
    assert gongwen.missing_placeholders(Document(io.BytesIO(body))) == []
    assert "系统自带模板" in world.client("fzb").get("/gongwen/templates/").content.decode()


def _broken_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", "not xml")
    return out.getvalue()


@pytest.mark.parametrize("make, says", [
    (lambda tmp: template_docx(tmp, drop="{{正文}}"), "缺少占位符:{{正文}}"),
    (lambda tmp: template_docx(tmp, drop="{{发文字号}}"), "缺少占位符:{{发文字号}}"),
    (lambda tmp: b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "不是 Word .docx 文件"),
    (lambda tmp: b"hello", "不是允许的类型"),
    (lambda tmp: _broken_docx(), "无法打开"),
    (lambda tmp: b"", "空文件"),
])
def test_bad_templates_are_refused_in_chinese(world, tmp_path, make, says):
    r = upload(world.client("fzb"), make(tmp_path), "坏模板.docx")
    assert r.status_code == 400 and says in r.content.decode()
    assert not GongwenTemplate.objects.exists()


def test_too_large_template(world, tmp_path, monkeypatch):
    from fazhi.core import gongwen_templates

    monkeypatch.setattr(gongwen_templates, "MAX_TEMPLATE_MB", 0)
    r = upload(world.client("fzb"), template_docx(tmp_path))
    assert r.status_code == 400 and "大小限制" in r.content.decode()


def test_only_the_office(world, tmp_path):
    c = world.client("fzb")
    upload(c, template_docx(tmp_path))
    t = GongwenTemplate.objects.get()
    for username in ("d01", "leader"):
        other = world.client(username)
        assert other.get("/gongwen/templates/").status_code == 403
        assert other.get(f"/gongwen/templates/{t.pk}.docx").status_code == 403
        assert upload(other, template_docx(tmp_path)).status_code == 403
        assert other.post(f"/gongwen/templates/{t.pk}/void/", {"reason": "x"}).status_code == 403
        assert other.get(f"/history/core.gongwentemplate/{t.pk}/").status_code == 404
    assert GongwenTemplate.objects.get().voided_at is None


class OfficeOnly(ScopedCases):
    shared = False

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403

    def test_office(self, world):
        assert world.client("fzb").get(self.url(world, None)).status_code == 200


class TestTemplatesPage(OfficeOnly):
    url_name = "gongwen-templates"

    def url(self, world, unit):
        return "/gongwen/templates/"


class TestTemplateFile(OfficeOnly):
    url_name = "gongwen-template-file"

    def url(self, world, unit):
        return "/gongwen/templates/current.docx"


class TestTemplateAction(OfficeOnly):
    url_name = "gongwen-template-action"
    method = "post"

    def url(self, world, unit):
        return "/gongwen/templates/1/restore/"

    def test_office(self, world):
        assert world.client("fzb").post(self.url(world, None)).status_code == 404  # no such template
