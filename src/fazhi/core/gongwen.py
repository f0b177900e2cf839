"""Word documents in 公文 format (GB/T 9704-2012): the page, styles and 版头 come from a template the
office can replace (uploaded on the 公文模板 page, else settings.FAZHI["GONGWEN_TEMPLATE"], else the
shipped one), the content from code. A template holds four placeholders, each in a paragraph of its
own whose formatting the text takes: {{发文机关标志}} (red, centred), {{发文字号}} (with the red
separator line under it), {{标题}} and {{正文}} (where the body goes; what follows it in the template,
e.g. a 版记, stays after the body).

Fonts: the standard's fonts are named first (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312). Where they
are not installed, Word and LibreOffice substitute: the template's font table gives each an altName
(宋体, 仿宋, 黑体, 楷体 — on every Chinese Windows) and its GB2312 charset and family (serif/sans), so
the substitute is a CJK face of the right kind; LibreOffice on Linux falls back to Noto CJK.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
LATIN_FONT = "Times New Roman"
TITLE_SIZE, BODY_SIZE, PAGE_NO_SIZE = Pt(22), Pt(16), Pt(14)  # 2号, 3号, 4号
# 22 lines a page: (297 - 37 - 35) mm of text block ÷ 22 ≈ 28.95 pt; 28 characters of 3号 a line.
LINE_PITCH = Pt(28.95)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
FALLBACKS = {  # official face → (altName, family) written to the font table
    TITLE_FONT: ("宋体", "roman"), BODY_FONT: ("仿宋", "roman"), HEI_FONT: ("SimHei", "swiss"),
    KAI_FONT: ("楷体", "roman"), "宋体": ("SimSun", "roman"),
}
STYLES = {  # style name → (east-Asian font, size, bold)
    "Normal": (BODY_FONT, BODY_SIZE, False),
    "Title": (TITLE_FONT, TITLE_SIZE, False),
    "Heading 1": (HEI_FONT, BODY_SIZE, False),  # 一级标题 "一、"
    "Heading 2": (KAI_FONT, BODY_SIZE, False),  # 二级标题 "(一)"
}


RED = RGBColor(0xE6, 0x00, 0x12)  # 版头红色 (the usual 公文 red)
PLACEHOLDERS = {"mark": "{{发文机关标志}}", "number": "{{发文字号}}", "title": "{{标题}}", "body": "{{正文}}"}
TEXT_WIDTH_PT = Mm(210 - 28 - 26).pt  # 版心 156 mm
MARK_SIZE = Pt(36)  # 发文机关标志: the largest, shrunk so a long name stays on one line


def organ_code(unit) -> str:
    """机关代字 of a unit: its short name (the office may set it on the unit), else its full name."""
    return unit.short_name or unit.name


def doc_number(year: int, serial: int, code: str = "") -> str:
    """发文字号 (GB/T 9704-2012 7.2.4): 机关代字, year in 六角括号, serial without leading zeros or 第."""
    return f"{code}〔{year}〕{serial}号"


def _set_fonts(rpr_owner, east_asian: str) -> None:
    """python-docx's font.name sets only the Latin faces; the Chinese face is rFonts/@w:eastAsia."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def build_template(path: Path) -> None:
    """Write the shipped base template (script: `python -m fazhi.core.gongwen OUT.docx`)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.footer_distance = Mm(28)  # 页码 below the text block, 7 mm under its last line
    for name, (face, size, bold) in STYLES.items():
        style = doc.styles[name]
        style.font.size, style.font.bold, style.font.italic = size, bold, False
        style.font.color.rgb = None
        style.font.name = LATIN_FONT
        _set_fonts(style.element, face)
        fmt = style.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(32) if name != "Title" else Pt(0)  # 首行缩进 2 字
        fmt.keep_with_next = name.startswith("Heading")
        if name == "Title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(36)
        # Title/Heading in the default template draw a border and use theme colours: drop them.
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    _grid(section)
    _font_table(doc)
    # 版头: 发文机关标志 35 mm below the top of the text block, 发文字号 two lines under it, the red line
    # 4 mm under that; the title two lines under the line (GB/T 9704-2012 7.2).
    mark = doc.add_paragraph(PLACEHOLDERS["mark"], style="Title")
    mark.paragraph_format.space_before = Mm(35) - LINE_PITCH
    mark.paragraph_format.line_spacing = Pt(48)
    mark.runs[0].font.size, mark.runs[0].font.color.rgb = MARK_SIZE, RED
    doc.add_paragraph("", style="Normal")
    doc.add_paragraph("", style="Normal")
    number = doc.add_paragraph(PLACEHOLDERS["number"], style="Normal")
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.first_line_indent = Pt(0)
    _red_line_under(number)
    doc.add_paragraph("", style="Normal")
    doc.add_paragraph(PLACEHOLDERS["title"], style="Title")
    doc.add_paragraph("", style="Title")  # 标题与正文之间空一行
    doc.add_paragraph(PLACEHOLDERS["body"], style="Normal")
    doc.save(path)


def _red_line_under(paragraph) -> None:
    """The 版头 separator: a red line the width of the text block, 4 mm under the 发文字号."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, val in (("w:val", "single"), ("w:sz", "12"), ("w:space", "11"), ("w:color", str(RED))):
        bottom.set(qn(attr), val)  # sz in eighths of a point (1.5 pt); space in points (≈ 4 mm)
    borders.append(bottom)
    ppr.append(borders)


def _font_table(doc) -> None:
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, (alt, family) in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:charset", "86"), ("w:family", family), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), val)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _grid(section) -> None:
    """文档网格: 22 lines a page, 28 characters a line."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), "0")


def template_path() -> Path | None:
    configured = settings.FAZHI.get("GONGWEN_TEMPLATE")
    return Path(configured) if configured else None


def template_bytes() -> tuple[bytes, str]:
    """The template in force and where it comes from: the office's current upload, else the
    configured file, else the shipped one."""
    from fazhi.core.models import GongwenTemplate

    current = GongwenTemplate.objects.current()
    if current is not None:
        with current.file.open("rb") as f:
            return f.read(), f"法制办上传的模板「{current.original_name}」"
    path = template_path()
    if path is not None:
        return path.read_bytes(), f"配置的模板 {path.name}"
    return resources.files("fazhi.core").joinpath("data/gongwen_template.docx").read_bytes(), "系统自带模板"


def missing_placeholders(doc) -> list[str]:
    """The placeholders a template lacks (each must stand in a paragraph of the body)."""
    texts = [p.text for p in doc.paragraphs]
    return [ph for ph in PLACEHOLDERS.values() if not any(ph in t for t in texts)]


def _fill(paragraph, text: str) -> None:
    """Put `text` in a placeholder's paragraph, in the formatting of its first run (Word may have
    split the placeholder over several runs)."""
    runs = paragraph.runs
    for r in runs[1:]:
        r._r.getparent().remove(r._r)
    if runs:
        runs[0].text = text
    else:
        paragraph.add_run(text)


def cn_date(d: date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 7.3.5.4 gives: 2026年4月30日."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class GongwenDoc:
    """A document being written: title, paragraphs, headings, tables, then the signature."""

    doc: object
    after: list = field(default_factory=list)  # the template's content after {{正文}} (e.g. 版记)

    @classmethod
    def new(cls, title: str, *, mark: str = "", number: str = "", template: bytes | None = None) -> GongwenDoc:
        """`mark`: the 发文机关标志 (default the configured issuer); `number`: the 发文字号, e.g.
        〔2026〕3号 ("" leaves the line empty: a draft the office numbers by hand)."""
        doc = Document(io.BytesIO(template if template is not None else template_bytes()[0]))
        missing = missing_placeholders(doc)
        if missing:  # checked on upload; a configured file may still lack them
            from fazhi.core.errors import InvalidInput

            raise InvalidInput(f"公文模板缺少占位符:{'、'.join(missing)};请在「公文模板」页上传含这些占位符的模板",
                               field="template")
        mark = mark or settings.FAZHI["GONGWEN_ISSUER"]
        body_para = None
        for p in doc.paragraphs:
            if PLACEHOLDERS["mark"] in p.text:
                _fill(p, p.text.replace(PLACEHOLDERS["mark"], mark))
                for r in p.runs:  # one line: shrink a long name to the text block's width
                    size = r.font.size or MARK_SIZE
                    r.font.size = Pt(min(size.pt, int(TEXT_WIDTH_PT / max(len(mark), 1))))
            elif PLACEHOLDERS["number"] in p.text:
                _fill(p, p.text.replace(PLACEHOLDERS["number"], number))
            elif PLACEHOLDERS["title"] in p.text:
                _fill(p, p.text.replace(PLACEHOLDERS["title"], title))
            elif PLACEHOLDERS["body"] in p.text and body_para is None:
                body_para = p
        body = doc.element.body
        children = list(body)
        at = children.index(body_para._p)
        after = [c for c in children[at + 1:] if c.tag != qn("w:sectPr")]
        for c in after + [body_para._p]:
            body.remove(c)
        _page_numbers(doc.sections[0])
        return cls(doc, after)

    def para(self, text: str, *, indent: bool = True):
        p = self.doc.add_paragraph(text, style="Normal")
        if not indent:
            p.paragraph_format.first_line_indent = Pt(0)
        return p

    def heading(self, text: str, level: int = 1):
        return self.doc.add_paragraph(text, style=f"Heading {level}")

    def table(self, header: list[str], rows: list[list[str]], *, widths_mm: list[float] | None = None):
        """A grid table, its header repeated on every page; the first column left-aligned (names)."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header_row = table.rows[0]._tr.get_or_add_trPr()  # 表头在每页重复
        header_row.append(OxmlElement("w:tblHeader"))
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True)
        for row in rows:
            added = table.add_row()
            added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never splits across pages
            cells = added.cells
            for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
                self._cell(cell, text, left=i == 0)
        if widths_mm:
            table.autofit = False
            for row in table.rows:
                for cell, width in zip(row.cells, widths_mm, strict=True):
                    cell.width = Mm(width)
            for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
                col.set(qn("w:w"), str(round(Mm(width).twips)))  # LibreOffice reads the grid
        return table

    def _cell(self, cell, text: str, *, bold: bool = False, left: bool = False) -> None:
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(18)
        snap = OxmlElement("w:snapToGrid")  # off the 22-line page grid, or each line takes 28.95 pt
        snap.set(qn("w:val"), "0")
        p._p.get_or_add_pPr().append(snap)
        run = p.add_run(text)
        run.font.size = Pt(12)  # 表格用小四号,一行放得下单位名称
        run.bold = bold

    def signature(self, issuer: str, issued: date) -> None:
        """发文机关署名 and 成文日期 at the end, right-aligned (右空四字)."""
        if self.doc.paragraphs:  # 此页无正文 never: the last body paragraph goes with the signature
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.para("").paragraph_format.keep_with_next = True
        for text in (issuer, cn_date(issued)):
            p = self.para(text, indent=False)
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(64)
            p.paragraph_format.keep_with_next = text == issuer  # 署名 and 成文日期 on one page

    def to_bytes(self) -> bytes:
        sect = self.doc.element.body.find(qn("w:sectPr"))
        for c in self.after:  # the template's closing content, back after the body
            sect.addprevious(c)
        self.after = []
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _page_numbers(section) -> None:
    """页码: 4号半角宋体 "— 1 —", at the bottom (centred: a one-sided document)."""
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)

    def run(text: str = ""):
        r = p.add_run(text)
        r.font.size = PAGE_NO_SIZE
        _set_fonts(r._r, "宋体")
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._r.append(el)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            r._r.append(el)
        else:
            r.text = text
    run(" —")


__all__ = ["GongwenDoc", "build_template", "cn_date", "doc_number", "missing_placeholders"]

if __name__ == "__main__":
    import sys

    build_template(Path(sys.argv[1]))
